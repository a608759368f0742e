import type { Kysely } from 'kysely';
import type { Role } from '../../access/roles.js';
import type { DB, Person, PersonKind, PersonUpdate } from '../../db/tables.js';
import { personRow } from '../setup.js';
import type { PlanEnv } from './plan.js';
import type { FieldChange } from './report.js';

/** The people of one kind an import can match, loaded once so rows need no queries of their own. */
export interface PeopleState {
  kind: PersonKind;
  byMisId: Map<string, Person>;
  roles: Map<string, Set<string>>;
  /** Ids of people the file mentions; the rest of `byMisId` are leaver candidates. */
  seen: Set<string>;
}

export async function loadPeople(db: Kysely<DB>, schoolId: string, kind: PersonKind): Promise<PeopleState> {
  const [people, roles] = await Promise.all([
    db
      .selectFrom('people')
      .selectAll()
      .where('school_id', '=', schoolId)
      .where('kind', '=', kind)
      .where('mis_id', 'is not', null)
      .execute(),
    db
      .selectFrom('person_roles')
      .innerJoin('people', 'people.id', 'person_roles.person_id')
      .select(['person_roles.person_id', 'person_roles.role'])
      .where('people.school_id', '=', schoolId)
      .where('people.kind', '=', kind)
      .execute(),
  ]);
  const roleMap = new Map<string, Set<string>>();
  for (const r of roles) {
    const set = roleMap.get(r.person_id) ?? new Set<string>();
    set.add(r.role);
    roleMap.set(r.person_id, set);
  }
  return { kind, byMisId: new Map(people.map((p) => [p.mis_id!, p])), roles: roleMap, seen: new Set() };
}

/** Stored columns an import can set, with the field names the school sees in reports. */
const FIELD_OF_COLUMN = {
  given_name: 'givenName',
  family_name: 'familyName',
  preferred_name: 'preferredName',
  email: 'email',
  year_group: 'yearGroup',
  date_of_birth: 'dateOfBirth',
  job_title: 'jobTitle',
} as const;

type PersonColumn = keyof typeof FIELD_OF_COLUMN;
/** Only the columns present are compared and written; absent ones keep their stored value. */
export type PersonValues = { given_name: string; family_name: string } & Partial<
  Pick<Person, Exclude<PersonColumn, 'given_name' | 'family_name'>>
>;

export const displayName = (p: { given_name: string; preferred_name?: string | null; family_name: string }) =>
  `${p.preferred_name ?? p.given_name} ${p.family_name}`;

export interface PlannedPerson {
  id: string;
  isNew: boolean;
  fields: FieldChange[];
}

/** Plans creating or updating one person, re-activating a leaver and granting missing roles. */
export function planPerson(env: PlanEnv, state: PeopleState, misId: string, values: PersonValues, roles: readonly Role[]): PlannedPerson {
  const at = env.now.toISOString();
  const existing = state.byMisId.get(misId);
  if (!existing) {
    const row = personRow(
      {
        schoolId: env.schoolId,
        kind: state.kind,
        misId,
        givenName: values.given_name,
        familyName: values.family_name,
        preferredName: values.preferred_name,
        email: values.email,
        yearGroup: values.year_group,
        dateOfBirth: values.date_of_birth,
        jobTitle: values.job_title,
      },
      env.now,
    );
    env.plan.newPeople.push(row);
    env.plan.newRoles.push(...roles.map((role) => ({ person_id: row.id, role, granted_at: at, granted_by: env.grantedBy })));
    state.byMisId.set(misId, { ...row, status: 'active' } as Person);
    state.seen.add(row.id);
    return { id: row.id, isNew: true, fields: [] };
  }

  state.seen.add(existing.id);
  const fields: FieldChange[] = [];
  const set: PersonUpdate = {};
  for (const column of Object.keys(FIELD_OF_COLUMN) as PersonColumn[]) {
    const after = values[column];
    if (after === undefined || after === existing[column]) continue;
    fields.push({ field: FIELD_OF_COLUMN[column], before: existing[column], after });
    Object.assign(set, { [column]: after });
  }
  if (existing.status === 'left') {
    fields.push({ field: 'status', before: 'left', after: 'active' });
    Object.assign(set, { status: 'active', left_at: null });
  }
  if (Object.keys(set).length) env.plan.personUpdates.push({ id: existing.id, set: { ...set, updated_at: at } });

  const held = state.roles.get(existing.id) ?? new Set<string>();
  const missing = roles.filter((r) => !held.has(r));
  if (missing.length) {
    env.plan.newRoles.push(...missing.map((role) => ({ person_id: existing.id, role, granted_at: at, granted_by: env.grantedBy })));
    fields.push({ field: 'roles', before: [...held].sort().join(';'), after: [...held, ...missing].sort().join(';') });
  }
  return { id: existing.id, isNew: false, fields };
}

/**
 * People the MIS manages (they have an MIS id) but the full file no longer lists have left.
 * They are marked, never deleted: safeguarding records must outlive the pupil's time here.
 * People added by hand (no MIS id), such as the network manager's own account, are never touched.
 */
export function planLeavers(env: PlanEnv, state: PeopleState): void {
  if (!env.markLeavers) return;
  for (const [misId, person] of state.byMisId) {
    if (person.status !== 'active' || state.seen.has(person.id)) continue;
    env.plan.leavers.push(person.id);
    env.tally.add({ action: 'leave', misId, name: displayName(person) });
  }
}

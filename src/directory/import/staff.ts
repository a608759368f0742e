import type { Kysely } from 'kysely';
import type { Role } from '../../access/roles.js';
import type { DB } from '../../db/tables.js';
import { loadGroups, planArchive, planGroup, planSoleMembership, type GroupState } from './groups.js';
import type { CsvRow } from './parse.js';
import { displayName, loadPeople, planLeavers, planPerson, type PeopleState, type PersonValues } from './people.js';
import type { PlanEnv } from './plan.js';
import { reportDuplicates, rowReader } from './rows.js';
import { parseEmail, parseRoles } from './values.js';

/** Roles that belong to other kinds of person: a member of staff who is also a parent has a parent record. */
const NOT_STAFF_ROLES: readonly Role[] = ['student', 'parent'];

interface StaffRecord {
  line: number;
  misId: string;
  values: PersonValues;
  roles: Role[];
  team: string | null | undefined;
}

function readStaff(rows: readonly CsvRow[], env: PlanEnv): StaffRecord[] {
  const records: StaffRecord[] = [];
  for (const row of rows) {
    const r = rowReader('staff', row, env.columns, env.problems);
    const misId = r.required('misId');
    const givenName = r.required('givenName');
    const familyName = r.required('familyName');
    const values: PersonValues = {
      given_name: givenName ?? '',
      family_name: familyName ?? '',
      preferred_name: r.optional('preferredName'),
      job_title: r.optional('jobTitle'),
      email: r.optionalParsed('email', parseEmail),
    };
    const extra = r.optionalParsed('roles', parseRoles) ?? [];
    for (const role of extra.filter((x) => NOT_STAFF_ROLES.includes(x))) {
      env.problems.push({ line: row.line, field: 'roles', reason: `"${role}" is not a staff role` });
    }
    const team = r.optional('team');
    if (r.valid && misId && !extra.some((x) => NOT_STAFF_ROLES.includes(x))) {
      records.push({ line: row.line, misId, values, roles: [...new Set<Role>(['staff', ...extra])], team });
    }
  }
  return records;
}

/**
 * The importer may only hand out roles they could grant by hand: a network manager cannot
 * make someone a headteacher by uploading a file. Roles already held are not a grant.
 */
function refuseUngrantable(env: PlanEnv, people: PeopleState, record: StaffRecord): boolean {
  if (!env.grantableRoles) return false;
  const existing = people.byMisId.get(record.misId);
  const held = existing ? (people.roles.get(existing.id) ?? new Set<string>()) : new Set<string>();
  const refused = record.roles.filter((role) => !held.has(role) && !env.grantableRoles!.has(role));
  for (const role of refused) {
    env.problems.push({ line: record.line, field: 'roles', reason: `your role does not allow granting the role "${role}"` });
  }
  return refused.length > 0;
}

export async function planStaff(db: Kysely<DB>, rows: readonly CsvRow[], env: PlanEnv): Promise<{ years: number[] }> {
  const records = readStaff(rows, env);
  reportDuplicates(
    records,
    (r) => r.misId,
    (r) => `MIS id "${r.misId}"`,
    'misId',
    env.problems,
  );
  const people = await loadPeople(db, env.schoolId, 'staff');
  const teams: GroupState | null = env.columns.has('team') ? await loadGroups(db, env.schoolId, 'staff_team') : null;
  if (teams) {
    for (const team of new Set(records.map((r) => r.team).filter((t): t is string => !!t))) planGroup(env, teams, team, { name: team });
  }
  for (const record of records) {
    if (refuseUngrantable(env, people, record)) continue;
    const planned = planPerson(env, people, record.misId, record.values, record.roles);
    if (teams) {
      const change = planSoleMembership(env, teams, planned.id, record.team ?? null, 'team');
      if (change) planned.fields.push(change);
    }
    env.tally.outcome({
      line: record.line,
      misId: record.misId,
      name: displayName(record.values),
      isNew: planned.isNew,
      fields: planned.fields,
    });
  }
  planLeavers(env, people);
  if (teams) planArchive(env, teams);
  return { years: [] };
}

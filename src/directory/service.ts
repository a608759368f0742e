import { sql, type Kysely } from 'kysely';
import type { Role } from '../access/roles.js';
import { newId } from '../db/ids.js';
import type { DB, Group, GroupKind, Person, PersonKind } from '../db/tables.js';
import { AppError, notFound } from '../errors/errors.js';
import { KEY_STAGE_NAMES, KEY_STAGE_YEARS, keyStageOf, yearGroupName, type KeyStage } from './key-stage.js';

export interface PeopleQuery {
  schoolId: string;
  q?: string;
  kind?: PersonKind;
  yearGroup?: number;
  groupId?: string;
  role?: Role;
  status?: 'active' | 'left' | 'all';
  limit: number;
  offset: number;
}

export interface PersonSummary {
  id: string;
  kind: PersonKind;
  misId: string | null;
  name: string;
  givenName: string;
  familyName: string;
  yearGroup: number | null;
  keyStage: KeyStage | null;
  jobTitle: string | null;
  status: string;
  expiresAt: string | null;
}

export const summarise = (p: Person): PersonSummary => ({
  id: p.id,
  kind: p.kind,
  misId: p.mis_id,
  name: `${p.preferred_name ?? p.given_name} ${p.family_name}`,
  givenName: p.given_name,
  familyName: p.family_name,
  yearGroup: p.year_group,
  keyStage: keyStageOf(p.year_group),
  jobTitle: p.job_title,
  status: p.status,
  expiresAt: p.expires_at,
});

/** Members of a derived group (key stage, year group) are computed, never stored, so they cannot drift. */
function derivedYears(group: Group): [number, number] | null {
  if (group.kind === 'year_group' && group.year_group !== null) return [group.year_group, group.year_group];
  if (group.kind === 'key_stage') return KEY_STAGE_YEARS[group.code as KeyStage] ?? null;
  return null;
}

export async function listPeople(db: Kysely<DB>, q: PeopleQuery): Promise<{ items: PersonSummary[]; total: number }> {
  let query = db.selectFrom('people').where('people.school_id', '=', q.schoolId);
  if (q.kind) query = query.where('people.kind', '=', q.kind);
  if (q.yearGroup !== undefined) query = query.where('people.year_group', '=', q.yearGroup);
  if (!q.status || q.status === 'active') query = query.where('people.status', '=', 'active');
  else if (q.status === 'left') query = query.where('people.status', '=', 'left');
  if (q.role) {
    const role = q.role;
    query = query.where('people.id', 'in', (eb) => eb.selectFrom('person_roles').select('person_id').where('role', '=', role));
  }
  if (q.groupId) {
    const group = await db.selectFrom('groups').selectAll().where('id', '=', q.groupId).executeTakeFirst();
    if (!group || group.school_id !== q.schoolId) throw notFound('Group');
    const years = derivedYears(group);
    if (years) {
      query = query
        .where('people.kind', '=', 'student')
        .where('people.year_group', '>=', years[0])
        .where('people.year_group', '<=', years[1]);
    } else {
      const groupId = q.groupId;
      query = query.where('people.id', 'in', (eb) => eb.selectFrom('group_members').select('person_id').where('group_id', '=', groupId));
    }
  }
  if (q.q && q.q.trim()) {
    for (const term of q.q.trim().toLowerCase().split(/\s+/).slice(0, 4)) {
      const like = `%${term.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
      query = query.where((eb) =>
        eb.or([
          eb(eb.fn('lower', ['people.given_name']), 'like', sql<string>`${like} escape '\\'`),
          eb(eb.fn('lower', ['people.family_name']), 'like', sql<string>`${like} escape '\\'`),
          eb(eb.fn('lower', ['people.preferred_name']), 'like', sql<string>`${like} escape '\\'`),
          eb(eb.fn('lower', ['people.mis_id']), 'like', sql<string>`${like} escape '\\'`),
        ]),
      );
    }
  }
  const [{ total }] = (await query.select((eb) => eb.fn.countAll<number>().as('total')).execute()) as [{ total: number }];
  const rows = await query
    .selectAll('people')
    .orderBy('people.family_name')
    .orderBy('people.given_name')
    .orderBy('people.id')
    .limit(q.limit)
    .offset(q.offset)
    .execute();
  return { items: rows.map(summarise), total: Number(total) };
}

export async function getPersonRow(db: Kysely<DB>, id: string): Promise<Person> {
  const person = await db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirst();
  if (!person) throw notFound('Person');
  return person;
}

export interface PersonDetail extends PersonSummary {
  preferredName: string | null;
  email: string | null;
  dateOfBirth: string | null;
  leftAt: string | null;
  roles: string[];
  groups: { id: string; kind: GroupKind; name: string; memberRole: string }[];
  children: { id: string; name: string; relationship: string; yearGroup: number | null }[];
  guardians: { id: string; name: string; relationship: string; parentalResponsibility: boolean }[];
  account: { id: string; username: string; disabled: boolean; totpEnabled: boolean; lastSignInAt: string | null } | null;
}

export async function getPersonDetail(db: Kysely<DB>, person: Person): Promise<PersonDetail> {
  const [roles, groups, children, guardians, account] = await Promise.all([
    db.selectFrom('person_roles').select('role').where('person_id', '=', person.id).orderBy('role').execute(),
    db
      .selectFrom('group_members')
      .innerJoin('groups', 'groups.id', 'group_members.group_id')
      .select(['groups.id', 'groups.kind', 'groups.name', 'group_members.member_role'])
      .where('group_members.person_id', '=', person.id)
      .orderBy('groups.kind')
      .orderBy('groups.name')
      .execute(),
    db
      .selectFrom('guardians')
      .innerJoin('people', 'people.id', 'guardians.student_id')
      .select([
        'people.id',
        'people.given_name',
        'people.preferred_name',
        'people.family_name',
        'people.year_group',
        'guardians.relationship',
      ])
      .where('guardians.parent_id', '=', person.id)
      .execute(),
    db
      .selectFrom('guardians')
      .innerJoin('people', 'people.id', 'guardians.parent_id')
      .select([
        'people.id',
        'people.given_name',
        'people.preferred_name',
        'people.family_name',
        'guardians.relationship',
        'guardians.parental_responsibility',
      ])
      .where('guardians.student_id', '=', person.id)
      .orderBy('guardians.priority')
      .execute(),
    db.selectFrom('accounts').selectAll().where('person_id', '=', person.id).executeTakeFirst(),
  ]);
  const derived = await derivedGroupsOf(db, person);
  const name = (p: { given_name: string; preferred_name: string | null; family_name: string }) =>
    `${p.preferred_name ?? p.given_name} ${p.family_name}`;
  return {
    ...summarise(person),
    preferredName: person.preferred_name,
    email: person.email,
    dateOfBirth: person.date_of_birth,
    leftAt: person.left_at,
    roles: roles.map((r) => r.role),
    groups: [...derived, ...groups.map((g) => ({ id: g.id, kind: g.kind, name: g.name, memberRole: g.member_role }))],
    children: children.map((c) => ({ id: c.id, name: name(c), relationship: c.relationship, yearGroup: c.year_group })),
    guardians: guardians.map((g) => ({
      id: g.id,
      name: name(g),
      relationship: g.relationship,
      parentalResponsibility: Boolean(g.parental_responsibility),
    })),
    account: account
      ? {
          id: account.id,
          username: account.username,
          disabled: Boolean(account.disabled_at),
          totpEnabled: Boolean(account.totp_enabled_at),
          lastSignInAt: account.last_sign_in_at,
        }
      : null,
  };
}

async function derivedGroupsOf(db: Kysely<DB>, person: Person) {
  if (person.kind !== 'student' || person.year_group === null) return [];
  const ks = keyStageOf(person.year_group);
  const rows = await db
    .selectFrom('groups')
    .select(['id', 'kind', 'name'])
    .where('school_id', '=', person.school_id)
    .where((eb) =>
      eb.or([
        eb.and([eb('kind', '=', 'year_group'), eb('year_group', '=', person.year_group)]),
        eb.and([eb('kind', '=', 'key_stage'), eb('code', '=', ks ?? '')]),
      ]),
    )
    .execute();
  return rows.map((g) => ({ id: g.id, kind: g.kind, name: g.name, memberRole: 'member' }));
}

export interface GroupSummary {
  id: string;
  kind: GroupKind;
  name: string;
  code: string;
  yearGroup: number | null;
  subject: string | null;
  members: number;
}

export async function listGroups(db: Kysely<DB>, schoolId: string, filter: { kind?: GroupKind; q?: string }): Promise<GroupSummary[]> {
  let query = db.selectFrom('groups').selectAll().where('school_id', '=', schoolId).where('status', '=', 'active');
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  if (filter.q) query = query.where(sql`lower(name)`, 'like', `%${filter.q.toLowerCase()}%`);
  const groups = await query.orderBy('kind').orderBy('name').execute();
  const stored = await db
    .selectFrom('group_members')
    .innerJoin('groups', 'groups.id', 'group_members.group_id')
    .innerJoin('people', 'people.id', 'group_members.person_id')
    .select(['group_members.group_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('groups.school_id', '=', schoolId)
    .where('people.status', '=', 'active')
    .groupBy('group_members.group_id')
    .execute();
  const byYear = await db
    .selectFrom('people')
    .select(['year_group', (eb) => eb.fn.countAll<number>().as('n')])
    .where('school_id', '=', schoolId)
    .where('kind', '=', 'student')
    .where('status', '=', 'active')
    .groupBy('year_group')
    .execute();
  const storedCount = new Map(stored.map((r) => [r.group_id, Number(r.n)]));
  const countYears = ([from, to]: [number, number]) =>
    byYear.filter((r) => r.year_group !== null && r.year_group >= from && r.year_group <= to).reduce((s, r) => s + Number(r.n), 0);
  return groups.map((g) => {
    const years = derivedYears(g);
    return {
      id: g.id,
      kind: g.kind,
      name: g.name,
      code: g.code,
      yearGroup: g.year_group,
      subject: g.subject,
      members: years ? countYears(years) : (storedCount.get(g.id) ?? 0),
    };
  });
}

export async function getGroup(db: Kysely<DB>, id: string): Promise<Group> {
  const group = await db.selectFrom('groups').selectAll().where('id', '=', id).executeTakeFirst();
  if (!group) throw notFound('Group');
  return group;
}

/** Makes sure the key stage and year group groups exist for the years a school teaches. */
export async function ensureDerivedGroups(db: Kysely<DB>, schoolId: string, years: readonly number[], now: Date): Promise<void> {
  const at = now.toISOString();
  const wanted: { kind: GroupKind; code: string; name: string; year_group: number | null }[] = [];
  const stages = new Set<KeyStage>();
  for (const y of years) {
    wanted.push({ kind: 'year_group', code: `Y${y}`, name: yearGroupName(y), year_group: y });
    const ks = keyStageOf(y);
    if (ks) stages.add(ks);
  }
  for (const ks of stages) wanted.push({ kind: 'key_stage', code: ks, name: KEY_STAGE_NAMES[ks], year_group: null });
  const existing = await db.selectFrom('groups').select(['kind', 'code']).where('school_id', '=', schoolId).execute();
  const have = new Set(existing.map((g) => `${g.kind}:${g.code}`));
  const missing = wanted.filter((w) => !have.has(`${w.kind}:${w.code}`));
  if (missing.length === 0) return;
  await db
    .insertInto('groups')
    .values(
      missing.map((w) => ({
        id: newId(),
        school_id: schoolId,
        ...w,
        subject: null,
        status: 'active' as const,
        created_at: at,
        updated_at: at,
      })),
    )
    .execute();
}

export interface DirectoryStats {
  people: Record<string, number>;
  studentsByYear: { yearGroup: number; keyStage: KeyStage | null; count: number }[];
  groups: Record<string, number>;
  left: number;
}

/** Counts only: what a governor may see. */
export async function directoryStats(db: Kysely<DB>, schoolId: string): Promise<DirectoryStats> {
  const [byKind, byYear, groups, left] = await Promise.all([
    db
      .selectFrom('people')
      .select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
      .where('school_id', '=', schoolId)
      .where('status', '=', 'active')
      .groupBy('kind')
      .execute(),
    db
      .selectFrom('people')
      .select(['year_group', (eb) => eb.fn.countAll<number>().as('n')])
      .where('school_id', '=', schoolId)
      .where('kind', '=', 'student')
      .where('status', '=', 'active')
      .groupBy('year_group')
      .orderBy('year_group')
      .execute(),
    db
      .selectFrom('groups')
      .select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
      .where('school_id', '=', schoolId)
      .where('status', '=', 'active')
      .groupBy('kind')
      .execute(),
    db
      .selectFrom('people')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('school_id', '=', schoolId)
      .where('status', '=', 'left')
      .executeTakeFirstOrThrow(),
  ]);
  return {
    people: Object.fromEntries(byKind.map((r) => [r.kind, Number(r.n)])),
    studentsByYear: byYear
      .filter((r) => r.year_group !== null)
      .map((r) => ({ yearGroup: r.year_group!, keyStage: keyStageOf(r.year_group), count: Number(r.n) })),
    groups: Object.fromEntries(groups.map((r) => [r.kind, Number(r.n)])),
    left: Number(left.n),
  };
}

export async function setRoles(db: Kysely<DB>, personId: string, roles: readonly Role[], grantedBy: string | null, now: Date) {
  const current = await db.selectFrom('person_roles').select('role').where('person_id', '=', personId).execute();
  const have = new Set(current.map((r) => r.role));
  const want = new Set<string>(roles);
  const removed = [...have].filter((r) => !want.has(r));
  const added = [...want].filter((r) => !have.has(r));
  if (removed.length) await db.deleteFrom('person_roles').where('person_id', '=', personId).where('role', 'in', removed).execute();
  if (added.length) {
    await db
      .insertInto('person_roles')
      .values(added.map((role) => ({ person_id: personId, role, granted_at: now.toISOString(), granted_by: grantedBy })))
      .execute();
  }
  return { added, removed };
}

export async function schoolOf(db: Kysely<DB>, schoolId: string) {
  const school = await db.selectFrom('schools').selectAll().where('id', '=', schoolId).executeTakeFirst();
  if (!school) throw new AppError('not_found', 'School not found');
  return school;
}

import type { Kysely } from 'kysely';
import { newId } from '../db/ids.js';
import type { DB } from '../db/tables.js';
import { personRow } from '../directory/setup.js';
import type { DemoPlan, PlannedPerson } from './types.js';

// 500 rows of the widest table (people, 16 columns) is 8,000 parameters: well inside both
// PostgreSQL's 65,535 and SQLite's 32,766, and few enough round trips to take seconds.
const BATCH = 500;

function* batches<T>(rows: readonly T[]): Generator<T[]> {
  for (let i = 0; i < rows.length; i += BATCH) yield rows.slice(i, i + BATCH);
}

/**
 * Inserts the plan's people, roles, groups, memberships and guardian links. Call it inside a
 * transaction: a half-written school is worse than none. Returns each person's new id.
 */
export async function writePlan(db: Kysely<DB>, plan: DemoPlan, schoolId: string, now: Date): Promise<Map<PlannedPerson, string>> {
  const at = now.toISOString();
  const ids = new Map<PlannedPerson, string>();
  const people = plan.people.map((p) => {
    const row = personRow({ ...p, schoolId }, now);
    ids.set(p, row.id);
    return row;
  });
  const idOf = (p: PlannedPerson): string => {
    const id = ids.get(p);
    if (!id) throw new Error(`demo plan refers to ${p.givenName} ${p.familyName}, who is not in its people`);
    return id;
  };
  for (const rows of batches(people)) await db.insertInto('people').values(rows).execute();

  const roles = plan.people.flatMap((p) => p.roles.map((role) => ({ person_id: idOf(p), role, granted_at: at, granted_by: null })));
  for (const rows of batches(roles)) await db.insertInto('person_roles').values(rows).execute();

  const groups = plan.groups.map((g) => ({ id: newId(), group: g }));
  const groupRows = groups.map(({ id, group: g }) => ({
    id,
    school_id: schoolId,
    kind: g.kind,
    name: g.name,
    code: g.code,
    year_group: g.yearGroup,
    subject: g.subject,
    status: 'active' as const,
    created_at: at,
    updated_at: at,
  }));
  for (const rows of batches(groupRows)) await db.insertInto('groups').values(rows).execute();

  const members = groups.flatMap(({ id, group }) =>
    group.members.map((m) => ({ group_id: id, person_id: idOf(m.person), member_role: m.role })),
  );
  for (const rows of batches(members)) await db.insertInto('group_members').values(rows).execute();

  const guardians = plan.guardians.map((g) => ({
    parent_id: idOf(g.parent),
    student_id: idOf(g.student),
    relationship: g.relationship,
    parental_responsibility: g.parentalResponsibility ? 1 : 0,
    priority: g.priority,
  }));
  for (const rows of batches(guardians)) await db.insertInto('guardians').values(rows).execute();
  return ids;
}

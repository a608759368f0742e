import type { Insertable, Kysely, Updateable } from 'kysely';
import type { Role } from '../../access/roles.js';
import type { DB, GroupMemberTable, GroupTable, GuardianTable, NewPerson, PersonRoleTable, PersonUpdate } from '../../db/tables.js';
import type { ChangeTally, ImportProblem } from './report.js';

/** What every kind's planner works with. */
export interface PlanEnv {
  schoolId: string;
  now: Date;
  /** The file lists everyone: people (or classes) it leaves out have left. */
  markLeavers: boolean;
  grantedBy: string | null;
  /** Roles the importer may hand out; null when the caller is trusted with all of them. */
  grantableRoles: ReadonlySet<Role> | null;
  columns: Map<string, number>;
  problems: ImportProblem[];
  tally: ChangeTally;
  plan: WritePlan;
}

/**
 * Every write an import will make, worked out before anything is written. A dry run stops at
 * the plan; an applied import hands it to `executePlan` inside one transaction.
 */
export interface WritePlan {
  newPeople: NewPerson[];
  personUpdates: { id: string; set: PersonUpdate }[];
  leavers: string[];
  newRoles: Insertable<PersonRoleTable>[];
  newGroups: Insertable<GroupTable>[];
  groupUpdates: { id: string; set: Updateable<GroupTable> }[];
  archivedGroups: string[];
  removedMembers: { group_id: string; person_id: string }[];
  newMembers: GroupMemberTable[];
  removedGuardians: { parent_id: string; student_id: string }[];
  newGuardians: GuardianTable[];
  guardianUpdates: { parent_id: string; student_id: string; set: Updateable<GuardianTable> }[];
}

export const emptyPlan = (): WritePlan => ({
  newPeople: [],
  personUpdates: [],
  leavers: [],
  newRoles: [],
  newGroups: [],
  groupUpdates: [],
  archivedGroups: [],
  removedMembers: [],
  newMembers: [],
  removedGuardians: [],
  newGuardians: [],
  guardianUpdates: [],
});

/** Rows per multi-row INSERT: well under SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 500;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function byKey<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

/** Writes a plan. Call inside a transaction: order matters for foreign keys. */
export async function executePlan(db: Kysely<DB>, plan: WritePlan, now: Date): Promise<void> {
  const at = now.toISOString();
  for (const part of chunks(plan.newPeople)) await db.insertInto('people').values(part).execute();
  for (const u of plan.personUpdates) await db.updateTable('people').set(u.set).where('id', '=', u.id).execute();
  for (const part of chunks(plan.leavers)) {
    await db.updateTable('people').set({ status: 'left', left_at: at, updated_at: at }).where('id', 'in', part).execute();
  }
  for (const part of chunks(plan.newRoles)) await db.insertInto('person_roles').values(part).execute();

  for (const part of chunks(plan.newGroups)) await db.insertInto('groups').values(part).execute();
  for (const u of plan.groupUpdates) await db.updateTable('groups').set(u.set).where('id', '=', u.id).execute();
  for (const part of chunks(plan.archivedGroups)) {
    await db.updateTable('groups').set({ status: 'archived', updated_at: at }).where('id', 'in', part).execute();
  }
  for (const [groupId, removed] of byKey(plan.removedMembers, (m) => m.group_id)) {
    for (const part of chunks(removed.map((m) => m.person_id))) {
      await db.deleteFrom('group_members').where('group_id', '=', groupId).where('person_id', 'in', part).execute();
    }
  }
  for (const part of chunks(plan.newMembers)) await db.insertInto('group_members').values(part).execute();

  for (const [parentId, removed] of byKey(plan.removedGuardians, (g) => g.parent_id)) {
    for (const part of chunks(removed.map((g) => g.student_id))) {
      await db.deleteFrom('guardians').where('parent_id', '=', parentId).where('student_id', 'in', part).execute();
    }
  }
  for (const part of chunks(plan.newGuardians)) await db.insertInto('guardians').values(part).execute();
  for (const u of plan.guardianUpdates) {
    await db.updateTable('guardians').set(u.set).where('parent_id', '=', u.parent_id).where('student_id', '=', u.student_id).execute();
  }
}

import type { Kysely } from 'kysely';
import { newId } from '../../db/ids.js';
import type { DB, Group, GroupKind, GroupMemberTable } from '../../db/tables.js';
import type { PlanEnv } from './plan.js';
import type { FieldChange } from './report.js';

type MemberRole = GroupMemberTable['member_role'];

/** The groups of one kind an import manages, with their stored members, loaded in two queries. */
export interface GroupState {
  kind: GroupKind;
  byCode: Map<string, Group>;
  byId: Map<string, Group>;
  /** group id → person id → role in the group. */
  members: Map<string, Map<string, MemberRole>>;
  /** Ids of groups the file mentions; the others may be archived after a full import. */
  seen: Set<string>;
}

export async function loadGroups(db: Kysely<DB>, schoolId: string, kind: GroupKind): Promise<GroupState> {
  const [groups, members] = await Promise.all([
    db.selectFrom('groups').selectAll().where('school_id', '=', schoolId).where('kind', '=', kind).execute(),
    db
      .selectFrom('group_members')
      .innerJoin('groups', 'groups.id', 'group_members.group_id')
      .select(['group_members.group_id', 'group_members.person_id', 'group_members.member_role'])
      .where('groups.school_id', '=', schoolId)
      .where('groups.kind', '=', kind)
      .execute(),
  ]);
  const memberMap = new Map<string, Map<string, MemberRole>>(groups.map((g) => [g.id, new Map()]));
  for (const m of members) memberMap.get(m.group_id)?.set(m.person_id, m.member_role);
  return {
    kind,
    byCode: new Map(groups.map((g) => [g.code, g])),
    byId: new Map(groups.map((g) => [g.id, g])),
    members: memberMap,
    seen: new Set(),
  };
}

export interface GroupValues {
  name: string;
  year_group?: number | null;
  subject?: string | null;
}

/** Plans creating or updating one group by its MIS code; an archived group comes back. */
export function planGroup(
  env: PlanEnv,
  state: GroupState,
  code: string,
  values: GroupValues,
): { id: string; isNew: boolean; fields: FieldChange[] } {
  const at = env.now.toISOString();
  const existing = state.byCode.get(code);
  if (!existing) {
    const group: Group = {
      id: newId(),
      school_id: env.schoolId,
      kind: state.kind,
      name: values.name,
      code,
      year_group: values.year_group ?? null,
      subject: values.subject ?? null,
      status: 'active',
      created_at: at,
      updated_at: at,
    };
    env.plan.newGroups.push(group);
    env.tally.groups.created += 1;
    state.byCode.set(code, group);
    state.byId.set(group.id, group);
    state.members.set(group.id, new Map());
    state.seen.add(group.id);
    return { id: group.id, isNew: true, fields: [] };
  }
  state.seen.add(existing.id);
  const fields: FieldChange[] = [];
  const set: Record<string, unknown> = {};
  const compare = (column: 'name' | 'year_group' | 'subject', field: string) => {
    const after = values[column];
    if (after === undefined || after === existing[column]) return;
    fields.push({ field, before: existing[column], after });
    set[column] = after;
  };
  compare('name', 'name');
  compare('year_group', 'yearGroup');
  compare('subject', 'subject');
  if (existing.status === 'archived') {
    fields.push({ field: 'status', before: 'archived', after: 'active' });
    set.status = 'active';
  }
  if (fields.length) {
    env.plan.groupUpdates.push({ id: existing.id, set: { ...set, updated_at: at } });
    env.tally.groups.updated += 1;
  }
  return { id: existing.id, isNew: false, fields };
}

/** Makes a group's stored members exactly `want`; returns who was added and removed. */
export function planMembers(env: PlanEnv, state: GroupState, groupId: string, want: ReadonlyMap<string, MemberRole>) {
  const current = state.members.get(groupId) ?? new Map<string, MemberRole>();
  const added: string[] = [];
  const removed: string[] = [];
  for (const [personId, role] of current) {
    if (want.get(personId) === role) continue;
    env.plan.removedMembers.push({ group_id: groupId, person_id: personId });
    removed.push(personId);
  }
  for (const [personId, role] of want) {
    if (current.get(personId) === role) continue;
    env.plan.newMembers.push({ group_id: groupId, person_id: personId, member_role: role });
    added.push(personId);
  }
  state.members.set(groupId, new Map(want));
  return { added, removed };
}

/**
 * Puts a person in exactly one group of the state's kind (their tutor group, their team), or in
 * none when `code` is null. The MIS is the source of truth for these kinds of group.
 */
export function planSoleMembership(
  env: PlanEnv,
  state: GroupState,
  personId: string,
  code: string | null,
  field: string,
): FieldChange | null {
  const target = code === null ? undefined : state.byCode.get(code);
  const before: string[] = [];
  for (const [groupId, members] of state.members) {
    if (!members.has(personId)) continue;
    const group = state.byId.get(groupId)!;
    before.push(group.code);
    if (group.id === target?.id) continue;
    members.delete(personId);
    env.plan.removedMembers.push({ group_id: groupId, person_id: personId });
  }
  if (target && !state.members.get(target.id)?.has(personId)) {
    state.members.get(target.id)!.set(personId, 'member');
    env.plan.newMembers.push({ group_id: target.id, person_id: personId, member_role: 'member' });
  }
  const beforeText = before.sort().join(';') || null;
  return beforeText === code ? null : { field, before: beforeText, after: code };
}

/** Groups of the kind that the full file no longer mentions are archived, keeping their history. */
export function planArchive(env: PlanEnv, state: GroupState, onArchive?: (group: Group) => void): void {
  if (!env.markLeavers) return;
  for (const group of state.byId.values()) {
    if (group.status !== 'active' || state.seen.has(group.id)) continue;
    env.plan.archivedGroups.push(group.id);
    env.tally.groups.archived += 1;
    onArchive?.(group);
  }
}

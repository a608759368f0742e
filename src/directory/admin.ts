import type { Kysely } from 'kysely';
import { newId } from '../db/ids.js';
import type { DB, Group, GroupKind, Person, PersonKind } from '../db/tables.js';
import { AppError } from '../errors/errors.js';

/** Changes to people and groups made by hand, beside what the MIS import brings. */

export const MANUAL_PERSON_KINDS = ['staff', 'governor', 'guest', 'community'] as const satisfies readonly PersonKind[];
export const MANUAL_GROUP_KINDS = ['custom', 'staff_team', 'class', 'tutor_group'] as const satisfies readonly GroupKind[];
export const MEMBER_ROLES = ['member', 'teacher', 'tutor', 'lead'] as const;

/** Guests and community users are temporary by definition: they must have an end date, in the future. */
export function checkExpiry(kind: PersonKind, expiresAt: string | null | undefined, now: Date): string | null {
  if (expiresAt === null || expiresAt === undefined) {
    if (kind === 'guest' || kind === 'community') {
      throw new AppError('validation_failed', 'Guests and community users need a date their access ends');
    }
    return null;
  }
  const at = new Date(expiresAt);
  if (Number.isNaN(at.getTime())) throw new AppError('validation_failed', `"${expiresAt}" is not a date`);
  if (at <= now) throw new AppError('validation_failed', 'The access end date must be in the future');
  return at.toISOString();
}

export interface PersonEdit {
  givenName?: string;
  familyName?: string;
  preferredName?: string | null;
  email?: string | null;
  jobTitle?: string | null;
  expiresAt?: string | null;
}

/** Applies an edit; returns the fields that changed as before/after pairs for the audit log. */
export async function updatePerson(db: Kysely<DB>, person: Person, edit: PersonEdit, now: Date) {
  const next: Partial<Person> = {};
  if (edit.givenName !== undefined) next.given_name = edit.givenName.trim();
  if (edit.familyName !== undefined) next.family_name = edit.familyName.trim();
  if (edit.preferredName !== undefined) next.preferred_name = edit.preferredName?.trim() || null;
  if (edit.email !== undefined) next.email = edit.email?.trim() || null;
  if (edit.jobTitle !== undefined) next.job_title = edit.jobTitle?.trim() || null;
  if (edit.expiresAt !== undefined) next.expires_at = checkExpiry(person.kind, edit.expiresAt, now);
  if (next.given_name === '' || next.family_name === '') throw new AppError('validation_failed', 'Names cannot be empty');
  const changes = Object.entries(next)
    .filter(([k, v]) => person[k as keyof Person] !== v)
    .map(([field, after]) => ({ field, before: person[field as keyof Person], after }));
  if (changes.length) {
    await db
      .updateTable('people')
      .set({ ...Object.fromEntries(changes.map((c) => [c.field, c.after])), updated_at: now.toISOString() })
      .where('id', '=', person.id)
      .execute();
  }
  return changes;
}

const isDerived = (group: Group) => group.kind === 'key_stage' || group.kind === 'year_group';

export function codeFromName(name: string): string {
  return (
    name
      .trim()
      .toUpperCase()
      .replace(/[^A-Z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'GROUP'
  );
}

export async function createGroup(
  db: Kysely<DB>,
  input: { schoolId: string; kind: GroupKind; name: string; code?: string; subject?: string | null; yearGroup?: number | null },
  now: Date,
): Promise<Group> {
  const code = (input.code?.trim() || codeFromName(input.name)).slice(0, 40);
  const clash = await db
    .selectFrom('groups')
    .select('id')
    .where('school_id', '=', input.schoolId)
    .where('kind', '=', input.kind)
    .where('code', '=', code)
    .executeTakeFirst();
  if (clash) throw new AppError('conflict', `There is already a ${input.kind.replace('_', ' ')} with the code ${code}`);
  const group: Group = {
    id: newId(),
    school_id: input.schoolId,
    kind: input.kind,
    name: input.name.trim(),
    code,
    year_group: input.yearGroup ?? null,
    subject: input.subject?.trim() || null,
    status: 'active',
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
  };
  await db.insertInto('groups').values(group).execute();
  return group;
}

export interface MembershipChange {
  add: { personId: string; memberRole: (typeof MEMBER_ROLES)[number] }[];
  remove: string[];
}

/** Adds and removes members; every person must belong to the group's school. */
export async function changeMembers(db: Kysely<DB>, group: Group, change: MembershipChange): Promise<{ added: number; removed: number }> {
  if (isDerived(group)) {
    throw new AppError(
      'validation_failed',
      'Members of key stage and year groups come from each student’s year group and cannot be edited',
    );
  }
  if (group.status !== 'active') throw new AppError('validation_failed', 'This group is archived');
  const ids = [...new Set(change.add.map((a) => a.personId))];
  if (ids.length) {
    const found = await db.selectFrom('people').select('id').where('id', 'in', ids).where('school_id', '=', group.school_id).execute();
    const known = new Set(found.map((p) => p.id));
    const unknown = ids.filter((id) => !known.has(id));
    if (unknown.length) throw new AppError('validation_failed', `Unknown person: ${unknown.join(', ')}`);
  }
  if (change.remove.length) {
    await db.deleteFrom('group_members').where('group_id', '=', group.id).where('person_id', 'in', change.remove).execute();
  }
  for (const a of change.add) {
    await db.deleteFrom('group_members').where('group_id', '=', group.id).where('person_id', '=', a.personId).execute();
    await db.insertInto('group_members').values({ group_id: group.id, person_id: a.personId, member_role: a.memberRole }).execute();
  }
  return { added: change.add.length, removed: change.remove.length };
}

export async function archiveGroup(db: Kysely<DB>, group: Group, now: Date): Promise<void> {
  if (isDerived(group))
    throw new AppError('validation_failed', 'Key stage and year groups follow the school’s year groups and cannot be archived');
  await db.updateTable('groups').set({ status: 'archived', updated_at: now.toISOString() }).where('id', '=', group.id).execute();
}

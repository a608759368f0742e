import type { Kysely } from 'kysely';
import { newId } from '../../db/ids.js';
import type { DB } from '../../db/tables.js';
import { notFound } from '../../errors/errors.js';
import { ensureFilterPolicy } from './ensure.js';
import { personName } from './rows.js';
import { policyWrite, type WriteScope } from './write.js';

export interface AssignmentView {
  id: string;
  profileId: string;
  subjectKind: 'group' | 'person';
  subjectId: string;
  subjectName: string;
}

export async function listAssignments(db: Kysely<DB>, schoolId: string, now: Date): Promise<AssignmentView[]> {
  await ensureFilterPolicy(db, schoolId, () => now);
  const rows = await db
    .selectFrom('filter_profile_assignments as a')
    .leftJoin('groups', (j) => j.onRef('groups.id', '=', 'a.subject_id').on('a.subject_kind', '=', 'group'))
    .leftJoin('people', (j) => j.onRef('people.id', '=', 'a.subject_id').on('a.subject_kind', '=', 'person'))
    .select([
      'a.id',
      'a.profile_id',
      'a.subject_kind',
      'a.subject_id',
      'groups.name as group_name',
      'people.given_name',
      'people.preferred_name',
      'people.family_name',
    ])
    .where('a.school_id', '=', schoolId)
    .orderBy('a.created_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    profileId: r.profile_id,
    subjectKind: r.subject_kind,
    subjectId: r.subject_id,
    subjectName:
      r.subject_kind === 'group'
        ? (r.group_name ?? '(removed group)')
        : r.given_name !== null && r.family_name !== null
          ? personName({ given_name: r.given_name, preferred_name: r.preferred_name, family_name: r.family_name })
          : '(removed person)',
  }));
}

async function subjectName(db: Kysely<DB>, schoolId: string, kind: 'group' | 'person', id: string): Promise<string> {
  if (kind === 'group') {
    const g = await db.selectFrom('groups').select('name').where('id', '=', id).where('school_id', '=', schoolId).executeTakeFirst();
    if (!g) throw notFound('Group');
    return g.name;
  }
  const p = await db
    .selectFrom('people')
    .select(['given_name', 'preferred_name', 'family_name'])
    .where('id', '=', id)
    .where('school_id', '=', schoolId)
    .executeTakeFirst();
  if (!p) throw notFound('Person');
  return personName(p);
}

/**
 * Gives a group or a person an explicit profile (over the one from kind and year), or
 * removes it with `profileId: null`.
 */
export async function setAssignment(
  db: Kysely<DB>,
  scope: WriteScope,
  input: { subjectKind: 'group' | 'person'; subjectId: string; profileId: string | null; reason: string },
): Promise<AssignmentView | null> {
  return policyWrite(db, scope, input.reason, async (trx) => {
    const name = await subjectName(trx, scope.schoolId, input.subjectKind, input.subjectId);
    const existing = await trx
      .selectFrom('filter_profile_assignments')
      .selectAll()
      .where('school_id', '=', scope.schoolId)
      .where('subject_kind', '=', input.subjectKind)
      .where('subject_id', '=', input.subjectId)
      .executeTakeFirst();
    const profileName = async (id: string) => {
      const p = await trx
        .selectFrom('filter_profiles')
        .select('name')
        .where('id', '=', id)
        .where('school_id', '=', scope.schoolId)
        .executeTakeFirst();
      if (!p) throw notFound('Profile');
      return p.name;
    };
    const before = existing ? { profileId: existing.profile_id, profile: await profileName(existing.profile_id) } : null;
    if (existing) await trx.deleteFrom('filter_profile_assignments').where('id', '=', existing.id).execute();
    let view: AssignmentView | null = null;
    let after: unknown = null;
    if (input.profileId) {
      const profile = await profileName(input.profileId);
      const id = existing?.id ?? newId();
      await trx
        .insertInto('filter_profile_assignments')
        .values({
          id,
          school_id: scope.schoolId,
          profile_id: input.profileId,
          subject_kind: input.subjectKind,
          subject_id: input.subjectId,
          created_at: scope.now.toISOString(),
        })
        .execute();
      view = { id, profileId: input.profileId, subjectKind: input.subjectKind, subjectId: input.subjectId, subjectName: name };
      after = { profileId: input.profileId, profile };
    }
    const afterName = (after as { profile: string } | null)?.profile;
    return {
      result: view,
      entity: 'assignment',
      entityId: `${input.subjectKind}:${input.subjectId}`,
      change: !existing ? 'create' : view ? 'update' : 'delete',
      summary: afterName ? `${name} now uses the profile "${afterName}"` : `${name} no longer has an explicit profile`,
      before,
      after,
    };
  });
}

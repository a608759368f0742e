import type { Kysely } from 'kysely';
import { CATEGORY_IDS, LOCKED_CATEGORIES, type CategoryId } from '../categories.js';
import { newId } from '../../db/ids.js';
import type { DB } from '../../db/tables.js';
import { AppError, notFound } from '../../errors/errors.js';
import { WINDOW_KINDS, type Level, type MatrixCell, type WindowKind } from '../model.js';
import { closedMatrix, STUDENT_FREE_WINDOWS } from './defaults.js';
import { ensureFilterPolicy } from './ensure.js';
import { groupBy, matrixRow, profileOf } from './rows.js';
import { policyWrite, type WriteScope } from './write.js';

export interface ProfileView {
  id: string;
  key: string;
  name: string;
  defaultAction: 'allow' | 'block';
  position: number;
  version: number;
  matrix: Partial<Record<CategoryId, Required<MatrixCell>>>;
}

async function profileRows(db: Kysely<DB>, schoolId: string, profileId?: string): Promise<ProfileView[]> {
  let query = db.selectFrom('filter_profiles').selectAll().where('school_id', '=', schoolId);
  if (profileId) query = query.where('id', '=', profileId);
  const profiles = await query.orderBy('position').orderBy('key').execute();
  if (profiles.length === 0) return [];
  const cells = await db
    .selectFrom('filter_matrix')
    .selectAll()
    .where(
      'profile_id',
      'in',
      profiles.map((p) => p.id),
    )
    .execute();
  const byProfile = groupBy(cells, (c) => c.profile_id);
  return profiles.map((row) => {
    const p = profileOf(row, byProfile.get(row.id) ?? []);
    return {
      id: p.id,
      key: p.key,
      name: p.name,
      defaultAction: p.defaultAction,
      position: Number(row.position),
      version: p.version,
      matrix: p.matrix as ProfileView['matrix'],
    };
  });
}

export async function listProfiles(db: Kysely<DB>, schoolId: string, now: Date): Promise<ProfileView[]> {
  await ensureFilterPolicy(db, schoolId, () => now);
  return profileRows(db, schoolId);
}

export async function getProfile(db: Kysely<DB>, schoolId: string, profileId: string): Promise<ProfileView> {
  const [profile] = await profileRows(db, schoolId, profileId);
  if (!profile) throw notFound('Profile');
  return profile;
}

export async function createProfile(
  db: Kysely<DB>,
  scope: WriteScope,
  input: { key: string; name: string; defaultAction: 'allow' | 'block'; copyFromProfileId?: string; reason: string },
): Promise<ProfileView> {
  const id = await policyWrite(db, scope, input.reason, async (trx) => {
    const clash = await trx
      .selectFrom('filter_profiles')
      .select('id')
      .where('school_id', '=', scope.schoolId)
      .where('key', '=', input.key)
      .executeTakeFirst();
    if (clash) throw new AppError('conflict', `A profile with the key ${input.key} already exists`);
    let matrix: Partial<Record<CategoryId, MatrixCell>> = closedMatrix();
    if (input.copyFromProfileId) matrix = (await getProfile(trx, scope.schoolId, input.copyFromProfileId)).matrix;
    const last = await trx
      .selectFrom('filter_profiles')
      .select((eb) => eb.fn.max('position').as('p'))
      .where('school_id', '=', scope.schoolId)
      .executeTakeFirst();
    const id = newId();
    const at = scope.now.toISOString();
    await trx
      .insertInto('filter_profiles')
      .values({
        id,
        school_id: scope.schoolId,
        key: input.key,
        name: input.name,
        default_action: input.defaultAction,
        position: Number(last?.p ?? -1) + 1,
        version: 1,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await trx
      .insertInto('filter_matrix')
      .values(Object.entries(matrix).map(([category, cell]) => matrixRow(id, category, cell)))
      .execute();
    const after = await getProfile(trx, scope.schoolId, id);
    return {
      result: id,
      entity: 'profile',
      entityId: id,
      change: 'create',
      summary: `Created the profile "${input.name}"${input.copyFromProfileId ? ' as a copy' : ''}`,
      before: null,
      after,
    };
  });
  return getProfile(db, scope.schoolId, id);
}

export async function updateProfile(
  db: Kysely<DB>,
  scope: WriteScope,
  profileId: string,
  input: { name?: string; defaultAction?: 'allow' | 'block'; reason: string },
): Promise<ProfileView> {
  await policyWrite(db, scope, input.reason, async (trx) => {
    const before = await getProfile(trx, scope.schoolId, profileId);
    await trx
      .updateTable('filter_profiles')
      .set((eb) => ({
        name: input.name ?? before.name,
        default_action: input.defaultAction ?? before.defaultAction,
        version: eb('version', '+', 1),
        updated_at: scope.now.toISOString(),
      }))
      .where('id', '=', profileId)
      .execute();
    const after = await getProfile(trx, scope.schoolId, profileId);
    const { matrix: _b, ...b } = before;
    const { matrix: _a, ...a } = after;
    return {
      result: null,
      entity: 'profile',
      entityId: profileId,
      change: 'update',
      summary: `Changed the profile "${after.name}"`,
      before: b,
      after: a,
    };
  });
  return getProfile(db, scope.schoolId, profileId);
}

const LEVEL_WORDS: Record<Level, string> = {
  acceptable: 'acceptable',
  at_certain_times: 'acceptable at certain times',
  nominated_users: 'acceptable for nominated users',
  unacceptable: 'unacceptable',
  illegal: 'unacceptable and illegal',
};

/** One cell of a profile's User Actions matrix. The illegal-content rows cannot move. */
export async function setMatrixCell(
  db: Kysely<DB>,
  scope: WriteScope,
  profileId: string,
  category: CategoryId,
  input: {
    level: Level;
    windows?: WindowKind[];
    nominatedPersonIds?: string[];
    nominatedGroupIds?: string[];
    warn?: boolean;
    reason: string;
  },
): Promise<ProfileView> {
  if (!CATEGORY_IDS.includes(category)) throw new AppError('validation_failed', `Unknown category: ${category}`);
  if (LOCKED_CATEGORIES.includes(category) && input.level !== 'illegal') {
    throw new AppError('filter.locked', `${category} is always unacceptable and illegal; nobody can change that`);
  }
  const windows = input.windows ?? (input.level === 'at_certain_times' ? [...STUDENT_FREE_WINDOWS] : []);
  const unknownWindow = windows.find((w) => !WINDOW_KINDS.includes(w));
  if (unknownWindow) throw new AppError('validation_failed', `Unknown time window: ${unknownWindow}`);
  if (input.level === 'at_certain_times' && windows.length === 0) {
    throw new AppError('validation_failed', 'Say at which times the category is acceptable');
  }
  const cell: MatrixCell = {
    level: input.level,
    windows,
    nominatedPersonIds: [...new Set(input.nominatedPersonIds ?? [])],
    nominatedGroupIds: [...new Set(input.nominatedGroupIds ?? [])],
    warn: input.warn ?? false,
  };
  await policyWrite(db, scope, input.reason, async (trx) => {
    const profile = await getProfile(trx, scope.schoolId, profileId);
    await requireInSchool(trx, scope.schoolId, cell.nominatedPersonIds ?? [], cell.nominatedGroupIds ?? []);
    const before = profile.matrix[category] ?? null;
    await trx.deleteFrom('filter_matrix').where('profile_id', '=', profileId).where('category', '=', category).execute();
    await trx
      .insertInto('filter_matrix')
      .values(matrixRow(profileId, category, cell))
      .execute();
    await trx
      .updateTable('filter_profiles')
      .set((eb) => ({ version: eb('version', '+', 1), updated_at: scope.now.toISOString() }))
      .where('id', '=', profileId)
      .execute();
    const after = (await getProfile(trx, scope.schoolId, profileId)).matrix[category];
    return {
      result: null,
      entity: 'matrix',
      entityId: `${profileId}:${category}`,
      change: 'update',
      summary: `${profile.name}: ${category} is now ${LEVEL_WORDS[input.level]}${before ? ` (was ${LEVEL_WORDS[before.level]})` : ''}`,
      before,
      after,
    };
  });
  return getProfile(db, scope.schoolId, profileId);
}

/** Refuses ids that are not people or groups of this school. */
export async function requireInSchool(db: Kysely<DB>, schoolId: string, personIds: readonly string[], groupIds: readonly string[]) {
  if (personIds.length) {
    const found = await db.selectFrom('people').select('id').where('school_id', '=', schoolId).where('id', 'in', personIds).execute();
    if (found.length !== new Set(personIds).size) throw new AppError('validation_failed', 'Some of those people are not in this school');
  }
  if (groupIds.length) {
    const found = await db.selectFrom('groups').select('id').where('school_id', '=', schoolId).where('id', 'in', groupIds).execute();
    if (found.length !== new Set(groupIds).size) throw new AppError('validation_failed', 'Some of those groups are not in this school');
  }
}

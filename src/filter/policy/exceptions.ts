import type { Kysely } from 'kysely';
import { newId } from '../../db/ids.js';
import type { DB } from '../../db/tables.js';
import { AppError, notFound } from '../../errors/errors.js';
import type { CategoryId } from '../categories.js';
import { ensureFilterPolicy } from './ensure.js';
import { personName } from './rows.js';
import { normalisePattern, refuseLockedCategory, requireCategory, requireSpan } from './target.js';
import { policyWrite, type WriteScope } from './write.js';

/** The longest a temporary exception or unblock may last: about a school term. */
export const MAX_EXCEPTION_DAYS = 90;

export type ExceptionTarget = { kind: 'pattern'; pattern: string } | { kind: 'category'; category: string };
export type ExceptionSubject = { kind: 'school' | 'group' | 'person'; id?: string };

export interface ExceptionView {
  id: string;
  target: { kind: 'pattern'; pattern: string } | { kind: 'category'; category: string };
  appliesTo: { kind: 'school' | 'group' | 'person'; id: string | null; name: string | null };
  from: string;
  until: string;
  requestId: string | null;
  createdBy: string | null;
  createdAt: string;
  revokedAt: string | null;
  status: 'scheduled' | 'active' | 'expired' | 'revoked';
}

/**
 * A category a temporary exception may name: not a locked one, and not one any of the
 * school's profiles holds as "unacceptable and illegal".
 */
export async function exceptableCategory(db: Kysely<DB>, schoolId: string, value: string, what: string): Promise<CategoryId> {
  const category = requireCategory(value);
  refuseLockedCategory(category, what);
  const illegal = await db
    .selectFrom('filter_matrix')
    .innerJoin('filter_profiles', 'filter_profiles.id', 'filter_matrix.profile_id')
    .select('filter_profiles.name')
    .where('filter_profiles.school_id', '=', schoolId)
    .where('filter_matrix.category', '=', category)
    .where('filter_matrix.level', '=', 'illegal')
    .executeTakeFirst();
  if (illegal) {
    throw new AppError(
      'filter.locked',
      `${what} cannot allow ${category}: the policy holds it as unacceptable and illegal (${illegal.name})`,
    );
  }
  return category;
}

/** The stored target of an exception, normalised and checked. */
export async function exceptionTarget(db: Kysely<DB>, schoolId: string, target: ExceptionTarget, what: string) {
  return target.kind === 'pattern'
    ? { kind: 'pattern' as const, value: normalisePattern(target.pattern) }
    : { kind: 'category' as const, value: await exceptableCategory(db, schoolId, target.category, what) };
}

const viewOf = (
  r: {
    id: string;
    target_kind: 'pattern' | 'category';
    target: string;
    applies_kind: 'school' | 'group' | 'person';
    applies_id: string | null;
    from_at: string;
    until_at: string;
    request_id: string | null;
    created_by: string | null;
    created_at: string;
    revoked_at: string | null;
  },
  now: string,
): ExceptionView => ({
  id: r.id,
  target: r.target_kind === 'category' ? { kind: 'category', category: r.target } : { kind: 'pattern', pattern: r.target },
  appliesTo: { kind: r.applies_kind, id: r.applies_id, name: null },
  from: r.from_at,
  until: r.until_at,
  requestId: r.request_id,
  createdBy: r.created_by,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
  status: r.revoked_at ? 'revoked' : r.until_at <= now ? 'expired' : r.from_at > now ? 'scheduled' : 'active',
});

/** Names the group or person each exception applies to, in two queries for any number of rows. */
async function withNames(db: Kysely<DB>, views: ExceptionView[]): Promise<ExceptionView[]> {
  const ids = (kind: 'group' | 'person') => [...new Set(views.filter((v) => v.appliesTo.kind === kind).map((v) => v.appliesTo.id ?? ''))];
  const [groups, people] = await Promise.all([
    ids('group').length ? db.selectFrom('groups').select(['id', 'name']).where('id', 'in', ids('group')).execute() : [],
    ids('person').length
      ? db.selectFrom('people').select(['id', 'given_name', 'preferred_name', 'family_name']).where('id', 'in', ids('person')).execute()
      : [],
  ]);
  const names = new Map<string, string>([
    ...groups.map((g) => [g.id, g.name] as const),
    ...people.map((p) => [p.id, personName(p)] as const),
  ]);
  return views.map((v) => ({
    ...v,
    appliesTo: { ...v.appliesTo, name: v.appliesTo.kind === 'school' ? 'Whole school' : (names.get(v.appliesTo.id ?? '') ?? null) },
  }));
}

export async function listExceptions(db: Kysely<DB>, schoolId: string, now: Date): Promise<ExceptionView[]> {
  await ensureFilterPolicy(db, schoolId, () => now);
  const rows = await db
    .selectFrom('filter_exceptions')
    .selectAll()
    .where('school_id', '=', schoolId)
    .orderBy('created_at', 'desc')
    .limit(1000)
    .execute();
  return withNames(
    db,
    rows.map((r) => viewOf(r, now.toISOString())),
  );
}

export async function getException(db: Kysely<DB>, schoolId: string, id: string, now: Date): Promise<ExceptionView> {
  const row = await db
    .selectFrom('filter_exceptions')
    .selectAll()
    .where('id', '=', id)
    .where('school_id', '=', schoolId)
    .executeTakeFirst();
  if (!row) throw notFound('Exception');
  const [view] = await withNames(db, [viewOf(row, now.toISOString())]);
  return view!;
}

async function subjectId(db: Kysely<DB>, schoolId: string, subject: ExceptionSubject): Promise<string | null> {
  if (subject.kind === 'school') return null;
  if (!subject.id) throw new AppError('validation_failed', `Say which ${subject.kind} the exception is for`);
  const table = subject.kind === 'group' ? 'groups' : 'people';
  const row = await db.selectFrom(table).select('id').where('id', '=', subject.id).where('school_id', '=', schoolId).executeTakeFirst();
  if (!row) throw notFound(subject.kind === 'group' ? 'Group' : 'Person');
  return subject.id;
}

/** Inserts an exception row; used directly and by an approved unblock request. */
export async function insertException(
  db: Kysely<DB>,
  scope: WriteScope,
  e: {
    targetKind: 'pattern' | 'category';
    target: string;
    appliesKind: 'school' | 'group' | 'person';
    appliesId: string | null;
    from: Date;
    until: Date;
    requestId: string | null;
  },
): Promise<string> {
  const id = newId();
  await db
    .insertInto('filter_exceptions')
    .values({
      id,
      school_id: scope.schoolId,
      target_kind: e.targetKind,
      target: e.target,
      applies_kind: e.appliesKind,
      applies_id: e.appliesId,
      from_at: e.from.toISOString(),
      until_at: e.until.toISOString(),
      request_id: e.requestId,
      created_by: scope.actor.name,
      created_at: scope.now.toISOString(),
      revoked_at: null,
    })
    .execute();
  return id;
}

export async function createException(
  db: Kysely<DB>,
  scope: WriteScope,
  input: { target: ExceptionTarget; appliesTo: ExceptionSubject; from: string; until: string; reason: string },
): Promise<ExceptionView> {
  const span = requireSpan(input.from, input.until, MAX_EXCEPTION_DAYS);
  const id = await policyWrite(db, scope, input.reason, async (trx) => {
    const target = await exceptionTarget(trx, scope.schoolId, input.target, 'An exception');
    const appliesId = await subjectId(trx, scope.schoolId, input.appliesTo);
    const id = await insertException(trx, scope, {
      targetKind: target.kind,
      target: target.value,
      appliesKind: input.appliesTo.kind,
      appliesId,
      ...span,
      requestId: null,
    });
    const after = await getException(trx, scope.schoolId, id, scope.now);
    return {
      result: id,
      entity: 'exception',
      entityId: id,
      change: 'create',
      summary: `Allowed ${target.value} for the ${input.appliesTo.kind} until ${span.until.toISOString()}`,
      before: null,
      after,
    };
  });
  return getException(db, scope.schoolId, id, scope.now);
}

export async function revokeException(db: Kysely<DB>, scope: WriteScope, id: string, reason: string): Promise<ExceptionView> {
  await policyWrite(db, scope, reason, async (trx) => {
    const before = await getException(trx, scope.schoolId, id, scope.now);
    if (before.revokedAt) throw new AppError('conflict', 'That exception was already revoked');
    await trx.updateTable('filter_exceptions').set({ revoked_at: scope.now.toISOString() }).where('id', '=', id).execute();
    const after = await getException(trx, scope.schoolId, id, scope.now);
    const what = before.target.kind === 'pattern' ? before.target.pattern : before.target.category;
    return {
      result: null,
      entity: 'exception',
      entityId: id,
      change: 'revoke',
      summary: `Revoked the exception for ${what}`,
      before,
      after,
    };
  });
  return getException(db, scope.schoolId, id, scope.now);
}

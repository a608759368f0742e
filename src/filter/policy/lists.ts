import type { Kysely } from 'kysely';
import { newId } from '../../db/ids.js';
import type { DB } from '../../db/tables.js';
import { AppError, notFound } from '../../errors/errors.js';
import type { CategoryId } from '../categories.js';
import { ensureFilterPolicy } from './ensure.js';
import { personName } from './rows.js';
import { normalisePattern, refuseLockedCategory, requireCategory } from './target.js';
import { policyWrite, type WriteScope } from './write.js';

export type ListScope = 'trust' | 'school' | 'group' | 'person';

export interface ListEntryView {
  id: string;
  scope: ListScope;
  scopeId: string;
  scopeName: string;
  pattern: string;
  action: 'allow' | 'block';
  category: string | null;
  note: string | null;
  createdAt: string;
  createdBy: string | null;
}

/** The school's local entries and its trust's, optionally narrowed to one scope. */
export async function listEntries(
  db: Kysely<DB>,
  school: { schoolId: string; trustId: string },
  filter: { scope?: ListScope; scopeId?: string },
  now: Date,
): Promise<ListEntryView[]> {
  await ensureFilterPolicy(db, school.schoolId, () => now);
  let query = db
    .selectFrom('filter_list_entries as e')
    .leftJoin('groups', (j) => j.onRef('groups.id', '=', 'e.scope_id').on('e.scope', '=', 'group'))
    .leftJoin('people', (j) => j.onRef('people.id', '=', 'e.scope_id').on('e.scope', '=', 'person'))
    .leftJoin('schools', (j) => j.onRef('schools.id', '=', 'e.scope_id').on('e.scope', '=', 'school'))
    .leftJoin('trusts', (j) => j.onRef('trusts.id', '=', 'e.scope_id').on('e.scope', '=', 'trust'))
    .selectAll('e')
    .select([
      'groups.name as group_name',
      'schools.name as school_name',
      'trusts.name as trust_name',
      'people.given_name',
      'people.preferred_name',
      'people.family_name',
    ])
    .where('e.trust_id', '=', school.trustId)
    .where((eb) => eb.or([eb('e.school_id', '=', school.schoolId), eb('e.school_id', 'is', null)]));
  if (filter.scope) query = query.where('e.scope', '=', filter.scope);
  if (filter.scopeId) query = query.where('e.scope_id', '=', filter.scopeId);
  const rows = await query.orderBy('e.scope').orderBy('e.pattern').execute();
  return rows.map((r) => ({
    id: r.id,
    scope: r.scope,
    scopeId: r.scope_id,
    scopeName:
      r.scope === 'group'
        ? (r.group_name ?? '')
        : r.scope === 'person'
          ? r.given_name !== null && r.family_name !== null
            ? personName({ given_name: r.given_name, preferred_name: r.preferred_name, family_name: r.family_name })
            : ''
          : r.scope === 'school'
            ? (r.school_name ?? '')
            : (r.trust_name ?? ''),
    pattern: r.pattern,
    action: r.action,
    category: r.category,
    note: r.note,
    createdAt: r.created_at,
    createdBy: r.created_by,
  }));
}

async function scopeIdFor(db: Kysely<DB>, scope: WriteScope, kind: ListScope, scopeId: string | undefined): Promise<string> {
  if (kind === 'trust') return scope.trustId;
  if (kind === 'school') return scope.schoolId;
  if (!scopeId) throw new AppError('validation_failed', `Say which ${kind} the entry is for (scopeId)`);
  const table = kind === 'group' ? 'groups' : 'people';
  const row = await db.selectFrom(table).select('id').where('id', '=', scopeId).where('school_id', '=', scope.schoolId).executeTakeFirst();
  if (!row) throw notFound(kind === 'group' ? 'Group' : 'Person');
  return scopeId;
}

const schoolsOfTrust = async (db: Kysely<DB>, trustId: string): Promise<string[]> =>
  (await db.selectFrom('schools').select('id').where('trust_id', '=', trustId).execute()).map((s) => s.id);

/**
 * Adds a local allow or block entry. Callers check that only a trust administrator adds a
 * trust-wide entry. An allow entry can never name a locked category.
 */
export async function addListEntry(
  db: Kysely<DB>,
  scope: WriteScope,
  input: {
    scope: ListScope;
    scopeId?: string;
    pattern: string;
    action: 'allow' | 'block';
    category?: string;
    note?: string;
    reason: string;
  },
): Promise<ListEntryView> {
  const pattern = normalisePattern(input.pattern);
  let category: CategoryId | null = null;
  if (input.category) {
    category = requireCategory(input.category);
    if (input.action === 'allow') refuseLockedCategory(category, 'An allow entry');
  }
  const id = await policyWrite(db, scope, input.reason, async (trx) => {
    const scopeId = await scopeIdFor(trx, scope, input.scope, input.scopeId);
    const clash = await trx
      .selectFrom('filter_list_entries')
      .select('id')
      .where('scope', '=', input.scope)
      .where('scope_id', '=', scopeId)
      .where('pattern', '=', pattern)
      .executeTakeFirst();
    if (clash) throw new AppError('conflict', `${pattern} is already on that list; remove it first to change it`);
    const row = {
      id: newId(),
      trust_id: scope.trustId,
      school_id: input.scope === 'trust' ? null : scope.schoolId,
      scope: input.scope,
      scope_id: scopeId,
      pattern,
      action: input.action,
      category,
      note: input.note?.trim() || null,
      created_by: scope.actor.name,
      created_at: scope.now.toISOString(),
    };
    await trx.insertInto('filter_list_entries').values(row).execute();
    const trustWide = input.scope === 'trust';
    return {
      result: row.id,
      entity: 'list_entry',
      entityId: row.id,
      change: 'create',
      summary: `${input.action === 'allow' ? 'Allowed' : 'Blocked'} ${pattern} for the ${input.scope}`,
      before: null,
      after: entrySnapshot(row),
      trustWide,
      schoolIds: trustWide ? await schoolsOfTrust(trx, scope.trustId) : undefined,
    };
  });
  const [view] = (await listEntries(db, scope, {}, scope.now)).filter((e) => e.id === id);
  return view!;
}

const entrySnapshot = (r: {
  scope: string;
  scope_id: string;
  pattern: string;
  action: string;
  category: string | null;
  note: string | null;
}) => ({
  scope: r.scope,
  scopeId: r.scope_id,
  pattern: r.pattern,
  action: r.action,
  category: r.category,
  note: r.note,
});

export async function deleteListEntry(db: Kysely<DB>, scope: WriteScope, id: string, reason: string): Promise<{ scope: ListScope }> {
  return policyWrite(db, scope, reason, async (trx) => {
    const row = await trx
      .selectFrom('filter_list_entries')
      .selectAll()
      .where('id', '=', id)
      .where('trust_id', '=', scope.trustId)
      .where((eb) => eb.or([eb('school_id', '=', scope.schoolId), eb('school_id', 'is', null)]))
      .executeTakeFirst();
    if (!row) throw notFound('List entry');
    await trx.deleteFrom('filter_list_entries').where('id', '=', id).execute();
    const trustWide = row.scope === 'trust';
    return {
      result: { scope: row.scope },
      entity: 'list_entry',
      entityId: id,
      change: 'delete',
      summary: `Removed ${row.pattern} from the ${row.scope} ${row.action} list`,
      before: entrySnapshot(row),
      after: null,
      trustWide,
      schoolIds: trustWide ? await schoolsOfTrust(trx, scope.trustId) : undefined,
    };
  });
}

/** The scope of an entry, so a route can check who may remove it before removing it. */
export async function listEntryScope(db: Kysely<DB>, id: string): Promise<ListScope | null> {
  const row = await db.selectFrom('filter_list_entries').select('scope').where('id', '=', id).executeTakeFirst();
  return row?.scope ?? null;
}

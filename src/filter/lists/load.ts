import type { Kysely } from 'kysely';
import type { DB } from '../../db/tables.js';
import { type CategoryId, isCategoryId, LOCKED_CATEGORIES } from '../categories.js';
import type { CategoryList, LockedList } from '../model.js';
import { decodeEntries } from './codec.js';

/**
 * A value that changes whenever any list row is written or removed: the row count, the entry
 * totals and the newest write time (which every write moves forward, see nextUpdatedAt). One
 * aggregate query over small columns, so the runtime can poll it every second.
 *
 * @example
 *   if ((await listsStamp(db)) !== compiledStamp) recompile(await loadLists(db));
 */
export async function listsStamp(db: Kysely<DB>): Promise<string> {
  const row = await db
    .selectFrom('filter_category_lists')
    .select((eb) => [
      eb.fn.countAll<number>().as('rows'),
      eb.fn.sum<number>('domain_count').as('domains'),
      eb.fn.sum<number>('url_count').as('urls'),
      eb.fn.max('updated_at').as('latest'),
    ])
    .executeTakeFirst();
  return `${Number(row?.rows ?? 0)}:${Number(row?.domains ?? 0)}:${Number(row?.urls ?? 0)}:${row?.latest ?? '-'}`;
}

/**
 * Every list in force, for the engine to compile: category lists with all sources of a
 * category merged, and the locked lists one per source. The stamp is read first, so if a write
 * lands in between, the next poll sees a new stamp and the engine compiles again.
 */
export async function loadLists(db: Kysely<DB>): Promise<{ categories: CategoryList[]; locked: LockedList[]; stamp: string }> {
  const stamp = await listsStamp(db);
  const rows = await db
    .selectFrom('filter_category_lists')
    .select(['source', 'category', 'locked', 'format', 'domains_gz', 'urls_gz'])
    .orderBy('source')
    .orderBy('category')
    .execute();
  const parts = new Map<CategoryId, { domains: string[][]; urls: string[][] }>();
  const locked: LockedList[] = [];
  for (const row of rows) {
    if (!isCategoryId(row.category)) continue;
    const isLockedRow = Number(row.locked) === 1;
    const lockedCategory = LOCKED_CATEGORIES.includes(row.category);
    if (isLockedRow && lockedCategory) {
      const entries = [...decodeEntries(row.domains_gz), ...decodeEntries(row.urls_gz)];
      locked.push({
        category: row.category as LockedList['category'],
        source: row.source,
        plain: row.format === 'plain' ? entries : [],
        sha256: row.format === 'sha256' ? entries : [],
      });
      continue;
    }
    // An unlocked row can never feed a locked category, nor a locked row an ordinary one.
    if (isLockedRow || lockedCategory) continue;
    const target = parts.get(row.category) ?? { domains: [], urls: [] };
    target.domains.push(decodeEntries(row.domains_gz));
    target.urls.push(decodeEntries(row.urls_gz));
    parts.set(row.category, target);
  }
  const categories = [...parts].map(([category, p]) => ({ category, domains: union(p.domains), urls: union(p.urls) }));
  return { categories, locked, stamp };
}

/** One source's entries as they are (already unique); several sources merged without repeats. */
const union = (lists: string[][]): string[] => (lists.length === 1 ? lists[0]! : [...new Set(lists.flat())]);

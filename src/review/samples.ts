import { createGunzip } from 'node:zlib';
import type { Kysely } from 'kysely';
import type { DB } from '../db/tables.js';
import type { CategoryId } from '../filter/categories.js';
import { type CompiledLists, categoriesOf } from '../filter/engine/index.js';

/** How many sorted entries of each source are read when choosing samples: enough to find some in one category only. */
const SCAN = 200;

/**
 * The first `count` entries of a stored list (gzip, base64, sorted, one a line), decompressing
 * only as far as needed: a category list can hold millions of entries and a review needs two.
 */
function firstEntries(stored: string, count: number): Promise<string[]> {
  if (!stored) return Promise.resolve([]);
  return new Promise((resolve, reject) => {
    const gunzip = createGunzip();
    gunzip.setEncoding('utf8');
    let text = '';
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      gunzip.destroy();
      resolve(text.split('\n').filter(Boolean).slice(0, count));
    };
    gunzip.on('data', (chunk: string) => {
      text += chunk;
      if (text.split('\n', count + 1).length > count) finish();
    });
    gunzip.on('end', finish);
    gunzip.on('error', (error) => {
      if (!settled) reject(error);
    });
    gunzip.end(Buffer.from(stored, 'base64'));
  });
}

/**
 * Test targets for an ordinary category: the first entries by name of the category's lists in
 * force, preferring sites listed in this category only, so the result speaks of this category
 * and not of another the site is also in. Deterministic: the same lists give the same targets.
 * Empty when no list of the category is loaded.
 */
export async function sampleTargets(db: Kysely<DB>, lists: CompiledLists, category: CategoryId, count: number): Promise<string[]> {
  const rows = await db
    .selectFrom('filter_category_lists')
    .select(['domains_gz', 'urls_gz'])
    .where('category', '=', category)
    .where('locked', '=', 0)
    .orderBy('source')
    .execute();
  const found = new Set<string>();
  for (const row of rows) {
    const domains = await firstEntries(row.domains_gz, SCAN);
    for (const entry of domains.length > 0 ? domains : await firstEntries(row.urls_gz, SCAN)) found.add(entry);
  }
  const sorted = [...found].sort();
  const only = sorted.filter((entry) => {
    const cats = categoriesOf(lists, entry, entry.includes('/') ? entry : null);
    return cats.length === 1 && cats[0] === category;
  });
  return [...only, ...sorted.filter((e) => !only.includes(e))].slice(0, count);
}

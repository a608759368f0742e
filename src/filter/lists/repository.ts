import type { Kysely, Transaction } from 'kysely';
import { newId } from '../../db/ids.js';
import type { DB } from '../../db/tables.js';
import { encodeEntries, listDigest } from './codec.js';

/** Rows of filter_category_lists, read and written only through these functions. */

export type Db = Kysely<DB> | Transaction<DB>;

export interface ListRowSummary {
  source: string;
  category: string;
  locked: boolean;
  format: 'plain' | 'sha256';
  domainCount: number;
  urlCount: number;
  sha256: string;
  updatedAt: string;
}

export async function listRowSummaries(db: Db, source?: string): Promise<ListRowSummary[]> {
  let query = db
    .selectFrom('filter_category_lists')
    .select(['source', 'category', 'locked', 'format', 'domain_count', 'url_count', 'sha256', 'updated_at']);
  if (source) query = query.where('source', '=', source);
  const rows = await query.orderBy('source').orderBy('category').execute();
  return rows.map((r) => ({
    source: r.source,
    category: r.category,
    locked: Number(r.locked) === 1,
    format: r.format,
    domainCount: Number(r.domain_count),
    urlCount: Number(r.url_count),
    sha256: r.sha256,
    updatedAt: r.updated_at,
  }));
}

export async function listRowEntries(db: Db, source: string, category: string) {
  return db
    .selectFrom('filter_category_lists')
    .select(['domains_gz', 'urls_gz'])
    .where('source', '=', source)
    .where('category', '=', category)
    .executeTakeFirst();
}

/**
 * A time for the rows written now that is later than every stored one, so the stamp the
 * runtime polls (which includes the newest time) changes with every write, even when two writes
 * fall in the same millisecond or the clock stepped back.
 */
export async function nextUpdatedAt(db: Db, now: Date): Promise<string> {
  const row = await db
    .selectFrom('filter_category_lists')
    .select((eb) => eb.fn.max('updated_at').as('latest'))
    .executeTakeFirst();
  const latest = row?.latest ? Date.parse(row.latest) : Number.NEGATIVE_INFINITY;
  return new Date(Math.max(now.getTime(), latest + 1)).toISOString();
}

/** A list ready to store: compressed, counted and digested. */
export interface EncodedList {
  domainsGz: string;
  urlsGz: string;
  domainCount: number;
  urlCount: number;
  sha256: string;
}

/** Encodes sorted, de-duplicated entries; the caller can then drop the arrays. */
export function encodeList(domains: readonly string[], urls: readonly string[], sha256 = listDigest(domains, urls)): EncodedList {
  return { domainsGz: encodeEntries(domains), urlsGz: encodeEntries(urls), domainCount: domains.length, urlCount: urls.length, sha256 };
}

export interface ListRowWrite {
  source: string;
  category: string;
  locked: boolean;
  format: 'plain' | 'sha256';
  list: EncodedList;
  importId: string;
  updatedAt: string;
}

/** Replaces the (source, category) row. Call inside the transaction that also logs the change. */
export async function writeListRow(db: Db, row: ListRowWrite): Promise<void> {
  await db.deleteFrom('filter_category_lists').where('source', '=', row.source).where('category', '=', row.category).execute();
  await db
    .insertInto('filter_category_lists')
    .values({
      source: row.source,
      category: row.category,
      locked: row.locked ? 1 : 0,
      format: row.format,
      domain_count: row.list.domainCount,
      url_count: row.list.urlCount,
      domains_gz: row.list.domainsGz,
      urls_gz: row.list.urlsGz,
      sha256: row.list.sha256,
      import_id: row.importId,
      updated_at: row.updatedAt,
    })
    .execute();
}

export async function startImportRecord(db: Db, source: string, origin: string, startedBy: string | null, at: Date): Promise<string> {
  const id = newId();
  await db
    .insertInto('filter_list_imports')
    .values({
      id,
      source,
      origin,
      started_at: at.toISOString(),
      status: 'running',
      started_by: startedBy,
      finished_at: null,
      report: null,
      error: null,
    })
    .execute();
  return id;
}

export async function finishImportRecord(
  db: Db,
  id: string,
  outcome: { status: 'applied' | 'unchanged' | 'rejected' | 'failed'; report: unknown; error: string | null; at: Date },
): Promise<void> {
  await db
    .updateTable('filter_list_imports')
    .set({ status: outcome.status, report: JSON.stringify(outcome.report), error: outcome.error, finished_at: outcome.at.toISOString() })
    .where('id', '=', id)
    .execute();
}

export async function trustIds(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('trusts').select('id').orderBy('id').execute();
  return rows.map((r) => r.id);
}

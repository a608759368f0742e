import type { Kysely } from 'kysely';
import type { DB } from '../../db/tables.js';
import { CATEGORIES, type CategoryId, LOCKED_CATEGORIES } from '../categories.js';
import { listRowSummaries } from './repository.js';

export interface CategoryListStatus {
  category: CategoryId;
  label: string;
  locked: boolean;
  domains: number;
  urls: number;
  sources: string[];
  /** When the category's newest row was written; null when no list feeds it. */
  updatedAt: string | null;
}

export interface ListImportRecord {
  id: string;
  source: string;
  origin: string;
  startedAt: string;
  finishedAt: string | null;
  status: 'running' | 'applied' | 'rejected' | 'failed' | 'unchanged';
  error: string | null;
  startedBy: string | null;
  report: unknown;
}

export interface ListStatus {
  categories: CategoryListStatus[];
  /** The newest UT1 import, whatever its outcome, with its report. */
  lastImport: ListImportRecord | null;
}

type ImportRow = DB['filter_list_imports'];

const toRecord = (r: ImportRow): ListImportRecord => ({
  id: r.id,
  source: r.source,
  origin: r.origin,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  status: r.status,
  error: r.error,
  startedBy: r.started_by,
  report: r.report ? JSON.parse(r.report) : null,
});

/** Newest first; `source` narrows to `ut1` or one `locked:*` list. */
export async function listImports(db: Kysely<DB>, options: { source?: string; limit?: number } = {}): Promise<ListImportRecord[]> {
  let query = db.selectFrom('filter_list_imports').selectAll();
  if (options.source) query = query.where('source', '=', options.source);
  const rows = await query
    .orderBy('started_at', 'desc')
    .orderBy('finished_at', 'desc')
    .limit(options.limit ?? 50)
    .execute();
  return rows.map(toRecord);
}

/** Per Tutela category: entry counts, the sources feeding it and when it last changed; and the last UT1 import. */
export async function listStatus(db: Kysely<DB>): Promise<ListStatus> {
  const rows = await listRowSummaries(db);
  const categories = CATEGORIES.map(({ id, label }): CategoryListStatus => {
    const own = rows.filter((r) => r.category === id);
    return {
      category: id,
      label,
      locked: LOCKED_CATEGORIES.includes(id),
      domains: own.reduce((n, r) => n + r.domainCount, 0),
      urls: own.reduce((n, r) => n + r.urlCount, 0),
      sources: own.map((r) => r.source),
      updatedAt: own.reduce<string | null>((latest, r) => (latest && latest > r.updatedAt ? latest : r.updatedAt), null),
    };
  });
  const [lastImport] = await listImports(db, { source: 'ut1', limit: 1 });
  return { categories, lastImport: lastImport ?? null };
}

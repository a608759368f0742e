import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CategoryId } from '../categories.js';
import { recordFilterChange, requireReason } from '../change-log.js';
import type { AppContext } from '../../server/context.js';
import { decodeEntries, listDigest } from './codec.js';
import { diffEntries, shrinkPercent } from './diff.js';
import { DEFAULT_DOWNLOAD_LIMITS, type DownloadLimits, downloadToFile, isHttpUrl, ListSourceError, redactUrl } from './download.js';
import { DEFAULT_EXTRACT_LIMITS, type ExtractLimits, extractTarball } from './extract.js';
import { serialised } from './lock.js';
import {
  type EncodedList,
  encodeList,
  finishImportRecord,
  listRowEntries,
  listRowSummaries,
  nextUpdatedAt,
  startImportRecord,
  trustIds,
  writeListRow,
} from './repository.js';
import { readCategory, type SkippedLines, scanUt1Tree } from './ut1-tree.js';

/** The source name of UT1 rows in filter_category_lists. Locked lists use `locked:*`, never this. */
export const UT1_SOURCE = 'ut1';

export type ImportStatus = 'applied' | 'unchanged' | 'rejected' | 'failed';

export interface CategoryImportReport {
  category: CategoryId;
  /** The UT1 folders merged into this category. */
  folders: string[];
  before: { domains: number; urls: number };
  after: { domains: number; urls: number };
  added: number;
  removed: number;
  addedExamples: string[];
  removedExamples: string[];
  shrinkPercent: number;
  skipped: SkippedLines;
}

export interface ListImportReport {
  id: string;
  source: typeof UT1_SOURCE;
  /** The directory or URL read (a URL without user info). */
  origin: string;
  status: ImportStatus;
  /** Why the import was refused or failed; null otherwise. */
  error: string | null;
  startedAt: string;
  finishedAt: string;
  categories: CategoryImportReport[];
  totals: { before: number; after: number; added: number; removed: number; shrinkPercent: number };
  ignoredFolders: string[];
  unknownFolders: string[];
  links: string[];
  brokenLinks: string[];
}

export interface ImportOptions {
  /** A UT1 directory, or an http(s) URL of a .tar.gz. */
  source: string;
  actor: { accountId: string | null; name: string } | null;
  reason?: string;
  download?: DownloadLimits;
  extract?: ExtractLimits;
}

const SCHEDULED_REASON = 'scheduled list update';
const SYSTEM_ACTOR = { accountId: null, name: 'Tutela list schedule' };

interface PreparedCategory {
  report: CategoryImportReport;
  /** The new list, encoded, for a changed category; null when it is unchanged or now empty. */
  list: EncodedList | null;
  /** The digest of the list in force when it was read; null when there was none. */
  beforeSha: string | null;
  changed: boolean;
}

/**
 * Imports UT1 lists and replaces every UT1 category in one transaction, or changes nothing.
 * Never throws for a bad source: a failed download, a corrupt or unsafe archive, no known
 * category or a suspicious shrink comes back as a `rejected` report, kept in the import history.
 *
 * @example
 *   const report = await importUt1(ctx, { source: 'https://…/blacklists.tar.gz', actor: null });
 *   if (report.status === 'rejected') log.warn(report.error);
 */
export async function importUt1(ctx: AppContext, opts: ImportOptions): Promise<ListImportReport> {
  const reason = requireReason(opts.reason ?? SCHEDULED_REASON);
  return serialised(ctx.db, () => runImport(ctx, opts, reason));
}

async function runImport(ctx: AppContext, opts: ImportOptions, reason: string): Promise<ListImportReport> {
  const started = ctx.clock();
  const origin = isHttpUrl(opts.source) ? redactUrl(opts.source) : path.resolve(opts.source);
  const id = await startImportRecord(ctx.db, UT1_SOURCE, origin, opts.actor?.accountId ?? null, started);
  const report: ListImportReport = {
    id,
    source: UT1_SOURCE,
    origin,
    status: 'failed',
    error: null,
    startedAt: started.toISOString(),
    finishedAt: started.toISOString(),
    categories: [],
    totals: { before: 0, after: 0, added: 0, removed: 0, shrinkPercent: 0 },
    ignoredFolders: [],
    unknownFolders: [],
    links: [],
    brokenLinks: [],
  };
  let workDir: string | null = null;
  try {
    let dir = opts.source;
    if (isHttpUrl(opts.source)) {
      workDir = await mkdtemp(path.join(tmpdir(), 'tutela-lists-'));
      const archive = path.join(workDir, 'lists.tar.gz');
      await downloadToFile(opts.source, archive, opts.download ?? DEFAULT_DOWNLOAD_LIMITS);
      dir = path.join(workDir, 'tree');
      await mkdir(dir);
      await extractTarball(archive, dir, opts.extract ?? DEFAULT_EXTRACT_LIMITS);
    } else if (!(await stat(dir).catch(() => null))?.isDirectory()) {
      throw new ListSourceError(`${origin} is not a folder`);
    }
    const prepared = await prepare(ctx, dir, report);
    await decide(ctx, report, prepared);
    if (report.status === 'applied') await apply(ctx, report, prepared, opts.actor ?? SYSTEM_ACTOR, reason);
  } catch (error) {
    report.status = error instanceof ListSourceError ? 'rejected' : 'failed';
    report.error = (error as Error).message;
  } finally {
    if (workDir) await rm(workDir, { recursive: true, force: true }).catch(() => {});
  }
  report.finishedAt = ctx.clock().toISOString();
  if (report.status !== 'applied') {
    await finishImportRecord(ctx.db, id, { status: report.status, report, error: report.error, at: ctx.clock() });
  }
  return report;
}

/** Reads every mapped category and compares it with the list in force. */
async function prepare(ctx: AppContext, dir: string, report: ListImportReport): Promise<PreparedCategory[]> {
  const tree = await scanUt1Tree(dir);
  Object.assign(report, { ignoredFolders: tree.ignored, unknownFolders: tree.unknown, links: tree.links, brokenLinks: tree.brokenLinks });
  if (tree.groups.size === 0) throw new ListSourceError('no known UT1 category was found in the source');
  const inForce = new Map((await listRowSummaries(ctx.db, UT1_SOURCE)).map((r) => [r.category, r]));
  const categories = [...new Set<string>([...tree.groups.keys(), ...inForce.keys()])].sort() as CategoryId[];
  const prepared: PreparedCategory[] = [];
  for (const category of categories) {
    const read = await readCategory(tree, category);
    const { domains, urls } = read;
    const current = inForce.get(category);
    const digest = listDigest(domains, urls);
    // An unchanged category needs no diff: skip decoding what may be millions of entries.
    const same = current?.sha256 === digest;
    const stored = current && !same ? await listRowEntries(ctx.db, UT1_SOURCE, category) : undefined;
    const beforeDomains = same ? domains : stored ? decodeEntries(stored.domains_gz) : [];
    const beforeUrls = same ? urls : stored ? decodeEntries(stored.urls_gz) : [];
    const d = diffEntries(beforeDomains, domains);
    const u = diffEntries(beforeUrls, urls);
    const before = beforeDomains.length + beforeUrls.length;
    prepared.push({
      list: same || domains.length + urls.length === 0 ? null : encodeList(domains, urls, digest),
      beforeSha: current?.sha256 ?? null,
      changed: !same,
      report: {
        category,
        folders: tree.groups.get(category) ?? [],
        before: { domains: beforeDomains.length, urls: beforeUrls.length },
        after: { domains: domains.length, urls: urls.length },
        added: d.added + u.added,
        removed: d.removed + u.removed,
        addedExamples: [...d.addedExamples, ...u.addedExamples].slice(0, 20),
        removedExamples: [...d.removedExamples, ...u.removedExamples].slice(0, 20),
        shrinkPercent: shrinkPercent(before, domains.length + urls.length),
        skipped: read.skipped,
      },
    });
  }
  return prepared;
}

/** Sets the status: unchanged, applied, or rejected for a suspicious shrink. */
async function decide(ctx: AppContext, report: ListImportReport, prepared: PreparedCategory[]) {
  report.categories = prepared.map((p) => p.report);
  const t = report.totals;
  for (const c of report.categories) {
    t.before += c.before.domains + c.before.urls;
    t.after += c.after.domains + c.after.urls;
    t.added += c.added;
    t.removed += c.removed;
  }
  t.shrinkPercent = shrinkPercent(t.before, t.after);
  const limit = ctx.config.filter.maxShrinkPercent;
  const shrunk = report.categories.filter((c) => c.shrinkPercent > limit).map((c) => `${c.category} (−${c.shrinkPercent}%)`);
  if (t.shrinkPercent > limit) shrunk.push(`all categories together (−${t.shrinkPercent}%)`);
  if (shrunk.length > 0) {
    throw new ListSourceError(`refused: the new lists shrink by more than ${limit}%: ${shrunk.join(', ')}. The lists in force are kept.`);
  }
  report.status = prepared.some((p) => p.changed) ? 'applied' : 'unchanged';
}

/** One transaction: every changed category, the change-control entries and the import record. */
async function apply(
  ctx: AppContext,
  report: ListImportReport,
  prepared: PreparedCategory[],
  actor: { accountId: string | null; name: string },
  reason: string,
) {
  const expected = new Map(prepared.filter((p) => p.beforeSha).map((p) => [p.report.category as string, p.beforeSha]));
  await ctx.db.transaction().execute(async (trx) => {
    // Another process may have imported since we read the lists in force: then our diff is stale.
    const now = await listRowSummaries(trx, UT1_SOURCE);
    if (now.length !== expected.size || now.some((r) => expected.get(r.category) !== r.sha256)) {
      throw new Error('the lists changed while this import was running; run it again');
    }
    const updatedAt = await nextUpdatedAt(trx, ctx.clock());
    for (const p of prepared) {
      if (!p.changed) continue;
      if (!p.list) {
        await trx.deleteFrom('filter_category_lists').where('source', '=', UT1_SOURCE).where('category', '=', p.report.category).execute();
      } else {
        await writeListRow(trx, {
          source: UT1_SOURCE,
          category: p.report.category,
          locked: false,
          format: 'plain',
          list: p.list,
          importId: report.id,
          updatedAt,
        });
      }
    }
    const counts = (side: 'before' | 'after') =>
      Object.fromEntries(report.categories.map((c) => [c.category, c[side].domains + c[side].urls]));
    const changed = report.categories.filter((c) => c.added + c.removed > 0).length;
    for (const trustId of await trustIds(trx)) {
      await recordFilterChange(trx, {
        trustId,
        schoolId: null,
        actor,
        entity: 'category_lists',
        entityId: report.id,
        change: 'import',
        summary: `UT1 category lists updated: ${changed} categories changed, ${report.totals.added} entries added and ${report.totals.removed} removed.`,
        before: counts('before'),
        after: counts('after'),
        reason,
        at: ctx.clock(),
      });
    }
    report.finishedAt = ctx.clock().toISOString();
    await finishImportRecord(trx, report.id, { status: 'applied', report, error: null, at: ctx.clock() });
  });
}

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LockedListConfig } from '../../config/config.js';
import type { AppContext } from '../../server/context.js';
import { recordFilterChange } from '../change-log.js';
import { listDigest, sortedEntries } from './codec.js';
import { shrinkPercent } from './diff.js';
import { DEFAULT_DOWNLOAD_LIMITS, downloadToFile, isHttpUrl, ListSourceError, redactUrl } from './download.js';
import { serialised } from './lock.js';
import {
  encodeList,
  finishImportRecord,
  listRowSummaries,
  nextUpdatedAt,
  startImportRecord,
  trustIds,
  writeListRow,
} from './repository.js';
import { normaliseHost, normaliseUrlEntry } from './normalise.js';

/*
 * The locked illegal-content lists (IWF, CTIRU), from files or URLs a licensed school or
 * provider configures. They are only ever refreshed from their configured source: no route,
 * command, policy or import writes, disables or deletes a `locked:*` row. Reports carry counts
 * only, never entries, because the entries are addresses of illegal material.
 */

export type LockedCategory = LockedListConfig['category'];

/** Built-in entries that are always in force, so the annual review can check the locked categories block. */
export const LOCKED_TEST_SOURCE = 'locked:test';
export const LOCKED_TEST_ENTRIES: Readonly<Record<LockedCategory, string>> = {
  illegal_csam: 'iwf-test.tutela.test',
  illegal_terrorism: 'ctiru-test.tutela.test',
};

export const isLockedSource = (source: string) => source.startsWith('locked:');

export interface LockedListOutcome {
  source: string;
  category: LockedCategory;
  format: 'plain' | 'sha256';
  /** The configured file or URL (a URL without user info); `built-in` for the test entries. */
  origin: string;
  /** `kept`: the refresh failed or looked wrong, and the list in force stays. */
  status: 'applied' | 'unchanged' | 'kept';
  entries: number;
  skippedLines: number;
  error: string | null;
}

export interface LockedListReport {
  lists: LockedListOutcome[];
}

const SYSTEM_ACTOR = { accountId: null, name: 'Tutela locked list refresh' };

interface ParsedLocked {
  domains: string[];
  urls: string[];
  skipped: number;
}

/** Plain: one host or URL per line. sha256: one 64-hex digest per line, stored in lower case. */
export function parseLockedList(text: string, format: 'plain' | 'sha256'): ParsedLocked {
  const domains: string[] = [];
  const urls: string[] = [];
  let skipped = 0;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/^\uFEFF/, '').trim();
    if (!line || line.startsWith('#')) continue;
    if (format === 'sha256') {
      if (/^[0-9a-f]{64}$/i.test(line)) domains.push(line.toLowerCase());
      else skipped += 1;
      continue;
    }
    const isUrl = /[/?#]/.test(line.replace(/^[a-z][a-z0-9+.-]*:\/\//i, ''));
    const value = isUrl ? normaliseUrlEntry(line) : normaliseHost(line.replace(/^[a-z][a-z0-9+.-]*:\/\//i, ''));
    if (!value) skipped += 1;
    else (isUrl ? urls : domains).push(value);
  }
  return { domains: sortedEntries(domains), urls: sortedEntries(urls), skipped };
}

async function fetchText(source: string): Promise<string> {
  if (!isHttpUrl(source)) {
    try {
      return await readFile(source, 'utf8');
    } catch (error) {
      throw new ListSourceError(`cannot read ${source}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'tutela-locked-'));
  try {
    const file = path.join(dir, 'list.txt');
    await downloadToFile(source, file, { ...DEFAULT_DOWNLOAD_LIMITS, timeoutMs: 2 * 60_000 });
    return await readFile(file, 'utf8');
  } finally {
    await rm(dir, { recursive: true, force: true }).catch(() => {});
  }
}

interface Candidate {
  source: string;
  category: LockedCategory;
  format: 'plain' | 'sha256';
  origin: string;
  parsed: ParsedLocked;
}

/**
 * Refreshes every configured locked list and makes sure the built-in test entries are in
 * force. A list that cannot be fetched, has no valid entry or shrinks by more than
 * config.filter.maxShrinkPercent keeps the version in force. Never throws for a bad source.
 */
export async function refreshLockedLists(ctx: AppContext): Promise<LockedListReport> {
  return serialised(ctx.db, async () => {
    const report: LockedListReport = { lists: [] };
    const candidates: Candidate[] = (Object.keys(LOCKED_TEST_ENTRIES) as LockedCategory[]).map((category) => ({
      source: LOCKED_TEST_SOURCE,
      category,
      format: 'plain',
      origin: 'built-in',
      parsed: { domains: [LOCKED_TEST_ENTRIES[category]], urls: [], skipped: 0 },
    }));
    for (const [index, list] of ctx.config.filter.lockedLists.entries()) {
      const source = `locked:${index}`;
      const origin = isHttpUrl(list.source) ? redactUrl(list.source) : list.source;
      try {
        const parsed = parseLockedList(await fetchText(list.source), list.format);
        if (parsed.domains.length + parsed.urls.length === 0) throw new ListSourceError('the list has no valid entry');
        candidates.push({ source, category: list.category, format: list.format, origin, parsed });
      } catch (error) {
        const message = (error as Error).message;
        await recordRefused(ctx, source, origin, message);
        report.lists.push({
          source,
          category: list.category,
          format: list.format,
          origin,
          status: 'kept',
          entries: 0,
          skippedLines: 0,
          error: message,
        });
      }
    }
    for (const candidate of candidates) report.lists.push(await store(ctx, candidate));
    return report;
  });
}

/** A refused refresh goes into the import history, so the status page shows the list is stale. */
async function recordRefused(ctx: AppContext, source: string, origin: string, error: string) {
  const id = await startImportRecord(ctx.db, source, origin, null, ctx.clock());
  await finishImportRecord(ctx.db, id, { status: 'rejected', report: { error }, error, at: ctx.clock() });
}

async function store(ctx: AppContext, c: Candidate): Promise<LockedListOutcome> {
  const entries = c.parsed.domains.length + c.parsed.urls.length;
  const outcome: LockedListOutcome = {
    source: c.source,
    category: c.category,
    format: c.format,
    origin: c.origin,
    status: 'unchanged',
    entries,
    skippedLines: c.parsed.skipped,
    error: null,
  };
  const current = (await listRowSummaries(ctx.db, c.source)).find((r) => r.category === c.category);
  const digest = listDigest(c.parsed.domains, c.parsed.urls);
  if (current && current.sha256 === digest && current.format === c.format) return outcome;
  const before = current ? current.domainCount + current.urlCount : 0;
  const shrink = shrinkPercent(before, entries);
  if (shrink > ctx.config.filter.maxShrinkPercent) {
    const error = `refused: the list shrinks by ${shrink}%; the version in force is kept`;
    await recordRefused(ctx, c.source, c.origin, error);
    return { ...outcome, status: 'kept', error };
  }
  const at = ctx.clock();
  const id = await startImportRecord(ctx.db, c.source, c.origin, null, at);
  const summary = { category: c.category, format: c.format, before, after: entries };
  await ctx.db.transaction().execute(async (trx) => {
    await writeListRow(trx, {
      source: c.source,
      category: c.category,
      locked: true,
      format: c.format,
      list: encodeList(c.parsed.domains, c.parsed.urls, digest),
      importId: id,
      updatedAt: await nextUpdatedAt(trx, at),
    });
    for (const trustId of await trustIds(trx)) {
      await recordFilterChange(trx, {
        trustId,
        schoolId: null,
        actor: SYSTEM_ACTOR,
        entity: 'locked_list',
        entityId: c.source,
        change: 'import',
        summary: `Locked ${c.category} list ${c.source} refreshed: ${before} → ${entries} entries.`,
        before: current ? { entries: before } : null,
        after: { entries },
        reason: 'locked list refresh',
        at,
      });
    }
    await finishImportRecord(trx, id, { status: 'applied', report: summary, error: null, at });
  });
  return { ...outcome, status: 'applied' };
}

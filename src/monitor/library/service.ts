import type { Kysely } from 'kysely';
import { recordAudit } from '../../audit/service.js';
import { newId } from '../../db/ids.js';
import type { DB } from '../../db/tables.js';
import { parseCsv } from '../../directory/import/parse.js';
import { AppError, notFound } from '../../errors/errors.js';
import { duplicateKey, libraryFromCsv } from '../keywords/csv.js';
import { DEFAULT_LIBRARY } from '../keywords/default-library.js';
import { deriveEntryId } from '../keywords/default-library-rows.js';
import { type KeywordEntry, MONITOR_CATEGORIES, SEVERITIES } from '../keywords/types.js';
import { compileLibrary, normalise, normalisedText } from '../matcher/index.js';
import { currentLibraryVersion } from './current.js';
import { isUniqueViolation } from '../../db/errors.js';

/** Far beyond any school's list (the default has about a thousand) yet still quick to compile. */
export const MAX_LIBRARY_ENTRIES = 20_000;
/** The longest phrase a school would watch for; longer text is a paste slip, not a keyword. */
export const MAX_PHRASE_LENGTH = 200;
export const MAX_NEAR_WORDS = 50;
export const MAX_EXCEPTIONS = 50;
/** The same rule as the CSV import, so an entry typed in the editor exports and imports back. */
const LANGUAGE_TAG = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/;
/** Beyond this many problems a list is more noise than help: the school fixes the first ones and re-imports. */
const MAX_REPORTED_PROBLEMS = 50;

/** Who made a change and where from, for the version's `created_by` and the audit log. */
export interface LibraryChange {
  schoolId: string;
  actor: { accountId: string; username: string };
  ip: string | null;
  now: Date;
}

export interface VersionSummary {
  version: number;
  /** Null for version 0, the built-in default, which is never stored. */
  createdAt: string | null;
  createdBy: string | null;
  summary: string;
  entryCount: number;
}

export interface VersionDetail extends VersionSummary {
  entries: KeywordEntry[];
}

/** One problem with a library: `row` is the CSV line on import; `entryId` names the entry otherwise. */
export interface LibraryProblem {
  row?: number;
  entryId?: string;
  message: string;
}

export interface ImportOutcome {
  /** The version stored, or the current one when the file changed nothing; absent on a dry run. */
  version?: number;
  dryRun: boolean;
  added: number;
  changed: number;
  removed: number;
  errors: LibraryProblem[];
}

const DEFAULT_SUMMARY = 'The built-in default library';

/**
 * A version of a school's library with its entries; 0 is the built-in default.
 *
 * @example
 *   (await libraryVersion(db, schoolId, 0)).entries.length === DEFAULT_LIBRARY.length; // true
 */
export async function libraryVersion(db: Kysely<DB>, schoolId: string, version: number): Promise<VersionDetail> {
  if (version === 0) {
    return {
      version: 0,
      createdAt: null,
      createdBy: null,
      summary: DEFAULT_SUMMARY,
      entryCount: DEFAULT_LIBRARY.length,
      entries: [...DEFAULT_LIBRARY],
    };
  }
  const row = await db
    .selectFrom('monitor_library_versions')
    .selectAll()
    .where('school_id', '=', schoolId)
    .where('version', '=', version)
    .executeTakeFirst();
  if (!row) throw notFound(`Version ${version} of the keyword library`);
  return {
    version: row.version,
    createdAt: row.created_at,
    createdBy: row.created_by,
    summary: row.summary,
    entryCount: row.entry_count,
    entries: JSON.parse(row.entries) as KeywordEntry[],
  };
}

/** The newest version with its entries: the library the analyser scans with. */
export async function latestVersion(db: Kysely<DB>, schoolId: string): Promise<VersionDetail> {
  return libraryVersion(db, schoolId, await currentLibraryVersion(db, schoolId));
}

/** Every version, newest first, ending with the built-in default. */
export async function listVersions(db: Kysely<DB>, schoolId: string): Promise<VersionSummary[]> {
  const rows = await db
    .selectFrom('monitor_library_versions')
    .select(['version', 'created_at', 'created_by', 'summary', 'entry_count'])
    .where('school_id', '=', schoolId)
    .orderBy('version', 'desc')
    .execute();
  return [
    ...rows.map((r) => ({
      version: r.version,
      createdAt: r.created_at,
      createdBy: r.created_by,
      summary: r.summary,
      entryCount: r.entry_count,
    })),
    { version: 0, createdAt: null, createdBy: null, summary: DEFAULT_SUMMARY, entryCount: DEFAULT_LIBRARY.length },
  ];
}

/** Adds an entry; its id is derived from its language, category and term when not given. */
export async function addEntry(db: Kysely<DB>, change: LibraryChange, baseVersion: number, entry: KeywordEntry): Promise<VersionSummary> {
  const current = await startChange(db, change.schoolId, baseVersion);
  const added = tidyEntry({ ...entry, id: entry.id?.trim() || deriveEntryId(entry) });
  const entries = [...current.entries, added];
  assertValid(entries, labelOf(entries));
  return storeVersion(db, change, baseVersion, entries, `Added ${describe(added)}`, {
    action: 'monitor.keywords.entry_add',
    targetId: added.id,
  });
}

/** Replaces an entry, keeping its id so its false-positive rate carries on. */
export async function updateEntry(
  db: Kysely<DB>,
  change: LibraryChange,
  baseVersion: number,
  id: string,
  entry: Omit<KeywordEntry, 'id'> & { id?: string },
): Promise<VersionSummary> {
  const current = await startChange(db, change.schoolId, baseVersion);
  const at = current.entries.findIndex((e) => e.id === id);
  if (at < 0) throw notFound(`The library entry "${id}"`);
  const before = current.entries[at]!;
  const after = tidyEntry({ ...entry, id });
  const differences = changedFields(before, after);
  if (differences.length === 0) {
    throw new AppError('bad_request', `Nothing about ${describe(before)} would change.`);
  }
  const entries = current.entries.map((e, i) => (i === at ? after : e));
  assertValid(entries, labelOf(entries));
  return storeVersion(db, change, baseVersion, entries, `Changed ${describe(after)}: ${differences.join('; ')}`, {
    action: 'monitor.keywords.entry_change',
    targetId: id,
  });
}

/** Removes an entry; earlier versions keep it, so a restore brings it back. */
export async function removeEntry(db: Kysely<DB>, change: LibraryChange, baseVersion: number, id: string): Promise<VersionSummary> {
  const current = await startChange(db, change.schoolId, baseVersion);
  const removed = current.entries.find((e) => e.id === id);
  if (!removed) throw notFound(`The library entry "${id}"`);
  const entries = current.entries.filter((e) => e.id !== id);
  return storeVersion(db, change, baseVersion, entries, `Removed ${describe(removed)}`, {
    action: 'monitor.keywords.entry_remove',
    targetId: id,
  });
}

/** Makes an earlier version the newest again, as a new version: history is never rewritten. */
export async function restoreVersion(db: Kysely<DB>, change: LibraryChange, baseVersion: number, version: number): Promise<VersionSummary> {
  await startChange(db, change.schoolId, baseVersion);
  if (version === baseVersion) throw new AppError('bad_request', `Version ${version} is already the library in force.`);
  const old = await libraryVersion(db, change.schoolId, version);
  assertValid(old.entries, labelOf(old.entries));
  const name = version === 0 ? 'the built-in default library' : `version ${version}`;
  return storeVersion(db, change, baseVersion, old.entries, `Restored ${name} (${old.entries.length} entries)`, {
    action: 'monitor.keywords.restore',
    details: { restored: version },
  });
}

/**
 * Imports a library CSV. `replace` makes the file the whole library; `merge` adds its rows to
 * the library, replacing entries with the same id. All or nothing: any bad row is a 422 listing
 * every row's problem, and nothing is stored. A dry run reports what would change.
 */
export async function importLibraryCsv(
  db: Kysely<DB>,
  change: LibraryChange,
  input: { baseVersion: number; csv: string; mode: 'replace' | 'merge'; dryRun: boolean; fileName?: string },
): Promise<ImportOutcome> {
  const current = await startChange(db, change.schoolId, input.baseVersion);
  const { entries: imported, rows } = readCsv(input.csv);

  const importedRow = new Map(imported.map((e, i) => [e.id, rows[i]!]));
  let entries: KeywordEntry[];
  if (input.mode === 'replace') {
    entries = imported;
  } else {
    const incoming = new Map(imported.map((e) => [e.id, e]));
    entries = current.entries.map((e) => incoming.get(e.id) ?? e);
    const kept = new Set(current.entries.map((e) => e.id));
    entries.push(...imported.filter((e) => !kept.has(e.id)));
  }
  if (entries.length > MAX_LIBRARY_ENTRIES) {
    throw invalid(`The library would have ${entries.length} entries; the most it can hold is ${MAX_LIBRARY_ENTRIES}.`, []);
  }
  const problems = validateLibrary(entries, (i) => {
    const row = importedRow.get(entries[i]!.id);
    return row !== undefined ? { row } : { entryId: entries[i]!.id };
  });
  if (problems.length > 0) throw problemsError(problems);

  const diff = diffLibraries(current.entries, entries);
  const counts = { added: diff.added.length, changed: diff.changed.length, removed: diff.removed.length };
  if (input.dryRun) return { dryRun: true, ...counts, errors: [] };
  if (counts.added + counts.changed + counts.removed === 0 && sameOrder(current.entries, entries)) {
    return { version: current.version, dryRun: false, ...counts, errors: [] };
  }
  const from = input.fileName ? ` from ${input.fileName}` : '';
  const how = input.mode === 'merge' ? ', merged' : '';
  const summary = `Imported ${imported.length} ${imported.length === 1 ? 'entry' : 'entries'}${from}${how}: ${counts.added} added, ${counts.changed} changed, ${counts.removed} removed`;
  const stored = await storeVersion(db, change, input.baseVersion, entries, summary, {
    action: 'monitor.keywords.import',
    details: { mode: input.mode, fileName: input.fileName ?? null, ...counts },
  });
  return { version: stored.version, dryRun: false, ...counts, errors: [] };
}

/**
 * Every problem with a library, each named through `where` (an entry id, or a CSV row): fields
 * out of range, duplicates by the CSV import's rule, and terms the matcher could never find.
 */
export function validateLibrary(
  entries: readonly KeywordEntry[],
  where: (index: number) => Pick<LibraryProblem, 'row' | 'entryId'>,
): LibraryProblem[] {
  const problems: LibraryProblem[] = [];
  const firstOfKey = new Map<string, number>();
  const firstOfId = new Map<string, number>();
  const name = (i: number) => {
    const at = where(i);
    return at.row !== undefined ? `row ${at.row}` : `"${entries[i]!.term}" (${entries[i]!.id})`;
  };
  const invalidAt = new Set<number>();
  entries.forEach((entry, i) => {
    const problem = entryProblem(entry);
    if (problem) {
      problems.push({ ...where(i), message: problem });
      invalidAt.add(i);
      return;
    }
    const key = duplicateKey(entry);
    const earlier = firstOfKey.get(key);
    if (earlier !== undefined) {
      problems.push({ ...where(i), message: `"${entry.term}" in ${entry.category} is already in the library as ${name(earlier)}.` });
      invalidAt.add(i);
      return;
    }
    const earlierId = firstOfId.get(entry.id);
    if (earlierId !== undefined) {
      problems.push({ ...where(i), message: `the id "${entry.id}" is already used by ${name(earlierId)}.` });
      invalidAt.add(i);
      return;
    }
    firstOfKey.set(key, i);
    firstOfId.set(entry.id, i);
  });
  if (problems.length > 0) return problems;

  // Compiling is the last word: a library the analyser cannot load must never be stored.
  try {
    const compiled = compileLibrary(entries);
    const unmatchable = new Set(compiled.unmatchable);
    entries.forEach((entry, i) => {
      if (unmatchable.has(entry.id)) {
        problems.push({
          ...where(i),
          message: `"${entry.term}"${entry.near ? ` near "${entry.near.phrase}"` : ''} is only punctuation once normalised, so it could never match.`,
        });
      }
    });
  } catch (error) {
    problems.push({ message: `The library cannot be compiled: ${error instanceof Error ? error.message : String(error)}` });
  }
  return problems;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const CONTROL = /[\u0000-\u001f\u007f]/;

/** What one entry alone gets wrong, or null. */
function entryProblem(entry: KeywordEntry): string | null {
  if (typeof entry.id !== 'string' || entry.id.trim() === '' || entry.id.length > 120) return 'the id must be 1 to 120 characters.';
  // A keyword is typed text: a control character is a paste slip, and PostgreSQL cannot store NUL.
  if ([entry.id, entry.term, entry.near?.phrase ?? '', ...(entry.exceptions ?? [])].some((text) => CONTROL.test(text))) {
    return 'the entry contains a control character (such as a tab or NUL); type it as plain text.';
  }
  if (typeof entry.term !== 'string' || entry.term.trim() === '') return 'the term is empty.';
  if (entry.term.length > MAX_PHRASE_LENGTH) return `the term is longer than ${MAX_PHRASE_LENGTH} characters.`;
  if (fold(entry.term).trim() === '') return `"${entry.term}" has no letters or digits once normalised.`;
  if (!(MONITOR_CATEGORIES as readonly string[]).includes(entry.category)) {
    return `unknown category "${entry.category}"; use one of ${MONITOR_CATEGORIES.join(', ')}.`;
  }
  if (!(SEVERITIES as readonly string[]).includes(entry.severity)) {
    return `unknown severity "${entry.severity}"; use one of ${SEVERITIES.join(', ')}.`;
  }
  if (typeof entry.language !== 'string' || !LANGUAGE_TAG.test(entry.language)) {
    return `"${entry.language}" is not a language tag such as en or pl.`;
  }
  if (entry.near) {
    if (entry.near.phrase.trim() === '') return 'the near phrase is empty.';
    if (entry.near.phrase.length > MAX_PHRASE_LENGTH) return `the near phrase is longer than ${MAX_PHRASE_LENGTH} characters.`;
    if (!Number.isInteger(entry.near.words) || entry.near.words < 1 || entry.near.words > MAX_NEAR_WORDS) {
      return `the near distance must be a whole number of words from 1 to ${MAX_NEAR_WORDS}, not ${entry.near.words}.`;
    }
    if (fold(entry.near.phrase) === fold(entry.term)) return 'the near phrase is the term itself; a term is always near itself.';
  }
  const exceptions = entry.exceptions ?? [];
  if (exceptions.length > MAX_EXCEPTIONS) return `an entry can have at most ${MAX_EXCEPTIONS} exceptions.`;
  for (const phrase of exceptions) {
    if (phrase.trim() === '') return 'an exception phrase is empty.';
    if (phrase.length > MAX_PHRASE_LENGTH) return `the exception "${phrase.slice(0, 40)}…" is longer than ${MAX_PHRASE_LENGTH} characters.`;
    // An exception works by containing the match; one that does not can never apply, so it is a slip.
    if (!fold(phrase).includes(fold(entry.term))) {
      return `the exception "${phrase}" does not contain "${entry.term}", so it could never apply.`;
    }
  }
  return null;
}

/** The matcher's own folding, so rules about "the same text" agree with what it matches. */
const fold = (text: string) => normalisedText(normalise(text));

/** Reads the CSV, turning the import's line problems into row errors; returns each entry's line. */
function readCsv(csv: string): { entries: KeywordEntry[]; rows: number[] } {
  try {
    const { entries } = libraryFromCsv(csv);
    // The same parser skipped the same blank lines, so entry i came from data row i.
    const rows = parseCsv(csv).rows.map((r) => r.line);
    return { entries, rows };
  } catch (error) {
    if (error instanceof AppError && error.id === 'invalid_csv') {
      const details = (error.details ?? {}) as { problems?: { line: number; message: string }[]; line?: number };
      const problems = details.problems?.map((p) => ({ row: p.line, message: p.message })) ?? [
        { row: details.line ?? 1, message: error.message },
      ];
      throw problemsError(problems);
    }
    throw error;
  }
}

function problemsError(problems: LibraryProblem[]): AppError {
  const n = problems.length;
  const shown = problems.slice(0, MAX_REPORTED_PROBLEMS).map((p) => {
    const at = p.row !== undefined ? `Row ${p.row}: ` : p.entryId ? `Entry ${p.entryId}: ` : '';
    return `${at}${p.message}`;
  });
  const more = n > MAX_REPORTED_PROBLEMS ? ` (and ${n - MAX_REPORTED_PROBLEMS} more)` : '';
  return invalid(`The library has ${n} ${n === 1 ? 'problem' : 'problems'}; nothing was saved. ${shown.join(' ')}${more}`, problems);
}

function invalid(message: string, problems: LibraryProblem[]): AppError {
  return new AppError('monitor.invalid_library', message, { errors: problems });
}

function assertValid(entries: readonly KeywordEntry[], where: (i: number) => Pick<LibraryProblem, 'entryId'>): void {
  if (entries.length > MAX_LIBRARY_ENTRIES) {
    throw invalid(`The library would have ${entries.length} entries; the most it can hold is ${MAX_LIBRARY_ENTRIES}.`, []);
  }
  const problems = validateLibrary(entries, where);
  if (problems.length > 0) throw problemsError(problems);
}

const labelOf = (entries: readonly KeywordEntry[]) => (i: number) => ({ entryId: entries[i]!.id });

/** The newest version, after checking the change was made from it. */
async function startChange(db: Kysely<DB>, schoolId: string, baseVersion: number): Promise<VersionDetail> {
  const current = await latestVersion(db, schoolId);
  if (current.version !== baseVersion) throw staleBase(baseVersion, current);
  return current;
}

function staleBase(baseVersion: number, current: Pick<VersionSummary, 'version' | 'createdBy'>): AppError {
  const by = current.createdBy ? ` (by ${current.createdBy})` : '';
  return new AppError(
    'conflict',
    `The keyword library changed while you were working: you started from version ${baseVersion} and version ${current.version}${by} is now the newest. Nothing was saved; reload the library and make your change again.`,
    { baseVersion, currentVersion: current.version },
  );
}

/**
 * Stores the next version and its audit entry together. The check on the base is repeated in
 * the transaction and backed by the unique (school, version) key, so of two DSLs saving at
 * once one wins and the other is told, rather than one silently undoing the other.
 */
async function storeVersion(
  db: Kysely<DB>,
  change: LibraryChange,
  baseVersion: number,
  entries: readonly KeywordEntry[],
  summary: string,
  audit: { action: string; targetId?: string; details?: Record<string, unknown> },
): Promise<VersionSummary> {
  const version = baseVersion + 1;
  const createdAt = change.now.toISOString();
  try {
    await db.transaction().execute(async (trx) => {
      const newest = await currentLibraryVersion(trx, change.schoolId);
      if (newest !== baseVersion) throw staleBase(baseVersion, { version: newest, createdBy: null });
      await trx
        .insertInto('monitor_library_versions')
        .values({
          id: newId(),
          school_id: change.schoolId,
          version,
          created_at: createdAt,
          created_by: change.actor.username,
          summary,
          entry_count: entries.length,
          entries: JSON.stringify(entries),
        })
        .execute();
      await recordAudit(trx, {
        action: audit.action,
        actor: change.actor,
        targetType: 'monitor_library',
        targetId: audit.targetId ?? String(version),
        schoolId: change.schoolId,
        ip: change.ip,
        details: { version, summary, ...audit.details },
        at: change.now,
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw staleBase(baseVersion, { version: baseVersion + 1, createdBy: null });
    throw error;
  }
  return { version, createdAt, createdBy: change.actor.username, summary, entryCount: entries.length };
}

/** An entry as stored: trimmed text, and optional rules left out rather than empty. */
function tidyEntry(entry: KeywordEntry): KeywordEntry {
  const tidy: KeywordEntry = {
    id: entry.id.trim(),
    term: entry.term.trim(),
    category: entry.category,
    severity: entry.severity,
    language: entry.language.trim(),
  };
  if (entry.wholeWord === false) tidy.wholeWord = false;
  if (entry.near) tidy.near = { phrase: entry.near.phrase.trim(), words: entry.near.words };
  const exceptions = (entry.exceptions ?? []).map((x) => x.trim());
  if (exceptions.length > 0) tidy.exceptions = exceptions;
  return tidy;
}

/** "'kms' (suicide, critical)": how summaries and messages name an entry. */
function describe(entry: KeywordEntry): string {
  return `'${entry.term}' (${entry.category}, ${entry.severity})`;
}

function changedFields(before: KeywordEntry, after: KeywordEntry): string[] {
  const out: string[] = [];
  if (before.term !== after.term) out.push(`term '${before.term}' → '${after.term}'`);
  if (before.category !== after.category) out.push(`category ${before.category} → ${after.category}`);
  if (before.severity !== after.severity) out.push(`severity ${before.severity} → ${after.severity}`);
  if (before.language !== after.language) out.push(`language ${before.language} → ${after.language}`);
  if ((before.wholeWord !== false) !== (after.wholeWord !== false)) {
    out.push(after.wholeWord === false ? 'now matches inside words' : 'now whole words only');
  }
  const near = (e: KeywordEntry) => (e.near ? `'${e.near.phrase}' within ${e.near.words} words` : 'none');
  if (near(before) !== near(after)) out.push(`near ${near(before)} → ${near(after)}`);
  const exceptions = (e: KeywordEntry) => (e.exceptions ?? []).join(' | ') || 'none';
  if (exceptions(before) !== exceptions(after)) out.push(`exceptions ${exceptions(before)} → ${exceptions(after)}`);
  return out;
}

/** Entries added, changed and removed, matched by id. */
export function diffLibraries(
  before: readonly KeywordEntry[],
  after: readonly KeywordEntry[],
): { added: string[]; changed: string[]; removed: string[] } {
  const old = new Map(before.map((e) => [e.id, e]));
  const now = new Set(after.map((e) => e.id));
  const added: string[] = [];
  const changed: string[] = [];
  for (const entry of after) {
    const was = old.get(entry.id);
    if (!was) added.push(entry.id);
    else if (changedFields(was, entry).length > 0) changed.push(entry.id);
  }
  const removed = before.filter((e) => !now.has(e.id)).map((e) => e.id);
  return { added, changed, removed };
}

const sameOrder = (a: readonly KeywordEntry[], b: readonly KeywordEntry[]) => a.length === b.length && a.every((e, i) => e.id === b[i]!.id);

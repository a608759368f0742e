import { stringify } from 'csv-stringify/sync';
import { parseCsv } from '../../directory/import/parse.js';
import { AppError } from '../../errors/errors.js';
import { deriveEntryId } from './default-library-rows.js';
import { type KeywordEntry, MONITOR_CATEGORIES, type MonitorCategory, SEVERITIES, type Severity } from './types.js';
import { normalise, normalisedText } from '../matcher/index.js';
import { FORMULA_START, spreadsheetSafe } from '../../export/spreadsheet.js';

/** The columns a school edits; `id` is optional on import and derived from the rest when blank. */
export const LIBRARY_CSV_COLUMNS = [
  'id',
  'term',
  'category',
  'severity',
  'language',
  'whole_word',
  'near_phrase',
  'near_words',
  'exceptions',
] as const;
type Column = (typeof LIBRARY_CSV_COLUMNS)[number];
const REQUIRED: readonly Column[] = ['term', 'category', 'severity', 'language'];

/** Exceptions share one cell; `|` never appears in a phrase a pupil would type as a word. */
const EXCEPTION_SEPARATOR = '|';
/** Beyond this many problems a list is more noise than help: the school fixes the first ones and re-imports. */
const MAX_REPORTED_PROBLEMS = 20;

export interface CsvProblem {
  line: number;
  message: string;
}

/**
 * Writes a keyword library as CSV with a header row, one entry a row, so a DSL can edit it in
 * a spreadsheet and import it back unchanged.
 *
 * @example
 *   libraryToCsv([{ id: 'en-suicide-kms', term: 'kms', category: 'suicide', severity: 'critical', language: 'en' }]);
 *   // 'id,term,category,severity,language,whole_word,near_phrase,near_words,exceptions\nen-suicide-kms,kms,suicide,critical,en,true,,,\n'
 */
export function libraryToCsv(entries: readonly KeywordEntry[]): string {
  const rows = entries.map((e) =>
    [
      e.id,
      e.term,
      e.category,
      e.severity,
      e.language,
      e.wholeWord === false ? 'false' : 'true',
      e.near?.phrase ?? '',
      e.near ? String(e.near.words) : '',
      (e.exceptions ?? []).join(EXCEPTION_SEPARATOR),
    ].map(spreadsheetSafe),
  );
  return stringify(rows, { header: true, columns: [...LIBRARY_CSV_COLUMNS], record_delimiter: '\n' });
}

/** `libraryToCsv` writes formula-like phrases as text; reading them back takes the apostrophe off again. */
const unescapeCell = (value: string): string => (value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value);

/**
 * Reads a keyword library from CSV. All-or-nothing: any bad row rejects the file with
 * `invalid_csv`, the message naming the lines, and `details.problems` listing each one, so a
 * half-imported list never silently drops a term a DSL relies on.
 *
 * @example
 *   libraryFromCsv('term,category,severity,language\nkms,suicide,critical,en\n').entries[0]?.id; // 'en-suicide-kms'
 */
export function libraryFromCsv(text: string): { entries: KeywordEntry[] } {
  const parsed = parseCsv(text);
  const index = columnIndex(parsed.headers);
  const problems: CsvProblem[] = [];
  const entries: KeywordEntry[] = [];
  const firstLineOfKey = new Map<string, number>();
  const firstLineOfId = new Map<string, number>();

  for (const row of parsed.rows) {
    const cell = (c: Column) => (index.has(c) ? unescapeCell((row.values[index.get(c)!] ?? '').trim()) : '');
    const result = entryFromCells(cell);
    if (typeof result === 'string') {
      problems.push({ line: row.line, message: result });
      continue;
    }
    const key = duplicateKey(result);
    const earlier = firstLineOfKey.get(key);
    if (earlier !== undefined) {
      problems.push({
        line: row.line,
        message: `"${result.term}" in ${result.category} is already on line ${earlier}; keep one of the two rows.`,
      });
      continue;
    }
    const earlierId = firstLineOfId.get(result.id);
    if (earlierId !== undefined) {
      problems.push({ line: row.line, message: `the id "${result.id}" is already used on line ${earlierId}.` });
      continue;
    }
    firstLineOfKey.set(key, row.line);
    firstLineOfId.set(result.id, row.line);
    entries.push(result);
  }

  if (problems.length > 0) {
    const shown = problems.slice(0, MAX_REPORTED_PROBLEMS).map((p) => `Line ${p.line}: ${p.message}`);
    const more = problems.length > MAX_REPORTED_PROBLEMS ? ` (and ${problems.length - MAX_REPORTED_PROBLEMS} more)` : '';
    throw new AppError('invalid_csv', `${shown.join(' ')}${more}`, { problems });
  }
  return { entries };
}

function columnIndex(headers: readonly string[]): Map<Column, number> {
  const index = new Map<Column, number>();
  headers.forEach((raw, i) => {
    const name = raw.trim().toLowerCase();
    if (!(LIBRARY_CSV_COLUMNS as readonly string[]).includes(name)) {
      throw new AppError('invalid_csv', `Line 1: unknown column "${raw}". The columns are ${LIBRARY_CSV_COLUMNS.join(', ')}.`, {
        problems: [{ line: 1, message: `unknown column "${raw}"` }],
      });
    }
    if (index.has(name as Column)) {
      throw new AppError('invalid_csv', `Line 1: the column "${name}" appears twice.`, {
        problems: [{ line: 1, message: `duplicate column "${name}"` }],
      });
    }
    index.set(name as Column, i);
  });
  const missing = REQUIRED.filter((c) => !index.has(c));
  if (missing.length > 0) {
    throw new AppError('invalid_csv', `Line 1: the header row lacks ${missing.join(', ')}.`, {
      problems: [{ line: 1, message: `missing columns: ${missing.join(', ')}` }],
    });
  }
  return index;
}

/** One row to an entry, or the reason it cannot be one. */
function entryFromCells(cell: (c: Column) => string): KeywordEntry | string {
  const term = cell('term');
  if (term === '') return 'the term is empty.';
  const category = cell('category').toLowerCase();
  if (!isCategory(category)) return `unknown category "${cell('category')}"; use one of ${MONITOR_CATEGORIES.join(', ')}.`;
  const severity = cell('severity').toLowerCase();
  if (!isSeverity(severity)) return `unknown severity "${cell('severity')}"; use one of ${SEVERITIES.join(', ')}.`;
  const language = cell('language');
  if (!/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/.test(language)) {
    return `"${language}" is not a language tag such as en or pl.`;
  }
  const wholeWord = parseBoolean(cell('whole_word'));
  if (wholeWord === null) return `whole_word must be true or false, not "${cell('whole_word')}".`;

  const entry: KeywordEntry = { id: '', term, category, severity, language };
  if (!wholeWord) entry.wholeWord = false;

  const nearPhrase = cell('near_phrase');
  const nearWords = cell('near_words');
  if (nearPhrase !== '' || nearWords !== '') {
    if (nearPhrase === '') return 'near_words is set but near_phrase is empty.';
    const words = Number(nearWords);
    if (!Number.isInteger(words) || words < 1) return `near_words must be a whole number of words from 1, not "${nearWords}".`;
    entry.near = { phrase: nearPhrase, words };
  }

  const exceptions = cell('exceptions')
    .split(EXCEPTION_SEPARATOR)
    .map((x) => x.trim())
    .filter((x) => x !== '');
  if (exceptions.length > 0) entry.exceptions = exceptions;

  entry.id = cell('id') || deriveEntryId(entry);
  return entry;
}

/**
 * The same word can rightly appear twice in a category only with different `near` phrases
 * ("cut" near "myself", "cut" near "wrists"); anything else is a copy-paste slip.
 */
export function duplicateKey(entry: KeywordEntry): string {
  // The matcher's own folding: two rows it would read as one term ("kms", "k.m.s") are one.
  const fold = (s: string) => normalisedText(normalise(s));
  return `${entry.category}\u0000${fold(entry.term)}\u0000${fold(entry.near?.phrase ?? '')}`;
}

function parseBoolean(value: string): boolean | null {
  const v = value.toLowerCase();
  if (v === '' || v === 'true' || v === 'yes' || v === 'y' || v === '1') return true;
  if (v === 'false' || v === 'no' || v === 'n' || v === '0') return false;
  return null;
}

const isCategory = (value: string): value is MonitorCategory => (MONITOR_CATEGORIES as readonly string[]).includes(value);
const isSeverity = (value: string): value is Severity => (SEVERITIES as readonly string[]).includes(value);

import type { Kysely } from 'kysely';
import type { Actor } from '../access/policy.js';
import { recordAudit } from '../audit/service.js';
import { newId } from '../db/ids.js';
import { TRAINING_KINDS, type DB, type TrainingKind, type TrainingRecordTable } from '../db/tables.js';
import { parseCsv } from '../directory/import/parse.js';
import { AppError } from '../errors/errors.js';
import { datesProblem } from './rules.js';
import { TRAINED_KINDS } from './people.js';

/** The columns a training CSV has; the first five must be there, in any order and any case. */
const IMPORT_COLUMNS = ['person', 'kind', 'title', 'provider', 'completed', 'expires', 'evidence'] as const;
const REQUIRED_COLUMNS = ['person', 'kind', 'title', 'provider', 'completed'] as const;
type Column = (typeof IMPORT_COLUMNS)[number];

/** Kinds as people write them in a spreadsheet, mapped to their ids. */
const KIND_WORDS: Record<string, TrainingKind> = {
  induction: 'induction',
  annual_refresher: 'annual_refresher',
  annual: 'annual_refresher',
  refresher: 'annual_refresher',
  dsl: 'dsl',
  dsl_training: 'dsl',
  designated_safeguarding_lead: 'dsl',
  external: 'external',
  external_course: 'external',
};

export interface ImportRowError {
  line: number;
  reason: string;
}

export interface TrainingImportReport {
  status: 'dry_run' | 'imported' | 'rejected';
  rows: number;
  /** Records that are (or would be) added. */
  created: number;
  /** Rows already on record (same person, kind, completion date and title), skipped. */
  duplicates: number;
  errors: ImportRowError[];
}

/**
 * Dates as a spreadsheet gives them: ISO YYYY-MM-DD or UK DD/MM/YYYY. Returns YYYY-MM-DD, or
 * null when the text is in neither form; whether the day exists is checked afterwards.
 */
export function normaliseDate(raw: string): string | null {
  const value = raw.trim();
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  if (uk) return `${uk[3]}-${uk[2]!.padStart(2, '0')}-${uk[1]!.padStart(2, '0')}`;
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : null;
}

/** Every active member of staff and governor, findable by username, e-mail address or MIS id. */
async function traineeFinder(db: Kysely<DB>, schoolId: string) {
  const rows = await db
    .selectFrom('people')
    .leftJoin('accounts', 'accounts.person_id', 'people.id')
    .select(['people.id', 'people.email', 'people.mis_id', 'accounts.username'])
    .where('people.school_id', '=', schoolId)
    .where('people.status', '=', 'active')
    .where('people.kind', 'in', [...TRAINED_KINDS])
    .execute();
  const index = new Map<string, Set<string>>();
  const add = (key: string | null, id: string) => {
    if (!key) return;
    const k = key.trim().toLowerCase();
    index.set(k, (index.get(k) ?? new Set()).add(id));
  };
  for (const r of rows) {
    add(r.username, r.id);
    add(r.email, r.id);
    add(r.mis_id, r.id);
  }
  return (value: string): { id: string } | { reason: string } => {
    const found = index.get(value.trim().toLowerCase());
    if (!found) return { reason: `no member of staff or governor with username, e-mail or MIS id "${value.trim()}"` };
    if (found.size > 1) return { reason: `"${value.trim()}" matches more than one person: use their username` };
    return { id: [...found][0]! };
  };
}

/**
 * Imports training records from CSV text. All or nothing: one bad row and nothing is written,
 * and every bad row is reported with its line. Rows already on record are skipped, so the same
 * file can be imported twice safely.
 *
 * @example
 *   await importTraining(db, schoolId, 'person,kind,title,provider,completed\n…', { dryRun: true, … });
 */
export async function importTraining(
  db: Kysely<DB>,
  schoolId: string,
  csvText: string,
  options: { dryRun: boolean; actor: Pick<Actor, 'accountId' | 'username'>; ip: string | null; now: Date; today: string },
): Promise<TrainingImportReport> {
  const parsed = parseCsv(csvText.replace(/^\ufeff/, ''));
  const headers = parsed.headers.map((h) => h.trim().toLowerCase());
  const missing = REQUIRED_COLUMNS.filter((c) => !headers.includes(c));
  if (missing.length > 0) {
    throw new AppError('invalid_csv', `Line 1: the header row needs the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}.`, {
      line: 1,
    });
  }
  const at = (values: string[], column: Column) => {
    const i = headers.indexOf(column);
    return i === -1 ? '' : (values[i] ?? '').trim();
  };

  const find = await traineeFinder(db, schoolId);
  const existing = await db
    .selectFrom('training_records')
    .select(['person_id', 'kind', 'completed_on', 'title'])
    .where('school_id', '=', schoolId)
    .execute();
  const key = (personId: string, kind: string, completed: string, title: string) =>
    JSON.stringify([personId, kind, completed, title.trim().toLowerCase()]);
  const seen = new Set(existing.map((r) => key(r.person_id, r.kind, r.completed_on, r.title)));

  const errors: ImportRowError[] = [];
  const toInsert: TrainingRecordTable[] = [];
  let duplicates = 0;
  const importId = newId();
  for (const row of parsed.rows) {
    const reasons: string[] = [];
    // PostgreSQL text cannot hold NUL, so such a row is refused here rather than failing the whole insert.
    if (row.values.some((v) => v.includes('\u0000'))) reasons.push('the row contains a NUL character');
    const who = at(row.values, 'person');
    const person = who ? find(who) : { reason: 'the person is missing' };
    if ('reason' in person) reasons.push(person.reason);
    const kindText = at(row.values, 'kind');
    const kind = KIND_WORDS[kindText.toLowerCase().replace(/[\s-]+/g, '_')];
    if (!kind) reasons.push(`unknown kind "${kindText}": use ${TRAINING_KINDS.join(', ')}`);
    const title = at(row.values, 'title');
    if (!title) reasons.push('the title is missing');
    else if (title.length > 200) reasons.push('the title is longer than 200 characters');
    const provider = at(row.values, 'provider');
    if (!provider) reasons.push('the provider is missing');
    const completedText = at(row.values, 'completed');
    const expiresText = at(row.values, 'expires');
    const completedOn = normaliseDate(completedText);
    const expiresOn = expiresText ? normaliseDate(expiresText) : null;
    if (!completedOn) reasons.push(`completion date "${completedText}" is not a date: use YYYY-MM-DD or DD/MM/YYYY`);
    else if (expiresText && !expiresOn) reasons.push(`expiry date "${expiresText}" is not a date: use YYYY-MM-DD or DD/MM/YYYY`);
    else {
      const problem = datesProblem(completedOn, expiresOn, options.today);
      if (problem) reasons.push(problem);
    }
    if (reasons.length > 0 || 'reason' in person || !kind || !completedOn) {
      errors.push({ line: row.line, reason: reasons.join('; ') });
      continue;
    }
    const k = key(person.id, kind, completedOn, title);
    if (seen.has(k)) {
      duplicates += 1;
      continue;
    }
    seen.add(k);
    toInsert.push({
      id: newId(),
      school_id: schoolId,
      person_id: person.id,
      kind,
      title,
      provider,
      completed_on: completedOn,
      expires_on: expiresOn,
      evidence: at(row.values, 'evidence') || null,
      created_at: options.now.toISOString(),
      created_by: options.actor.accountId,
      import_id: importId,
    });
  }

  const report = { rows: parsed.rows.length, created: toInsert.length, duplicates, errors };
  if (errors.length > 0) return { status: 'rejected', ...report, created: 0 };
  if (options.dryRun) return { status: 'dry_run', ...report };
  await db.transaction().execute(async (trx) => {
    // Chunked so PostgreSQL's and SQLite's bound-parameter limits are never reached.
    for (let i = 0; i < toInsert.length; i += 200) {
      await trx
        .insertInto('training_records')
        .values(toInsert.slice(i, i + 200))
        .execute();
    }
    await recordAudit(trx, {
      action: 'training.import',
      actor: options.actor,
      targetType: 'school',
      targetId: schoolId,
      schoolId,
      ip: options.ip,
      details: { importId, rows: report.rows, created: report.created, duplicates },
      at: options.now,
    });
  });
  return { status: 'imported', ...report };
}

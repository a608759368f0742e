import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Role } from '../../access/roles.js';
import { recordAudit } from '../../audit/service.js';
import { newId } from '../../db/ids.js';
import type { DB } from '../../db/tables.js';
import { AppError } from '../../errors/errors.js';
import type { AppContext } from '../../server/context.js';
import { ensureDerivedGroups } from '../service.js';
import { planClasses } from './classes.js';
import { decodeCsvBytes, type DetectedEncoding } from './decode.js';
import { KIND_FIELDS, resolveMapping, suggestMapping, type ImportKind } from './kinds.js';
import { planParentLinks } from './parent-links.js';
import { parseCsv, type CsvRow, type ParsedCsv } from './parse.js';
import { emptyPlan, executePlan, type PlanEnv, type WritePlan } from './plan.js';
import { ChangeTally, ERROR_LIST_LIMIT, sortProblems, type ImportProblem, type ImportReport } from './report.js';
import { planStaff } from './staff.js';
import { planStudents } from './students.js';

export type { ImportKind } from './kinds.js';
export type { ImportReport } from './report.js';

type Planner = (db: Kysely<DB>, rows: readonly CsvRow[], env: PlanEnv) => Promise<{ years: number[] }>;

const PLANNERS: Record<ImportKind, Planner> = {
  students: planStudents,
  staff: planStaff,
  parents: planParentLinks,
  classes: planClasses,
};

const SAMPLE_ROWS = 5;

export function assertWithinUploadLimit(content: Buffer, limitBytes: number): void {
  if (content.length > limitBytes) {
    throw new AppError('payload_too_large', `The file is ${content.length} bytes; the most this server accepts is ${limitBytes} bytes.`);
  }
}

export interface ImportPreview {
  encoding: DetectedEncoding;
  headers: string[];
  suggestedMapping: Record<string, string | null>;
  sampleRows: string[][];
  rowCount: number;
  /** The fields this kind can fill, so a mapping screen can list them. */
  fields: { field: string; label: string; required: boolean }[];
}

/**
 * What the file looks like and how its columns would be read, before anything is imported.
 * Throws `invalid_csv` when the file is not readable CSV.
 *
 * @example
 *   previewImport(Buffer.from('UPN,Forename,Surname,Year\nA1,Zoë,Ó Briain,7\n'), 'students').suggestedMapping.misId; // 'UPN'
 */
export function previewImport(content: Buffer, kind: ImportKind): ImportPreview {
  const { text, encoding } = decodeCsvBytes(content);
  const csv = parseCsv(text);
  return {
    encoding,
    headers: csv.headers,
    suggestedMapping: suggestMapping(kind, csv.headers),
    sampleRows: csv.rows.slice(0, SAMPLE_ROWS).map((r) => r.values),
    rowCount: csv.rows.length,
    fields: KIND_FIELDS[kind].map(({ field, label, required }) => ({ field, label, required })),
  };
}

export interface ImportInput {
  schoolId: string;
  kind: ImportKind;
  fileName: string;
  content: Buffer;
  /** Field → column heading; overrides the suggestion per field. '' leaves a field out. */
  mapping?: Record<string, string>;
  dryRun: boolean;
  actor: { accountId: string; username: string } | null;
  ip?: string | null;
  /**
   * The file lists everyone of its kind, so people (and classes) it leaves out have left.
   * Defaults to true; turn off for a partial file such as one year group.
   */
  markLeavers?: boolean;
  /** Roles the importer may grant through a staff file's roles column; omitted means any. */
  grantableRoles?: readonly Role[];
}

interface Planned {
  encoding: DetectedEncoding | null;
  mapping: Record<string, string | null>;
  rows: number;
  problems: ImportProblem[];
  tally: ChangeTally;
  plan: WritePlan;
  years: number[];
}

/** Reads, maps and plans the file against the database as `db` sees it. Writes nothing. */
async function planImport(db: Kysely<DB>, input: ImportInput, now: Date): Promise<Planned> {
  const planned: Planned = { encoding: null, mapping: {}, rows: 0, problems: [], tally: new ChangeTally(), plan: emptyPlan(), years: [] };
  const decoded = decodeCsvBytes(input.content);
  planned.encoding = decoded.encoding;
  let csv: ParsedCsv;
  try {
    csv = parseCsv(decoded.text);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const line = (error.details as { line?: number } | undefined)?.line ?? 1;
    planned.problems.push({ line, reason: error.message });
    return planned;
  }
  planned.rows = csv.rows.length;
  const { columns, problems } = resolveMapping(input.kind, csv.headers, input.mapping);
  planned.mapping = Object.fromEntries(
    KIND_FIELDS[input.kind].map((s) => [s.field, columns.has(s.field) ? csv.headers[columns.get(s.field)!]! : null]),
  );
  planned.problems.push(...problems.map((p) => ({ line: 1, ...p })));
  // An empty file would otherwise mark every student as a leaver.
  if (csv.rows.length === 0) planned.problems.push({ line: 2, reason: 'the file has a header row but no data rows' });
  if (planned.problems.length) return planned;
  const env: PlanEnv = {
    schoolId: input.schoolId,
    now,
    markLeavers: input.markLeavers ?? true,
    grantedBy: input.actor?.accountId ?? null,
    grantableRoles: input.grantableRoles ? new Set(input.grantableRoles) : null,
    columns,
    problems: planned.problems,
    tally: planned.tally,
    plan: planned.plan,
  };
  planned.years = (await PLANNERS[input.kind](db, csv.rows, env)).years;
  return planned;
}

function reportOf(input: ImportInput, planned: Planned, status: ImportReport['status'], importRunId: string): ImportReport {
  const rejected = status === 'rejected';
  const errors = sortProblems(planned.problems);
  const t = planned.tally;
  return {
    kind: input.kind,
    dryRun: input.dryRun,
    encoding: planned.encoding,
    fileName: input.fileName,
    mapping: planned.mapping,
    rows: planned.rows,
    // A rejected file changes nothing, so it reports nothing as changed.
    created: rejected ? 0 : t.created,
    updated: rejected ? 0 : t.updated,
    unchanged: rejected ? 0 : t.unchanged,
    left: rejected ? 0 : t.left,
    groups: rejected ? { created: 0, updated: 0, archived: 0 } : { ...t.groups },
    errors: errors.slice(0, ERROR_LIST_LIMIT),
    errorCount: errors.length,
    changes: rejected ? [] : t.changes,
    changeCount: rejected ? 0 : t.changeCount,
    status,
    importRunId,
  };
}

async function recordRun(db: Kysely<DB>, input: ImportInput, report: ImportReport, sha256: string, now: Date): Promise<void> {
  const { changes: _changes, ...summary } = report;
  await db
    .insertInto('import_runs')
    .values({
      id: report.importRunId,
      school_id: input.schoolId,
      kind: input.kind,
      file_name: input.fileName,
      file_sha256: sha256,
      dry_run: input.dryRun ? 1 : 0,
      status: report.status,
      summary: JSON.stringify(summary),
      created_by: input.actor?.accountId ?? null,
      created_at: now.toISOString(),
    })
    .execute();
}

/**
 * Imports one MIS CSV export for a school. All or nothing: any bad row rejects the whole file
 * and only the run's record is written; otherwise every change is applied in one transaction
 * with one audit entry. A dry run reports the same as a real run would, and writes only its run
 * record. Re-importing the same file changes nothing.
 *
 * @example
 *   const report = await runImport(ctx, { schoolId, kind: 'students', fileName: 'pupils.csv', content, dryRun: true, actor });
 *   report.status; // 'dry_run' | 'rejected'
 */
export async function runImport(ctx: AppContext, input: ImportInput): Promise<ImportReport> {
  assertWithinUploadLimit(input.content, ctx.config.uploadLimitBytes);
  const now = ctx.clock();
  const importRunId = newId();
  const sha256 = createHash('sha256').update(input.content).digest('hex');

  if (input.dryRun) {
    const planned = await planImport(ctx.db, input, now);
    const report = reportOf(input, planned, planned.problems.length ? 'rejected' : 'dry_run', importRunId);
    await recordRun(ctx.db, input, report, sha256, now);
    return report;
  }

  // Planning inside the transaction means the plan is made against the data it will change.
  const outcome = await ctx.db.transaction().execute(async (trx) => {
    if (ctx.store.dialect === 'postgres') {
      // Serialises imports per school so two uploads cannot plan against the same snapshot.
      await sql`select id from schools where id = ${input.schoolId} for update`.execute(trx);
    }
    const planned = await planImport(trx, input, now);
    if (planned.problems.length) return { planned, report: reportOf(input, planned, 'rejected', importRunId) };
    await executePlan(trx, planned.plan, now);
    if (planned.years.length) await ensureDerivedGroups(trx, input.schoolId, planned.years, now);
    const report = reportOf(input, planned, 'applied', importRunId);
    await recordRun(trx, input, report, sha256, now);
    await recordAudit(trx, {
      action: 'directory.import',
      actor: input.actor,
      targetType: 'import_run',
      targetId: importRunId,
      schoolId: input.schoolId,
      ip: input.ip ?? null,
      details: {
        kind: input.kind,
        fileName: input.fileName,
        sha256,
        rows: report.rows,
        created: report.created,
        updated: report.updated,
        unchanged: report.unchanged,
        left: report.left,
        groups: report.groups,
      },
      at: now,
    });
    return { planned, report };
  });
  if (outcome.report.status === 'rejected') await recordRun(ctx.db, input, outcome.report, sha256, now);
  return outcome.report;
}

export interface ImportRunSummary {
  id: string;
  kind: string;
  fileName: string;
  status: string;
  dryRun: boolean;
  createdAt: string;
  createdBy: string | null;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  left: number;
  errorCount: number;
}

/** The school's recent imports, newest first, for the import history screen. */
export async function listImportRuns(db: Kysely<DB>, schoolId: string, limit = 50): Promise<ImportRunSummary[]> {
  const runs = await db
    .selectFrom('import_runs')
    .leftJoin('accounts', 'accounts.id', 'import_runs.created_by')
    .select([
      'import_runs.id',
      'import_runs.kind',
      'import_runs.file_name',
      'import_runs.status',
      'import_runs.dry_run',
      'import_runs.created_at',
      'import_runs.summary',
      'accounts.username',
    ])
    .where('import_runs.school_id', '=', schoolId)
    .orderBy('import_runs.created_at', 'desc')
    .orderBy('import_runs.id')
    .limit(limit)
    .execute();
  return runs.map((r) => {
    const s = JSON.parse(r.summary) as Partial<ImportReport>;
    return {
      id: r.id,
      kind: r.kind,
      fileName: r.file_name,
      status: r.status,
      dryRun: Boolean(r.dry_run),
      createdAt: r.created_at,
      createdBy: r.username ?? null,
      rows: s.rows ?? 0,
      created: s.created ?? 0,
      updated: s.updated ?? 0,
      unchanged: s.unchanged ?? 0,
      left: s.left ?? 0,
      errorCount: s.errorCount ?? 0,
    };
  });
}

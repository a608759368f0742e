/**
 * Making, keeping and finding reports. One report per school, kind and period: the unique
 * key in `monitor_reports` is what stops a second run (the schedule on another web node, a DSL
 * pressing the button twice) from sending the same summary again.
 */
import { recordAudit } from '../../audit/service.js';
import { newId } from '../../db/ids.js';
import type { MonitorReportTable } from '../../db/tables.js';
import { AppError, notFound } from '../../errors/errors.js';
import type { Mailer } from '../../notify/mailer.js';
import type { AppContext } from '../../server/context.js';
import { buildDailyReport } from './daily.js';
import { lastCompletePeriod, localDate, parseDate, periodOf, type ReportKind, type ReportPeriod } from './period.js';
import { type SendLog, sendReport } from './send.js';
import type { ReportData } from './types.js';
import { buildWeeklyReport } from './weekly.js';

export interface StoredReport {
  id: string;
  schoolId: string;
  kind: ReportKind;
  periodStart: string;
  periodEnd: string;
  createdAt: string;
  emailedTo: number;
  data: ReportData;
}

export interface ReportRunner {
  username: string;
  accountId: string | null;
}

/** The scheduled job's name in `monitor_purges.ran_by` and the audit log. */
export const MONITOR_JOB: ReportRunner = { username: 'monitor-job', accountId: null };

const toStored = (row: MonitorReportTable): StoredReport => ({
  id: row.id,
  schoolId: row.school_id,
  kind: row.kind,
  periodStart: row.period_start,
  periodEnd: row.period_end,
  createdAt: row.created_at,
  emailedTo: row.emailed_to,
  data: JSON.parse(row.data) as ReportData,
});

/** The period a run covers: the date's day or week, or the last complete one; never one still going on. */
export function periodToRun(kind: ReportKind, date: string | undefined, now: Date): ReportPeriod {
  const period = date ? periodOf(kind, parseDate(date)) : lastCompletePeriod(kind, now);
  if (period.end.getTime() > now.getTime()) {
    const what = kind === 'daily' ? `the day ${period.days[0]}` : `the week of ${period.days[0]} to ${period.days.at(-1)}`;
    throw new AppError(
      'validation_failed',
      `${what} has not ended yet: a report covers a whole ${kind === 'daily' ? 'day' : 'week'} and can be made from ${localDate(period.end)}`,
    );
  }
  return period;
}

async function findReport(ctx: AppContext, schoolId: string, kind: ReportKind, periodStart: string) {
  const row = await ctx.db
    .selectFrom('monitor_reports')
    .selectAll()
    .where('school_id', '=', schoolId)
    .where('kind', '=', kind)
    .where('period_start', '=', periodStart)
    .executeTakeFirst();
  return row ? toStored(row) : null;
}

/**
 * Builds a school's report for a period, stores it and (with `send`) sends it to the DSLs. A
 * report that exists already is handed back unchanged and is not sent again.
 *
 * @example
 *   const { report, created } = await runReport(ctx, mailer, { schoolId, kind: 'daily', send: true, by: MONITOR_JOB });
 */
export async function runReport(
  ctx: AppContext,
  mailer: Mailer | null,
  options: { schoolId: string; kind: ReportKind; date?: string; send: boolean; by: ReportRunner; log?: SendLog },
): Promise<{ report: StoredReport; created: boolean }> {
  const now = ctx.clock();
  const period = periodToRun(options.kind, options.date, now);
  const school = await ctx.db.selectFrom('schools').select(['id', 'name']).where('id', '=', options.schoolId).executeTakeFirst();
  if (!school) throw notFound('School');
  const existing = await findReport(ctx, school.id, options.kind, period.start.toISOString());
  if (existing) return { report: existing, created: false };

  const data = options.kind === 'daily' ? await buildDailyReport(ctx.db, school, period) : await buildWeeklyReport(ctx.db, school, period);
  const row: MonitorReportTable = {
    id: newId(),
    school_id: school.id,
    kind: options.kind,
    period_start: period.start.toISOString(),
    period_end: period.end.toISOString(),
    created_at: now.toISOString(),
    data: JSON.stringify(data),
    emailed_to: 0,
  };
  const inserted = await ctx.db.transaction().execute(async (trx) => {
    const result = await trx
      .insertInto('monitor_reports')
      .values(row)
      .onConflict((oc) => oc.columns(['school_id', 'kind', 'period_start']).doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0) return false;
    await recordAudit(trx, {
      action: 'monitor.report.created',
      actor: options.by.accountId ? { accountId: options.by.accountId, username: options.by.username } : null,
      targetType: 'monitor_report',
      targetId: row.id,
      schoolId: school.id,
      details: { kind: options.kind, firstDate: period.days[0], lastDate: period.days.at(-1), ranBy: options.by.username },
      at: now,
    });
    return true;
  });
  if (!inserted) {
    // Another node made it between our look and our insert: theirs is the one that was sent.
    const theirs = await findReport(ctx, school.id, options.kind, row.period_start);
    if (!theirs) throw new AppError('conflict', 'The report was being made elsewhere; try again');
    return { report: theirs, created: false };
  }
  const report = toStored(row);
  if (options.send) report.emailedTo = (await sendReport(ctx, mailer, report, options.log)).emailed;
  return { report, created: true };
}

export interface ReportListItem {
  id: string;
  kind: ReportKind;
  periodStart: string;
  periodEnd: string;
  firstDate: string;
  lastDate: string;
  createdAt: string;
  emailedTo: number;
}

/** A school's reports, newest period first. */
export async function listReports(ctx: AppContext, schoolId: string, limit = 200): Promise<ReportListItem[]> {
  const rows = await ctx.db
    .selectFrom('monitor_reports')
    .select(['id', 'kind', 'period_start', 'period_end', 'created_at', 'emailed_to'])
    .where('school_id', '=', schoolId)
    .orderBy('period_start', 'desc')
    .orderBy('kind')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    periodStart: r.period_start,
    periodEnd: r.period_end,
    firstDate: localDate(new Date(r.period_start)),
    lastDate: localDate(new Date(new Date(r.period_end).getTime() - 1)),
    createdAt: r.created_at,
    emailedTo: r.emailed_to,
  }));
}

export async function loadReport(ctx: AppContext, id: string): Promise<StoredReport | null> {
  const row = await ctx.db.selectFrom('monitor_reports').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toStored(row) : null;
}

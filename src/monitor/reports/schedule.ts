/**
 * The monitoring job: every `config.monitor.jobMinutes` it sends each school's due daily
 * summary and weekly report (by the school's `reports` settings) and purges old activity and
 * alerts once a day. Running it on several web nodes is safe: a report is unique per school and
 * period, so only the node that stores it sends it.
 */
import type { Mailer } from '../../notify/mailer.js';
import type { AppContext } from '../../server/context.js';
import { purgeDue, purgeSchool, type SchoolPurge } from '../retention/purge.js';
import { loadMonitorSettings } from '../settings.js';
import { addDays, lastCompletePeriod, localDate, localHour, type ReportKind, startOfDay, weekday } from './period.js';
import { MONITOR_JOB, runReport } from './store.js';

export interface MonitorScheduleLog {
  info(o: object, m?: string): void;
  error(o: object, m?: string): void;
}

/** Long enough for start-up to settle, short enough that a restart soon catches up. */
export const FIRST_RUN_DELAY_MS = 60_000;

/**
 * When the last complete period's report falls due: the daily summary for yesterday at
 * `dailyHour` today; the weekly report for last week on `weeklyDay` of this week at `dailyHour`.
 */
export function dueAt(kind: ReportKind, now: Date, settings: { dailyHour: number; weeklyDay: number }): Date {
  const today = localDate(now);
  const day = kind === 'daily' ? today : addDays(today, settings.weeklyDay - weekday(today));
  const at = startOfDay(day).getTime() + settings.dailyHour * 3_600_000;
  // On the days the clocks change, midnight and the hour are in different offsets; an hour the
  // clocks skip (01:00 in spring) stays where it fell.
  const hoursOff = ((settings.dailyHour - localHour(new Date(at)) + 36) % 24) - 12;
  const corrected = at + hoursOff * 3_600_000;
  return new Date(localHour(new Date(corrected)) === settings.dailyHour ? corrected : at);
}

export interface JobResult {
  reports: { schoolId: string; kind: ReportKind; id: string; created: boolean }[];
  purges: SchoolPurge[];
}

/**
 * One pass of the job over every school. A failure in one school is logged and the others go on.
 *
 * @example
 *   const { reports, purges } = await runMonitorJobs(ctx, mailer, log);
 */
export async function runMonitorJobs(ctx: AppContext, mailer: Mailer | null, log: MonitorScheduleLog): Promise<JobResult> {
  const result: JobResult = { reports: [], purges: [] };
  const schools = await ctx.db.selectFrom('schools').select(['id', 'created_at']).orderBy('id').execute();
  for (const school of schools) {
    try {
      const now = ctx.clock();
      const { reports } = await loadMonitorSettings(ctx.db, school.id);
      for (const kind of ['daily', 'weekly'] as const) {
        if (!(kind === 'daily' ? reports.dailyEnabled : reports.weeklyEnabled)) continue;
        if (now < dueAt(kind, now, reports)) continue;
        // A school set up after the period ended has nothing to report for it.
        if (new Date(school.created_at) >= lastCompletePeriod(kind, now).end) continue;
        const made = await runReport(ctx, mailer, { schoolId: school.id, kind, send: true, by: MONITOR_JOB, log });
        result.reports.push({ schoolId: school.id, kind, id: made.report.id, created: made.created });
      }
      if (await purgeDue(ctx.db, school.id, now)) {
        result.purges.push(await purgeSchool(ctx, school.id, { by: MONITOR_JOB, dryRun: false }));
      }
    } catch (error) {
      log.error({ err: error, schoolId: school.id }, 'monitoring job failed for a school; it will try again at the next run');
    }
  }
  return result;
}

/**
 * Starts the job (nothing when `config.monitor.jobMinutes` is 0), the first run shortly after
 * start. Never throws. `firstRun` settles when the first pass is over (tests wait on it).
 *
 * @example
 *   const monitorJobs = startMonitorSchedule(ctx, mailer, log);
 *   stops.push(() => monitorJobs.stop());
 */
export function startMonitorSchedule(
  ctx: AppContext,
  mailer: Mailer | null,
  log: MonitorScheduleLog,
  options: { firstRunDelayMs?: number } = {},
): { stop(): void; firstRun: Promise<JobResult | null> } {
  const interval = ctx.config.monitor.jobMinutes * 60_000;
  if (interval <= 0) return { stop() {}, firstRun: Promise.resolve(null) };
  let stopped = false;
  let running = false;

  const run = async (): Promise<JobResult | null> => {
    if (stopped || running) return null;
    running = true;
    try {
      const result = await runMonitorJobs(ctx, mailer, log);
      const made = result.reports.filter((r) => r.created).length;
      if (made > 0 || result.purges.length > 0) log.info({ reports: made, purges: result.purges.length }, 'monitoring job ran');
      return result;
    } catch (error) {
      log.error({ err: error }, 'monitoring job failed; it will try again at the next run');
      return null;
    } finally {
      running = false;
    }
  };

  let timer: NodeJS.Timeout | null = null;
  let first: NodeJS.Timeout | null = null;
  let settleFirst: (value: JobResult | null) => void = () => {};
  const firstRun = new Promise<JobResult | null>((resolve) => {
    settleFirst = resolve;
    first = setTimeout(() => {
      void run().then(resolve);
    }, options.firstRunDelayMs ?? FIRST_RUN_DELAY_MS);
    first.unref();
    timer = setInterval(() => void run(), interval);
    timer.unref();
  });
  return {
    firstRun,
    stop() {
      stopped = true;
      if (first) clearTimeout(first);
      if (timer) clearInterval(timer);
      settleFirst(null);
    },
  };
}

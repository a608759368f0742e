import type { AppContext } from '../../server/context.js';
import { runRetention, SCHEDULE_RUNNER } from './job.js';

export interface RetentionScheduleLog {
  info(o: object, m?: string): void;
  error(o: object, m?: string): void;
}

/** Long enough for start-up to settle, short enough that a restart soon catches up. */
export const FIRST_RUN_DELAY_MS = 60_000;

/**
 * Runs the retention job for every school every config.retention.jobHours (0: never), the
 * first time shortly after start. Never throws: a failed run is logged and the next one tries
 * again, so a database hiccup cannot take the web server down. `firstRun` settles when the
 * first run is over (tests wait on it).
 *
 * @example
 *   const retention = startRetentionSchedule(ctx, log);
 *   stops.push(() => retention.stop());
 */
export function startRetentionSchedule(
  ctx: AppContext,
  log: RetentionScheduleLog,
  options: { firstRunDelayMs?: number } = {},
): { stop(): void; firstRun: Promise<void> } {
  const interval = ctx.config.retention.jobHours * 3_600_000;
  if (interval <= 0) return { stop() {}, firstRun: Promise.resolve() };
  let stopped = false;
  let running = false;

  const run = async () => {
    if (stopped || running) return;
    running = true;
    try {
      const result = await runRetention(ctx, { by: SCHEDULE_RUNNER, dryRun: false });
      const archived = result.schools.reduce((n, s) => n + s.archived.length, 0);
      log.info({ archived, schools: result.schools.length }, 'retention job ran');
    } catch (error) {
      log.error({ err: error }, 'retention job failed; it will try again at the next run');
    } finally {
      running = false;
    }
  };

  let timer: NodeJS.Timeout | null = null;
  let stopFirst = () => {};
  const firstRun = new Promise<void>((resolve) => {
    const first = setTimeout(() => {
      void run().then(resolve);
    }, options.firstRunDelayMs ?? FIRST_RUN_DELAY_MS);
    first.unref();
    // Timers cannot wait longer than about 24 days, and the setting allows 31: tick at most hourly.
    let lastRun = ctx.clock().getTime();
    timer = setInterval(
      () => {
        if (ctx.clock().getTime() - lastRun < interval) return;
        lastRun = ctx.clock().getTime();
        void run();
      },
      Math.min(interval, 3_600_000),
    );
    timer.unref();
    stopFirst = () => {
      clearTimeout(first);
      resolve();
    };
  });
  return {
    firstRun,
    stop() {
      stopped = true;
      stopFirst();
      if (timer) clearInterval(timer);
    },
  };
}

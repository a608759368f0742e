import type { AppContext } from '../../server/context.js';
import { importUt1, UT1_SOURCE } from './import.js';
import { refreshLockedLists } from './locked.js';
import { listRowSummaries } from './repository.js';

export interface ListScheduleLog {
  info(o: object, m?: string): void;
  warn(o: object, m?: string): void;
}

/**
 * Keeps the lists current: refreshes the locked lists now, imports UT1 from
 * config.filter.ut1Source now if it was never imported, then refreshes both every
 * config.filter.listUpdateHours (0: only the start-up run). Never throws; failures are logged
 * and the lists in force stay. `firstRun` settles when the start-up run is over.
 *
 * @example
 *   const lists = startListSchedule(ctx, app.log);
 *   app.addHook('onClose', async () => lists.stop());
 */
export function startListSchedule(ctx: AppContext, log: ListScheduleLog): { stop(): void; firstRun: Promise<void> } {
  let stopped = false;

  const refreshLocked = async () => {
    const report = await refreshLockedLists(ctx);
    for (const list of report.lists) {
      if (list.status === 'kept')
        log.warn({ source: list.source, category: list.category, error: list.error }, 'locked list not refreshed');
      else if (list.status === 'applied')
        log.info({ source: list.source, category: list.category, entries: list.entries }, 'locked list refreshed');
    }
  };

  const importLists = async () => {
    const report = await importUt1(ctx, { source: ctx.config.filter.ut1Source, actor: null });
    const fields = { importId: report.id, status: report.status, added: report.totals.added, removed: report.totals.removed };
    if (report.status === 'applied' || report.status === 'unchanged') log.info(fields, 'category lists checked');
    else log.warn({ ...fields, error: report.error }, 'category list update refused; the lists in force are kept');
  };

  const run = async (startUp: boolean) => {
    if (stopped) return;
    try {
      await refreshLocked();
      if (stopped) return;
      const neverImported = (await listRowSummaries(ctx.db, UT1_SOURCE)).length === 0;
      if (!startUp || neverImported) await importLists();
    } catch (error) {
      log.warn({ error: (error as Error).message }, 'list update failed; the lists in force are kept');
    }
  };

  let lastRun = ctx.clock().getTime();
  const firstRun = run(true);
  const interval = ctx.config.filter.listUpdateHours * 3_600_000;
  // Timers cannot wait longer than about 24 days, and the setting allows 31: tick at most hourly.
  const timer =
    interval > 0
      ? setInterval(
          () => {
            if (ctx.clock().getTime() - lastRun < interval) return;
            lastRun = ctx.clock().getTime();
            void run(false);
          },
          Math.min(interval, 3_600_000),
        )
      : null;
  timer?.unref();
  return {
    firstRun,
    stop() {
      stopped = true;
      if (timer) clearInterval(timer);
    },
  };
}

/**
 * Retention of monitoring data (docs/monitoring/retention.md). Raw activity is kept for the
 * school's `retention.activityDays` (90 by default) and then deleted; alerts that were closed
 * or marked false positives are deleted, with their notes, `retention.alertDays` after they
 * were resolved. Open and escalated alerts are never deleted: an open one is still work to do,
 * and an escalated one's substance lives on in the safeguarding incident, which has its own
 * retention.
 *
 * Activity tables can hold millions of rows, so deletes go in chunks of `chunkSize`, each its
 * own short statement: ingestion keeps writing while the purge runs.
 */
import type { Kysely } from 'kysely';
import { recordAudit } from '../../audit/service.js';
import { newId } from '../../db/ids.js';
import type { DB } from '../../db/tables.js';
import type { AppContext } from '../../server/context.js';
import { loadMonitorSettings } from '../settings.js';
import type { PurgeStatus, SchoolPurge } from './wire.js';

export type { PurgeStatus, SchoolPurge };

export const DEFAULT_CHUNK = 5000;
/** The job purges each school at most this often. */
export const PURGE_EVERY_MS = 24 * 3_600_000;

export interface PurgeRunner {
  username: string;
  accountId: string | null;
}

const RESOLVED_FOR_GOOD = ['false_positive', 'closed'] as const;

async function countOld(db: Kysely<DB>, schoolId: string, activityBefore: string, alertsBefore: string) {
  const n = (v: unknown) => Number(v ?? 0);
  const activity = await db
    .selectFrom('activity_events')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('school_id', '=', schoolId)
    .where('at', '<', activityBefore)
    .executeTakeFirstOrThrow();
  const events = await db
    .selectFrom('monitor_events')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('school_id', '=', schoolId)
    .where('at', '<', activityBefore)
    .executeTakeFirstOrThrow();
  const alerts = await db
    .selectFrom('monitor_alerts')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('school_id', '=', schoolId)
    .where('status', 'in', RESOLVED_FOR_GOOD)
    .where('resolved_at', '<', alertsBefore)
    .executeTakeFirstOrThrow();
  const notes = await db
    .selectFrom('monitor_alert_notes')
    .innerJoin('monitor_alerts', 'monitor_alerts.id', 'monitor_alert_notes.alert_id')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('monitor_alerts.school_id', '=', schoolId)
    .where('monitor_alerts.status', 'in', RESOLVED_FOR_GOOD)
    .where('monitor_alerts.resolved_at', '<', alertsBefore)
    .executeTakeFirstOrThrow();
  return { activity: n(activity.n), events: n(events.n), alerts: n(alerts.n), notes: n(notes.n) };
}

async function deleteActivity(db: Kysely<DB>, schoolId: string, before: string, chunk: number): Promise<number> {
  let total = 0;
  for (;;) {
    const result = await db
      .deleteFrom('activity_events')
      .where('id', 'in', (eb) =>
        eb.selectFrom('activity_events').select('id').where('school_id', '=', schoolId).where('at', '<', before).limit(chunk),
      )
      .executeTakeFirst();
    const deleted = Number(result.numDeletedRows);
    total += deleted;
    if (deleted < chunk) return total;
  }
}

async function deleteEvents(db: Kysely<DB>, schoolId: string, before: string, chunk: number): Promise<number> {
  let total = 0;
  for (;;) {
    const result = await db
      .deleteFrom('monitor_events')
      .where('id', 'in', (eb) =>
        eb.selectFrom('monitor_events').select('id').where('school_id', '=', schoolId).where('at', '<', before).limit(chunk),
      )
      .executeTakeFirst();
    const deleted = Number(result.numDeletedRows);
    total += deleted;
    if (deleted < chunk) return total;
  }
}

/** Alerts and their notes go together, chunk by chunk, so no note is ever left without its alert. */
async function deleteAlerts(db: Kysely<DB>, schoolId: string, before: string, chunk: number): Promise<{ alerts: number; notes: number }> {
  let alerts = 0;
  let notes = 0;
  for (;;) {
    const ids = (
      await db
        .selectFrom('monitor_alerts')
        .select('id')
        .where('school_id', '=', schoolId)
        .where('status', 'in', RESOLVED_FOR_GOOD)
        .where('resolved_at', '<', before)
        .limit(Math.min(chunk, 1000))
        .execute()
    ).map((r) => r.id);
    if (ids.length === 0) return { alerts, notes };
    await db.transaction().execute(async (trx) => {
      // The status is checked again inside the transaction: an alert reopened meanwhile stays, with
      // its notes. The no-op update locks the rows on PostgreSQL, so a reopening waits for the commit.
      const still = (
        await trx
          .updateTable('monitor_alerts')
          .set((eb) => ({ status: eb.ref('status') }))
          .where('id', 'in', ids)
          .where('status', 'in', RESOLVED_FOR_GOOD)
          .where('resolved_at', '<', before)
          .returning('id')
          .execute()
      ).map((r) => r.id);
      if (still.length === 0) return;
      const n = await trx.deleteFrom('monitor_alert_notes').where('alert_id', 'in', still).executeTakeFirst();
      const a = await trx.deleteFrom('monitor_alerts').where('id', 'in', still).executeTakeFirst();
      notes += Number(n.numDeletedRows);
      alerts += Number(a.numDeletedRows);
    });
  }
}

/**
 * Purges one school by its own settings. A dry run counts what would go and writes nothing.
 *
 * @example
 *   const result = await purgeSchool(ctx, schoolId, { by: { username: 'monitor-job', accountId: null }, dryRun: false });
 */
export async function purgeSchool(
  ctx: AppContext,
  schoolId: string,
  options: { by: PurgeRunner; dryRun: boolean; chunkSize?: number },
): Promise<SchoolPurge> {
  const now = ctx.clock();
  const { retention } = await loadMonitorSettings(ctx.db, schoolId);
  const activityBefore = new Date(now.getTime() - retention.activityDays * 86_400_000).toISOString();
  const alertsBefore = new Date(now.getTime() - retention.alertDays * 86_400_000).toISOString();
  const base = { schoolId, dryRun: options.dryRun, activityBefore, alertsBefore };
  if (options.dryRun) {
    const c = await countOld(ctx.db, schoolId, activityBefore, alertsBefore);
    return { ...base, activityDeleted: c.activity, eventsDeleted: c.events, alertsDeleted: c.alerts, notesDeleted: c.notes, purgeId: null };
  }
  const chunk = options.chunkSize ?? DEFAULT_CHUNK;
  const activityDeleted = await deleteActivity(ctx.db, schoolId, activityBefore, chunk);
  const eventsDeleted = await deleteEvents(ctx.db, schoolId, activityBefore, chunk);
  const { alerts: alertsDeleted, notes: notesDeleted } = await deleteAlerts(ctx.db, schoolId, alertsBefore, chunk);
  const purgeId = newId();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('monitor_purges')
      .values({
        id: purgeId,
        school_id: schoolId,
        ran_at: now.toISOString(),
        ran_by: options.by.username,
        activity_before: activityBefore,
        alerts_before: alertsBefore,
        activity_deleted: activityDeleted,
        events_deleted: eventsDeleted,
        alerts_deleted: alertsDeleted,
      })
      .execute();
    await recordAudit(trx, {
      action: 'monitor.retention.purge',
      actor: options.by.accountId ? { accountId: options.by.accountId, username: options.by.username } : null,
      targetType: 'monitor_purge',
      targetId: purgeId,
      schoolId,
      details: {
        ranBy: options.by.username,
        activityDays: retention.activityDays,
        alertDays: retention.alertDays,
        activityBefore,
        alertsBefore,
        activityDeleted,
        eventsDeleted,
        alertsDeleted,
        notesDeleted,
      },
      at: now,
    });
  });
  return { ...base, activityDeleted, eventsDeleted, alertsDeleted, notesDeleted, purgeId };
}

/** Every school, or the one given. */
export async function runPurge(
  ctx: AppContext,
  options: { schoolId?: string; by: PurgeRunner; dryRun: boolean; chunkSize?: number },
): Promise<SchoolPurge[]> {
  let schools = ctx.db.selectFrom('schools').select('id').orderBy('id');
  if (options.schoolId) schools = schools.where('id', '=', options.schoolId);
  const results: SchoolPurge[] = [];
  for (const s of await schools.execute()) results.push(await purgeSchool(ctx, s.id, options));
  return results;
}

/** The school's retention periods, its last purges and when the next is due. */
export async function purgeStatus(ctx: AppContext, schoolId: string): Promise<PurgeStatus> {
  const { retention } = await loadMonitorSettings(ctx.db, schoolId);
  const rows = await ctx.db
    .selectFrom('monitor_purges')
    .selectAll()
    .where('school_id', '=', schoolId)
    .orderBy('ran_at', 'desc')
    .orderBy('id')
    .limit(20)
    .execute();
  const jobMinutes = ctx.config.monitor.jobMinutes;
  const now = ctx.clock().getTime();
  const last = rows[0] ? new Date(rows[0].ran_at).getTime() : null;
  const nextDueAt = jobMinutes <= 0 ? null : new Date(last === null ? now : Math.max(now, last + PURGE_EVERY_MS)).toISOString();
  return {
    retention,
    jobMinutes,
    purges: rows.map((r) => ({
      id: r.id,
      ranAt: r.ran_at,
      ranBy: r.ran_by,
      activityBefore: r.activity_before,
      alertsBefore: r.alerts_before,
      activityDeleted: r.activity_deleted,
      eventsDeleted: r.events_deleted,
      alertsDeleted: r.alerts_deleted,
    })),
    nextDueAt,
  };
}

/** Whether the schedule should purge the school now: never purged, or not for a day. */
export async function purgeDue(db: Kysely<DB>, schoolId: string, now: Date): Promise<boolean> {
  const last = await db
    .selectFrom('monitor_purges')
    .select('ran_at')
    .where('school_id', '=', schoolId)
    .orderBy('ran_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return !last || now.getTime() - new Date(last.ran_at).getTime() >= PURGE_EVERY_MS;
}

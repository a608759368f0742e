/**
 * Triage changes: notes, false positives, closing, reopening, and the same in bulk. The caller
 * has loaded the alert through `loadAlertFor`, which authorised the actor on it.
 */
import type { Kysely } from 'kysely';
import type { Actor } from '../../access/policy.js';
import { recordAudit } from '../../audit/service.js';
import { newId } from '../../db/ids.js';
import type { DB } from '../../db/tables.js';
import { AppError } from '../../errors/errors.js';
import { type AlertRow, type AlertStatus, type Client, loadAlertFor } from './service.js';

const actorRef = (actor: Actor) => ({ accountId: actor.accountId, username: actor.username });

async function insertNote(db: Kysely<DB>, actor: Actor, row: AlertRow, text: string, at: Date): Promise<void> {
  await db
    .insertInto('monitor_alert_notes')
    .values({
      id: newId(),
      alert_id: row.id,
      school_id: row.school_id,
      author_person_id: actor.personId,
      author_name: actor.displayName,
      at: at.toISOString(),
      text,
    })
    .execute();
}

/** A note on the alert; allowed whatever its status, since notes change nothing. */
export async function addAlertNote(db: Kysely<DB>, actor: Actor, row: AlertRow, text: string, client: Client, at: Date): Promise<void> {
  const trimmed = text.trim();
  if (!trimmed) throw new AppError('validation_failed', 'The note must not be empty');
  await db.transaction().execute(async (trx) => {
    await insertNote(trx, actor, row, trimmed, at);
    await recordAudit(trx, {
      action: 'monitor.alert.note',
      actor: actorRef(actor),
      targetType: 'monitor_alert',
      targetId: row.id,
      schoolId: row.school_id,
      ip: client.ip,
      at,
    });
  });
}

export type StatusChange = { action: 'false_positive'; reason: string } | { action: 'close'; note?: string } | { action: 'reopen' };

/** From which statuses each change may be made; an escalated alert belongs to its incident now. */
const ALLOWED_FROM: Record<StatusChange['action'], readonly AlertStatus[]> = {
  false_positive: ['open', 'closed'],
  close: ['open'],
  reopen: ['false_positive', 'closed'],
};

function refuseChange(row: AlertRow, change: StatusChange['action']): AppError {
  if (row.status === 'escalated') {
    return new AppError('monitor.alert_resolved', 'This alert was escalated to a safeguarding incident and can no longer be changed here');
  }
  const what = { false_positive: 'marked a false positive', close: 'closed', reopen: 'reopened' }[change];
  return new AppError('monitor.alert_resolved', `An alert that is ${row.status.replace('_', ' ')} cannot be ${what}`);
}

/**
 * Marks a false positive (with the reason), closes or reopens an alert. The update is
 * conditional on the status it was read with, so two DSLs acting at once cannot both win.
 *
 * @example
 *   await changeAlertStatus(db, actor, row, { action: 'false_positive', reason: 'Geography homework' }, { ip }, now);
 */
export async function changeAlertStatus(
  db: Kysely<DB>,
  actor: Actor,
  row: AlertRow,
  change: StatusChange,
  client: Client,
  at: Date,
): Promise<void> {
  if (!ALLOWED_FROM[change.action].includes(row.status)) throw refuseChange(row, change.action);
  const when = at.toISOString();
  const set =
    change.action === 'reopen'
      ? { status: 'open' as const, fp_reason: null, resolved_by: null, resolved_at: null }
      : change.action === 'false_positive'
        ? { status: 'false_positive' as const, fp_reason: change.reason.trim(), resolved_by: actor.personId, resolved_at: when }
        : { status: 'closed' as const, resolved_by: actor.personId, resolved_at: when };
  await db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('monitor_alerts')
      .set(set)
      .where('id', '=', row.id)
      .where('status', '=', row.status)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) {
      const now = await trx.selectFrom('monitor_alerts').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
      throw refuseChange(now, change.action);
    }
    if (change.action === 'close' && change.note?.trim()) await insertNote(trx, actor, row, change.note.trim(), at);
    await recordAudit(trx, {
      action: `monitor.alert.${change.action}`,
      actor: actorRef(actor),
      targetType: 'monitor_alert',
      targetId: row.id,
      schoolId: row.school_id,
      ip: client.ip,
      details: change.action === 'false_positive' ? { from: row.status, reason: change.reason.trim() } : { from: row.status },
      at,
    });
  });
}

/**
 * One change applied to many alerts, each authorised on its own. An alert the actor may not
 * triage is skipped as "not found", exactly like one that does not exist.
 */
export async function bulkChange(
  db: Kysely<DB>,
  actor: Actor,
  ids: readonly string[],
  change: StatusChange,
  client: Client,
  at: Date,
): Promise<{ updated: string[]; skipped: { id: string; reason: string }[] }> {
  const updated: string[] = [];
  const skipped: { id: string; reason: string }[] = [];
  for (const id of new Set(ids)) {
    try {
      const row = await loadAlertFor(db, actor, id, 'monitor.alert.triage', client, at, false);
      await changeAlertStatus(db, actor, row, change, client, at);
      updated.push(id);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      skipped.push({ id, reason: error.id === 'not_found' ? 'not found' : error.message });
    }
  }
  return { updated, skipped };
}

import type { Kysely } from 'kysely';
import type { Actor } from '../../access/policy.js';
import { newId } from '../../db/ids.js';
import type { DB, IncidentActionTable } from '../../db/tables.js';
import { AppError, notFound } from '../../errors/errors.js';
import { applyInternetSanction, liftSanction } from '../../filter/policy/sanctions.js';
import type { IncidentRow } from '../access.js';
import { actionLabel, isActionFor } from './catalogue.js';
import { appendEntry } from './entries.js';
import { suggestActions, type Suggestion } from './suggestions.js';

export type ActionStatus = IncidentActionTable['status'];

export interface ActionView {
  id: string;
  action: string;
  label: string;
  status: ActionStatus;
  suggested: boolean;
  dueAt: string | null;
  note: string | null;
  /** The person id of who marked it; resolve names for display. */
  doneBy: string | null;
  doneAt: string | null;
  sanctionId: string | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Urgent and high incidents get two days to act on; the rest a working week. */
export const defaultDueAt = (urgency: IncidentRow['urgency'], now: Date): Date =>
  new Date(now.getTime() + (urgency === 'urgent' || urgency === 'high' ? 2 : 5) * DAY_MS);

const viewOf = (r: IncidentActionTable): ActionView => ({
  id: r.id,
  action: r.action,
  label: actionLabel(r.action),
  status: r.status,
  suggested: Number(r.suggested) === 1,
  dueAt: r.due_at,
  note: r.note,
  doneBy: r.done_by,
  doneAt: r.done_at,
  sanctionId: r.sanction_id,
});

export async function listActions(db: Kysely<DB>, incidentId: string): Promise<ActionView[]> {
  const rows = await db
    .selectFrom('incident_actions')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(viewOf);
}

const requireOpen = (incident: IncidentRow) => {
  if (incident.status !== 'open') throw new AppError('conflict', 'This incident is closed');
};

/**
 * Records the incident type and creates the matrix's suggested actions as pending (escalated
 * when the subject has earlier warnings or sanctions). Actions the incident already has are
 * not duplicated, so triaging again after a change of type only adds what is new.
 */
export async function triageIncident(
  db: Kysely<DB>,
  incident: IncidentRow,
  incidentType: string,
  actor: Actor,
  now: Date,
): Promise<{ suggestion: Suggestion; actions: ActionView[] }> {
  requireOpen(incident);
  const suggestion = await suggestActions(db, incident, incidentType, now);
  const existing = new Set((await listActions(db, incident.id)).map((a) => a.action));
  const due = defaultDueAt(incident.urgency, now).toISOString();
  const added = suggestion.actions.filter((a) => !existing.has(a));
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('incidents')
      .set({ incident_type: incidentType, updated_at: now.toISOString() })
      .where('id', '=', incident.id)
      .execute();
    for (const action of added) {
      await trx
        .insertInto('incident_actions')
        .values({
          id: newId(),
          incident_id: incident.id,
          action,
          status: 'pending',
          suggested: 1,
          due_at: due,
          note: null,
          done_by: null,
          done_at: null,
          sanction_id: null,
          created_at: now.toISOString(),
          updated_at: now.toISOString(),
        })
        .execute();
    }
    const escalation = suggestion.escalatedFrom
      ? ` Escalated to continued infringements after earlier warnings or sanctions (${suggestion.history.map((h) => h.reference).join(', ')}).`
      : '';
    await appendEntry(trx, {
      incidentId: incident.id,
      kind: 'status',
      body: `Triaged as ${incidentType}; actions to take: ${added.map(actionLabel).join('; ') || 'none new'}.${escalation}`,
      details: { incidentType, added, escalatedFrom: suggestion.escalatedFrom ?? null },
      authorPersonId: actor.personId,
      at: now,
    });
  });
  return { suggestion, actions: await listActions(db, incident.id) };
}

/** Adds an action the matrix did not suggest. */
export async function addAction(
  db: Kysely<DB>,
  incident: IncidentRow,
  input: { action: string; note?: string; dueAt?: Date },
  actor: Actor,
  now: Date,
): Promise<ActionView> {
  requireOpen(incident);
  if (!isActionFor(incident.subject_kind, input.action)) {
    throw new AppError('validation_failed', `Not an action for ${incident.subject_kind} incidents: ${input.action}`);
  }
  const id = newId();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('incident_actions')
      .values({
        id,
        incident_id: incident.id,
        action: input.action,
        status: 'pending',
        suggested: 0,
        due_at: (input.dueAt ?? defaultDueAt(incident.urgency, now)).toISOString(),
        note: input.note?.trim() || null,
        done_by: null,
        done_at: null,
        sanction_id: null,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      })
      .execute();
    await appendEntry(trx, {
      incidentId: incident.id,
      kind: 'action',
      body: `Action added: ${actionLabel(input.action)}`,
      details: { actionId: id, action: input.action },
      authorPersonId: actor.personId,
      at: now,
    });
  });
  return (await listActions(db, incident.id)).find((a) => a.id === id)!;
}

/**
 * Applies "removal of internet access rights" as a timed filter sanction for every student
 * the incident is about; returns the sanction ids.
 */
async function removeInternetAccess(db: Kysely<DB>, incident: IncidentRow, until: Date, actor: Actor, now: Date): Promise<string[]> {
  if (until.getTime() <= now.getTime()) throw new AppError('validation_failed', 'The sanction must end in the future');
  const subjects = await db
    .selectFrom('incident_people')
    .innerJoin('people', 'people.id', 'incident_people.person_id')
    .select('people.id')
    .where('incident_people.incident_id', '=', incident.id)
    .where('incident_people.role', '=', 'subject')
    .where('people.kind', '=', 'student')
    .execute();
  if (subjects.length === 0) throw new AppError('validation_failed', 'This incident has no student subject to remove internet access from');
  const ids: string[] = [];
  for (const subject of subjects) {
    ids.push(
      await applyInternetSanction(db, {
        schoolId: incident.school_id,
        trustId: actor.trustId,
        personId: subject.id,
        from: now,
        until,
        reason: `Incident ${incident.reference}: removal of internet access rights`,
        source: 'incident',
        sourceId: incident.id,
        actor: { accountId: actor.accountId, name: actor.displayName },
        now,
      }),
    );
  }
  return ids;
}

/** Gives internet access back when a removal is taken back; a sanction lifted on the filtering page already is left alone. */
async function restoreInternetAccess(
  db: Kysely<DB>,
  incident: IncidentRow,
  sanctionIds: string[],
  status: ActionStatus,
  actor: Actor,
  now: Date,
) {
  for (const sanctionId of sanctionIds) {
    try {
      await liftSanction(db, {
        schoolId: incident.school_id,
        trustId: actor.trustId,
        sanctionId,
        reason: `Incident ${incident.reference}: removal of internet access marked ${status.replace('_', ' ')}`,
        actor: { accountId: actor.accountId, username: actor.username, name: actor.displayName },
        now,
      });
    } catch (error) {
      if (!(error instanceof AppError && error.id === 'conflict')) throw error;
    }
  }
}

/**
 * Marks an action pending, done or not needed. Marking removal of internet access done needs
 * the date the sanction ends, and creates the filter sanction the filter enforces; taking it
 * back (pending or not needed) lifts that sanction.
 */
export async function updateAction(
  db: Kysely<DB>,
  incident: IncidentRow,
  actionId: string,
  input: { status: ActionStatus; note?: string; sanctionUntil?: Date },
  actor: Actor,
  now: Date,
): Promise<ActionView> {
  requireOpen(incident);
  const before = await db
    .selectFrom('incident_actions')
    .selectAll()
    .where('id', '=', actionId)
    .where('incident_id', '=', incident.id)
    .executeTakeFirst();
  if (!before) throw notFound('Action');
  let sanctionIds: string[] = [];
  const sanctioning = before.action === 'removal_of_internet' && input.status === 'done';
  if (sanctioning) {
    if (before.status === 'done') throw new AppError('conflict', 'Internet access was already removed for this incident');
    if (!input.sanctionUntil) throw new AppError('validation_failed', 'Say until when internet access is removed (sanctionUntil)');
    sanctionIds = await removeInternetAccess(db, incident, input.sanctionUntil, actor, now);
  }
  const restoring = before.action === 'removal_of_internet' && before.status === 'done' && input.status !== 'done' && before.sanction_id;
  if (restoring) await restoreInternetAccess(db, incident, before.sanction_id!.split(','), input.status, actor, now);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('incident_actions')
      .set({
        status: input.status,
        note: input.note === undefined ? before.note : input.note.trim() || null,
        done_by: input.status === 'pending' ? null : actor.personId,
        done_at: input.status === 'pending' ? null : now.toISOString(),
        sanction_id: sanctioning ? sanctionIds.join(',') : before.sanction_id,
        updated_at: now.toISOString(),
      })
      .where('id', '=', actionId)
      .execute();
    const word = { pending: 'back to pending', done: 'done', not_needed: 'not needed' }[input.status];
    await appendEntry(trx, {
      incidentId: incident.id,
      kind: 'action',
      body: `${actionLabel(before.action)}: ${word}${input.note?.trim() ? ` (${input.note.trim()})` : ''}`,
      details: {
        actionId,
        action: before.action,
        from: before.status,
        to: input.status,
        ...(sanctioning ? { sanctionIds, sanctionUntil: input.sanctionUntil?.toISOString() } : {}),
        ...(restoring ? { liftedSanctionIds: before.sanction_id!.split(',') } : {}),
      },
      authorPersonId: actor.personId,
      at: now,
    });
  });
  return (await listActions(db, incident.id)).find((a) => a.id === actionId)!;
}

export async function closeIncident(db: Kysely<DB>, incident: IncidentRow, outcome: string, actor: Actor, now: Date): Promise<void> {
  requireOpen(incident);
  const text = outcome.trim();
  if (!text) throw new AppError('validation_failed', 'Say what the outcome was before closing');
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('incidents')
      .set({ status: 'closed', outcome: text, closed_by: actor.personId, closed_at: now.toISOString(), updated_at: now.toISOString() })
      .where('id', '=', incident.id)
      .execute();
    await appendEntry(trx, { incidentId: incident.id, kind: 'status', body: `Closed: ${text}`, authorPersonId: actor.personId, at: now });
  });
}

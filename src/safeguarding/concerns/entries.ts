import type { Kysely } from 'kysely';
import { type Actor, can } from '../../access/policy.js';
import { recordAudit } from '../../audit/service.js';
import { newId } from '../../db/ids.js';
import type { DB } from '../../db/tables.js';
import { AppError } from '../../errors/errors.js';
import { assertNotArchived, incidentResource, type IncidentRow } from '../access.js';

export type EntryKind = 'correction' | 'note';

/**
 * Appends a correction (the reporter, to their own report) or a note (a responder). The
 * chronology is append-only: there is no way to change or remove an entry, the report included.
 * The caller has loaded the incident through loadIncidentFor.
 */
export async function appendConcernEntry(
  db: Kysely<DB>,
  actor: Actor,
  incident: IncidentRow,
  entry: { kind: EntryKind; body: string },
  client: { ip: string | null },
  now: Date,
): Promise<{ id: string; kind: EntryKind; body: string; author: { id: string; name: string }; createdAt: string }> {
  assertNotArchived(incident);
  const body = entry.body.trim();
  if (!body) throw new AppError('validation_failed', 'The entry must not be empty');
  if (entry.kind === 'correction' && incident.reported_by !== actor.personId) {
    throw new AppError('forbidden', 'Only the reporter adds corrections to a report; responders add notes');
  }
  if (entry.kind === 'note' && !can(actor, 'incident.respond', await incidentResource(db, incident))) {
    throw new AppError('forbidden', 'Only those responding to the incident add notes');
  }
  const id = newId();
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('incident_entries')
      .values({ id, incident_id: incident.id, kind: entry.kind, body, details: null, author_person_id: actor.personId, created_at: at })
      .execute();
    await trx.updateTable('incidents').set({ updated_at: at }).where('id', '=', incident.id).execute();
    await recordAudit(trx, {
      action: `incident.entry.${entry.kind}`,
      actor: { accountId: actor.accountId, username: actor.username },
      targetType: 'incident',
      targetId: incident.id,
      schoolId: incident.school_id,
      ip: client.ip,
      details: { entryId: id },
      at: now,
    });
  });
  return { id, kind: entry.kind, body, author: { id: actor.personId, name: actor.displayName }, createdAt: at };
}

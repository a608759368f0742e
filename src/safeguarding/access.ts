import type { Kysely } from 'kysely';
import { type Actor, authorize, type Resource } from '../access/policy.js';
import { recordAudit } from '../audit/service.js';
import type { DB, IncidentTable } from '../db/tables.js';
import { AppError, notFound } from '../errors/errors.js';
import type { Selectable } from 'kysely';

export type IncidentRow = Selectable<IncidentTable>;

/** The incident as the authorisation table sees it. */
export async function incidentResource(db: Kysely<DB>, incident: IncidentRow): Promise<Resource> {
  const school = await db.selectFrom('schools').select('trust_id').where('id', '=', incident.school_id).executeTakeFirstOrThrow();
  const subjects = await db
    .selectFrom('incident_people')
    .select('person_id')
    .where('incident_id', '=', incident.id)
    .where('role', '=', 'subject')
    .execute();
  return {
    type: 'incident',
    schoolId: incident.school_id,
    trustId: school.trust_id,
    subjectKind: incident.subject_kind,
    reporterPersonId: incident.reported_by,
    subjectPersonIds: subjects.map((s) => s.person_id),
  };
}

/**
 * Loads an incident for an actor: refuses (as "not found", so a refusal does not reveal that
 * the record exists) unless the authorisation table allows the action on this very record,
 * and writes the read to the audit log. Every route that shows or changes an incident goes
 * through here, so no read escapes the audit.
 *
 * @example
 *   const incident = await loadIncidentFor(ctx.db, actor, id, 'incident.read', { ip });
 */
export async function loadIncidentFor(
  db: Kysely<DB>,
  actor: Actor,
  id: string,
  action: 'incident.read' | 'incident.respond',
  client: { ip: string | null },
  at: Date = new Date(),
  /** Responders also read (actions, readers, letters); only a change is refused once archived. */
  purpose: 'read' | 'change' = action === 'incident.read' ? 'read' : 'change',
): Promise<IncidentRow> {
  const incident = await db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
  const resource = incident ? await incidentResource(db, incident) : null;
  if (!incident || !resource) throw notFound('Incident');
  try {
    authorize(actor, action, resource);
  } catch {
    await recordAudit(db, {
      action: 'incident.read_refused',
      actor: { accountId: actor.accountId, username: actor.username },
      targetType: 'incident',
      targetId: id,
      schoolId: incident.school_id,
      ip: client.ip,
      details: { wanted: action },
      at,
    });
    throw notFound('Incident');
  }
  if (purpose === 'change') assertNotArchived(incident);
  await recordAudit(db, {
    action: action === 'incident.read' ? 'incident.read' : 'incident.respond',
    actor: { accountId: actor.accountId, username: actor.username },
    targetType: 'incident',
    targetId: id,
    schoolId: incident.school_id,
    ip: client.ip,
    at,
  });
  return incident;
}

/** Archived by the retention job: kept exactly as it was, readable but never changed. */
export function assertNotArchived(incident: IncidentRow): void {
  if (incident.archived_at === null) return;
  throw new AppError(
    'incident.archived',
    `This incident was archived on ${incident.archived_at.slice(0, 10)} and can no longer be changed`,
  );
}

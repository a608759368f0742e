import type { Kysely } from 'kysely';
import { type Actor, authorize, can, type Resource } from '../access/policy.js';
import { recordAudit } from '../audit/service.js';
import type { DB, IncidentTable } from '../db/tables.js';
import { AppError, notFound } from '../errors/errors.js';
import type { Selectable } from 'kysely';

export type IncidentRow = Selectable<IncidentTable>;

/** The authorisation view of many incidents at once: two queries, however many incidents. */
export async function resourcesOf(db: Kysely<DB>, incidents: readonly IncidentRow[]): Promise<Map<string, Resource>> {
  if (incidents.length === 0) return new Map();
  const schoolIds = [...new Set(incidents.map((i) => i.school_id))];
  const schools = await db.selectFrom('schools').select(['id', 'trust_id']).where('id', 'in', schoolIds).execute();
  const trustOf = new Map(schools.map((s) => [s.id, s.trust_id]));
  const subjects = await db
    .selectFrom('incident_people')
    .select(['incident_id', 'person_id'])
    .where('role', '=', 'subject')
    .where(
      'incident_id',
      'in',
      incidents.map((i) => i.id),
    )
    .execute();
  const subjectsOf = new Map<string, string[]>();
  for (const s of subjects) subjectsOf.set(s.incident_id, [...(subjectsOf.get(s.incident_id) ?? []), s.person_id]);
  return new Map(
    incidents.map((i) => [
      i.id,
      {
        type: 'incident',
        schoolId: i.school_id,
        trustId: trustOf.get(i.school_id) ?? '',
        subjectKind: i.subject_kind,
        reporterPersonId: i.reported_by,
        subjectPersonIds: subjectsOf.get(i.id) ?? [],
      },
    ]),
  );
}

/** The incident as the authorisation table sees it. */
export async function incidentResource(db: Kysely<DB>, incident: IncidentRow): Promise<Resource> {
  return (await resourcesOf(db, [incident])).get(incident.id)!;
}

/** The incidents the actor may act on this way, in their order; the check costs two queries for any number. */
export async function permittedIncidents<T extends IncidentRow>(
  db: Kysely<DB>,
  actor: Actor,
  action: 'incident.read' | 'incident.respond',
  incidents: readonly T[],
): Promise<T[]> {
  const resources = await resourcesOf(db, incidents);
  return incidents.filter((i) => can(actor, action, resources.get(i.id)!));
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
  action: 'incident.read' | 'incident.respond' | 'incident.evidence',
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
    action,
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

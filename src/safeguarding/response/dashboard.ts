import type { Kysely } from 'kysely';
import type { Actor } from '../../access/policy.js';
import { recordAudit } from '../../audit/service.js';
import type { DB } from '../../db/tables.js';
import { permittedIncidents } from '../access.js';

export interface DashboardIncident {
  id: string;
  reference: string;
  category: string;
  urgency: string;
  subjectKind: string;
  summary: string;
  createdAt: string;
}

export interface Dashboard {
  open: DashboardIncident[];
  urgent: DashboardIncident[];
  overdueActions: { incidentId: string; reference: string; action: string; dueAt: string }[];
}

/**
 * What a responder should look at first: open incidents they may respond to, the urgent ones,
 * and actions past their due date. Each incident is checked against the authorisation table,
 * so the head of a school never sees staff incidents about themselves here either.
 */
export async function responderDashboard(db: Kysely<DB>, actor: Actor, client: { ip: string | null }, now: Date): Promise<Dashboard> {
  const rows = await db
    .selectFrom('incidents')
    .selectAll()
    .where('school_id', '=', actor.schoolId)
    .where('status', '=', 'open')
    .where('archived_at', 'is', null)
    .orderBy('created_at', 'desc')
    .limit(1000)
    .execute();
  const mine = await permittedIncidents(db, actor, 'incident.respond', rows);
  const open = mine.map((r) => ({
    id: r.id,
    reference: r.reference,
    category: r.category,
    urgency: r.urgency,
    subjectKind: r.subject_kind,
    summary: r.summary,
    createdAt: r.created_at,
  }));
  const ids = mine.map((r) => r.id);
  // The dashboard shows summaries, which name people: audited like the list of concerns.
  await recordAudit(db, {
    action: 'incident.dashboard',
    actor: { accountId: actor.accountId, username: actor.username },
    targetType: 'incident',
    schoolId: actor.schoolId,
    ip: client.ip,
    details: { count: ids.length, ids },
    at: now,
  });
  const overdue =
    ids.length === 0
      ? []
      : await db
          .selectFrom('incident_actions as a')
          .innerJoin('incidents as i', 'i.id', 'a.incident_id')
          .select(['a.incident_id', 'i.reference', 'a.action', 'a.due_at'])
          .where('a.incident_id', 'in', ids)
          .where('a.status', '=', 'pending')
          .where('a.due_at', '<', now.toISOString())
          .orderBy('a.due_at')
          .execute();
  return {
    open,
    urgent: open.filter((i) => i.urgency === 'urgent'),
    overdueActions: overdue.map((a) => ({ incidentId: a.incident_id, reference: a.reference, action: a.action, dueAt: a.due_at ?? '' })),
  };
}

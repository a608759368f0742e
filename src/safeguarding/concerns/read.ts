import type { Kysely } from 'kysely';
import { type Actor, authorize, can, ownSchool } from '../../access/policy.js';
import { recordAudit } from '../../audit/service.js';
import type { DB, IncidentTable } from '../../db/tables.js';
import { incidentResource, type IncidentRow, permittedIncidents } from '../access.js';
import { namesOf, type PersonRef, refOf } from './names.js';

export interface ConcernSummary {
  id: string;
  reference: string;
  subjectKind: IncidentTable['subject_kind'];
  category: string;
  urgency: IncidentTable['urgency'];
  status: IncidentTable['status'];
  summary: string;
  occurredAt: string;
  createdAt: string;
  reporter: PersonRef;
  people: (PersonRef & { role: string })[];
}

export interface ConcernView extends ConcernSummary {
  location: IncidentTable['location'];
  outcome: string | null;
  suspectedCsam: boolean;
  archivedAt: string | null;
  archiveReason: string | null;
  entries: { id: string; kind: string; body: string; author: PersonRef | null; createdAt: string }[];
  actions: {
    id: string;
    action: string;
    status: string;
    suggested: boolean;
    dueAt: string | null;
    note: string | null;
    doneBy: PersonRef | null;
    doneAt: string | null;
  }[];
  parentContacts: {
    id: string;
    studentId: string;
    parentName: string;
    method: string;
    contactedAt: string;
    contactedBy: PersonRef | null;
    note: string | null;
  }[];
  links: { kind: string; refId: string }[];
}

async function summaries(db: Kysely<DB>, incidents: readonly IncidentRow[]): Promise<ConcernSummary[]> {
  if (incidents.length === 0) return [];
  const people = await db
    .selectFrom('incident_people')
    .selectAll()
    .where(
      'incident_id',
      'in',
      incidents.map((i) => i.id),
    )
    .execute();
  const names = await namesOf(db, [...people.map((p) => p.person_id), ...incidents.map((i) => i.reported_by)]);
  return incidents.map((i) => ({
    id: i.id,
    reference: i.reference,
    subjectKind: i.subject_kind,
    category: i.category,
    urgency: i.urgency,
    status: i.status,
    summary: i.summary,
    occurredAt: i.occurred_at,
    createdAt: i.created_at,
    reporter: refOf(names, i.reported_by)!,
    people: people.filter((p) => p.incident_id === i.id).map((p) => ({ ...refOf(names, p.person_id)!, role: p.role })),
  }));
}

/**
 * The incidents of the actor's school the actor may read, newest first, with one audit entry
 * for the listing. Reporters see only their own reports; `mine` narrows anyone to those.
 */
export async function listConcerns(
  db: Kysely<DB>,
  actor: Actor,
  filter: { status?: IncidentTable['status']; mine?: boolean; archived?: boolean },
  client: { ip: string | null },
  now: Date,
): Promise<ConcernSummary[]> {
  // Archived incidents leave the working list; seeing them is part of managing retention.
  if (filter.archived) authorize(actor, 'incident.retention.manage', ownSchool(actor));
  let query = db
    .selectFrom('incidents')
    .selectAll()
    .where('school_id', '=', actor.schoolId)
    .where('archived_at', filter.archived ? 'is not' : 'is', null);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.mine) query = query.where('reported_by', '=', actor.personId);
  const rows = await query.orderBy('created_at', 'desc').orderBy('reference', 'desc').execute();
  const readable = await permittedIncidents(db, actor, 'incident.read', rows);
  await recordAudit(db, {
    action: 'incident.list',
    actor: { accountId: actor.accountId, username: actor.username },
    targetType: 'incident',
    schoolId: actor.schoolId,
    ip: client.ip,
    details: {
      count: readable.length,
      ids: readable.map((r) => r.id),
      status: filter.status ?? null,
      mine: Boolean(filter.mine),
      archived: Boolean(filter.archived),
    },
    at: now,
  });
  return summaries(db, readable);
}

/**
 * One incident as the actor may see it. Responders see the whole record; a reporter who is not
 * a responder sees their report and its corrections, not the responders' notes and actions.
 * The caller has loaded (so authorised and audited) the incident through loadIncidentFor.
 */
export async function concernView(db: Kysely<DB>, actor: Actor, incident: IncidentRow): Promise<ConcernView> {
  const resource = await incidentResource(db, incident);
  const responder = can(actor, 'incident.respond', resource);
  const [summary] = await summaries(db, [incident]);
  let entriesQuery = db.selectFrom('incident_entries').selectAll().where('incident_id', '=', incident.id);
  if (!responder) entriesQuery = entriesQuery.where('kind', 'in', ['report', 'correction']);
  // The report is the first entry by definition, even when a correction shares its instant.
  const entries = await entriesQuery
    .orderBy('created_at')
    .orderBy((eb) => eb.case().when('kind', '=', 'report').then(0).else(1).end())
    .orderBy('id')
    .execute();
  const actions = responder
    ? await db.selectFrom('incident_actions').selectAll().where('incident_id', '=', incident.id).orderBy('created_at').execute()
    : [];
  const contacts = responder
    ? await db.selectFrom('incident_parent_contacts').selectAll().where('incident_id', '=', incident.id).orderBy('contacted_at').execute()
    : [];
  const links = responder ? await db.selectFrom('incident_links').selectAll().where('incident_id', '=', incident.id).execute() : [];
  const names = await namesOf(db, [
    ...entries.flatMap((e) => (e.author_person_id ? [e.author_person_id] : [])),
    ...actions.flatMap((a) => (a.done_by ? [a.done_by] : [])),
    ...contacts.map((c) => c.contacted_by),
  ]);
  return {
    ...summary!,
    location: incident.location,
    outcome: incident.outcome,
    suspectedCsam: incident.suspected_csam === 1,
    archivedAt: incident.archived_at,
    archiveReason: incident.archive_reason,
    entries: entries.map((e) => ({
      id: e.id,
      kind: e.kind,
      body: e.body,
      author: refOf(names, e.author_person_id),
      createdAt: e.created_at,
    })),
    actions: actions.map((a) => ({
      id: a.id,
      action: a.action,
      status: a.status,
      suggested: a.suggested === 1,
      dueAt: a.due_at,
      note: a.note,
      doneBy: refOf(names, a.done_by),
      doneAt: a.done_at,
    })),
    parentContacts: contacts.map((c) => ({
      id: c.id,
      studentId: c.student_id,
      parentName: c.parent_name,
      method: c.method,
      contactedAt: c.contacted_at,
      contactedBy: refOf(names, c.contacted_by),
      note: c.note,
    })),
    links: links.map((l) => ({ kind: l.kind, refId: l.ref_id })),
  };
}

export interface Reader {
  at: string;
  /** The reader's name, or their username when the account has no person. */
  who: string;
  username: string | null;
  action: string;
}

/** Every read of the incident (and every refused attempt) from the audit log, newest first. */
export async function readersOf(db: Kysely<DB>, incidentId: string): Promise<Reader[]> {
  const rows = await db
    .selectFrom('audit_log')
    .leftJoin('accounts', 'accounts.id', 'audit_log.actor_account_id')
    .leftJoin('people', 'people.id', 'accounts.person_id')
    .select([
      'audit_log.at',
      'audit_log.action',
      'audit_log.actor_username',
      'people.given_name',
      'people.preferred_name',
      'people.family_name',
    ])
    .where('audit_log.target_type', '=', 'incident')
    .where('audit_log.target_id', '=', incidentId)
    .where('audit_log.action', 'in', ['incident.read', 'incident.respond', 'incident.evidence', 'incident.read_refused'])
    .orderBy('audit_log.seq', 'desc')
    .execute();
  return rows.map((r) => ({
    at: r.at,
    who: r.given_name ? `${r.preferred_name ?? r.given_name} ${r.family_name}` : (r.actor_username ?? 'unknown'),
    username: r.actor_username,
    action: r.action,
  }));
}

import type { Kysely } from 'kysely';
import { type Actor, authorize, ownSchool } from '../../access/policy.js';
import { recordAudit } from '../../audit/service.js';
import type { DB } from '../../db/tables.js';
import { AppError } from '../../errors/errors.js';
import { personName } from '../../directory/names.js';
import { gatherRecords, type Gathered, type IncidentBundle, personOfSchool } from './gather.js';

export const STUDENT_FILE_FORMAT = 'tutela.student-file.v1';

const json = (text: string | null): unknown => (text ? JSON.parse(text) : null);

/** The child protection file for a receiving school, versioned so their systems can read it. */
export interface StudentFile {
  format: typeof STUDENT_FILE_FORMAT;
  exportedAt: string;
  exportedBy: { name: string; username: string };
  school: { name: string; urn: string | null };
  student: {
    id: string;
    givenName: string;
    familyName: string;
    preferredName: string | null;
    dateOfBirth: string | null;
    yearGroup: number | null;
    /** The MIS id the school imported; the UPN where the MIS export used it. */
    misId: string | null;
  };
  incidents: ReturnType<typeof incidentOf>[];
  internetSanctions: {
    from: string;
    until: string;
    reason: string;
    source: string;
    liftedAt: string | null;
  }[];
}

function incidentOf(b: IncidentBundle, nameOf: (id: string | null | undefined) => string | null) {
  const i = b.incident;
  const inv = b.investigation;
  return {
    reference: i.reference,
    studentRoles: b.roles,
    subjectKind: i.subject_kind,
    category: i.category,
    incidentType: i.incident_type,
    urgency: i.urgency,
    summary: i.summary,
    occurredAt: i.occurred_at,
    location: i.location,
    reportedBy: nameOf(i.reported_by),
    reporterKind: i.reporter_kind,
    loggedAt: i.created_at,
    status: i.status,
    outcome: i.outcome,
    closedAt: i.closed_at,
    closedBy: nameOf(i.closed_by),
    archivedAt: i.archived_at,
    people: b.people.map((p) => ({ name: nameOf(p.person_id), role: p.role })),
    entries: b.entries.map((e) => ({ kind: e.kind, body: e.body, author: nameOf(e.author_person_id), at: e.created_at })),
    actions: b.actions.map((a) => ({
      action: a.action,
      status: a.status,
      dueAt: a.due_at,
      note: a.note,
      doneBy: nameOf(a.done_by),
      doneAt: a.done_at,
    })),
    parentContacts: b.parentContacts.map((c) => ({
      student: nameOf(c.student_id),
      parentName: c.parent_name,
      method: c.method,
      contactedAt: c.contacted_at,
      contactedBy: nameOf(c.contacted_by),
      note: c.note,
    })),
    investigation: inv && {
      procedure: inv.procedure,
      urls: json(inv.urls),
      contentDescription: inv.content_description,
      designatedComputer: inv.designated_computer,
      policeReferredAt: inv.police_referred_at,
      policeReference: inv.police_reference,
      policeReferredBy: nameOf(inv.police_referred_by),
      deviceIsolatedAt: inv.device_isolated_at,
      deviceIsolatedBy: nameOf(inv.device_isolated_by),
      conclusion: inv.conclusion,
      actionsTaken: inv.actions_taken,
      concludedAt: inv.concluded_at,
      concludedBy: nameOf(inv.concluded_by),
      investigators: b.investigators.map((x) => ({ name: nameOf(x.person_id), senior: x.senior === 1 })),
    },
    evidence: b.evidence.map((e) => ({
      filename: e.filename,
      mediaType: e.media_type,
      sizeBytes: e.size_bytes,
      sha256: e.sha256,
      description: e.description,
      uploadedAt: e.uploaded_at,
      uploadedBy: nameOf(e.uploaded_by),
    })),
  };
}

export type StudentFileIncident = ReturnType<typeof incidentOf>;

/** Shapes gathered records as the versioned student file; names are resolved, nothing hidden. */
export function presentStudentFile(g: Gathered, actor: Actor, at: Date): StudentFile {
  // Columns written by other modules may hold a username instead of a person id: show it as is.
  const nameOf = (id: string | null | undefined) => {
    if (!id) return null;
    const p = g.people.get(id);
    return p ? personName(p) : id;
  };
  const s = g.person;
  return {
    format: STUDENT_FILE_FORMAT,
    exportedAt: at.toISOString(),
    exportedBy: { name: actor.displayName, username: actor.username },
    school: { name: g.school.name, urn: g.school.urn },
    student: {
      id: s.id,
      givenName: s.given_name,
      familyName: s.family_name,
      preferredName: s.preferred_name,
      dateOfBirth: s.date_of_birth,
      yearGroup: s.year_group,
      misId: s.mis_id,
    },
    incidents: g.incidents.map((b) => incidentOf(b, nameOf)),
    internetSanctions: g.sanctions.map((x) => ({
      from: x.from_at,
      until: x.until_at,
      reason: x.reason,
      source: x.source,
      liftedAt: x.lifted_at,
    })),
  };
}

/**
 * A student's safeguarding file for their new school (KCSIE: the DSL transfers the child
 * protection file separately from the main pupil file). Only incidents the exporter may read
 * are in it. The export is audited once with the incident ids, and each incident gets a read
 * entry so its "who read this" list shows the export.
 *
 * @example
 *   const file = await exportStudentFile(db, actor, personId, { ip }, now);
 */
export async function exportStudentFile(
  db: Kysely<DB>,
  actor: Actor,
  personId: string,
  client: { ip: string | null },
  at: Date,
): Promise<StudentFile> {
  authorize(actor, 'incident.export', ownSchool(actor));
  const person = await personOfSchool(db, actor, personId);
  if (person.kind !== 'student') {
    throw new AppError(
      'validation_failed',
      'This person is not a student: the safeguarding file is for students moving school. Use the subject-access export instead.',
    );
  }
  const gathered = await gatherRecords(db, actor, person, { roles: ['subject', 'harmed', 'witness'], reported: false });
  await auditExport(db, actor, 'incident.student_file.export', gathered, client, at);
  return presentStudentFile(gathered, actor, at);
}

/** One audit entry naming the person and the incidents, and a read entry per incident. */
export async function auditExport(
  db: Kysely<DB>,
  actor: Actor,
  action: 'incident.student_file.export' | 'incident.subject_access.export',
  g: Gathered,
  client: { ip: string | null },
  at: Date,
): Promise<void> {
  const who = { accountId: actor.accountId, username: actor.username };
  await db.transaction().execute(async (trx) => {
    await recordAudit(trx, {
      action,
      actor: who,
      targetType: 'person',
      targetId: g.person.id,
      schoolId: actor.schoolId,
      ip: client.ip,
      details: { incidents: g.incidents.map((b) => b.incident.id) },
      at,
    });
    for (const b of g.incidents) {
      await recordAudit(trx, {
        action: 'incident.read',
        actor: who,
        targetType: 'incident',
        targetId: b.incident.id,
        schoolId: b.incident.school_id,
        ip: client.ip,
        details: { via: action },
        at,
      });
    }
  });
}

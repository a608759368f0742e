import type { Kysely } from 'kysely';
import { type Actor, authorize, ownSchool } from '../../access/policy.js';
import type { DB } from '../../db/tables.js';
import { personName } from '../../directory/names.js';
import { gatherRecords, type Gathered, type PersonRow, personOfSchool } from './gather.js';
import { Redactor } from './redaction.js';
import { auditExport } from './student-file.js';

export const SUBJECT_ACCESS_FORMAT = 'tutela.subject-access.v1';

export const REVIEW_NOTICE =
  'For review by the data protection lead before release. Other people are replaced by labels (Person A, Person B…) ' +
  'and staff are shown by role, but check every line: a detail can identify someone without their name, and some ' +
  'information may be exempt from disclosure (for example where it would put a child at risk, or harm a police investigation).';

export interface SubjectAccessExport {
  format: typeof SUBJECT_ACCESS_FORMAT;
  notice: string;
  exportedAt: string;
  school: { name: string; urn: string | null };
  subject: { name: string; kind: string; dateOfBirth: string | null; yearGroup: number | null };
  incidents: ReturnType<typeof presentIncidents>;
  internetSanctions: { from: string; until: string; reason: string | null; liftedAt: string | null }[];
}

function presentIncidents(g: Gathered, r: Redactor) {
  // Labels follow the order people are first met in the record, so they read naturally.
  for (const b of g.incidents) {
    r.prepare(b.people.map((p) => p.person_id));
    r.prepare([b.incident.reported_by, ...b.entries.map((e) => e.author_person_id)]);
    r.prepare(b.parentContacts.flatMap((c) => [c.student_id, c.parent_person_id ?? c.parent_name, c.contacted_by]));
    r.prepare([...b.actions.map((a) => a.done_by), ...b.investigators.map((i) => i.person_id), b.incident.closed_by]);
  }
  // Anyone else the record names (who uploaded evidence, who referred to the police) is redacted too.
  r.prepare(g.people.keys());
  return g.incidents.map((b) => {
    const i = b.incident;
    const inv = b.investigation;
    return {
      reference: i.reference,
      subjectRoles: b.roles,
      category: i.category,
      summary: r.text(i.summary),
      occurredAt: i.occurred_at,
      location: i.location,
      reportedBy: r.kind(i.reported_by, i.reporter_kind === 'student' ? 'student' : 'member of staff'),
      loggedAt: i.created_at,
      status: i.status,
      outcome: r.text(i.outcome),
      closedAt: i.closed_at,
      people: b.people.map((p) => ({ name: r.label(p.person_id), role: p.role })),
      entries: b.entries.map((e) => ({
        kind: e.kind,
        author: r.kind(e.author_person_id, 'Tutela'),
        body: r.text(e.body),
        at: e.created_at,
      })),
      actions: b.actions.map((a) => ({ action: a.action, status: a.status, doneAt: a.done_at, note: r.text(a.note) })),
      parentContacts: b.parentContacts.map((c) => ({
        student: r.label(c.student_id),
        parent: r.label(c.parent_person_id ?? c.parent_name),
        method: c.method,
        contactedAt: c.contacted_at,
        note: r.text(c.note),
      })),
      investigation: inv && {
        procedure: inv.procedure,
        contentDescription: r.text(inv.content_description),
        conclusion: inv.conclusion,
        actionsTaken: r.text(inv.actions_taken),
        concludedAt: inv.concluded_at,
        policeReferredAt: inv.police_referred_at,
      },
      evidence: b.evidence.map((e) => ({
        filename: r.text(e.filename),
        mediaType: e.media_type,
        sizeBytes: e.size_bytes,
        sha256: e.sha256,
        description: r.text(e.description),
        uploadedAt: e.uploaded_at,
      })),
    };
  });
}

/**
 * Shapes gathered records for a data subject, with every third party redacted. Who prepared it
 * is in the audit log, not in the copy: staff are third parties too.
 */
export function presentSubjectAccess(g: Gathered, directory: readonly PersonRow[], at: Date): SubjectAccessExport {
  const r = new Redactor(g.person, g.people, directory);
  const incidents = presentIncidents(g, r);
  return {
    format: SUBJECT_ACCESS_FORMAT,
    notice: REVIEW_NOTICE,
    exportedAt: at.toISOString(),
    school: { name: g.school.name, urn: g.school.urn },
    subject: { name: personName(g.person), kind: g.person.kind, dateOfBirth: g.person.date_of_birth, yearGroup: g.person.year_group },
    incidents,
    internetSanctions: g.sanctions.map((s) => ({ from: s.from_at, until: s.until_at, reason: r.text(s.reason), liftedAt: s.lifted_at })),
  };
}

/**
 * A subject-access export (UK GDPR Art. 15) of the incidents that involve a person in any
 * role, or that they reported, limited to those the exporter may read, with third parties
 * redacted. It is a draft for the data protection lead, never sent on automatically. Audited.
 *
 * @example
 *   const draft = await exportSubjectAccess(db, actor, personId, { ip }, now);
 */
export async function exportSubjectAccess(
  db: Kysely<DB>,
  actor: Actor,
  personId: string,
  client: { ip: string | null },
  at: Date,
): Promise<SubjectAccessExport> {
  authorize(actor, 'incident.export', ownSchool(actor));
  const person = await personOfSchool(db, actor, personId);
  const gathered = await gatherRecords(db, actor, person, { roles: ['subject', 'harmed', 'witness', 'other'], reported: true });
  const directory = await db
    .selectFrom('people')
    .select(['id', 'kind', 'given_name', 'family_name', 'preferred_name', 'date_of_birth', 'year_group', 'mis_id'])
    .where('school_id', '=', actor.schoolId)
    .execute();
  await auditExport(db, actor, 'incident.subject_access.export', gathered, client, at);
  return presentSubjectAccess(gathered, directory, at);
}

import type { Kysely } from 'kysely';
import type { Actor } from '../../access/policy.js';
import { newId } from '../../db/ids.js';
import type { DB, IncidentParentContactTable } from '../../db/tables.js';
import { AppError } from '../../errors/errors.js';
import type { IncidentRow } from '../access.js';
import { INCIDENT_CATEGORIES } from '../categories.js';
import { appendEntry } from './entries.js';

export type ContactMethod = IncidentParentContactTable['method'];
export const CONTACT_METHODS: readonly ContactMethod[] = ['phone', 'email', 'letter', 'meeting', 'other'];

export interface ParentContactView {
  id: string;
  studentId: string;
  parentPersonId: string | null;
  parentName: string;
  method: ContactMethod;
  contactedAt: string;
  contactedBy: string;
  note: string | null;
}

const nameOf = (p: { given_name: string; preferred_name: string | null; family_name: string }) =>
  `${p.preferred_name ?? p.given_name} ${p.family_name}`;

/** The student must be a person this incident is about, so a contact is never filed against a bystander. */
async function studentOfIncident(db: Kysely<DB>, incident: IncidentRow, studentId: string) {
  const student = await db
    .selectFrom('incident_people')
    .innerJoin('people', 'people.id', 'incident_people.person_id')
    .select(['people.id', 'people.given_name', 'people.preferred_name', 'people.family_name'])
    .where('incident_people.incident_id', '=', incident.id)
    .where('incident_people.role', '=', 'subject')
    .where('people.kind', '=', 'student')
    .where('people.id', '=', studentId)
    .executeTakeFirst();
  if (!student) throw new AppError('validation_failed', 'That student is not a subject of this incident');
  return student;
}

export interface GuardianOption {
  id: string;
  name: string;
  relationship: string;
  parentalResponsibility: boolean;
}

/**
 * The parents and carers the school has linked to a student of the incident, first contact
 * first, so the DSL picks the right person instead of typing a name from memory.
 */
export async function guardiansOf(db: Kysely<DB>, incident: IncidentRow, studentId: string): Promise<GuardianOption[]> {
  const student = await studentOfIncident(db, incident, studentId);
  const rows = await db
    .selectFrom('guardians')
    .innerJoin('people', 'people.id', 'guardians.parent_id')
    .select([
      'people.id',
      'people.given_name',
      'people.preferred_name',
      'people.family_name',
      'guardians.relationship',
      'guardians.parental_responsibility',
    ])
    .where('guardians.student_id', '=', student.id)
    .orderBy('guardians.priority')
    .orderBy('people.family_name')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: nameOf(r),
    relationship: r.relationship,
    parentalResponsibility: Boolean(r.parental_responsibility),
  }));
}

export async function listParentContacts(db: Kysely<DB>, incidentId: string): Promise<ParentContactView[]> {
  const rows = await db
    .selectFrom('incident_parent_contacts')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('contacted_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    studentId: r.student_id,
    parentPersonId: r.parent_person_id,
    parentName: r.parent_name,
    method: r.method,
    contactedAt: r.contacted_at,
    contactedBy: r.contacted_by,
    note: r.note,
  }));
}

/**
 * Records that a student's parent or carer was told: which parent (a linked guardian, or a
 * name when the school has no record of them), how, when, by whom.
 */
export async function recordParentsInformed(
  db: Kysely<DB>,
  incident: IncidentRow,
  input: { studentId: string; parentPersonId?: string; parentName?: string; method: ContactMethod; contactedAt: Date; note?: string },
  actor: Actor,
  now: Date,
): Promise<ParentContactView> {
  const student = await studentOfIncident(db, incident, input.studentId);
  let parentName = input.parentName?.trim() ?? '';
  if (input.parentPersonId) {
    const parent = await db
      .selectFrom('guardians')
      .innerJoin('people', 'people.id', 'guardians.parent_id')
      .select(['people.given_name', 'people.preferred_name', 'people.family_name'])
      .where('guardians.student_id', '=', student.id)
      .where('guardians.parent_id', '=', input.parentPersonId)
      .executeTakeFirst();
    if (!parent) throw new AppError('validation_failed', 'That person is not a linked parent or carer of the student');
    parentName = nameOf(parent);
  }
  if (!parentName) throw new AppError('validation_failed', 'Name the parent or carer, or pick a linked one');
  if (input.contactedAt.getTime() > now.getTime()) throw new AppError('validation_failed', 'The contact cannot be in the future');
  const id = newId();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('incident_parent_contacts')
      .values({
        id,
        incident_id: incident.id,
        student_id: student.id,
        parent_person_id: input.parentPersonId ?? null,
        parent_name: parentName,
        method: input.method,
        contacted_at: input.contactedAt.toISOString(),
        contacted_by: actor.personId,
        note: input.note?.trim() || null,
        created_at: now.toISOString(),
      })
      .execute();
    await appendEntry(trx, {
      incidentId: incident.id,
      kind: 'parents_informed',
      body: `${parentName} informed by ${input.method} about ${nameOf(student)}`,
      details: { contactId: id, studentId: student.id, method: input.method },
      authorPersonId: actor.personId,
      at: now,
    });
  });
  return (await listParentContacts(db, incident.id)).find((c) => c.id === id)!;
}

/**
 * A plain-text letter to a student's parents or carers. Deliberately neutral: it names only
 * the school, the student and the kind of incident — never other pupils or the details —
 * so it can be sent without redaction.
 */
export async function parentLetter(
  db: Kysely<DB>,
  incident: IncidentRow,
  studentId: string,
  actor: Actor,
  now: Date,
): Promise<{ subject: string; body: string }> {
  const student = await studentOfIncident(db, incident, studentId);
  const school = await db.selectFrom('schools').select('name').where('id', '=', incident.school_id).executeTakeFirstOrThrow();
  const category = INCIDENT_CATEGORIES.find((c) => c.id === incident.category)?.label ?? incident.category;
  const date = now.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });
  const occurred = new Date(incident.occurred_at).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/London',
  });
  const name = nameOf(student);
  return {
    subject: `${school.name}: an online safety matter concerning ${name}`,
    body: [
      date,
      '',
      'Dear parent or carer,',
      '',
      `I am writing to let you know about an online safety matter involving ${name} on ${occurred}.`,
      `The school has recorded it under "${category}" and is dealing with it in line with our e-safety and behaviour policies.`,
      '',
      'We would welcome the chance to talk with you about what happened and how we can support ' +
        `${name} together. Please contact the school office to arrange a convenient time.`,
      '',
      'Yours sincerely,',
      '',
      actor.displayName,
      school.name,
      '',
      `Reference: ${incident.reference}`,
    ].join('\n'),
  };
}

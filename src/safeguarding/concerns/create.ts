import type { Kysely } from 'kysely';
import type { Actor } from '../../access/policy.js';
import { recordAudit } from '../../audit/service.js';
import { newId } from '../../db/ids.js';
import type { DB, IncidentPersonTable, IncidentTable } from '../../db/tables.js';
import { AppError } from '../../errors/errors.js';
import { type IncidentCategory, isIncidentCategory, type SubjectKind, type Urgency } from '../categories.js';
import { isUniqueViolation } from '../../db/errors.js';

/** A clock a few minutes fast on a phone must not make a just-happened concern "in the future". */
export const FUTURE_SKEW_MS = 5 * 60_000;

export type PersonRole = IncidentPersonTable['role'];
export type Location = IncidentTable['location'];

export interface NewConcern {
  subjectKind: SubjectKind;
  people: readonly { personId: string; role: PersonRole }[];
  summary: string;
  description: string;
  occurredAt: string;
  location: Location;
  category: string;
  urgency: Urgency;
  links?: readonly { kind: 'filter_event'; refId: string }[];
  /** The reporter thinks sexual images of a child are involved: evidence images are then refused. */
  suspectedCsam?: boolean;
}

export interface CreatedConcern {
  id: string;
  reference: string;
  schoolId: string;
  subjectKind: SubjectKind;
  urgency: Urgency;
  subjectIds: string[];
}

const invalid = (message: string) => new AppError('validation_failed', message);

/** Parses a reported time; refuses nonsense and times in the future (beyond clock skew). */
export function occurredAtOf(value: string, now: Date): string {
  const at = new Date(value);
  // The round trip of the date part catches days a month does not have (31 February).
  if (!/^\d{4}-\d{2}-\d{2}(T|$)/.test(value) || Number.isNaN(at.getTime()) || at.toISOString().slice(0, 10) !== value.slice(0, 10)) {
    throw invalid('occurredAt must be a date and time, such as 2026-11-24T10:30:00Z');
  }
  if (at.getTime() > now.getTime() + FUTURE_SKEW_MS) throw invalid('occurredAt is in the future');
  return at.toISOString();
}

/** Checks everything the schema cannot: people of this school, subjects of the right kind. */
async function checkPeople(db: Kysely<DB>, schoolId: string, concern: NewConcern): Promise<void> {
  const ids = [...new Set(concern.people.map((p) => p.personId))];
  const found = ids.length
    ? await db.selectFrom('people').select(['id', 'kind']).where('school_id', '=', schoolId).where('id', 'in', ids).execute()
    : [];
  const kinds = new Map(found.map((p) => [p.id, p.kind]));
  // A person of another school is reported exactly like an unknown one, so ids cannot be probed.
  const unknown = ids.filter((id) => !kinds.has(id));
  if (unknown.length) throw invalid(`Unknown person: ${unknown.join(', ')}`);
  const subjects = concern.people.filter((p) => p.role === 'subject');
  if (subjects.length === 0) throw invalid('Name at least one person the concern is about (role "subject")');
  const wrong = subjects.filter((s) => kinds.get(s.personId) !== concern.subjectKind);
  if (wrong.length) {
    throw invalid(`A concern about ${concern.subjectKind === 'staff' ? 'staff' : 'students'} needs ${concern.subjectKind} subjects only`);
  }
}

async function checkLinks(db: Kysely<DB>, schoolId: string, links: NewConcern['links']): Promise<void> {
  const ids = [...new Set((links ?? []).map((l) => l.refId))];
  if (ids.length === 0) return;
  const found = await db.selectFrom('activity_events').select('id').where('school_id', '=', schoolId).where('id', 'in', ids).execute();
  const known = new Set(found.map((f) => f.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length) throw invalid(`Unknown filter event: ${unknown.join(', ')}`);
}

/** The next INC-<year>-<nnnn> of the school; the unique constraint catches a race. */
async function nextReference(db: Kysely<DB>, schoolId: string, now: Date): Promise<string> {
  const prefix = `INC-${now.getUTCFullYear()}-`;
  const last = await db
    .selectFrom('incidents')
    .select('reference')
    .where('school_id', '=', schoolId)
    .where('reference', 'like', `${prefix}%`)
    .orderBy('reference', 'desc')
    .limit(1)
    .executeTakeFirst();
  const n = last ? Number.parseInt(last.reference.slice(prefix.length), 10) + 1 : 1;
  return `${prefix}${String(n).padStart(4, '0')}`;
}

/**
 * Stores a concern in one transaction: the incident, its people, the report as the first
 * chronology entry, its links and the audit entry. Nothing is stored if any check fails.
 *
 * @example
 *   const created = await createConcern(ctx.db, actor, body, { ip }, ctx.clock());
 */
export async function createConcern(
  db: Kysely<DB>,
  actor: Actor,
  concern: NewConcern,
  client: { ip: string | null },
  now: Date,
  reporterKind: 'staff' | 'student' = 'staff',
): Promise<CreatedConcern> {
  const summary = concern.summary.trim();
  const description = concern.description.trim();
  if (!summary) throw invalid('summary must not be empty');
  if (!description) throw invalid('description must not be empty');
  if (!isIncidentCategory(concern.category)) throw invalid(`Unknown category: ${concern.category}`);
  const category: IncidentCategory = concern.category;
  const occurredAt = occurredAtOf(concern.occurredAt, now);
  if (reporterKind === 'staff') await checkPeople(db, actor.schoolId, concern);
  await checkLinks(db, actor.schoolId, concern.links);

  // Two reporters at once can pick the same reference; the loser simply tries the next one.
  for (let attempt = 0; ; attempt++) {
    try {
      return await db
        .transaction()
        .execute((trx) => insertConcern(trx, actor, { ...concern, summary, description, category }, occurredAt, client, now, reporterKind));
    } catch (error) {
      if (attempt >= 4 || !isUniqueViolation(error)) throw error;
    }
  }
}

async function insertConcern(
  trx: Kysely<DB>,
  actor: Actor,
  concern: NewConcern & { category: IncidentCategory },
  occurredAt: string,
  client: { ip: string | null },
  now: Date,
  reporterKind: 'staff' | 'student',
): Promise<CreatedConcern> {
  const id = newId();
  const at = now.toISOString();
  const reference = await nextReference(trx, actor.schoolId, now);
  await trx
    .insertInto('incidents')
    .values({
      id,
      school_id: actor.schoolId,
      reference,
      subject_kind: concern.subjectKind,
      category: concern.category,
      incident_type: null,
      urgency: concern.urgency,
      status: 'open',
      summary: concern.summary,
      occurred_at: occurredAt,
      location: concern.location,
      reported_by: actor.personId,
      reporter_kind: reporterKind,
      outcome: null,
      closed_by: null,
      closed_at: null,
      created_at: at,
      updated_at: at,
      suspected_csam: concern.suspectedCsam ? 1 : 0,
    })
    .execute();
  const people = [...new Map(concern.people.map((p) => [`${p.personId}/${p.role}`, p])).values()];
  if (people.length) {
    await trx
      .insertInto('incident_people')
      .values(people.map((p) => ({ incident_id: id, person_id: p.personId, role: p.role })))
      .execute();
  }
  await trx
    .insertInto('incident_entries')
    .values({
      id: newId(),
      incident_id: id,
      kind: 'report',
      body: concern.description,
      details: null,
      author_person_id: actor.personId,
      created_at: at,
    })
    .execute();
  const links = [...new Set((concern.links ?? []).map((l) => l.refId))];
  if (links.length) {
    await trx
      .insertInto('incident_links')
      .values(links.map((refId) => ({ incident_id: id, kind: 'filter_event' as const, ref_id: refId })))
      .execute();
  }
  await recordAudit(trx, {
    action: 'incident.create',
    actor: { accountId: actor.accountId, username: actor.username },
    targetType: 'incident',
    targetId: id,
    schoolId: actor.schoolId,
    ip: client.ip,
    details: { reference, category: concern.category, urgency: concern.urgency, subjectKind: concern.subjectKind },
    at: now,
  });
  return {
    id,
    reference,
    schoolId: actor.schoolId,
    subjectKind: concern.subjectKind,
    urgency: concern.urgency,
    subjectIds: people.filter((p) => p.role === 'subject').map((p) => p.personId),
  };
}

export interface StudentReport {
  what: string;
  who?: string;
  when?: string;
  where?: Location;
}

/**
 * A student's report: what happened in their own words, who and when if they know. It becomes
 * an open concern about students (category "other", medium urgency) that the DSL triages.
 */
export function concernFromStudentReport(report: StudentReport, now: Date): NewConcern {
  const what = report.what.trim();
  if (!what) throw invalid('Please say what happened');
  const who = report.who?.trim();
  const firstLine = what.split('\n')[0]!;
  return {
    subjectKind: 'student',
    people: [],
    summary: firstLine.length > 120 ? `${firstLine.slice(0, 117)}...` : firstLine,
    description: who ? `${what}\n\nWho was involved (in the student's words): ${who}` : what,
    occurredAt: report.when?.trim() ? report.when : now.toISOString(),
    location: report.where ?? 'in_school',
    category: 'other',
    urgency: 'medium',
  };
}

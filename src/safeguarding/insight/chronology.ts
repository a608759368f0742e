import type { Kysely } from 'kysely';
import { type Actor, authorize, ownSchool } from '../../access/policy.js';
import { recordAudit } from '../../audit/service.js';
import type { DB } from '../../db/tables.js';
import { notFound } from '../../errors/errors.js';
import { permittedIncidents } from '../access.js';
import { personName } from '../../directory/names.js';

/** Blocked requests older than this are left off: the chronology shows recent patterns, not the whole log. */
export const ALERT_WINDOW_DAYS = 90;

/** One dated line of a student's chronology. */
export type ChronologyItem =
  | { kind: 'incident'; at: string; incidentId: string; reference: string; category: string; role: string; status: string }
  | { kind: 'action'; at: string; incidentId: string; reference: string; action: string; status: string }
  | { kind: 'sanction'; at: string; from: string; until: string; reason: string; lifted: string | null }
  | { kind: 'filter_alert'; at: string; host: string | null; category: string | null };

export interface Chronology {
  student: { personId: string; name: string; yearGroup: number | null };
  items: ChronologyItem[];
}

function alertingCategories(json: string | undefined): string[] {
  if (!json) return [];
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) ? parsed.filter((c): c is string => typeof c === 'string') : [];
}

/**
 * Everything the safeguarding record holds about one student, oldest first: the incidents
 * they are involved in that this actor may read, those incidents' actions, their internet
 * sanctions, and blocks in the school's alerting categories over the last 90 days. Only the
 * DSL team and the head see it; the read is audited once, naming the student.
 *
 * @example
 *   const chronology = await studentChronology(db, actor, personId, { ip }, now);
 */
export async function studentChronology(
  db: Kysely<DB>,
  actor: Actor,
  personId: string,
  client: { ip: string | null },
  at: Date,
): Promise<Chronology> {
  authorize(actor, 'incident.chronology', ownSchool(actor));
  const student = await db
    .selectFrom('people')
    .select(['id', 'given_name', 'family_name', 'preferred_name', 'year_group'])
    .where('id', '=', personId)
    .where('school_id', '=', actor.schoolId)
    .where('kind', '=', 'student')
    .executeTakeFirst();
  if (!student) throw notFound('Student');

  const involvements = await db
    .selectFrom('incident_people')
    .innerJoin('incidents', 'incidents.id', 'incident_people.incident_id')
    .selectAll('incidents')
    .select('incident_people.role as role')
    .where('incident_people.person_id', '=', personId)
    .where('incidents.school_id', '=', actor.schoolId)
    .execute();
  const items: ChronologyItem[] = [];
  const readable = new Map<string, string>();
  const permitted = new Set(
    (
      await permittedIncidents(
        db,
        actor,
        'incident.read',
        involvements.map(({ role: _, ...incident }) => incident),
      )
    ).map((i) => i.id),
  );
  for (const row of involvements) {
    const { role, ...incident } = row;
    if (!permitted.has(incident.id)) continue;
    readable.set(incident.id, incident.reference);
    items.push({
      kind: 'incident',
      at: incident.occurred_at,
      incidentId: incident.id,
      reference: incident.reference,
      category: incident.category,
      role,
      status: incident.status,
    });
  }
  if (readable.size > 0) {
    const actions = await db
      .selectFrom('incident_actions')
      .select(['incident_id', 'action', 'status', 'done_at', 'created_at'])
      .where('incident_id', 'in', [...readable.keys()])
      .execute();
    for (const a of actions) {
      const reference = readable.get(a.incident_id) ?? '';
      items.push({
        kind: 'action',
        at: a.done_at ?? a.created_at,
        incidentId: a.incident_id,
        reference,
        action: a.action,
        status: a.status,
      });
    }
  }

  const sanctions = await db
    .selectFrom('filter_sanctions')
    .select(['from_at', 'until_at', 'reason', 'lifted_at'])
    .where('person_id', '=', personId)
    .where('school_id', '=', actor.schoolId)
    .execute();
  for (const s of sanctions) {
    items.push({ kind: 'sanction', at: s.from_at, from: s.from_at, until: s.until_at, reason: s.reason, lifted: s.lifted_at });
  }

  const settings = await db
    .selectFrom('filter_settings')
    .select('alerting_categories')
    .where('school_id', '=', actor.schoolId)
    .executeTakeFirst();
  const alerting = alertingCategories(settings?.alerting_categories);
  if (alerting.length > 0) {
    const since = new Date(at.getTime() - ALERT_WINDOW_DAYS * 86_400_000).toISOString();
    const blocks = await db
      .selectFrom('activity_events')
      .select(['at', 'host', 'category'])
      .where('school_id', '=', actor.schoolId)
      .where('person_id', '=', personId)
      .where('action', '=', 'block')
      .where('category', 'in', alerting)
      .where('at', '>=', since)
      .execute();
    for (const b of blocks) items.push({ kind: 'filter_alert', at: b.at, host: b.host, category: b.category });
  }

  // ISO timestamps in UTC sort as text; ties keep the incident before what followed from it.
  items.sort((a, b) => a.at.localeCompare(b.at));
  await recordAudit(db, {
    action: 'incident.chronology',
    actor: { accountId: actor.accountId, username: actor.username },
    targetType: 'person',
    targetId: personId,
    schoolId: actor.schoolId,
    ip: client.ip,
    details: { incidents: readable.size },
    at,
  });
  const name = personName(student);
  return { student: { personId: student.id, name, yearGroup: student.year_group }, items };
}

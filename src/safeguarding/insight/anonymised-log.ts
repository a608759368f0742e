import { stringify } from 'csv-stringify/sync';
import type { Kysely } from 'kysely';
import type { Actor } from '../../access/policy.js';
import { recordAudit } from '../../audit/service.js';
import type { DB } from '../../db/tables.js';
import type { Period } from './period.js';
import { type Conclusion, conclusionOf, termOf } from './stats.js';

/**
 * One incident as the e-safety governor reviews it. Deliberately no id, reference, name,
 * summary, description, outcome text or exact date: only the month, and values drawn from
 * fixed lists (category and action ids, year numbers, yes/no).
 */
export interface AnonymisedIncident {
  month: string;
  term: string;
  category: string;
  subjectKind: 'student' | 'staff';
  /** Year groups of the students the incident is about, "unknown" where not recorded; empty for staff. */
  yearGroups: string[];
  urgency: string;
  status: 'open' | 'closed';
  conclusion: Conclusion;
  /** Action ids from the Actions & Sanctions tables that were marked done. */
  actionsDone: string[];
  parentsInformed: boolean;
  internetSanction: boolean;
  policeReferred: boolean;
}

export const ANONYMISED_LOG_COLUMNS = [
  'month',
  'term',
  'category',
  'subject_kind',
  'year_groups',
  'urgency',
  'status',
  'investigation_conclusion',
  'actions_done',
  'parents_informed',
  'internet_sanction',
  'police_referred',
] as const;

const yesNo = (value: boolean) => (value ? 'yes' : 'no');

/** Groups `[incident id, value]` pairs into sets by incident. */
function setsBy(rows: readonly { incident_id: string; value: string }[]): Map<string, Set<string>> {
  const sets = new Map<string, Set<string>>();
  for (const row of rows) {
    const set = sets.get(row.incident_id) ?? new Set<string>();
    set.add(row.value);
    sets.set(row.incident_id, set);
  }
  return sets;
}

const sorted = (set: Set<string> | undefined): string[] => [...(set ?? [])].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));

/**
 * The anonymised incident log of the actor's school for incidents that happened in
 * [from, to). Rows are sorted by month and then by their values, never by time, so the
 * order within a month gives away nothing about the day. The export is audited.
 *
 * @example
 *   const rows = await anonymisedLog(db, actor, { from, to }, { ip, format: 'csv' }, now);
 */
export async function anonymisedLog(
  db: Kysely<DB>,
  actor: Actor,
  period: Period,
  client: { ip: string | null; format: 'csv' | 'json' },
  at: Date,
): Promise<AnonymisedIncident[]> {
  const incidents = await db
    .selectFrom('incidents')
    .leftJoin('incident_investigations', 'incident_investigations.incident_id', 'incidents.id')
    .select([
      'incidents.id',
      'incidents.category',
      'incidents.subject_kind',
      'incidents.urgency',
      'incidents.status',
      'incidents.occurred_at',
      'incident_investigations.incident_id as investigation_id',
      'incident_investigations.conclusion',
      'incident_investigations.police_referred_at',
    ])
    .where('incidents.school_id', '=', actor.schoolId)
    .where('incidents.occurred_at', '>=', period.from.toISOString())
    .where('incidents.occurred_at', '<', period.to.toISOString())
    .execute();

  // The same incidents again as a subquery, so a long period never makes a long list of ids.
  const ofPeriod = db
    .selectFrom('incidents')
    .select('incidents.id')
    .where('incidents.school_id', '=', actor.schoolId)
    .where('incidents.occurred_at', '>=', period.from.toISOString())
    .where('incidents.occurred_at', '<', period.to.toISOString());

  const years = setsBy(
    (
      await db
        .selectFrom('incident_people')
        .innerJoin('people', 'people.id', 'incident_people.person_id')
        .select(['incident_people.incident_id', 'people.year_group'])
        .where('incident_people.incident_id', 'in', ofPeriod)
        .where('incident_people.role', '=', 'subject')
        .where('people.kind', '=', 'student')
        .execute()
    ).map((r) => ({ incident_id: r.incident_id, value: r.year_group === null ? 'unknown' : String(r.year_group) })),
  );
  const done = setsBy(
    await db
      .selectFrom('incident_actions')
      .select(['incident_id', 'action as value'])
      .where('incident_id', 'in', ofPeriod)
      .where('status', '=', 'done')
      .execute(),
  );
  const informed = new Set(
    (await db.selectFrom('incident_parent_contacts').select('incident_id').where('incident_id', 'in', ofPeriod).execute()).map(
      (r) => r.incident_id,
    ),
  );
  const sanctioned = new Set(
    (
      await db
        .selectFrom('filter_sanctions')
        .select('source_id')
        .where('school_id', '=', actor.schoolId)
        .where('source', '=', 'incident')
        .where('source_id', 'in', ofPeriod)
        .execute()
    ).map((r) => r.source_id),
  );

  const rows = incidents.map((incident): AnonymisedIncident => {
    const actionsDone = sorted(done.get(incident.id));
    return {
      month: incident.occurred_at.slice(0, 7),
      term: termOf(new Date(incident.occurred_at)),
      category: incident.category,
      subjectKind: incident.subject_kind,
      yearGroups: incident.subject_kind === 'student' ? sorted(years.get(incident.id)) : [],
      urgency: incident.urgency,
      status: incident.status,
      conclusion: conclusionOf(incident),
      actionsDone,
      // Either a recorded contact or the matrix action marked done counts as informed.
      parentsInformed: informed.has(incident.id) || actionsDone.includes('inform_parents'),
      internetSanction: sanctioned.has(incident.id) || actionsDone.includes('removal_of_internet'),
      policeReferred: incident.police_referred_at !== null,
    };
  });
  // Compared cell by cell as plain text: the order must depend on the values alone.
  const key = (r: AnonymisedIncident) => ANONYMISED_LOG_COLUMNS.map((c) => csvCells(r)[c]).join('\u0000');
  rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

  await recordAudit(db, {
    action: 'incident.log.export',
    actor: { accountId: actor.accountId, username: actor.username },
    targetType: 'school',
    targetId: actor.schoolId,
    schoolId: actor.schoolId,
    ip: client.ip,
    details: { from: period.from.toISOString(), to: period.to.toISOString(), format: client.format, rows: rows.length },
    at,
  });
  return rows;
}

/** A row as the CSV's cells: lists joined with ";", booleans as yes/no. */
function csvCells(r: AnonymisedIncident): Record<(typeof ANONYMISED_LOG_COLUMNS)[number], string> {
  return {
    month: r.month,
    term: r.term,
    category: r.category,
    subject_kind: r.subjectKind,
    year_groups: r.yearGroups.join(';'),
    urgency: r.urgency,
    status: r.status,
    investigation_conclusion: r.conclusion,
    actions_done: r.actionsDone.join(';'),
    parents_informed: yesNo(r.parentsInformed),
    internet_sanction: yesNo(r.internetSanction),
    police_referred: yesNo(r.policeReferred),
  };
}

/** The log as CSV with a header row; every cell comes from a fixed list, so none can hold a formula. */
export function anonymisedLogCsv(rows: readonly AnonymisedIncident[]): string {
  return stringify(
    rows.map((r) => csvCells(r)),
    { header: true, columns: [...ANONYMISED_LOG_COLUMNS] },
  );
}

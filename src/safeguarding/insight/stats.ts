import type { Kysely } from 'kysely';
import type { Actor } from '../../access/policy.js';
import { recordAudit } from '../../audit/service.js';
import type { DB } from '../../db/tables.js';

/** A school term by month: the plain rule is documented so governors can check the buckets. */
export type Term = 'autumn' | 'spring' | 'summer';

const londonMonth = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: 'numeric' });

/**
 * The term an incident falls in, by calendar month in England: September–December autumn,
 * January–March spring, April–August summer (Easter moves, so April always counts as summer;
 * August is the holiday and joins the summer term it follows). The academic year starts in
 * September. London's calendar, not UTC's: an incident at 00:30 on 1 September (BST) is autumn,
 * as the governors' termly report counts it.
 */
export function termOf(at: Date): string {
  const parts = Object.fromEntries(londonMonth.formatToParts(at).map((p) => [p.type, p.value]));
  const month = Number(parts.month);
  const year = Number(parts.year);
  const startYear = month >= 9 ? year : year - 1;
  const term: Term = month >= 9 ? 'autumn' : month <= 3 ? 'spring' : 'summer';
  return `${startYear}-${String((startYear + 1) % 100).padStart(2, '0')} ${term}`;
}

/** Counts along one dimension at a time: single-dimension counts cannot single out a child. */
export interface IncidentCounts {
  total: number;
  byCategory: Record<string, number>;
  bySubjectKind: Record<string, number>;
  /** Incidents per year group of their student subjects ("unknown" when the year is not recorded). */
  byYearGroup: Record<string, number>;
  byOutcome: { open: number; closed: number };
  /** What the investigation concluded; most incidents need none, and one may still be under way. */
  byConclusion: Record<Conclusion, number>;
  byTerm: Record<string, number>;
}

/** An incident's investigation conclusion, or why it has none yet. */
export type Conclusion = 'substantiated' | 'not_substantiated' | 'under_investigation' | 'no_investigation';

/** Reads a left join on incident_investigations: no row means no investigation was opened. */
export const conclusionOf = (row: { investigation_id: string | null; conclusion: string | null }): Conclusion =>
  row.investigation_id === null
    ? 'no_investigation'
    : row.conclusion === 'substantiated' || row.conclusion === 'not_substantiated'
      ? row.conclusion
      : 'under_investigation';

export interface IncidentStats {
  period: { from: string; to: string };
  previousPeriod: { from: string; to: string };
  current: IncidentCounts;
  previous: IncidentCounts;
}

const bump = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

/** The counts for one school over [from, to), unaudited: callers audit the read that shows them. */
export async function countsFor(db: Kysely<DB>, schoolId: string, from: Date, to: Date): Promise<IncidentCounts> {
  const incidents = await db
    .selectFrom('incidents')
    .leftJoin('incident_investigations', 'incident_investigations.incident_id', 'incidents.id')
    .select([
      'incidents.id',
      'incidents.category',
      'incidents.subject_kind',
      'incidents.status',
      'incidents.occurred_at',
      'incident_investigations.incident_id as investigation_id',
      'incident_investigations.conclusion',
    ])
    .where('incidents.school_id', '=', schoolId)
    .where('incidents.occurred_at', '>=', from.toISOString())
    .where('incidents.occurred_at', '<', to.toISOString())
    .execute();
  const counts: IncidentCounts = {
    total: incidents.length,
    byCategory: {},
    bySubjectKind: {},
    byYearGroup: {},
    byOutcome: { open: 0, closed: 0 },
    byConclusion: { substantiated: 0, not_substantiated: 0, under_investigation: 0, no_investigation: 0 },
    byTerm: {},
  };
  for (const incident of incidents) {
    counts.byConclusion[conclusionOf(incident)] += 1;
    bump(counts.byCategory, incident.category);
    bump(counts.bySubjectKind, incident.subject_kind);
    counts.byOutcome[incident.status] += 1;
    bump(counts.byTerm, termOf(new Date(incident.occurred_at)));
  }
  const studentIncidents = incidents.filter((i) => i.subject_kind === 'student').map((i) => i.id);
  if (studentIncidents.length > 0) {
    const years = await db
      .selectFrom('incident_people')
      .innerJoin('people', 'people.id', 'incident_people.person_id')
      .select(['incident_people.incident_id', 'people.year_group'])
      .where('incident_people.incident_id', 'in', studentIncidents)
      .where('incident_people.role', '=', 'subject')
      .where('people.kind', '=', 'student')
      .execute();
    // An incident about two pupils of one year counts once for that year.
    const seen = new Set<string>();
    for (const row of years) {
      const year = row.year_group === null ? 'unknown' : String(row.year_group);
      const key = `${row.incident_id}|${year}`;
      if (seen.has(key)) continue;
      seen.add(key);
      bump(counts.byYearGroup, year);
    }
  }
  return counts;
}

/**
 * Anonymised incident counts for the actor's school over [from, to), with the same counts
 * for the equal period just before it as the trend. The answer holds only category ids, year
 * numbers, terms and counts: no names, ids, summaries or references.
 *
 * @example
 *   const stats = await incidentStats(db, actor, { from, to }, { ip }, now);
 */
export async function incidentStats(
  db: Kysely<DB>,
  actor: Actor,
  period: { from: Date; to: Date },
  client: { ip: string | null },
  at: Date,
): Promise<IncidentStats> {
  const length = period.to.getTime() - period.from.getTime();
  const previousFrom = new Date(period.from.getTime() - length);
  const [current, previous] = [
    await countsFor(db, actor.schoolId, period.from, period.to),
    await countsFor(db, actor.schoolId, previousFrom, period.from),
  ];
  const stats: IncidentStats = {
    period: { from: period.from.toISOString(), to: period.to.toISOString() },
    previousPeriod: { from: previousFrom.toISOString(), to: period.from.toISOString() },
    current,
    previous,
  };
  await recordAudit(db, {
    action: 'incident.stats',
    actor: { accountId: actor.accountId, username: actor.username },
    targetType: 'school',
    targetId: actor.schoolId,
    schoolId: actor.schoolId,
    ip: client.ip,
    details: stats.period,
    at,
  });
  return stats;
}

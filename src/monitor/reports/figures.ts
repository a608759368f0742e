/**
 * The counts behind the reports, read from the activity tables with GROUP BY so a day of a
 * big school (millions of rows) never comes into memory: only one row per hour and category,
 * per person, or per host does. Timestamps are stored as ISO strings in UTC, so the first 13
 * characters name the UTC hour on both databases.
 */
import { type Kysely, sql } from 'kysely';
import type { DB, MonitorAlertTable } from '../../db/tables.js';
import type { ReportPeriod } from './period.js';
import { personName } from '../../directory/names.js';

const count = (value: unknown) => Number(value ?? 0);
const hourOf = sql<string>`substr(at, 1, 13)`;

export interface HourlyCounts {
  /** UTC hour key (`YYYY-MM-DDTHH`) → requests seen and blocked in it, from both activity tables. */
  hours: Map<string, { requests: number; blocked: number }>;
  /** The filter's blocks with a category, per UTC hour. */
  blockedCategories: { hour: string; category: string; count: number }[];
}

/** Every request the school's filter and its other sources saw in the period, per hour. */
export async function hourlyCounts(db: Kysely<DB>, schoolId: string, period: ReportPeriod): Promise<HourlyCounts> {
  const from = period.start.toISOString();
  const to = period.end.toISOString();
  const filterRows = await db
    .selectFrom('activity_events')
    .select((eb) => [hourOf.as('hour'), 'action', 'category', eb.fn.countAll().as('n')])
    .where('school_id', '=', schoolId)
    .where('at', '>=', from)
    .where('at', '<', to)
    .groupBy([hourOf, 'action', 'category'])
    .execute();
  const eventRows = await db
    .selectFrom('monitor_events')
    .select((eb) => [hourOf.as('hour'), 'blocked', eb.fn.countAll().as('n')])
    .where('school_id', '=', schoolId)
    .where('at', '>=', from)
    .where('at', '<', to)
    .groupBy([hourOf, 'blocked'])
    .execute();
  const hours = new Map<string, { requests: number; blocked: number }>();
  const add = (hour: string, n: number, blocked: boolean) => {
    const h = hours.get(hour) ?? { requests: 0, blocked: 0 };
    h.requests += n;
    if (blocked) h.blocked += n;
    hours.set(hour, h);
  };
  const blockedCategories: HourlyCounts['blockedCategories'] = [];
  for (const r of filterRows) {
    add(r.hour, count(r.n), r.action === 'block');
    if (r.action === 'block' && r.category) blockedCategories.push({ hour: r.hour, category: r.category, count: count(r.n) });
  }
  for (const r of eventRows) add(r.hour, count(r.n), count(r.blocked) === 1);
  return { hours, blockedCategories };
}

/**
 * Blocked requests without a category, by host: outside sources (a school's own proxy) report
 * what they refused but not why.
 */
export async function blockedHosts(db: Kysely<DB>, schoolId: string, period: ReportPeriod): Promise<Map<string, number>> {
  const from = period.start.toISOString();
  const to = period.end.toISOString();
  const rows = [
    ...(await db
      .selectFrom('activity_events')
      .select((eb) => ['host', eb.fn.countAll().as('n')])
      .where('school_id', '=', schoolId)
      .where('at', '>=', from)
      .where('at', '<', to)
      .where('action', '=', 'block')
      .where('category', 'is', null)
      .groupBy('host')
      .execute()),
    ...(await db
      .selectFrom('monitor_events')
      .select((eb) => ['host', eb.fn.countAll().as('n')])
      .where('school_id', '=', schoolId)
      .where('at', '>=', from)
      .where('at', '<', to)
      .where('blocked', '=', 1)
      .groupBy('host')
      .execute()),
  ];
  const hosts = new Map<string, number>();
  for (const r of rows) {
    const host = r.host ?? '(no host recorded)';
    hosts.set(host, (hosts.get(host) ?? 0) + count(r.n));
  }
  return hosts;
}

export interface BlockedPerson {
  personId: string;
  name: string;
  kind: string;
  yearGroup: number | null;
  count: number;
}

/** Who was blocked how often: named people, and by address the requests no one could be tied to. */
export async function blocksByWho(
  db: Kysely<DB>,
  schoolId: string,
  period: ReportPeriod,
): Promise<{ people: BlockedPerson[]; addresses: Map<string, number> }> {
  const from = period.start.toISOString();
  const to = period.end.toISOString();
  const rows = [
    ...(await db
      .selectFrom('activity_events')
      .select((eb) => ['person_id', 'client_address', eb.fn.countAll().as('n')])
      .where('school_id', '=', schoolId)
      .where('at', '>=', from)
      .where('at', '<', to)
      .where('action', '=', 'block')
      .groupBy(['person_id', 'client_address'])
      .execute()),
    ...(await db
      .selectFrom('monitor_events')
      .select((eb) => ['person_id', 'client_address', eb.fn.countAll().as('n')])
      .where('school_id', '=', schoolId)
      .where('at', '>=', from)
      .where('at', '<', to)
      .where('blocked', '=', 1)
      .groupBy(['person_id', 'client_address'])
      .execute()),
  ];
  const byPerson = new Map<string, number>();
  const addresses = new Map<string, number>();
  for (const r of rows) {
    if (r.person_id) byPerson.set(r.person_id, (byPerson.get(r.person_id) ?? 0) + count(r.n));
    else {
      const address = r.client_address ?? '(no address recorded)';
      addresses.set(address, (addresses.get(address) ?? 0) + count(r.n));
    }
  }
  const people: BlockedPerson[] = [];
  const ids = [...byPerson.keys()];
  // In slices: a whole school blocked in one week must not exceed a database's parameter limit.
  for (let i = 0; i < ids.length; i += 500) {
    const found = await db
      .selectFrom('people')
      .select(['id', 'given_name', 'family_name', 'preferred_name', 'kind', 'year_group'])
      .where('school_id', '=', schoolId)
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const p of found) {
      people.push({
        personId: p.id,
        name: personName(p),
        kind: p.kind,
        yearGroup: p.year_group,
        count: byPerson.get(p.id) ?? 0,
      });
    }
  }
  // A person since deleted from the directory still counted: shown by id rather than dropped.
  const known = new Set(people.map((p) => p.personId));
  for (const id of ids) {
    if (!known.has(id))
      people.push({
        personId: id,
        name: 'Person no longer in the directory',
        kind: 'other',
        yearGroup: null,
        count: byPerson.get(id) ?? 0,
      });
  }
  people.sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  return { people, addresses };
}

export type AlertRow = Pick<
  MonitorAlertTable,
  'id' | 'person_id' | 'who' | 'profile' | 'category' | 'severity' | 'status' | 'created_at' | 'first_at'
> & { year_group: number | null };

/** The alerts raised in the period (by when Tutela raised them), with their state now. */
export async function alertsRaised(db: Kysely<DB>, schoolId: string, period: ReportPeriod): Promise<AlertRow[]> {
  return db
    .selectFrom('monitor_alerts')
    .leftJoin('people', 'people.id', 'monitor_alerts.person_id')
    .select([
      'monitor_alerts.id',
      'monitor_alerts.person_id',
      'monitor_alerts.who',
      'monitor_alerts.profile',
      'monitor_alerts.category',
      'monitor_alerts.severity',
      'monitor_alerts.status',
      'monitor_alerts.created_at',
      'monitor_alerts.first_at',
      'people.year_group',
    ])
    .where('monitor_alerts.school_id', '=', schoolId)
    .where('monitor_alerts.created_at', '>=', period.start.toISOString())
    .where('monitor_alerts.created_at', '<', period.end.toISOString())
    .orderBy('monitor_alerts.created_at')
    .orderBy('monitor_alerts.id')
    .execute();
}

/** Blocks per kind of person and year group, for the weekly report's groups. */
export async function blocksByGroup(
  db: Kysely<DB>,
  schoolId: string,
  period: ReportPeriod,
): Promise<{ kind: string | null; yearGroup: number | null; count: number }[]> {
  const from = period.start.toISOString();
  const to = period.end.toISOString();
  const filter = await db
    .selectFrom('activity_events')
    .leftJoin('people', 'people.id', 'activity_events.person_id')
    .select((eb) => ['people.kind', 'people.year_group', eb.fn.countAll().as('n')])
    .where('activity_events.school_id', '=', schoolId)
    .where('activity_events.at', '>=', from)
    .where('activity_events.at', '<', to)
    .where('activity_events.action', '=', 'block')
    .groupBy(['people.kind', 'people.year_group'])
    .execute();
  const events = await db
    .selectFrom('monitor_events')
    .leftJoin('people', 'people.id', 'monitor_events.person_id')
    .select((eb) => ['people.kind', 'people.year_group', eb.fn.countAll().as('n')])
    .where('monitor_events.school_id', '=', schoolId)
    .where('monitor_events.at', '>=', from)
    .where('monitor_events.at', '<', to)
    .where('monitor_events.blocked', '=', 1)
    .groupBy(['people.kind', 'people.year_group'])
    .execute();
  return [...filter, ...events].map((r) => ({ kind: r.kind ?? null, yearGroup: r.year_group ?? null, count: count(r.n) }));
}

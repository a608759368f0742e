/**
 * The daily internet-usage summary for the safeguarding officer: what was blocked, who was
 * blocked most, and which alerts were raised, for one school day.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/tables.js';
import { categoryLabel, isCategoryId } from '../../filter/categories.js';
import { SEVERITIES, type Severity } from '../keywords/types.js';
import { SEVERITY_ORDER } from '../model.js';
import { type AlertRow, alertsRaised, blockedHosts, blocksByWho, hourlyCounts } from './figures.js';
import { localOfHourKey, type ReportPeriod, SCHOOL_TIME_ZONE } from './period.js';
import { type AlertSummary, type CountRow, type DailyReportData, MONITOR_CATEGORY_LABELS, type ReportAlert } from './types.js';

/** How many rows each "top" list keeps. */
export const TOP = 10;

export const filterCategoryLabel = (id: string) => (isCategoryId(id) ? categoryLabel(id) : id);
export const monitorCategoryLabel = (id: string) => MONITOR_CATEGORY_LABELS[id] ?? id;

/** Largest first, ties by label, so the same figures always print in the same order. */
export function top(counts: Map<string, number>, label: (key: string) => string, n = TOP): CountRow[] {
  return [...counts]
    .map(([key, count]) => ({ key, label: label(key), count }))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label))
    .slice(0, n);
}

export const toReportAlert = (a: AlertRow): ReportAlert => ({
  id: a.id,
  category: a.category,
  severity: a.severity,
  who: a.who,
  personId: a.person_id,
  profile: a.profile,
  yearGroup: a.year_group,
  status: a.status,
  createdAt: a.created_at,
});

export function summariseAlerts(rows: readonly AlertRow[]): AlertSummary {
  const byCategory = new Map<string, number>();
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const a of rows) {
    byCategory.set(a.category, (byCategory.get(a.category) ?? 0) + 1);
    bySeverity[a.severity] += 1;
  }
  const items: ReportAlert[] = rows
    .map(toReportAlert)
    .sort((a, b) => SEVERITY_ORDER[b.severity] - SEVERITY_ORDER[a.severity] || a.createdAt.localeCompare(b.createdAt));
  return { total: rows.length, byCategory: top(byCategory, monitorCategoryLabel, Number.POSITIVE_INFINITY), bySeverity, items };
}

/** Requests and blocks per local hour of the day. */
export function perLocalHour(hours: Map<string, { requests: number; blocked: number }>): { requests: number[]; blocked: number[] } {
  const requests = Array<number>(24).fill(0);
  const blocked = Array<number>(24).fill(0);
  for (const [key, h] of hours) {
    const { hour } = localOfHourKey(key);
    requests[hour]! += h.requests;
    blocked[hour]! += h.blocked;
  }
  return { requests, blocked };
}

/**
 * @example
 *   const data = await buildDailyReport(ctx.db, { id, name }, periodOf('daily', '2026-11-23'));
 */
export async function buildDailyReport(
  db: Kysely<DB>,
  school: { id: string; name: string },
  period: ReportPeriod,
): Promise<DailyReportData> {
  const hourly = await hourlyCounts(db, school.id, period);
  const categories = new Map<string, number>();
  for (const c of hourly.blockedCategories) categories.set(c.category, (categories.get(c.category) ?? 0) + c.count);
  const hosts = await blockedHosts(db, school.id, period);
  const who = await blocksByWho(db, school.id, period);
  const alerts = summariseAlerts(await alertsRaised(db, school.id, period));
  let requests = 0;
  let blocked = 0;
  for (const h of hourly.hours.values()) {
    requests += h.requests;
    blocked += h.blocked;
  }
  return {
    kind: 'daily',
    school,
    timeZone: SCHOOL_TIME_ZONE,
    firstDate: period.days[0]!,
    lastDate: period.days.at(-1)!,
    periodStart: period.start.toISOString(),
    periodEnd: period.end.toISOString(),
    totals: { requests, blocked, alerts: alerts.total },
    blockedCategories: top(categories, filterCategoryLabel),
    blockedHosts: top(hosts, (h) => h),
    people: who.people.slice(0, TOP).map((p) => ({ personId: p.personId, name: p.name, yearGroup: p.yearGroup, count: p.count })),
    peopleBlocked: who.people.length,
    addresses: top(who.addresses, (a) => a),
    hours: perLocalHour(hourly.hours),
    alerts,
  };
}

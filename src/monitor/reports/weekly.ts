/**
 * The weekly monitoring report for the DSL: Monday to Sunday, day by day, against the week
 * before; by key stage and year group; and what became of the week's alerts.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/tables.js';
import { MONITOR_PROFILES, type MonitorProfile, PROFILE_LABELS, profileFor } from '../model.js';
import { filterCategoryLabel, monitorCategoryLabel, perLocalHour, summariseAlerts, TOP, toReportAlert } from './daily.js';
import { type AlertRow, alertsRaised, blocksByGroup, hourlyCounts } from './figures.js';
import { addDays, localDate, localOfHourKey, periodOf, type ReportPeriod, SCHOOL_TIME_ZONE } from './period.js';
import type { AlertOutcomes, CategoryTrend, WeeklyReportData } from './types.js';

export function outcomesOf(alerts: readonly AlertRow[]): AlertOutcomes {
  const o = { open: 0, false_positive: 0, escalated: 0, closed: 0 };
  for (const a of alerts) o[a.status] += 1;
  const triaged = o.false_positive + o.escalated + o.closed;
  return { ...o, falsePositiveRate: triaged === 0 ? null : o.false_positive / triaged };
}

export const groupKey = (profile: MonitorProfile, yearGroup: number | null) =>
  profile === 'staff' || profile === 'unknown' || yearGroup === null ? profile : `${profile}:${yearGroup}`;
const groupLabel = (profile: MonitorProfile, yearGroup: number | null) =>
  profile === 'staff' || profile === 'unknown' || yearGroup === null
    ? PROFILE_LABELS[profile]
    : `${yearGroup === 0 ? 'Reception' : `Year ${yearGroup}`} (${PROFILE_LABELS[profile].replace(/ \(.*\)$/, '')})`;

function trends(
  week: Map<string, number[]>,
  previous: Map<string, number>,
  label: (key: string) => string,
  limit = Number.POSITIVE_INFINITY,
): CategoryTrend[] {
  const keys = new Set([...week.keys(), ...previous.keys()]);
  return [...keys]
    .map((key) => {
      const perDay = week.get(key) ?? Array<number>(7).fill(0);
      return { key, label: label(key), perDay, total: perDay.reduce((a, b) => a + b, 0), previous: previous.get(key) ?? 0 };
    })
    .sort((a, b) => b.total - a.total || b.previous - a.previous || a.label.localeCompare(b.label))
    .slice(0, limit);
}

/**
 * @example
 *   const data = await buildWeeklyReport(ctx.db, { id, name }, periodOf('weekly', '2026-11-23'));
 */
export async function buildWeeklyReport(
  db: Kysely<DB>,
  school: { id: string; name: string },
  period: ReportPeriod,
): Promise<WeeklyReportData> {
  const previousPeriod = periodOf('weekly', addDays(period.days[0]!, -7));
  const dayIndex = new Map(period.days.map((d, i) => [d, i]));
  const hourly = await hourlyCounts(db, school.id, period);
  const before = await hourlyCounts(db, school.id, previousPeriod);
  const alerts = await alertsRaised(db, school.id, period);
  const previousAlerts = await alertsRaised(db, school.id, previousPeriod);

  const days = period.days.map((date) => ({ date, requests: 0, blocked: 0, alerts: 0 }));
  for (const [key, h] of hourly.hours) {
    const day = days[dayIndex.get(localOfHourKey(key).date) ?? -1];
    if (!day) continue;
    day.requests += h.requests;
    day.blocked += h.blocked;
  }
  for (const a of alerts) {
    const day = days[dayIndex.get(localDate(new Date(a.created_at))) ?? -1];
    if (day) day.alerts += 1;
  }

  const blockedWeek = new Map<string, number[]>();
  for (const c of hourly.blockedCategories) {
    const i = dayIndex.get(localOfHourKey(c.hour).date);
    if (i === undefined) continue;
    const perDay = blockedWeek.get(c.category) ?? Array<number>(7).fill(0);
    perDay[i]! += c.count;
    blockedWeek.set(c.category, perDay);
  }
  const blockedBefore = new Map<string, number>();
  for (const c of before.blockedCategories) blockedBefore.set(c.category, (blockedBefore.get(c.category) ?? 0) + c.count);
  const alertWeek = new Map<string, number[]>();
  for (const a of alerts) {
    const i = dayIndex.get(localDate(new Date(a.created_at)));
    if (i === undefined) continue;
    const perDay = alertWeek.get(a.category) ?? Array<number>(7).fill(0);
    perDay[i]! += 1;
    alertWeek.set(a.category, perDay);
  }
  const alertBefore = new Map<string, number>();
  for (const a of previousAlerts) alertBefore.set(a.category, (alertBefore.get(a.category) ?? 0) + 1);

  const groups = new Map<string, WeeklyReportData['groups'][number]>();
  const group = (profile: MonitorProfile, yearGroup: number | null) => {
    const key = groupKey(profile, yearGroup);
    let g = groups.get(key);
    if (!g) {
      g = { key, label: groupLabel(profile, yearGroup), profile, yearGroup, blocked: 0, alerts: 0, previousBlocked: 0, previousAlerts: 0 };
      groups.set(key, g);
    }
    return g;
  };
  const profileOfPerson = (kind: string | null, yearGroup: number | null) =>
    kind === null ? 'unknown' : profileFor({ kind: kind === 'student' || kind === 'staff' ? kind : 'other', yearGroup });
  for (const b of await blocksByGroup(db, school.id, period)) {
    const profile = profileOfPerson(b.kind, b.yearGroup);
    group(profile, profile === 'staff' ? null : b.yearGroup).blocked += b.count;
  }
  for (const b of await blocksByGroup(db, school.id, previousPeriod)) {
    const profile = profileOfPerson(b.kind, b.yearGroup);
    group(profile, profile === 'staff' ? null : b.yearGroup).previousBlocked += b.count;
  }
  for (const a of alerts) group(a.profile, a.profile === 'staff' ? null : a.year_group).alerts += 1;
  for (const a of previousAlerts) group(a.profile, a.profile === 'staff' ? null : a.year_group).previousAlerts += 1;

  const sum = (h: Map<string, { requests: number; blocked: number }>) => {
    let requests = 0;
    let blocked = 0;
    for (const v of h.values()) {
      requests += v.requests;
      blocked += v.blocked;
    }
    return { requests, blocked };
  };
  const totals = sum(hourly.hours);
  const previousTotals = sum(before.hours);
  return {
    kind: 'weekly',
    school,
    timeZone: SCHOOL_TIME_ZONE,
    firstDate: period.days[0]!,
    lastDate: period.days.at(-1)!,
    periodStart: period.start.toISOString(),
    periodEnd: period.end.toISOString(),
    totals: { ...totals, alerts: alerts.length },
    previousTotals: { ...previousTotals, alerts: previousAlerts.length },
    days,
    blockedCategories: trends(blockedWeek, blockedBefore, filterCategoryLabel, TOP),
    alertCategories: trends(alertWeek, alertBefore, monitorCategoryLabel),
    groups: [...groups.values()].sort(
      (a, b) => MONITOR_PROFILES.indexOf(a.profile) - MONITOR_PROFILES.indexOf(b.profile) || (a.yearGroup ?? -1) - (b.yearGroup ?? -1),
    ),
    outcomes: outcomesOf(alerts),
    previousOutcomes: outcomesOf(previousAlerts),
    hours: perLocalHour(hourly.hours),
    alerts: summariseAlerts(alerts),
    previousAlerts: previousAlerts.map(toReportAlert),
  };
}

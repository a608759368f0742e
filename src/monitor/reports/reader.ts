/**
 * A report as one person may see it. Nobody sees an alert about themselves (the rule behind the
 * triage queue), and in a report even a count can give one away: "Violence: 1" on the day you
 * searched for something. So the alerts about the reader are taken out of every figure before
 * the report is shown or e-mailed to them, as if they had never been raised.
 */
import { localDate } from './period.js';
import type { AlertOutcomes, CountRow, ReportAlert, ReportData } from './types.js';
import { groupKey } from './weekly.js';

function less(rows: CountRow[], key: string): CountRow[] {
  return rows.map((r) => (r.key === key ? { ...r, count: r.count - 1 } : r)).filter((r) => r.count > 0);
}

function withRate(o: AlertOutcomes): AlertOutcomes {
  const triaged = o.false_positive + o.escalated + o.closed;
  return { ...o, falsePositiveRate: triaged === 0 ? null : o.false_positive / triaged };
}

/**
 * @example
 *   const mine = withoutAlertsAbout(report.data, actor.personId);
 */
export function withoutAlertsAbout(data: ReportData, personId: string): ReportData {
  const about = (a: ReportAlert) => a.personId === personId;
  const hidden = data.alerts.items.filter(about);
  const hiddenBefore = data.kind === 'weekly' ? data.previousAlerts.filter(about) : [];
  if (hidden.length === 0 && hiddenBefore.length === 0) return data;
  const copy = structuredClone(data);
  copy.totals.alerts -= hidden.length;
  copy.alerts.total -= hidden.length;
  copy.alerts.items = copy.alerts.items.filter((a) => !about(a));
  for (const a of hidden) {
    copy.alerts.bySeverity[a.severity] -= 1;
    copy.alerts.byCategory = less(copy.alerts.byCategory, a.category);
  }
  if (copy.kind !== 'weekly') return copy;

  const dayOf = new Map(copy.days.map((d, i) => [d.date, i]));
  for (const a of hidden) {
    const i = dayOf.get(localDate(new Date(a.createdAt), copy.timeZone));
    const trend = copy.alertCategories.find((c) => c.key === a.category);
    if (i !== undefined) {
      copy.days[i]!.alerts -= 1;
      if (trend) trend.perDay[i]! -= 1;
    }
    if (trend) trend.total -= 1;
    const group = copy.groups.find((g) => g.key === groupKey(a.profile, a.yearGroup));
    if (group) group.alerts -= 1;
    copy.outcomes[a.status] -= 1;
  }
  for (const a of hiddenBefore) {
    copy.previousTotals.alerts -= 1;
    const trend = copy.alertCategories.find((c) => c.key === a.category);
    if (trend) trend.previous -= 1;
    const group = copy.groups.find((g) => g.key === groupKey(a.profile, a.yearGroup));
    if (group) group.previousAlerts -= 1;
    copy.previousOutcomes[a.status] -= 1;
  }
  copy.previousAlerts = copy.previousAlerts.filter((a) => !about(a));
  copy.outcomes = withRate(copy.outcomes);
  copy.previousOutcomes = withRate(copy.previousOutcomes);
  copy.alertCategories = copy.alertCategories.filter((c) => c.total > 0 || c.previous > 0);
  copy.groups = copy.groups.filter((g) => g.blocked + g.previousBlocked + g.alerts + g.previousAlerts > 0);
  return copy;
}

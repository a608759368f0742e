/**
 * What a stored report holds (`monitor_reports.data`). The figures are fixed when the report is
 * made, so the app shows what the e-mail said even after retention removed the activity.
 */
import type { Severity } from '../keywords/types.js';
import type { MonitorProfile } from '../model.js';
import type { ReportKind } from './period.js';

export interface CountRow {
  /** A stable id: a category id, a host, an address. */
  key: string;
  label: string;
  count: number;
}

/** One alert as the report lists it. Lines are shown only to readers who may see that alert. */
export interface ReportAlert {
  id: string;
  category: string;
  severity: Severity;
  who: string;
  personId: string | null;
  profile: MonitorProfile;
  yearGroup: number | null;
  status: 'open' | 'false_positive' | 'escalated' | 'closed';
  createdAt: string;
}

export interface AlertSummary {
  total: number;
  byCategory: CountRow[];
  bySeverity: Record<Severity, number>;
  items: ReportAlert[];
}

interface ReportBase {
  kind: ReportKind;
  school: { id: string; name: string };
  timeZone: string;
  /** Local dates covered, first and last. */
  firstDate: string;
  lastDate: string;
  periodStart: string;
  periodEnd: string;
  totals: { requests: number; blocked: number; alerts: number };
}

export interface DailyReportData extends ReportBase {
  kind: 'daily';
  blockedCategories: CountRow[];
  /** Blocks reported without a category (the school's own proxy), by host. */
  blockedHosts: CountRow[];
  /** Named people with the most blocks. Names stay in the app: the e-mail carries counts only. */
  people: { personId: string; name: string; yearGroup: number | null; count: number }[];
  /** How many different people were blocked at least once. */
  peopleBlocked: number;
  /** Blocks no one could be tied to, by the device's address. */
  addresses: CountRow[];
  /** Requests and blocks per local hour, 0–23. */
  hours: { requests: number[]; blocked: number[] };
  alerts: AlertSummary;
}

export interface CategoryTrend {
  key: string;
  label: string;
  /** One count per day, Monday first. */
  perDay: number[];
  total: number;
  previous: number;
}

export interface AlertOutcomes {
  open: number;
  false_positive: number;
  escalated: number;
  closed: number;
  /** False positives among the alerts already triaged; null when none has been. */
  falsePositiveRate: number | null;
}

export interface WeeklyReportData extends ReportBase {
  kind: 'weekly';
  previousTotals: { requests: number; blocked: number; alerts: number };
  days: { date: string; requests: number; blocked: number; alerts: number }[];
  blockedCategories: CategoryTrend[];
  alertCategories: CategoryTrend[];
  /** Per key stage and year group: blocks and alerts, this week and the one before. */
  groups: {
    key: string;
    label: string;
    profile: MonitorProfile;
    yearGroup: number | null;
    blocked: number;
    alerts: number;
    previousBlocked: number;
    previousAlerts: number;
  }[];
  outcomes: AlertOutcomes;
  previousOutcomes: AlertOutcomes;
  /** Requests and blocks per local hour of the day, over the whole week. */
  hours: { requests: number[]; blocked: number[] };
  alerts: AlertSummary;
  /** The week before's alerts, not shown: kept so a reader's own alerts can be taken out of its figures too. */
  previousAlerts: ReportAlert[];
}

export type ReportData = DailyReportData | WeeklyReportData;

export const MONITOR_CATEGORY_LABELS: Record<string, string> = {
  illegal: 'Illegal content',
  bullying: 'Bullying',
  child_exploitation: 'Child sexual exploitation',
  discrimination: 'Discrimination',
  drugs: 'Drugs and substance misuse',
  extremism: 'Extremism',
  gambling: 'Gambling',
  pornography: 'Pornography',
  self_harm: 'Self-harm',
  suicide: 'Suicide',
  violence: 'Violence',
};

export const STATUS_LABELS: Record<ReportAlert['status'], string> = {
  open: 'Open',
  false_positive: 'False positive',
  escalated: 'Escalated',
  closed: 'Closed',
};

import { request } from '../../api';
import type { Tone } from '../../components/Badge';
import { MONITOR_CATEGORIES, SEVERITIES, type MonitorCategory, type Severity } from '../../../../src/monitor/keywords/types';
import { PROFILE_LABELS, type MonitorProfile } from '../../../../src/monitor/model';
import { INCIDENT_CATEGORIES } from '../../../../src/safeguarding/categories';
import { ALERT_STATUSES, type AlertDetail, type AlertNote, type AlertStatus, type AlertSummary } from '../../../../src/monitor/alerts/wire';

// Categories, severities and profiles come from the server's own modules, so the two cannot disagree.
export { INCIDENT_CATEGORIES, MONITOR_CATEGORIES, SEVERITIES, type MonitorCategory, type Severity };

export { ALERT_STATUSES, type AlertDetail, type AlertNote, type AlertStatus, type AlertSummary };

export interface AlertQuery {
  status?: AlertStatus | 'all';
  category?: string;
  severity?: string;
  groupId?: string;
  personId?: string;
  limit?: number;
  offset?: number;
}

export interface EscalationDraft {
  category: string;
  summary: string;
  description: string;
  subjectPersonIds: string[];
}

export type BulkAction = 'false_positive' | 'close' | 'reopen';

export interface BulkResult {
  updated: string[];
  skipped: { id: string; reason: string }[];
}

export type OpenCounts = Record<Severity, number>;

function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

const base = '/api/monitor/alerts';
const one = (id: string) => `${base}/${encodeURIComponent(id)}`;

/** The triage queue's calls. The server checks every alert against the reader and audits each read. */
export const alertsApi = {
  list: (q: AlertQuery) => request<{ alerts: AlertSummary[]; total: number }>('GET', `${base}${query({ ...q })}`),
  counts: () => request<{ open: OpenCounts }>('GET', `${base}/counts`),
  get: (id: string) => request<AlertDetail>('GET', one(id)),
  addNote: (id: string, text: string) => request<AlertDetail>('POST', `${one(id)}/notes`, { text }),
  falsePositive: (id: string, reason: string) => request<AlertDetail>('POST', `${one(id)}/false-positive`, { reason }),
  close: (id: string, note?: string) => request<AlertDetail>('POST', `${one(id)}/close`, note ? { note } : {}),
  reopen: (id: string) => request<AlertDetail>('POST', `${one(id)}/reopen`, {}),
  escalationDraft: (id: string) => request<EscalationDraft>('GET', `${one(id)}/escalation-draft`),
  escalate: (id: string, body: { category: string; summary: string; description: string }) =>
    request<{ alert: AlertDetail; incidentId: string }>('POST', `${one(id)}/escalate`, body),
  bulk: (body: { ids: string[]; action: BulkAction; reason?: string }) => request<BulkResult>('POST', `${base}/bulk`, body),
};

export const CATEGORY_LABELS: Record<MonitorCategory, string> = {
  illegal: 'Illegal content',
  bullying: 'Bullying',
  child_exploitation: 'Child exploitation',
  discrimination: 'Discrimination',
  drugs: 'Drugs and substance misuse',
  extremism: 'Extremism',
  gambling: 'Gambling',
  pornography: 'Pornography',
  self_harm: 'Self-harm',
  suicide: 'Suicide',
  violence: 'Violence',
};
export const categoryLabel = (id: string): string => CATEGORY_LABELS[id as MonitorCategory] ?? id;

export const SEVERITY_LABELS: Record<Severity, string> = { low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' };
export const severityLabel = (s: string): string => SEVERITY_LABELS[s as Severity] ?? s;
/** Colour is never the only sign: the badge always carries the word, and critical and high a marker. */
export const SEVERITY_TONES: Record<Severity, Tone> = { low: 'neutral', medium: 'neutral', high: 'warn', critical: 'bad' };
/** Most serious first, as the queue is sorted. */
export const SEVERITIES_DESC: readonly Severity[] = [...SEVERITIES].reverse();

export const STATUS_LABELS: Record<AlertStatus, string> = {
  open: 'Open',
  false_positive: 'False positive',
  escalated: 'Escalated',
  closed: 'Closed',
};
export const statusLabel = (s: string): string => STATUS_LABELS[s as AlertStatus] ?? s;

export const profileLabel = (p: string): string => PROFILE_LABELS[p as MonitorProfile] ?? p;

export const EVENT_KIND_LABELS: Record<string, string> = {
  web: 'Web page',
  search: 'Search',
  email: 'E-mail',
  chat: 'Chat',
  document: 'Document',
  typed: 'Typed text',
  other: 'Other',
};
export const eventKindLabel = (k: string): string => EVENT_KIND_LABELS[k] ?? k;

/** The reasons the server gives for leaving an alert out of a bulk action, in words. */
export const skipReasonLabel = (reason: string): string =>
  ({
    not_found: 'not found, or not yours to triage',
    forbidden: 'not yours to triage',
    already_resolved: 'already resolved',
    'monitor.alert_resolved': 'already resolved',
    not_resolved: 'still open',
    escalated: 'escalated to an incident',
  })[reason] ?? reason;

/** Fired after any triage change, so the open-alert count in the sub-navigation catches up. */
export const ALERTS_CHANGED = 'tutela:monitor-alerts-changed';
export const notifyAlertsChanged = (): void => {
  window.dispatchEvent(new Event(ALERTS_CHANGED));
};

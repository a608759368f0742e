/**
 * Alerts as the triage API sends them. Plain types over the shared id lists, so the web app
 * imports the very same shapes the server answers with.
 */
import type { MonitorCategory, Severity } from '../keywords/types.js';
import type { MonitorProfile } from '../model.js';

export const ALERT_STATUSES = ['open', 'false_positive', 'escalated', 'closed'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export interface AlertSummary {
  id: string;
  personId: string | null;
  /** The person's name, or the username or address the activity carried when no one was identified. */
  who: string;
  profile: MonitorProfile;
  category: MonitorCategory;
  severity: Severity;
  baseSeverity: Severity;
  riskRaised: boolean;
  entryId: string;
  term: string;
  matched: string;
  source: string;
  eventKind: string;
  excerpt: string;
  highlightStart: number;
  highlightEnd: number;
  count: number;
  firstAt: string;
  lastAt: string;
  status: AlertStatus;
  incidentId: string | null;
}

export interface AlertNote {
  id: string;
  authorName: string;
  at: string;
  text: string;
}

export interface AlertDetail extends AlertSummary {
  device: string | null;
  url: string | null;
  fpReason: string | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
  keywordsVersion: number;
  person: { id: string; name: string; yearGroup: number | null; groups: string[] } | null;
  notes: AlertNote[];
  related: AlertSummary[];
}

/**
 * The shapes the monitoring modules pass between them: an event ready to store and scan, and
 * the profiles that thresholds and severities differ by.
 */
import type { Severity } from './keywords/types.js';

export const EVENT_KINDS = ['web', 'search', 'email', 'chat', 'document', 'typed', 'other'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/**
 * One piece of activity, from any source, attributed to a person where that was possible. It is
 * what the ingestion sink commits to `monitor_events` and what the alert analyser scans.
 * The filter's own decisions arrive in this shape too (with `sourceId` null and `source`
 * `filter:dns` or `filter:proxy`), but stay stored in `activity_events`.
 */
export interface MonitorEvent {
  id: string;
  schoolId: string;
  /** When it happened, by the sender's clock. */
  at: Date;
  receivedAt: Date;
  /** The `monitor_sources` row it came through; null for the school's own filter. */
  sourceId: string | null;
  /** For people: `capture:Office 365 mail`, `squid@proxy1`, `filter:proxy`. */
  source: string;
  kind: EventKind;
  personId: string | null;
  username: string | null;
  clientAddress: string | null;
  /** The device as people know it: a name, or what the sender called it. */
  device: string | null;
  /** The filter's registered device, when the event came from the school's own filter. */
  deviceId?: string | null;
  host: string | null;
  url: string | null;
  /** What was searched for, taken from a search-engine or video-site URL. */
  searchTerms: string | null;
  /** Captured text: an e-mail, a chat message, a document, typed text. */
  text: string | null;
  /** The filter (ours or the school's proxy) refused it; null when not known. */
  blocked: boolean | null;
}

/** Age-appropriate monitoring: thresholds and severities can differ by these. */
export const MONITOR_PROFILES = ['primary', 'ks3', 'ks4', 'sixth_form', 'staff', 'unknown'] as const;
export type MonitorProfile = (typeof MONITOR_PROFILES)[number];

export const PROFILE_LABELS: Record<MonitorProfile, string> = {
  primary: 'Primary (Years 1–6)',
  ks3: 'Key stage 3 (Years 7–9)',
  ks4: 'Key stage 4 (Years 10–11)',
  sixth_form: 'Sixth form (Years 12–13)',
  staff: 'Staff',
  unknown: 'Not identified',
};

/** The profile a person is monitored under, from their year group or staff role. */
export function profileFor(person: { kind: 'student' | 'staff' | 'other'; yearGroup: number | null } | null): MonitorProfile {
  if (!person) return 'unknown';
  if (person.kind === 'staff') return 'staff';
  if (person.kind !== 'student' || person.yearGroup === null) return 'unknown';
  if (person.yearGroup <= 6) return 'primary';
  if (person.yearGroup <= 9) return 'ks3';
  if (person.yearGroup <= 11) return 'ks4';
  return 'sixth_form';
}

/** Something that takes committed events further (the alert analyser). It must not throw. */
export interface EventAnalyser {
  analyse(events: readonly MonitorEvent[]): Promise<void>;
}

export const SEVERITY_ORDER: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

import type { TrainingKind } from '../db/tables.js';

/**
 * What e-safety training each person must hold, following KCSIE: an induction once, a refresher
 * every year, and for a designated safeguarding lead DSL training every two years. External
 * courses are kept on record but satisfy nothing required.
 */

export type RequiredKind = Exclude<TrainingKind, 'external'>;
export type TrainingState = 'up_to_date' | 'due_soon' | 'overdue';

/** Days before expiry from which a record counts as "due soon". */
const DUE_SOON_DAYS = 30;

/** How long a record lasts when no expiry was entered; null means it never lapses. */
const DEFAULT_YEARS: Record<TrainingKind, number | null> = { induction: null, annual_refresher: 1, dsl: 2, external: null };

export interface RecordDates {
  id: string;
  kind: TrainingKind;
  completed_on: string;
  expires_on: string | null;
}

export interface KindStatus {
  kind: RequiredKind;
  state: TrainingState;
  /** Why it is overdue: nothing recorded, or the latest record has lapsed. */
  reason: 'missing' | 'expired' | null;
  /** The record that counts, and the day it stops counting. */
  recordId: string | null;
  completedOn: string | null;
  expiresOn: string | null;
}

/** The kinds a person must hold: governors and staff alike, plus DSL training for a DSL. */
export function requiredKinds(isDsl: boolean): RequiredKind[] {
  return isDsl ? ['induction', 'annual_refresher', 'dsl'] : ['induction', 'annual_refresher'];
}

/** Adds calendar years; 29 February becomes 28 February in a year without one. */
export function addYears(isoDate: string, years: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y + years, m - 1, d));
  if (date.getUTCMonth() !== m - 1) date.setUTCDate(0);
  return date.toISOString().slice(0, 10);
}

export function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/**
 * The day a record stops counting: the expiry entered, else completion plus the kind's period.
 *
 * @example
 *   effectiveExpiry({ kind: 'dsl', completed_on: '2025-09-01', expires_on: null }); // '2027-09-01'
 */
export function effectiveExpiry(record: Pick<RecordDates, 'kind' | 'completed_on' | 'expires_on'>): string | null {
  if (record.expires_on) return record.expires_on;
  const years = DEFAULT_YEARS[record.kind];
  return years === null ? null : addYears(record.completed_on, years);
}

/**
 * The state of one required kind on `today` (YYYY-MM-DD, the school's local date). A record
 * counts up to the day before its expiry date: on the expiry date itself it is overdue, and
 * within the 30 days before it, due soon.
 */
export function kindStatus(kind: RequiredKind, records: readonly RecordDates[], today: string): KindStatus {
  const ofKind = records.filter((r) => r.kind === kind);
  if (ofKind.length === 0) {
    return { kind, state: 'overdue', reason: 'missing', recordId: null, completedOn: null, expiresOn: null };
  }
  // The record lasting longest decides; one that never lapses beats any dated one.
  const best = ofKind
    .map((r) => ({ r, expiry: effectiveExpiry(r) }))
    .sort((a, b) => rank(b.expiry) - rank(a.expiry) || b.r.completed_on.localeCompare(a.r.completed_on))[0]!;
  const base = { kind, recordId: best.r.id, completedOn: best.r.completed_on, expiresOn: best.expiry };
  if (best.expiry === null) return { ...base, state: 'up_to_date', reason: null };
  if (best.expiry <= today) return { ...base, state: 'overdue', reason: 'expired' };
  if (best.expiry <= addDays(today, DUE_SOON_DAYS)) return { ...base, state: 'due_soon', reason: null };
  return { ...base, state: 'up_to_date', reason: null };
}

const rank = (expiry: string | null) => (expiry === null ? Number.POSITIVE_INFINITY : Date.parse(expiry));

/** Every required kind's state, and the person's overall state (the worst of them). */
export function personStatus(isDsl: boolean, records: readonly RecordDates[], today: string) {
  const kinds = requiredKinds(isDsl).map((kind) => kindStatus(kind, records, today));
  const overdue = kinds.filter((k) => k.state === 'overdue').map((k) => k.kind);
  const dueSoon = kinds.filter((k) => k.state === 'due_soon').map((k) => k.kind);
  const state: TrainingState = overdue.length > 0 ? 'overdue' : dueSoon.length > 0 ? 'due_soon' : 'up_to_date';
  return { state, kinds, overdue, dueSoon };
}

// Building a formatter costs far more than using one, and request handlers ask for today often.
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** Today's date where the school is, as YYYY-MM-DD. */
export function schoolToday(now: Date, timeZone = 'Europe/London'): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, format);
  }
  return format.format(now);
}

/** A YYYY-MM-DD string naming a real calendar day. */
export function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1900 && date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/**
 * Checks a record's dates and returns the reason they cannot be used, or null. Completion may be
 * at most a day ahead, to allow for a course finishing late in another time zone.
 */
export function datesProblem(completedOn: string, expiresOn: string | null, today: string): string | null {
  if (!isCalendarDate(completedOn)) return `completion date "${completedOn}" is not a real date (use YYYY-MM-DD)`;
  if (completedOn > addDays(today, 1)) return `completion date ${completedOn} is in the future`;
  if (expiresOn !== null) {
    if (!isCalendarDate(expiresOn)) return `expiry date "${expiresOn}" is not a real date (use YYYY-MM-DD)`;
    if (expiresOn <= completedOn) return `expiry date ${expiresOn} is not after the completion date ${completedOn}`;
  }
  return null;
}

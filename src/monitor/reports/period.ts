/**
 * The days and weeks the reports cover, in the school's local time. A school day runs from local
 * midnight to local midnight, so a day in British Summer Time starts at 23:00 UTC the evening
 * before, and the weeks of the clock changes are an hour shorter or longer.
 */
import { AppError } from '../../errors/errors.js';
import { addDays } from '../../training/rules.js';

export { addDays };

/** UK schools: every report is cut at Europe/London midnight. */
export const SCHOOL_TIME_ZONE = 'Europe/London';

export type ReportKind = 'daily' | 'weekly';

export interface ReportPeriod {
  kind: ReportKind;
  /** Local dates (YYYY-MM-DD) covered, first to last. */
  days: string[];
  /** The instant the first day starts, inclusive. */
  start: Date;
  /** The instant after the last day ends, exclusive. */
  end: Date;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function partsOf(at: Date, zone: string) {
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(zone, format);
  }
  const parts: Record<string, number> = {};
  for (const p of format.formatToParts(at)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return parts as { year: number; month: number; day: number; hour: number; minute: number; second: number };
}

/** Minutes the zone's clocks are ahead of UTC at `at` (60 in British Summer Time). */
export function offsetMinutes(at: Date, zone: string): number {
  const p = partsOf(at, zone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The local date (YYYY-MM-DD) of an instant. */
export function localDate(at: Date, zone = SCHOOL_TIME_ZONE): string {
  const p = partsOf(at, zone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** "2026-07-14 11:00": the local date and minute of an instant. */
export function localDateTime(at: Date, zone = SCHOOL_TIME_ZONE): string {
  const p = partsOf(at, zone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
}

/** The local hour (0–23) of an instant. */
export function localHour(at: Date, zone = SCHOOL_TIME_ZONE): number {
  return partsOf(at, zone).hour;
}

/** The instant local midnight begins a date. */
export function startOfDay(date: string, zone = SCHOOL_TIME_ZONE): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const midnightUtc = Date.UTC(y, m - 1, d);
  // The offset at local midnight may differ from the one at UTC midnight on a clock-change day.
  let at = midnightUtc - offsetMinutes(new Date(midnightUtc), zone) * 60_000;
  at = midnightUtc - offsetMinutes(new Date(at), zone) * 60_000;
  return new Date(at);
}

/** 1 = Monday … 7 = Sunday. */
export function weekday(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return ((new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7) + 1;
}

/**
 * A calendar date as a person typed it. `Date` alone would roll 31 February over into March, so
 * the day is checked against the month.
 */
export function parseDate(value: string, field = 'date'): string {
  const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const [year, month, day] = parts ? [Number(parts[1]), Number(parts[2]), Number(parts[3])] : [0, 0, 0];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (!parts || year < 2000 || month < 1 || month > 12 || day < 1 || day > daysInMonth) {
    throw new AppError('validation_failed', `${field} must be a calendar date written YYYY-MM-DD, such as 2026-11-23; got "${value}"`);
  }
  return value;
}

/**
 * The day, or the Monday-to-Sunday week, that holds `date`.
 *
 * @example
 *   periodOf('weekly', '2026-11-25'); // Monday 23 to Sunday 29 November 2026
 */
export function periodOf(kind: ReportKind, date: string, zone = SCHOOL_TIME_ZONE): ReportPeriod {
  const first = kind === 'daily' ? date : addDays(date, 1 - weekday(date));
  const length = kind === 'daily' ? 1 : 7;
  const days = Array.from({ length }, (_, i) => addDays(first, i));
  return { kind, days, start: startOfDay(first, zone), end: startOfDay(addDays(first, length), zone) };
}

/** The last whole day, or the last whole week, before `now`: what a report run without a date covers. */
export function lastCompletePeriod(kind: ReportKind, now: Date, zone = SCHOOL_TIME_ZONE): ReportPeriod {
  const today = localDate(now, zone);
  return periodOf(kind, kind === 'daily' ? addDays(today, -1) : addDays(today, -weekday(today)), zone);
}

/** The local date and hour of a UTC hour bucket (`YYYY-MM-DDTHH`, as the figures group by); UK offsets are whole hours, so a bucket never straddles two. */
export function localOfHourKey(key: string, zone = SCHOOL_TIME_ZONE): { date: string; hour: number } {
  const at = new Date(`${key}:00:00.000Z`);
  return { date: localDate(at, zone), hour: localHour(at, zone) };
}

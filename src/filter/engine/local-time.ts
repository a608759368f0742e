import { type SchoolCalendar, WINDOW_KINDS, type WindowKind } from '../model.js';

/*
 * Which part of the school week a moment falls in. Converting to local time with Intl costs
 * microseconds, far more than a decision, so the answer is cached for the current minute: a
 * school's windows are whole minutes and every request in the same minute shares one answer.
 */

export interface LocalMoment {
  /** YYYY-MM-DD in the school's zone. */
  date: string;
  /** 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** Minutes since local midnight. */
  minute: number;
  kind: WindowKind;
  /** `WINDOW_KINDS.indexOf(kind)`, the kind's bit in a matrix cell's window mask. */
  kindIndex: number;
  /** The holiday's name when `kind` is `holiday`. */
  holiday: string | null;
}

export interface LocalClock {
  calendar: SchoolCalendar;
  format: Intl.DateTimeFormat;
  /** The minute (ms since epoch / 60 000) the cached moment is for. */
  cachedMinute: number;
  cached: LocalMoment | null;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

export function createClock(calendar: SchoolCalendar): LocalClock {
  const format = new Intl.DateTimeFormat('en-GB', {
    timeZone: calendar.timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return { calendar, format, cachedMinute: Number.NaN, cached: null };
}

/**
 * The window kind of a local date and minute: a holiday date is `holiday` all day; otherwise
 * the first window whose days and [startMinute, endMinute) contain the minute; otherwise
 * `weekend` on Saturday and Sunday and `evening` on other days.
 */
export function windowKindOf(
  calendar: SchoolCalendar,
  date: string,
  weekday: number,
  minute: number,
): { kind: WindowKind; holiday: string | null } {
  for (const h of calendar.holidays) if (h.from <= date && date <= h.to) return { kind: 'holiday', holiday: h.name };
  for (const w of calendar.windows) {
    if (w.days.includes(weekday) && w.startMinute <= minute && minute < w.endMinute) return { kind: w.kind, holiday: null };
  }
  return { kind: weekday >= 6 ? 'weekend' : 'evening', holiday: null };
}

function compute(clock: LocalClock, at: Date): LocalMoment {
  const parts: Record<string, string> = {};
  for (const p of clock.format.formatToParts(at)) parts[p.type] = p.value;
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const weekday = WEEKDAYS[parts.weekday ?? ''] ?? 1;
  const minute = Number(parts.hour) * 60 + Number(parts.minute);
  const { kind, holiday } = windowKindOf(clock.calendar, date, weekday, minute);
  return { date, weekday, minute, kind, kindIndex: WINDOW_KINDS.indexOf(kind), holiday };
}

/** The local moment for `at`, from the cache when it is in the same minute as the last call. */
export function localMoment(clock: LocalClock, at: Date): LocalMoment {
  const minute = Math.floor(at.getTime() / 60000);
  if (minute === clock.cachedMinute && clock.cached !== null) return clock.cached;
  const moment = compute(clock, at);
  clock.cachedMinute = minute;
  clock.cached = moment;
  return moment;
}

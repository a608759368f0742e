import { AppError } from '../../errors/errors.js';

/** Without a "from", the governors' views cover the year up to "to". */
export const DEFAULT_PERIOD_DAYS = 365;

export interface Period {
  from: Date;
  to: Date;
}

/**
 * A date or date-time from the query string. `Date` alone rolls 31 February over into March,
 * so the day is checked against what was written.
 */
export function dateOf(value: string, field: string): Date {
  const at = new Date(value);
  const parts = /^(\d{4})-(\d{2})-(\d{2})(T|$)/.exec(value);
  const [year, month, day] = parts ? [Number(parts[1]), Number(parts[2]), Number(parts[3])] : [0, 0, 0];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (!parts || Number.isNaN(at.getTime()) || month < 1 || month > 12 || day < 1 || day > daysInMonth) {
    throw new AppError('validation_failed', `${field} must be a date such as 2026-09-01 or 2026-09-01T00:00:00Z`);
  }
  return at;
}

/**
 * The period [from, to) a governors' view covers: the last year up to now unless the
 * request says otherwise.
 *
 * @example
 *   periodOf({ from: '2026-09-01' }, now); // 1 September 2026 until now
 */
export function periodOf(query: { from?: string; to?: string }, now: Date): Period {
  const to = query.to ? dateOf(query.to, 'to') : now;
  const from = query.from ? dateOf(query.from, 'from') : new Date(to.getTime() - DEFAULT_PERIOD_DAYS * 86_400_000);
  if (from >= to) throw new AppError('validation_failed', 'from must be before to');
  return { from, to };
}

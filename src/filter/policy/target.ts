import { AppError } from '../../errors/errors.js';
import { isCategoryId, LOCKED_CATEGORIES, type CategoryId } from '../categories.js';
import { normaliseTarget } from '../engine/normalise.js';

/**
 * A host or URL pattern as the engine will match it (`example.com`, `example.com/path`),
 * or a clear refusal. Stored normalised, so what the log shows is what the filter matches.
 *
 * @example
 *   normalisePattern('HTTPS://Example.COM./Maths'); // 'example.com/Maths'
 */
export function normalisePattern(input: string): string {
  const target = normaliseTarget(input.trim());
  if (!target?.host) {
    throw new AppError('filter.invalid_target', `"${input}" is not a host name, address or URL the filter can match`);
  }
  return target.url ?? target.host;
}

export function requireCategory(value: string): CategoryId {
  if (!isCategoryId(value)) throw new AppError('validation_failed', `Unknown category: ${value}`);
  return value;
}

/** The illegal-content categories: nothing may allow them, whoever asks. */
export function refuseLockedCategory(category: CategoryId, what: string): void {
  if (LOCKED_CATEGORIES.includes(category)) {
    throw new AppError(
      'filter.locked',
      `${what} cannot allow ${category}: that list is locked by law and by the school's filtering standard`,
    );
  }
}

export function requireSpan(from: string, until: string, maxDays?: number): { from: Date; until: Date } {
  const f = new Date(from);
  const u = new Date(until);
  if (Number.isNaN(f.getTime()) || Number.isNaN(u.getTime()))
    throw new AppError('validation_failed', 'from and until must be dates and times');
  if (f >= u) throw new AppError('validation_failed', 'until must be after from');
  if (maxDays !== undefined && u.getTime() - f.getTime() > maxDays * 86_400_000) {
    throw new AppError('validation_failed', `A temporary change can last at most ${maxDays} days`);
  }
  return { from: f, until: u };
}

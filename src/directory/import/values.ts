import { isRole, ROLES, type Role } from '../../access/roles.js';

/** A cell read as a typed value, or the reason it could not be, worded for the person fixing the file. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(reason: string): Parsed<T> => ({ ok: false, reason });

/**
 * Year groups as MIS exports write them: "Year 7", "7", "Y7", "NC Year 7"; Reception as "R",
 * "YR", "Rec" or "Reception" (stored as 0).
 */
export function parseYearGroup(raw: string): Parsed<number> {
  const value = raw.trim();
  if (/^(?:(?:nc\s*)?(?:year|yr|y)\s*)?(?:r|rec|reception)$/i.test(value)) return ok(0);
  const m = /^(?:(?:nc\s*)?(?:year|yr|y)\s*)?(\d{1,2})$/i.exec(value);
  const year = m ? Number(m[1]) : NaN;
  if (Number.isInteger(year) && year >= 0 && year <= 13) return ok(year);
  return bad(`unknown year group "${value}": use R or Reception, or a year from 1 to 13`);
}

/**
 * Dates of birth in UK order (dd/mm/yyyy, also with '-' or '.') or ISO yyyy-mm-dd, with
 * Excel's optional " 00:00" tail. Returns yyyy-mm-dd.
 */
export function parseDateOfBirth(raw: string, today: Date): Parsed<string> {
  const value = raw.trim().replace(/\s+\d{1,2}:\d{2}(?::\d{2})?$/, '');
  const uk = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(value);
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value);
  const parts = uk ? [uk[3], uk[2], uk[1]] : iso ? [iso[1], iso[2], iso[3]] : null;
  if (!parts) return bad(`invalid date "${raw.trim()}": use dd/mm/yyyy or yyyy-mm-dd`);
  const [y, m, d] = parts.map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return bad(`invalid date "${raw.trim()}": there is no such day`);
  }
  const isoDate = date.toISOString().slice(0, 10);
  if (isoDate > today.toISOString().slice(0, 10)) return bad(`invalid date "${raw.trim()}": it is in the future`);
  if (y < 1900) return bad(`invalid date "${raw.trim()}": the year is before 1900`);
  return ok(isoDate);
}

export function parseYesNo(raw: string): Parsed<boolean> {
  const value = raw.trim().toLowerCase();
  if (['y', 'yes', 'true', '1'].includes(value)) return ok(true);
  if (['n', 'no', 'false', '0'].includes(value)) return ok(false);
  return bad(`"${raw.trim()}" is not yes or no: use Y, N, Yes, No, true or false`);
}

/** Tutela role ids separated by ';'. Labels such as "Network Manager" are accepted as their id. */
export function parseRoles(raw: string): Parsed<Role[]> {
  const roles = new Set<Role>();
  for (const part of raw.split(';')) {
    const id = part
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_');
    if (!id) continue;
    if (!isRole(id)) return bad(`unknown role "${part.trim()}": roles are ${ROLES.join(', ')}`);
    roles.add(id);
  }
  return ok([...roles]);
}

export function parseEmail(raw: string): Parsed<string> {
  const value = raw.trim().toLowerCase();
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) return ok(value);
  return bad(`"${raw.trim()}" is not an email address`);
}

export function parsePriority(raw: string): Parsed<number> {
  const value = Number(raw.trim());
  if (Number.isInteger(value) && value >= 1 && value <= 99) return ok(value);
  return bad(`priority "${raw.trim()}" must be a whole number from 1 to 99`);
}

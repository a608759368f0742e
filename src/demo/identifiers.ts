import type { Random } from './random.js';

/** The calendar year in which the current school year began: school years run September to August. */
export const schoolYearStart = (now: Date): number => (now.getUTCMonth() >= 8 ? now.getUTCFullYear() : now.getUTCFullYear() - 1);

/**
 * A date of birth for a child in `yearGroup`: children start Year 7 in the September after
 * their 11th birthday, so Year 7 in 2026/27 were born from September 2014 to August 2015.
 */
export function dateOfBirth(rng: Random, yearGroup: number, startYear: number): string {
  const from = Date.UTC(startYear - yearGroup - 5, 8, 1);
  const to = Date.UTC(startYear - yearGroup - 4, 8, 1);
  const days = Math.round((to - from) / 86_400_000);
  return new Date(from + rng.int(0, days - 1) * 86_400_000).toISOString().slice(0, 10);
}

const CHECK_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';

/**
 * A unique pupil number in the DfE's format: check letter, LA code (3 digits), establishment
 * number (4), year of allocation (2) and serial (3). No local authority has the code 999, so
 * no demo UPN can be a real child's.
 */
export function upn(establishment: number, allocatedYear: number, serial: number): string {
  const digits = `999${String(establishment).padStart(4, '0')}${String(allocatedYear % 100).padStart(2, '0')}${String(serial).padStart(3, '0')}`;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += Number(digits[i]) * (i + 2);
  return CHECK_LETTERS[sum % 23]! + digits;
}

/** Hands out email addresses, numbering repeats (j.smith, j.smith2) as school IT departments do. */
export class EmailBook {
  private readonly taken = new Set<string>();

  address(local: string, domain: string): string {
    let n = 1;
    let candidate = `${local}@${domain}`;
    while (this.taken.has(candidate)) candidate = `${local}${++n}@${domain}`;
    this.taken.add(candidate);
    return candidate;
  }
}

/** Reserved for documentation (RFC 2606), so no demo message can reach a real mailbox. */
export const SCHOOL_DOMAIN = 'riversideacademy.example';
export const STUDENT_DOMAIN = `students.${SCHOOL_DOMAIN}`;
export const GOVERNOR_DOMAIN = `governors.${SCHOOL_DOMAIN}`;
export const HOME_DOMAINS = ['example.com', 'example.net', 'example.org'] as const;

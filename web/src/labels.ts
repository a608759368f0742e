import { ROLE_LABELS, ROLES, TOTP_REQUIRED_ROLES, type Role } from '../../src/access/roles';
import { KEY_STAGE_NAMES, yearGroupName, type KeyStage } from '../../src/directory/key-stage';

// Role ids and key stages come from the server's own tables so the two can never disagree.
export { ROLES, TOTP_REQUIRED_ROLES, yearGroupName, type Role };

export const roleLabel = (role: string): string => ROLE_LABELS[role as Role] ?? role;

export const keyStageLabel = (ks: string | null | undefined): string => (ks ? (KEY_STAGE_NAMES[ks as KeyStage] ?? ks) : '—');

export const PERSON_KINDS = {
  student: 'Student',
  staff: 'Staff',
  parent: 'Parent / carer',
  governor: 'Governor',
  guest: 'Guest',
  community: 'Community user',
} as const;

export const PHASES = {
  primary: 'Primary',
  secondary: 'Secondary',
  all_through: 'All-through',
  special: 'Special',
} as const;

export const phaseLabel = (phase: string): string => PHASES[phase as keyof typeof PHASES] ?? phase;

export const personKindLabel = (kind: string): string => PERSON_KINDS[kind as keyof typeof PERSON_KINDS] ?? kind;

export const GROUP_KINDS = {
  key_stage: { one: 'Key stage', many: 'Key stages' },
  year_group: { one: 'Year group', many: 'Year groups' },
  class: { one: 'Class', many: 'Classes' },
  tutor_group: { one: 'Tutor group', many: 'Tutor groups' },
  staff_team: { one: 'Staff team', many: 'Staff teams' },
  custom: { one: 'Other group', many: 'Other groups' },
} as const;

export type GroupKind = keyof typeof GROUP_KINDS;
export const groupKindLabel = (kind: string, many = false): string => {
  const entry = GROUP_KINDS[kind as GroupKind];
  return entry ? entry[many ? 'many' : 'one'] : kind;
};

/** Reception to Year 13, the years an English school can teach. */
export const YEAR_GROUPS = Array.from({ length: 14 }, (_, i) => i);

export const yearLabel = (year: number | null | undefined): string => (year === null || year === undefined ? '—' : yearGroupName(year));

export const MEMBER_ROLES = {
  member: 'Member',
  teacher: 'Teacher',
  tutor: 'Tutor',
  lead: 'Lead',
} as const;

const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium' });
const dateLong = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long' });

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  return Number.isNaN(d.getTime()) ? iso : dateOnly.format(d);
}

/** "24 December 2026": for dates people act on, where a short month could be misread. */
export function formatLongDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateLong.format(d);
}

export const isPast = (iso: string | null | undefined): boolean => Boolean(iso && new Date(iso).getTime() <= Date.now());

/**
 * An "access ends on" day means access stops as that day begins, in the browser's (the
 * school's) time zone: the end date is the first day without access, as with the CLI's --expires.
 */
export const endDateToIso = (day: string): string => new Date(`${day}T00:00:00`).toISOString();

const localDay = (d: Date): string => {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
};

/** The `yyyy-mm-dd` a date input shows for a stored end, in the same time zone. */
export function isoToEndDate(iso: string | null | undefined): string {
  const d = iso ? new Date(iso) : null;
  return d && !Number.isNaN(d.getTime()) ? localDay(d) : '';
}

/** Tomorrow as `yyyy-mm-dd`: the first end date that still lets someone in. */
export const tomorrow = (): string => localDay(new Date(Date.now() + 86_400_000));

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A `datetime-local` value (browser time) from an ISO time, and back. */
export function isoToLocalInput(iso: string | null | undefined): string {
  const d = iso ? new Date(iso) : null;
  if (!d || Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
export const localInputToIso = (value: string): string => new Date(value).toISOString();

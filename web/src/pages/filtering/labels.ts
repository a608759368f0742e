import { RULES } from '../../../../src/access/policy';
import { CATEGORIES } from '../../../../src/filter/categories';
import type { Me } from '../../types';

// Categories and access rules come from the server's own modules, so the two cannot disagree.
export { CATEGORIES };

export type FilterRule = Extract<keyof typeof RULES, `filter.${string}`>;

/** Mirrors the server's rule for showing a screen; the server still decides every request. */
export const mayDo = (me: Me, rule: FilterRule): boolean => RULES[rule].roles.some((role) => me.roles.includes(role));

export const GROUP_LABELS: Record<string, string> = {
  illegal: 'Illegal content',
  harmful: 'Harmful content',
  service: 'Services the school decides on',
};

const categoryLabels = new Map<string, string>(CATEGORIES.map((c) => [c.id, c.label]));
export const categoryLabel = (id: string | null | undefined): string => (id ? (categoryLabels.get(id) ?? id) : 'No category');

/** The columns of the policy's "User Actions" table, in its order and words. */
export const LEVEL_LABELS = {
  acceptable: 'Acceptable',
  at_certain_times: 'Acceptable at certain times',
  nominated_users: 'Acceptable for nominated users',
  unacceptable: 'Unacceptable',
  illegal: 'Unacceptable and illegal',
} as const;

export const WINDOW_LABELS = {
  before_school: 'Before school',
  lessons: 'Lessons',
  break: 'Break',
  lunch: 'Lunch',
  after_school: 'After school',
  evening: 'Evening',
  weekend: 'Weekend',
  holiday: 'Holidays',
} as const;

export const DAY_LABELS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

/** The deciding rule in plain English, for the block page and the test screen. */
export const RULE_LABELS: Record<string, string> = {
  locked_list: 'It is on a national list of illegal content that no one can unblock.',
  agreement_required: 'You have not yet accepted your acceptable use agreement for this school year.',
  sanction: 'Your internet access has been removed for a time by the school.',
  exception: 'A temporary exception applies.',
  person_list: 'It is on a list the school keeps for you.',
  group_list: 'It is on a list the school keeps for one of your groups.',
  school_list: "It is on the school's own list.",
  trust_list: "It is on the trust's own list.",
  matrix: "The school's filtering policy decides this kind of site for your year or role.",
  profile_default: 'Sites in no category follow the default for your year or role.',
};

export const ruleLabel = (rule: string | null | undefined): string => (rule ? (RULE_LABELS[rule] ?? rule) : '—');

export const ACTION_LABELS: Record<string, string> = { allow: 'Allowed', block: 'Blocked', warn: 'Allowed with a warning' };
export const actionLabel = (action: string): string => ACTION_LABELS[action] ?? action;

/** "08:45" from minutes since midnight, and back. */
export const minutesToTime = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
export const timeToMinutes = (t: string): number => {
  const [h = '0', m = '0'] = t.split(':');
  return Number(h) * 60 + Number(m);
};

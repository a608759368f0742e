import { CATEGORY_IDS, type CategoryId } from '../categories.js';
import type { MatrixCell, TimeWindow, WindowKind } from '../model.js';

/*
 * The policy a school starts with. The ks3 column is the "User Actions" table of the
 * Milford Haven e-safety policy, category by category; the other profiles move from it
 * by age as a school would expect. docs/filtering/policy.md shows the whole matrix.
 */

/** When "acceptable at certain times" lets pupils in: outside lessons, on site. */
export const STUDENT_FREE_WINDOWS: readonly WindowKind[] = ['break', 'lunch', 'after_school'];

type Cell = MatrixCell;
const ok: Cell = { level: 'acceptable' };
const warned: Cell = { level: 'acceptable', warn: true };
const timed: Cell = { level: 'at_certain_times', windows: [...STUDENT_FREE_WINDOWS] };
const nominated: Cell = { level: 'nominated_users', nominatedPersonIds: [], nominatedGroupIds: [] };
const no: Cell = { level: 'unacceptable' };
const illegal: Cell = { level: 'illegal' };

/** Seed 002's table mapped onto Tutela's categories: the Key Stage 3 profile. */
const SEED_002: Record<CategoryId, Cell> = {
  illegal_csam: illegal, // child sexual abuse images; grooming
  illegal_terrorism: illegal,
  hate_speech: illegal, // criminally racist material, stirring up hatred
  discrimination: no, // promotion of any kind of discrimination
  violence: no, // threatening behaviour, promotion of physical violence
  pornography: no,
  adult_other: no,
  drugs: no,
  extremism: no,
  self_harm: no,
  misinformation: no, // "may be offensive … or brings the school into disrepute"
  circumvention: no, // bypassing the filtering
  piracy: illegal, // infringing copyright
  malware_hacking: illegal, // creating or propagating viruses
  educational_games: timed,
  games: no, // on-line gaming (non educational)
  gambling: no,
  shopping: nominated,
  file_sharing: ok,
  social_media: timed,
  messaging_chat: timed,
  video_streaming: ok, // video broadcasting, e.g. YouTube (restricted mode via safe search)
  webmail: ok,
  dating: no,
  ads: ok,
};

export interface DefaultProfile {
  key: string;
  name: string;
  defaultAction: 'allow' | 'block';
  matrix: Record<CategoryId, Cell>;
}

const withChanges = (changes: Partial<Record<CategoryId, Cell>>): Record<CategoryId, Cell> => ({ ...SEED_002, ...changes });

/** The six profiles every school starts with, in display order. */
export const DEFAULT_PROFILES: readonly DefaultProfile[] = [
  {
    key: 'primary',
    name: 'Primary pupils',
    defaultAction: 'allow',
    // Social media and messaging services set 13 as their minimum age.
    matrix: withChanges({ social_media: no, messaging_chat: no, shopping: no, file_sharing: no, webmail: no }),
  },
  { key: 'ks3', name: 'Key Stage 3', defaultAction: 'allow', matrix: withChanges({}) },
  { key: 'ks4', name: 'Key Stage 4', defaultAction: 'allow', matrix: withChanges({ misinformation: warned }) },
  {
    key: 'sixth_form',
    name: 'Sixth form',
    defaultAction: 'allow',
    matrix: withChanges({
      misinformation: warned,
      social_media: ok,
      messaging_chat: ok,
      educational_games: ok,
      games: timed,
      shopping: timed,
    }),
  },
  {
    key: 'staff',
    name: 'Staff',
    defaultAction: 'allow',
    matrix: withChanges({
      misinformation: ok,
      social_media: ok,
      messaging_chat: ok,
      educational_games: ok,
      games: ok,
      shopping: ok,
    }),
  },
  {
    key: 'guest',
    name: 'Guests',
    defaultAction: 'allow',
    // Like Key Stage 4, but a visitor's device should not move files in or out of the network.
    matrix: withChanges({ misinformation: warned, file_sharing: no }),
  },
];

/** The matrix a new profile gets when it copies nothing: everything unacceptable. */
export function closedMatrix(): Record<CategoryId, Cell> {
  return Object.fromEntries(CATEGORY_IDS.map((id) => [id, SEED_002[id].level === 'illegal' ? illegal : no])) as Record<CategoryId, Cell>;
}

const WEEKDAYS = [1, 2, 3, 4, 5];
const at = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
};
const span = (kind: WindowKind, from: string, to: string): TimeWindow => ({
  kind,
  days: [...WEEKDAYS],
  startMinute: at(from),
  endMinute: at(to),
});

/** A typical English school day, Monday to Friday, in the school's local time. */
export const DEFAULT_WINDOWS: readonly TimeWindow[] = [
  span('before_school', '07:30', '08:45'),
  span('lessons', '08:45', '10:45'),
  span('break', '10:45', '11:05'),
  span('lessons', '11:05', '13:00'),
  span('lunch', '13:00', '13:45'),
  span('lessons', '13:45', '15:15'),
  span('after_school', '15:15', '18:00'),
];

export const DEFAULT_TIME_ZONE = 'Europe/London';

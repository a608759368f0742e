import type { FilterPolicy, Profile, SchoolCalendar } from '../model.js';

/*
 * A small, realistic school policy for the engine's tests and benchmark: a KS3 profile with one
 * cell of every level, a staff profile and a guest fallback, a Europe/London school day.
 * Tests override the parts they are about.
 */

export const SCHOOL_ID = 'school-1';
export const TRUST_ID = 'trust-1';

const WEEKDAYS = [1, 2, 3, 4, 5];

export const testCalendar = (): SchoolCalendar => ({
  schoolId: SCHOOL_ID,
  timeZone: 'Europe/London',
  windows: [
    { kind: 'before_school', days: WEEKDAYS, startMinute: 7 * 60, endMinute: 8 * 60 + 45 },
    { kind: 'lessons', days: WEEKDAYS, startMinute: 8 * 60 + 45, endMinute: 10 * 60 + 45 },
    { kind: 'break', days: WEEKDAYS, startMinute: 10 * 60 + 45, endMinute: 11 * 60 },
    { kind: 'lessons', days: WEEKDAYS, startMinute: 11 * 60, endMinute: 12 * 60 + 30 },
    { kind: 'lunch', days: WEEKDAYS, startMinute: 12 * 60 + 30, endMinute: 13 * 60 + 15 },
    { kind: 'lessons', days: WEEKDAYS, startMinute: 13 * 60 + 15, endMinute: 15 * 60 + 15 },
    { kind: 'after_school', days: WEEKDAYS, startMinute: 15 * 60 + 15, endMinute: 17 * 60 },
  ],
  holidays: [{ from: '2026-12-19', to: '2027-01-04', name: 'Christmas holiday' }],
});

export const ks3Profile = (): Profile => ({
  id: 'profile-ks3',
  schoolId: SCHOOL_ID,
  key: 'ks3',
  name: 'KS3',
  defaultAction: 'allow',
  version: 1,
  matrix: {
    gambling: { level: 'unacceptable' },
    pornography: { level: 'unacceptable' },
    extremism: { level: 'unacceptable' },
    social_media: { level: 'at_certain_times', windows: ['lunch', 'after_school'] },
    games: { level: 'nominated_users', nominatedPersonIds: ['person-gamer'], nominatedGroupIds: ['group-games-club'] },
    video_streaming: { level: 'acceptable', warn: true },
    educational_games: { level: 'acceptable' },
  },
});

export const staffProfile = (): Profile => ({
  id: 'profile-staff',
  schoolId: SCHOOL_ID,
  key: 'staff',
  name: 'Staff',
  defaultAction: 'allow',
  version: 1,
  matrix: { pornography: { level: 'unacceptable' }, gambling: { level: 'unacceptable' }, social_media: { level: 'acceptable' } },
});

export const guestProfile = (): Profile => ({
  id: 'profile-guest',
  schoolId: SCHOOL_ID,
  key: 'guest',
  name: 'Guest',
  defaultAction: 'block',
  version: 1,
  matrix: { educational_games: { level: 'acceptable' } },
});

export function testPolicy(overrides: Partial<FilterPolicy> = {}): FilterPolicy {
  return {
    schoolId: SCHOOL_ID,
    trustId: TRUST_ID,
    version: 7,
    profiles: [ks3Profile(), staffProfile(), guestProfile()],
    fallbackProfileId: 'profile-guest',
    calendar: testCalendar(),
    people: [
      {
        id: 'person-pupil',
        schoolId: SCHOOL_ID,
        username: 'pupil',
        displayName: 'A Pupil',
        profileId: 'profile-ks3',
        groupIds: ['group-7a'],
        isStaff: false,
      },
      {
        id: 'person-gamer',
        schoolId: SCHOOL_ID,
        username: 'gamer',
        displayName: 'A Gamer',
        profileId: 'profile-ks3',
        groupIds: ['group-7b'],
        isStaff: false,
      },
      {
        id: 'person-clubber',
        schoolId: SCHOOL_ID,
        username: 'clubber',
        displayName: 'A Club Member',
        profileId: 'profile-ks3',
        groupIds: ['group-7a', 'group-games-club'],
        isStaff: false,
      },
      {
        id: 'person-teacher',
        schoolId: SCHOOL_ID,
        username: 'teacher',
        displayName: 'A Teacher',
        profileId: 'profile-staff',
        groupIds: [],
        isStaff: true,
      },
    ],
    devices: [],
    subnets: [],
    signIns: [],
    lists: [],
    exceptions: [],
    sanctions: [],
    alertingCategories: ['illegal_csam', 'illegal_terrorism', 'extremism', 'self_harm'],
    ...overrides,
  };
}

import { buildGovernors, buildGuest, E_SAFETY_GOVERNOR } from './governors.js';
import { EmailBook, schoolYearStart } from './identifiers.js';
import { seededRandom } from './random.js';
import { buildStaff } from './staff.js';
import { buildCohort } from './students.js';
import { buildTimetable, type TutorGroup } from './timetable.js';
import type { DemoPlan, PlannedAccount, PlannedGuardian, PlannedPerson } from './types.js';

export const DEFAULT_DEMO_SEED = 20261124;

export const DEMO_TRUST_NAME = 'Riverside Learning Trust';
export const DEMO_SCHOOL_NAME = 'Riverside Academy';
/** Fictional, and fixed so that `hasDemoSchool` can recognise the demo school. */
export const DEMO_URN = '999901';

const displayName = (p: PlannedPerson) => `${p.preferredName ?? p.givenName} ${p.familyName}`;

/**
 * The whole demo school as data, the same for the same seed and school year. `now` decides
 * the school year (and so the dates of birth) and when the guest's access ends.
 *
 * @example
 *   const plan = buildDemoPlan(DEFAULT_DEMO_SEED, new Date('2026-11-24T09:00:00Z'));
 *   plan.people.filter((p) => p.kind === 'student').length; // about 1,200
 */
export function buildDemoPlan(seed: number, now: Date): DemoPlan {
  const rng = seededRandom(seed);
  const emails = new EmailBook();
  const staff = buildStaff(rng, emails);
  const cohort = buildCohort(rng, emails, schoolYearStart(now));
  const { groups, tutorGroups } = buildTimetable(rng, cohort, staff);
  const governors = buildGovernors(rng, emails);
  const guest = buildGuest(rng, emails, now);

  const tutorGroup = (code: string): TutorGroup => tutorGroups.find((g) => g.code === code)!;
  const guardiansOf = (student: PlannedPerson) => cohort.guardians.filter((g) => g.student === student);
  // A Year 7 child in the demo teacher's tutor group, with a parent who holds parental responsibility.
  const { student: student7, guardian } = tutorGroup('7A')
    .students.map((student) => ({ student, guardian: guardiansOf(student).find(isParentWithResponsibility) }))
    .find((c): c is { student: PlannedPerson; guardian: PlannedGuardian } => c.guardian !== undefined)!;
  const student10 = tutorGroup('10C').students[0]!;
  const student12 = tutorGroup('12B').students[0]!;
  const governor = governors.find((g) => g.jobTitle === E_SAFETY_GOVERNOR)!;

  const accounts: PlannedAccount[] = [
    { username: 'demo.dsl', person: staff.dsl, role: 'dsl', description: `Designated safeguarding lead: ${displayName(staff.dsl)}` },
    { username: 'demo.head', person: staff.headteacher, role: 'head', description: `Headteacher: ${displayName(staff.headteacher)}` },
    {
      username: 'demo.netman',
      person: staff.networkManager,
      role: 'network_manager',
      description: `Network manager: ${displayName(staff.networkManager)}`,
    },
    {
      username: 'demo.teacher',
      person: staff.demoTeacher,
      role: 'staff',
      description: `Computing teacher, tutor of 7A: ${displayName(staff.demoTeacher)}`,
    },
    { username: 'demo.governor', person: governor, role: 'governor', description: `E-safety governor: ${displayName(governor)}` },
    { username: 'demo.student7', person: student7, role: 'student', description: `Year 7 student in 7A: ${displayName(student7)}` },
    { username: 'demo.student10', person: student10, role: 'student', description: `Year 10 student in 10C: ${displayName(student10)}` },
    { username: 'demo.student12', person: student12, role: 'student', description: `Year 12 student in 12B: ${displayName(student12)}` },
    {
      username: 'demo.parent',
      person: guardian.parent,
      role: 'parent',
      description: `${guardian.relationship} of ${displayName(student7)} (demo.student7): ${displayName(guardian.parent)}`,
    },
  ];

  return {
    trustName: DEMO_TRUST_NAME,
    schoolName: DEMO_SCHOOL_NAME,
    urn: DEMO_URN,
    people: [...staff.people, ...cohort.students, ...cohort.parents, ...governors, guest],
    groups: [...staff.teams, ...groups],
    guardians: cohort.guardians,
    accounts,
  };
}

const isParentWithResponsibility = (g: PlannedGuardian) =>
  (g.relationship === 'Mother' || g.relationship === 'Father') && g.parentalResponsibility;

import type { Random } from './random.js';
import type { Staffing } from './staff.js';
import { YEARS, type Cohort } from './students.js';
import type { PlannedGroup, PlannedPerson } from './types.js';

/*
 * Tutor groups and classes as an English secondary runs them: core subjects set by attainment,
 * Key Stage 3 foundation subjects and PSHE taught in tutor groups, GCSE options in Years 10–11
 * and three A levels each in the sixth form.
 */

export interface TutorGroup {
  code: string;
  year: number;
  tutor: PlannedPerson;
  students: PlannedPerson[];
}

interface Subject {
  name: string;
  department: string;
  prefix: string;
  weight: number;
}

const SETTED = [
  { name: 'Mathematics', department: 'MAT', prefix: 'Ma', noise: 0.15 },
  { name: 'English', department: 'ENG', prefix: 'En', noise: 0.3 },
  { name: 'Science', department: 'SCI', prefix: 'Sc', noise: 0.3 },
] as const;

const KS3_IN_TUTOR_GROUPS = [
  { name: 'Computing', department: 'CMP', prefix: 'Cp' },
  { name: 'History', department: 'HIS', prefix: 'Hi' },
  { name: 'Geography', department: 'GEO', prefix: 'Gg' },
] as const;

const GCSE_OPTIONS: readonly Subject[] = [
  { name: 'History', department: 'HIS', prefix: 'Hi', weight: 9 },
  { name: 'Geography', department: 'GEO', prefix: 'Gg', weight: 8 },
  { name: 'Computer Science', department: 'CMP', prefix: 'Cs', weight: 5 },
  { name: 'French', department: 'MFL', prefix: 'Fr', weight: 4 },
  { name: 'Spanish', department: 'MFL', prefix: 'Sp', weight: 4 },
  { name: 'Art and Design', department: 'ART', prefix: 'Ar', weight: 4 },
  { name: 'Design and Technology', department: 'DT', prefix: 'Dt', weight: 3 },
  { name: 'Music', department: 'MUS', prefix: 'Mu', weight: 2 },
  { name: 'Drama', department: 'DRA', prefix: 'Dr', weight: 3 },
  { name: 'Physical Education', department: 'PE', prefix: 'Pe', weight: 4 },
  { name: 'Business', department: 'BUS', prefix: 'Bs', weight: 4 },
  { name: 'Religious Studies', department: 'REL', prefix: 'Rs', weight: 3 },
];

const A_LEVELS: readonly Subject[] = [
  { name: 'Mathematics', department: 'MAT', prefix: 'Ma', weight: 9 },
  { name: 'English Literature', department: 'ENG', prefix: 'El', weight: 5 },
  { name: 'Biology', department: 'SCI', prefix: 'Bi', weight: 7 },
  { name: 'Chemistry', department: 'SCI', prefix: 'Ch', weight: 6 },
  { name: 'Physics', department: 'SCI', prefix: 'Ph', weight: 4 },
  { name: 'Computer Science', department: 'CMP', prefix: 'Cs', weight: 3 },
  { name: 'History', department: 'HIS', prefix: 'Hi', weight: 4 },
  { name: 'Geography', department: 'GEO', prefix: 'Gg', weight: 3 },
  { name: 'Psychology', department: 'SOC', prefix: 'Py', weight: 8 },
  { name: 'Sociology', department: 'SOC', prefix: 'So', weight: 5 },
  { name: 'Business', department: 'BUS', prefix: 'Bs', weight: 4 },
  { name: 'Economics', department: 'BUS', prefix: 'Ec', weight: 3 },
  { name: 'Art and Design', department: 'ART', prefix: 'Ar', weight: 2 },
  { name: 'French', department: 'MFL', prefix: 'Fr', weight: 1 },
  { name: 'Religious Studies', department: 'REL', prefix: 'Rs', weight: 1 },
  { name: 'Drama and Theatre', department: 'DRA', prefix: 'Dr', weight: 1 },
  { name: 'Physical Education', department: 'PE', prefix: 'Pe', weight: 1 },
];

const LETTERS = 'ABCDEFG';

interface ClassMaker {
  /** The least-loaded teacher in the department. */
  teacherFor(department: string): PlannedPerson;
  addClass(code: string, name: string, year: number, subject: string, teacher: PlannedPerson, students: readonly PlannedPerson[]): void;
}

/** Splits `items` into `count` groups of near-equal size, keeping their order. */
function split<T>(items: readonly T[], count: number): T[][] {
  const size = Math.ceil(items.length / count);
  return Array.from({ length: count }, (_, i) => items.slice(i * size, (i + 1) * size)).filter((g) => g.length > 0);
}

export function buildTimetable(rng: Random, cohort: Cohort, staff: Staffing): { groups: PlannedGroup[]; tutorGroups: TutorGroup[] } {
  const groups: PlannedGroup[] = [];
  const tutorGroups: TutorGroup[] = [];
  const pool = [...staff.tutorPool];
  const load = new Map<PlannedPerson, number>();

  const teacherFor = (department: string): PlannedPerson => {
    const teachers = staff.departments.get(department)!.teachers;
    let best = teachers[0]!;
    let bestLoad = Infinity;
    teachers.forEach((t, i) => {
      // Heads of department keep time for leading it.
      const l = (load.get(t) ?? 0) + (i === 0 ? 3 : 0);
      if (l < bestLoad) [best, bestLoad] = [t, l];
    });
    load.set(best, (load.get(best) ?? 0) + 1);
    return best;
  };

  const addClass = (
    code: string,
    name: string,
    year: number,
    subject: string,
    teacher: PlannedPerson,
    students: readonly PlannedPerson[],
  ) => {
    groups.push({
      kind: 'class',
      code,
      name,
      yearGroup: year,
      subject,
      members: [{ person: teacher, role: 'teacher' }, ...students.map((person) => ({ person, role: 'member' as const }))],
    });
  };

  const classes: ClassMaker = { teacherFor, addClass };

  for (const year of YEARS) {
    const students = cohort.byYear.get(year)!;
    const count = year <= 11 ? 7 : 5;
    const shuffled = rng.shuffle(students);
    for (let k = 0; k < count; k++) {
      const code = `${year}${LETTERS[k]}`;
      const tutor = year === 7 && k === 0 ? staff.demoTeacher : pool.shift()!;
      const members = shuffled.filter((_, i) => i % count === k);
      tutorGroups.push({ code, year, tutor, students: members });
      groups.push({
        kind: 'tutor_group',
        code,
        name: `Tutor group ${code}`,
        yearGroup: year,
        subject: null,
        members: [{ person: tutor, role: 'tutor' }, ...members.map((person) => ({ person, role: 'member' as const }))],
      });
    }

    if (year <= 11) {
      const attainment = new Map(students.map((s) => [s, rng.next()]));
      for (const subject of SETTED) {
        const score = new Map(students.map((s, i) => [s, attainment.get(s)! + subject.noise * rng.next() + i * 1e-9]));
        const ranked = [...students].sort((a, b) => score.get(b)! - score.get(a)!);
        for (const [i, set] of split(ranked, 7).entries()) {
          addClass(
            `${year}${subject.prefix}${i + 1}`,
            `Year ${year} ${subject.name}, set ${i + 1}`,
            year,
            subject.name,
            teacherFor(subject.department),
            set,
          );
        }
      }
      for (const tg of tutorGroups.filter((g) => g.year === year)) {
        // PSHE belongs to the tutor, who knows the group best.
        addClass(`${tg.code}/Ps`, `Year ${year} PSHE (${tg.code})`, year, 'PSHE', tg.tutor, tg.students);
        if (year <= 9) {
          for (const s of KS3_IN_TUTOR_GROUPS) {
            addClass(`${tg.code}/${s.prefix}`, `Year ${year} ${s.name} (${tg.code})`, year, s.name, teacherFor(s.department), tg.students);
          }
        }
      }
      if (year >= 10) chooseAndGroup(rng, classes, students, GCSE_OPTIONS, 28, year, 'GCSE');
    } else {
      chooseAndGroup(rng, classes, students, A_LEVELS, 20, year, 'A level');
    }
  }
  return { groups, tutorGroups };
}

/** Each student chooses three subjects; each subject's takers are split into teaching groups of at most `maxSize`. */
function chooseAndGroup(
  rng: Random,
  classes: ClassMaker,
  students: readonly PlannedPerson[],
  subjects: readonly Subject[],
  maxSize: number,
  year: number,
  level: string,
): void {
  const takers = new Map<Subject, PlannedPerson[]>(subjects.map((s) => [s, []]));
  for (const student of students) {
    let open = subjects.map((s) => [s, s.weight] as const);
    for (let i = 0; i < 3; i++) {
      const chosen = rng.weighted(open);
      takers.get(chosen)!.push(student);
      open = open.filter(([s]) => s !== chosen);
    }
  }
  for (const subject of subjects) {
    const group = takers.get(subject)!;
    if (group.length === 0) continue;
    for (const [i, members] of split(group, Math.ceil(group.length / maxSize)).entries()) {
      classes.addClass(
        `${year}${subject.prefix}${i + 1}`,
        `Year ${year} ${level} ${subject.name}, group ${i + 1}`,
        year,
        subject.name,
        classes.teacherFor(subject.department),
        members,
      );
    }
  }
}

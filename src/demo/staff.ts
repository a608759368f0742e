import type { Role } from '../access/roles.js';
import { type EmailBook, SCHOOL_DOMAIN } from './identifiers.js';
import { adultGivenName, asciiFold, pickHeritage } from './names.js';
import type { Random } from './random.js';
import type { PlannedGroup, PlannedPerson } from './types.js';

/*
 * About 120 staff, shaped like a real 11–18 academy of 1,200: two thirds teachers in
 * departments, the rest support staff. The people the demo accounts belong to are named here
 * so the rest of the plan can find them.
 */

export interface Department {
  code: string;
  name: string;
  /** The head of department first. */
  teachers: PlannedPerson[];
}

export interface Staffing {
  people: PlannedPerson[];
  teams: PlannedGroup[];
  departments: Map<string, Department>;
  headteacher: PlannedPerson;
  dsl: PlannedPerson;
  networkManager: PlannedPerson;
  /** A computing teacher: tutor of 7A, and the demo's classroom teacher. */
  demoTeacher: PlannedPerson;
  headOfSixthForm: PlannedPerson;
  headsOfYear: Map<number, PlannedPerson>;
  /** Teachers free to take a tutor group (not leaders of a year or the school), in the order to ask them. */
  tutorPool: PlannedPerson[];
}

interface DepartmentSpec {
  code: string;
  name: string;
  teachers: number;
  titles: readonly string[];
}

const DEPARTMENTS: readonly DepartmentSpec[] = [
  { code: 'ENG', name: 'English', teachers: 10, titles: ['Teacher of English'] },
  { code: 'MAT', name: 'Mathematics', teachers: 10, titles: ['Teacher of Mathematics'] },
  {
    code: 'SCI',
    name: 'Science',
    teachers: 11,
    titles: ['Teacher of Science (Biology)', 'Teacher of Science (Chemistry)', 'Teacher of Science (Physics)'],
  },
  { code: 'CMP', name: 'Computing', teachers: 3, titles: ['Teacher of Computing'] },
  { code: 'HIS', name: 'History', teachers: 3, titles: ['Teacher of History'] },
  { code: 'GEO', name: 'Geography', teachers: 3, titles: ['Teacher of Geography'] },
  { code: 'REL', name: 'Religious Education', teachers: 2, titles: ['Teacher of Religious Education'] },
  {
    code: 'MFL',
    name: 'Modern Foreign Languages',
    teachers: 5,
    titles: ['Teacher of French and Spanish', 'Teacher of French', 'Teacher of Spanish'],
  },
  { code: 'ART', name: 'Art and Design', teachers: 2, titles: ['Teacher of Art and Design'] },
  { code: 'DT', name: 'Design and Technology', teachers: 3, titles: ['Teacher of Design and Technology'] },
  { code: 'MUS', name: 'Music', teachers: 2, titles: ['Teacher of Music'] },
  { code: 'DRA', name: 'Drama', teachers: 2, titles: ['Teacher of Drama'] },
  { code: 'PE', name: 'Physical Education', teachers: 5, titles: ['Teacher of Physical Education'] },
  { code: 'BUS', name: 'Business and Economics', teachers: 2, titles: ['Teacher of Business', 'Teacher of Economics'] },
  { code: 'SOC', name: 'Social Sciences', teachers: 2, titles: ['Teacher of Psychology', 'Teacher of Sociology'] },
];

export function buildStaff(rng: Random, emails: EmailBook): Staffing {
  const people: PlannedPerson[] = [];
  let serial = 0;
  const hire = (jobTitle: string, options: { roles?: Role[]; femaleShare?: number } = {}): PlannedPerson => {
    const heritage = pickHeritage(rng);
    const givenName = adultGivenName(rng, heritage, rng.chance(options.femaleShare ?? 0.65) ? 'f' : 'm');
    const familyName = rng.pick(heritage.surnames);
    const person: PlannedPerson = {
      kind: 'staff',
      givenName,
      familyName,
      misId: `STF${String(++serial).padStart(4, '0')}`,
      email: emails.address(`${asciiFold(givenName)[0]}.${asciiFold(familyName)}`, SCHOOL_DOMAIN),
      jobTitle,
      roles: ['staff', ...(options.roles ?? [])],
    };
    people.push(person);
    return person;
  };
  const teams: PlannedGroup[] = [];
  const team = (code: string, name: string, lead: PlannedPerson, members: PlannedPerson[]) => {
    teams.push({
      kind: 'staff_team',
      code,
      name,
      yearGroup: null,
      subject: null,
      members: [
        { person: lead, role: 'lead' },
        ...members.filter((m) => m !== lead).map((person) => ({ person, role: 'member' as const })),
      ],
    });
  };

  const headteacher = hire('Headteacher', { roles: ['head'] });
  const deputyCurriculum = hire('Deputy Headteacher (Curriculum)');
  const deputyPastoral = hire('Deputy Headteacher (Pastoral) and Deputy Designated Safeguarding Lead', { roles: ['dsl'] });
  const dsl = hire('Assistant Headteacher (Behaviour and Safeguarding) and Designated Safeguarding Lead', { roles: ['dsl'] });
  const assistantTeaching = hire('Assistant Headteacher (Teaching and Learning)');
  const headOfSixthForm = hire('Assistant Headteacher and Head of Sixth Form');
  const businessManager = hire('School Business Manager');

  const departments = new Map<string, Department>();
  for (const spec of DEPARTMENTS) {
    const teachers = Array.from({ length: spec.teachers }, (_, i) => hire(i === 0 ? `Head of ${spec.name}` : rng.pick(spec.titles)));
    departments.set(spec.code, { code: spec.code, name: spec.name, teachers });
  }
  const dept = (code: string) => departments.get(code)!;
  const demoTeacher = dept('CMP').teachers[1]!;
  dept('REL').teachers[1]!.jobTitle = 'Teacher of Religious Education and PSHE Lead';

  // Heads of year are experienced classroom teachers, not heads of department.
  const headsOfYear = new Map<number, PlannedPerson>();
  const classroom = [...departments.values()].flatMap((d) => d.teachers.slice(1)).filter((t) => t !== demoTeacher);
  const leaders = rng.shuffle(classroom).slice(0, 5);
  leaders.forEach((teacher, i) => {
    teacher.jobTitle = `${teacher.jobTitle} and Head of Year ${7 + i}`;
    headsOfYear.set(7 + i, teacher);
  });
  headsOfYear.set(12, headOfSixthForm);
  headsOfYear.set(13, headOfSixthForm);

  const senco = hire('SENCo (Special Educational Needs Coordinator)');
  const assistants = Array.from({ length: 15 }, () => hire('Teaching Assistant', { femaleShare: 0.85 }));
  const cover = Array.from({ length: 3 }, () => hire('Cover Supervisor'));
  const librarian = hire('Librarian');
  const scienceTechs = Array.from({ length: 2 }, () => hire('Science Technician'));
  const dtTech = hire('Design and Technology Technician');

  const office = [
    ...Array.from({ length: 2 }, () => hire('Receptionist', { femaleShare: 0.8 })),
    ...Array.from({ length: 3 }, () => hire('Administrative Officer', { femaleShare: 0.8 })),
    hire('Exams Officer'),
    hire('Data Manager'),
    hire('Attendance Officer'),
    hire('Finance Officer'),
    hire('HR Officer', { roles: ['hr'] }),
  ];
  const siteManager = hire('Site Manager', { femaleShare: 0.2 });
  const site = [
    ...Array.from({ length: 2 }, () => hire('Caretaker', { femaleShare: 0.2 })),
    ...Array.from({ length: 2 }, () => hire('Cleaner')),
  ];
  const networkManager = hire('Network Manager', { roles: ['network_manager'], femaleShare: 0.3 });
  const technicians = Array.from({ length: 2 }, () => hire('IT Technician', { femaleShare: 0.3 }));
  const familyLiaison = hire('Family Liaison Officer and Deputy Designated Safeguarding Lead', { roles: ['dsl'] });
  const pastoralOfficers = Array.from({ length: 3 }, () => hire('Pastoral Support Officer'));
  pastoralOfficers[0]!.jobTitle = 'Pastoral Support Officer and Deputy Designated Safeguarding Lead';
  pastoralOfficers[0]!.roles.push('dsl');
  const careers = hire('Careers Adviser');
  const counsellor = hire('School Counsellor');

  team('SLT', 'Senior leadership team', headteacher, [
    deputyCurriculum,
    deputyPastoral,
    dsl,
    assistantTeaching,
    headOfSixthForm,
    businessManager,
  ]);
  team('SAFEGUARDING', 'Safeguarding team', dsl, [deputyPastoral, familyLiaison, pastoralOfficers[0]!, headteacher]);
  team('IT', 'IT team', networkManager, technicians);
  for (const d of departments.values()) {
    const extra = d.code === 'SCI' ? scienceTechs : d.code === 'DT' ? [dtTech] : [];
    team(d.code, `${d.name} department`, d.teachers[0]!, [...d.teachers, ...extra]);
  }
  team('PASTORAL', 'Pastoral team', deputyPastoral, [
    ...new Set(headsOfYear.values()),
    familyLiaison,
    ...pastoralOfficers,
    careers,
    counsellor,
  ]);
  team('LEARNING-SUPPORT', 'Learning support', senco, [...assistants, ...cover, librarian]);
  team('OFFICE', 'School office', businessManager, office);
  team('SITE', 'Site team', siteManager, site);

  // Heads of department tutor only when the classroom teachers run out.
  const tutorPool = [
    ...rng.shuffle(classroom.filter((t) => !leaders.includes(t))),
    ...[...departments.values()].map((d) => d.teachers[0]!),
  ];
  return { people, teams, departments, headteacher, dsl, networkManager, demoTeacher, headOfSixthForm, headsOfYear, tutorPool };
}

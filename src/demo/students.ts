import { dateOfBirth, type EmailBook, HOME_DOMAINS, STUDENT_DOMAIN, upn } from './identifiers.js';
import { adultGivenName, asciiFold, childGivenName, pickHeritage, preferredName, type Gender, type Heritage } from './names.js';
import type { Random } from './random.js';
import type { PlannedGuardian, PlannedPerson } from './types.js';

/*
 * Students are generated family by family, so siblings share parents, surnames and heritage,
 * and every child has at least one adult with a contact record, as a school's MIS would hold.
 */

export const YEARS = [7, 8, 9, 10, 11, 12, 13] as const;

export interface Cohort {
  students: PlannedPerson[];
  parents: PlannedPerson[];
  guardians: PlannedGuardian[];
  byYear: Map<number, PlannedPerson[]>;
}

type Household = 'two_parents' | 'separated' | 'mother' | 'father' | 'mother_step' | 'father_step' | 'grandparents' | 'carers';

// Shares of households, broadly as English schools see them; kinship and foster carers included.
const HOUSEHOLDS: readonly (readonly [Household, number])[] = [
  ['two_parents', 55],
  ['separated', 10],
  ['mother', 14],
  ['father', 3],
  ['mother_step', 8],
  ['father_step', 2],
  ['grandparents', 4],
  ['carers', 4],
];

/** Primary schools the UPNs were first issued at; fictional establishment numbers. */
const FEEDER_SCHOOLS = [2003, 2011, 2024, 2036, 2047, 2058, 3102, 3115, 3321, 5207];

interface Adult {
  heritage: Heritage;
  gender: Gender;
  familyName: string;
  relationship: PlannedGuardian['relationship'];
  parentalResponsibility: boolean;
}

export function buildCohort(rng: Random, emails: EmailBook, startYear: number): Cohort {
  const remaining = new Map<number, number>(YEARS.map((y) => [y, y <= 11 ? rng.int(185, 195) : rng.int(115, 125)]));
  const cohort: Cohort = { students: [], parents: [], guardians: [], byYear: new Map(YEARS.map((y) => [y, []])) };
  const serials = new Map<string, number>();
  let contactSerial = 100_000;

  const takeYear = (exclude: readonly number[]): number | null => {
    const open = [...remaining].filter(([y, n]) => n > 0 && !exclude.includes(y));
    if (open.length === 0) return null;
    // Weighting by places left fills every year evenly instead of the first ones first.
    const year = rng.weighted(open);
    remaining.set(year, remaining.get(year)! - 1);
    return year;
  };

  const addStudent = (year: number, heritage: Heritage, familyName: string, siblingsNames: Set<string>): PlannedPerson => {
    const gender: Gender = rng.chance(0.5) ? 'f' : 'm';
    let givenName = childGivenName(rng, heritage, gender);
    for (let tries = 0; siblingsNames.has(givenName) && tries < 5; tries++) givenName = childGivenName(rng, heritage, gender);
    siblingsNames.add(givenName);
    const preferred = preferredName(rng, givenName);
    const school = rng.pick(FEEDER_SCHOOLS);
    const allocated = startYear - year;
    const key = `${school}-${allocated}`;
    const serial = (serials.get(key) ?? 0) + 1;
    serials.set(key, serial);
    // Most joined in Year 7; some sixth-formers came from other schools for Year 12.
    const joined = year >= 12 && rng.chance(0.2) ? startYear - (year - 12) : startYear - (year - 7);
    const student: PlannedPerson = {
      kind: 'student',
      givenName,
      familyName,
      preferredName: preferred,
      misId: upn(school, allocated, serial),
      email: emails.address(
        `${String(joined % 100).padStart(2, '0')}${asciiFold(familyName)}${asciiFold(preferred ?? givenName)[0]}`,
        STUDENT_DOMAIN,
      ),
      yearGroup: year,
      dateOfBirth: dateOfBirth(rng, year, startYear),
      roles: ['student'],
    };
    cohort.students.push(student);
    cohort.byYear.get(year)!.push(student);
    return student;
  };

  const addAdult = (a: Adult): PlannedPerson => {
    const givenName = adultGivenName(rng, a.heritage, a.gender);
    const domain = rng.pick(HOME_DOMAINS);
    const local = `${asciiFold(givenName)}.${asciiFold(a.familyName)}${rng.chance(0.4) ? rng.int(1, 99) : ''}`;
    const parent: PlannedPerson = {
      kind: 'parent',
      givenName,
      familyName: a.familyName,
      misId: `C${++contactSerial}`,
      email: rng.chance(0.9) ? emails.address(local, domain) : null,
      roles: ['parent'],
    };
    cohort.parents.push(parent);
    return parent;
  };

  while ([...remaining.values()].some((n) => n > 0)) {
    const heritage = pickHeritage(rng);
    const surname = rng.pick(heritage.surnames);
    const household = rng.weighted(HOUSEHOLDS);
    const otherSurname = (h: Heritage = heritage) => rng.pick(h.surnames);
    // Some two-parent families have parents of different heritage; their children may carry both names.
    const partnerHeritage = household === 'two_parents' && rng.chance(0.12) ? pickHeritage(rng) : heritage;
    const mixed = partnerHeritage !== heritage;
    const motherSurname = mixed ? otherSurname(partnerHeritage) : rng.chance(0.15) ? otherSurname() : surname;
    const childSurname = mixed && rng.chance(0.3) && !/[ -]/.test(surname + motherSurname) ? `${surname}-${motherSurname}` : surname;

    const adults = householdAdults(rng, household, heritage, partnerHeritage, surname, motherSurname, otherSurname);
    const planned = adults.map((a) => ({ adult: a, person: addAdult(a) }));

    const size = rng.weighted([
      [1, 76],
      [2, 20],
      [3, 4],
    ] as const);
    const years: number[] = [];
    const names = new Set<string>();
    for (let i = 0; i < size; i++) {
      const twin = i === 1 && rng.chance(0.04) && (remaining.get(years[0]!) ?? 0) > 0;
      const year = twin ? years[0]! : takeYear(years);
      if (year === null) break;
      if (twin) remaining.set(year, remaining.get(year)! - 1);
      years.push(year);
      const childHeritage = mixed && rng.chance(0.5) ? partnerHeritage : heritage;
      const student = addStudent(year, childHeritage, childSurname, names);
      planned.forEach(({ adult, person }, index) => {
        cohort.guardians.push({
          parent: person,
          student,
          relationship: adult.relationship,
          parentalResponsibility: adult.parentalResponsibility,
          priority: index === 0 ? 1 : 2,
        });
      });
    }
  }
  return cohort;
}

/** The adults a household lists as contacts, first contact first. */
function householdAdults(
  rng: Random,
  household: Household,
  heritage: Heritage,
  partnerHeritage: Heritage,
  surname: string,
  motherSurname: string,
  otherSurname: (h?: Heritage) => string,
): Adult[] {
  const mother = (familyName = motherSurname, h = partnerHeritage): Adult => ({
    heritage: h,
    gender: 'f',
    familyName,
    relationship: 'Mother',
    parentalResponsibility: true,
  });
  const father = (): Adult => ({ heritage, gender: 'm', familyName: surname, relationship: 'Father', parentalResponsibility: true });
  const step = (gender: Gender, familyName: string): Adult => ({
    heritage: pickHeritage(rng),
    gender,
    familyName,
    relationship: 'Step-parent',
    parentalResponsibility: false,
  });
  switch (household) {
    case 'two_parents':
      return rng.chance(0.75) ? [mother(), father()] : [father(), mother()];
    case 'separated':
      // The parent the child lives with comes first; the other keeps parental responsibility.
      return [mother(rng.chance(0.6) ? otherSurname() : surname, heritage), { ...father(), parentalResponsibility: rng.chance(0.9) }];
    case 'mother':
      return [mother(rng.chance(0.3) ? otherSurname() : surname, heritage)];
    case 'father':
      return [father()];
    case 'mother_step': {
      const stepSurname = otherSurname(pickHeritage(rng));
      return [mother(rng.chance(0.5) ? stepSurname : surname, heritage), step('m', stepSurname)];
    }
    case 'father_step':
      return [father(), step('f', rng.chance(0.7) ? surname : otherSurname())];
    case 'grandparents': {
      const paternal = rng.chance(0.6);
      const familyName = paternal ? surname : otherSurname();
      // Grandparents raising a child usually hold a special guardianship order, which gives responsibility.
      const gran: Adult = { heritage, gender: 'f', familyName, relationship: 'Grandparent', parentalResponsibility: true };
      return rng.chance(0.5) ? [gran, { ...gran, gender: 'm' }] : [gran];
    }
    case 'carers': {
      // Foster carers do not hold parental responsibility; the local authority does.
      const h = pickHeritage(rng);
      const carer: Adult = { heritage: h, gender: 'f', familyName: otherSurname(h), relationship: 'Carer', parentalResponsibility: false };
      return rng.chance(0.5) ? [carer, { ...carer, gender: 'm' }] : [carer];
    }
  }
}

import type { Kysely } from 'kysely';
import type { DB } from '../../db/tables.js';
import { loadGroups, planArchive, planGroup, planSoleMembership, type GroupState } from './groups.js';
import type { CsvRow } from './parse.js';
import { displayName, loadPeople, planLeavers, planPerson, type PersonValues } from './people.js';
import type { PlanEnv } from './plan.js';
import { reportDuplicates, rowReader } from './rows.js';
import { parseDateOfBirth, parseEmail, parseYearGroup } from './values.js';

interface StudentRecord {
  line: number;
  misId: string;
  values: PersonValues & { year_group: number };
  tutorGroup: string | null | undefined;
}

function readStudents(rows: readonly CsvRow[], env: PlanEnv): StudentRecord[] {
  const records: StudentRecord[] = [];
  for (const row of rows) {
    const r = rowReader('students', row, env.columns, env.problems);
    const misId = r.required('misId');
    const givenName = r.required('givenName');
    const familyName = r.required('familyName');
    const yearGroup = r.requiredParsed('yearGroup', parseYearGroup);
    const values = {
      given_name: givenName ?? '',
      family_name: familyName ?? '',
      preferred_name: r.optional('preferredName'),
      email: r.optionalParsed('email', parseEmail),
      year_group: yearGroup ?? 0,
      date_of_birth: r.optionalParsed('dateOfBirth', (v) => parseDateOfBirth(v, env.now)),
    };
    const tutorGroup = r.optional('tutorGroup');
    if (r.valid && misId) records.push({ line: row.line, misId, values, tutorGroup });
  }
  return records;
}

/** A tutor group belongs to a year only when all its students share one (not so with vertical tutoring). */
function tutorGroupYears(records: readonly StudentRecord[]): Map<string, number | null> {
  const years = new Map<string, number | null>();
  for (const r of records) {
    if (!r.tutorGroup) continue;
    const seen = years.get(r.tutorGroup);
    if (seen === undefined) years.set(r.tutorGroup, r.values.year_group);
    else if (seen !== r.values.year_group) years.set(r.tutorGroup, null);
  }
  return years;
}

/** Plans a students import; returns the year groups present so their derived groups can exist. */
export async function planStudents(db: Kysely<DB>, rows: readonly CsvRow[], env: PlanEnv): Promise<{ years: number[] }> {
  const records = readStudents(rows, env);
  reportDuplicates(
    records,
    (r) => r.misId,
    (r) => `MIS id "${r.misId}"`,
    'misId',
    env.problems,
  );
  const people = await loadPeople(db, env.schoolId, 'student');
  const tutorGroups: GroupState | null = env.columns.has('tutorGroup') ? await loadGroups(db, env.schoolId, 'tutor_group') : null;
  if (tutorGroups) {
    for (const [code, year] of tutorGroupYears(records)) planGroup(env, tutorGroups, code, { name: code, year_group: year });
  }
  for (const record of records) {
    const planned = planPerson(env, people, record.misId, record.values, ['student']);
    if (tutorGroups) {
      const change = planSoleMembership(env, tutorGroups, planned.id, record.tutorGroup ?? null, 'tutorGroup');
      if (change) planned.fields.push(change);
    }
    env.tally.outcome({
      line: record.line,
      misId: record.misId,
      name: displayName(record.values),
      isNew: planned.isNew,
      fields: planned.fields,
    });
  }
  planLeavers(env, people);
  if (tutorGroups) planArchive(env, tutorGroups);
  return { years: [...new Set(records.map((r) => r.values.year_group))].sort((a, b) => a - b) };
}

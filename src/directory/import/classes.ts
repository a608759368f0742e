import type { Kysely } from 'kysely';
import type { DB, GroupMemberTable } from '../../db/tables.js';
import { loadGroups, planArchive, planGroup, planMembers } from './groups.js';
import type { CsvRow } from './parse.js';
import { loadPeople, type PeopleState } from './people.js';
import type { PlanEnv } from './plan.js';
import type { FieldChange } from './report.js';
import { reportDuplicates, rowReader } from './rows.js';
import { parseYearGroup } from './values.js';

interface MembershipRecord {
  line: number;
  classCode: string;
  className: string | null | undefined;
  subject: string | null | undefined;
  yearGroup: number | null | undefined;
  teacherMisId: string | null | undefined;
  studentMisId: string;
}

function readMemberships(rows: readonly CsvRow[], env: PlanEnv, students: PeopleState, staff: PeopleState): MembershipRecord[] {
  const records: MembershipRecord[] = [];
  for (const row of rows) {
    const r = rowReader('classes', row, env.columns, env.problems);
    const classCode = r.required('classCode');
    const studentMisId = r.required('studentMisId');
    const record = {
      line: row.line,
      classCode: classCode ?? '',
      className: r.optional('className'),
      subject: r.optional('subject'),
      yearGroup: r.optionalParsed('yearGroup', parseYearGroup),
      teacherMisId: r.optional('teacherMisId'),
      studentMisId: studentMisId ?? '',
    };
    let known = true;
    if (studentMisId && !students.byMisId.has(studentMisId)) {
      env.problems.push({
        line: row.line,
        field: 'studentMisId',
        reason: `unknown student "${studentMisId}": import the students file first`,
      });
      known = false;
    }
    if (record.teacherMisId && !staff.byMisId.has(record.teacherMisId)) {
      env.problems.push({
        line: row.line,
        field: 'teacherMisId',
        reason: `unknown teacher "${record.teacherMisId}": import the staff file first`,
      });
      known = false;
    }
    if (r.valid && known) records.push(record);
  }
  return records;
}

/** MIS ids of a group's members with one role, for a readable before/after. */
function misIdsWithRole(
  members: ReadonlyMap<string, GroupMemberTable['member_role']>,
  role: 'member' | 'teacher',
  misIdOf: ReadonlyMap<string, string>,
): string | null {
  const ids = [...members]
    .filter(([, r]) => (role === 'member' ? r === 'member' : r !== 'member'))
    .map(([id]) => misIdOf.get(id) ?? '(no MIS id)');
  return ids.sort().join(', ') || null;
}

/** One row per student in a class; the class itself (name, subject, year) comes from its first row. */
export async function planClasses(db: Kysely<DB>, rows: readonly CsvRow[], env: PlanEnv): Promise<{ years: number[] }> {
  const [students, staff, classes] = await Promise.all([
    loadPeople(db, env.schoolId, 'student'),
    loadPeople(db, env.schoolId, 'staff'),
    loadGroups(db, env.schoolId, 'class'),
  ]);
  const records = readMemberships(rows, env, students, staff);
  reportDuplicates(
    records,
    (r) => `${r.classCode}\u0000${r.studentMisId}`,
    (r) => `student "${r.studentMisId}" in class "${r.classCode}"`,
    'studentMisId',
    env.problems,
  );
  const byClass = new Map<string, MembershipRecord[]>();
  for (const r of records) {
    const list = byClass.get(r.classCode);
    if (list) list.push(r);
    else byClass.set(r.classCode, [r]);
  }
  const misIdOf = new Map([...students.byMisId, ...staff.byMisId].map(([misId, p]) => [p.id, misId]));
  const teachersMapped = env.columns.has('teacherMisId');
  for (const [code, classRecords] of byClass) {
    const first = classRecords[0]!;
    const planned = planGroup(env, classes, code, {
      name: first.className ?? classes.byCode.get(code)?.name ?? code,
      subject: first.subject,
      year_group: first.yearGroup,
    });
    const current = new Map(classes.members.get(planned.id) ?? []);
    const want = new Map<string, GroupMemberTable['member_role']>();
    // Without a teacher column the file says nothing about teachers, so the stored ones stay.
    if (!teachersMapped) for (const [id, role] of current) if (role !== 'member') want.set(id, role);
    for (const r of classRecords) {
      if (r.teacherMisId) want.set(staff.byMisId.get(r.teacherMisId)!.id, 'teacher');
      want.set(students.byMisId.get(r.studentMisId)!.id, 'member');
    }
    planMembers(env, classes, planned.id, want);
    const fields: FieldChange[] = [...planned.fields];
    for (const [field, role] of [
      ['teachers', 'teacher'],
      ['students', 'member'],
    ] as const) {
      const before = misIdsWithRole(current, role, misIdOf);
      const after = misIdsWithRole(want, role, misIdOf);
      if (before !== after) fields.push({ field, before, after });
    }
    env.tally.outcome({ line: first.line, misId: code, name: first.className ?? code, isNew: planned.isNew, fields });
  }
  planArchive(env, classes, (group) => env.tally.add({ action: 'leave', misId: group.code, name: group.name }));
  return { years: [] };
}

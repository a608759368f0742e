import type { Kysely, Selectable } from 'kysely';
import type { DB, GuardianTable } from '../../db/tables.js';
import type { CsvRow } from './parse.js';
import { displayName, loadPeople, planLeavers, planPerson, type PeopleState, type PersonValues } from './people.js';
import type { PlanEnv } from './plan.js';
import type { FieldChange } from './report.js';
import { reportDuplicates, rowReader } from './rows.js';
import { parseEmail, parsePriority, parseYesNo } from './values.js';

/** Used when the file has no relationship for a link: the link matters more than its label. */
const DEFAULT_RELATIONSHIP = 'Parent/carer';

type Guardian = Selectable<GuardianTable>;

interface LinkRecord {
  line: number;
  parentMisId: string;
  parent: PersonValues;
  studentMisId: string;
  relationship: string | null | undefined;
  parentalResponsibility: boolean | null | undefined;
  priority: number | null | undefined;
}

function readLinks(rows: readonly CsvRow[], env: PlanEnv, students: PeopleState): LinkRecord[] {
  const records: LinkRecord[] = [];
  for (const row of rows) {
    const r = rowReader('parents', row, env.columns, env.problems);
    const parentMisId = r.required('parentMisId');
    const givenName = r.required('parentGivenName');
    const familyName = r.required('parentFamilyName');
    const email = r.optionalParsed('parentEmail', parseEmail);
    const studentMisId = r.required('studentMisId');
    const record = {
      line: row.line,
      parentMisId: parentMisId ?? '',
      parent: { given_name: givenName ?? '', family_name: familyName ?? '', email },
      studentMisId: studentMisId ?? '',
      relationship: r.optional('relationship'),
      parentalResponsibility: r.optionalParsed('parentalResponsibility', parseYesNo),
      priority: r.optionalParsed('priority', parsePriority),
    };
    if (studentMisId && !students.byMisId.has(studentMisId)) {
      env.problems.push({
        line: row.line,
        field: 'studentMisId',
        reason: `unknown student "${studentMisId}": import the students file first`,
      });
      continue;
    }
    if (r.valid) records.push(record);
  }
  return records;
}

type Link = Pick<Guardian, 'relationship' | 'parental_responsibility' | 'priority'>;

const describeLink = (l: Link) =>
  `${l.relationship}${l.parental_responsibility ? ', parental responsibility' : ''}, priority ${l.priority}`;

/**
 * Plans one parent's links so they match the file exactly: a link the MIS no longer has is
 * removed, because a parent losing contact rights must lose access to the child's records too.
 */
function planLinks(
  env: PlanEnv,
  parentId: string,
  records: readonly LinkRecord[],
  stored: ReadonlyMap<string, Guardian>,
  students: PeopleState,
  misIdOf: ReadonlyMap<string, string>,
): FieldChange[] {
  const fields: FieldChange[] = [];
  const wanted = new Set<string>();
  for (const record of records) {
    const studentId = students.byMisId.get(record.studentMisId)!.id;
    wanted.add(studentId);
    const field = `child:${record.studentMisId}`;
    const before = stored.get(studentId);
    if (!before) {
      const link: Guardian = {
        parent_id: parentId,
        student_id: studentId,
        relationship: record.relationship ?? DEFAULT_RELATIONSHIP,
        parental_responsibility: record.parentalResponsibility === false ? 0 : 1,
        priority: record.priority ?? 1,
      };
      env.plan.newGuardians.push(link);
      fields.push({ field, before: null, after: describeLink(link) });
      continue;
    }
    const after: Link = {
      relationship: record.relationship ?? before.relationship,
      parental_responsibility:
        record.parentalResponsibility === undefined || record.parentalResponsibility === null
          ? before.parental_responsibility
          : Number(record.parentalResponsibility),
      priority: record.priority ?? before.priority,
    };
    if (describeLink(after) === describeLink(before)) continue;
    env.plan.guardianUpdates.push({ parent_id: parentId, student_id: studentId, set: after });
    fields.push({ field, before: describeLink(before), after: describeLink(after) });
  }
  for (const [studentId, link] of stored) {
    if (wanted.has(studentId)) continue;
    env.plan.removedGuardians.push({ parent_id: parentId, student_id: studentId });
    fields.push({ field: `child:${misIdOf.get(studentId) ?? studentId}`, before: describeLink(link), after: null });
  }
  return fields;
}

async function loadLinks(db: Kysely<DB>, schoolId: string): Promise<Map<string, Map<string, Guardian>>> {
  const rows = await db
    .selectFrom('guardians')
    .innerJoin('people', 'people.id', 'guardians.parent_id')
    .selectAll('guardians')
    .where('people.school_id', '=', schoolId)
    .where('people.kind', '=', 'parent')
    .execute();
  const byParent = new Map<string, Map<string, Guardian>>();
  for (const g of rows) {
    const links = byParent.get(g.parent_id) ?? new Map<string, Guardian>();
    links.set(g.student_id, g);
    byParent.set(g.parent_id, links);
  }
  return byParent;
}

export async function planParentLinks(db: Kysely<DB>, rows: readonly CsvRow[], env: PlanEnv): Promise<{ years: number[] }> {
  const [students, parents, links] = await Promise.all([
    loadPeople(db, env.schoolId, 'student'),
    loadPeople(db, env.schoolId, 'parent'),
    loadLinks(db, env.schoolId),
  ]);
  const records = readLinks(rows, env, students);
  reportDuplicates(
    records,
    (r) => `${r.parentMisId}\u0000${r.studentMisId}`,
    (r) => `link from contact "${r.parentMisId}" to student "${r.studentMisId}"`,
    'studentMisId',
    env.problems,
  );
  const byParent = new Map<string, LinkRecord[]>();
  for (const r of records) {
    const list = byParent.get(r.parentMisId);
    if (list) list.push(r);
    else byParent.set(r.parentMisId, [r]);
  }
  const misIdOf = new Map([...students.byMisId].map(([misId, p]) => [p.id, misId]));
  for (const [parentMisId, parentRecords] of byParent) {
    // A contact's details come from their first row; later rows only add children.
    const first = parentRecords[0]!;
    const planned = planPerson(env, parents, parentMisId, first.parent, ['parent']);
    const linkChanges = planLinks(env, planned.id, parentRecords, links.get(planned.id) ?? new Map(), students, misIdOf);
    env.tally.outcome({
      line: first.line,
      misId: parentMisId,
      name: displayName(first.parent),
      isNew: planned.isNew,
      fields: [...planned.fields, ...linkChanges],
    });
  }
  planLeavers(env, parents);
  return { years: [] };
}

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedSchool } from '../../testing/fixtures.js';
import { createTestStore, testContext, type TestStore } from '../../testing/store.js';
import { runImport } from './service.js';
import type { ImportKind } from './kinds.js';
import { csv, person, tableCounts } from './test-support.js';

const LINKS_HEADER = 'Contact ID,Contact Forename,Contact Surname,Contact Email,UPN,Relationship,Parental Responsibility,Priority';
const CLASSES_HEADER = 'Class,Class Name,Subject,Year,Teacher,UPN';

describe('importing parent links and classes', () => {
  let t: TestStore;
  let ctx: ReturnType<typeof testContext>;
  let schoolId: string;
  const importFile = (kind: ImportKind, text: string) =>
    runImport(ctx, { schoolId, kind, fileName: `${kind}.csv`, content: Buffer.from(text), dryRun: false, actor: null });
  const linksOf = (db = t.store.db) =>
    db
      .selectFrom('guardians')
      .innerJoin('people as parent', 'parent.id', 'guardians.parent_id')
      .innerJoin('people as child', 'child.id', 'guardians.student_id')
      .select([
        'parent.mis_id as parent',
        'child.mis_id as child',
        'guardians.relationship',
        'guardians.parental_responsibility',
        'guardians.priority',
      ])
      .orderBy('parent.mis_id')
      .orderBy('child.mis_id')
      .execute();
  const classMembers = (code: string) =>
    t.store.db
      .selectFrom('groups')
      .innerJoin('group_members', 'group_members.group_id', 'groups.id')
      .innerJoin('people', 'people.id', 'group_members.person_id')
      .select(['people.mis_id', 'group_members.member_role'])
      .where('groups.kind', '=', 'class')
      .where('groups.code', '=', code)
      .orderBy('people.mis_id')
      .execute();

  before(async () => {
    t = await createTestStore();
    ctx = testContext(t);
    ({ schoolId } = await seedSchool(ctx));
    const students = await importFile(
      'students',
      csv('UPN,Forename,Surname,Year', 'S1,Amy,Cole,7', 'S2,Ben,Cole,9', 'S3,Cal,Diaz,7', 'S4,Dot,Eve,7'),
    );
    const staff = await importFile('staff', csv('Staff ID,Forename,Surname', 'T1,Tess,Tutor', 'T2,Tom,Teach'));
    assert.equal(students.created + staff.created, 6);
  });
  after(() => t.cleanup());

  it('creates parents with the parent role and links them to their children with the relationship', async () => {
    const report = await importFile(
      'parents',
      csv(
        LINKS_HEADER,
        'P1,Maria,Cole,maria@example.org,S1,Mother,Y,1',
        'P1,Maria,Cole,maria@example.org,S2,Mother,Yes,1',
        'P2,Sam,Cole,,S1,Father,N,2',
        'P3,Gwen,Diaz,,S3,Grandparent,false,',
      ),
    );
    assert.equal(report.status, 'applied');
    assert.deepEqual([report.rows, report.created], [4, 3]);
    assert.deepEqual(await linksOf(), [
      { parent: 'P1', child: 'S1', relationship: 'Mother', parental_responsibility: 1, priority: 1 },
      { parent: 'P1', child: 'S2', relationship: 'Mother', parental_responsibility: 1, priority: 1 },
      { parent: 'P2', child: 'S1', relationship: 'Father', parental_responsibility: 0, priority: 2 },
      { parent: 'P3', child: 'S3', relationship: 'Grandparent', parental_responsibility: 0, priority: 1 },
    ]);
    const maria = await person(t.store.db, schoolId, 'parent', 'P1');
    assert.deepEqual([maria?.kind, maria?.email], ['parent', 'maria@example.org']);
    const roles = await t.store.db.selectFrom('person_roles').select('role').where('person_id', '=', maria!.id).execute();
    assert.deepEqual(
      roles.map((r) => r.role),
      ['parent'],
    );
  });

  it('is idempotent, and makes links match the file when a link or a contact goes', async () => {
    const same = await importFile(
      'parents',
      csv(
        LINKS_HEADER,
        'P1,Maria,Cole,maria@example.org,S1,Mother,Y,1',
        'P1,Maria,Cole,maria@example.org,S2,Mother,Yes,1',
        'P2,Sam,Cole,,S1,Father,N,2',
        'P3,Gwen,Diaz,,S3,Grandparent,false,',
      ),
    );
    assert.deepEqual([same.created, same.updated, same.unchanged, same.left], [0, 0, 3, 0]);

    const changed = await importFile(
      'parents',
      csv(LINKS_HEADER, 'P1,Maria,Cole,maria@example.org,S1,Mother,Y,1', 'P2,Sam,Cole,,S1,Father,Y,2'),
    );
    assert.deepEqual([changed.updated, changed.left], [2, 1]);
    assert.deepEqual(changed.changes.find((c) => c.misId === 'P1')?.fields, [
      { field: 'child:S2', before: 'Mother, parental responsibility, priority 1', after: null },
    ]);
    assert.deepEqual(await linksOf(), [
      { parent: 'P1', child: 'S1', relationship: 'Mother', parental_responsibility: 1, priority: 1 },
      { parent: 'P2', child: 'S1', relationship: 'Father', parental_responsibility: 1, priority: 2 },
      { parent: 'P3', child: 'S3', relationship: 'Grandparent', parental_responsibility: 0, priority: 1 },
    ]);
    assert.equal((await person(t.store.db, schoolId, 'parent', 'P3'))?.status, 'left');
  });

  it('rejects links to unknown students and duplicate links, naming the lines', async () => {
    const beforeCounts = await tableCounts(t.store.db);
    const report = await importFile(
      'parents',
      csv(
        LINKS_HEADER,
        'P1,Maria,Cole,,S1,Mother,Y,1',
        'P9,Nia,Owen,,S99,Aunt,Y,1',
        'P1,Maria,Cole,,S1,Mother,Y,1',
        'P4,Al,Bo,,S4,Carer,maybe,1',
      ),
    );
    assert.equal(report.status, 'rejected');
    assert.deepEqual(report.errors, [
      { line: 2, field: 'studentMisId', reason: 'duplicate link from contact "P1" to student "S1": it appears on lines 2 and 4' },
      { line: 3, field: 'studentMisId', reason: 'unknown student "S99": import the students file first' },
      { line: 4, field: 'studentMisId', reason: 'duplicate link from contact "P1" to student "S1": it appears on lines 2 and 4' },
      { line: 5, field: 'parentalResponsibility', reason: '"maybe" is not yes or no: use Y, N, Yes, No, true or false' },
    ]);
    assert.deepEqual(await tableCounts(t.store.db), { ...beforeCounts, runs: beforeCounts.runs + 1 });
  });

  it('creates classes from their first row, with the teacher and one member per student row', async () => {
    const report = await importFile(
      'classes',
      csv(
        CLASSES_HEADER,
        '7x/Ma1,Year 7 Maths set 1,Maths,7,T2,S1',
        '7x/Ma1,ignored name,ignored subject,9,T2,S3',
        '7x/Ma1,,,,,S4',
        '9y/En2,Year 9 English,English,Year 9,T1,S2',
      ),
    );
    assert.equal(report.status, 'applied');
    assert.deepEqual([report.rows, report.created], [4, 2]);
    const maths = await t.store.db
      .selectFrom('groups')
      .selectAll()
      .where('kind', '=', 'class')
      .where('code', '=', '7x/Ma1')
      .executeTakeFirstOrThrow();
    assert.deepEqual([maths.name, maths.subject, maths.year_group, maths.status], ['Year 7 Maths set 1', 'Maths', 7, 'active']);
    assert.deepEqual(await classMembers('7x/Ma1'), [
      { mis_id: 'S1', member_role: 'member' },
      { mis_id: 'S3', member_role: 'member' },
      { mis_id: 'S4', member_role: 'member' },
      { mis_id: 'T2', member_role: 'teacher' },
    ]);
    assert.deepEqual(await classMembers('9y/En2'), [
      { mis_id: 'S2', member_role: 'member' },
      { mis_id: 'T1', member_role: 'teacher' },
    ]);
  });

  it('syncs class members on re-import and archives classes the full file no longer lists', async () => {
    const file = csv(
      CLASSES_HEADER,
      '7x/Ma1,Year 7 Maths set 1,Maths,7,T2,S1',
      '7x/Ma1,,,,T2,S3',
      '7x/Ma1,,,,,S4',
      '9y/En2,Year 9 English,English,Year 9,T1,S2',
    );
    const same = await importFile('classes', file);
    assert.deepEqual([same.created, same.updated, same.unchanged], [0, 0, 2]);

    const moved = await importFile('classes', csv(CLASSES_HEADER, '7x/Ma1,Year 7 Maths set 1,Maths,7,T1,S1', '7x/Ma1,,,,,S3'));
    assert.deepEqual([moved.updated, moved.left], [1, 1]);
    assert.deepEqual(moved.changes[0]?.fields, [
      { field: 'teachers', before: 'T2', after: 'T1' },
      { field: 'students', before: 'S1, S3, S4', after: 'S1, S3' },
    ]);
    assert.deepEqual(await classMembers('7x/Ma1'), [
      { mis_id: 'S1', member_role: 'member' },
      { mis_id: 'S3', member_role: 'member' },
      { mis_id: 'T1', member_role: 'teacher' },
    ]);
    const english = await t.store.db.selectFrom('groups').select('status').where('code', '=', '9y/En2').executeTakeFirstOrThrow();
    assert.equal(english.status, 'archived');
  });

  it('rejects unknown students and teachers and duplicate memberships in a classes file', async () => {
    const beforeCounts = await tableCounts(t.store.db);
    const report = await importFile(
      'classes',
      csv(CLASSES_HEADER, '8z/Sc1,Science,Science,8,T9,S1', '8z/Sc1,,,,,S42', '8z/Sc1,,,,,S2', '8z/Sc1,,,,,S2'),
    );
    assert.equal(report.status, 'rejected');
    assert.deepEqual(
      report.errors.map((e) => [e.line, e.field, e.reason]),
      [
        [2, 'teacherMisId', 'unknown teacher "T9": import the staff file first'],
        [3, 'studentMisId', 'unknown student "S42": import the students file first'],
        [4, 'studentMisId', 'duplicate student "S2" in class "8z/Sc1": it appears on lines 4 and 5'],
        [5, 'studentMisId', 'duplicate student "S2" in class "8z/Sc1": it appears on lines 4 and 5'],
      ],
    );
    assert.deepEqual(await tableCounts(t.store.db), { ...beforeCounts, runs: beforeCounts.runs + 1 });
  });
});

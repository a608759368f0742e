import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import iconv from 'iconv-lite';
import { seedSchool } from '../../testing/fixtures.js';
import { createTestStore, testContext, type TestStore } from '../../testing/store.js';
import { runImport, type ImportReport } from './service.js';
import { csv, person, tableCounts } from './test-support.js';

const HEADER = 'UPN,Legal Forename,Legal Surname,Preferred Forename,Year,DOB,Reg Group';
const ACTOR = { accountId: 'acct-import-test', username: 'nina.network' };

describe('importing students', () => {
  let t: TestStore;
  let ctx: ReturnType<typeof testContext>;
  let schoolId: string;
  const importStudents = (
    text: string | Buffer,
    options: { dryRun?: boolean; mapping?: Record<string, string>; markLeavers?: boolean } = {},
  ) =>
    runImport(ctx, {
      schoolId,
      kind: 'students',
      fileName: 'students.csv',
      content: Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8'),
      dryRun: options.dryRun ?? false,
      mapping: options.mapping,
      markLeavers: options.markLeavers,
      actor: ACTOR,
      ip: '127.0.0.1',
    });
  const expectRejected = (report: ImportReport) => {
    assert.equal(report.status, 'rejected');
    assert.equal(report.created + report.updated + report.left, 0);
  };

  before(async () => {
    t = await createTestStore();
    ctx = testContext(t);
    ({ schoolId } = await seedSchool(ctx));
  });
  after(() => t.cleanup());

  it('imports a UTF-8 file with a BOM, quoted commas and newlines, tutor groups and derived groups', async () => {
    const file =
      '\ufeff' +
      csv(
        HEADER,
        'A100,Amelia,"Smith, Jones",Millie,Year 7,03/09/2014,7A',
        'A101,"Oliver',
        'James",Brown,,7,2014-12-01,7A',
        'A102,Zoë,Ó Briain,,Y8,15/01/2013,8B',
        'A103,Ruby,Khan,,R,01/05/2021,',
      );
    const report = await importStudents(file);
    assert.equal(report.status, 'applied');
    assert.equal(report.encoding, 'utf-8-bom');
    assert.deepEqual([report.rows, report.created, report.updated, report.unchanged, report.left], [4, 4, 0, 0, 0]);
    assert.deepEqual(
      report.changes.map((c) => [c.line, c.action, c.misId]),
      [
        [2, 'create', 'A100'],
        [3, 'create', 'A101'],
        [5, 'create', 'A102'],
        [6, 'create', 'A103'],
      ],
    );

    const amelia = await person(t.store.db, schoolId, 'student', 'A100');
    assert.equal(amelia?.family_name, 'Smith, Jones');
    assert.equal(amelia?.preferred_name, 'Millie');
    assert.equal(amelia?.year_group, 7);
    assert.equal(amelia?.date_of_birth, '2014-09-03');
    assert.equal((await person(t.store.db, schoolId, 'student', 'A101'))?.given_name, 'Oliver\nJames');
    assert.equal((await person(t.store.db, schoolId, 'student', 'A102'))?.family_name, 'Ó Briain');
    assert.equal((await person(t.store.db, schoolId, 'student', 'A103'))?.year_group, 0);

    const roles = await t.store.db.selectFrom('person_roles').select('role').distinct().execute();
    assert.deepEqual(
      roles.map((r) => r.role),
      ['student'],
    );
    const tutorGroups = await t.store.db
      .selectFrom('groups')
      .innerJoin('group_members', 'group_members.group_id', 'groups.id')
      .innerJoin('people', 'people.id', 'group_members.person_id')
      .select(['groups.code', 'groups.year_group', 'people.mis_id'])
      .where('groups.kind', '=', 'tutor_group')
      .orderBy('people.mis_id')
      .execute();
    assert.deepEqual(tutorGroups, [
      { code: '7A', year_group: 7, mis_id: 'A100' },
      { code: '7A', year_group: 7, mis_id: 'A101' },
      { code: '8B', year_group: 8, mis_id: 'A102' },
    ]);
    const derived = await t.store.db
      .selectFrom('groups')
      .select('code')
      .where('kind', 'in', ['year_group', 'key_stage'])
      .orderBy('code')
      .execute();
    assert.deepEqual(
      derived.map((g) => g.code),
      ['EYFS', 'KS3', 'Y0', 'Y7', 'Y8'],
    );

    const audit = await t.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'directory.import').execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.target_id, report.importRunId);
    assert.equal(JSON.parse(audit[0]!.details).created, 4);
    const run = await t.store.db.selectFrom('import_runs').selectAll().where('id', '=', report.importRunId).executeTakeFirstOrThrow();
    assert.deepEqual([run.status, run.dry_run, run.kind], ['applied', 0, 'students']);
  });

  it('changes nothing when the same file is imported again', async () => {
    const file =
      '\ufeff' +
      csv(
        HEADER,
        'A100,Amelia,"Smith, Jones",Millie,Year 7,03/09/2014,7A',
        'A101,"Oliver',
        'James",Brown,,7,2014-12-01,7A',
        'A102,Zoë,Ó Briain,,Y8,15/01/2013,8B',
        'A103,Ruby,Khan,,R,01/05/2021,',
      );
    const beforeCounts = await tableCounts(t.store.db);
    const report = await importStudents(file);
    assert.equal(report.status, 'applied');
    assert.deepEqual([report.created, report.updated, report.unchanged, report.left], [0, 0, 4, 0]);
    const afterCounts = await tableCounts(t.store.db);
    assert.deepEqual({ ...afterCounts, runs: beforeCounts.runs, audit: beforeCounts.audit }, beforeCounts);
  });

  it('reads Windows-1252 names and reports field changes and moves between tutor groups', async () => {
    const file = iconv.encode(
      csv(
        HEADER,
        'A100,Amelia,"Smith, Jones",Millie,Year 7,03/09/2014,7B',
        'A101,"Oliver',
        'James",Brown,,7,2014-12-01,7A',
        'A102,Zoë,Ó Briain,,Y8,15/01/2013,8B',
        'A103,Siân,Khan,,R,01/05/2021,',
      ),
      'win1252',
    );
    const report = await importStudents(file);
    assert.equal(report.encoding, 'windows-1252');
    assert.deepEqual([report.created, report.updated, report.unchanged], [0, 2, 2]);
    assert.deepEqual(
      report.changes.map((c) => [c.misId, c.fields]),
      [
        ['A100', [{ field: 'tutorGroup', before: '7A', after: '7B' }]],
        ['A103', [{ field: 'givenName', before: 'Ruby', after: 'Siân' }]],
      ],
    );
    assert.equal((await person(t.store.db, schoolId, 'student', 'A103'))?.given_name, 'Siân');
    assert.equal((await person(t.store.db, schoolId, 'student', 'A102'))?.given_name, 'Zoë');
  });

  it('marks students missing from a full file as left, never deleting them, and re-activates them on return', async () => {
    ctx.clock.advance(60);
    const without = csv(
      HEADER,
      'A100,Amelia,"Smith, Jones",Millie,Year 7,03/09/2014,7B',
      'A102,Zoë,Ó Briain,,Y8,15/01/2013,8B',
      'A103,Siân,Khan,,R,01/05/2021,',
    );
    const report = await importStudents(without);
    assert.equal(report.left, 1);
    assert.deepEqual(report.changes, [{ action: 'leave', misId: 'A101', name: 'Oliver\nJames Brown' }]);
    const oliver = await person(t.store.db, schoolId, 'student', 'A101');
    assert.equal(oliver?.status, 'left');
    assert.equal(oliver?.left_at, ctx.clock().toISOString());

    const partial = await importStudents(csv(HEADER, 'A100,Amelia,"Smith, Jones",Millie,Year 7,03/09/2014,7B'), { markLeavers: false });
    assert.equal(partial.left, 0);
    assert.equal((await person(t.store.db, schoolId, 'student', 'A102'))?.status, 'active');

    const back = await importStudents(
      csv(
        HEADER,
        'A100,Amelia,"Smith, Jones",Millie,Year 7,03/09/2014,7B',
        'A101,Oliver,Brown,,8,2014-12-01,7A',
        'A102,Zoë,Ó Briain,,Y8,15/01/2013,8B',
        'A103,Siân,Khan,,R,01/05/2021,',
      ),
    );
    assert.equal(back.updated, 1);
    assert.deepEqual(
      back.changes[0]?.fields?.find((f) => f.field === 'status'),
      { field: 'status', before: 'left', after: 'active' },
    );
    const returned = await person(t.store.db, schoolId, 'student', 'A101');
    assert.deepEqual([returned?.status, returned?.left_at, returned?.year_group, returned?.id], ['active', null, 8, oliver?.id]);
  });

  it('dry-runs the same report without writing anything but the run record', async () => {
    const beforeCounts = await tableCounts(t.store.db);
    const report = await importStudents(csv(HEADER, 'A100,Amelia,Smith,,Year 7,03/09/2014,7B', 'A200,Noah,Patel,,9,01/02/2012,9C'), {
      dryRun: true,
    });
    assert.equal(report.status, 'dry_run');
    assert.deepEqual([report.created, report.updated, report.left, report.groups.created], [1, 1, 3, 1]);
    const afterCounts = await tableCounts(t.store.db);
    assert.deepEqual(afterCounts, { ...beforeCounts, runs: beforeCounts.runs + 1 });
    assert.equal(await person(t.store.db, schoolId, 'student', 'A200'), undefined);
    const run = await t.store.db.selectFrom('import_runs').selectAll().where('id', '=', report.importRunId).executeTakeFirstOrThrow();
    assert.deepEqual([run.status, run.dry_run], ['dry_run', 1]);
  });

  it('rejects duplicate MIS ids naming both lines, and writes nothing', async () => {
    const beforeCounts = await tableCounts(t.store.db);
    const report = await importStudents(csv(HEADER, 'A300,Ava,Green,,7,,7A', 'A301,Leo,White,,7,,7A', 'A300,Ava,Greene,,7,,7A'));
    expectRejected(report);
    assert.deepEqual(report.errors, [
      { line: 2, field: 'misId', reason: 'duplicate MIS id "A300": it appears on lines 2 and 4' },
      { line: 4, field: 'misId', reason: 'duplicate MIS id "A300": it appears on lines 2 and 4' },
    ]);
    assert.deepEqual(await tableCounts(t.store.db), { ...beforeCounts, runs: beforeCounts.runs + 1 });
    const run = await t.store.db.selectFrom('import_runs').selectAll().where('id', '=', report.importRunId).executeTakeFirstOrThrow();
    assert.equal(run.status, 'rejected');
    assert.equal(JSON.parse(run.summary).errorCount, 2);
  });

  it('rejects invalid dates, unknown years and missing values with their lines', async () => {
    const beforeCounts = await tableCounts(t.store.db);
    const report = await importStudents(
      csv(
        HEADER,
        'A400,Ivy,Hall,,7,31/02/2012,7A',
        'A401,Max,Hill,,Year 15,01/02/2012,7A',
        'A402,,Ward,,7,01/02/2099,7A',
        'A100,Amelia,Smith,,Year 7,03/09/2014,7B',
      ),
    );
    expectRejected(report);
    assert.deepEqual(report.errors, [
      { line: 2, field: 'dateOfBirth', reason: 'invalid date "31/02/2012": there is no such day' },
      { line: 3, field: 'yearGroup', reason: 'unknown year group "Year 15": use R or Reception, or a year from 1 to 13' },
      { line: 4, field: 'givenName', reason: 'missing Forename' },
      { line: 4, field: 'dateOfBirth', reason: 'invalid date "01/02/2099": it is in the future' },
    ]);
    assert.deepEqual(await tableCounts(t.store.db), { ...beforeCounts, runs: beforeCounts.runs + 1 });
    assert.equal((await person(t.store.db, schoolId, 'student', 'A100'))?.family_name, 'Smith, Jones');
  });

  it('rejects broken CSV, naming the line, and writes nothing but the run record', async () => {
    const beforeCounts = await tableCounts(t.store.db);
    const report = await importStudents(csv(HEADER, 'A500,Eve,Long,,7,,7A', 'A501,"Finn,Short,,7,,7A', 'A502,Gus,Tall,,7,,7A'));
    expectRejected(report);
    assert.deepEqual(report.errors, [{ line: 3, reason: 'Line 3: a quoted field starts here but its closing quote is missing.' }]);
    assert.deepEqual(await tableCounts(t.store.db), { ...beforeCounts, runs: beforeCounts.runs + 1 });
  });

  it('rejects a file without a required column, saying which', async () => {
    const report = await importStudents(csv('UPN,Forename,Surname', 'A600,Hal,Ford'));
    expectRejected(report);
    assert.equal(report.errors.length, 1);
    assert.equal(report.errors[0]?.line, 1);
    assert.equal(report.errors[0]?.field, 'yearGroup');
    assert.match(report.errors[0]!.reason, /no column for the required field Year group/);
    assert.equal(await person(t.store.db, schoolId, 'student', 'A600'), undefined);
  });

  it('imports non-standard headings through an explicit mapping, leaving unmapped fields alone', async () => {
    const file = csv('Pupil Ref,Nom,Prénom,Cohort,Notes', 'A100,Smith,Amelia,7,likes chess', 'A700,Ng,Kai,Year 10,');
    const report = await importStudents(file, {
      mapping: { misId: 'Pupil Ref', givenName: 'Prénom', familyName: 'Nom', yearGroup: 'Cohort' },
      markLeavers: false,
    });
    assert.equal(report.status, 'applied');
    assert.deepEqual(report.mapping, {
      misId: 'Pupil Ref',
      givenName: 'Prénom',
      familyName: 'Nom',
      preferredName: null,
      yearGroup: 'Cohort',
      dateOfBirth: null,
      email: null,
      tutorGroup: null,
    });
    const amelia = await person(t.store.db, schoolId, 'student', 'A100');
    // Columns the file does not have keep their stored values: DOB, preferred name, tutor group.
    assert.deepEqual([amelia?.family_name, amelia?.date_of_birth, amelia?.preferred_name], ['Smith', '2014-09-03', 'Millie']);
    assert.equal((await person(t.store.db, schoolId, 'student', 'A700'))?.year_group, 10);
    const ameliaGroups = await t.store.db.selectFrom('group_members').select('group_id').where('person_id', '=', amelia!.id).execute();
    assert.equal(ameliaGroups.length, 1);
  });
});

describe('importing a whole school', () => {
  let t: TestStore;
  let ctx: ReturnType<typeof testContext>;
  let schoolId: string;

  before(async () => {
    t = await createTestStore();
    ctx = testContext(t);
    ({ schoolId } = await seedSchool(ctx));
  });
  after(() => t.cleanup());

  it('imports 1,500 students in a few seconds, and re-imports them with no changes', async () => {
    const lines = [HEADER];
    for (let i = 0; i < 1500; i += 1) {
      const year = 7 + (i % 7);
      lines.push(`U${String(i).padStart(5, '0')},Given${i},Family${i},,${year},01/09/${2019 - year},${year}${'ABCDEF'[i % 6]}`);
    }
    const file = Buffer.from(csv(...lines));
    const started = Date.now();
    const first = await runImport(ctx, { schoolId, kind: 'students', fileName: 'all.csv', content: file, dryRun: false, actor: null });
    const firstMs = Date.now() - started;
    assert.deepEqual([first.status, first.created, first.changes.length, first.changeCount], ['applied', 1500, 500, 1500]);
    const stored = await t.store.db
      .selectFrom('people')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('kind', '=', 'student')
      .executeTakeFirstOrThrow();
    assert.equal(Number(stored.n), 1500);
    const members = await t.store.db
      .selectFrom('group_members')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(members.n), 1500);

    const again = Date.now();
    const second = await runImport(ctx, { schoolId, kind: 'students', fileName: 'all.csv', content: file, dryRun: false, actor: null });
    assert.deepEqual([second.created, second.updated, second.unchanged, second.left], [0, 0, 1500, 0]);
    assert.ok(firstMs < 10_000 && Date.now() - again < 10_000, `imports took ${firstMs} ms and ${Date.now() - again} ms`);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ROLES } from '../../access/roles.js';
import { addUser, seedSchool } from '../../testing/fixtures.js';
import { createTestStore, testContext, type TestStore } from '../../testing/store.js';
import { runImport } from './service.js';
import { csv, person, tableCounts } from './test-support.js';

const HEADER = 'Staff Code,Forename,Surname,Job Title,Email,Roles,Department';

describe('importing staff', () => {
  let t: TestStore;
  let ctx: ReturnType<typeof testContext>;
  let schoolId: string;
  let networkManagerId: string;
  const importStaff = (text: string, grantableRoles?: readonly (typeof ROLES)[number][]) =>
    runImport(ctx, {
      schoolId,
      kind: 'staff',
      fileName: 'staff.csv',
      content: Buffer.from(text),
      dryRun: false,
      actor: null,
      grantableRoles,
    });
  const rolesOf = async (misId: string) => {
    const p = await person(t.store.db, schoolId, 'staff', misId);
    const rows = await t.store.db.selectFrom('person_roles').select('role').where('person_id', '=', p!.id).orderBy('role').execute();
    return rows.map((r) => r.role);
  };

  before(async () => {
    t = await createTestStore();
    ctx = testContext(t);
    ({ schoolId } = await seedSchool(ctx));
    ({ personId: networkManagerId } = await addUser(ctx, schoolId, 'nina.network', ['staff', 'network_manager']));
  });
  after(() => t.cleanup());

  it('creates staff with the staff role plus their listed roles, job titles and teams', async () => {
    const report = await importStaff(
      csv(
        HEADER,
        'JSM,Jane,Smith,Teacher of Maths,J.Smith@School.example,,Maths',
        'DDS,Dev,Desai,Deputy Head,d.desai@school.example,dsl; head,SLT',
        'PQR,Pat,Quinn,Teaching Assistant,,,Maths',
      ),
    );
    assert.equal(report.status, 'applied');
    assert.equal(report.created, 3);
    assert.deepEqual(await rolesOf('JSM'), ['staff']);
    assert.deepEqual(await rolesOf('DDS'), ['dsl', 'head', 'staff']);
    const jane = await person(t.store.db, schoolId, 'staff', 'JSM');
    assert.deepEqual([jane?.job_title, jane?.email], ['Teacher of Maths', 'j.smith@school.example']);
    const teams = await t.store.db
      .selectFrom('groups')
      .innerJoin('group_members', 'group_members.group_id', 'groups.id')
      .innerJoin('people', 'people.id', 'group_members.person_id')
      .select(['groups.code', 'people.mis_id'])
      .where('groups.kind', '=', 'staff_team')
      .orderBy('groups.code')
      .orderBy('people.mis_id')
      .execute();
    assert.deepEqual(teams, [
      { code: 'Maths', mis_id: 'JSM' },
      { code: 'Maths', mis_id: 'PQR' },
      { code: 'SLT', mis_id: 'DDS' },
    ]);
  });

  it('never marks staff added by hand (no MIS id) as leavers, and keeps roles granted in Tutela', async () => {
    const dds = await person(t.store.db, schoolId, 'staff', 'DDS');
    await t.store.db
      .insertInto('person_roles')
      .values({ person_id: dds!.id, role: 'hr', granted_at: ctx.clock().toISOString(), granted_by: null })
      .execute();
    const report = await importStaff(
      csv(
        HEADER,
        'JSM,Jane,Smith,Teacher of Maths,j.smith@school.example,,Maths',
        'DDS,Dev,Desai,Deputy Head,d.desai@school.example,dsl;head,SLT',
      ),
    );
    assert.deepEqual([report.unchanged, report.left, report.updated], [2, 1, 0]);
    assert.equal((await person(t.store.db, schoolId, 'staff', 'PQR'))?.status, 'left');
    const nina = await t.store.db.selectFrom('people').select('status').where('id', '=', networkManagerId).executeTakeFirstOrThrow();
    assert.equal(nina.status, 'active');
    assert.deepEqual(await rolesOf('DDS'), ['dsl', 'head', 'hr', 'staff']);
  });

  it('rejects an unknown role, naming the line', async () => {
    const beforeCounts = await tableCounts(t.store.db);
    const report = await importStaff(
      csv(HEADER, 'JSM,Jane,Smith,Teacher,,teacher,Maths', 'XYZ,Xan,Young,Teacher,,,Maths', 'ABC,Abe,Cole,Teacher,,parent,Maths'),
    );
    assert.equal(report.status, 'rejected');
    assert.deepEqual(
      report.errors.map((e) => [e.line, e.field]),
      [
        [2, 'roles'],
        [4, 'roles'],
      ],
    );
    assert.match(report.errors[0]!.reason, /^unknown role "teacher": roles are student, parent, staff/);
    assert.equal(report.errors[1]!.reason, '"parent" is not a staff role');
    assert.deepEqual(await tableCounts(t.store.db), { ...beforeCounts, runs: beforeCounts.runs + 1 });
  });

  it('refuses to grant roles the importer could not grant by hand', async () => {
    const notSenior = ROLES.filter((r) => r !== 'head' && r !== 'trust_admin');
    const report = await importStaff(
      csv(HEADER, 'DDS,Dev,Desai,Deputy Head,,dsl;head,SLT', 'NEW,Ned,Ewing,Head of Year,,head,SLT'),
      notSenior,
    );
    // Dev already holds head, so only Ned's line is a grant.
    assert.equal(report.status, 'rejected');
    assert.deepEqual(report.errors, [{ line: 3, field: 'roles', reason: 'your role does not allow granting the role "head"' }]);
    assert.equal(await person(t.store.db, schoolId, 'staff', 'NEW'), undefined);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Role } from '../access/roles.js';
import { newId } from '../db/ids.js';
import { createPerson } from '../directory/setup.js';
import { addUser, seedSchool, TEST_PASSWORD } from '../testing/fixtures.js';
import { sessionPool, startTestServer } from '../testing/http.js';
import { createTestStore, type TestStore, testContext } from '../testing/store.js';

describe('image consent', () => {
  let t: TestStore;
  let ctx: ReturnType<typeof testContext>;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let as: ReturnType<typeof sessionPool>;
  let schoolId: string;
  // Pupils of class 7A: Ada (child of pat.parent), Ben (child of quinn.parent), Cal (no parent account), and Ava.
  const kids: Record<string, string> = {};
  let classId = '';
  let otherClassId = '';
  let otherSchoolStudent = '';
  let otherSchoolClass = '';
  let staffTeamId = '';

  before(async () => {
    t = await createTestStore();
    ctx = testContext(t, { TUTELA_DEMO_PASSWORD: TEST_PASSWORD });
    ({ schoolId } = await seedSchool(ctx, 'Consent School'));
    const other = await seedSchool(ctx, 'Other School');
    const user = (username: string, roles: Role[], school = schoolId) => addUser(ctx, school, username, roles, { isDemo: true });
    const teacher = await user('tia.teacher', ['staff']);
    await user('hal.head', ['staff', 'head']);
    await user('gil.governor', ['governor']);
    const student = await user('sam.student', ['student']);
    const pat = await user('pat.parent', ['parent']);
    const quinn = await user('quinn.parent', ['parent']);
    await user('nod.parent', ['parent']);
    await user('oda.head', ['staff', 'head'], other.schoolId);
    const pupil = (givenName: string, familyName: string, school = schoolId) =>
      createPerson(ctx.db, { schoolId: school, kind: 'student', givenName, familyName, yearGroup: 7 }, ctx.clock());
    kids.ada = await pupil('Ada', 'Zephyr');
    kids.ben = await pupil('Ben', 'Young');
    kids.cal = await pupil('Cal', 'Xavier');
    kids.ava = await pupil('Ava', 'Abbot');
    kids.sam = student.personId;
    otherSchoolStudent = await pupil('Olu', 'Other', other.schoolId);
    for (const [parent, child] of [
      [pat.personId, kids.ada],
      [quinn.personId, kids.ben],
    ] as const) {
      await ctx.db
        .insertInto('guardians')
        .values({ parent_id: parent, student_id: child!, relationship: 'mother', parental_responsibility: 1, priority: 1 })
        .execute();
    }
    const group = async (name: string, kind: 'class' | 'tutor_group' | 'staff_team', school = schoolId) => {
      const id = newId();
      const at = ctx.clock().toISOString();
      await ctx.db
        .insertInto('groups')
        .values({
          id,
          school_id: school,
          kind,
          name,
          code: name,
          year_group: 7,
          subject: null,
          status: 'active',
          created_at: at,
          updated_at: at,
        })
        .execute();
      return id;
    };
    classId = await group('7A', 'tutor_group');
    otherClassId = await group('7B', 'tutor_group');
    staffTeamId = await group('Maths team', 'staff_team');
    otherSchoolClass = await group('7Z', 'tutor_group', other.schoolId);
    await ctx.db
      .insertInto('group_members')
      .values([
        ...[kids.ada, kids.ben, kids.cal, kids.ava].map((id) => ({ group_id: classId, person_id: id!, member_role: 'member' as const })),
        { group_id: classId, person_id: teacher.personId, member_role: 'tutor' },
        { group_id: otherClassId, person_id: kids.sam!, member_role: 'member' },
      ])
      .execute();
    server = await startTestServer(ctx);
    as = sessionPool(server.url, TEST_PASSWORD);
  });
  after(async () => {
    await server?.close();
    await t?.cleanup();
  });

  const changes = (studentId: string) =>
    ctx.db.selectFrom('image_consent_changes').selectAll().where('student_id', '=', studentId).orderBy('changed_at').execute();

  it('starts with no consent for any use: a child is not published without a yes', async () => {
    const res = await (await as('pat.parent')).get(`/api/consent/students/${kids.ada}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.student, { id: kids.ada, name: 'Ada Zephyr', yearGroup: 7 });
    assert.deepEqual(
      res.body.uses.map((u: { use: string; granted: boolean; changedAt: string | null }) => [u.use, u.granted, u.changedAt]),
      [
        ['website', false, null],
        ['social_media', false, null],
        ['press', false, null],
        ['displays', false, null],
        ['video', false, null],
      ],
    );
    assert.deepEqual(res.body.history, []);
  });

  it('lets a parent give and withdraw consent, logging who and when, and nothing for an unchanged value', async () => {
    const parent = await as('pat.parent');
    const given = await parent.put(`/api/consent/students/${kids.ada}`, { use: 'website', granted: true });
    assert.equal(given.status, 200, JSON.stringify(given.body));
    assert.equal(given.body.changed, true);
    const website = given.body.uses.find((u: { use: string }) => u.use === 'website');
    assert.deepEqual([website.granted, website.changedByName, website.changedAt], [true, 'Pat Parent', '2026-11-24T09:00:00.000Z']);

    const again = await parent.put(`/api/consent/students/${kids.ada}`, { use: 'website', granted: true });
    assert.equal(again.status, 200);
    assert.equal(again.body.changed, false);
    assert.equal((await changes(kids.ada!)).length, 1, 'an unchanged value adds no log row');

    ctx.clock.advance(1);
    const withdrawn = await parent.put(`/api/consent/students/${kids.ada}`, { use: 'website', granted: false, note: 'Changed my mind' });
    assert.equal(withdrawn.body.changed, true);
    await parent.put(`/api/consent/students/${kids.ada}`, { use: 'displays', granted: true });

    const log = await changes(kids.ada!);
    const pat = await ctx.db.selectFrom('accounts').select('person_id').where('username', '=', 'pat.parent').executeTakeFirstOrThrow();
    assert.deepEqual(
      log.map((r) => [r.use, Number(r.granted), r.changed_by, r.changed_at, r.note]),
      [
        ['website', 1, pat.person_id, '2026-11-24T09:00:00.000Z', null],
        ['website', 0, pat.person_id, '2026-11-24T09:01:00.000Z', 'Changed my mind'],
        ['displays', 1, pat.person_id, '2026-11-24T09:01:00.000Z', null],
      ],
    );
    assert.ok(
      log.every((r) => r.address === '127.0.0.1'),
      'each change records the address it came from',
    );

    const audit = await ctx.db.selectFrom('audit_log').selectAll().where('target_id', '=', kids.ada!).orderBy('seq').execute();
    assert.deepEqual(
      audit.map((a) => [a.action, a.actor_username, JSON.parse(a.details).use]),
      [
        ['consent.granted', 'pat.parent', 'website'],
        ['consent.withdrawn', 'pat.parent', 'website'],
        ['consent.granted', 'pat.parent', 'displays'],
      ],
    );

    const view = await parent.get(`/api/consent/students/${kids.ada}`);
    assert.deepEqual(
      view.body.history.map((h: { use: string; granted: boolean; changedByName: string }) => [h.use, h.granted, h.changedByName]).sort(),
      [
        ['displays', true, 'Pat Parent'],
        ['website', false, 'Pat Parent'],
        ['website', true, 'Pat Parent'],
      ],
    );
    assert.equal(JSON.stringify(view.body).includes('127.0.0.1'), false, 'addresses stay in the log, not in the answer');
  });

  it("shows a parent only their own children, and hides another family's child as not found", async () => {
    const mine = await (await as('pat.parent')).get('/api/consent/mine');
    assert.equal(mine.status, 200);
    assert.deepEqual(
      mine.body.children.map((c: { student: { name: string } }) => c.student.name),
      ['Ada Zephyr'],
    );
    const none = await (await as('nod.parent')).get('/api/consent/mine');
    assert.deepEqual(none.body.children, []);

    const quinn = await as('quinn.parent');
    for (const id of [kids.ada, kids.cal, otherSchoolStudent, 'no-such-student']) {
      assert.equal((await quinn.get(`/api/consent/students/${id}`)).status, 404, `read ${id}`);
      const put = await quinn.put(`/api/consent/students/${id}`, { use: 'website', granted: true });
      assert.equal(put.status, 404, `change ${id}`);
    }
    // A parent with no linked child at all sees the same.
    assert.equal((await (await as('nod.parent')).get(`/api/consent/students/${kids.ben}`)).status, 404);
    assert.equal((await changes(kids.cal!)).length, 0);
    // Parents never get a class list.
    assert.equal((await quinn.get(`/api/consent/groups/${classId}`)).status, 403);
    assert.equal((await quinn.get('/api/consent/groups')).status, 403);
  });

  it('gives staff a class list with the pupils who must not appear first, and audits it', async () => {
    await (await as('quinn.parent')).put(`/api/consent/students/${kids.ben}`, { use: 'website', granted: true });
    const teacher = await as('tia.teacher');
    const res = await teacher.get(`/api/consent/groups/${classId}?use=website`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.group, { id: classId, name: '7A', kind: 'tutor_group', yearGroup: 7 });
    assert.equal(res.body.use, 'website');
    assert.deepEqual(
      res.body.pupils.map((p: { name: string; granted: boolean }) => [p.name, p.granted]),
      [
        ['Ava Abbot', false],
        ['Cal Xavier', false],
        ['Ada Zephyr', false],
        ['Ben Young', true],
      ],
    );
    assert.equal(res.body.notAllowedCount, 3);
    const ada = res.body.pupils.find((p: { id: string }) => p.id === kids.ada);
    assert.deepEqual(ada.allowed, { website: false, social_media: false, press: false, displays: true, video: false });

    const displays = await teacher.get(`/api/consent/groups/${classId}?use=displays`);
    assert.deepEqual(
      displays.body.pupils.map((p: { name: string }) => p.name),
      ['Ava Abbot', 'Cal Xavier', 'Ben Young', 'Ada Zephyr'],
    );
    assert.equal((await teacher.get(`/api/consent/groups/${classId}`)).body.use, 'website', 'website is the default use');

    const audit = await ctx.db.selectFrom('audit_log').selectAll().where('target_id', '=', classId).orderBy('seq').execute();
    assert.ok(audit.length >= 3);
    assert.deepEqual(
      [audit[0]!.action, audit[0]!.actor_username, JSON.parse(audit[0]!.details)],
      ['consent.group_viewed', 'tia.teacher', { use: 'website', pupils: 4, notAllowed: 3 }],
    );

    // Staff may also read one pupil, but not change it.
    assert.equal((await teacher.get(`/api/consent/students/${kids.ada}`)).status, 200);
    assert.equal((await teacher.put(`/api/consent/students/${kids.ada}`, { use: 'press', granted: true })).status, 403);
  });

  it("offers the teacher's own groups first in the picker", async () => {
    const res = await (await as('tia.teacher')).get('/api/consent/groups');
    assert.equal(res.status, 200);
    const names = res.body.groups.map((g: { name: string; mine: boolean }) => [g.name, g.mine]);
    assert.deepEqual(names, [
      ['7A', true],
      ['7B', false],
    ]);
    assert.ok(!JSON.stringify(res.body).includes(staffTeamId), 'staff teams are not pupils');
    assert.ok(!JSON.stringify(res.body).includes(otherSchoolClass), "another school's groups are not offered");
  });

  it('lets the head record a paper form, logged as the head', async () => {
    const head = await as('hal.head');
    const res = await head.put(`/api/consent/students/${kids.cal}`, {
      use: 'press',
      granted: true,
      note: 'Paper form returned 3 September',
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const [row] = await changes(kids.cal!);
    const hal = await ctx.db.selectFrom('accounts').select('person_id').where('username', '=', 'hal.head').executeTakeFirstOrThrow();
    assert.deepEqual(
      [row!.use, Number(row!.granted), row!.changed_by, row!.note],
      ['press', 1, hal.person_id, 'Paper form returned 3 September'],
    );
    const audit = await ctx.db.selectFrom('audit_log').selectAll().where('target_id', '=', kids.cal!).execute();
    assert.deepEqual(
      audit.map((a) => [a.action, JSON.parse(a.details).recordedAs]),
      [['consent.granted', 'school_record']],
    );
    // A first explicit "no" is recorded: a returned form saying no is not the same as no form.
    const no = await head.put(`/api/consent/students/${kids.cal}`, { use: 'video', granted: false });
    assert.equal(no.body.changed, true);
    assert.equal((await changes(kids.cal!)).length, 2);
    // Another school's head cannot reach this school's pupils, and is not told they exist.
    const oda = await as('oda.head');
    assert.equal((await oda.put(`/api/consent/students/${kids.cal}`, { use: 'press', granted: false })).status, 404);
    assert.equal((await oda.get(`/api/consent/groups/${classId}`)).status, 404);
  });

  it('refuses students and governors', async () => {
    const student = await as('sam.student');
    assert.equal((await student.put(`/api/consent/students/${kids.sam}`, { use: 'website', granted: true })).status, 403);
    assert.equal((await student.get(`/api/consent/students/${kids.sam}`)).status, 403);
    assert.equal((await student.get(`/api/consent/groups/${otherClassId}`)).status, 403);
    const governor = await as('gil.governor');
    assert.equal((await governor.get(`/api/consent/groups/${classId}`)).status, 403);
    assert.equal((await governor.get('/api/consent/groups')).status, 403);
    assert.equal((await governor.get(`/api/consent/students/${kids.ada}`)).status, 403);
    assert.equal((await governor.put(`/api/consent/students/${kids.ada}`, { use: 'website', granted: true })).status, 403);
    assert.equal((await changes(kids.sam!)).length, 0);
  });

  it('refuses bad input and unknown ids', async () => {
    const parent = await as('pat.parent');
    for (const body of [
      { use: 'billboards', granted: true },
      { use: 'website' },
      { use: 'website', granted: 'yes' },
      { granted: true },
      { use: 'website', granted: true, note: 'x'.repeat(501) },
      { use: 'website', granted: true, note: 'nul\u0000' },
      { use: 'website', granted: true, extra: 1 },
    ]) {
      const res = await parent.put(`/api/consent/students/${kids.ada}`, body);
      assert.equal(res.status, 400, `${JSON.stringify(body)} → ${res.status}`);
    }
    const big = await parent.request(
      'PUT',
      `/api/consent/students/${kids.ada}`,
      JSON.stringify({ use: 'website', granted: true, note: 'x'.repeat(2_000_000) }),
      {
        'content-type': 'application/json',
      },
    );
    assert.equal(big.status, 413);
    const teacher = await as('tia.teacher');
    assert.equal((await teacher.get(`/api/consent/groups/${classId}?use=billboards`)).status, 400);
    assert.equal((await teacher.get('/api/consent/groups/no-such-group')).status, 404);
    assert.equal((await teacher.get(`/api/consent/groups/${otherSchoolClass}`)).status, 404);
    assert.equal((await teacher.get('/api/consent/students/no-such-student')).status, 404);
    // A member of staff is a person but not a student.
    const hal = await ctx.db.selectFrom('accounts').select('person_id').where('username', '=', 'hal.head').executeTakeFirstOrThrow();
    assert.equal((await teacher.get(`/api/consent/students/${hal.person_id}`)).status, 404);
    assert.equal(
      (await (await as('hal.head')).put(`/api/consent/students/${hal.person_id}`, { use: 'website', granted: true })).status,
      404,
    );
    assert.equal((await changes(kids.ada!)).length, 3, 'nothing refused was logged');
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ensureDerivedGroups } from './service.js';
import { ApiClient, startTestServer } from '../testing/http.js';
import { addUser, seedSchool, TEST_PASSWORD } from '../testing/fixtures.js';
import { createTestStore, testContext, type TestStore } from '../testing/store.js';

describe('adding and editing people, groups and schools', () => {
  let t: TestStore;
  let ctx: ReturnType<typeof testContext>;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let schoolId: string;
  let otherTrustSchool: string;
  const ids: Record<string, { personId: string; accountId: string }> = {};

  const as = async (username: string) => {
    const c = new ApiClient(server.url);
    assert.equal((await c.signIn(username, TEST_PASSWORD)).status, 200);
    return c;
  };
  const count = async (table: 'people' | 'groups' | 'group_members' | 'schools') =>
    Number(
      (
        await ctx.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  before(async () => {
    t = await createTestStore();
    ctx = testContext(t, { TUTELA_DEMO_PASSWORD: TEST_PASSWORD });
    ({ schoolId } = await seedSchool(ctx));
    otherTrustSchool = (await seedSchool(ctx, 'Far School')).schoolId;
    await ensureDerivedGroups(ctx.db, schoolId, [7], ctx.clock());
    ids.teacher = await addUser(ctx, schoolId, 'tia.teacher', ['staff']);
    ids.netman = await addUser(ctx, schoolId, 'nat.netman', ['staff', 'network_manager'], { isDemo: true });
    ids.trust = await addUser(ctx, schoolId, 'tom.trust', ['staff', 'trust_admin'], { isDemo: true });
    ids.far = await addUser(ctx, otherTrustSchool, 'fay.far', ['staff', 'network_manager'], { isDemo: true });
    ids.student = await addUser(ctx, schoolId, 'sue.student', ['student'], { yearGroup: 7 });
    server = await startTestServer(ctx);
  });
  after(async () => {
    await server.close();
    await t.cleanup();
  });

  it('adds a guest with an end date, and refuses guests without one or with a bad one', async () => {
    const netman = await as('nat.netman');
    const before = await count('people');
    const ends = new Date(ctx.clock().getTime() + 7 * 86_400_000).toISOString();
    for (const [expiresAt, pattern] of [
      [undefined, /end/],
      ['2020-01-01T00:00:00Z', /future/],
      ['next tuesday', /not a date/],
    ] as const) {
      const res = await netman.post('/api/directory/people', { kind: 'guest', givenName: 'Gus', familyName: 'Guest', expiresAt });
      assert.equal(res.status, 400);
      assert.match(res.body.message, pattern);
    }
    assert.equal(await count('people'), before);
    const res = await netman.post('/api/directory/people', { kind: 'guest', givenName: 'Gus', familyName: 'Guest', expiresAt: ends });
    assert.equal(res.status, 201);
    assert.equal(res.body.expiresAt, ends);
    const roles = await ctx.db.selectFrom('person_roles').select('role').where('person_id', '=', res.body.id).execute();
    assert.deepEqual(
      roles.map((r) => r.role),
      ['guest'],
    );
    const audit = await ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'person.created')
      .where('target_id', '=', res.body.id)
      .execute();
    assert.equal(audit.length, 1);
  });

  it('refuses a teacher, an unknown role, and a network manager creating a headteacher', async () => {
    const before = await count('people');
    const teacher = await as('tia.teacher');
    assert.equal((await teacher.post('/api/directory/people', { kind: 'staff', givenName: 'A', familyName: 'B' })).status, 403);
    const netman = await as('nat.netman');
    const unknown = await netman.post('/api/directory/people', {
      kind: 'staff',
      givenName: 'A',
      familyName: 'B',
      roles: ['staff', 'overlord'],
    });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.message, /overlord/);
    assert.equal(
      (await netman.post('/api/directory/people', { kind: 'staff', givenName: 'A', familyName: 'B', roles: ['staff', 'head'] })).status,
      403,
    );
    assert.equal(await count('people'), before);
  });

  it('edits details with a before/after audit entry; other schools and teachers are refused', async () => {
    const netman = await as('nat.netman');
    const res = await netman.request('PATCH', `/api/directory/people/${ids.teacher!.personId}`, {
      jobTitle: 'Head of Computing',
      preferredName: 'Tee',
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.jobTitle, 'Head of Computing');
    const entry = await ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'person.updated').executeTakeFirstOrThrow();
    assert.deepEqual(
      JSON.parse(entry.details).changes.find((c: { field: string }) => c.field === 'job_title'),
      { field: 'job_title', before: null, after: 'Head of Computing' },
    );
    const far = await as('fay.far');
    assert.equal((await far.request('PATCH', `/api/directory/people/${ids.teacher!.personId}`, { jobTitle: 'x' })).status, 403);
    const teacher = await as('tia.teacher');
    assert.equal((await teacher.request('PATCH', `/api/directory/people/${ids.student!.personId}`, { givenName: 'x' })).status, 403);
  });

  it('creates a custom group, edits its members, and archives it', async () => {
    const netman = await as('nat.netman');
    const created = await netman.post('/api/directory/groups', { kind: 'custom', name: 'Digital leaders' });
    assert.equal(created.status, 201);
    assert.equal(created.body.code, 'DIGITAL-LEADERS');
    assert.equal((await netman.post('/api/directory/groups', { kind: 'custom', name: 'Digital leaders' })).status, 409);
    const gid = created.body.id as string;
    const members = `/api/directory/groups/${gid}/members`;
    const added = await netman.put(members, {
      add: [
        { personId: ids.student!.personId, memberRole: 'member' },
        { personId: ids.teacher!.personId, memberRole: 'lead' },
      ],
    });
    assert.deepEqual(added.body, { total: 2 });
    // A person of another school is refused and nothing changes.
    const foreign = await netman.put(members, { add: [{ personId: ids.far!.personId, memberRole: 'member' }] });
    assert.equal(foreign.status, 400);
    assert.equal((await ctx.db.selectFrom('group_members').selectAll().where('group_id', '=', gid).execute()).length, 2);
    assert.deepEqual((await netman.put(members, { remove: [ids.student!.personId] })).body, { total: 1 });
    const teacher = await as('tia.teacher');
    assert.equal((await teacher.put(members, { remove: [ids.teacher!.personId] })).status, 403);
    assert.equal((await netman.post(`/api/directory/groups/${gid}/archive`)).status, 200);
    const listed = await netman.get('/api/directory/groups?kind=custom');
    assert.equal(listed.body.length, 0);
    assert.equal((await netman.put(members, { remove: [ids.teacher!.personId] })).status, 400);
  });

  it('refuses editing the members of a derived year group', async () => {
    const netman = await as('nat.netman');
    const year7 = (await netman.get('/api/directory/groups?kind=year_group')).body[0];
    const res = await netman.put(`/api/directory/groups/${year7.id}/members`, { remove: [ids.student!.personId] });
    assert.equal(res.status, 400);
    assert.match(res.body.message, /year group/);
  });

  it('lets a trust administrator add a school and browse it; others are refused', async () => {
    const netman = await as('nat.netman');
    assert.equal((await netman.post('/api/directory/schools', { name: 'New Primary', phase: 'primary' })).status, 403);
    const trust = await as('tom.trust');
    const before = await count('schools');
    const res = await trust.post('/api/directory/schools', { name: 'New Primary', urn: '654321', phase: 'primary' });
    assert.equal(res.status, 201);
    assert.equal((await trust.post('/api/directory/schools', { name: 'Copy', urn: '654321', phase: 'primary' })).status, 409);
    assert.equal(await count('schools'), before + 1);
    const guest = await trust.post('/api/directory/people', {
      kind: 'staff',
      givenName: 'New',
      familyName: 'Teacher',
      schoolId: res.body.id,
    });
    assert.equal(guest.status, 201);
    const people = await trust.get(`/api/directory/people?schoolId=${res.body.id}`);
    assert.equal(people.body.total, 1);
    assert.equal((await trust.get(`/api/directory/people?schoolId=${otherTrustSchool}`)).status, 403);
    assert.equal((await netman.get(`/api/directory/people?schoolId=${res.body.id}`)).status, 403);

    // Imports and accounts follow the chosen school too, within the trust only.
    const file = {
      kind: 'students',
      fileName: 's.csv',
      contentBase64: Buffer.from('UPN,Forename,Surname,Year\nC123456789012,Cai,Jones,3\n').toString('base64'),
      dryRun: false,
    };
    const imported = await trust.post('/api/directory/imports', { ...file, schoolId: res.body.id });
    assert.equal(imported.status, 200, JSON.stringify(imported.body));
    const student = await ctx.db.selectFrom('people').select('school_id').where('mis_id', '=', 'C123456789012').executeTakeFirstOrThrow();
    assert.equal(student.school_id, res.body.id);
    assert.equal((await trust.get(`/api/directory/imports?schoolId=${res.body.id}`)).body.length, 1);
    assert.equal((await netman.post('/api/directory/imports', { ...file, schoolId: res.body.id })).status, 403);
    assert.equal((await trust.post('/api/directory/imports', { ...file, schoolId: otherTrustSchool })).status, 403);
    assert.equal((await trust.get(`/api/users?schoolId=${res.body.id}`)).status, 200);
    assert.equal((await netman.get(`/api/users?schoolId=${res.body.id}`)).status, 403);
  });
});

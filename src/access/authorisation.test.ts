import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { ApiClient, startTestServer } from '../testing/http.js';
import { addUser, seedSchool, TEST_PASSWORD } from '../testing/fixtures.js';
import { createTestStore, testContext, type TestStore } from '../testing/store.js';
import { rulesAsMarkdown } from './policy.js';

describe('authorisation through the API', () => {
  let t: TestStore;
  let ctx: ReturnType<typeof testContext>;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  const ids: Record<string, { personId: string; accountId: string }> = {};
  let otherStudent: string;

  const as = async (username: string) => {
    const c = new ApiClient(server.url);
    const res = await c.signIn(username, TEST_PASSWORD);
    assert.equal(res.status, 200, `${username} signs in`);
    return c;
  };

  before(async () => {
    t = await createTestStore();
    // Demo-flagged accounts with a demo password skip TOTP, which keeps this test about roles.
    ctx = testContext(t, { TUTELA_DEMO_PASSWORD: TEST_PASSWORD });
    const { schoolId, trustId } = await seedSchool(ctx, 'North School');
    const south = await seedSchool(ctx, 'South School', trustId);
    const elsewhere = await seedSchool(ctx, 'Elsewhere School');
    const demo = { isDemo: true };
    for (const [u, roles, opts] of [
      ['tia.teacher', ['staff'], {}],
      ['nat.netman', ['staff', 'network_manager'], demo],
      ['hal.head', ['staff', 'head'], demo],
      ['gil.governor', ['governor'], {}],
      ['sue.student', ['student'], { yearGroup: 8 }],
      ['pam.parent', ['parent'], {}],
      ['tom.trustadmin', ['staff', 'trust_admin'], demo],
    ] as const) {
      ids[u] = await addUser(ctx, schoolId, u, [...roles], opts);
    }
    ids['sid.south'] = await addUser(ctx, south.schoolId, 'sid.south', ['staff', 'network_manager'], demo);
    ids['eve.elsewhere'] = await addUser(ctx, elsewhere.schoolId, 'eve.elsewhere', ['staff', 'trust_admin'], demo);
    otherStudent = (await addUser(ctx, schoolId, 'oli.student', ['student'], { yearGroup: 8 })).personId;
    await ctx.db
      .insertInto('guardians')
      .values({
        parent_id: ids['pam.parent']!.personId,
        student_id: ids['sue.student']!.personId,
        relationship: 'Mother',
        parental_responsibility: 1,
        priority: 1,
      })
      .execute();
    server = await startTestServer(ctx);
  });
  after(async () => {
    await server.close();
    await t.cleanup();
  });

  it('refuses a teacher user administration, and lets the network manager in', async () => {
    const teacher = await as('tia.teacher');
    const res = await teacher.get('/api/users');
    assert.equal(res.status, 403);
    assert.equal(res.body.error, 'forbidden');
    const reset = await teacher.post(`/api/users/${ids['sue.student']!.accountId}/reset-password`, {});
    assert.equal(reset.status, 403);
    const netman = await as('nat.netman');
    const list = await netman.get('/api/users');
    assert.equal(list.status, 200);
    assert.ok(list.body.some((u: { username: string }) => u.username === 'tia.teacher'));
    // Search ignores case on both databases.
    const found = await netman.get('/api/users?q=TEACHER');
    assert.deepEqual(
      found.body.map((u: { username: string }) => u.username),
      ['tia.teacher'],
    );
  });

  it('shows a governor counts but never names', async () => {
    const governor = await as('gil.governor');
    assert.equal((await governor.get('/api/directory/people')).status, 403);
    assert.equal((await governor.get(`/api/directory/people/${ids['sue.student']!.personId}`)).status, 403);
    assert.equal((await governor.get('/api/directory/groups')).status, 403);
    const stats = await governor.get('/api/directory/stats');
    assert.equal(stats.status, 200);
    assert.equal(stats.body.people.student, 2);
    assert.doesNotMatch(JSON.stringify(stats.body), /Sue|Student/);
  });

  it('keeps each school to its own records; a trust administrator sees the trust but not other trusts', async () => {
    const south = await as('sid.south');
    const cross = await south.get(`/api/directory/people/${ids['sue.student']!.personId}`);
    assert.equal(cross.status, 403);
    const list = await south.get('/api/directory/people?q=sue');
    assert.equal(list.body.total, 0);
    const disable = await south.post(`/api/users/${ids['tia.teacher']!.accountId}/disable`);
    assert.equal(disable.status, 403);

    const trustAdmin = await as('tom.trustadmin');
    assert.equal((await trustAdmin.get(`/api/directory/people/${ids['sid.south']!.personId}`)).status, 200);
    const outsider = await as('eve.elsewhere');
    assert.equal((await outsider.get(`/api/directory/people/${ids['sue.student']!.personId}`)).status, 403);
  });

  it('lets a parent read their child but no other child, and a student only themselves', async () => {
    const parent = await as('pam.parent');
    assert.equal((await parent.get(`/api/directory/people/${ids['sue.student']!.personId}`)).status, 200);
    assert.equal((await parent.get(`/api/directory/people/${otherStudent}`)).status, 403);
    assert.equal((await parent.get('/api/directory/people')).status, 403);
    const student = await as('sue.student');
    assert.equal((await student.get(`/api/directory/people/${ids['sue.student']!.personId}`)).status, 200);
    assert.equal((await student.get(`/api/directory/people/${otherStudent}`)).status, 403);
  });

  it('records every read of another person’s record in the audit log', async () => {
    const teacher = await as('tia.teacher');
    assert.equal((await teacher.get(`/api/directory/people/${otherStudent}`)).status, 200);
    const reads = await ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'person.read')
      .where('target_id', '=', otherStudent)
      .execute();
    assert.ok(reads.some((r) => r.actor_username === 'tia.teacher'));
  });

  it('refuses an unknown role, and a network manager promoting someone to headteacher', async () => {
    const target = ids['tia.teacher']!.personId;
    const teacher = await as('tia.teacher');
    assert.equal((await teacher.put(`/api/directory/people/${target}/roles`, { roles: ['staff', 'network_manager'] })).status, 403);
    const netman = await as('nat.netman');
    const unknown = await netman.put(`/api/directory/people/${target}/roles`, { roles: ['staff', 'wizard'] });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error, 'validation_failed');
    assert.match(unknown.body.message, /wizard/);
    const promote = await netman.put(`/api/directory/people/${target}/roles`, { roles: ['staff', 'head'] });
    assert.equal(promote.status, 403);
    const offered = (await netman.get('/api/directory/me')).body.grantableRoles;
    assert.ok(offered.includes('dsl') && !offered.includes('head') && !offered.includes('trust_admin'));
    assert.deepEqual((await teacher.get('/api/directory/me')).body.grantableRoles, []);
    const ok = await netman.put(`/api/directory/people/${target}/roles`, { roles: ['staff', 'dsl'] });
    assert.equal(ok.status, 200);
    const roles = await ctx.db.selectFrom('person_roles').select('role').where('person_id', '=', target).orderBy('role').execute();
    assert.deepEqual(
      roles.map((r) => r.role),
      ['dsl', 'staff'],
    );
  });

  it('keeps docs/AUTHORISATION.md equal to the policy table in code', () => {
    const doc = readFileSync(new URL('../../docs/AUTHORISATION.md', import.meta.url), 'utf8');
    assert.ok(doc.includes(rulesAsMarkdown()), 'regenerate the table with `npm run docs:authz`');
  });
});

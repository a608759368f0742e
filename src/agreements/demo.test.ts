import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAccount } from '../auth/users.js';
import { createDemoSchool } from '../demo/demo-school.js';
import { createPerson } from '../directory/setup.js';
import { sessionPool, startTestServer } from '../testing/http.js';
import { createTestStore, testContext, type TestStore } from '../testing/store.js';

/*
 * The "Done when" for agreements, on the demo school as `tutela start --demo` makes it:
 * a staff account made afterwards cannot proceed until it accepts, and `demo.parent` accepts
 * for `demo.student7`. Demo accounts skip two-step sign-in while a demo password is set.
 */
const PASSWORD = 'riverside-demo';

describe('agreements on the demo school', () => {
  let t: TestStore;
  let ctx: ReturnType<typeof testContext>;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let as: ReturnType<typeof sessionPool>;
  let schoolId = '';

  before(async () => {
    t = await createTestStore();
    ctx = testContext(t, { TUTELA_DEMO_PASSWORD: PASSWORD });
    schoolId = (await createDemoSchool(ctx, { password: PASSWORD })).schoolId;
    server = await startTestServer(ctx);
    as = sessionPool(server.url, PASSWORD);
  });

  after(async () => {
    await server?.close();
    await t?.cleanup();
  });

  it('publishes every default agreement and records most people’s acceptance, the same way for a seed', async () => {
    const docs = await ctx.db.selectFrom('agreement_documents').select(['audience', 'version']).where('school_id', '=', schoolId).execute();
    assert.deepEqual(docs.map((d) => `${d.audience}:${d.version}`).sort(), [
      'community:1',
      'ks1:1',
      'ks2:1',
      'parent:1',
      'secondary:1',
      'staff:1',
    ]);
    const head = await as('demo.head');
    const coverage = (await head.get('/api/agreements/coverage')).body;
    const share = coverage.totals.accepted / coverage.totals.people;
    assert.ok(share > 0.8 && share < 0.9, `${share}`);
    // Fixed by the default seed: a change here means the demo is no longer deterministic.
    assert.deepEqual(coverage.totals, { people: 2966, accepted: 2544, outstanding: 422 });
    const staff = (await head.get('/api/agreements/coverage?audience=staff')).body;
    assert.ok(staff.totals.outstanding > 0 && staff.totals.outstanding < staff.totals.people / 5, JSON.stringify(staff.totals));
    assert.ok(staff.byGroup.some((g: { kind: string }) => g.kind === 'staff_team'));
    for (const username of ['demo.head', 'demo.teacher', 'demo.governor', 'demo.parent']) {
      assert.equal((await (await as(username)).get('/api/directory/me')).body.agreementRequired, false, username);
    }
  });

  it('lets demo.parent accept for demo.student7', async () => {
    const parent = await as('demo.parent');
    const student7 = await ctx.db
      .selectFrom('accounts')
      .select('person_id')
      .where('username', '=', 'demo.student7')
      .executeTakeFirstOrThrow();
    const mine = (await parent.get('/api/agreements/mine')).body;
    const child = mine.agreements.find((a: { personId: string }) => a.personId === student7.person_id);
    assert.equal(child.audience, 'secondary');
    assert.equal(child.onBehalf, true);
    assert.equal(child.canAccept, true);
    assert.equal(child.due, true);
    assert.equal(child.accepted, null);
    const res = await parent.post('/api/agreements/accept', { documentId: child.document.id, personId: student7.person_id });
    assert.equal(res.status, 200);
    assert.equal(res.body.onBehalf, true);
    const student = await as('demo.student7');
    const own = (await student.get('/api/agreements/mine')).body.agreements[0];
    assert.equal(own.due, false);
    assert.equal(own.accepted.version, 1);
  });

  it('holds a staff account made after the demo until it accepts the staff agreement', async () => {
    const personId = await createPerson(
      ctx.db,
      { schoolId, kind: 'staff', givenName: 'Nadia', familyName: 'Newstart', jobTitle: 'Teaching assistant', roles: ['staff'] },
      ctx.clock(),
    );
    await createAccount(
      ctx.db,
      { personId, username: 'nadia.newstart', password: 'lantern-meadow-otter-14' },
      { actor: null, ip: null, now: ctx.clock() },
    );
    const nadia = await sessionPool(server.url, 'lantern-meadow-otter-14')('nadia.newstart');
    const blocked = await nadia.get('/api/directory/people');
    assert.equal(blocked.status, 403);
    assert.equal(blocked.body.error, 'agreement.required');
    assert.equal((await nadia.get('/api/directory/me')).body.agreementRequired, true);
    const mine = (await nadia.get('/api/agreements/mine')).body;
    assert.equal(mine.required, true);
    assert.equal(mine.agreements[0].audience, 'staff');
    const res = await nadia.post('/api/agreements/accept', { documentId: mine.agreements[0].document.id, personId });
    assert.equal(res.status, 200);
    assert.equal((await nadia.get('/api/directory/people')).status, 200);
  });
});

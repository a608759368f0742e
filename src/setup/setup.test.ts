import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verifyAuditChain } from '../audit/service.js';
import { ApiClient, startTestServer } from '../testing/http.js';
import { createTestStore, testContext, type TestStore } from '../testing/store.js';
import { issueSetupToken } from './service.js';

describe('first-run setup', () => {
  let t: TestStore;
  let ctx: ReturnType<typeof testContext>;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let token: string;
  const body = (overrides: Record<string, unknown> = {}) => ({
    token,
    trustName: 'Hillside Trust',
    schoolName: 'Hillside High School',
    urn: '123456',
    phase: 'secondary',
    admin: {
      givenName: 'Nia',
      familyName: 'Evans',
      email: 'n.evans@hillside.sch.uk',
      username: 'n.evans',
      password: 'a-long-enough-password',
    },
    ...overrides,
  });

  before(async () => {
    t = await createTestStore();
    ctx = testContext(t);
    token = await issueSetupToken(ctx.db);
    server = await startTestServer(ctx);
  });
  after(async () => {
    await server.close();
    await t.cleanup();
  });

  it('says setup is needed on an empty database', async () => {
    assert.deepEqual((await new ApiClient(server.url).get('/api/setup')).body, { needed: true });
  });

  it('refuses a wrong token and a weak password, creating nothing', async () => {
    const c = new ApiClient(server.url);
    const wrong = await c.post('/api/setup', body({ token: 'guessed' }));
    assert.equal(wrong.status, 403);
    const weak = await c.post('/api/setup', body({ admin: { givenName: 'N', familyName: 'E', username: 'n.evans', password: 'short' } }));
    assert.equal(weak.status, 400);
    assert.equal(weak.body.error, 'validation_failed');
    assert.equal((await ctx.db.selectFrom('schools').selectAll().execute()).length, 0);
  });

  it('creates the trust, school and first administrator, who must then enrol TOTP', async () => {
    const c = new ApiClient(server.url);
    const res = await c.post('/api/setup', body());
    assert.equal(res.status, 201);
    const school = await ctx.db.selectFrom('schools').selectAll().executeTakeFirstOrThrow();
    assert.equal(school.name, 'Hillside High School');
    const signIn = await c.signIn('n.evans', 'a-long-enough-password');
    assert.equal(signIn.body.stage, 'totp_enrolment_required');
    assert.equal((await c.get('/api/setup')).body.needed, false);
    const again = await new ApiClient(server.url).post('/api/setup', body());
    assert.equal(again.status, 403);
    assert.equal((await ctx.db.selectFrom('schools').selectAll().execute()).length, 1);
    assert.equal((await verifyAuditChain(ctx.db)).ok, true);
  });
});

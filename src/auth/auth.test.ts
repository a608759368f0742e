import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiClient, startTestServer } from '../testing/http.js';
import { addUser, seedSchool, TEST_PASSWORD } from '../testing/fixtures.js';
import { createTestStore, testContext, type TestStore } from '../testing/store.js';
import { totpCodeAt } from './totp.js';

describe('sign-in', () => {
  let t: TestStore;
  let ctx: ReturnType<typeof testContext>;
  let server: Awaited<ReturnType<typeof startTestServer>>;

  before(async () => {
    t = await createTestStore();
    ctx = testContext(t);
    const { schoolId } = await seedSchool(ctx);
    await addUser(ctx, schoolId, 'sam.teacher', ['staff']);
    await addUser(ctx, schoolId, 'dee.dsl', ['staff', 'dsl']);
    server = await startTestServer(ctx);
  });
  after(async () => {
    await server.close();
    await t.cleanup();
  });

  it('signs a teacher in with a password and reads the session', async () => {
    const c = new ApiClient(server.url);
    const res = await c.signIn('sam.teacher', TEST_PASSWORD);
    assert.equal(res.status, 200);
    assert.equal(res.body.stage, 'active');
    assert.deepEqual(res.body.user.roles, ['staff']);
    const me = await c.get('/api/directory/me');
    assert.equal(me.status, 200);
    assert.equal(me.body.username, 'sam.teacher');
  });

  it('refuses a wrong password with a clear error', async () => {
    const c = new ApiClient(server.url);
    const res = await c.signIn('sam.teacher', 'wrong-password-here');
    assert.equal(res.status, 401);
    assert.equal(res.body.error, 'invalid_credentials');
    assert.equal((await c.get('/api/directory/me')).status, 401);
  });

  it('makes a DSL enrol in TOTP before anything else, then challenges for it', async () => {
    const c = new ApiClient(server.url);
    const first = await c.signIn('dee.dsl', TEST_PASSWORD);
    assert.equal(first.body.stage, 'totp_enrolment_required');
    const blocked = await c.get('/api/directory/me');
    assert.equal(blocked.body.error, 'totp_enrolment_required');
    const enrol = await c.post('/api/auth/totp/enrol');
    assert.equal(enrol.status, 200);
    assert.match(enrol.body.uri, /^otpauth:\/\/totp\//);
    const wrong = await c.post('/api/auth/totp/confirm', { code: '000000' });
    assert.equal(wrong.body.error, 'invalid_totp');
    const ok = await c.post('/api/auth/totp/confirm', { code: totpCodeAt(enrol.body.secret, ctx.clock()) });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.stage, 'active');

    const again = new ApiClient(server.url);
    const challenged = await again.signIn('dee.dsl', TEST_PASSWORD);
    assert.equal(challenged.body.stage, 'totp_required');
    // The code already used at enrolment cannot be replayed.
    const replay = await again.post('/api/auth/totp/verify', { code: totpCodeAt(enrol.body.secret, ctx.clock()) });
    assert.equal(replay.body.error, 'invalid_totp');
    ctx.clock.advance(1);
    const next = await again.post('/api/auth/totp/verify', { code: totpCodeAt(enrol.body.secret, ctx.clock()) });
    assert.equal(next.status, 200);
    assert.equal(next.body.stage, 'active');
  });
});

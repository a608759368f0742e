import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiClient, startTestServer } from '../testing/http.js';
import { addUser, seedSchool, TEST_PASSWORD } from '../testing/fixtures.js';
import { createTestStore, testContext, type TestStore } from '../testing/store.js';

describe('sign-in hardening', () => {
  let t: TestStore;
  let ctx: ReturnType<typeof testContext>;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let schoolId: string;

  before(async () => {
    t = await createTestStore();
    ctx = testContext(t, { TUTELA_SIGNIN_MAX_FAILURES: '3', TUTELA_SIGNIN_LOCKOUT_MINUTES: '15', TUTELA_IDLE_LOCK_MINUTES: '10' });
    ({ schoolId } = await seedSchool(ctx));
    await addUser(ctx, schoolId, 'lee.teacher', ['staff']);
    await addUser(ctx, schoolId, 'idle.teacher', ['staff']);
    await addUser(ctx, schoolId, 'csrf.teacher', ['staff']);
    server = await startTestServer(ctx);
  });
  after(async () => {
    await server.close();
    await t.cleanup();
  });

  it('locks an account after repeated failures, even against the right password, and unlocks on time', async () => {
    const c = new ApiClient(server.url);
    for (let i = 0; i < 3; i++) assert.equal((await c.signIn('lee.teacher', 'not-the-password')).body.error, 'invalid_credentials');
    const locked = await c.signIn('lee.teacher', TEST_PASSWORD);
    assert.equal(locked.status, 423);
    assert.equal(locked.body.error, 'account_locked');
    const audit = await ctx.db.selectFrom('audit_log').select('action').where('action', '=', 'auth.account_locked').execute();
    assert.equal(audit.length, 1);
    ctx.clock.advance(16);
    assert.equal((await c.signIn('lee.teacher', TEST_PASSWORD)).status, 200);
  });

  it('gives an unknown user the same answer as a wrong password', async () => {
    const res = await new ApiClient(server.url).signIn('nobody.here', 'whatever-it-is');
    assert.equal(res.status, 401);
    assert.equal(res.body.error, 'invalid_credentials');
  });

  it('locks an idle session and unlocks it with the password', async () => {
    const c = new ApiClient(server.url);
    assert.equal((await c.signIn('idle.teacher', TEST_PASSWORD)).status, 200);
    ctx.clock.advance(11);
    const locked = await c.get('/api/directory/me');
    assert.equal(locked.status, 401);
    assert.equal(locked.body.error, 'session_locked');
    const session = await c.get('/api/auth/session');
    assert.equal(session.body.locked, true);
    assert.equal((await c.post('/api/auth/unlock', { password: 'wrong-password-x' })).body.error, 'invalid_credentials');
    assert.equal((await c.post('/api/auth/unlock', { password: TEST_PASSWORD })).status, 200);
    assert.equal((await c.get('/api/directory/me')).status, 200);
  });

  it('refuses state changes without the CSRF token, with another session’s token, or with a token replayed after sign-out', async () => {
    const a = new ApiClient(server.url);
    const b = new ApiClient(server.url);
    await a.signIn('csrf.teacher', TEST_PASSWORD);
    await b.signIn('idle.teacher', TEST_PASSWORD);
    const none = await a.request('POST', '/api/auth/sign-out', {}, { 'x-csrf-token': '' });
    assert.equal(none.body.error, 'csrf_failed');
    const foreign = await a.request('POST', '/api/auth/sign-out', {}, { 'x-csrf-token': b.csrf! });
    assert.equal(foreign.body.error, 'csrf_failed');
    const oldToken = a.csrf!;
    const oldCookie = a.cookie!;
    assert.equal((await a.post('/api/auth/sign-out')).status, 204);
    // Replaying the old cookie and token after sign-out does nothing.
    const replay = await fetch(server.url + '/api/auth/sign-out', {
      method: 'POST',
      headers: { cookie: oldCookie, 'x-csrf-token': oldToken, 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(replay.status, 401);
  });

  it('refuses a form-encoded post, which a cross-site form could send', async () => {
    const res = await fetch(server.url + '/api/auth/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `username=lee.teacher&password=${TEST_PASSWORD}`,
    });
    assert.equal(res.status, 415);
    assert.equal(((await res.json()) as { error: string }).error, 'unsupported_media_type');
  });

  it('refuses an oversized body with 413', async () => {
    const res = await new ApiClient(server.url).post('/api/auth/sign-in', { username: 'x', password: 'y'.repeat(2 * 1024 * 1024) });
    assert.equal(res.status, 413);
    assert.equal(res.body.error, 'payload_too_large');
  });

  it('refuses expired guests, disabled accounts and people who have left', async () => {
    await addUser(ctx, schoolId, 'old.guest', ['guest'], { expiresAt: new Date(ctx.clock().getTime() - 60_000).toISOString() });
    const expired = await new ApiClient(server.url).signIn('old.guest', TEST_PASSWORD);
    assert.equal(expired.status, 403);
    assert.equal(expired.body.error, 'account_expired');

    const gone = await addUser(ctx, schoolId, 'gone.teacher', ['staff']);
    const c = new ApiClient(server.url);
    assert.equal((await c.signIn('gone.teacher', TEST_PASSWORD)).status, 200);
    await ctx.db.updateTable('people').set({ status: 'left' }).where('id', '=', gone.personId).execute();
    // A live session ends as soon as the person has left.
    assert.equal((await c.get('/api/directory/me')).body.error, 'account_disabled');
    assert.equal((await new ApiClient(server.url).signIn('gone.teacher', TEST_PASSWORD)).body.error, 'account_disabled');
  });

  it('lets a user change their own password, ending their other sessions', async () => {
    await addUser(ctx, schoolId, 'pat.teacher', ['staff']);
    const here = new ApiClient(server.url);
    const elsewhere = new ApiClient(server.url);
    await here.signIn('pat.teacher', TEST_PASSWORD);
    await elsewhere.signIn('pat.teacher', TEST_PASSWORD);
    const wrong = await here.post('/api/auth/password', { currentPassword: 'not-it-at-all', newPassword: 'a-brand-new-password' });
    assert.equal(wrong.body.error, 'invalid_credentials');
    const weak = await here.post('/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'short' });
    assert.equal(weak.body.error, 'validation_failed');
    const same = await here.post('/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD });
    assert.equal(same.body.error, 'validation_failed');
    assert.equal(
      (await here.post('/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'a-brand-new-password' })).status,
      204,
    );
    assert.equal((await here.get('/api/directory/me')).status, 200);
    assert.equal((await elsewhere.get('/api/directory/me')).status, 401);
    assert.equal((await new ApiClient(server.url).signIn('pat.teacher', TEST_PASSWORD)).status, 401);
    assert.equal((await new ApiClient(server.url).signIn('pat.teacher', 'a-brand-new-password')).status, 200);
  });

  it('rate-limits sign-in attempts from one address', async () => {
    const limited = testContext(t, { TUTELA_SIGNIN_PER_ADDRESS_PER_MINUTE: '3' }, ctx.clock);
    const s = await startTestServer(limited);
    try {
      const c = new ApiClient(s.url);
      for (let i = 0; i < 3; i++) assert.notEqual((await c.signIn('nobody', 'x')).status, 429);
      const res = await c.signIn('nobody', 'x');
      assert.equal(res.status, 429);
      assert.equal(res.body.error, 'rate_limited');
      assert.ok(Number(res.headers.get('retry-after')) > 0);
    } finally {
      await s.close();
    }
  });
});

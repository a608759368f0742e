import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { addUser, seedSchool, TEST_PASSWORD } from '../../testing/fixtures.js';
import { createTestStore, testContext, type TestStore } from '../../testing/store.js';
import { checkFilterCredentials } from './authenticate.js';

describe('filter credentials (proxy and block-page sign-in)', () => {
  let t: TestStore;
  beforeEach(async () => {
    t = await createTestStore();
  });
  afterEach(async () => t.cleanup());

  it('accepts a good password and refuses what the web sign-in refuses', async () => {
    const ctx = testContext(t, { TUTELA_SIGNIN_MAX_FAILURES: '3' });
    const { schoolId } = await seedSchool(ctx);
    const sam = await addUser(ctx, schoolId, 'sam.student', ['student'], { yearGroup: 9 });
    await addUser(ctx, schoolId, 'gus.guest', ['guest'], { expiresAt: '2026-11-24T08:00:00.000Z' });
    const left = await addUser(ctx, schoolId, 'lea.left', ['student'], { yearGroup: 9 });
    await ctx.db.updateTable('people').set({ status: 'left' }).where('id', '=', left.personId).execute();

    const good = await checkFilterCredentials(ctx, ' Sam.Student ', TEST_PASSWORD, '10.0.0.1');
    assert.deepEqual(good, { ok: true, personId: sam.personId, schoolId, accountId: sam.accountId, username: 'sam.student' });
    const refusal = async (username: string, password = TEST_PASSWORD) => {
      const check = await checkFilterCredentials(ctx, username, password, '10.0.0.1');
      return check.ok ? 'accepted' : check.error.id;
    };
    assert.equal(await refusal('nobody'), 'invalid_credentials');
    assert.equal(await refusal('gus.guest'), 'account_expired');
    assert.equal(await refusal('lea.left'), 'account_disabled');

    // Wrong passwords count towards the lockout; once locked, even the right one is refused.
    for (let i = 0; i < 3; i++) assert.equal(await refusal('sam.student', 'wrong-password'), 'invalid_credentials');
    assert.equal(await refusal('sam.student'), 'account_locked');
    const audit = await ctx.db.selectFrom('audit_log').select('action').where('action', '=', 'auth.account_locked').execute();
    assert.equal(audit.length, 1);
    ctx.clock.advance(ctx.config.signIn.lockoutMinutes + 1);
    assert.equal((await checkFilterCredentials(ctx, 'sam.student', TEST_PASSWORD, null)).ok, true);

    await ctx.db.updateTable('accounts').set({ disabled_at: ctx.clock().toISOString() }).where('id', '=', sam.accountId).execute();
    assert.equal(await refusal('sam.student'), 'account_disabled');
  });
});

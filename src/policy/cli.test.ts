import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addUser, seedSchool } from '../testing/fixtures.js';
import { createTestStore, testContext, type TestStore } from '../testing/store.js';
import { addDays, schoolToday } from '../training/rules.js';
import { ensurePolicy } from './service.js';
import { runCli } from '../testing/cli.js';

describe('tutela policy remind', () => {
  let t: TestStore;
  let headId = '';
  const run = (...args: string[]) => runCli(t, args);

  before(async () => {
    t = await createTestStore();
    const ctx = testContext(t);
    const { schoolId } = await seedSchool(ctx, 'Reminder Academy');
    headId = (await addUser(ctx, schoolId, 'hal.head', ['staff', 'head'])).personId;
    await addUser(ctx, schoolId, 'tia.teacher', ['staff']);
    // The command runs on the real clock, so the review falls ten days from the real today.
    const today = schoolToday(new Date());
    await ensurePolicy(ctx.db, schoolId, new Date());
    await ctx.db
      .updateTable('policy_versions')
      .set({ status: 'approved', approved_on: today, approved_by_body: 'FGB', minute_ref: '1', next_review_on: addDays(today, 10) })
      .where('school_id', '=', schoolId)
      .execute();
  });
  after(async () => t.cleanup());

  it('reminds the head once for the review date', async () => {
    const first = run('policy', 'remind');
    assert.equal(first.code, 0, first.err);
    assert.match(first.out, /^Reminder Academy: review due by \d{4}-\d{2}-\d{2}; 1 notified, 0 e-mailed$/m);
    const notes = await t.store.db.selectFrom('notifications').select('recipient_person_id').where('kind', '=', 'policy.review').execute();
    assert.deepEqual(
      notes.map((n) => n.recipient_person_id),
      [headId],
    );
    const again = run('policy', 'remind', '--json');
    assert.equal(again.code, 0, again.err);
    assert.deepEqual(JSON.parse(again.out), []);
  });
});

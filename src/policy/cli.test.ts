import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { addUser, seedSchool } from '../testing/fixtures.js';
import { createTestStore, testContext, type TestStore } from '../testing/store.js';
import { addDays, schoolToday } from '../training/rules.js';
import { ensurePolicy } from './service.js';

// The built program, exactly as a school runs it (npm test builds before testing).
const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/cli/main.js');

describe('tutela policy remind', () => {
  let t: TestStore;
  let headId = '';
  const run = (...args: string[]) => {
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      TUTELA_DATA_DIR: t.dataDir,
      TUTELA_LOG_LEVEL: 'silent',
    };
    if (t.databaseUrl) env.DATABASE_URL = t.databaseUrl;
    else delete env.DATABASE_URL;
    const r = spawnSync(process.execPath, [MAIN, ...args], { env, encoding: 'utf8', timeout: 60_000 });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

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

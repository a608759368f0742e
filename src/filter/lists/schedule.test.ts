import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestStore, testContext, type TestStore } from '../../testing/store.js';
import { startListSchedule } from './schedule.js';
import { listRows, tempDir, writeTree } from './test-support.js';

function recordingLog() {
  const lines: { level: 'info' | 'warn'; fields: Record<string, unknown>; message?: string }[] = [];
  return {
    lines,
    info: (fields: object, message?: string) => lines.push({ level: 'info', fields: fields as Record<string, unknown>, message }),
    warn: (fields: object, message?: string) => lines.push({ level: 'warn', fields: fields as Record<string, unknown>, message }),
  };
}

describe('list schedule', () => {
  let t: TestStore;
  let work: ReturnType<typeof tempDir>;
  let tree: string;

  before(async () => {
    t = await createTestStore();
    work = tempDir();
    tree = writeTree(path.join(work.dir, 'ut1'), { gambling: { domains: ['bet.example'] }, chat: { domains: ['talk.example'] } });
  });
  after(async () => {
    work.remove();
    await t.cleanup();
  });

  it('refreshes the locked lists and imports UT1 at start when it was never imported', async () => {
    const ctx = testContext(t, { TUTELA_UT1_SOURCE: tree, TUTELA_LIST_UPDATE_HOURS: '0' });
    const log = recordingLog();
    const schedule = startListSchedule(ctx, log);
    await schedule.firstRun;
    schedule.stop();
    assert.deepEqual(
      (await listRows(t.store.db)).map((r) => `${r.source}/${r.category}`),
      ['locked:test/illegal_csam', 'locked:test/illegal_terrorism', 'ut1/gambling', 'ut1/messaging_chat'],
    );
    assert.ok(log.lines.some((l) => l.message === 'category lists checked' && l.fields.status === 'applied'));
  });

  it('does not import again at start once lists exist', async () => {
    const ctx = testContext(t, { TUTELA_UT1_SOURCE: tree, TUTELA_LIST_UPDATE_HOURS: '24' });
    const runs = (await t.store.db.selectFrom('filter_list_imports').select('id').where('source', '=', 'ut1').execute()).length;
    const schedule = startListSchedule(ctx, recordingLog());
    await schedule.firstRun;
    schedule.stop();
    assert.equal((await t.store.db.selectFrom('filter_list_imports').select('id').where('source', '=', 'ut1').execute()).length, runs);
  });

  it('logs a failing source instead of throwing, and keeps the lists', async () => {
    const fresh = await createTestStore();
    try {
      const ctx = testContext(fresh, {
        TUTELA_UT1_SOURCE: path.join(work.dir, 'missing'),
        TUTELA_LOCKED_LISTS: JSON.stringify([{ category: 'illegal_csam', source: path.join(work.dir, 'no-list.txt'), format: 'plain' }]),
      });
      const log = recordingLog();
      const schedule = startListSchedule(ctx, log);
      await schedule.firstRun;
      schedule.stop();
      const warnings = log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
      assert.deepEqual(warnings, ['locked list not refreshed', 'category list update refused; the lists in force are kept']);
      // The built-in test entries are in force even when the configured list cannot be read.
      assert.deepEqual(
        (await listRows(fresh.store.db)).map((r) => r.source),
        ['locked:test', 'locked:test'],
      );
    } finally {
      await fresh.cleanup();
    }
  });
});

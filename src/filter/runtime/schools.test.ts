import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { InProcessActivityBus } from '../../activity/bus.js';
import type { ActivityEvent } from '../../activity/event.js';
import { newId } from '../../db/ids.js';
import { addUser, seedSchool } from '../../testing/fixtures.js';
import { createTestStore, testContext, type TestStore } from '../../testing/store.js';
import { importUt1 } from '../lists/index.js';
import { FilterRuntime } from './runtime.js';
import { writeUt1Tree } from './test-support.js';

describe('FilterRuntime across schools and list updates', () => {
  let t: TestStore;
  let runtime: FilterRuntime | undefined;
  beforeEach(async () => {
    t = await createTestStore();
  });
  afterEach(async () => {
    await runtime?.stop();
    await t.cleanup();
  });

  it('fails closed with no school, then finds each request’s school by person, by address, else the first', async () => {
    const ctx = testContext(t);
    const bus = new InProcessActivityBus();
    const events: ActivityEvent[] = [];
    bus.subscribe((e) => events.push(e));
    runtime = new FilterRuntime(ctx, { bus, pollMs: 60_000 });
    await runtime.start();
    const empty = runtime.decide({ clientAddress: '10.0.0.1', target: 'example.org', at: new Date() });
    assert.deepEqual([empty.action, empty.schoolId], ['block', '']);

    const a = await seedSchool(ctx, 'Alpha School');
    ctx.clock.advance(1); // "the first school" is the one created first
    const b = await seedSchool(ctx, 'Beta School', a.trustId);
    const alice = await addUser(ctx, a.schoolId, 'alice.a', ['student'], { yearGroup: 8 });
    const bob = await addUser(ctx, b.schoolId, 'bob.b', ['student'], { yearGroup: 8 });
    await runtime.refreshNow();
    assert.equal(runtime.stats().schools, 2, 'new schools are picked up and given a policy');
    await ctx.db
      .insertInto('filter_devices')
      .values({
        id: newId(),
        school_id: b.schoolId,
        name: 'Beta laptop',
        address: '10.2.0.9',
        mac: null,
        person_id: null,
        profile_id: null,
        created_at: ctx.clock().toISOString(),
      })
      .execute();
    await ctx.db.updateTable('filter_settings').set({ policy_version: 5 }).where('school_id', '=', b.schoolId).execute();
    await runtime.refreshNow();

    const at = new Date();
    assert.equal(runtime.decide({ clientAddress: '10.9.9.9', personId: bob.personId, target: 'example.org', at }).schoolId, b.schoolId);
    assert.equal(runtime.decide({ clientAddress: '10.9.9.9', personId: alice.personId, target: 'example.org', at }).schoolId, a.schoolId);
    const byDevice = runtime.decide({ clientAddress: '10.2.0.9', target: 'example.org', at });
    assert.deepEqual([byDevice.schoolId, byDevice.policyVersion], [b.schoolId, 5]);
    assert.equal(runtime.decide({ clientAddress: '10.9.9.9', target: 'example.org', at }).schoolId, a.schoolId, 'the first school');

    runtime.record({ source: 'dns', at, clientAddress: '10.2.0.9', decision: byDevice });
    assert.equal(events.length, 1);
    assert.equal(events[0]!.schoolId, b.schoolId);
  });

  it('recompiles the lists only when they change, and keeps the last good snapshots when a reload fails', async () => {
    const ctx = testContext(t);
    const { schoolId } = await seedSchool(ctx);
    const first = writeUt1Tree({ gambling: ['bet.example'] });
    const second = writeUt1Tree({ gambling: ['bet.example', 'casino.example'] });
    try {
      await importUt1(ctx, { source: first.dir, actor: null, reason: 'first lists' });
      runtime = new FilterRuntime(ctx, { bus: new InProcessActivityBus(), pollMs: 60_000 });
      await runtime.start();
      const ask = (target: string) => runtime!.decide({ clientAddress: '10.0.0.1', target, at: new Date() });
      assert.equal(ask('casino.example').category, null);
      const stamp = runtime.stats().listsStamp;
      await runtime.refreshNow();
      assert.equal(runtime.stats().listsStamp, stamp, 'nothing changed, nothing recompiled');

      await importUt1(ctx, { source: second.dir, actor: null, reason: 'more lists' });
      await runtime.refreshNow();
      assert.notEqual(runtime.stats().listsStamp, stamp);
      assert.deepEqual([ask('casino.example').action, ask('casino.example').category], ['block', 'gambling']);

      // A store that cannot answer: the reload fails, the filter goes on deciding as before.
      await ctx.db.schema.alterTable('filter_settings').renameTo('filter_settings_away').execute();
      await assert.rejects(runtime.refreshNow());
      assert.equal(runtime.stats().reloadFailures, 1);
      assert.deepEqual([ask('casino.example').action, ask('casino.example').schoolId], ['block', schoolId]);
      await ctx.db.schema.alterTable('filter_settings_away').renameTo('filter_settings').execute();
      await runtime.refreshNow();
    } finally {
      first.remove();
      second.remove();
    }
  });
});

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { newId } from '../db/ids.js';
import { createTestStore, type TestStore } from '../testing/store.js';
import { InProcessActivityBus } from './bus.js';
import type { ActivityEvent } from './event.js';
import { activityFeed } from './feed.js';
import { newEventId } from './ids.js';
import { ActivityWriter } from './writer.js';

const SCHOOL = newId();

function event(i: number, overrides: Partial<ActivityEvent> = {}): ActivityEvent {
  return {
    id: newEventId(),
    schoolId: SCHOOL,
    at: new Date(Date.UTC(2026, 10, 24, 9, 0, 0, i)),
    source: 'dns',
    personId: null,
    deviceId: null,
    clientAddress: '10.0.0.1',
    host: `site${i}.example`,
    url: null,
    searchTerms: null,
    category: null,
    action: i % 3 === 0 ? 'block' : 'allow',
    rule: 'matrix',
    policyVersion: 4,
    profileId: null,
    alert: false,
    ...overrides,
  };
}

const countRows = async (t: TestStore) =>
  Number(
    (
      await t.store.db
        .selectFrom('activity_events')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('ActivityWriter', () => {
  let t: TestStore;
  let bus: InProcessActivityBus;
  let writer: ActivityWriter;
  beforeEach(async () => {
    t = await createTestStore();
    bus = new InProcessActivityBus();
  });
  afterEach(async () => {
    await writer?.close();
    await t.cleanup();
  });

  it('stores events in batches with every field', async () => {
    writer = new ActivityWriter(t.store.db, bus, { batchSize: 7, flushIntervalMs: 60_000 }).start();
    const sample = event(1, {
      source: 'proxy',
      url: 'www.google.com/search?q=x',
      searchTerms: 'x',
      category: 'gambling',
      action: 'block',
      profileId: 'p1',
    });
    bus.publish(sample);
    for (let i = 2; i <= 20; i++) bus.publish(event(i));
    await writer.flush();
    assert.equal(await countRows(t), 20);
    assert.deepEqual(writer.stats(), { written: 20, dropped: 0, failedBatches: 0, pending: 0 });
    const row = await t.store.db.selectFrom('activity_events').selectAll().where('id', '=', sample.id).executeTakeFirstOrThrow();
    assert.deepEqual(row, {
      id: sample.id,
      school_id: SCHOOL,
      at: sample.at.toISOString(),
      source: 'proxy',
      person_id: null,
      device_id: null,
      client_address: '10.0.0.1',
      host: 'site1.example',
      url: 'www.google.com/search?q=x',
      search_terms: 'x',
      category: 'gambling',
      action: 'block',
      rule: 'matrix',
      policy_version: 4,
      profile_id: 'p1',
    });
  });

  it('flushes on its own timer', async () => {
    writer = new ActivityWriter(t.store.db, bus, { flushIntervalMs: 20 }).start();
    bus.publish(event(1));
    for (let i = 0; i < 500 && (await countRows(t)) === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(await countRows(t), 1);
  });

  it('takes a burst of 20,000 without waiting on the database, and stores them all', async () => {
    writer = new ActivityWriter(t.store.db, bus).start();
    for (let i = 0; i < 20_000; i++) bus.publish(event(i));
    // publish() returned 20,000 times with no chance for an INSERT to run: all are queued.
    assert.equal(writer.stats().pending, 20_000);
    assert.equal(await countRows(t), 0);
    await writer.flush();
    assert.equal(await countRows(t), 20_000);
    assert.equal(writer.stats().dropped, 0);
  });

  it('counts what it drops once the queue is full instead of growing', async () => {
    writer = new ActivityWriter(t.store.db, bus, { maxQueue: 100, flushIntervalMs: 60_000 }).start();
    for (let i = 0; i < 150; i++) bus.publish(event(i));
    assert.deepEqual(writer.stats(), { written: 0, dropped: 50, failedBatches: 0, pending: 100 });
    await writer.flush();
    assert.equal(await countRows(t), 100);
  });

  it('keeps a batch the database refused and writes it once the database is back', async () => {
    writer = new ActivityWriter(t.store.db, bus, { flushIntervalMs: 60_000 }).start();
    const first = event(1);
    bus.publish(first);
    await writer.flush();
    // The same id again breaks the primary key: the whole batch is refused and kept.
    bus.publish({ ...event(2), id: first.id });
    await writer.flush();
    assert.equal(writer.stats().failedBatches, 1);
    assert.equal(writer.stats().pending, 1);
    assert.equal(await countRows(t), 1);
  });

  it('flushes what is left on close and then stops listening', async () => {
    writer = new ActivityWriter(t.store.db, bus, { flushIntervalMs: 60_000 }).start();
    for (let i = 0; i < 3; i++) bus.publish(event(i));
    await writer.close();
    assert.equal(await countRows(t), 3);
    bus.publish(event(9));
    assert.equal(writer.stats().pending, 0);
  });
});

describe('activity feed', () => {
  let t: TestStore;
  beforeEach(async () => {
    t = await createTestStore();
  });
  afterEach(async () => t.cleanup());

  it('pages newest first and then returns only newer events after a cursor', async () => {
    const bus = new InProcessActivityBus();
    const writer = new ActivityWriter(t.store.db, bus, { flushIntervalMs: 60_000 }).start();
    // Two events in the same millisecond: the id keeps their order.
    const same = new Date(Date.UTC(2026, 10, 24, 9, 0, 0, 5));
    for (let i = 0; i < 5; i++) bus.publish(event(i));
    bus.publish(event(5, { at: same, host: 'same-a.example' }));
    bus.publish(event(6, { at: same, host: 'same-b.example' }));
    bus.publish(event(7, { schoolId: newId() }));
    await writer.close();

    const first = await activityFeed(t.store.db, { schoolId: SCHOOL, limit: 3 });
    assert.deepEqual(
      first.events.map((e) => e.host),
      ['same-b.example', 'same-a.example', 'site4.example'],
    );
    const none = await activityFeed(t.store.db, { schoolId: SCHOOL, limit: 3, after: first.cursor! });
    assert.deepEqual(none, { events: [], cursor: first.cursor });

    const writer2 = new ActivityWriter(t.store.db, bus, { flushIntervalMs: 60_000 }).start();
    for (let i = 10; i < 15; i++) bus.publish(event(i, { at: new Date(Date.UTC(2026, 10, 24, 9, 1, 0, i)) }));
    await writer2.close();
    const page1 = await activityFeed(t.store.db, { schoolId: SCHOOL, limit: 3, after: first.cursor! });
    assert.deepEqual(
      page1.events.map((e) => e.host),
      ['site12.example', 'site11.example', 'site10.example'],
    );
    const page2 = await activityFeed(t.store.db, { schoolId: SCHOOL, limit: 3, after: page1.cursor! });
    assert.deepEqual(
      page2.events.map((e) => e.host),
      ['site14.example', 'site13.example'],
    );
  });

  it('filters by action and person', async () => {
    const bus = new InProcessActivityBus();
    const writer = new ActivityWriter(t.store.db, bus, { flushIntervalMs: 60_000 }).start();
    for (let i = 0; i < 9; i++) bus.publish(event(i, { personId: i < 3 ? 'person-a' : null }));
    await writer.close();
    const blocked = await activityFeed(t.store.db, { schoolId: SCHOOL, limit: 50, action: 'block' });
    assert.deepEqual(blocked.events.map((e) => e.host).sort(), ['site0.example', 'site3.example', 'site6.example']);
    const person = await activityFeed(t.store.db, { schoolId: SCHOOL, limit: 50, personId: 'person-a' });
    assert.equal(person.events.length, 3);
  });

  it('refuses a cursor it did not make', async () => {
    await assert.rejects(activityFeed(t.store.db, { schoolId: SCHOOL, limit: 5, after: 'bm9wZQ' }), { id: 'validation_failed' });
  });
});

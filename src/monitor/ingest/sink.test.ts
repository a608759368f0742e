import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { newEventId } from '../../activity/ids.js';
import { AppError } from '../../errors/errors.js';
import { createTestStore, type TestStore } from '../../testing/store.js';
import type { MonitorEvent } from '../model.js';
import { EventSink } from './sink.js';

function events(count: number, marker: string, overrides: Partial<MonitorEvent> = {}): MonitorEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    id: newEventId(),
    schoolId: 'school-1',
    at: new Date('2026-11-24T10:00:00.123Z'),
    receivedAt: new Date('2026-11-24T10:00:01Z'),
    sourceId: 'source-1',
    source: 'capture:test',
    kind: 'chat',
    personId: null,
    username: 'jane.smith',
    clientAddress: '10.0.0.5',
    device: `${marker}-${i}`,
    host: null,
    url: null,
    searchTerms: null,
    text: `message ${i} with ünïcödé and 'quotes', "doubles", {braces}, \\ backslash`,
    blocked: null,
    ...overrides,
  }));
}

async function countMarked(t: TestStore, marker: string): Promise<number> {
  const row = await t.store.db
    .selectFrom('monitor_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('device', 'like', `${marker}-%`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('EventSink', () => {
  let t: TestStore;
  before(async () => {
    t = await createTestStore();
  });
  after(async () => {
    await t.cleanup();
  });

  it('resolves only once the events are in the table, with every field as sent', async () => {
    const sink = new EventSink(t.store, { batchSize: 7, flushIntervalMs: 5 });
    const sent = events(3, 'fields', { blocked: true, url: 'http://x.example/a', host: 'x.example', searchTerms: 'q', personId: 'p1' });
    await sink.accept(sent);
    const rows = await t.store.db
      .selectFrom('monitor_events')
      .selectAll()
      .where(
        'id',
        'in',
        sent.map((e) => e.id),
      )
      .orderBy('id')
      .execute();
    assert.equal(rows.length, 3);
    assert.deepEqual(rows[0], {
      id: sent[0]!.id,
      school_id: 'school-1',
      at: '2026-11-24T10:00:00.123Z',
      received_at: '2026-11-24T10:00:01.000Z',
      source_id: 'source-1',
      source: 'capture:test',
      kind: 'chat',
      person_id: 'p1',
      username: 'jane.smith',
      client_address: '10.0.0.5',
      device: 'fields-0',
      host: 'x.example',
      url: 'http://x.example/a',
      search_terms: 'q',
      text: sent[0]!.text,
      blocked: 1,
    });
    assert.equal(sink.stats().committed, 3);
    await sink.close();
  });

  it('acknowledges concurrent senders whose events span several batches, each only after its last batch', async () => {
    const committedBatches: number[] = [];
    const sink = new EventSink(t.store, { batchSize: 10, onCommitted: (batch) => committedBatches.push(batch.length) });
    const calls = Array.from({ length: 8 }, (_, i) => events(23, `span${i}`));
    await Promise.all(
      calls.map(async (batch, i) => {
        await sink.accept(batch);
        // Acknowledged: every one of this sender's events must already be readable.
        assert.equal(await countMarked(t, `span${i}`), 23);
      }),
    );
    assert.equal(
      committedBatches.reduce((a, b) => a + b, 0),
      8 * 23,
    );
    assert.ok(committedBatches.every((n) => n <= 10));
    assert.deepEqual(sink.stats(), { committed: 184, pending: 0, refused: 0, failedBatches: 0 });
    await sink.close();
  });

  it('commits a tailed file position in the same transaction as its events, and a position with no events', async () => {
    const sink = new EventSink(t.store, { batchSize: 4 });
    await sink.accept(events(6, 'tail'), { tailPosition: { path: '/var/log/squid/access.log', fileId: '8:12', offset: 600 } });
    let row = await t.store.db.selectFrom('monitor_tail_positions').selectAll().executeTakeFirstOrThrow();
    assert.deepEqual([row.path, row.file_id, Number(row.byte_offset)], ['/var/log/squid/access.log', '8:12', 600]);
    assert.equal(await countMarked(t, 'tail'), 6);
    // Lines that were all malformed still move the position on.
    await sink.accept([], { tailPosition: { path: '/var/log/squid/access.log', fileId: '8:12', offset: 900 } });
    row = await t.store.db.selectFrom('monitor_tail_positions').selectAll().executeTakeFirstOrThrow();
    assert.equal(Number(row.byte_offset), 900);
    await sink.close();
  });

  it('never splits a tailed call that fits in a batch, so its lines and position commit together', async () => {
    const committedBatches: number[] = [];
    const sink = new EventSink(t.store, { batchSize: 10, onCommitted: (batch) => committedBatches.push(batch.length) });
    // Queued together: 6 plain events, then 6 tailed ones that would straddle the first batch's end.
    const plain = sink.accept(events(6, 'untailed'));
    const tailed = sink.accept(events(6, 'tailed-whole'), {
      tailPosition: { path: '/var/log/e2guardian/access.log', fileId: '8:13', offset: 60 },
    });
    await Promise.all([plain, tailed]);
    assert.deepEqual(committedBatches, [6, 6]);
    await sink.close();
  });

  it('refuses at once with monitor.busy when the queue would pass maxPending, and says when there is room again', async () => {
    const sink = new EventSink(t.store, { batchSize: 1000, maxPending: 10, flushIntervalMs: 50 });
    const first = sink.accept(events(8, 'busy'));
    await assert.rejects(sink.accept(events(3, 'busy-refused')), (e: unknown) => e instanceof AppError && e.id === 'monitor.busy');
    assert.equal(sink.stats().refused, 1);
    assert.equal(sink.stats().pending, 8);
    let ready = false;
    const readyPromise = sink.whenReady().then(() => {
      ready = true;
    });
    assert.equal(ready, false);
    await first;
    await readyPromise;
    assert.equal(ready, true);
    assert.equal(await countMarked(t, 'busy'), 8);
    assert.equal(await countMarked(t, 'busy-refused'), 0);
    // A request bigger than the whole queue can never fit, so it is refused rather than held.
    await assert.rejects(sink.accept(events(11, 'too-big')), (e: unknown) => e instanceof AppError && e.id === 'monitor.busy');
    await sink.close();
  });

  it('commits what is queued on close, then refuses new events', async () => {
    const sink = new EventSink(t.store, { batchSize: 1000, flushIntervalMs: 60_000 });
    const queued = sink.accept(events(5, 'close'));
    await sink.close();
    await queued;
    assert.equal(await countMarked(t, 'close'), 5);
    await assert.rejects(sink.accept(events(1, 'after-close')), (e: unknown) => e instanceof AppError && e.id === 'monitor.busy');
  });

  it('keeps going when the committed-events handler throws', async () => {
    const errors: object[] = [];
    const sink = new EventSink(t.store, {
      onCommitted: () => {
        throw new Error('analyser broke');
      },
      log: { error: (o) => errors.push(o) },
    });
    await sink.accept(events(2, 'handler'));
    await sink.accept(events(2, 'handler2'));
    assert.equal(errors.length, 2);
    assert.equal(await countMarked(t, 'handler2'), 2);
    await sink.close();
  });

  it('rejects every sender of a batch that fails, never acknowledging it, and carries on after', async () => {
    const errors: object[] = [];
    const sink = new EventSink(t.store, { batchSize: 100, log: { error: (o) => errors.push(o) } });
    // The same id twice in one batch breaks the primary key, so the whole transaction rolls back.
    const good = events(3, 'fail-good');
    const clash = events(1, 'fail-clash', { id: good[0]!.id });
    const results = await Promise.allSettled([sink.accept(good), sink.accept(clash)]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'rejected'],
    );
    assert.equal(await countMarked(t, 'fail-good'), 0, 'a failed batch stores nothing');
    assert.equal(sink.stats().failedBatches, 1);
    assert.equal(errors.length, 1);
    await sink.accept(events(2, 'fail-after'));
    assert.equal(await countMarked(t, 'fail-after'), 2);
    await sink.close();
  });

  it('never moves a tailed file on past a call whose earlier batch failed', async () => {
    const sink = new EventSink(t.store, { batchSize: 4, log: { error: () => {} } });
    // Bigger than a batch, so it is split; a repeated id makes its first batch fail.
    const lines = events(6, 'tail-split');
    lines[1] = { ...lines[1]!, id: lines[0]!.id };
    const path = '/var/log/squid/split.log';
    await assert.rejects(sink.accept(lines, { tailPosition: { path, fileId: '8:14', offset: 600 } }));
    await sink.close();
    const row = await t.store.db.selectFrom('monitor_tail_positions').selectAll().where('path', '=', path).executeTakeFirst();
    assert.equal(row, undefined, 'the lines of the failed batch are read again after a restart');
  });

  it('stores text with NUL and lone surrogates instead of failing the batch it shares with others', async () => {
    const sink = new EventSink(t.store, { batchSize: 100, flushIntervalMs: 20 });
    const odd = events(1, 'odd', { text: 'nul\u0000here and a lone \ud83d surrogate', username: 'x\u0000y' });
    const plain = events(2, 'plain');
    await Promise.all([sink.accept(odd), sink.accept(plain)]);
    const row = await t.store.db
      .selectFrom('monitor_events')
      .select(['text', 'username'])
      .where('id', '=', odd[0]!.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.text, 'nul\uFFFDhere and a lone \uFFFD surrogate');
    assert.equal(row.username, 'x\uFFFDy');
    assert.equal(await countMarked(t, 'plain'), 2);
    await sink.close();
  });

  it('commits on its own even while another transaction that later rolls back is open', async () => {
    const sink = new EventSink(t.store, { flushIntervalMs: 0 });
    let acknowledged = false;
    const rolledBack = t.store.db
      .transaction()
      .execute(async (trx) => {
        await trx.selectFrom('schools').select('id').execute();
        const sending = sink.accept(events(3, 'beside-trx')).then(() => {
          acknowledged = true;
        });
        // Give the sink every chance to write while this transaction is open.
        await new Promise((r) => setTimeout(r, 30));
        if (t.store.dialect === 'postgres') await sending;
        throw new Error('roll this transaction back');
      })
      .catch((error: Error) => error.message);
    assert.equal(await rolledBack, 'roll this transaction back');
    while (!acknowledged) await new Promise((r) => setTimeout(r, 5));
    assert.equal(await countMarked(t, 'beside-trx'), 3, "the sink's commit is not part of the rolled-back transaction");
    await sink.close();
  });

  it('rejects senders when the table is gone', async () => {
    const other = await createTestStore();
    try {
      const sink = new EventSink(other.store, { batchSize: 10 });
      await sink.accept(events(1, 'before-drop'));
      await sql`drop table monitor_events`.execute(other.store.db);
      await assert.rejects(sink.accept(events(5, 'dropped')), /monitor_events/);
      assert.equal(sink.stats().failedBatches, 1);
      assert.equal(sink.stats().committed, 1);
      await sink.close();
    } finally {
      await other.cleanup();
    }
  });
});

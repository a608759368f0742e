import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHash } from 'node:crypto';
import { addUser, seedSchool, TEST_PASSWORD } from '../../testing/fixtures.js';
import { sessionPool, startTestServer } from '../../testing/http.js';
import { createTestStore, type TestStore, testContext } from '../../testing/store.js';
import { AlertAnalyser } from '../alerts/analyser.js';
import { EventSink } from './sink.js';

interface CaptureWorld {
  t: TestStore;
  ctx: ReturnType<typeof testContext>;
  schoolId: string;
  url: string;
  jane: string;
  sam: string;
  key: string;
  sourceId: string;
  as: ReturnType<typeof sessionPool>;
  close(): Promise<void>;
}

/** A school, a DSL, two students, a running server and a capture key made through the API. */
async function captureWorld(): Promise<CaptureWorld> {
  const t = await createTestStore();
  const ctx = testContext(t, { TUTELA_DEMO_PASSWORD: TEST_PASSWORD });
  ctx.clock.set(new Date('2026-11-24T09:00:00Z'));
  const { schoolId } = await seedSchool(ctx, 'Capture School');
  await addUser(ctx, schoolId, 'dee.dsl', ['staff', 'dsl'], { isDemo: true });
  const jane = (await addUser(ctx, schoolId, 'jane.smith', ['student'], { yearGroup: 9 })).personId;
  const sam = (await addUser(ctx, schoolId, 'sam.student', ['student'], { yearGroup: 10 })).personId;
  const server = await startTestServer(ctx);
  const as = sessionPool(server.url, TEST_PASSWORD);
  const made = await (await as('dee.dsl')).post('/api/monitor/sources', { kind: 'capture', name: 'Mail gateway' });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  return { t, ctx, schoolId, url: server.url, jane, sam, key: made.body.key, sourceId: made.body.source.id, as, close: server.close };
}

async function send(url: string, key: string | null, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/api/monitor/captures`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

async function countWhere(w: CaptureWorld, device: string): Promise<number> {
  const r = await w.ctx.db
    .selectFrom('monitor_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('device', 'like', device)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

describe('capture API', () => {
  let w: CaptureWorld;
  before(async () => {
    w = await captureWorld();
  });
  after(async () => {
    await w.close();
    await w.t.cleanup();
  });

  it('stores the events, attributed, before it answers 202 with the ones it could not attribute', async () => {
    await w.ctx.db
      .insertInto('filter_address_signins')
      .values([
        {
          address: '10.1.0.5',
          school_id: w.schoolId,
          person_id: w.sam,
          created_at: '2026-11-24T08:00:00.000Z',
          until_at: '2026-11-24T10:00:00.000Z',
        },
        {
          address: '10.1.0.6',
          school_id: w.schoolId,
          person_id: w.sam,
          created_at: '2026-11-24T06:00:00.000Z',
          until_at: '2026-11-24T07:00:00.000Z',
        },
      ])
      .execute();
    const res = await send(w.url, w.key, {
      events: [
        { kind: 'chat', username: 'SCHOOL\\Jane.Smith', text: 'see you at lunch', device: 'ok-0', at: '2026-11-24T08:59:00Z' },
        {
          kind: 'search',
          address: '10.1.0.5',
          url: 'https://www.google.co.uk/search?q=how+to+revise',
          device: 'ok-1',
          at: '2026-11-24T08:30:00+00:00',
        },
        { kind: 'email', username: 'someone.unknown', text: 'hello', device: 'ok-2' },
        {
          kind: 'typed',
          address: '10.1.0.6',
          text: 'typed at a machine whose sign-in had ended',
          device: 'ok-3',
          at: '2026-11-24T08:30:00Z',
        },
      ],
    });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    assert.deepEqual(res.body, { accepted: 4, unattributed: [2, 3] });
    const rows = await w.ctx.db.selectFrom('monitor_events').selectAll().where('device', 'like', 'ok-%').orderBy('device').execute();
    assert.deepEqual(
      rows.map((r) => [r.device, r.person_id, r.username, r.kind, r.at, r.source, r.source_id, r.school_id]),
      [
        ['ok-0', w.jane, 'SCHOOL\\Jane.Smith', 'chat', '2026-11-24T08:59:00.000Z', 'capture:Mail gateway', w.sourceId, w.schoolId],
        ['ok-1', w.sam, 'sam.student', 'search', '2026-11-24T08:30:00.000Z', 'capture:Mail gateway', w.sourceId, w.schoolId],
        ['ok-2', null, 'someone.unknown', 'email', '2026-11-24T09:00:00.000Z', 'capture:Mail gateway', w.sourceId, w.schoolId],
        ['ok-3', null, null, 'typed', '2026-11-24T08:30:00.000Z', 'capture:Mail gateway', w.sourceId, w.schoolId],
      ],
    );
    assert.deepEqual([rows[1]!.search_terms, rows[1]!.host, rows[1]!.client_address], ['how to revise', 'www.google.co.uk', '10.1.0.5']);
    assert.equal(rows[0]!.text, 'see you at lunch');
    const source = await w.ctx.db.selectFrom('monitor_sources').selectAll().where('id', '=', w.sourceId).executeTakeFirstOrThrow();
    assert.equal(source.last_event_at, '2026-11-24T09:00:00.000Z');
  });

  it('refuses a missing, wrong or revoked key with 401 monitor.invalid_key, storing nothing', async () => {
    const event = { events: [{ kind: 'chat', text: 'x', device: 'nokey' }] };
    for (const key of [null, 'tut_wrong', `${w.key}x`]) {
      const res = await send(w.url, key, event);
      assert.equal(res.status, 401);
      assert.equal(res.body.error, 'monitor.invalid_key');
    }
    const basic = await send(w.url, null, event, { authorization: `Basic ${Buffer.from(`x:${w.key}`).toString('base64')}` });
    assert.equal(basic.status, 401);
    const dsl = await w.as('dee.dsl');
    const made = await dsl.post('/api/monitor/sources', { kind: 'capture', name: 'Old chat system' });
    assert.equal((await send(w.url, made.body.key, { events: [{ kind: 'chat', text: 'before', device: 'revoked-before' }] })).status, 202);
    assert.equal((await dsl.post(`/api/monitor/sources/${made.body.source.id}/revoke`)).status, 200);
    const revoked = await send(w.url, made.body.key, { events: [{ kind: 'chat', text: 'after', device: 'revoked-after' }] });
    assert.equal(revoked.status, 401);
    assert.equal(revoked.body.error, 'monitor.invalid_key');
    assert.equal(await countWhere(w, 'nokey'), 0);
    assert.equal(await countWhere(w, 'revoked-after'), 0);
    assert.equal(await countWhere(w, 'revoked-before'), 1);
  });

  it('keeps only the hash of the key', async () => {
    const row = await w.ctx.db.selectFrom('monitor_sources').selectAll().where('id', '=', w.sourceId).executeTakeFirstOrThrow();
    assert.equal(row.key_hash, createHash('sha256').update(w.key).digest('hex'));
    assert.ok(!JSON.stringify(row).includes(w.key));
    assert.match(w.key, /^tut_[A-Za-z0-9_-]{43}$/);
  });

  it('refuses the whole request, naming the event and the reason, when one event is bad', async () => {
    const good = (i: number) => ({ kind: 'chat', text: 'fine', device: `bad-${i}` });
    const cases: [unknown, RegExp][] = [
      [{ kind: 'chat', device: 'bad-x' }, /Event 2: needs text or url/],
      [{ kind: 'chat', text: 'x', at: 'yesterday' }, /Event 2: at "yesterday" is not an ISO 8601 time/],
      [{ kind: 'chat', text: 'x', at: '2026-02-30T10:00:00Z' }, /Event 2: at .* is not an ISO 8601 time/],
      [{ kind: 'chat', text: 'x', at: '2026-11-24T10:00:00' }, /Event 2: at .* is not an ISO 8601 time with a zone/],
      [{ kind: 'chat', text: 'x', at: '2027-01-01T00:00:00Z' }, /Event 2: at .* is in the future/],
      [{ kind: 'chat', text: 'x', address: 'not-an-ip' }, /Event 2: address "not-an-ip" is not an IP address/],
      [{ kind: 'fax', text: 'x' }, /events\/2\/kind/],
      [{ kind: 'chat', text: 'x'.repeat(64 * 1024 + 1) }, /events\/2\/text/],
      [{ kind: 'chat', text: 'x', colour: 'red' }, /events\/2/],
    ];
    for (const [bad, reason] of cases) {
      const res = await send(w.url, w.key, { events: [good(0), good(1), bad, good(3)] });
      assert.equal(res.status, 400, `${JSON.stringify(bad).slice(0, 80)} → ${res.status}`);
      assert.equal(res.body.error, 'validation_failed');
      assert.match(res.body.message, reason);
    }
    assert.equal(await countWhere(w, 'bad-%'), 0, 'one bad event means nothing is written');
  });

  it('refuses an empty list, more than 1000 events, and a body over 1 MiB', async () => {
    assert.equal((await send(w.url, w.key, { events: [] })).status, 400);
    const many = Array.from({ length: 1001 }, (_, i) => ({ kind: 'chat', text: 'x', device: `many-${i}` }));
    const tooMany = await send(w.url, w.key, { events: many });
    assert.equal(tooMany.status, 400);
    assert.match(tooMany.body.message, /1000/);
    const big = Array.from({ length: 20 }, (_, i) => ({ kind: 'document', text: 'y'.repeat(60_000), device: `big-${i}` }));
    const tooBig = await send(w.url, w.key, { events: big });
    assert.equal(tooBig.status, 413);
    assert.equal(tooBig.body.error, 'payload_too_large');
    assert.equal((await send(w.url, w.key, '{"events": [')).status, 400);
    assert.equal(await countWhere(w, 'many-%'), 0);
    assert.equal(await countWhere(w, 'big-%'), 0);
  });

  it('acknowledges a burst of 100,000 events in concurrent requests, every one of them stored', async () => {
    const REQUESTS = 100;
    const PER_REQUEST = 1000;
    let next = 0;
    let acknowledged = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < REQUESTS) {
          const r = next++;
          const events = Array.from({ length: PER_REQUEST }, (_, i) => ({
            kind: 'chat',
            username: i % 2 ? 'jane.smith' : 'sam.student',
            text: `burst message ${r}-${i} about homework and football`,
            device: `burst-${r}-${i}`,
          }));
          const res = await send(w.url, w.key, { events });
          assert.equal(res.status, 202, JSON.stringify(res.body));
          acknowledged += res.body.accepted;
        }
      }),
    );
    assert.equal(acknowledged, REQUESTS * PER_REQUEST);
    assert.equal(await countWhere(w, 'burst-%'), REQUESTS * PER_REQUEST);
  });
});

describe('capture API under back-pressure', () => {
  it('answers 503 with Retry-After while the queue is full, then takes the events once it drains', async () => {
    const t = await createTestStore();
    const ctx = testContext(t, { TUTELA_DEMO_PASSWORD: TEST_PASSWORD });
    const { schoolId } = await seedSchool(ctx);
    await addUser(ctx, schoolId, 'nat.network', ['staff', 'network_manager'], { isDemo: true });
    // A long flush interval holds the first request's events in the queue while the second arrives.
    const intake = new EventSink(t.store, { batchSize: 1000, maxPending: 100, flushIntervalMs: 1500 });
    const server = await startTestServer(ctx, { monitor: { intake, analyser: new AlertAnalyser(ctx, { mailer: null }) } });
    try {
      const admin = await sessionPool(server.url, TEST_PASSWORD)('nat.network');
      const { key } = (await admin.post('/api/monitor/sources', { kind: 'capture', name: 'Chat' })).body;
      const events = (n: number, tag: string) => ({
        events: Array.from({ length: n }, (_, i) => ({ kind: 'chat', text: 'hi', device: `${tag}-${i}` })),
      });
      const first = send(server.url, key, events(80, 'held'));
      // Wait until the first request's events are queued.
      while (intake.stats().pending < 80) await new Promise((r) => setTimeout(r, 5));
      const refused = await send(server.url, key, events(30, 'refused'));
      assert.equal(refused.status, 503);
      assert.equal(refused.body.error, 'monitor.busy');
      assert.equal(refused.headers.get('retry-after'), '1');
      assert.equal((await first).status, 202);
      const retried = await send(server.url, key, events(30, 'refused'));
      assert.equal(retried.status, 202);
      const n = await t.store.db
        .selectFrom('monitor_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(n.n), 110);
      assert.equal(intake.stats().refused, 1);
    } finally {
      await server.close();
      await intake.close();
      await t.cleanup();
    }
  });

  it('turns a store that cannot commit into an error, never a 202', async () => {
    const t = await createTestStore();
    const ctx = testContext(t, { TUTELA_DEMO_PASSWORD: TEST_PASSWORD });
    const { schoolId } = await seedSchool(ctx);
    await addUser(ctx, schoolId, 'nat.network', ['staff', 'network_manager'], { isDemo: true });
    const intake = new EventSink(t.store);
    const server = await startTestServer(ctx, { monitor: { intake, analyser: new AlertAnalyser(ctx, { mailer: null }) } });
    try {
      const admin = await sessionPool(server.url, TEST_PASSWORD)('nat.network');
      const { key } = (await admin.post('/api/monitor/sources', { kind: 'capture', name: 'Chat' })).body;
      await ctx.db.schema.alterTable('monitor_events').renameTo('monitor_events_gone').execute();
      const res = await send(server.url, key, { events: [{ kind: 'chat', text: 'lost?' }] });
      assert.equal(res.status, 500);
      assert.equal(intake.stats().failedBatches, 1);
    } finally {
      await server.close();
      await intake.close();
      await t.cleanup();
    }
  });
});

import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { after, afterEach, before, describe, it } from 'node:test';
import { newId } from '../../db/ids.js';
import { addUser, seedSchool } from '../../testing/fixtures.js';
import { createTestStore, type TestStore, testContext } from '../../testing/store.js';
import { Attributor } from './attribute.js';
import type { EventIntake } from './intake.js';
import { EventSink } from './sink.js';
import { type SyslogServer, startSyslogServer } from './syslog-server.js';
import { utcOffsetMinutes } from './to-monitor-event.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A BSD timestamp for now: the server refuses messages dated far from their arrival. */
function bsdNow(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

function squidLine(user: string, url: string, client = '10.0.0.5', action = 'TCP_MISS/200'): string {
  const unix = (Date.now() / 1000).toFixed(3);
  return `${unix}    150 ${client} ${action} 5120 GET ${url} ${user} HIER_DIRECT/151.101.0.81 text/html`;
}

/** e2guardian writes the school's local time (Europe/London unless the school says otherwise). */
function e2guardianLine(user: string, url: string, verdict: string): string {
  const local = new Date(Date.now() + utcOffsetMinutes('Europe/London', new Date()) * 60_000);
  const date = `${local.getUTCFullYear()}.${local.getUTCMonth() + 1}.${local.getUTCDate()}`;
  const time = local.toISOString().slice(11, 19);
  return `${date} ${time} ${user} 10.0.0.9 ${url} ${verdict} GET 0 0 Banned Sites 1 403 - - Default -`;
}

const rfc5424 = (app: string, text: string, host = 'proxy1') => `<165>1 ${new Date().toISOString()} ${host} ${app} 4242 ACCESS - ${text}`;
const rfc3164 = (app: string, text: string, host = 'proxy1') => `<134>${bsdNow()} ${host} ${app}[1234]: ${text}`;

async function waitFor(what: string, check: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function sendUdp(port: number, messages: (string | Buffer)[], from = '127.0.0.1'): Promise<void> {
  const socket = createSocket('udp4');
  return new Promise((resolve, reject) => {
    socket.bind({ address: from, port: 0 }, async () => {
      try {
        for (const m of messages) {
          await new Promise<void>((ok, fail) => socket.send(m, port, '127.0.0.1', (e) => (e ? fail(e) : ok())));
        }
        socket.close(() => resolve());
      } catch (error) {
        reject(error);
      }
    });
  });
}

function openTcp(port: number, from = '127.0.0.1'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress: from }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Writes the chunks one at a time, as a sender's packets arrive, then closes the connection. */
async function sendTcp(port: number, chunks: (string | Buffer)[], from = '127.0.0.1'): Promise<void> {
  const socket = await openTcp(port, from);
  for (const chunk of chunks) {
    await new Promise<void>((resolve, reject) => socket.write(chunk, (e) => (e ? reject(e) : resolve())));
  }
  await new Promise<void>((resolve) => socket.end(() => resolve()));
  await new Promise<void>((resolve) => socket.once('close', () => resolve()));
}

const octet = (message: string) => `${Buffer.byteLength(message)} ${message}`;

describe('syslog server', () => {
  let t: TestStore;
  let ctx: ReturnType<typeof testContext>;
  let schoolA: string;
  let schoolB: string;
  let jane: string;
  let bob: string;
  let sourceB: string;
  let server: SyslogServer | null = null;
  let sink: EventSink | null = null;

  before(async () => {
    t = await createTestStore();
    ctx = testContext(t);
    // Seeded first: the default school for senders that are not registered.
    schoolA = (await seedSchool(ctx, 'Riverside Academy')).schoolId;
    ctx.clock.advance(1);
    schoolB = (await seedSchool(ctx, 'Hillside School')).schoolId;
    jane = (await addUser(ctx, schoolA, 'jane.smith', ['student'], { yearGroup: 9 })).personId;
    bob = (await addUser(ctx, schoolB, 'bob.jones', ['student'], { yearGroup: 10 })).personId;
    sourceB = newId();
    await ctx.db
      .insertInto('monitor_sources')
      .values({
        id: sourceB,
        school_id: schoolB,
        name: 'Hillside filter',
        kind: 'syslog',
        key_hash: null,
        key_hint: null,
        address: '127.0.0.2',
        format: 'e2guardian',
        created_at: new Date().toISOString(),
        created_by: null,
        revoked_at: null,
        last_event_at: null,
      })
      .execute();
  });

  after(async () => {
    await t.cleanup();
  });

  afterEach(async () => {
    await server?.close();
    await sink?.close();
    server = null;
    sink = null;
    await ctx.db.deleteFrom('monitor_events').execute();
  });

  async function start(options: { maxPending?: number; maxQueuedPerConnection?: number } = {}) {
    const warnings: object[] = [];
    sink = new EventSink(ctx.store, { batchSize: 200, maxPending: options.maxPending ?? 100_000 });
    server = await startSyslogServer({
      host: '127.0.0.1',
      port: 0,
      db: ctx.db,
      intake: sink,
      attributor: new Attributor(ctx.db),
      maxQueuedPerConnection: options.maxQueuedPerConnection,
      log: { warn: (o) => warnings.push(o), error: (o) => warnings.push(o) },
    });
    return { server, warnings };
  }

  const rows = () => ctx.db.selectFrom('monitor_events').selectAll().orderBy('at').execute();
  const count = async () =>
    Number(
      (
        await ctx.db
          .selectFrom('monitor_events')
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('stores an RFC 5424 Squid message over UDP under the default school, attributed to the pupil', async () => {
    const { server } = await start();
    await sendUdp(server.udpPort, [rfc5424('squid', squidLine('jane.smith', 'http://www.google.co.uk/search?q=how+to+vape'))]);
    await waitFor('the event', async () => (await count()) === 1);
    const [row] = await rows();
    assert.equal(row!.school_id, schoolA);
    assert.equal(row!.person_id, jane);
    assert.equal(row!.username, 'jane.smith');
    assert.equal(row!.kind, 'search');
    assert.equal(row!.search_terms, 'how to vape');
    assert.equal(row!.source, 'squid@proxy1');
    assert.equal(row!.source_id, null);
    assert.equal(row!.client_address, '10.0.0.5');
    assert.equal(Number(row!.blocked), 0);
  });

  it('files a registered sender’s RFC 3164 e2guardian message over TCP under its school and source', async () => {
    const { server } = await start();
    // The program name says nothing; the registered source says the text is e2guardian's.
    const message = rfc3164(
      'logger',
      e2guardianLine('bob.jones', 'http://bad.example/page', '*DENIED* Banned site: bad.example'),
      'filter2',
    );
    await sendTcp(server.tcpPort, [`${message}\n`], '127.0.0.2');
    await waitFor('the event', async () => (await count()) === 1);
    const [row] = await rows();
    assert.equal(row!.school_id, schoolB);
    assert.equal(row!.source_id, sourceB);
    assert.equal(row!.person_id, bob);
    assert.equal(row!.kind, 'web');
    assert.equal(row!.host, 'bad.example');
    assert.equal(Number(row!.blocked), 1);
    assert.equal(row!.source, 'e2guardian@filter2');
    // Noted after the commit, without holding the sender up: it may land a moment after the event.
    await waitFor('the source to show when it last sent something', async () => {
      const source = await ctx.db.selectFrom('monitor_sources').select('last_event_at').where('id', '=', sourceB).executeTakeFirstOrThrow();
      return source.last_event_at !== null;
    });
  });

  it('stores a message from an unknown program as text, and a Squid refusal as blocked', async () => {
    const { server } = await start();
    await sendUdp(server.udpPort, [
      rfc3164('sshd', 'Accepted password for admin from 10.0.0.1'),
      rfc3164('squid', squidLine('-', 'http://casino.example/', '10.0.0.77', 'TCP_DENIED/403')),
    ]);
    await waitFor('both events', async () => (await count()) === 2);
    const all = await rows();
    const text = all.find((r) => r.kind === 'other')!;
    assert.equal(text.text, 'Accepted password for admin from 10.0.0.1');
    assert.equal(text.source, 'sshd@proxy1');
    assert.equal(text.person_id, null);
    const denied = all.find((r) => r.kind === 'web')!;
    assert.equal(Number(denied.blocked), 1);
    assert.equal(denied.person_id, null, 'no user and an unknown address: nobody');
  });

  it('splits octet-counted and newline-framed messages on one connection, whatever the packet boundaries', async () => {
    const { server } = await start();
    const messages = Array.from({ length: 40 }, (_, i) => rfc5424('squid', squidLine('jane.smith', `http://example.org/page${i}`)));
    const stream = messages.map((m, i) => (i % 2 === 0 ? octet(m) : `${m}\r\n`)).join('');
    // Cut the stream into uneven pieces so frames and counts straddle writes.
    const chunks: string[] = [];
    for (let at = 0, size = 7; at < stream.length; at += size, size = (size * 3) % 500 || 11) chunks.push(stream.slice(at, at + size));
    await sendTcp(server.tcpPort, chunks);
    await waitFor('all 40 events', async () => (await count()) === 40);
    const urls = new Set((await rows()).map((r) => r.url));
    for (let i = 0; i < 40; i++) assert.ok(urls.has(`http://example.org/page${i}`), `page${i} arrived`);
    assert.equal(server.stats().malformed, 0);
  });

  it('counts malformed, oversized and mis-encoded lines without dropping the connection', async () => {
    const { server, warnings } = await start();
    const latin1 = Buffer.concat([Buffer.from(rfc3164('kiosk', 'caf')), Buffer.from([0xe9]), Buffer.from(' menu\n')]);
    await sendTcp(server.tcpPort, [
      'this is not syslog\n',
      `${rfc3164('squid', 'not a squid line')}\n`,
      `<134>${'x'.repeat(1024 * 1024)}\n`,
      latin1,
      `${rfc3164('squid', squidLine('jane.smith', 'http://example.org/after'))}\n`,
    ]);
    await waitFor('the readable messages', async () => (await count()) === 2);
    const all = await rows();
    assert.equal(all.find((r) => r.kind === 'other')!.text, 'caf\uFFFD menu', 'Latin-1 bytes become U+FFFD, not a failure');
    assert.ok(
      all.some((r) => r.url === 'http://example.org/after'),
      'the line after the bad ones still arrives',
    );
    await waitFor('the counts', () => server.stats().malformed === 3);
    assert.ok(warnings.length >= 1 && warnings.length < 3, 'rejections are logged, but not one entry each');
  });

  it('keeps what came before a connection closed mid-frame, and the next connection works', async () => {
    const { server } = await start();
    const whole = rfc5424('squid', squidLine('jane.smith', 'http://example.org/whole'));
    const cut = rfc5424('squid', squidLine('jane.smith', 'http://example.org/cut'));
    await sendTcp(server.tcpPort, [octet(whole), `${Buffer.byteLength(cut)} ${cut.slice(0, 30)}`]);
    await sendTcp(server.tcpPort, [`${rfc5424('squid', squidLine('jane.smith', 'http://example.org/next'))}\n`]);
    await waitFor('two events', async () => (await count()) === 2);
    await waitFor('the cut frame to be counted', () => server.stats().malformed === 1);
    assert.deepEqual((await rows()).map((r) => r.url).sort(), ['http://example.org/next', 'http://example.org/whole']);
  });

  it('pauses a TCP sender while the intake is full, and every message still arrives', async () => {
    const { server } = await start({ maxPending: 50, maxQueuedPerConnection: 100 });
    const total = 3000;
    const lines = Array.from({ length: total }, (_, i) => `${rfc3164('squid', squidLine('jane.smith', `http://example.org/${i}`))}\n`);
    const chunks: string[] = [];
    for (let i = 0; i < total; i += 250) chunks.push(lines.slice(i, i + 250).join(''));
    await sendTcp(server.tcpPort, chunks);
    await waitFor(`${total} events`, async () => (await count()) === total);
    const stats = server.stats();
    assert.ok(stats.pauses > 0, 'the socket was paused');
    assert.equal(stats.committed, total);
    assert.equal(stats.droppedBusy + stats.droppedFailed, 0);
    assert.equal(new Set((await rows()).map((r) => r.url)).size, total, 'no message stored twice');
  });

  it('pauses a TCP sender of big frames once the bytes it holds pass the limit, not only the number of frames', async () => {
    sink = new EventSink(ctx.store, { batchSize: 200 });
    const own = sink;
    // Commits wait until the connection has been seen to pause, so everything read stays held.
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    const gated: EventIntake = {
      accept: async (events, options) => {
        await opened;
        return own.accept(events, options);
      },
      whenReady: () => own.whenReady(),
      stats: () => own.stats(),
      close: () => own.close(),
    };
    server = await startSyslogServer({
      host: '127.0.0.1',
      port: 0,
      db: ctx.db,
      intake: gated,
      attributor: new Attributor(ctx.db),
      maxHeldBytesPerConnection: 256 * 1024,
    });
    const total = 40;
    const frames = Array.from({ length: total }, (_, i) => `${rfc3164('notes', `${i} ${'x'.repeat(50 * 1024)}`)}\n`).join('');
    const socket = await openTcp(server.tcpPort);
    const written = new Promise<void>((resolve, reject) => socket.write(frames, (e) => (e ? reject(e) : resolve())));
    try {
      await waitFor('the connection to pause', () => server!.stats().pauses > 0);
    } finally {
      open();
    }
    await written;
    await new Promise<void>((resolve) => socket.end(() => resolve()));
    await waitFor(`${total} events`, async () => (await count()) === total);
    assert.equal(server.stats().droppedBusy + server.stats().droppedFailed, 0);
  });

  it('remembers a bounded number of sender addresses, however many send', async () => {
    sink = new EventSink(ctx.store, { batchSize: 200 });
    server = await startSyslogServer({
      host: '127.0.0.1',
      port: 0,
      db: ctx.db,
      intake: sink,
      attributor: new Attributor(ctx.db),
      maxCachedSenders: 3,
    });
    const senders = Array.from({ length: 8 }, (_, i) => `127.0.0.${11 + i}`);
    for (const from of senders) await sendUdp(server.udpPort, [rfc3164('notes', `from ${from}`)], from);
    await waitFor('every sender’s message', async () => (await count()) === senders.length);
    assert.ok(server.stats().cachedSenders <= 3, `${server.stats().cachedSenders} senders remembered`);
  });

  it('drops UDP messages the intake has no room for, and counts them', async () => {
    const { server } = await start({ maxPending: 5 });
    const messages = Array.from({ length: 50 }, (_, i) => rfc5424('squid', squidLine('jane.smith', `http://example.org/u${i}`)));
    await sendUdp(server.udpPort, messages);
    await waitFor('every datagram to be accounted for', () => {
      const s = server.stats();
      return s.received === 50 && s.committed + s.droppedBusy === 50;
    });
    assert.ok(server.stats().droppedBusy > 0);
    assert.equal(await count(), server.stats().committed);
  });

  it('stores nothing and counts it when there is no school to file a message under', async () => {
    const empty = await createTestStore();
    try {
      const emptyCtx = testContext(empty);
      const ownSink = new EventSink(empty.store, {});
      const own = await startSyslogServer({
        host: '127.0.0.1',
        port: 0,
        db: emptyCtx.db,
        intake: ownSink,
        attributor: new Attributor(emptyCtx.db),
      });
      await sendUdp(own.udpPort, [rfc5424('squid', squidLine('jane.smith', 'http://example.org/'))]);
      await waitFor('the message to be counted', () => own.stats().unassigned === 1);
      await own.close();
      await ownSink.close();
      const n = await emptyCtx.db
        .selectFrom('monitor_events')
        .select((e) => e.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(n.n), 0);
    } finally {
      await empty.cleanup();
    }
  });
});

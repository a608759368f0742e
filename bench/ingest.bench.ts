// Sustained ingestion into monitor_events through EventSink, on SQLite and on PostgreSQL in the
// same run: several concurrent senders each accept() 500 events at a time and wait for the
// commit, as the capture API does. The named peer is a Kysely multi-row INSERT of the same
// batches in a transaction each (how the rest of the code writes rows).
// Run: npm run bench -- ingest   (BENCH_INGEST_EVENTS=300000, BENCH_INGEST_SENDERS=8,
// PostgreSQL from TUTELA_TEST_PG_URL, default the local server)
import { performance } from 'node:perf_hooks';
import { newEventId } from '../src/activity/ids.js';
import type { MonitorEvent } from '../src/monitor/model.js';
import { EventSink } from '../src/monitor/ingest/sink.js';
import { createTestStore, type TestStore } from '../src/testing/store.js';

const EVENTS = Number(process.env.BENCH_INGEST_EVENTS ?? 300_000);
const SENDERS = Number(process.env.BENCH_INGEST_SENDERS ?? 8);
const PER_CALL = 500;
const BATCH_SIZE = Number(process.env.BENCH_INGEST_BATCH ?? 2000);
const TARGET = 50_000;

const SITES = ['www.google.co.uk', 'www.bbc.co.uk', 'www.youtube.com', 'en.wikipedia.org', 'classroom.google.com', 'www.tiktok.com'];
const WORDS = 'the homework is due tomorrow can you send me the maths answers lol what time is football practice see you at lunch'.split(
  ' ',
);

/** Realistic sizes: a proxy line's URL and host, a chat message of 60–200 characters on a third of them. */
function makeEvents(count: number, schoolId: string): MonitorEvent[] {
  const out: MonitorEvent[] = [];
  const received = new Date();
  for (let i = 0; i < count; i++) {
    const host = SITES[i % SITES.length]!;
    const chat = i % 3 === 0;
    let text: string | null = null;
    if (chat) {
      const words: string[] = [];
      for (let w = 0; w < 12 + (i % 25); w++) words.push(WORDS[(i * 7 + w) % WORDS.length]!);
      text = words.join(' ');
    }
    out.push({
      id: newEventId(),
      schoolId,
      // Events arrive roughly in time order (50 a millisecond here) but up to 2 s late, as
      // senders batch and forward. Times cycling over one fixed second instead make every
      // insert into the (school_id, at) index land at a random place and run several times slower.
      at: new Date(received.getTime() - 10_000 + Math.floor(i / 50) - ((i * 7919) % 2000)),
      receivedAt: received,
      sourceId: 'bench-source',
      source: chat ? 'capture:Teams chat' : 'squid@proxy1',
      kind: chat ? 'chat' : i % 7 === 0 ? 'search' : 'web',
      personId: i % 5 === 0 ? null : `00000000-0000-4000-8000-${String(i % 1500).padStart(12, '0')}`,
      username: `student${i % 1500}`,
      clientAddress: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      device: `LAB-PC-${i % 120}`,
      host,
      url: chat ? null : `https://${host}/search?q=${WORDS[i % WORDS.length]}+${WORDS[(i + 3) % WORDS.length]}&ie=UTF-8&oq=${i}`,
      searchTerms: i % 7 === 0 ? `${WORDS[i % WORDS.length]} ${WORDS[(i + 3) % WORDS.length]}` : null,
      text,
      blocked: i % 11 === 0,
    });
  }
  return out;
}

async function countRows(t: TestStore): Promise<number> {
  const r = await t.store.db
    .selectFrom('monitor_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** SENDERS concurrent loops, each taking the next PER_CALL events and waiting for their commit. */
async function drive(all: MonitorEvent[], send: (chunk: MonitorEvent[]) => Promise<void>): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: SENDERS }, async () => {
      while (next < all.length) {
        const chunk = all.slice(next, next + PER_CALL);
        next += PER_CALL;
        await send(chunk);
      }
    }),
  );
  return performance.now() - start;
}

async function throughSink(dialect: 'sqlite' | 'postgres'): Promise<number> {
  const t = await createTestStore(dialect);
  try {
    const all = makeEvents(EVENTS, 'bench-school');
    const sink = new EventSink(t.store, { batchSize: BATCH_SIZE, maxPending: 1_000_000 });
    const ms = await drive(all, (chunk) => sink.accept(chunk));
    await sink.close();
    const stored = await countRows(t);
    if (stored !== EVENTS) throw new Error(`${dialect}: ${stored} rows stored, expected ${EVENTS}`);
    return EVENTS / (ms / 1000);
  } finally {
    await t.cleanup();
  }
}

/** The peer: a Kysely multi-row INSERT per sender call, in its own transaction. */
async function throughKysely(dialect: 'sqlite' | 'postgres'): Promise<number> {
  const t = await createTestStore(dialect);
  try {
    const all = makeEvents(EVENTS, 'bench-school');
    // SQLite allows 32,766 bound values per statement and PostgreSQL 65,535: 16 columns fit 1000 rows.
    const ms = await drive(all, (chunk) =>
      t.store.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('monitor_events')
          .values(
            chunk.map((e) => ({
              id: e.id,
              school_id: e.schoolId,
              at: e.at.toISOString(),
              received_at: e.receivedAt.toISOString(),
              source_id: e.sourceId,
              source: e.source,
              kind: e.kind,
              person_id: e.personId,
              username: e.username,
              client_address: e.clientAddress,
              device: e.device,
              host: e.host,
              url: e.url,
              search_terms: e.searchTerms,
              text: e.text,
              blocked: e.blocked === null ? null : e.blocked ? 1 : 0,
            })),
          )
          .execute();
      }),
    );
    const stored = await countRows(t);
    if (stored !== EVENTS) throw new Error(`${dialect}: ${stored} rows stored by Kysely, expected ${EVENTS}`);
    return EVENTS / (ms / 1000);
  } finally {
    await t.cleanup();
  }
}

const results = [];
for (const dialect of ['sqlite', 'postgres'] as const) {
  const sink = await throughSink(dialect);
  const kysely = await throughKysely(dialect);
  results.push({ dialect, sink, kysely });
}
console.log(`ingestion of ${EVENTS} events, ${SENDERS} concurrent senders of ${PER_CALL}, sink batches of up to ${BATCH_SIZE}`);
for (const r of results) {
  console.log(
    `  ${r.dialect.padEnd(8)} EventSink ${String(Math.round(r.sink)).padStart(7)} events/s (${(r.sink / TARGET).toFixed(2)}× the ${TARGET}/s target)` +
      `   Kysely multi-row INSERT ${String(Math.round(r.kysely)).padStart(7)} events/s   EventSink / Kysely ${(r.sink / r.kysely).toFixed(2)}×`,
  );
}

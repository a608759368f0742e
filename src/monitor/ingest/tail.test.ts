import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, renameSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { addUser, seedSchool } from '../../testing/fixtures.js';
import { createTestStore, type TestStore, testContext } from '../../testing/store.js';
import { Attributor } from './attribute.js';
import type { EventIntake } from './intake.js';
import { EventSink } from './sink.js';
import { startTailer, type Tailer } from './tail.js';

let sequence = 0;
/** A Squid line with a unique URL, so the test can tell duplicates from distinct lines. */
function squidLine(user = 'jane.smith'): string {
  sequence++;
  const unix = (1_795_539_599 + sequence).toFixed(3);
  return `${unix}    150 10.0.0.5 TCP_MISS/200 5120 GET http://example.org/line${sequence} ${user} HIER_DIRECT/151.101.0.81 text/html\n`;
}
const squidLines = (n: number) => Array.from({ length: n }, () => squidLine()).join('');

async function waitFor(what: string, check: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('tailed log files', () => {
  let t: TestStore;
  let ctx: ReturnType<typeof testContext>;
  let dir: string;
  let file: string;
  let jane: string;
  let sink: EventSink;
  let tailer: Tailer | null = null;
  let warnings: object[] = [];

  before(async () => {
    t = await createTestStore();
    ctx = testContext(t);
    const { schoolId } = await seedSchool(ctx);
    jane = (await addUser(ctx, schoolId, 'jane.smith', ['student'], { yearGroup: 8 })).personId;
  });
  after(async () => {
    await t.cleanup();
  });
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tutela-tail-'));
    file = path.join(dir, 'access.log');
    sink = new EventSink(ctx.store, { batchSize: 100 });
    warnings = [];
  });
  afterEach(async () => {
    await tailer?.close();
    tailer = null;
    await sink.close();
    rmSync(dir, { recursive: true, force: true });
    await ctx.db.deleteFrom('monitor_events').execute();
    await ctx.db.deleteFrom('monitor_tail_positions').execute();
  });

  const start = (options: { intake?: EventIntake; chunkBytes?: number; format?: 'squid' | 'e2guardian' } = {}) =>
    startTailer({
      path: file,
      format: options.format ?? 'squid',
      db: ctx.db,
      intake: options.intake ?? sink,
      attributor: new Attributor(ctx.db),
      pollMs: 20,
      chunkBytes: options.chunkBytes,
      log: { warn: (o) => warnings.push(o), error: (o) => warnings.push(o) },
    });
  const urls = async () => (await ctx.db.selectFrom('monitor_events').select('url').execute()).map((r) => r.url!);
  const count = async () => (await urls()).length;
  /** Every stored URL once: a line read twice would show as a repeat. */
  const assertNoRepeats = async () => {
    const all = await urls();
    assert.equal(new Set(all).size, all.length, 'no line stored twice');
  };

  it('starts at the end of an existing file the first time, then takes each line appended', async () => {
    writeFileSync(file, squidLines(25));
    tailer = await start();
    appendFileSync(file, squidLines(10));
    await waitFor('10 events', async () => (await count()) === 10);
    const rows = await ctx.db.selectFrom('monitor_events').selectAll().execute();
    assert.ok(rows.every((r) => r.person_id === jane && r.source === 'squid:access.log' && r.kind === 'web'));
    const position = await ctx.db.selectFrom('monitor_tail_positions').selectAll().executeTakeFirstOrThrow();
    assert.equal(position.path, file);
    assert.equal(Number(position.byte_offset), statSync(file).size);
    const s = statSync(file, { bigint: true });
    assert.equal(position.file_id, `${s.dev}:${s.ino}`);
  });

  it('reads a file that appears after it started from its beginning', async () => {
    tailer = await start();
    writeFileSync(file, squidLines(5));
    await waitFor('5 events', async () => (await count()) === 5);
  });

  it('resumes after a restart where the last commit ended: nothing lost, nothing twice', async () => {
    writeFileSync(file, '');
    tailer = await start();
    appendFileSync(file, squidLines(100));
    await waitFor('100 events', async () => (await count()) === 100);
    await tailer.close();
    // Written while stopped, ending in half a line the writer has not finished.
    const half = squidLine();
    appendFileSync(file, squidLines(50) + half.slice(0, 40));
    tailer = await start();
    await waitFor('150 events', async () => (await count()) === 150);
    appendFileSync(file, half.slice(40));
    await waitFor('the finished line', async () => (await count()) === 151);
    await tailer.close();
    tailer = await start();
    appendFileSync(file, squidLines(1));
    await waitFor('152 events', async () => (await count()) === 152);
    await assertNoRepeats();
  });

  it('finishes a renamed file, then reads its replacement from the start', async () => {
    writeFileSync(file, '');
    tailer = await start();
    appendFileSync(file, squidLines(10));
    await waitFor('10 events', async () => (await count()) === 10);
    renameSync(file, `${file}.1`);
    // The writer has not reopened its log yet: these still go to the old file.
    appendFileSync(`${file}.1`, squidLines(5));
    writeFileSync(file, squidLines(7));
    await waitFor('22 events', async () => (await count()) === 22);
    assert.equal(tailer.stats().rotations, 1);
    await assertNoRepeats();
  });

  it('finishes a file rotated while it was stopped, found beside the new one', async () => {
    writeFileSync(file, '');
    tailer = await start();
    appendFileSync(file, squidLines(10));
    await waitFor('10 events', async () => (await count()) === 10);
    await tailer.close();
    appendFileSync(file, squidLines(3));
    renameSync(file, `${file}.1`);
    writeFileSync(file, squidLines(4));
    tailer = await start();
    await waitFor('17 events', async () => (await count()) === 17);
    await assertNoRepeats();
  });

  it('keeps its place in a rotated file when stopped while finishing it, and finishes it after a restart', async () => {
    // Holds the first commit of the rotated file's lines until the tailer has been told to stop.
    let gate: { reached: () => void; release: Promise<void> } | null = null;
    const gated: EventIntake = {
      accept: async (events, options) => {
        const g = gate;
        if (g) {
          gate = null;
          g.reached();
          await g.release;
        }
        return sink.accept(events, options);
      },
      whenReady: () => sink.whenReady(),
      stats: () => sink.stats(),
      close: () => sink.close(),
    };
    writeFileSync(file, '');
    tailer = await start({ intake: gated, chunkBytes: 1024 });
    appendFileSync(file, squidLines(10));
    await waitFor('10 events', async () => (await count()) === 10);
    let release!: () => void;
    const reached = new Promise<void>((resolve) => {
      gate = { reached: resolve, release: new Promise<void>((r) => (release = r)) };
    });
    renameSync(file, `${file}.1`);
    // Many chunks' worth in the old file, so stopping after the first leaves most of it unread.
    appendFileSync(`${file}.1`, squidLines(50));
    writeFileSync(file, squidLines(7));
    await reached;
    const closing = tailer.close();
    release();
    await closing;
    tailer = await start();
    await waitFor('every line of both files', async () => (await count()) === 67);
    await assertNoRepeats();
  });

  it('reads e2guardian’s local times in the offset of their own date, not of the day they are read', async () => {
    tailer = await start({ format: 'e2guardian' });
    // One line from winter and one from summer: whenever the test runs, one of them is in the other offset.
    const line = (date: string, page: string) =>
      `${date} 10:00:00 jane.smith 10.0.0.5 http://example.org/${page}  GET 10240 0  1 200 text/html - Default -\n`;
    writeFileSync(file, line('2026.1.14', 'winter') + line('2026.7.14', 'summer'));
    await waitFor('2 events', async () => (await count()) === 2);
    const rows = await ctx.db.selectFrom('monitor_events').select(['url', 'at']).orderBy('url').execute();
    assert.deepEqual(
      rows.map((r) => [r.url, r.at]),
      [
        ['http://example.org/summer', '2026-07-14T09:00:00.000Z'],
        ['http://example.org/winter', '2026-01-14T10:00:00.000Z'],
      ],
    );
  });

  it('starts again from the beginning of a file truncated in place', async () => {
    writeFileSync(file, '');
    tailer = await start();
    appendFileSync(file, squidLines(20));
    await waitFor('20 events', async () => (await count()) === 20);
    truncateSync(file, 0);
    await waitFor('the truncation to be noticed', () => tailer!.stats().rotations === 1);
    appendFileSync(file, squidLines(3));
    await waitFor('23 events', async () => (await count()) === 23);
    await assertNoRepeats();
  });

  it('skips and counts malformed, over-long and huge lines, and reads on past them', async () => {
    writeFileSync(file, '');
    tailer = await start({ chunkBytes: 256 * 1024 });
    const latin1 = Buffer.concat([
      Buffer.from('1795539599.123 150 10.0.0.5 TCP_MISS/200 5120 GET http://example.org/caf'),
      Buffer.from([0xe9]),
      Buffer.from(' jane.smith HIER_DIRECT/1.2.3.4 text/html\n'),
    ]);
    appendFileSync(file, 'not a squid line\n');
    appendFileSync(file, `${'x'.repeat(100 * 1024)}\n`);
    appendFileSync(file, `${'y'.repeat(1024 * 1024)}\n`);
    appendFileSync(file, latin1);
    appendFileSync(file, squidLines(2));
    await waitFor('3 events', async () => (await count()) === 3);
    assert.ok((await urls()).includes('http://example.org/caf\uFFFD'), 'Latin-1 bytes become U+FFFD');
    assert.equal(tailer.stats().malformed, 3);
    assert.ok(warnings.length >= 1 && warnings.length < 3, 'rejections are logged, but not one entry each');
    await waitFor('the position to reach the end', async () => {
      const p = await ctx.db.selectFrom('monitor_tail_positions').select('byte_offset').executeTakeFirst();
      return Number(p?.byte_offset) === statSync(file).size;
    });
  });

  it('waits while the intake is full instead of dropping lines', async () => {
    const small = new EventSink(ctx.store, { batchSize: 10, maxPending: 20 });
    writeFileSync(file, '');
    tailer = await start({ intake: small });
    appendFileSync(file, squidLines(500));
    await waitFor('500 events', async () => (await count()) === 500);
    assert.ok(small.stats().refused > 0, 'the intake did refuse');
    await tailer.close();
    tailer = null;
    await small.close();
    await assertNoRepeats();
  });
});

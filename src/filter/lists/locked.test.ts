import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { seedSchool } from '../../testing/fixtures.js';
import { createTestStore, testContext, type TestStore } from '../../testing/store.js';
import { listsStamp, loadLists } from './load.js';
import { LOCKED_TEST_SOURCE, parseLockedList, refreshLockedLists } from './locked.js';
import { listRows, serve, type TestHttpServer, tempDir } from './test-support.js';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describe('locked lists', () => {
  let t: TestStore;
  let ctx: ReturnType<typeof testContext>;
  let work: ReturnType<typeof tempDir>;
  let server: TestHttpServer;
  let served: { status: number; body: string };
  let plainFile: string;

  before(async () => {
    t = await createTestStore();
    work = tempDir();
    plainFile = path.join(work.dir, 'iwf.txt');
    writeFileSync(plainFile, '# licensed list\nAbuse-One.example.\nhttp://abuse-two.example/some/Path\n\nnot a host\n');
    served = { status: 200, body: `${sha('terror-one.example')}\n${sha('terror-two.example/page').toUpperCase()}\nnot-a-digest\n` };
    server = await serve((_req, res) => {
      res.writeHead(served.status, { 'content-type': 'text/plain' });
      res.end(served.body);
    });
    ctx = testContext(t, {
      TUTELA_LOCKED_LISTS: JSON.stringify([
        { category: 'illegal_csam', source: plainFile, format: 'plain' },
        { category: 'illegal_terrorism', source: `${server.url}/ctiru.txt`, format: 'sha256' },
      ]),
    });
    await seedSchool(ctx);
  });
  after(async () => {
    await server.close();
    work.remove();
    await t.cleanup();
  });

  it('parses plain and hashed lists, skipping what is not an entry', () => {
    assert.deepEqual(parseLockedList('a.example\nhttps://b.example/x\n#c\nbad host\n', 'plain'), {
      domains: ['a.example'],
      urls: ['b.example/x'],
      skipped: 1,
    });
    assert.deepEqual(parseLockedList(`${'A'.repeat(64)}\n${'b'.repeat(63)}\n`, 'sha256'), {
      domains: ['a'.repeat(64)],
      urls: [],
      skipped: 1,
    });
  });

  it('stores a plain file, a hashed URL list and the built-in test entries, all locked', async () => {
    const stampBefore = await listsStamp(t.store.db);
    const report = await refreshLockedLists(ctx);
    assert.deepEqual(
      report.lists.map((l) => [l.source, l.category, l.status, l.entries, l.skippedLines]),
      [
        ['locked:test', 'illegal_csam', 'applied', 1, 0],
        ['locked:test', 'illegal_terrorism', 'applied', 1, 0],
        ['locked:0', 'illegal_csam', 'applied', 2, 1],
        ['locked:1', 'illegal_terrorism', 'applied', 2, 1],
      ],
    );
    const rows = await listRows(t.store.db);
    assert.ok(rows.every((r) => Number(r.locked) === 1));
    assert.deepEqual(
      rows.map((r) => [r.source, r.category, r.format]),
      [
        ['locked:0', 'illegal_csam', 'plain'],
        ['locked:1', 'illegal_terrorism', 'sha256'],
        ['locked:test', 'illegal_csam', 'plain'],
        ['locked:test', 'illegal_terrorism', 'plain'],
      ],
    );
    const loaded = await loadLists(t.store.db);
    assert.notEqual(loaded.stamp, stampBefore);
    assert.deepEqual(loaded.categories, []);
    const bySource = Object.fromEntries(loaded.locked.map((l) => [`${l.source}/${l.category}`, l]));
    assert.deepEqual(bySource['locked:0/illegal_csam']!.plain, ['abuse-one.example', 'abuse-two.example/some/Path']);
    assert.deepEqual(
      bySource['locked:1/illegal_terrorism']!.sha256.sort(),
      [sha('terror-one.example'), sha('terror-two.example/page')].sort(),
    );
    assert.deepEqual(bySource[`${LOCKED_TEST_SOURCE}/illegal_csam`]!.plain, ['iwf-test.tutela.test']);
    assert.deepEqual(bySource[`${LOCKED_TEST_SOURCE}/illegal_terrorism`]!.plain, ['ctiru-test.tutela.test']);
    // Counts only in the change-control log: the entries are addresses of illegal material.
    const log = await t.store.db.selectFrom('filter_change_log').selectAll().where('entity', '=', 'locked_list').execute();
    assert.equal(log.length, 4);
    assert.ok(log.every((l) => !`${l.before}${l.after}${l.summary}`.includes('abuse')));
  });

  it('does nothing when nothing changed, so the stamp stays', async () => {
    const stamp = await listsStamp(t.store.db);
    const report = await refreshLockedLists(ctx);
    assert.ok(report.lists.every((l) => l.status === 'unchanged'));
    assert.equal(await listsStamp(t.store.db), stamp);
  });

  it('keeps the list in force when the download fails, is empty or shrinks', async () => {
    const before = await listRows(t.store.db);
    for (const [status, body, pattern] of [
      [503, 'busy', /answered 503/],
      [200, '# nothing here\n', /no valid entry/],
      [200, `${sha('terror-one.example')}\n`.repeat(1), /shrinks by 50%/],
    ] as const) {
      served = { status, body };
      const report = await refreshLockedLists({
        ...ctx,
        config: { ...ctx.config, filter: { ...ctx.config.filter, maxShrinkPercent: 40 } },
      });
      const ctiru = report.lists.find((l) => l.source === 'locked:1')!;
      assert.equal(ctiru.status, 'kept');
      assert.match(ctiru.error ?? '', pattern);
      assert.deepEqual(await listRows(t.store.db), before);
    }
    const history = await t.store.db.selectFrom('filter_list_imports').select(['status']).where('source', '=', 'locked:1').execute();
    assert.equal(history.filter((h) => h.status === 'rejected').length, 3);
  });

  it('picks up a changed list, and the stamp moves even within the same millisecond', async () => {
    served = { status: 200, body: `${sha('terror-one.example')}\n${sha('terror-three.example')}\n` };
    const stamp = await listsStamp(t.store.db);
    const report = await refreshLockedLists(ctx);
    assert.equal(report.lists.find((l) => l.source === 'locked:1')!.status, 'applied');
    const after = await listsStamp(t.store.db);
    assert.notEqual(after, stamp);
    const loaded = await loadLists(t.store.db);
    assert.ok(loaded.locked.find((l) => l.source === 'locked:1')!.sha256.includes(sha('terror-three.example')));
  });
});

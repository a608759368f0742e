import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { seedSchool } from '../../testing/fixtures.js';
import { createTestStore, testContext, type TestStore } from '../../testing/store.js';
import { LOCKED_CATEGORIES } from '../categories.js';
import { importUt1, UT1_SOURCE } from './import.js';
import { loadLists } from './load.js';
import { refreshLockedLists } from './locked.js';
import { listStatus } from './status.js';
import { copyTree, listRows, tempDir, UT1_DIR, writeTree } from './test-support.js';
import { UT1_CATEGORY_MAP } from './ut1-map.js';

const actor = { accountId: null, name: 'test' };

/** Unique non-blank lines of the real (not linked) folders mapped to each category, read independently of the importer. */
function expectedCounts(dir: string) {
  const counts = new Map<string, { domains: Set<string>; urls: Set<string> }>();
  for (const folder of readdirSync(dir, { withFileTypes: true })) {
    if (!folder.isDirectory()) continue;
    const category = UT1_CATEGORY_MAP[folder.name];
    if (!category) continue;
    const entry = counts.get(category) ?? { domains: new Set<string>(), urls: new Set<string>() };
    for (const [file, into] of [
      ['domains', entry.domains],
      ['urls', entry.urls],
    ] as const) {
      let text = '';
      try {
        text = readFileSync(path.join(dir, folder.name, file), 'utf8');
      } catch {
        continue;
      }
      for (const raw of text.split('\n')) {
        const line = raw.trim();
        if (!line) continue;
        // Host names are case-insensitive, URL paths are not.
        const slash = line.indexOf('/');
        const host = (slash === -1 ? line : line.slice(0, slash)).toLowerCase().replace(/^\./, '');
        into.add(slash === -1 ? host : host + line.slice(slash));
      }
    }
    counts.set(category, entry);
  }
  return counts;
}

describe('UT1 import from a folder', () => {
  let t: TestStore;
  let ctx: ReturnType<typeof testContext>;
  let work: ReturnType<typeof tempDir>;

  before(async () => {
    t = await createTestStore();
    ctx = testContext(t);
    await seedSchool(ctx, 'First Academy');
    await seedSchool(ctx, 'Second Academy');
    work = tempDir();
  });
  after(async () => {
    work.remove();
    await t.cleanup();
  });

  it('imports the shared UT1 data with counts that match the files, then finds nothing new on a re-import', async () => {
    const report = await importUt1(ctx, { source: UT1_DIR, actor, reason: 'first import' });
    assert.equal(report.status, 'applied', report.error ?? '');
    const expected = expectedCounts(UT1_DIR);
    assert.equal(report.categories.length, expected.size);
    for (const c of report.categories) {
      const e = expected.get(c.category)!;
      assert.deepEqual(c.after, { domains: e.domains.size, urls: e.urls.size }, c.category);
      assert.equal(c.added, e.domains.size + e.urls.size);
      assert.equal(c.removed, 0);
    }
    const games = report.categories.find((c) => c.category === 'games')!;
    assert.deepEqual(games.after, { domains: 33741, urls: 1655 });
    // Links are read once, under their target: `porn -> adult` does not add a second copy.
    assert.ok(report.links.includes('porn -> adult'));
    assert.deepEqual(report.categories.find((c) => c.category === 'pornography')!.folders, ['adult']);
    assert.ok(report.ignoredFolders.includes('liste_blanche') && report.ignoredFolders.includes('child'));

    const rows = await listRows(t.store.db);
    assert.ok(rows.every((r) => r.source === UT1_SOURCE && Number(r.locked) === 0));
    assert.ok(rows.every((r) => !LOCKED_CATEGORIES.includes(r.category as never)));
    const changes = await t.store.db.selectFrom('filter_change_log').selectAll().where('entity', '=', 'category_lists').execute();
    assert.equal(changes.length, 2, 'one change-control entry per trust');
    assert.ok(changes.every((c) => c.reason === 'first import' && c.school_id === null && c.entity_id === report.id));

    const loaded = await loadLists(t.store.db);
    const gambling = loaded.categories.find((c) => c.category === 'gambling')!;
    assert.ok(gambling.domains.includes(readFileSync(path.join(UT1_DIR, 'gambling', 'domains'), 'utf8').split('\n')[0]!));
    const status = await listStatus(t.store.db);
    assert.equal(status.categories.find((c) => c.category === 'games')!.domains, 33741);
    assert.equal(status.lastImport?.status, 'applied');

    const again = await importUt1(ctx, { source: UT1_DIR, actor });
    assert.equal(again.status, 'unchanged');
    assert.equal(again.totals.added, 0);
    assert.equal(again.totals.removed, 0);
    assert.deepEqual(await listRows(t.store.db), rows);
  });

  it('reports exact additions and removals for a modified copy', async () => {
    const copy = copyTree(path.join(UT1_DIR), path.join(work.dir, 'modified'));
    const file = path.join(copy, 'gambling', 'domains');
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    const removed = lines.slice(0, 7);
    writeFileSync(
      file,
      `${[...lines.slice(7), 'new-casino-one.example', 'NEW-casino-two.example.', '# a comment', 'not a domain'].join('\n')}\n`,
    );
    const before = await listRows(t.store.db);
    const report = await importUt1(ctx, { source: copy, actor, reason: 'modified copy' });
    assert.equal(report.status, 'applied', report.error ?? '');
    const gambling = report.categories.find((c) => c.category === 'gambling')!;
    assert.deepEqual([gambling.added, gambling.removed], [2, 7]);
    assert.deepEqual(gambling.addedExamples, ['new-casino-one.example', 'new-casino-two.example']);
    // arjel (also gambling) may list a removed domain too; the examples are the removed ones that no folder lists now.
    assert.ok(gambling.removedExamples.every((d) => removed.includes(d)));
    assert.deepEqual([gambling.skipped.comments, gambling.skipped.invalid, gambling.skipped.invalidExamples], [1, 1, ['not a domain']]);
    assert.deepEqual([report.totals.added, report.totals.removed], [2, 7]);
    const after = await listRows(t.store.db);
    const changedCategories = after
      .filter((r) => before.find((b) => b.category === r.category)?.sha256 !== r.sha256)
      .map((r) => r.category);
    assert.deepEqual(changedCategories, ['gambling']);
    // Restore the shared data for the next tests.
    assert.equal((await importUt1(ctx, { source: UT1_DIR, actor })).status, 'applied');
  });

  it('refuses a shrunken list and keeps the lists in force', async () => {
    const copy = copyTree(UT1_DIR, path.join(work.dir, 'shrunk'));
    const file = path.join(copy, 'games', 'domains');
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    writeFileSync(file, `${lines.slice(0, Math.floor(lines.length / 3)).join('\n')}\n`);
    const before = await listRows(t.store.db);
    const report = await importUt1(ctx, { source: copy, actor });
    assert.equal(report.status, 'rejected');
    assert.match(report.error ?? '', /games \(−6\d\.\d%\)/);
    assert.deepEqual(await listRows(t.store.db), before);
    const record = await t.store.db.selectFrom('filter_list_imports').selectAll().where('id', '=', report.id).executeTakeFirstOrThrow();
    assert.equal(record.status, 'rejected');
    assert.equal(JSON.parse(record.report!).categories.find((c: { category: string }) => c.category === 'games').after.domains, 11247);
  });

  it('refuses a source with no known category, a missing folder, and a UT1 folder named like an illegal category', async () => {
    const before = await listRows(t.store.db);
    const odd = writeTree(path.join(work.dir, 'odd'), {
      illegal_csam: { domains: ['should-never-be-locked.example'] },
      illegal_terrorism: { domains: ['nor-this.example'] },
      'not-a-ut1-folder': { domains: ['x.example'] },
    });
    const report = await importUt1(ctx, { source: odd, actor });
    assert.equal(report.status, 'rejected');
    assert.match(report.error ?? '', /no known UT1 category/);
    assert.deepEqual(report.unknownFolders, ['illegal_csam', 'illegal_terrorism', 'not-a-ut1-folder']);
    const missing = await importUt1(ctx, { source: path.join(work.dir, 'nowhere'), actor });
    assert.equal(missing.status, 'rejected');
    assert.deepEqual(await listRows(t.store.db), before);
  });

  it('never touches the locked lists', async () => {
    await refreshLockedLists(ctx);
    const locked = (await listRows(t.store.db)).filter((r) => r.source.startsWith('locked:'));
    assert.equal(locked.length, 2);
    const copy = copyTree(UT1_DIR, path.join(work.dir, 'with-extra'));
    writeFileSync(path.join(copy, 'gambling', 'urls'), 'iwf-test.tutela.test/x\n', { flag: 'a' });
    writeFileSync(path.join(copy, 'vpn', 'domains'), 'ctiru-test.tutela.test\n', { flag: 'a' });
    const report = await importUt1(ctx, { source: copy, actor });
    assert.equal(report.status, 'applied');
    assert.deepEqual(
      (await listRows(t.store.db)).filter((r) => r.source.startsWith('locked:')),
      locked,
    );
    const loaded = await loadLists(t.store.db);
    assert.ok(loaded.categories.every((c) => !LOCKED_CATEGORIES.includes(c.category)));
    assert.deepEqual(
      loaded.locked.map((l) => [l.source, l.category, l.plain]),
      [
        ['locked:test', 'illegal_csam', ['iwf-test.tutela.test']],
        ['locked:test', 'illegal_terrorism', ['ctiru-test.tutela.test']],
      ],
    );
  });

  it('a reason that is too short is refused before anything is read', async () => {
    const runs = await t.store.db.selectFrom('filter_list_imports').select('id').execute();
    await assert.rejects(importUt1(ctx, { source: UT1_DIR, actor, reason: ' x ' }), { id: 'filter.reason_required' });
    assert.equal((await t.store.db.selectFrom('filter_list_imports').select('id').execute()).length, runs.length);
  });
});

describe('UT1 trees with links', () => {
  let t: TestStore;
  let ctx: ReturnType<typeof testContext>;
  let work: ReturnType<typeof tempDir>;

  before(async () => {
    t = await createTestStore();
    ctx = testContext(t);
    work = tempDir();
  });
  after(async () => {
    work.remove();
    await t.cleanup();
  });

  it('reads symlinked and link-file folders once, merges folders of one category, and ignores links out of the tree', async () => {
    const outside = writeTree(path.join(work.dir, 'outside'), { secret: { domains: ['outside.example'] } });
    const root = writeTree(path.join(work.dir, 'tree'), {
      adult: { domains: ['a.example', 'B.example.'], urls: ['a.example/x'] },
      porn: { link: 'adult' },
      'porn-copy': { linkFile: 'adult' },
      vpn: { domains: ['vpn.example', 'both.example'] },
      doh: { domains: ['doh.example', 'both.example'] },
      redirector: { domains: ['proxy.example'] },
      escape: { link: path.join(outside, 'secret') },
    });
    writeTree(path.join(root, 'strict_redirector'), {});
    writeFileSync(path.join(root, 'vpn', 'urls'), '../redirector/domains');
    const report = await importUt1(ctx, { source: root, actor });
    assert.equal(report.status, 'applied', report.error ?? '');
    const byCategory = Object.fromEntries(report.categories.map((c) => [c.category, c]));
    assert.deepEqual(byCategory.pornography!.after, { domains: 2, urls: 1 });
    assert.deepEqual(byCategory.pornography!.folders, ['adult']);
    assert.deepEqual(byCategory.circumvention!.after, { domains: 4, urls: 0 });
    assert.equal(byCategory.circumvention!.skipped.duplicates, 1);
    assert.deepEqual(report.links.sort(), ['porn -> adult', 'porn-copy -> adult']);
    assert.deepEqual(report.brokenLinks, ['escape']);
    const loaded = await loadLists(t.store.db);
    assert.ok(!JSON.stringify(loaded).includes('outside.example'));
  });
});

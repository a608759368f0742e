import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { seedSchool } from '../../testing/fixtures.js';
import { createTestStore, testContext, type TestStore } from '../../testing/store.js';
import { listRows, tempDir, writeTree } from './test-support.js';
import { runCli } from '../../testing/cli.js';

describe('tutela lists', () => {
  let t: TestStore;
  let work: ReturnType<typeof tempDir>;
  let tree: string;
  const run = (...args: string[]) => runCli(t, args, { TUTELA_UT1_SOURCE: tree });

  before(async () => {
    t = await createTestStore();
    await seedSchool(testContext(t));
    work = tempDir();
    tree = writeTree(path.join(work.dir, 'ut1'), {
      gambling: { domains: ['bet.example', 'casino.example'], urls: ['games.example/poker'] },
      chat: { domains: ['talk.example', '# a comment', 'bad host'] },
    });
  });
  after(async () => {
    work.remove();
    await t.cleanup();
  });

  it('imports the configured source and prints a JSON report', () => {
    const r = run('lists', 'import', '--json', '--reason', 'initial lists');
    assert.equal(r.code, 0, r.err);
    const report = JSON.parse(r.out);
    assert.equal(report.status, 'applied');
    const chat = report.categories.find((c: { category: string }) => c.category === 'messaging_chat');
    assert.deepEqual([chat.after.domains, chat.skipped.comments, chat.skipped.invalid], [1, 1, 1]);
  });

  it('shows the status, as text and as JSON', () => {
    const text = run('lists', 'status');
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /gambling\s+2 domains\s+1 URLs/);
    assert.match(text.out, /Last import: applied/);
    const json = JSON.parse(run('lists', 'status', '--json').out);
    assert.equal(json.categories.find((c: { category: string }) => c.category === 'messaging_chat').domains, 1);
  });

  it('exits non-zero on a refused import and leaves the lists alone', async () => {
    const before = await listRows(t.store.db);
    const r = run('lists', 'import', '--source', path.join(work.dir, 'nowhere'));
    assert.equal(r.code, 3);
    assert.match(r.out, /rejected — .*is not a folder/);
    assert.deepEqual(await listRows(t.store.db), before);
  });
});

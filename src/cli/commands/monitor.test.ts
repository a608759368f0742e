import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { insertActivity } from '../../monitor/reports/testing.js';
import { startSmtpSink } from '../../notify/test-support.js';
import { addUser, seedSchool } from '../../testing/fixtures.js';
import { createTestStore, testContext, type TestStore } from '../../testing/store.js';
import { BUILT_CLI, cliEnv } from '../../testing/cli.js';

const HEADER = 'term,category,severity,language,whole_word,near_phrase,near_words,exceptions';

describe('tutela monitor scan', () => {
  let dir = '';
  let library = '';
  const scan = (input: string | Buffer, ...args: string[]) => {
    const r = spawnSync(process.execPath, [BUILT_CLI, 'monitor', 'scan', ...args], { input, encoding: 'utf8', timeout: 60_000 });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  const jsonLines = (out: string) =>
    out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tutela-monitor-'));
    library = path.join(dir, 'library.csv');
    writeFileSync(
      library,
      `${HEADER}\nkill myself,suicide,critical,en,,,,\nkill,violence,medium,en,true,,,kill the process|kill time\nkms,suicide,critical,en,false,,,\ncut,self_harm,high,en,,wrist,3,\n`,
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one JSON object per input line, with an empty list where nothing matched', () => {
    const r = scan('i want to k1ll mys3lf\nhow do I kill the process?\n\nk.m.s\n', '--json', '--keywords', library);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(jsonLines(r.out), [
      {
        line: 1,
        alerts: [
          { category: 'violence', severity: 'medium', term: 'kill' },
          { category: 'suicide', severity: 'critical', term: 'kill myself' },
        ],
      },
      { line: 2, alerts: [] },
      { line: 3, alerts: [] },
      { line: 4, alerts: [{ category: 'suicide', severity: 'critical', term: 'kms' }] },
    ]);
  });

  it('prints a readable line per alert, with what was typed', () => {
    const r = scan('fine\ncut my wrist\n', '--keywords', library);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, 'line 2: high self_harm "cut" (wrote "cut" at 0)\n');
  });

  it('answers every line of a long input, in order', () => {
    const input = Array.from({ length: 20_000 }, (_, i) => (i % 1000 === 999 ? 'kms' : `message ${i}`)).join('\n');
    const r = scan(input, '--json', '--keywords', library);
    assert.equal(r.code, 0, r.err);
    const lines = jsonLines(r.out);
    assert.equal(lines.length, 20_000);
    assert.equal(lines.at(-1).line, 20_000);
    assert.equal(lines.filter((l) => l.alerts.length > 0).length, 20);
  });

  it('replaces bytes that are not UTF-8 and goes on scanning', () => {
    const input = Buffer.concat([Buffer.from('ok\n'), Buffer.from([0xff, 0xfe, 0x20]), Buffer.from('kms\r\nlast')]);
    const r = scan(input, '--json', '--keywords', library);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(
      jsonLines(r.out).map((l) => [l.line, l.alerts.length]),
      [
        [1, 0],
        [2, 1],
        [3, 0],
      ],
    );
  });

  it('rejects a library with a broken row, naming the row, and scans nothing', () => {
    const broken = path.join(dir, 'broken.csv');
    writeFileSync(broken, `${HEADER}\nkms,suicide,critical,en,,,,\nfoo,weapons,high,en,,,,\n`);
    const r = scan('kms\n', '--json', '--keywords', broken);
    assert.equal(r.code, 2);
    assert.match(r.err, /Line 3: unknown category "weapons"/);
    assert.equal(r.out, '');
  });

  it('fails clearly when the library file is missing', () => {
    const r = scan('kms\n', '--keywords', path.join(dir, 'nope.csv'));
    assert.equal(r.code, 2);
    assert.match(r.err, /cannot read the library/);
  });

  it('uses the default library when none is given', () => {
    const r = scan('i want to k1ll mys3lf\nScunthorpe United 2 Essex 1\n', '--json');
    assert.equal(r.code, 0, r.err);
    const [first, second] = jsonLines(r.out);
    assert.ok(first.alerts.some((a: { category: string }) => a.category === 'suicide'));
    assert.deepEqual(second, { line: 2, alerts: [] });
  });
});

describe('tutela monitor report and purge', () => {
  let t: TestStore;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let oldId = '';
  let recentId = '';
  // Asynchronous, so the SMTP sink in this process can answer while the command runs.
  const run = (...args: string[]) =>
    new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const child = spawn(process.execPath, [BUILT_CLI, 'monitor', ...args], { env: cliEnv(t, { TUTELA_SMTP_URL: smtp.url }) });
      let out = '';
      let err = '';
      child.stdout.on('data', (c) => (out += c));
      child.stderr.on('data', (c) => (err += c));
      child.on('close', (code) => resolve({ code, out, err }));
    });

  before(async () => {
    t = await createTestStore();
    smtp = await startSmtpSink();
    const ctx = testContext(t);
    ctx.clock.set(new Date('2026-01-01T09:00:00Z'));
    const { schoolId } = await seedSchool(ctx);
    const dsl = await addUser(ctx, schoolId, 'dee.dsl', ['staff', 'dsl']);
    const pupil = await addUser(ctx, schoolId, 'amy.zephyrine', ['student'], { yearGroup: 8 });
    await t.store.db.updateTable('people').set({ email: 'dee@school.example' }).where('id', '=', dsl.personId).execute();
    await insertActivity(ctx, {
      schoolId,
      at: '2026-07-14T08:00:00.000Z',
      action: 'block',
      category: 'gambling',
      personId: pupil.personId,
    });
    await insertActivity(ctx, { schoolId, at: '2026-07-14T09:00:00.000Z', action: 'allow', personId: pupil.personId });
    oldId = await insertActivity(ctx, { schoolId, at: '2020-01-01T00:00:00.000Z', action: 'allow' });
    // The command runs on the real clock: a row from yesterday is within any retention period.
    recentId = await insertActivity(ctx, { schoolId, at: new Date(Date.now() - 86_400_000).toISOString(), action: 'allow' });
  });
  after(async () => {
    await smtp?.close();
    await t?.cleanup();
  });

  it('explains itself', async () => {
    const report = await run('report', '--help');
    assert.equal(report.code, 0);
    for (const option of ['--daily', '--weekly', '--date <YYYY-MM-DD>', '--no-send', '--school <school>'])
      assert.ok(report.out.includes(option), option);
    assert.match(report.out, /running it again shows the stored one and sends nothing/);
    const purge = await run('purge', '--help');
    assert.equal(purge.code, 0);
    assert.match(purge.out, /--dry-run/);
    assert.match(purge.out, /open and escalated alerts are never\s+deleted/);
  });

  it('makes and sends the daily summary once', async () => {
    const first = await run('report', '--daily', '--date', '2026-07-14');
    assert.equal(first.code, 0, first.err);
    assert.match(
      first.out,
      /^Daily internet-usage summary for Tuesday 14 July 2026 \(report [\w-]+\)\n {2}2 requests seen, 1 blocked, 0 new alerts\n {2}e-mailed to 1 DSLs\n$/,
    );
    assert.equal(smtp.messages.length, 1);
    assert.deepEqual(smtp.messages[0]!.to, ['dee@school.example']);
    assert.ok(!smtp.messages[0]!.data.includes('Zephyrine'));
    const again = await run('report', '--date', '2026-07-14', '--json');
    assert.equal(again.code, 0, again.err);
    const json = JSON.parse(again.out);
    assert.equal(json.created, false);
    assert.deepEqual(json.data.totals, { requests: 2, blocked: 1, alerts: 0 });
    assert.equal(json.data.people[0].name, 'Amy Zephyrine');
    assert.equal(smtp.messages.length, 1, 'not sent twice');
  });

  it('refuses a date that is not a calendar date, and both kinds at once', async () => {
    const bad = await run('report', '--date', '2026-02-30');
    assert.equal(bad.code, 2);
    assert.match(bad.err, /date must be a calendar date written YYYY-MM-DD/);
    const both = await run('report', '--daily', '--weekly');
    assert.equal(both.code, 2);
    assert.match(both.err, /choose one of --daily and --weekly/);
  });

  it('purges old activity, after a dry run that deletes nothing', async () => {
    const count = async () => (await t.store.db.selectFrom('activity_events').select('id').execute()).map((r) => r.id);
    const dry = await run('purge', '--dry-run');
    assert.equal(dry.code, 0, dry.err);
    // The July rows the summary was made from are older than 90 days too.
    assert.match(dry.out, /Test Academy: would delete 3 filter activity rows and 0 monitoring events before /);
    assert.match(dry.out, /Dry run: nothing was deleted\./);
    assert.ok((await count()).includes(oldId));
    const real = await run('purge');
    assert.equal(real.code, 0, real.err);
    assert.match(real.out, /Test Academy: deleted 3 filter activity rows/);
    assert.deepEqual(await count(), [recentId]);
    const purge = await t.store.db.selectFrom('monitor_purges').selectAll().executeTakeFirstOrThrow();
    assert.equal(purge.ran_by, 'command-line');
  });
});

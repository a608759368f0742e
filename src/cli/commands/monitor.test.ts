import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

// The built program, exactly as a school runs it (npm test builds before testing).
const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../dist/cli/main.js');
const HEADER = 'term,category,severity,language,whole_word,near_phrase,near_words,exceptions';

describe('tutela monitor scan', () => {
  let dir = '';
  let library = '';
  const scan = (input: string | Buffer, ...args: string[]) => {
    const r = spawnSync(process.execPath, [MAIN, 'monitor', 'scan', ...args], { input, encoding: 'utf8', timeout: 60_000 });
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

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Insertable } from 'kysely';
import type { Role } from '../../access/roles.js';
import { newId } from '../../db/ids.js';
import type { MonitorAlertTable } from '../../db/tables.js';
import { addUser, seedSchool, TEST_PASSWORD } from '../../testing/fixtures.js';
import { sessionPool, startTestServer } from '../../testing/http.js';
import { createTestStore, testContext } from '../../testing/store.js';
import { parseCsv } from '../../directory/import/parse.js';
import { libraryFromCsv, libraryToCsv } from '../keywords/csv.js';
import { DEFAULT_LIBRARY } from '../keywords/default-library.js';
import type { KeywordEntry } from '../keywords/types.js';
import { compileLibrary, scanText } from '../matcher/index.js';
import { currentLibrary } from './current.js';
import { falsePositiveRates } from './false-positives.js';

const BASE = '/api/monitor/library';

async function libraryWorld() {
  const store = await createTestStore();
  const ctx = testContext(store, { TUTELA_DEMO_PASSWORD: TEST_PASSWORD });
  ctx.clock.set(new Date('2026-11-24T09:00:00Z'));
  const { schoolId, trustId } = await seedSchool(ctx, 'Milford Haven School');
  const other = await seedSchool(ctx, 'Other School', trustId);
  const user = (username: string, roles: Role[], school = schoolId) =>
    addUser(ctx, school, username, roles, { isDemo: true, ...(roles.includes('student') ? { yearGroup: 9 } : {}) });
  await user('dee.dsl', ['staff', 'dsl']);
  await user('dan.deputy', ['staff', 'dsl']);
  await user('hal.head', ['staff', 'head']);
  await user('nat.netman', ['staff', 'network_manager']);
  await user('tia.teacher', ['staff']);
  await user('gil.governor', ['governor']);
  await user('sam.student', ['student']);
  await user('oda.dsl', ['staff', 'dsl'], other.schoolId);
  const server = await startTestServer(ctx);
  return {
    ctx,
    schoolId,
    otherSchoolId: other.schoolId,
    as: sessionPool(server.url, TEST_PASSWORD),
    close: async () => {
      await server.close();
      await store.cleanup();
    },
  };
}

const newEntry = (over: Partial<KeywordEntry> = {}): Omit<KeywordEntry, 'id'> & { id?: string } => ({
  term: 'hate my reflection',
  category: 'self_harm',
  severity: 'high',
  language: 'en',
  ...over,
});

describe('keyword library API', () => {
  let w: Awaited<ReturnType<typeof libraryWorld>>;
  before(async () => {
    w = await libraryWorld();
  });
  after(async () => w?.close());

  const storedVersions = async (schoolId = w.schoolId) =>
    (await w.ctx.db.selectFrom('monitor_library_versions').select('version').where('school_id', '=', schoolId).execute()).length;
  const current = async () => (await (await w.as('dee.dsl')).get(`${BASE}/`)).body;

  it('serves the built-in default as version 0 to the DSL, the head and the network manager', async () => {
    for (const username of ['dee.dsl', 'hal.head', 'nat.netman']) {
      const res = await (await w.as(username)).get(`${BASE}/`);
      assert.equal(res.status, 200, username);
      assert.equal(res.body.version, 0);
      assert.equal(res.body.createdBy, null);
      assert.equal(res.body.total, DEFAULT_LIBRARY.length);
      assert.equal(res.body.entries.length, DEFAULT_LIBRARY.length);
      assert.deepEqual(
        res.body.entries.map((e: KeywordEntry) => e.id),
        DEFAULT_LIBRARY.map((e) => e.id),
      );
      assert.ok(
        res.body.entries.every((e: { falsePositiveRate: unknown; alerts: number }) => e.falsePositiveRate === null && e.alerts === 0),
      );
    }
    const versions = await (await w.as('hal.head')).get(`${BASE}/versions`);
    assert.deepEqual(
      versions.body.map((v: { version: number; entryCount: number }) => [v.version, v.entryCount]),
      [[0, DEFAULT_LIBRARY.length]],
    );
    const zero = await (await w.as('hal.head')).get(`${BASE}/versions/0`);
    assert.equal(zero.body.entries.length, DEFAULT_LIBRARY.length);
    assert.equal((await (await w.as('hal.head')).get(`${BASE}/versions/7`)).status, 404);
  });

  it('filters by category, language and search text, folding the search as the matcher does', async () => {
    const dsl = await w.as('dee.dsl');
    const suicide = (await dsl.get(`${BASE}/?category=suicide`)).body;
    assert.ok(suicide.total > 0);
    assert.equal(suicide.total, DEFAULT_LIBRARY.filter((e) => e.category === 'suicide').length);
    assert.ok(suicide.entries.every((e: KeywordEntry) => e.category === 'suicide'));
    const polish = (await dsl.get(`${BASE}/?language=pl`)).body;
    assert.equal(polish.total, DEFAULT_LIBRARY.filter((e) => e.language === 'pl').length);
    assert.ok(polish.total > 0);
    const kms = (await dsl.get(`${BASE}/?q=${encodeURIComponent('K.M.S')}`)).body;
    assert.ok(kms.entries.some((e: KeywordEntry) => e.term === 'kms'));
    assert.ok(kms.total < DEFAULT_LIBRARY.length);
    const paged = (await dsl.get(`${BASE}/?offset=5&limit=3`)).body;
    assert.deepEqual(
      paged.entries.map((e: KeywordEntry) => e.id),
      DEFAULT_LIBRARY.slice(5, 8).map((e) => e.id),
    );
    assert.equal((await dsl.get(`${BASE}/?category=weather`)).status, 400);
  });

  it('refuses pupils, teachers and governors everything, and the head and network manager changes', async () => {
    for (const username of ['tia.teacher', 'gil.governor', 'sam.student']) {
      const client = await w.as(username);
      for (const path of ['/', '/versions', '/versions/0', '/export.csv']) {
        assert.equal((await client.get(`${BASE}${path}`)).status, 403, `${username} GET ${path}`);
      }
      assert.equal((await client.post(`${BASE}/entries`, { baseVersion: 0, entry: newEntry() })).status, 403, username);
    }
    for (const username of ['hal.head', 'nat.netman']) {
      const client = await w.as(username);
      const attempts = [
        await client.post(`${BASE}/entries`, { baseVersion: 0, entry: newEntry() }),
        await client.put(`${BASE}/entries/en-suicide-kms`, { baseVersion: 0, entry: newEntry() }),
        await client.post(`${BASE}/entries/en-suicide-kms/delete`, { baseVersion: 0 }),
        await client.post(`${BASE}/versions/0/restore`, { baseVersion: 0 }),
        await client.post(`${BASE}/import`, { baseVersion: 0, csv: libraryToCsv(DEFAULT_LIBRARY), mode: 'replace', dryRun: true }),
      ];
      for (const res of attempts) assert.equal(res.status, 403, `${username}: ${JSON.stringify(res.body)}`);
    }
    assert.equal(await storedVersions(), 0);
  });

  it('makes a version of each add, edit and delete, with summaries, audit entries and the analyser seeing them', async () => {
    const dsl = await w.as('dee.dsl');
    const added = await dsl.post(`${BASE}/entries`, {
      baseVersion: 0,
      entry: newEntry({ exceptions: ['i hate my reflection in the lake'] }),
    });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    assert.equal(added.body.version, 1);
    assert.equal(added.body.summary, "Added 'hate my reflection' (self_harm, high)");
    assert.equal(added.body.entryCount, DEFAULT_LIBRARY.length + 1);

    let library = await currentLibrary(w.ctx.db, w.schoolId);
    assert.equal(library.version, 1);
    const stored = library.entries.find((e) => e.id === 'en-self_harm-hate-my-reflection');
    assert.ok(stored, 'the id is derived from language, category and term');
    // The analyser compiles what currentLibrary returns: the new term now raises a match.
    assert.equal(
      scanText(compileLibrary(library.entries), 'honestly I hate my reflection').filter((m) => m.entryId === stored.id).length,
      1,
    );

    const edited = await dsl.put(`${BASE}/entries/${stored.id}`, {
      baseVersion: 1,
      entry: { ...newEntry({ severity: 'critical' }), wholeWord: false },
    });
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    assert.equal(edited.body.version, 2);
    assert.equal(
      edited.body.summary,
      "Changed 'hate my reflection' (self_harm, critical): severity high → critical; now matches inside words; exceptions i hate my reflection in the lake → none",
    );
    library = await currentLibrary(w.ctx.db, w.schoolId);
    assert.deepEqual(
      library.entries.find((e) => e.id === stored.id),
      { id: stored.id, term: 'hate my reflection', category: 'self_harm', severity: 'critical', language: 'en', wholeWord: false },
    );

    const removed = await dsl.post(`${BASE}/entries/en-suicide-kms/delete`, { baseVersion: 2 });
    assert.equal(removed.status, 200, JSON.stringify(removed.body));
    assert.equal(removed.body.version, 3);
    assert.match(removed.body.summary, /^Removed 'kms' \(suicide, /);
    library = await currentLibrary(w.ctx.db, w.schoolId);
    assert.equal(library.version, 3);
    assert.equal(library.entries.length, DEFAULT_LIBRARY.length);
    assert.ok(!library.entries.some((e) => e.id === 'en-suicide-kms'));

    const versions = (await (await w.as('hal.head')).get(`${BASE}/versions`)).body;
    assert.deepEqual(
      versions.map((v: { version: number; createdBy: string | null }) => [v.version, v.createdBy]),
      [
        [3, 'dee.dsl'],
        [2, 'dee.dsl'],
        [1, 'dee.dsl'],
        [0, null],
      ],
    );
    assert.equal((await dsl.get(`${BASE}/versions/1`)).body.entries.length, DEFAULT_LIBRARY.length + 1);

    const audit = await w.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'actor_username', 'school_id', 'details'])
      .where('target_type', '=', 'monitor_library')
      .orderBy('seq')
      .execute();
    assert.deepEqual(
      audit.map((a) => [a.action, a.actor_username, a.school_id]),
      [
        ['monitor.keywords.entry_add', 'dee.dsl', w.schoolId],
        ['monitor.keywords.entry_change', 'dee.dsl', w.schoolId],
        ['monitor.keywords.entry_remove', 'dee.dsl', w.schoolId],
      ],
    );
    assert.equal(JSON.parse(audit[0]!.details).version, 1);
  });

  it('refuses a change made from an old version with 409, so two DSLs lose nothing', async () => {
    const before = await current();
    const deputy = await w.as('dan.deputy');
    const stale = await deputy.post(`${BASE}/entries`, { baseVersion: before.version - 1, entry: newEntry({ term: 'razor blade' }) });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.error, 'conflict');
    assert.match(stale.body.message, new RegExp(`version ${before.version} \\(by dee\\.dsl\\) is now the newest`));
    for (const res of [
      await deputy.put(`${BASE}/entries/en-self_harm-hate-my-reflection`, { baseVersion: 0, entry: newEntry() }),
      await deputy.post(`${BASE}/entries/en-self_harm-hate-my-reflection/delete`, { baseVersion: 1 }),
      await deputy.post(`${BASE}/versions/0/restore`, { baseVersion: before.version + 1 }),
      await deputy.post(`${BASE}/import`, { baseVersion: 0, csv: libraryToCsv(DEFAULT_LIBRARY), mode: 'replace' }),
    ]) {
      assert.equal(res.status, 409, JSON.stringify(res.body));
    }
    assert.equal((await current()).version, before.version);

    // Two DSLs saving from the same version at once: exactly one wins.
    const dsl = await w.as('dee.dsl');
    const race = await Promise.all([
      dsl.post(`${BASE}/entries`, { baseVersion: before.version, entry: newEntry({ term: 'blade on my arm' }) }),
      deputy.post(`${BASE}/entries`, { baseVersion: before.version, entry: newEntry({ term: 'burn my arm' }) }),
    ]);
    assert.deepEqual(race.map((r) => r.status).sort(), [201, 409]);
    const after = await current();
    assert.equal(after.version, before.version + 1);
    assert.equal(after.entries.filter((e: KeywordEntry) => e.term === 'blade on my arm' || e.term === 'burn my arm').length, 1);
  });

  it('refuses invalid entries with 422 naming the problem, and stores nothing', async () => {
    const dsl = await w.as('dee.dsl');
    const { version } = await current();
    const count = await storedVersions();
    const cases: [Partial<KeywordEntry>, RegExp][] = [
      [{ term: 'unal1ve', category: 'suicide' }, /"unal1ve" in suicide is already in the library as "unalive"/],
      [{ term: '!!!' }, /no letters or digits once normalised|only punctuation/],
      [{ exceptions: ['the lake district'] }, /does not contain "hate my reflection"/],
      [{ language: 'english!' }, /is not a language tag/],
      [{ near: { phrase: 'hate my reflection', words: 3 } }, /the near phrase is the term itself/],
      [
        { id: 'en-suicide-unalive-myself', term: 'mirror mirror' },
        /the id "en-suicide-unalive-myself" is already used by "unalive myself"/,
      ],
      // PostgreSQL cannot store NUL: refused by rule on both databases, never a server error.
      [{ term: 'hate my\u0000reflection' }, /control character/],
      [{ exceptions: ['i hate my reflection\tlol'] }, /control character/],
    ];
    for (const [over, message] of cases) {
      const res = await dsl.post(`${BASE}/entries`, { baseVersion: version, entry: newEntry(over) });
      assert.equal(res.status, 422, `${JSON.stringify(over)}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error, 'monitor.invalid_library');
      assert.match(res.body.message, message);
    }
    // Shapes the schema rejects before any rule runs.
    for (const entry of [
      newEntry({ category: 'weather' as never }),
      newEntry({ severity: 'urgent' as never }),
      newEntry({ term: '' }),
      newEntry({ near: { phrase: 'arm', words: 0 } }),
    ]) {
      assert.equal((await dsl.post(`${BASE}/entries`, { baseVersion: version, entry })).status, 400, JSON.stringify(entry));
    }
    assert.equal((await dsl.get(`${BASE}/versions/99999999999999999999`)).status, 400);
    assert.equal((await dsl.get(`${BASE}/versions/1e300`)).status, 400);
    const nulFile = {
      baseVersion: version,
      csv: 'term,category,severity,language\nzzq,drugs,low,en\n',
      mode: 'merge',
      fileName: 'a\u0000.csv',
    };
    assert.equal((await dsl.post(`${BASE}/import`, nulFile)).status, 400);
    const nulRow = { baseVersion: version, csv: 'term,category,severity,language\nzz\u0000q,drugs,low,en\n', mode: 'merge' };
    assert.equal((await dsl.post(`${BASE}/import`, nulRow)).status, 422);
    assert.equal((await dsl.put(`${BASE}/entries/no-such-entry`, { baseVersion: version, entry: newEntry() })).status, 404);
    // Saving an entry unchanged, or restoring the version in force, would only add noise to the history.
    const kms = (await current()).entries.find((e: KeywordEntry) => e.id === 'en-suicide-unalive');
    const { id: _id, alerts: _a, decided: _d, falsePositives: _f, falsePositiveRate: _r, ...same } = kms;
    const unchanged = await dsl.put(`${BASE}/entries/en-suicide-unalive`, { baseVersion: version, entry: same });
    assert.equal(unchanged.status, 400, JSON.stringify(unchanged.body));
    assert.match(unchanged.body.message, /Nothing about 'unalive' \(suicide, high\) would change/);
    assert.equal((await dsl.post(`${BASE}/versions/${version}/restore`, { baseVersion: version })).status, 400);
    assert.equal((await dsl.post(`${BASE}/entries/no-such-entry/delete`, { baseVersion: version })).status, 404);
    assert.equal(await storedVersions(), count);
  });

  it('restores an earlier version as a new one', async () => {
    const dsl = await w.as('dee.dsl');
    const { version } = await current();
    const res = await dsl.post(`${BASE}/versions/1/restore`, { baseVersion: version });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.version, version + 1);
    assert.equal(res.body.summary, `Restored version 1 (${DEFAULT_LIBRARY.length + 1} entries)`);
    const one = (await dsl.get(`${BASE}/versions/1`)).body.entries;
    assert.deepEqual((await currentLibrary(w.ctx.db, w.schoolId)).entries, one);
    assert.equal((await dsl.post(`${BASE}/versions/99/restore`, { baseVersion: version + 1 })).status, 404);
  });

  it('exports CSV that imports back unchanged, and a dry run stores nothing', async () => {
    const dsl = await w.as('dee.dsl');
    const before = await current();
    const exported = await dsl.get(`${BASE}/export.csv`);
    assert.equal(exported.status, 200);
    assert.match(exported.headers.get('content-type') ?? '', /^text\/csv/);
    assert.equal(exported.headers.get('content-disposition'), `attachment; filename="keyword-library-v${before.version}.csv"`);
    const csv = exported.body as string;
    const count = await storedVersions();

    const same = await dsl.post(`${BASE}/import`, { baseVersion: before.version, csv, mode: 'replace', fileName: 'keywords.csv' });
    assert.equal(same.status, 200, JSON.stringify(same.body));
    assert.deepEqual(same.body, { version: before.version, dryRun: false, added: 0, changed: 0, removed: 0, errors: [] });
    assert.equal(await storedVersions(), count, 'an import that changes nothing adds no version');
    assert.deepEqual(libraryFromCsv(csv).entries, (await currentLibrary(w.ctx.db, w.schoolId)).entries);

    // One severity changed, one row removed, one row added; the dry run reports and stores nothing.
    const lines = csv.trimEnd().split('\n');
    const kmsRow = lines.findIndex((l) => l.startsWith('en-suicide-unalive,'));
    assert.ok(kmsRow > 0);
    const edited = [
      ...lines.slice(0, kmsRow),
      lines[kmsRow]!.replace(/,(low|medium|high|critical),/, (_m, s) => (s === 'low' ? ',medium,' : ',low,')),
      ...lines.slice(kmsRow + 2),
      ',self destruct tonight,suicide,critical,en,true,,,',
    ].join('\n');
    const dry = await dsl.post(`${BASE}/import`, { baseVersion: before.version, csv: edited, mode: 'replace', dryRun: true });
    assert.equal(dry.status, 200, JSON.stringify(dry.body));
    assert.deepEqual(dry.body, { dryRun: true, added: 1, changed: 1, removed: 1, errors: [] });
    assert.equal(await storedVersions(), count);

    const real = await dsl.post(`${BASE}/import`, { baseVersion: before.version, csv: edited, mode: 'replace', fileName: 'keywords.csv' });
    assert.equal(real.status, 200, JSON.stringify(real.body));
    assert.equal(real.body.version, before.version + 1);
    const versions = (await dsl.get(`${BASE}/versions`)).body;
    assert.equal(versions[0].summary, `Imported ${lines.length - 1} entries from keywords.csv: 1 added, 1 changed, 1 removed`);
    const now = await currentLibrary(w.ctx.db, w.schoolId);
    assert.ok(now.entries.some((e) => e.id === 'en-suicide-self-destruct-tonight'));

    // Merge adds to the library and keeps what the file does not mention.
    const merged = await dsl.post(`${BASE}/import`, {
      baseVersion: now.version,
      csv: 'term,category,severity,language\nslit my wrists tonight,self_harm,critical,en\n',
      mode: 'merge',
    });
    assert.equal(merged.status, 200, JSON.stringify(merged.body));
    assert.deepEqual(
      { ...merged.body, version: undefined },
      { version: undefined, dryRun: false, added: 1, changed: 0, removed: 0, errors: [] },
    );
    assert.equal((await currentLibrary(w.ctx.db, w.schoolId)).entries.length, now.entries.length + 1);
  });

  it('exports phrases that look like formulas as text a spreadsheet will not run, and imports them back unchanged', async () => {
    const dsl = await w.as('dee.dsl');
    let { version } = await current();
    const formulas = ['=HYPERLINK("http://evil.example","kms tonight")', '+kms forever', '-unalive me now', '@kms squad'];
    for (const term of formulas) {
      const added = await dsl.post(`${BASE}/entries`, { baseVersion: version, entry: newEntry({ term, category: 'suicide' }) });
      assert.equal(added.status, 201, JSON.stringify(added.body));
      version = added.body.version;
    }
    const csv = (await dsl.get(`${BASE}/export.csv`)).body as string;
    const cells = parseCsv(csv).rows.flatMap((r) => r.values);
    const live = cells.filter((c) => /^[=+\-@\t\r]/.test(c));
    assert.deepEqual(live, [], 'no cell may start like a formula');
    for (const term of formulas) assert.ok(cells.includes(`'${term}`), term);
    const back = await dsl.post(`${BASE}/import`, { baseVersion: version, csv, mode: 'replace' });
    assert.equal(back.status, 200, JSON.stringify(back.body));
    assert.deepEqual(back.body, { version, dryRun: false, added: 0, changed: 0, removed: 0, errors: [] });
    const stored = (await currentLibrary(w.ctx.db, w.schoolId)).entries.map((e) => e.term);
    for (const term of formulas) assert.ok(stored.includes(term), term);
  });

  it('refuses a CSV with bad rows with 422 listing every row, and stores nothing', async () => {
    const dsl = await w.as('dee.dsl');
    const { version } = await current();
    const count = await storedVersions();
    const csv = [
      'term,category,severity,language,exceptions',
      'hurt myself again,self_harm,high,en,',
      'gamble it all,gaming,low,en,',
      ',drugs,low,en,',
      'hurt myself again,self_harm,medium,en,',
      'zorblatt crime,violence,high,en,',
    ].join('\n');
    for (const dryRun of [false, true]) {
      const res = await dsl.post(`${BASE}/import`, { baseVersion: version, csv, mode: 'replace', dryRun });
      assert.equal(res.status, 422, JSON.stringify(res.body));
      assert.equal(res.body.error, 'monitor.invalid_library');
      assert.deepEqual(
        res.body.details.errors.map((e: { row: number }) => e.row),
        [3, 4, 5],
      );
      assert.match(res.body.details.errors[0].message, /unknown category "gaming"/);
      assert.match(res.body.details.errors[2].message, /already on line 2/);
      assert.match(res.body.message, /nothing was saved/);
    }
    // A row the CSV reader accepts but the matcher could never find.
    const unmatchable = await dsl.post(`${BASE}/import`, {
      baseVersion: version,
      csv: 'term,category,severity,language\nzorblatt crime,violence,high,en\n"?!",violence,high,en\n',
      mode: 'merge',
    });
    assert.equal(unmatchable.status, 422, JSON.stringify(unmatchable.body));
    assert.equal(unmatchable.body.details.errors[0].row, 3);
    assert.equal((await dsl.post(`${BASE}/import`, { baseVersion: version, csv: 'nonsense\n1\n', mode: 'replace' })).status, 422);
    assert.equal(await storedVersions(), count);
    assert.equal((await current()).version, version);
  });

  it('accepts an import larger than the default request limit', async () => {
    const dsl = await w.as('dee.dsl');
    const { version } = await current();
    const rows = ['id,term,category,severity,language,whole_word,near_phrase,near_words,exceptions'];
    // Letters the matcher never folds together, each followed by an "e" so no letter repeats.
    const word = (n: number) => [...n.toString(19)].map((d) => `${'bcdfghjkmnpqrtvwxyz'[Number.parseInt(d, 19)]}e`).join('');
    // About 1.2 MB: more than the server's default 1 MB body limit.
    for (let i = 0, size = 0; size < 1_200_000; i += 1) {
      const row = `bulk-${i},watchword ${word(i)} with padding text to make the file bigger,violence,low,en,true,,,`;
      rows.push(row);
      size += row.length + 1;
    }
    const csv = `${rows.join('\n')}\n`;
    assert.ok(csv.length > 1024 * 1024);
    const res = await dsl.post(`${BASE}/import`, { baseVersion: version, csv, mode: 'replace', dryRun: true });
    assert.equal(res.status, 200, JSON.stringify(res.body).slice(0, 500));
    assert.equal(res.body.added, rows.length - 1);
  });

  it('computes each entry’s false-positive rate from its decided alerts', async () => {
    const alert = (entryId: string, status: MonitorAlertTable['status'], schoolId = w.schoolId): Insertable<MonitorAlertTable> => ({
      id: newId(),
      school_id: schoolId,
      person_id: null,
      who: 'unknown',
      profile: 'ks4',
      category: 'suicide',
      severity: 'high',
      base_severity: 'high',
      risk_raised: 0,
      entry_id: entryId,
      term: 'x',
      matched: 'x',
      source: 'capture',
      event_kind: 'text',
      event_id: null,
      device: null,
      url: null,
      excerpt: 'x',
      highlight_start: 0,
      highlight_end: 1,
      fold_key: newId(),
      count: 1,
      first_at: '2026-11-24T08:00:00Z',
      last_at: '2026-11-24T08:00:00Z',
      status,
      fp_reason: status === 'false_positive' ? 'a place name' : null,
      resolved_by: null,
      resolved_at: null,
      incident_id: null,
      keywords_version: 0,
      created_at: '2026-11-24T08:00:00Z',
    });
    const id = 'en-suicide-self-destruct-tonight';
    await w.ctx.db
      .insertInto('monitor_alerts')
      .values([
        alert(id, 'false_positive'),
        alert(id, 'false_positive'),
        alert(id, 'false_positive'),
        alert(id, 'escalated'),
        alert(id, 'open'),
        alert('en-violence-knife', 'closed'),
        // Another school's verdicts on the same entry are theirs alone.
        alert(id, 'escalated', w.otherSchoolId),
      ])
      .execute();
    const rates = await falsePositiveRates(w.ctx.db, w.schoolId);
    assert.deepEqual(rates.get(id), { alerts: 5, falsePositives: 3, resolved: 4, rate: 0.75 });
    assert.deepEqual(rates.get('en-violence-knife'), { alerts: 1, falsePositives: 0, resolved: 1, rate: 0 });

    const shown = async (username: string, entryId = id) => {
      const listed = (await (await w.as(username)).get(`${BASE}/?category=suicide&limit=20000`)).body.entries;
      const entry = listed.find((e: KeywordEntry) => e.id === entryId);
      return [entry.alerts, entry.falsePositives, entry.decided, entry.falsePositiveRate];
    };
    assert.deepEqual(await shown('dee.dsl'), [5, 3, 4, 0.75]);

    // The counts are news of alerts, so each reader counts only the alerts they may see: the head
    // those about staff, never one about themselves; the network manager none at all.
    const head = await w.ctx.db.selectFrom('accounts').select('person_id').where('username', '=', 'hal.head').executeTakeFirstOrThrow();
    const staffAlert = (over: Partial<Insertable<MonitorAlertTable>>) => ({
      ...alert(id, 'false_positive'),
      profile: 'staff' as const,
      ...over,
    });
    await w.ctx.db
      .insertInto('monitor_alerts')
      .values([staffAlert({ person_id: null }), staffAlert({ person_id: head.person_id, status: 'open', fp_reason: null })])
      .execute();
    assert.deepEqual(await shown('hal.head'), [1, 1, 1, 1]);
    assert.deepEqual(await shown('nat.netman'), [0, 0, 0, null]);
    assert.deepEqual(await shown('dee.dsl'), [7, 4, 5, 0.8]);
  });

  it("keeps each school's library its own", async () => {
    const ours = await current();
    const oda = await w.as('oda.dsl');
    const theirs = await oda.get(`${BASE}/`);
    assert.equal(theirs.body.version, 0);
    assert.equal(
      theirs.body.entries.find((e: { id: string }) => e.id === 'en-suicide-self-destruct-tonight'),
      undefined,
    );
    // Naming our version number does not reach our library: it is checked against their own.
    const res = await oda.post(`${BASE}/entries/en-suicide-self-destruct-tonight/delete`, { baseVersion: ours.version });
    assert.equal(res.status, 409);
    assert.equal((await oda.post(`${BASE}/entries/en-suicide-self-destruct-tonight/delete`, { baseVersion: 0 })).status, 404);
    assert.equal((await oda.get(`${BASE}/versions/1`)).status, 404);
    assert.equal((await current()).version, ours.version);
    assert.equal(await storedVersions(w.otherSchoolId), 0);
  });
});

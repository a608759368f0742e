import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signInEnrollingTotp } from '../directory/import/test-support.js';
import { TEST_PASSWORD } from '../testing/fixtures.js';
import { ApiClient, startTestServer } from '../testing/http.js';
import { createTestStore, testContext, type TestStore } from '../testing/store.js';
import { normaliseDate } from './import.js';
import { seedTrainingSchool } from './test-support.js';

const csv = (...lines: string[]) => `${lines.join('\r\n')}\r\n`;
const HEADER = 'Person,Kind,Title,Provider,Completed,Expires,Evidence';

describe('training CSV import', () => {
  let t: TestStore;
  let ctx: ReturnType<typeof testContext>;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let school: Awaited<ReturnType<typeof seedTrainingSchool>>;
  let head: ApiClient;
  const records = async () =>
    ctx.db.selectFrom('training_records').selectAll().where('import_id', 'is not', null).orderBy('completed_on').execute();
  const total = async () =>
    Number(
      (
        await ctx.db
          .selectFrom('training_records')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  before(async () => {
    t = await createTestStore();
    ctx = testContext(t);
    school = await seedTrainingSchool(ctx);
    server = await startTestServer(ctx);
    head = new ApiClient(server.url);
    await signInEnrollingTotp(head, 'hana.head', ctx.clock());
  });
  after(async () => {
    await server.close();
    await t.cleanup();
  });

  it('reads ISO and UK dates', () => {
    assert.equal(normaliseDate('2026-09-01'), '2026-09-01');
    assert.equal(normaliseDate('1/9/2026'), '2026-09-01', 'day first, as in the UK');
    assert.equal(normaliseDate('30/02/2026'), '2026-02-30', 'shape only: the calendar check follows');
    assert.equal(normaliseDate('09-01-2026'), null);
    assert.equal(normaliseDate('next week'), null);
  });

  it('rejects a file with bad rows, naming each line, and writes nothing', async () => {
    const before = await total();
    const file = csv(
      HEADER,
      'nell.noteam,Induction,Online safety induction,School,02/09/2026,,',
      'nobody.here,Annual refresher,Refresher,LA,01/10/2026,,',
      'nell.noteam,fire drill,Refresher,LA,01/10/2026,,',
      'MIS-dora.duesoon,annual refresher,Refresher,LA,30/02/2026,,',
      'mo@school.example,annual_refresher,Refresher,LA,2026-10-01,2026-09-01,',
      'stu.student,induction,Induction,School,2026-09-02,,',
      'mo@school.example,annual_refresher,,LA,2026-10-01,,',
      'nell.noteam,induction,Induction\u0000,School,2026-09-02,,',
    );
    const res = await head.post('/api/training/import', { csv: file });
    assert.equal(res.status, 422);
    assert.equal(res.body.error, 'invalid_csv');
    assert.match(res.body.message, /7 rows have problems; nothing was imported/);
    const errors = res.body.details.errors as { line: number; reason: string }[];
    assert.deepEqual(
      errors.map((e) => e.line),
      [3, 4, 5, 6, 7, 8, 9],
    );
    assert.match(errors[0]!.reason, /no member of staff or governor .* "nobody\.here"/);
    assert.match(errors[1]!.reason, /unknown kind "fire drill"/);
    assert.match(errors[2]!.reason, /2026-02-30.* not a real date/);
    assert.match(errors[3]!.reason, /not after the completion date/);
    assert.match(errors[4]!.reason, /no member of staff or governor/, 'a student is not trained here');
    assert.match(errors[5]!.reason, /title is missing/);
    assert.match(errors[6]!.reason, /NUL character/);
    assert.equal(await total(), before);

    const noColumns = await head.post('/api/training/import', { csv: csv('Person,Kind,Title', 'nell.noteam,induction,x') });
    assert.equal(noColumns.status, 422);
    assert.match(noColumns.body.message, /Line 1: the header row needs the columns provider, completed/);
    const ragged = await head.post('/api/training/import', { csv: csv(HEADER, 'nell.noteam,induction') });
    assert.equal(ragged.status, 422);
    assert.match(ragged.body.message, /Line 2: expected 7 columns/);
    assert.equal(await total(), before);
  });

  it('dry-runs, then imports a file with a BOM and UK dates, and a re-import adds nothing', async () => {
    const before = await total();
    const file = `\ufeff${csv(
      HEADER,
      'nell.noteam,Induction,Online safety induction,School,02/09/2026,,',
      'NELL.NOTEAM,annual refresher,"Online safety, refresher",National College,15/09/2026,,cert-77',
      'MIS-dee.dsl,DSL,Designated safeguarding lead update,LA,1/10/2026,01/10/2028,https://certs.example/dee',
      'gil@school.example,External,Governor e-safety briefing,NGA,2026-06-12,,',
    )}`;
    const dry = await head.post('/api/training/import', { csv: file, dryRun: true });
    assert.equal(dry.status, 200, JSON.stringify(dry.body));
    assert.deepEqual(dry.body, { status: 'dry_run', rows: 4, created: 4, duplicates: 0, errors: [] });
    assert.equal(await total(), before, 'a dry run writes nothing');

    const run = await head.post('/api/training/import', { csv: file });
    assert.deepEqual(run.body, { status: 'imported', rows: 4, created: 4, duplicates: 0, errors: [] });
    const imported = await records();
    assert.deepEqual(
      imported.map((r) => [r.person_id, r.kind, r.title, r.completed_on, r.expires_on, r.evidence]),
      [
        [school.people.governor.personId, 'external', 'Governor e-safety briefing', '2026-06-12', null, null],
        [school.people.noTeam.personId, 'induction', 'Online safety induction', '2026-09-02', null, null],
        [school.people.noTeam.personId, 'annual_refresher', 'Online safety, refresher', '2026-09-15', null, 'cert-77'],
        [school.people.dsl.personId, 'dsl', 'Designated safeguarding lead update', '2026-10-01', '2028-10-01', 'https://certs.example/dee'],
      ],
    );
    const overdue = await head.get('/api/training/overdue');
    assert.deepEqual(overdue.body.totals, { people: 7, upToDate: 4, dueSoon: 1, overdue: 2 }, 'Nell and Dee are now up to date');

    const again = await head.post('/api/training/import', { csv: file });
    assert.deepEqual(again.body, { status: 'imported', rows: 4, created: 0, duplicates: 4, errors: [] });
    assert.equal((await records()).length, 4);
    const audits = await ctx.db.selectFrom('audit_log').select('details').where('action', '=', 'training.import').execute();
    assert.deepEqual(
      audits.map((a) => JSON.parse(a.details).created),
      [4, 0],
    );
  });

  it('refuses those who may not manage training, and oversized files', async () => {
    const file = csv(HEADER, 'nell.noteam,Induction,Induction again,School,03/09/2026,,');
    for (const username of ['gil.governor', 'dee.dsl', 'una.uptodate', 'stu.student']) {
      let client = new ApiClient(server.url);
      const signIn = await client.signIn(username, TEST_PASSWORD);
      if (signIn.body.stage === 'totp_enrolment_required') {
        client = new ApiClient(server.url);
        await signInEnrollingTotp(client, username, ctx.clock());
      }
      const res = await client.post('/api/training/import', { csv: file });
      assert.equal(res.status, 403, username);
    }
    const huge = await head.post('/api/training/import', { csv: `${HEADER}\r\n${'x,'.repeat(600_000)}` });
    assert.equal(huge.status, 413);
    const tooLong = await head.post('/api/training/import', { csv: 'a'.repeat(600_000) });
    assert.equal(tooLong.status, 400);
    assert.equal((await records()).length, 4);
  });
});

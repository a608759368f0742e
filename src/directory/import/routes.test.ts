import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import iconv from 'iconv-lite';
import { addUser, seedSchool, TEST_PASSWORD } from '../../testing/fixtures.js';
import { ApiClient, startTestServer } from '../../testing/http.js';
import { createTestStore, testContext, type TestStore } from '../../testing/store.js';
import { csv, person, signInEnrollingTotp, tableCounts } from './test-support.js';

const UPLOAD_LIMIT = 4096;
const base64 = (text: string | Buffer) => (Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8')).toString('base64');
const STUDENTS = csv('UPN,Forename,Surname,Year,DOB,Reg Group', 'R1,Zoë,Ó Briain,7,03/09/2014,7A', 'R2,Siân,Evans,8,15/01/2013,8B');

describe('import routes', () => {
  let t: TestStore;
  let ctx: ReturnType<typeof testContext>;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let schoolId: string;
  let manager: ApiClient;
  let teacher: ApiClient;

  before(async () => {
    t = await createTestStore();
    ctx = testContext(t, { TUTELA_UPLOAD_LIMIT_BYTES: String(UPLOAD_LIMIT) });
    ({ schoolId } = await seedSchool(ctx));
    await addUser(ctx, schoolId, 'nina.network', ['staff', 'network_manager']);
    await addUser(ctx, schoolId, 'sam.teacher', ['staff']);
    server = await startTestServer(ctx);
    manager = new ApiClient(server.url);
    await signInEnrollingTotp(manager, 'nina.network', ctx.clock());
    teacher = new ApiClient(server.url);
    assert.equal((await teacher.signIn('sam.teacher', TEST_PASSWORD)).body.stage, 'active');
  });
  after(async () => {
    await server.close();
    await t.cleanup();
  });

  it('previews a Windows-1252 file: encoding, headings, suggested mapping and sample rows', async () => {
    const res = await manager.post('/api/directory/imports/preview', {
      kind: 'students',
      fileName: 'pupils.csv',
      contentBase64: base64(iconv.encode(STUDENTS, 'win1252')),
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.encoding, 'windows-1252');
    assert.deepEqual(res.body.headers, ['UPN', 'Forename', 'Surname', 'Year', 'DOB', 'Reg Group']);
    assert.equal(res.body.suggestedMapping.misId, 'UPN');
    assert.equal(res.body.suggestedMapping.tutorGroup, 'Reg Group');
    assert.equal(res.body.suggestedMapping.email, null);
    assert.deepEqual(res.body.sampleRows[0], ['R1', 'Zoë', 'Ó Briain', '7', '03/09/2014', '7A']);
    assert.equal(res.body.rowCount, 2);
  });

  it('lets a network manager dry-run, then apply, an import, and lists the runs', async () => {
    const dry = await manager.post('/api/directory/imports', {
      kind: 'students',
      fileName: 'pupils.csv',
      contentBase64: base64(STUDENTS),
      dryRun: true,
    });
    assert.equal(dry.status, 200);
    assert.deepEqual([dry.body.status, dry.body.created], ['dry_run', 2]);
    assert.equal(await person(t.store.db, schoolId, 'student', 'R1'), undefined);

    ctx.clock.advance(1);
    const applied = await manager.post('/api/directory/imports', {
      kind: 'students',
      fileName: 'pupils.csv',
      contentBase64: base64(STUDENTS),
      dryRun: false,
    });
    assert.equal(applied.status, 200);
    assert.deepEqual([applied.body.status, applied.body.created], ['applied', 2]);
    assert.equal((await person(t.store.db, schoolId, 'student', 'R1'))?.given_name, 'Zoë');
    const audit = await t.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'directory.import').executeTakeFirstOrThrow();
    assert.deepEqual([audit.actor_username, audit.target_id], ['nina.network', applied.body.importRunId]);

    const runs = await manager.get('/api/directory/imports');
    assert.equal(runs.status, 200);
    assert.deepEqual(
      runs.body.map((r: { status: string; createdBy: string; created: number }) => [r.status, r.createdBy, r.created]),
      [
        ['applied', 'nina.network', 2],
        ['dry_run', 'nina.network', 2],
      ],
    );
  });

  it('answers a rejected file with 422 and the full report', async () => {
    const beforeCounts = await tableCounts(t.store.db);
    const res = await manager.post('/api/directory/imports', {
      kind: 'students',
      fileName: 'bad.csv',
      contentBase64: base64(csv('UPN,Forename,Surname,Year,DOB', 'R3,Ann,Ash,7,31/02/2014', 'R4,Bo,Birch,Year 14,')),
      dryRun: false,
    });
    assert.equal(res.status, 422);
    assert.equal(res.body.error, 'invalid_csv');
    assert.equal(res.body.message, 'The file has 2 problems; nothing was imported');
    assert.equal(res.body.details.status, 'rejected');
    assert.deepEqual(
      res.body.details.errors.map((e: { line: number; field: string }) => [e.line, e.field]),
      [
        [2, 'dateOfBirth'],
        [3, 'yearGroup'],
      ],
    );
    assert.deepEqual(await tableCounts(t.store.db), { ...beforeCounts, runs: beforeCounts.runs + 1 });
  });

  it('answers broken CSV in a preview with 422 naming the line', async () => {
    const res = await manager.post('/api/directory/imports/preview', {
      kind: 'students',
      fileName: 'x.csv',
      contentBase64: base64('UPN,Surname\nR1,"Ash\n'),
    });
    assert.equal(res.status, 422);
    assert.equal(res.body.error, 'invalid_csv');
    assert.match(res.body.message, /^Line 2: /);
  });

  it('refuses an oversized upload with 413 and changes nothing', async () => {
    const beforeCounts = await tableCounts(t.store.db);
    const rows = ['UPN,Forename,Surname,Year'];
    for (let i = 0; rows.join('\n').length < UPLOAD_LIMIT * 3; i += 1) rows.push(`Z${i},Given${i},Family${i},7`);
    const huge = await manager.post('/api/directory/imports', {
      kind: 'students',
      fileName: 'huge.csv',
      contentBase64: base64(csv(...rows)),
      dryRun: false,
    });
    assert.equal(huge.status, 413);
    assert.equal(huge.body.error, 'payload_too_large');
    // Just over the limit once decoded, though the base64 body itself fits the route's body limit.
    const justOver = csv(...rows).slice(0, UPLOAD_LIMIT + 10);
    const over = await manager.post('/api/directory/imports', {
      kind: 'students',
      fileName: 'over.csv',
      contentBase64: base64(justOver),
      dryRun: false,
    });
    assert.equal(over.status, 413);
    assert.equal(over.body.error, 'payload_too_large');
    assert.deepEqual(await tableCounts(t.store.db), beforeCounts);
  });

  it('refuses a teacher on every import route', async () => {
    const beforeCounts = await tableCounts(t.store.db);
    const body = { kind: 'students', fileName: 'pupils.csv', contentBase64: base64(STUDENTS) };
    const preview = await teacher.post('/api/directory/imports/preview', body);
    const run = await teacher.post('/api/directory/imports', { ...body, dryRun: false });
    const list = await teacher.get('/api/directory/imports');
    assert.deepEqual([preview.status, run.status, list.status], [403, 403, 403]);
    assert.equal(run.body.error, 'forbidden');
    assert.deepEqual(await tableCounts(t.store.db), beforeCounts);
  });
});

describe('import routes with a large upload limit', () => {
  let t: TestStore;
  let server: Awaited<ReturnType<typeof startTestServer>>;

  before(async () => {
    t = await createTestStore();
    const ctx = testContext(t, { TUTELA_UPLOAD_LIMIT_BYTES: String(2 * 1024 * 1024) });
    const { schoolId } = await seedSchool(ctx);
    await addUser(ctx, schoolId, 'nina.network', ['staff', 'network_manager']);
    server = await startTestServer(ctx);
  });
  after(async () => {
    await server.close();
    await t.cleanup();
  });

  it('accepts a file near the upload limit, well beyond the server-wide JSON body limit', async () => {
    const manager = new ApiClient(server.url);
    await signInEnrollingTotp(manager, 'nina.network', new Date('2026-11-24T09:00:00Z'));
    const notes = 'n'.repeat(1000);
    const rows = ['UPN,Forename,Surname,Year,Notes'];
    for (let i = 0; i < 1900; i += 1) rows.push(`L${i},Given${i},Family${i},7,${notes}`);
    const file = csv(...rows);
    assert.ok(file.length > 1.8 * 1024 * 1024);
    const res = await manager.post('/api/directory/imports', {
      kind: 'students',
      fileName: 'big.csv',
      contentBase64: base64(file),
      dryRun: true,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body).slice(0, 300));
    assert.deepEqual([res.body.status, res.body.rows, res.body.created], ['dry_run', 1900, 1900]);
  });
});

import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { signInEnrollingTotp } from '../directory/import/test-support.js';
import { startSmtpSink } from '../notify/test-support.js';
import { addUser, seedSchool, TEST_PASSWORD } from '../testing/fixtures.js';
import { ApiClient, startTestServer } from '../testing/http.js';
import { createTestStore, testContext, type TestStore } from '../testing/store.js';
import { seedTrainingSchool } from './test-support.js';

type Fixture = Awaited<ReturnType<typeof setup>>;
const cleanups: (() => Promise<void>)[] = [];

async function setup(env: Record<string, string> = {}) {
  const t: TestStore = await createTestStore();
  const ctx = testContext(t, env);
  const school = await seedTrainingSchool(ctx);
  const server = await startTestServer(ctx);
  cleanups.push(async () => {
    await server.close();
    await t.cleanup();
  });
  /** Signs in a seeded user; roles bound to TOTP enrol on the way. */
  const as = async (username: string) => {
    const client = new ApiClient(server.url);
    const res = await client.signIn(username, TEST_PASSWORD);
    if (res.body.stage === 'totp_enrolment_required') {
      const fresh = new ApiClient(server.url);
      await signInEnrollingTotp(fresh, username, ctx.clock());
      return fresh;
    }
    assert.equal(res.body.stage, 'active', `${username} signs in`);
    return client;
  };
  const count = async (table: 'training_records' | 'notifications') =>
    Number(
      (
        await ctx.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const audits = async (action: string) =>
    ctx.db.selectFrom('audit_log').select(['action', 'target_id', 'details']).where('action', '=', action).execute();
  return { t, ctx, server, ...school, as, count, audits };
}

const VALID = { kind: 'annual_refresher', title: 'Online safety refresher', provider: 'LA safeguarding team', completedOn: '2026-11-20' };

describe('training records', () => {
  afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()!();
  });

  it('reports who is overdue, exactly, in total and by team, with team and kind filters', async () => {
    const f: Fixture = await setup();
    const head = await f.as('hana.head');
    const res = await head.get('/api/training/overdue');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.totals, { people: 7, upToDate: 2, dueSoon: 1, overdue: 4 });
    assert.deepEqual(
      res.body.byTeam.map((t: { name: string; people: number; overdue: number; dueSoon: number }) => [
        t.name,
        t.people,
        t.overdue,
        t.dueSoon,
      ]),
      [
        ['English', 1, 1, 0],
        ['Maths', 3, 1, 1],
        ['Senior leadership', 2, 1, 0],
        ['Governors', 1, 1, 0],
        ['No team', 1, 1, 0],
      ],
    );
    const byName = Object.fromEntries(
      res.body.people.map((p: { name: string; overdue: string[]; dueSoon: string[]; team: string }) => [
        p.name,
        [p.team, p.overdue, p.dueSoon],
      ]),
    );
    assert.deepEqual(byName, {
      'Hana Head': ['Senior leadership', [], []],
      'Una Uptodate': ['Maths', [], []],
      'Dora Duesoon': ['Maths', [], ['annual_refresher']],
      'Mo Missing': ['English, Maths', ['annual_refresher'], []],
      'Dee Dsl': ['Senior leadership', ['dsl'], []],
      'Gil Governor': ['Governors', ['annual_refresher'], []],
      'Nell Noteam': ['No team', ['induction', 'annual_refresher'], []],
    });
    assert.ok(!('email' in res.body.people[0]), 'addresses stay on the server');

    const maths = await head.get(`/api/training/overdue?teamId=${f.teams.maths}`);
    assert.deepEqual(maths.body.totals, { people: 3, upToDate: 1, dueSoon: 1, overdue: 1 });
    const governors = await head.get('/api/training/overdue?teamId=governors');
    assert.deepEqual(governors.body.totals, { people: 1, upToDate: 0, dueSoon: 0, overdue: 1 });
    const dslOnly = await head.get('/api/training/overdue?kind=dsl');
    assert.deepEqual(dslOnly.body.totals, { people: 1, upToDate: 0, dueSoon: 0, overdue: 1 });
    assert.deepEqual(
      dslOnly.body.people.map((p: { name: string }) => p.name),
      ['Dee Dsl'],
    );
    const induction = await head.get('/api/training/overdue?kind=induction');
    assert.deepEqual(induction.body.totals, { people: 7, upToDate: 6, dueSoon: 0, overdue: 1 });
    assert.equal((await head.get('/api/training/overdue?kind=fire_safety')).status, 400);

    // A governor holds training.read: the board monitors training coverage.
    const governor = await f.as('gil.governor');
    assert.deepEqual((await governor.get('/api/training/overdue')).body.totals, res.body.totals);
  });

  it("shows a person's records and status per required kind to the roles and to themselves only", async () => {
    const f = await setup();
    const teacher = await f.as('dora.duesoon');
    const own = await teacher.get(`/api/training/people/${f.people.dueSoon.personId}`);
    assert.equal(own.status, 200);
    assert.equal(own.body.state, 'due_soon');
    assert.deepEqual(
      own.body.status.map((s: { kind: string; state: string; expiresOn: string }) => [s.kind, s.state, s.expiresOn]),
      [
        ['induction', 'up_to_date', null],
        ['annual_refresher', 'due_soon', '2026-12-10'],
      ],
    );
    assert.equal(own.body.records.length, 2);

    const dsl = await (await f.as('hana.head')).get(`/api/training/people/${f.people.dsl.personId}`);
    assert.deepEqual(
      dsl.body.status.map((s: { kind: string; state: string; reason: string | null }) => [s.kind, s.state, s.reason]),
      [
        ['induction', 'up_to_date', null],
        ['annual_refresher', 'up_to_date', null],
        ['dsl', 'overdue', 'expired'],
      ],
    );

    const refused = await teacher.get(`/api/training/people/${f.people.upToDate.personId}`);
    assert.equal(refused.status, 403, "a teacher cannot read a colleague's records");
    assert.equal((await teacher.get('/api/training/overdue')).status, 403);
    assert.equal((await teacher.post('/api/training/records', { personId: f.people.dueSoon.personId, ...VALID })).status, 403);

    const student = await f.as('stu.student');
    assert.equal((await student.get('/api/training/overdue')).status, 403);
    assert.equal((await student.get(`/api/training/people/${f.people.student.personId}`)).status, 400, 'students have no training record');
    assert.equal((await student.get(`/api/training/people/${f.people.head.personId}`)).status, 403);
    const parent = await f.as('pat.parent');
    assert.equal((await parent.get('/api/training/overdue')).status, 403);
    assert.equal((await parent.get(`/api/training/people/${f.people.dueSoon.personId}`)).status, 403);
    assert.equal((await parent.get(`/api/training/people/${f.people.parent.personId}`)).status, 400);
    assert.equal((await teacher.get('/api/training/people/no-such-person')).status, 404);
  });

  it('records, corrects and deletes a course, audited, refusing bad dates and people', async () => {
    const f = await setup();
    const head = await f.as('hana.head');
    const personId = f.people.dueSoon.personId;

    const created = await head.post('/api/training/records', { personId, ...VALID, evidence: 'Certificate 4411' });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    assert.equal(created.body.expiresOn, null, 'the default period is applied when reading, not stored');
    let status = await head.get(`/api/training/people/${personId}`);
    assert.equal(status.body.state, 'up_to_date', 'the new refresher lasts until 2027-11-20');

    const bad = async (body: Record<string, unknown>, pattern: RegExp) => {
      const res = await head.post('/api/training/records', { personId, ...VALID, ...body });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.match(res.body.message, pattern);
    };
    await bad({ completedOn: '2026-02-30' }, /not a real date/);
    await bad({ completedOn: '2026-11-26' }, /in the future/);
    await bad({ completedOn: '2026-11-01', expiresOn: '2026-10-31' }, /not after the completion date/);
    await bad({ completedOn: '20/11/2026' }, /completedOn/);
    await bad({ kind: 'fire_safety' }, /kind/);
    await bad({ title: 'Refresher\u0000' }, /title/);
    await bad({ provider: '\u0000' }, /provider/);
    await bad({ evidence: 'Certificate\u0000' }, /evidence/);
    assert.equal((await head.post('/api/training/records', { ...VALID, personId: 'x\u0000' })).status, 400);
    assert.equal((await head.get('/api/training/people/x%00')).status, 400);
    assert.equal((await head.post('/api/training/records', { ...VALID, personId: f.people.student.personId })).status, 400);
    assert.equal((await head.post('/api/training/records', { ...VALID, personId: f.people.parent.personId })).status, 400);
    assert.equal((await head.post('/api/training/records', { ...VALID, personId: 'no-such-person' })).status, 404);
    assert.equal(await f.count('training_records'), 14, 'the seeded 13 and the one good record');

    const id = created.body.id;
    const corrected = await head.put(`/api/training/records/${id}`, { ...VALID, completedOn: '2025-11-20' });
    assert.equal(corrected.status, 200);
    status = await head.get(`/api/training/people/${personId}`);
    assert.equal(status.body.state, 'due_soon', 'the corrected record lapsed on 2026-11-20, so the older one decides again');
    assert.equal(status.body.status[1].expiresOn, '2026-12-10');
    assert.equal((await head.put(`/api/training/records/${id}`, { ...VALID, completedOn: '2026-02-29' })).status, 400);

    const governor = await f.as('gil.governor');
    assert.equal((await governor.post('/api/training/records', { personId, ...VALID })).status, 403, 'governors read, they do not manage');
    assert.equal((await governor.put(`/api/training/records/${id}`, VALID)).status, 403);
    assert.equal((await governor.post(`/api/training/records/${id}/delete`)).status, 403);

    assert.equal((await head.post(`/api/training/records/${id}/delete`)).status, 200);
    assert.equal((await head.post(`/api/training/records/${id}/delete`)).status, 404);
    assert.equal(await f.count('training_records'), 13);
    const trail = [
      ...(await f.audits('training.record.create')),
      ...(await f.audits('training.record.update')),
      ...(await f.audits('training.record.delete')),
    ];
    assert.deepEqual(
      trail.map((a) => [a.action, a.target_id]),
      [
        ['training.record.create', personId],
        ['training.record.update', personId],
        ['training.record.delete', personId],
      ],
    );
    assert.equal(JSON.parse(trail[1]!.details).before.completedOn, '2026-11-20', 'the correction keeps what it replaced');
  });

  it("refuses another school's head on every route", async () => {
    const f = await setup();
    const { schoolId: otherSchool } = await seedSchool(f.ctx, 'Other School');
    await addUser(f.ctx, otherSchool, 'olga.otherhead', ['staff', 'head']);
    const other = await f.as('olga.otherhead');
    const personId = f.people.dueSoon.personId;
    assert.equal((await other.get(`/api/training/people/${personId}`)).status, 403);
    assert.equal((await other.post('/api/training/records', { personId, ...VALID })).status, 403);
    const [record] = await f.ctx.db.selectFrom('training_records').select('id').where('person_id', '=', personId).execute();
    assert.equal((await other.put(`/api/training/records/${record!.id}`, VALID)).status, 403);
    assert.equal((await other.post(`/api/training/records/${record!.id}/delete`)).status, 403);
    const overdue = await other.get('/api/training/overdue');
    assert.deepEqual(overdue.body.totals, { people: 1, upToDate: 0, dueSoon: 0, overdue: 1 }, 'only their own school, themselves');
    assert.equal(await f.count('training_records'), 13);
  });

  it('reminds everyone overdue or due soon by e-mail over SMTP and in the app', async () => {
    const sink = await startSmtpSink();
    cleanups.push(() => sink.close());
    const f = await setup({ TUTELA_SMTP_URL: sink.url, TUTELA_PUBLIC_URL: 'https://tutela.school.example' });
    const head = await f.as('hana.head');

    const maths = await head.post('/api/training/reminders', { teamId: f.teams.maths });
    assert.equal(maths.status, 200);
    assert.deepEqual(maths.body, { reminded: 2, sent: 2, noEmail: 0 });
    assert.deepEqual(sink.messages.map((m) => m.to[0]).sort(), ['dora@school.example', 'mo@school.example']);
    const dora = sink.messages.find((m) => m.to[0] === 'dora@school.example')!;
    assert.match(dora.data, /Subject: \[Tutela\] Your e-safety training is due soon/);
    assert.match(dora.data, /annual e-safety refresher/);
    assert.match(dora.data, /https:\/\/tutela\.school\.example\/agreements\/training/);

    const all = await head.post('/api/training/reminders', {});
    assert.deepEqual(all.body, { reminded: 5, sent: 4, noEmail: 1 }, 'Nell has no address');
    assert.equal(sink.messages.length, 6);
    assert.ok(!sink.messages.some((m) => m.to[0] === 'una@school.example' || m.to[0] === 'hana.head@school.example'));
    assert.equal(await f.count('notifications'), 7);
    const nell = await f.as('nell.noteam');
    const notes = await nell.get('/api/notifications');
    assert.equal(notes.status, 200);
    assert.match(JSON.stringify(notes.body), /Your e-safety training is overdue/);
    assert.equal((await f.audits('training.reminders')).length, 2);

    const governor = await f.as('gil.governor');
    assert.equal((await governor.post('/api/training/reminders', {})).status, 403);
    assert.equal(sink.messages.length, 6);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Role } from '../access/roles.js';
import { verifyAuditChain } from '../audit/service.js';
import { ensureDerivedGroups } from '../directory/service.js';
import { newId } from '../db/ids.js';
import { mailParts } from '../monitor/reports/testing.js';
import { startSmtpSink } from '../notify/test-support.js';
import { addUser, seedSchool, TEST_PASSWORD } from '../testing/fixtures.js';
import { type ApiClient, sessionPool, startTestServer } from '../testing/http.js';
import { install, issueSetupToken } from '../setup/service.js';
import { createTestStore, testContext, type TestStore } from '../testing/store.js';
import { DEFAULT_AGREEMENTS } from './defaults.js';
import { agreementStatus, audienceOf, filterHolds, publishDefaultAgreements } from './service.js';
import { nextRenewalAt, saveAgreementSettings, schoolYearOf } from './settings.js';

/*
 * One school with a head, a DSL, a teacher, a governor, a guest, two families (one with a Year 1
 * and a Year 8 child, the other with a Year 2 and a Year 4 child) and a tutor group and staff
 * team; a second school in the same trust with its own head. A real SMTP sink and server. The
 * clock stands on Tuesday 24 November 2026, in the 2026-27 school year.
 */
describe('acceptable-use agreements over HTTP', () => {
  let t: TestStore;
  let ctx: ReturnType<typeof testContext>;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let as: ReturnType<typeof sessionPool>;
  let schoolId = '';
  let otherSchoolId = '';
  const people: Record<string, string> = {};
  const groups: Record<string, string> = {};

  const user = async (username: string, roles: Role[], options: { yearGroup?: number; email?: string } = {}, at = schoolId) => {
    const u = await addUser(ctx, at, username, roles, { yearGroup: options.yearGroup, isDemo: true });
    if (options.email) await ctx.db.updateTable('people').set({ email: options.email }).where('id', '=', u.personId).execute();
    people[username] = u.personId;
  };
  const mine = async (c: ApiClient) => (await c.get('/api/agreements/mine')).body;
  const acceptOwn = async (username: string) => {
    const c = await as(username);
    const own = (await mine(c)).agreements.find((a: { onBehalf: boolean }) => !a.onBehalf);
    const res = await c.post('/api/agreements/accept', { documentId: own.document.id, personId: people[username] });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  };

  before(async () => {
    t = await createTestStore();
    smtp = await startSmtpSink();
    ctx = testContext(t, {
      TUTELA_SMTP_URL: smtp.url,
      TUTELA_PUBLIC_URL: 'https://tutela.school.example',
      TUTELA_DEMO_PASSWORD: TEST_PASSWORD,
    });
    const school = await seedSchool(ctx, 'Brook School');
    schoolId = school.schoolId;
    otherSchoolId = (await seedSchool(ctx, 'Other School', school.trustId)).schoolId;
    await user('hal.head', ['staff', 'head'], { email: 'head@brook.example' });
    await user('dee.dsl', ['staff', 'dsl']);
    await user('tia.teacher', ['staff'], { email: 'tia@brook.example' });
    await user('gil.governor', ['governor']);
    await user('gus.guest', ['guest']);
    await user('pat.parent', ['parent'], { email: 'pat@home.example' });
    await user('oli.other', ['parent'], { email: 'oli@home.example' });
    await user('kit.pupil', ['student'], { yearGroup: 1 });
    await user('sam.pupil', ['student'], { yearGroup: 8, email: 'sam@pupils.brook.example' });
    await user('ola.pupil', ['student'], { yearGroup: 4 });
    await user('kim.pupil', ['student'], { yearGroup: 2 });
    await user('oth.head', ['staff', 'head'], {}, otherSchoolId);
    const link = (parent: string, student: string) =>
      ctx.db
        .insertInto('guardians')
        .values({
          parent_id: people[parent]!,
          student_id: people[student]!,
          relationship: 'Mother',
          parental_responsibility: 1,
          priority: 1,
        })
        .execute();
    await link('pat.parent', 'kit.pupil');
    await link('pat.parent', 'sam.pupil');
    await link('oli.other', 'ola.pupil');
    await link('oli.other', 'kim.pupil');

    const now = ctx.clock().toISOString();
    await ensureDerivedGroups(ctx.db, schoolId, [1, 2, 4, 8], ctx.clock());
    for (const g of await ctx.db.selectFrom('groups').select(['id', 'code']).where('school_id', '=', schoolId).execute())
      groups[g.code] = g.id;
    const group = async (
      kind: 'tutor_group' | 'staff_team',
      code: string,
      name: string,
      members: [string, 'member' | 'tutor' | 'lead'][],
    ) => {
      const id = newId();
      groups[code] = id;
      await ctx.db
        .insertInto('groups')
        .values({
          id,
          school_id: schoolId,
          kind,
          name,
          code,
          year_group: null,
          subject: null,
          status: 'active',
          created_at: now,
          updated_at: now,
        })
        .execute();
      await ctx.db
        .insertInto('group_members')
        .values(members.map(([u, role]) => ({ group_id: id, person_id: people[u]!, member_role: role })))
        .execute();
    };
    await group('tutor_group', '8Q', '8Q', [
      ['sam.pupil', 'member'],
      ['tia.teacher', 'tutor'],
    ]);
    await group('staff_team', 'ENG', 'English', [
      ['tia.teacher', 'member'],
      ['hal.head', 'lead'],
    ]);

    server = await startTestServer(ctx);
    as = sessionPool(server.url, TEST_PASSWORD);
  });

  after(async () => {
    await server?.close();
    await smtp?.close();
    await t?.cleanup();
  });

  it('knows whose agreement is whose and which school year a day falls in', () => {
    assert.equal(audienceOf({ kind: 'student', year_group: 0 }), 'ks1');
    assert.equal(audienceOf({ kind: 'student', year_group: 2 }), 'ks1');
    assert.equal(audienceOf({ kind: 'student', year_group: 3 }), 'ks2');
    assert.equal(audienceOf({ kind: 'student', year_group: 6 }), 'ks2');
    assert.equal(audienceOf({ kind: 'student', year_group: 7 }), 'secondary');
    assert.equal(audienceOf({ kind: 'student', year_group: 13 }), 'secondary');
    assert.equal(audienceOf({ kind: 'student', year_group: null }), null);
    assert.equal(audienceOf({ kind: 'student', year_group: 14 }), null);
    assert.equal(audienceOf({ kind: 'governor', year_group: null }), 'staff');
    assert.equal(audienceOf({ kind: 'guest', year_group: null }), 'community');
    assert.equal(audienceOf({ kind: 'community', year_group: null }), 'community');
    assert.equal(audienceOf({ kind: 'parent', year_group: null }), 'parent');
    assert.equal(schoolYearOf(new Date('2026-11-24T09:00:00Z'), '09-01'), '2026-27');
    // 23:30 UTC on 31 August is already 1 September in England (BST).
    assert.equal(schoolYearOf(new Date('2027-08-31T22:59:59Z'), '09-01'), '2026-27');
    assert.equal(schoolYearOf(new Date('2027-08-31T23:00:00Z'), '09-01'), '2027-28');
    assert.equal(schoolYearOf(new Date('2100-01-05T12:00:00Z'), '09-01'), '2099-00');
    assert.equal(schoolYearOf(new Date('2027-08-20T12:00:00Z'), '08-15'), '2027-28');
  });

  it('does not gate anyone in a school with no agreements', async () => {
    const tia = await as('tia.teacher');
    assert.equal((await tia.get('/api/directory/people')).status, 200);
    assert.equal((await tia.get('/api/directory/me')).body.agreementRequired, false);
    assert.deepEqual(await mine(tia), { required: false, agreements: [] });
    assert.deepEqual(await agreementStatus(ctx.db, schoolId, people['tia.teacher']!, ctx.clock()), { required: false, audience: 'staff' });
  });

  it('holds a new staff account at the agreement until it accepts, and a guest too', async () => {
    await publishDefaultAgreements(ctx.db, schoolId, ctx.clock());
    // Publishing twice adds nothing: each audience already has version 1.
    await publishDefaultAgreements(ctx.db, schoolId, ctx.clock());
    const docs = await ctx.db.selectFrom('agreement_documents').select(['audience', 'version']).where('school_id', '=', schoolId).execute();
    assert.equal(docs.length, 6);
    await acceptOwn('hal.head');
    await acceptOwn('dee.dsl');

    await user('nina.new', ['staff']);
    const nina = await as('nina.new');
    const blocked = await nina.get('/api/directory/people');
    assert.equal(blocked.status, 403);
    assert.equal(blocked.body.error, 'agreement.required');
    assert.notEqual((await nina.post('/api/auth/password', { currentPassword: 'x', newPassword: 'y' })).body.error, 'agreement.required');
    assert.equal((await nina.get('/api/notifications')).body.error, 'agreement.required');
    const me = await nina.get('/api/directory/me');
    assert.equal(me.status, 200);
    assert.equal(me.body.agreementRequired, true);
    const own = await mine(nina);
    assert.equal(own.required, true);
    assert.equal(own.agreements.length, 1);
    assert.deepEqual(
      { ...own.agreements[0], document: { ...own.agreements[0].document, bodyMd: undefined } },
      {
        personId: people['nina.new'],
        personName: 'Nina New',
        audience: 'staff',
        onBehalf: false,
        canAccept: true,
        document: {
          id: own.agreements[0].document.id,
          audience: 'staff',
          version: 1,
          title: DEFAULT_AGREEMENTS.staff.title,
          bodyMd: undefined,
        },
        accepted: null,
        due: true,
      },
    );
    assert.match(own.agreements[0].document.bodyMd, /By clicking \*\*Accept\*\*/);

    const accepted = await nina.post(
      '/api/agreements/accept',
      { documentId: own.agreements[0].document.id, personId: people['nina.new'] },
      {
        'user-agent': `Browser/${'x'.repeat(500)}`,
      },
    );
    assert.equal(accepted.status, 200);
    assert.equal(accepted.body.onBehalf, false);
    assert.equal(accepted.body.schoolYear, '2026-27');
    assert.equal((await nina.get('/api/directory/people')).status, 200);
    assert.equal((await nina.get('/api/directory/me')).body.agreementRequired, false);
    const row = await ctx.db.selectFrom('agreement_acceptances').selectAll().where('id', '=', accepted.body.id).executeTakeFirstOrThrow();
    assert.equal(row.accepted_by, people['nina.new']);
    assert.equal(row.address, '127.0.0.1');
    assert.equal(row.device?.length, 300);
    assert.equal(row.accepted_at, ctx.clock().toISOString());

    const gus = await as('gus.guest');
    assert.equal((await gus.get('/api/notifications')).body.error, 'agreement.required');
    await acceptOwn('gus.guest');
    assert.equal((await gus.get('/api/notifications')).status, 200);

    // Pupils and parents are chased with reminders, never locked out.
    assert.equal((await (await as('sam.pupil')).get('/api/notifications')).status, 200);
    assert.equal((await (await as('pat.parent')).get('/api/notifications')).status, 200);
    assert.equal((await (await as('sam.pupil')).get('/api/directory/me')).body.agreementRequired, false);
    // The other school has published nothing, so its head is not held.
    assert.equal((await (await as('oth.head')).get('/api/notifications')).status, 200);
  });

  it('lets a parent accept for each of their own children, and only theirs', async () => {
    const pat = await as('pat.parent');
    const view = await mine(pat);
    assert.equal(view.required, false);
    assert.deepEqual(
      view.agreements.map((a: any) => [a.personId, a.audience, a.onBehalf, a.canAccept, a.due]),
      [
        [people['pat.parent'], 'parent', false, true, true],
        [people['kit.pupil'], 'ks1', true, true, true],
        [people['sam.pupil'], 'secondary', true, true, true],
      ],
    );
    const kitDoc = view.agreements[1].document.id;
    const samDoc = view.agreements[2].document.id;
    const forKit = await pat.post('/api/agreements/accept', { documentId: kitDoc, personId: people['kit.pupil'] });
    assert.equal(forKit.status, 200);
    assert.equal(forKit.body.onBehalf, true);
    assert.equal(forKit.body.acceptedBy, people['pat.parent']);
    assert.equal(forKit.body.personId, people['kit.pupil']);
    const forSam = await pat.post('/api/agreements/accept', { documentId: samDoc, personId: people['sam.pupil'] });
    assert.equal(forSam.status, 200);
    assert.equal(forSam.body.onBehalf, true);
    // Twice in the same year and version: the first acceptance stands.
    const again = await pat.post('/api/agreements/accept', { documentId: samDoc, personId: people['sam.pupil'] });
    assert.equal(again.body.id, forSam.body.id);
    assert.equal(
      (await ctx.db.selectFrom('agreement_acceptances').select('id').where('person_id', '=', people['sam.pupil']!).execute()).length,
      1,
    );
    const after = await mine(pat);
    assert.deepEqual(after.agreements[1].accepted, { at: ctx.clock().toISOString(), version: 1, byName: 'Pat Parent' });
    assert.equal(after.agreements[1].due, false);

    // Another family's child: refused, and not listed.
    const olaDoc = (await mine(await as('oli.other'))).agreements.find((a: any) => a.personId === people['ola.pupil']).document.id;
    const refused = await pat.post('/api/agreements/accept', { documentId: olaDoc, personId: people['ola.pupil'] });
    assert.equal(refused.status, 403);
    assert.ok(!after.agreements.some((a: any) => a.personId === people['ola.pupil']));

    // A Key Stage 1 pupil sees their rules but a parent accepts them.
    const kim = await as('kim.pupil');
    const kimView = await mine(kim);
    assert.equal(kimView.agreements[0].audience, 'ks1');
    assert.equal(kimView.agreements[0].canAccept, false);
    const self = await kim.post('/api/agreements/accept', { documentId: kimView.agreements[0].document.id, personId: people['kim.pupil'] });
    assert.equal(self.status, 403);
    assert.match(self.body.message, /parent or carer/);

    // A member of staff cannot accept for a colleague.
    const staffDoc = (await mine(await as('nina.new'))).agreements[0].document.id;
    assert.equal(
      (await (await as('dee.dsl')).post('/api/agreements/accept', { documentId: staffDoc, personId: people['tia.teacher'] })).status,
      403,
    );
  });

  it('refuses acceptances that do not fit', async () => {
    const sam = await as('sam.pupil');
    const staffDoc = (await mine(await as('nina.new'))).agreements[0].document.id;
    const wrongAudience = await sam.post('/api/agreements/accept', { documentId: staffDoc, personId: people['sam.pupil'] });
    assert.equal(wrongAudience.status, 409);
    assert.equal((await sam.post('/api/agreements/accept', { documentId: newId(), personId: people['sam.pupil'] })).status, 404);
    const samDoc = (await mine(sam)).agreements[0].document.id;
    assert.equal((await sam.post('/api/agreements/accept', { documentId: samDoc, personId: newId() })).status, 404);
    assert.equal((await sam.post('/api/agreements/accept', { documentId: samDoc })).status, 400);
    assert.equal((await sam.post('/api/agreements/accept', { documentId: samDoc, personId: 'a\u0000b' })).status, 400);
    assert.equal((await sam.post('/api/agreements/accept', { documentId: samDoc, personId: people['sam.pupil'], extra: 1 })).status, 400);
    // Another school's head cannot see or use this school's agreements.
    const other = await as('oth.head');
    assert.equal((await other.post('/api/agreements/accept', { documentId: samDoc, personId: people['sam.pupil'] })).status, 404);
    assert.equal((await other.get('/api/agreements/documents/secondary/versions/1')).status, 404);
    assert.equal((await other.get(`/api/agreements/gate?personId=${people['sam.pupil']}`)).status, 404);
    assert.equal((await other.get('/api/agreements/coverage')).body.totals.people, 0);
  });

  it('counts coverage exactly, by group, and filters it', async () => {
    const head = await as('hal.head');
    const all = await head.get('/api/agreements/coverage');
    assert.equal(all.status, 200);
    assert.equal(all.body.schoolYear, '2026-27');
    assert.deepEqual(all.body.totals, { people: 12, accepted: 6, outstanding: 6 });
    assert.deepEqual(
      all.body.byGroup.map((g: any) => [g.name, g.kind, g.people, g.accepted, g.outstanding]),
      [
        ['Year 1', 'year_group', 1, 1, 0],
        ['Year 2', 'year_group', 1, 0, 1],
        ['Year 4', 'year_group', 1, 0, 1],
        ['Year 8', 'year_group', 1, 1, 0],
        ['8Q', 'tutor_group', 1, 1, 0],
        ['English', 'staff_team', 2, 1, 1],
      ],
    );
    assert.deepEqual(
      all.body.outstanding.map((p: any) => [p.name, p.audience, p.group, p.lastAcceptedVersion]),
      [
        ['Gil Governor', 'staff', null, null],
        ['Oli Other', 'parent', null, null],
        ['Pat Parent', 'parent', null, null],
        ['Kim Pupil', 'ks1', 'Year 2', null],
        ['Ola Pupil', 'ks2', 'Year 4', null],
        ['Tia Teacher', 'staff', 'English', null],
      ],
    );
    assert.ok(!('email' in all.body.outstanding[0]));

    const staff = await head.get('/api/agreements/coverage?audience=staff');
    assert.deepEqual(staff.body.totals, { people: 5, accepted: 3, outstanding: 2 });
    assert.deepEqual(
      staff.body.byGroup.map((g: any) => g.name),
      ['English'],
    );
    const english = await head.get(`/api/agreements/coverage?groupId=${groups.ENG}`);
    assert.deepEqual(english.body.totals, { people: 2, accepted: 1, outstanding: 1 });
    assert.deepEqual(
      english.body.outstanding.map((p: any) => p.personId),
      [people['tia.teacher']],
    );
    const y4 = await head.get(`/api/agreements/coverage?groupId=${groups.Y4}`);
    assert.deepEqual(y4.body.totals, { people: 1, accepted: 0, outstanding: 1 });
    assert.equal((await head.get(`/api/agreements/coverage?groupId=${newId()}`)).status, 404);
    assert.equal((await head.get('/api/agreements/coverage?audience=pupils')).status, 400);
    assert.equal((await (await as('dee.dsl')).get('/api/agreements/coverage')).status, 200);
  });

  it('leaves out of coverage leavers and guests past their end date', async () => {
    const head = await as('hal.head');
    const before = (await head.get('/api/agreements/coverage')).body.totals;
    await user('exp.guest', ['guest']);
    await user('cur.guest', ['guest']);
    await user('lef.teacher', ['staff']);
    const day = 24 * 3600_000;
    const now = ctx.clock().getTime();
    await ctx.db
      .updateTable('people')
      .set({ expires_at: new Date(now - day).toISOString() })
      .where('id', '=', people['exp.guest']!)
      .execute();
    await ctx.db
      .updateTable('people')
      .set({ expires_at: new Date(now + day).toISOString() })
      .where('id', '=', people['cur.guest']!)
      .execute();
    await ctx.db
      .updateTable('people')
      .set({ status: 'left', left_at: new Date(now - day).toISOString() })
      .where('id', '=', people['lef.teacher']!)
      .execute();
    const after = (await head.get('/api/agreements/coverage')).body;
    assert.deepEqual(after.totals, { people: before.people + 1, accepted: before.accepted, outstanding: before.outstanding + 1 });
    const ids = after.outstanding.map((p: any) => p.personId);
    assert.ok(ids.includes(people['cur.guest']));
    assert.ok(!ids.includes(people['exp.guest']) && !ids.includes(people['lef.teacher']));
    // Gone again, so the counts in the later tests stay as they were.
    await ctx.db.updateTable('people').set({ status: 'left' }).where('id', '=', people['cur.guest']!).execute();
  });

  it('exports the outstanding list as CSV that a spreadsheet cannot run', async () => {
    await ctx.db
      .updateTable('people')
      .set({ given_name: '=HYPERLINK("http://evil.example")' })
      .where('id', '=', people['ola.pupil']!)
      .execute();
    const res = await (await as('hal.head')).get('/api/agreements/coverage/export.csv');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/csv/);
    assert.match(res.headers.get('content-disposition') ?? '', /agreements-outstanding-2026-27\.csv/);
    const lines = (res.body as string).trimEnd().split('\r\n');
    assert.equal(lines[0], 'Name,Audience,Group,Last accepted version,School year');
    assert.equal(lines.length, 7);
    assert.ok(lines.includes(`"'=HYPERLINK(""http://evil.example"") Pupil",ks2,Year 4,,2026-27`), lines.join('\n'));
    assert.ok(lines.includes('Tia Teacher,staff,English,,2026-27'));
    assert.equal((await (await as('tia.teacher')).get('/api/agreements/coverage/export.csv')).status, 403);
    await ctx.db.updateTable('people').set({ given_name: 'Ola' }).where('id', '=', people['ola.pupil']!).execute();
  });

  it('reminds everyone outstanding by e-mail and in the app; a KS1 pupil’s parent instead', async () => {
    await acceptOwn('tia.teacher');
    smtp.messages.length = 0;
    const head = await as('hal.head');
    const res = await head.post('/api/agreements/reminders', {});
    assert.equal(res.status, 200);
    // Pat, Oli (their own) and Oli again for Kim have addresses; Gil and Ola have none.
    assert.deepEqual(res.body, { sent: 3, noEmail: 2 });
    assert.deepEqual(smtp.messages.flatMap((m) => m.to).sort(), ['oli@home.example', 'oli@home.example', 'pat@home.example']);
    const texts = smtp.messages.map((m) => mailParts(m.data).text);
    assert.ok(
      texts.some((m) => /Kim Pupil/.test(m) && m.includes('https://tutela.school.example/agreements/mine')),
      texts.join('\n---\n'),
    );
    const notes = await ctx.db
      .selectFrom('notifications')
      .select(['recipient_person_id'])
      .where('kind', '=', 'agreement.reminder')
      .execute();
    assert.deepEqual(
      notes.map((n) => n.recipient_person_id).sort(),
      [people['gil.governor'], people['oli.other'], people['oli.other'], people['pat.parent'], people['ola.pupil']].sort(),
    );
    const ks1 = await head.post('/api/agreements/reminders', { audience: 'ks1' });
    assert.deepEqual(ks1.body, { sent: 1, noEmail: 0 });
    assert.equal((await head.post('/api/agreements/reminders', { audience: 'everyone' })).status, 400);
    assert.equal((await (await as('sam.pupil')).post('/api/agreements/reminders', {})).status, 403);
    const audit = await ctx.db.selectFrom('audit_log').select('details').where('action', '=', 'agreement.reminders_sent').execute();
    assert.equal(audit.length, 2);
  });

  it('asks again for a new version; old versions stay as they were', async () => {
    const head = await as('hal.head');
    const body = '# Student agreement\n\nI will be kind online.\n';
    const published = await head.post('/api/agreements/documents/secondary', {
      title: 'Student agreement 2',
      bodyMd: body,
      changeNote: 'Shorter',
    });
    assert.equal(published.status, 201);
    assert.equal(published.body.version, 2);
    const sam = await as('sam.pupil');
    const view = await mine(sam);
    assert.equal(view.agreements[0].document.version, 2);
    assert.equal(view.agreements[0].due, true);
    assert.equal(view.agreements[0].accepted.version, 1);
    const old = (await head.get('/api/agreements/documents/secondary/versions/1')).body;
    assert.equal(old.bodyMd, DEFAULT_AGREEMENTS.secondary.bodyMd);
    const stale = await sam.post('/api/agreements/accept', { documentId: old.id, personId: people['sam.pupil'] });
    assert.equal(stale.status, 409);
    assert.match(stale.body.message, /newer version/);
    const coverage = (await head.get('/api/agreements/coverage?audience=secondary')).body;
    assert.deepEqual(
      coverage.outstanding.map((p: any) => [p.name, p.lastAcceptedVersion]),
      [['Sam Pupil', 1]],
    );
    const fresh = await sam.post('/api/agreements/accept', { documentId: published.body.id, personId: people['sam.pupil'] });
    assert.equal(fresh.status, 200);
    assert.equal(fresh.body.onBehalf, false);
    assert.equal((await mine(sam)).agreements[0].due, false);

    const docs = (await head.get('/api/agreements/documents')).body;
    const secondary = docs.audiences.find((a: any) => a.audience === 'secondary');
    assert.equal(secondary.current.version, 2);
    assert.deepEqual(
      secondary.versions.map((v: any) => [v.version, v.changeNote]),
      [
        [2, 'Shorter'],
        [1, 'The default agreement'],
      ],
    );
    assert.equal(docs.audiences.length, 6);
    assert.equal((await head.get('/api/agreements/documents/secondary/versions/3')).status, 404);
    assert.equal((await head.get('/api/agreements/documents/nobody/versions/1')).status, 400);
    assert.equal((await head.get('/api/agreements/documents/secondary/versions/0')).status, 400);
  });

  it('refuses bad new versions and the wrong roles', async () => {
    const head = await as('hal.head');
    const post = (c: ApiClient, audience: string, b: object) => c.post(`/api/agreements/documents/${audience}`, b);
    assert.equal((await post(head, 'staff', { title: 'T', bodyMd: '', changeNote: '' })).status, 400);
    assert.equal((await post(head, 'staff', { title: 'T', bodyMd: '  \n ', changeNote: '' })).status, 400);
    assert.equal((await post(head, 'staff', { title: ' ', bodyMd: 'x', changeNote: '' })).status, 400);
    assert.equal((await post(head, 'staff', { bodyMd: 'x', changeNote: '' })).status, 400);
    assert.equal((await post(head, 'pupils', { title: 'T', bodyMd: 'x', changeNote: '' })).status, 400);
    const big = await post(head, 'staff', { title: 'T', bodyMd: 'é'.repeat(60 * 1024), changeNote: '' });
    assert.equal(big.status, 413);
    assert.equal((await post(head, 'staff', { title: 'T', bodyMd: 'x'.repeat(101 * 1024), changeNote: '' })).status, 400);
    // PostgreSQL text cannot hold NUL, so each field refuses one rather than failing in the database.
    assert.equal((await post(head, 'staff', { title: 'T\u0000', bodyMd: 'x', changeNote: '' })).status, 400);
    assert.equal((await post(head, 'staff', { title: 'T', bodyMd: 'x\u0000y', changeNote: '' })).status, 400);
    assert.equal((await post(head, 'staff', { title: 'T', bodyMd: 'x', changeNote: 'n\u0000' })).status, 400);
    assert.equal((await post(await as('tia.teacher'), 'staff', { title: 'T', bodyMd: 'x', changeNote: '' })).status, 403);
    assert.equal((await post(await as('dee.dsl'), 'staff', { title: 'T', bodyMd: 'x', changeNote: '' })).status, 403);
    assert.equal((await (await as('pat.parent')).get('/api/agreements/documents')).status, 403);
    assert.equal((await (await as('sam.pupil')).get('/api/agreements/coverage')).status, 403);
    assert.equal((await (await as('tia.teacher')).get('/api/agreements/settings')).status, 403);
    const staffVersions = await ctx.db
      .selectFrom('agreement_documents')
      .select('version')
      .where('audience', '=', 'staff')
      .where('school_id', '=', schoolId)
      .execute();
    assert.equal(staffVersions.length, 1);

    // The gate check for the filter: yourself, your child, or coverage roles.
    const pat = await as('pat.parent');
    assert.equal((await pat.get(`/api/agreements/gate?personId=${people['kit.pupil']}`)).body.required, false);
    assert.equal((await pat.get(`/api/agreements/gate?personId=${people['kim.pupil']}`)).status, 403);
    const gate = await head.get(`/api/agreements/gate?personId=${people['kim.pupil']}`);
    assert.deepEqual({ ...gate.body, documentId: undefined }, { required: true, audience: 'ks1', documentId: undefined });
    assert.equal((await head.get('/api/agreements/gate')).status, 400);
  });

  it('asks again each school year, on the renewal date the school sets', async () => {
    const head = await as('hal.head');
    assert.deepEqual((await head.get('/api/agreements/settings')).body, { renewOn: '09-01', holdInFilter: true });
    const tia = people['tia.teacher']!;
    assert.equal((await agreementStatus(ctx.db, schoolId, tia, new Date('2027-08-31T22:59:00Z'))).required, false);
    assert.equal((await agreementStatus(ctx.db, schoolId, tia, new Date('2027-08-31T23:00:00Z'))).required, true);

    for (const bad of ['02-30', '13-01', '9-1', '02-29', '00-10', '']) {
      assert.equal((await head.put('/api/agreements/settings', { renewOn: bad })).status, 400, bad);
    }
    assert.equal((await head.put('/api/agreements/settings', { renewOn: '09-01', more: true })).status, 400);
    assert.equal((await (await as('dee.dsl')).put('/api/agreements/settings', { renewOn: '08-15' })).status, 403);
    const saved = await head.put('/api/agreements/settings', { renewOn: '08-15' });
    assert.deepEqual(saved.body, { renewOn: '08-15', holdInFilter: true });
    assert.equal((await agreementStatus(ctx.db, schoolId, tia, new Date('2027-08-16T09:00:00Z'))).required, true);
    assert.equal((await agreementStatus(ctx.db, schoolId, tia, new Date('2027-08-14T09:00:00Z'))).required, false);
    await head.put('/api/agreements/settings', { renewOn: '09-01' });

    // Into the next school year: the teacher is held again until they accept this year.
    ctx.clock.set(new Date('2027-09-06T08:00:00Z'));
    const fresh = await as('tia.teacher', { fresh: true });
    assert.equal((await fresh.get('/api/directory/people')).body.error, 'agreement.required');
    const view = await mine(fresh);
    assert.equal(view.agreements[0].due, true);
    assert.equal(view.agreements[0].accepted.version, 1);
    const again = await fresh.post('/api/agreements/accept', { documentId: view.agreements[0].document.id, personId: tia });
    assert.equal(again.body.schoolYear, '2027-28');
    assert.equal((await fresh.get('/api/directory/people')).status, 200);
    assert.equal((await ctx.db.selectFrom('agreement_acceptances').select('id').where('person_id', '=', tia).execute()).length, 2);
    assert.ok((await verifyAuditChain(ctx.db)).ok);
  });

  it('tells the web filter whom to hold: everyone with an account still to accept, but never a Key Stage 1 pupil', async () => {
    const at = ctx.clock();
    const holds = await filterHolds(ctx.db, schoolId, at);
    assert.equal(holds.until.toISOString(), nextRenewalAt(at, '09-01').toISOString());
    const expected: string[] = [];
    for (const id of Object.values(people)) {
      const person = await ctx.db
        .selectFrom('people')
        .select(['school_id', 'status', 'expires_at'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      // Leavers and guests past their end date are not the filter's people any more.
      if (person.school_id !== schoolId || person.status !== 'active' || (person.expires_at && person.expires_at <= at.toISOString()))
        continue;
      const status = await agreementStatus(ctx.db, schoolId, id, at);
      if (status.required && status.audience !== 'ks1') expected.push(id);
    }
    assert.ok(expected.length > 0 && expected.length < Object.keys(people).length - 1, 'some held, some not');
    assert.deepEqual([...holds.personIds].sort(), expected.sort());
    for (const ks1 of ['kit.pupil', 'kim.pupil']) assert.ok(!holds.personIds.includes(people[ks1]!), ks1);
    assert.ok(!holds.personIds.includes(people['oth.head']!), 'another school’s people are not this school’s to hold');
    for (const gone of ['lef.teacher', 'exp.guest']) assert.ok(!holds.personIds.includes(people[gone]!), gone);

    // Someone who cannot sign in cannot reach the accept page, so holding them would only cut them off.
    await ctx.db.updateTable('accounts').set({ disabled_at: at.toISOString() }).where('person_id', '=', people['gus.guest']!).execute();
    const withoutGuest = await filterHolds(ctx.db, schoolId, at);
    assert.ok(!withoutGuest.personIds.includes(people['gus.guest']!));
    await ctx.db.updateTable('accounts').set({ disabled_at: null }).where('person_id', '=', people['gus.guest']!).execute();

    await saveAgreementSettings(ctx.db, schoolId, { renewOn: '09-01', holdInFilter: false }, null, at);
    assert.deepEqual((await filterHolds(ctx.db, schoolId, at)).personIds, []);
    await saveAgreementSettings(ctx.db, schoolId, { renewOn: '09-01', holdInFilter: true }, null, at);
    assert.equal((await filterHolds(ctx.db, schoolId, at)).personIds.length, expected.length);
  });
});

describe('the yearly renewal as a moment', () => {
  it('falls at midnight in England: 23:00 UTC the day before in summer, midnight UTC in winter', () => {
    const november = new Date('2026-11-24T09:00:00Z');
    assert.equal(nextRenewalAt(november, '09-01').toISOString(), '2027-08-31T23:00:00.000Z');
    assert.equal(nextRenewalAt(november, '01-15').toISOString(), '2027-01-15T00:00:00.000Z');
    assert.equal(nextRenewalAt(new Date('2027-08-31T22:59:59Z'), '09-01').toISOString(), '2027-08-31T23:00:00.000Z');
    assert.equal(nextRenewalAt(new Date('2027-08-31T23:00:00Z'), '09-01').toISOString(), '2028-08-31T23:00:00.000Z');
    for (const renewOn of ['09-01', '03-29', '10-25', '12-31', '06-15']) {
      const next = nextRenewalAt(november, renewOn);
      assert.notEqual(schoolYearOf(new Date(next.getTime() - 1), renewOn), schoolYearOf(next, renewOn), renewOn);
    }
  });
});

describe('a new installation', () => {
  let t: TestStore;
  after(async () => t?.cleanup());

  it('publishes the default agreements, so its first administrator accepts the staff one first', async () => {
    t = await createTestStore();
    const ctx = testContext(t);
    const token = await issueSetupToken(ctx.db);
    const done = await install(
      ctx,
      {
        token,
        trustName: 'Riverbend Trust',
        schoolName: 'Riverbend Primary',
        phase: 'primary',
        admin: { givenName: 'Ada', familyName: 'Admin', username: 'ada.admin', password: 'lantern-meadow-otter-14' },
      },
      null,
    );
    const docs = await ctx.db
      .selectFrom('agreement_documents')
      .select(['audience', 'version', 'body_md'])
      .where('school_id', '=', done.schoolId)
      .execute();
    assert.deepEqual(docs.map((d) => `${d.audience}:${d.version}`).sort(), [
      'community:1',
      'ks1:1',
      'ks2:1',
      'parent:1',
      'secondary:1',
      'staff:1',
    ]);
    assert.equal(docs.find((d) => d.audience === 'ks1')?.body_md, DEFAULT_AGREEMENTS.ks1.bodyMd);
    const status = await agreementStatus(ctx.db, done.schoolId, done.personId, ctx.clock());
    assert.equal(status.required, true);
    assert.equal(status.audience, 'staff');
  });
});

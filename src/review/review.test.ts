import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { importUt1 } from '../filter/lists/import.js';
import { LOCKED_TEST_ENTRIES, refreshLockedLists } from '../filter/lists/locked.js';
import { tempDir, writeTree } from '../filter/lists/test-support.js';
import { type PolicyWorld, policyWorld } from '../filter/policy/testing.js';
import type { AppError } from '../errors/errors.js';
import { DEFAULT_LIBRARY } from '../monitor/keywords/default-library.js';
import { MONITOR_CATEGORIES } from '../monitor/keywords/types.js';
import { addUser, seedSchool } from '../testing/fixtures.js';
import { pdfText } from '../testing/pdf.js';
import { CHECKLIST_IDS } from './checklist.js';
import { monitoringChecks } from './checks.js';
import { loadReview, signOffReview } from './service.js';
import type { CheckResult, CheckRun, ReviewDetail, ReviewList } from './wire.js';

const PUPIL_PROFILES = ['Primary pupils', 'Key Stage 3', 'Key Stage 4', 'Sixth form'];
const PORN = ['adult-one.test', 'adult-two.test', 'adult-three.test'];

describe('the annual filtering and monitoring review', () => {
  let w: PolicyWorld;
  let lists: ReturnType<typeof tempDir>;
  let reviewId = '';
  let otherHead = '';
  const url = (suffix = '') => `/api/reviews/${reviewId}${suffix}`;

  before(async () => {
    w = await policyWorld();
    lists = tempDir();
    // Two categories loaded; every other ordinary category is left without a list on purpose.
    writeTree(path.join(lists.dir, 'ut1'), {
      adult: { domains: PORN },
      gambling: { domains: ['bet-one.test', 'bet-two.test'] },
      games: { domains: ['game-one.test', 'game-two.test'] },
    });
    await importUt1(w.ctx, { source: path.join(lists.dir, 'ut1'), actor: { accountId: null, name: 'test' }, reason: 'review test lists' });
    await refreshLockedLists(w.ctx);
    const other = await seedSchool(w.ctx, 'Other School');
    otherHead = (await addUser(w.ctx, other.schoolId, 'oli.otherhead', ['staff', 'head'], { isDemo: true })).username;
  });
  after(async () => {
    await w.close();
    lists.remove();
  });

  it('is closed to teachers, pupils and parents, and open to governors to read', async () => {
    for (const username of ['tia.teacher', 'sue.student', 'pat.parent']) {
      const res = await (await w.as(username)).get('/api/reviews');
      assert.equal(res.status, 403, username);
    }
    const teacher = await w.as('tia.teacher');
    assert.equal((await teacher.post('/api/reviews', { title: 'Mine', reason: 'annual' })).status, 403);
    const governor = await w.as('gil.governor');
    assert.equal((await governor.post('/api/reviews', { title: 'Mine', reason: 'annual' })).status, 403);
    const list = await governor.get<ReviewList>('/api/reviews');
    assert.equal(list.status, 200);
    assert.deepEqual(list.body, { reviews: [], lastSignedOffAt: null, nextDue: null });
  });

  it('starts a review for the DSL, and refuses a bad title or reason', async () => {
    const dsl = await w.as('dee.dsl');
    assert.equal((await dsl.post('/api/reviews', { title: '', reason: 'annual' })).status, 400);
    assert.equal((await dsl.post('/api/reviews', { title: 'x', reason: 'whenever' })).status, 400);
    assert.equal((await dsl.post('/api/reviews', { title: 'bad\u0000title', reason: 'annual' })).status, 400);
    const res = await dsl.post<ReviewDetail>('/api/reviews', { title: 'Annual review 2026-27', reason: 'annual' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    reviewId = res.body.id;
    assert.equal(res.body.status, 'open');
    assert.equal(res.body.reason, 'annual');
    assert.equal(res.body.latestRun, null);
    assert.ok(res.body.missing.some((m) => m.includes('automatic checks')));
  });

  it('passes its checks on a correct configuration, and stores every result', async () => {
    const dsl = await w.as('dee.dsl');
    const res = await dsl.post<CheckRun & { failures: CheckResult[] }>(url('/checks'));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const results = res.body.results;
    const profiles = [...new Set(results.filter((r) => r.profileId).map((r) => r.profileName))];
    assert.deepEqual(profiles.sort(), [...PUPIL_PROFILES, 'Staff', 'Guests'].sort());

    for (const [category, entry] of Object.entries(LOCKED_TEST_ENTRIES)) {
      const locked = results.filter((r) => r.category === category);
      assert.equal(locked.length, profiles.length, category);
      for (const r of locked) {
        assert.equal(r.target, entry);
        assert.deepEqual([r.expected, r.outcome, r.rule, r.passed], ['block', 'block', 'locked_list', true], JSON.stringify(r));
      }
    }
    const porn = results.filter((r) => r.category === 'pornography');
    // The first two by name, the same every run.
    assert.deepEqual([...new Set(porn.map((r) => r.target))], ['adult-one.test', 'adult-three.test']);
    for (const name of PUPIL_PROFILES) {
      const mine = porn.filter((r) => r.profileName === name);
      assert.equal(mine.length, 2, name);
      assert.ok(
        mine.every((r) => r.passed && r.outcome === 'block' && r.rule === 'matrix'),
        name,
      );
    }
    // A service category follows each profile's matrix at the moment of the run: Tuesday 09:00, in lessons.
    const games = (profile: string) => results.filter((r) => r.category === 'games' && r.profileName === profile);
    assert.deepEqual(
      games('Staff').map((r) => [r.expected, r.outcome, r.passed]),
      [
        ['allow', 'allow', true],
        ['allow', 'allow', true],
      ],
    );
    for (const profile of ['Key Stage 3', 'Sixth form']) {
      assert.equal(games(profile).length, 2, profile);
      assert.ok(
        games(profile).every((r) => r.expected === 'block' && r.passed),
        profile,
      );
    }

    const monitoring = results.filter((r) => r.profileName === 'Monitoring');
    assert.deepEqual(monitoring.map((r) => r.category).sort(), MONITOR_CATEGORIES.map((c) => `monitor:${c}`).sort());
    assert.ok(
      monitoring.every((r) => r.passed && r.expected === 'alert' && r.outcome === 'alert'),
      JSON.stringify(monitoring),
    );

    // Everything that had a target passed; only the categories without a list failed.
    assert.deepEqual(
      res.body.failures.filter((r) => r.target !== ''),
      [],
    );
    const dating = res.body.failures.find((r) => r.category === 'dating');
    assert.equal(dating?.detail, 'no list loaded for this category');
    assert.equal(res.body.failed, res.body.failures.length);
    assert.equal(res.body.passed + res.body.failed, results.length);
    assert.equal(res.body.groups.at(-1)?.profileName, 'Monitoring');

    const stored = await w.ctx.db.selectFrom('filter_review_checks').selectAll().where('review_id', '=', reviewId).execute();
    assert.equal(stored.length, results.length);
    assert.ok(stored.every((r) => r.run_id === res.body.runId && r.run_by !== null));
    const audit = await w.ctx.db.selectFrom('audit_log').select('details').where('action', '=', 'review.checks.run').execute();
    assert.equal(audit.length, 1);
  });

  it('fails the check naming the profile once the policy allows pornography for a pupil profile', async () => {
    const netman = await w.as('nat.netman');
    const profiles = await netman.get<{ id: string; key: string }[]>('/api/filter/profiles');
    const ks3 = profiles.body.find((p) => p.key === 'ks3')!;
    const set = await netman.put(`/api/filter/profiles/${ks3.id}/matrix/pornography`, {
      level: 'acceptable',
      reason: 'testing the annual review',
    });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    // A school block entry overrides the matrix: the staff check says what it expected and what decided.
    const entry = await netman.post('/api/filter/list-entries', {
      scope: 'school',
      pattern: 'game-one.test',
      action: 'block',
      reason: 'testing the annual review',
    });
    assert.equal(entry.status, 201, JSON.stringify(entry.body));

    const dsl = await w.as('dee.dsl');
    w.ctx.clock.advance(1);
    const res = await dsl.post<CheckRun & { failures: CheckResult[] }>(url('/checks'));
    assert.equal(res.status, 200);
    const failed = res.body.failures.filter((r) => r.category === 'pornography');
    assert.equal(failed.length, 2);
    for (const r of failed) {
      assert.equal(r.profileName, 'Key Stage 3');
      assert.equal(r.outcome, 'allow');
      assert.match(r.detail, /^the policy allows Pornography for Key Stage 3/);
    }
    const staffGame = res.body.failures.find((r) => r.category === 'games' && r.profileName === 'Staff');
    assert.equal(staffGame?.target, 'game-one.test');
    assert.equal(staffGame?.rule, 'school_list');
    assert.match(staffGame?.detail ?? '', /^expected allow \(acceptable for Staff\), but the filter gave block/);
    // Failures come first, and the other pupil profiles still pass.
    assert.equal(res.body.results[0]!.passed, false);
    const ks4Porn = res.body.results.filter((r) => r.category === 'pornography' && r.profileName === 'Key Stage 4');
    assert.equal(ks4Porn.length, 2);
    assert.ok(ks4Porn.every((r) => r.passed));

    const detail = await dsl.get<ReviewDetail>(url());
    assert.equal(detail.body.runs.length, 2);
    assert.equal(detail.body.latestRun?.runId, res.body.runId);
    const ks3Group = detail.body.latestRun?.groups.find((g) => g.profileName === 'Key Stage 3');
    assert.equal(ks3Group?.failed, 2);
  });

  it('fails a harmful category a pupil profile allows at lunch or to nominated pupils, even when the run falls in lessons', async () => {
    const netman = await w.as('nat.netman');
    const profiles = await netman.get<{ id: string; key: string }[]>('/api/filter/profiles');
    const ks4 = profiles.body.find((p) => p.key === 'ks4')!;
    const sixth = profiles.body.find((p) => p.key === 'sixth_form')!;
    const timed = await netman.put(`/api/filter/profiles/${ks4.id}/matrix/gambling`, {
      level: 'at_certain_times',
      windows: ['lunch'],
      reason: 'testing the annual review',
    });
    assert.equal(timed.status, 200, JSON.stringify(timed.body));
    const nominated = await netman.put(`/api/filter/profiles/${sixth.id}/matrix/gambling`, {
      level: 'nominated_users',
      nominatedPersonIds: [w.people.student.personId],
      reason: 'testing the annual review',
    });
    assert.equal(nominated.status, 200, JSON.stringify(nominated.body));

    const dsl = await w.as('dee.dsl');
    w.ctx.clock.advance(1);
    const res = await dsl.post<CheckRun & { failures: CheckResult[] }>(url('/checks'));
    assert.equal(res.status, 200);
    const gambling = res.body.failures.filter((r) => r.category === 'gambling');
    // The made-up pupil is blocked now (in lessons, not nominated), but pupils on these profiles are not always.
    assert.deepEqual([...new Set(gambling.map((r) => r.profileName))].sort(), ['Key Stage 4', 'Sixth form']);
    assert.ok(gambling.every((r) => r.outcome === 'block'));
    assert.match(gambling.find((r) => r.profileName === 'Key Stage 4')!.detail, /^the policy allows Gambling for Key Stage 4 at lunch/);
    assert.match(
      gambling.find((r) => r.profileName === 'Sixth form')!.detail,
      /^the policy allows Gambling for Sixth form to nominated users/,
    );
    const ks3Gambling = res.body.results.filter((r) => r.category === 'gambling' && r.profileName === 'Key Stage 3');
    assert.equal(ks3Gambling.length, 2);
    assert.ok(ks3Gambling.every((r) => r.passed));
  });

  it('passes a harmful category a pupil profile manages with a warning page, but never pornography', async () => {
    const netman = await w.as('nat.netman');
    const profiles = await netman.get<{ id: string; key: string }[]>('/api/filter/profiles');
    const ks3 = profiles.body.find((p) => p.key === 'ks3')!;
    for (const category of ['gambling', 'pornography']) {
      const set = await netman.put(`/api/filter/profiles/${ks3.id}/matrix/${category}`, {
        level: 'acceptable',
        warn: true,
        reason: 'testing the annual review',
      });
      assert.equal(set.status, 200, JSON.stringify(set.body));
    }
    const dsl = await w.as('dee.dsl');
    w.ctx.clock.advance(1);
    const res = await dsl.post<CheckRun & { failures: CheckResult[] }>(url('/checks'));
    assert.equal(res.status, 200);
    const ks3Results = (category: string) => res.body.results.filter((r) => r.category === category && r.profileName === 'Key Stage 3');
    assert.ok(ks3Results('gambling').length > 0);
    for (const r of ks3Results('gambling')) {
      assert.equal(r.outcome, 'warn');
      assert.equal(r.passed, true);
      assert.match(r.detail, /^managed with a warning page for Key Stage 3, not blocked/);
    }
    assert.ok(ks3Results('pornography').length > 0);
    for (const r of ks3Results('pornography')) {
      assert.equal(r.outcome, 'warn');
      assert.equal(r.passed, false);
      assert.match(r.detail, /^the policy allows Pornography for Key Stage 3/);
    }
  });

  it('refuses unknown people, people in the wrong slot, bad dates and unknown checklist items', async () => {
    const dsl = await w.as('dee.dsl');
    const patch = (body: unknown) => dsl.request('PATCH', url(), body);
    const { people } = w;
    const refused = [
      { people: { slt: 'no-such-person' } },
      { people: { governor: people.teacher.personId } },
      { people: { dsl: people.teacher.personId } },
      { people: { itLead: people.governor.personId } },
      { people: { slt: people.student.personId } },
      { actions: [{ what: 'Check the proxy', ownerId: people.netman.personId, due: '2026-02-30' }] },
      { actions: [{ what: 'Check the proxy', ownerId: people.netman.personId, due: '30/01/2027' }] },
      { actions: [{ what: 'Check the proxy', ownerId: people.parent.personId, due: '2027-01-30' }] },
      { checklist: { made_up_item: { status: 'met', checkedBy: people.dsl.personId, checkedOn: '2026-11-20', notes: '' } } },
      { checklist: { roles_named: { status: 'met', checkedBy: people.student.personId, checkedOn: '2026-11-20', notes: '' } } },
      { checklist: { roles_named: { status: 'maybe', checkedBy: people.dsl.personId, checkedOn: '2026-11-20', notes: '' } } },
      { checklist: { roles_named: { status: 'met', checkedBy: people.dsl.personId, checkedOn: '2027-11-20', notes: '' } } },
    ];
    for (const body of refused) {
      const res = await patch(body);
      assert.equal(res.status, 400, `${JSON.stringify(body)} → ${res.status} ${JSON.stringify(res.body)}`);
    }
    const named = await patch({ people: { slt: 'no-such-person' } });
    assert.match(named.body.message, /SLT member responsible/);
    const review = await w.ctx.db.selectFrom('filter_reviews').selectAll().where('id', '=', reviewId).executeTakeFirstOrThrow();
    assert.equal(review.slt_person_id, null);
    assert.equal(review.actions, '[]');
  });

  it('is signed off only when complete, only by a head or governor, and never changes after', async () => {
    const dsl = await w.as('dee.dsl');
    const governor = await w.as('gil.governor');
    const early = await governor.post(url('/sign-off'), { note: 'Too soon' });
    assert.equal(early.status, 409);
    assert.match(early.body.message, /name the slt member responsible/);

    const { people } = w;
    const checklist = Object.fromEntries(
      CHECKLIST_IDS.map((id, i) => [
        id,
        { status: i === 3 ? 'partly' : 'met', checkedBy: people.netman.personId, checkedOn: '2026-11-23', notes: `Checked ${id}` },
      ]),
    );
    const filled = await dsl.request<ReviewDetail>('PATCH', url(), {
      people: { slt: people.head.personId, governor: people.governor.personId, dsl: people.dsl.personId, itLead: people.netman.personId },
      checklist,
      decisions: 'Key Stage 3 pornography setting to be put back at once.',
      actions: [{ what: 'Restore the Key Stage 3 pornography block', ownerId: people.netman.personId, due: '2026-11-30' }],
    });
    assert.equal(filled.status, 200, JSON.stringify(filled.body));
    assert.deepEqual(filled.body.missing, []);
    assert.equal(filled.body.people.governor?.name, 'Gil Governor');
    assert.equal(filled.body.checklist.roles_named?.checkedByName, 'Nat Netman');
    assert.equal(filled.body.actions[0]?.ownerName, 'Nat Netman');

    assert.equal((await (await w.as('nat.netman')).post(url('/sign-off'), { note: 'Me' })).status, 403);
    assert.equal((await dsl.post(url('/sign-off'), { note: 'Me' })).status, 403);
    w.ctx.clock.advance(1);
    const signed = await governor.post<ReviewDetail>(url('/sign-off'), { note: 'Reviewed at the governors meeting' });
    assert.equal(signed.status, 200, JSON.stringify(signed.body));
    assert.equal(signed.body.status, 'signed_off');
    assert.equal(signed.body.signOff?.by.name, 'Gil Governor');
    assert.equal(signed.body.signOff?.note, 'Reviewed at the governors meeting');

    for (const attempt of [
      () => dsl.request('PATCH', url(), { decisions: 'changed afterwards' }),
      () => dsl.request('PATCH', url(), { people: { slt: null } }),
      () => dsl.post(url('/checks')),
      () => governor.post(url('/sign-off'), { note: 'again' }),
    ]) {
      assert.equal((await attempt()).status, 409);
    }
    const list = await governor.get<ReviewList>('/api/reviews');
    assert.equal(list.body.reviews[0]?.status, 'signed_off');
    assert.equal(list.body.nextDue, '2027-11-24');
  });

  it("is not shown to another school's head", async () => {
    const other = await w.as(otherHead);
    assert.equal((await other.get(url())).status, 403);
    assert.equal((await other.get(url('/document.pdf'))).status, 403);
    assert.deepEqual((await other.get<ReviewList>('/api/reviews')).body.reviews, []);
    for (const username of ['tia.teacher', 'sue.student', 'pat.parent']) {
      assert.equal((await (await w.as(username)).get(url())).status, 403, username);
    }
  });

  it('prints the whole record as HTML and PDF, and audits each export', async () => {
    const head = await w.as('hal.head');
    const html = await head.get<string>(url('/document.html'));
    assert.equal(html.status, 200);
    assert.match(html.headers.get('content-type') ?? '', /text\/html/);
    for (const text of ['Gil Governor', 'Dee Dsl', 'Nat Netman', 'Hal Head', 'the policy allows Pornography for Key Stage 3', 'FAILED']) {
      assert.ok(html.body.includes(text), text);
    }
    assert.match(html.body, /Signed off by<\/dt><dd>Gil Governor/);

    const res = await fetch(`${w.server.url}${url('/document.pdf')}`, { headers: { cookie: head.cookie! } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/pdf');
    const text = pdfText(Buffer.from(await res.arrayBuffer())).replace(/\s+/g, ' ');
    for (const words of [
      'Gil Governor',
      'Nat Netman',
      'the policy allows Pornography for Key Stage 3',
      'Reviewed at the governors meeting',
    ]) {
      assert.ok(text.includes(words), words);
    }
    const exports = await w.ctx.db.selectFrom('audit_log').select('details').where('action', '=', 'review.export').execute();
    assert.equal(exports.length, 2);
    const reads = await w.ctx.db.selectFrom('audit_log').select('action').where('action', '=', 'review.read').execute();
    assert.ok(reads.length >= 1);
  });
});

describe('who a review names, and when it is signed', () => {
  let w: PolicyWorld;
  before(async () => {
    w = await policyWorld();
  });
  after(async () => {
    await w.close();
  });

  /** A review with everything sign-off needs: the four people, every answer and a stored run. */
  async function completeReview(): Promise<string> {
    const dsl = await w.as('dee.dsl');
    const { people } = w;
    const started = await dsl.post<ReviewDetail>('/api/reviews', { title: 'Annual review 2026-27', reason: 'annual' });
    const id = started.body.id;
    const checklist = Object.fromEntries(
      CHECKLIST_IDS.map((item) => [item, { status: 'met', checkedBy: people.dsl.personId, checkedOn: '2026-11-23', notes: '' }]),
    );
    const filled = await dsl.request<ReviewDetail>('PATCH', `/api/reviews/${id}`, {
      people: { slt: people.head.personId, governor: people.governor.personId, dsl: people.dsl.personId, itLead: people.netman.personId },
      checklist,
    });
    assert.equal(filled.status, 200, JSON.stringify(filled.body));
    // A stored run, as the checks would leave one.
    await w.ctx.db
      .insertInto('filter_review_checks')
      .values({
        id: `run-${id}-00000`,
        review_id: id,
        school_id: w.schoolId,
        run_id: `run-${id}`,
        run_at: w.ctx.clock().toISOString(),
        run_by: people.dsl.personId,
        category: 'illegal_csam',
        profile_id: null,
        profile_name: 'All profiles',
        target: 'iwf-test.tutela.test',
        expected: 'block',
        outcome: 'block',
        rule: 'locked_list',
        passed: 1,
        detail: 'on the locked list',
      })
      .execute();
    return id;
  }

  it('refuses a sign-off checked against a record that has since lost a named person, and leaves the review open', async () => {
    const id = await completeReview();
    const dsl = await w.as('dee.dsl');
    const { people } = w;
    // The governor's request has read the complete record; the DSL's edit lands before it writes.
    const seenBySigner = await loadReview(w.ctx.db, id);
    const cleared = await dsl.request('PATCH', `/api/reviews/${id}`, { people: { slt: null } });
    assert.equal(cleared.status, 200, JSON.stringify(cleared.body));
    const who = {
      actor: { accountId: people.governor.accountId, username: people.governor.username, personId: people.governor.personId },
      ip: null,
      now: w.ctx.clock(),
    };
    await assert.rejects(signOffReview(w.ctx.db, seenBySigner, 'Signed', who), (error: AppError) => {
      assert.equal(error.id, 'conflict');
      assert.match(error.message, /name the slt member responsible/);
      return true;
    });
    const stored = await loadReview(w.ctx.db, id);
    assert.equal(stored.status, 'open');
    assert.equal(stored.signed_off_at, null);
  });

  it("names the trust administrator who signed off, though they belong to another of the trust's schools", async () => {
    const id = await completeReview();
    const sister = await seedSchool(w.ctx, 'Sister School', w.trustId);
    const admin = await addUser(w.ctx, sister.schoolId, 'tom.trustadmin', ['staff', 'trust_admin'], { isDemo: true });
    const client = await w.as(admin.username);
    const signed = await client.post<ReviewDetail>(`/api/reviews/${id}/sign-off`, { note: 'For the trust board' });
    assert.equal(signed.status, 200, JSON.stringify(signed.body));
    assert.equal(signed.body.signOff?.by.name, 'Tom Trustadmin');
    const list = await (await w.as('gil.governor')).get<ReviewList>('/api/reviews');
    assert.equal(list.body.reviews.find((r) => r.id === id)?.signedOffByName, 'Tom Trustadmin');
  });

  it("dates the printed record by the school's calendar: a sign-off at 00:30 British Summer Time is that day's", async () => {
    const id = await completeReview();
    const before = w.ctx.clock();
    w.ctx.clock.set(new Date('2026-10-14T23:30:00Z'));
    try {
      const governor = await w.as('gil.governor');
      const signed = await governor.post<ReviewDetail>(`/api/reviews/${id}/sign-off`, { note: 'At the October meeting' });
      assert.equal(signed.status, 200, JSON.stringify(signed.body));
      const html = await governor.get<string>(`/api/reviews/${id}/document.html`);
      assert.equal(html.status, 200);
      assert.ok(html.body.includes('Signed off 2026-10-15'), 'the status line gives the London date');
      assert.ok(!html.body.includes('2026-10-14'), 'no UTC date appears');
    } finally {
      w.ctx.clock.set(before);
    }
  });

  it('still names the governor who signed, and everyone else the record names, after they have left the school', async () => {
    const id = await completeReview();
    const governor = await w.as('gil.governor');
    assert.equal((await governor.post(`/api/reviews/${id}/sign-off`, { note: 'Signed' })).status, 200);
    await w.ctx.db
      .updateTable('people')
      .set({ status: 'left' })
      .where('id', 'in', [w.people.governor.personId, w.people.dsl.personId])
      .execute();

    const head = await w.as('hal.head');
    const detail = await head.get<ReviewDetail>(`/api/reviews/${id}`);
    assert.equal(detail.status, 200);
    assert.equal(detail.body.people.governor?.name, 'Gil Governor');
    assert.equal(detail.body.people.dsl?.name, 'Dee Dsl');
    assert.equal(detail.body.signOff?.by.name, 'Gil Governor');
    assert.equal(detail.body.checklist.roles_named?.checkedByName, 'Dee Dsl');
    const html = await head.get<string>(`/api/reviews/${id}/document.html`);
    assert.match(html.body, /Governor responsible<\/dt><dd>Gil Governor/);
    // Someone who has left can no longer be named in a new or open review.
    const open = await (await w.as('hal.head')).post<ReviewDetail>('/api/reviews', {
      title: 'After a change',
      reason: 'configuration_change',
    });
    const named = await head.request('PATCH', `/api/reviews/${open.body.id}`, { people: { governor: w.people.governor.personId } });
    assert.equal(named.status, 400);
  });
});

describe('the monitoring checks', () => {
  it('fail for a category whose terms the school removed from its library, and pass for the rest', () => {
    const withoutGambling = DEFAULT_LIBRARY.filter((e) => e.category !== 'gambling');
    const checks = monitoringChecks(withoutGambling, 4);
    const failed = checks.filter((c) => c.passed === 0);
    assert.deepEqual(
      failed.map((c) => [c.category, c.outcome]),
      [['monitor:gambling', 'no alert']],
    );
    assert.match(failed[0]!.detail, /keyword library version 4 raises no gambling alert/);
    assert.equal(checks.length, MONITOR_CATEGORIES.length);
  });
});

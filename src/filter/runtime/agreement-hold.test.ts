import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { filterHolds, publishDefaultAgreements } from '../../agreements/service.js';
import { checkUrl } from '../../cli/commands/check.js';
import { addUser, TEST_PASSWORD } from '../../testing/fixtures.js';
import { ApiClient } from '../../testing/http.js';
import { InProcessActivityBus } from '../../activity/bus.js';
import { signBlockToken } from './block-token.js';
import { FilterRuntime } from './runtime.js';
import { type FilterWorld, filterWorld, UPSTREAM_ANSWER, writeUt1Tree } from './test-support.js';

/*
 * The filter holds a person who has not accepted their acceptable-use agreement, end to end:
 * real store, runtime, DNS filter over UDP, proxy over TCP and the web API on 127.0.0.1.
 */

const PUPIL_LAPTOP = '127.0.0.31';
const INFANT_TABLET = '127.0.0.32';
const TUTELA = 'tutela.school.example';
const SITE = 'unlisted-site.example';
const REASON = 'end-to-end test of the agreement hold';

describe('the filter holds people who have not accepted their acceptable-use agreement', () => {
  let w: FilterWorld;
  let tree: ReturnType<typeof writeUt1Tree>;
  let head: ApiClient;
  let infantId: string;
  let headId: string;

  const decideFor = (personId: string | null, clientAddress = '127.0.0.99', target = SITE) =>
    w.runtime.decide({ clientAddress, personId, target, at: new Date() });
  const held = (personId: string) => decideFor(personId).rule === 'agreement_required';
  const mine = async (client: ApiClient) => (await client.get('/api/agreements/mine')).body;
  const acceptOwn = async (client: ApiClient, personId: string) => {
    const own = (await mine(client)).agreements.find((a: { onBehalf: boolean }) => !a.onBehalf);
    const res = await client.post('/api/agreements/accept', { documentId: own.document.id, personId });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  };

  before(async () => {
    tree = writeUt1Tree({ gambling: ['bet.example'] });
    w = await filterWorld({ ut1Source: tree.dir, env: { TUTELA_PUBLIC_URL: `http://${TUTELA}` } });
    headId = (await addUser(w.ctx, w.schoolId, 'hal.head', ['staff', 'head'], { isDemo: true })).personId;
    infantId = (await addUser(w.ctx, w.schoolId, 'ivy.infant', ['student'], { yearGroup: 1, isDemo: true })).personId;
    const netman = await w.as('nat.netman');
    for (const [address, personId, name] of [
      [PUPIL_LAPTOP, w.people.student.personId, 'Sam’s laptop'],
      [INFANT_TABLET, infantId, 'Ivy’s tablet'],
    ] as const) {
      const res = await netman.post('/api/filter/devices', { name, address, personId, reason: REASON });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }
    await w.runtime.refreshNow();
    assert.equal(held(w.people.student.personId), false, 'nobody is held before the school has agreements');

    // Published straight into the store, as school setup does: the runtime's own poll must notice.
    await publishDefaultAgreements(w.ctx.db, w.schoolId, w.clock());
    await w.eventually(() => held(w.people.student.personId), 'the pupil is held once agreements are published');
    head = await w.as('hal.head');
    await acceptOwn(head, headId);
  });
  after(async () => {
    await w?.close();
    tree?.remove();
  });

  it('shows the pupil the agreement page through the proxy and a block answer over DNS, leaves Tutela open, and lets them through once they accept', async () => {
    const pupil = w.people.student.personId;
    for (const via of [{ from: PUPIL_LAPTOP }, { username: 'sam.student' }]) {
      const page = await w.proxyGet(`http://${SITE}/work?page=2`, via);
      assert.equal(page.status, 403);
      assert.match(page.body, /Accept your acceptable use agreement first/);
      assert.ok(page.body.includes(`href="${w.webUrl}/agreements/mine"`), page.body);
      assert.doesNotMatch(page.body, /See why and report/);
    }
    assert.deepEqual(await w.dnsQuery(SITE, PUPIL_LAPTOP), ['127.0.0.1']);
    assert.deepEqual(await w.dnsQuery(TUTELA, PUPIL_LAPTOP), [UPSTREAM_ANSWER], "Tutela's own name still resolves");
    assert.deepEqual(await w.dnsQuery(SITE, '127.0.0.99'), [UPSTREAM_ANSWER], 'an unknown device is not held');
    // `tutela check` compiles as the running filter does, so it agrees about Tutela's own name.
    assert.equal((await checkUrl(w.ctx, SITE, 'sam.student', new Date())).rule, 'agreement_required');
    assert.equal((await checkUrl(w.ctx, TUTELA, 'sam.student', new Date())).action, 'allow');
    const decision = decideFor(pupil, PUPIL_LAPTOP);
    assert.deepEqual([decision.action, decision.rule], ['block', 'agreement_required']);
    assert.match(decision.detail, /acceptable use agreement/);
    assert.equal(decideFor(pupil, PUPIL_LAPTOP, `http://${TUTELA}/agreements/mine`).action, 'allow');
    // The page's link is Tutela at the block-page address (where it is reached without a public
    // URL): following it through the proxy must reach the agreement, not the hold again.
    const accept = await w.proxyGet(`${w.webUrl}/agreements/mine`, { from: PUPIL_LAPTOP });
    assert.notEqual(accept.status, 403, accept.body);
    assert.doesNotMatch(accept.body, /Accept your acceptable use agreement first/);
    assert.equal(decideFor(pupil, PUPIL_LAPTOP, '127.0.0.2').rule, 'agreement_required', 'other addresses stay held');

    // The locked illegal list still shows its own block.
    assert.equal(decideFor(pupil, PUPIL_LAPTOP, 'iwf-test.tutela.test').rule, 'locked_list');

    const sam = await w.as('sam.student');
    await acceptOwn(sam, pupil);
    // No waiting: the accept response comes after the filter has recompiled.
    const next = await w.proxyGet(`http://${SITE}/work?page=2`, { from: PUPIL_LAPTOP });
    assert.notEqual(next.status, 403, next.body);
    assert.doesNotMatch(next.body, /acceptable use agreement/);
    assert.deepEqual(await w.dnsQuery(SITE, PUPIL_LAPTOP), [UPSTREAM_ANSWER]);
    assert.equal(held(pupil), false);
    // Gambling is still blocked by the matrix, as before the hold.
    assert.equal(decideFor(pupil, PUPIL_LAPTOP, 'bet.example').rule, 'matrix');
  });

  it('never holds a Key Stage 1 pupil: a parent accepts for them', async () => {
    const infant = decideFor(null, INFANT_TABLET);
    assert.equal(infant.personId, infantId);
    assert.notEqual(infant.rule, 'agreement_required');
    assert.deepEqual(await w.dnsQuery(SITE, INFANT_TABLET), [UPSTREAM_ANSWER]);
    assert.ok(!(await filterHolds(w.ctx.db, w.schoolId, w.clock())).personIds.includes(infantId));
  });

  it('holds a new member of staff, with no unblock request on offer, until they accept', async () => {
    const staff = await addUser(w.ctx, w.schoolId, 'noa.newstaff', ['staff'], { isDemo: true });
    // Signing in at the block page on a shared computer is what makes the filter know them at once.
    const signIn = await new ApiClient(w.webUrl).post('/api/filter/block-page/sign-in', {
      username: 'noa.newstaff',
      password: TEST_PASSWORD,
    });
    assert.equal(signIn.status, 200, JSON.stringify(signIn.body));
    assert.equal(held(staff.personId), true);
    assert.equal(decideFor(null, '127.0.0.1').rule, 'agreement_required', 'the shared computer they signed in on is held');
    const page = await w.proxyGet(`http://${SITE}/`, { username: 'noa.newstaff' });
    assert.equal(page.status, 403);
    assert.match(page.body, /Accept your acceptable use agreement first/);

    const decision = decideFor(staff.personId);
    const info = await new ApiClient(w.webUrl).get(
      `/api/filter/block-info?target=${SITE}&token=${encodeURIComponent(signBlockToken(w.ctx.secretKey, decision, w.clock()))}`,
    );
    assert.equal(info.status, 200);
    assert.equal(info.body.rule, 'agreement_required');
    assert.equal(info.body.canRequestUnblock, false, 'staff may request unblocks, but not of their own agreement');

    await acceptOwn(await w.as('noa.newstaff'), staff.personId);
    assert.equal(held(staff.personId), false);
    assert.notEqual((await w.proxyGet(`http://${SITE}/`, { username: 'noa.newstaff' })).status, 403);
  });

  it("leaves the school's single sign-on provider open, so a held person who signs in with it can reach the accept page", async () => {
    const teacher = w.people.teacher.personId;
    assert.equal(held(teacher), true, 'the teacher has not accepted');
    const config = {
      ...w.ctx.config,
      oidc: [{ id: 'google', label: 'Google Workspace', issuer: 'https://accounts.google.com', clientId: 'c', clientSecret: 's' }],
    };
    const withSso = new FilterRuntime({ ...w.ctx, config }, { bus: new InProcessActivityBus() });
    await withSso.start();
    try {
      const ask = (target: string) => withSso.decide({ clientAddress: '127.0.0.99', personId: teacher, target, at: new Date() });
      assert.equal(ask('https://accounts.google.com/o/oauth2/v2/auth?client_id=c').action, 'allow');
      assert.equal(ask('mail.google.com').rule, 'agreement_required', 'only the sign-in host, not the provider’s other sites');
    } finally {
      await withSso.stop();
    }
  });

  it('holds a person who had accepted again when a new version of their agreement is published', async () => {
    const pupil = w.people.student.personId;
    assert.equal(held(pupil), false);
    const published = await head.post('/api/agreements/documents/secondary', {
      title: 'Secondary acceptable use agreement',
      bodyMd: 'Version 2: **be kind** online.',
      changeNote: 'Adds a line on kindness',
    });
    assert.equal(published.status, 201, JSON.stringify(published.body));
    assert.equal(held(pupil), true, 'held as soon as the publish returns');
    assert.equal(held(headId), false, 'other audiences are not affected');
    assert.equal((await w.proxyGet(`http://${SITE}/`, { from: PUPIL_LAPTOP })).status, 403);
    await acceptOwn(await w.as('sam.student'), pupil);
    assert.equal(held(pupil), false);
  });

  it('holds nobody when the school turns holding off, and holds again when it is turned back on', async () => {
    const teacher = w.people.teacher.personId;
    assert.equal(held(teacher), true, 'the teacher has not accepted');
    const off = await head.put('/api/agreements/settings', { renewOn: '09-01', holdInFilter: false });
    assert.equal(off.status, 200, JSON.stringify(off.body));
    assert.deepEqual(off.body, { renewOn: '09-01', holdInFilter: false });
    assert.equal(held(teacher), false);
    assert.deepEqual((await filterHolds(w.ctx.db, w.schoolId, w.clock())).personIds, []);
    // Changing only the renewal date keeps the setting as it was.
    assert.deepEqual((await head.put('/api/agreements/settings', { renewOn: '09-01' })).body, { renewOn: '09-01', holdInFilter: false });

    assert.equal((await head.put('/api/agreements/settings', { renewOn: '09-01', holdInFilter: 'yes' })).status, 400);
    const teacherClient = await w.as('tia.teacher');
    assert.equal((await teacherClient.put('/api/agreements/settings', { renewOn: '09-01', holdInFilter: true })).status, 403);
    assert.equal(held(teacher), false, 'a refused change changes nothing');

    await head.put('/api/agreements/settings', { renewOn: '09-01', holdInFilter: true });
    assert.equal(held(teacher), true);
  });

  it('holds everyone again once the yearly renewal passes, without anyone changing anything', async () => {
    const pupil = w.people.student.personId;
    assert.equal(held(pupil), false);
    // 1 September 2027 begins at 23:00 UTC the day before (British Summer Time).
    w.clock.set(new Date('2027-08-31T22:59:00Z'));
    await w.runtime.refreshNow();
    assert.equal(held(pupil), false, 'still the 2026-27 school year');
    w.clock.set(new Date('2027-08-31T23:00:00Z'));
    await w.eventually(() => held(pupil), 'the pupil is held in the new school year');
  });
});

describe('accepting while the settings change, at the same moment', () => {
  let w: FilterWorld;
  after(async () => w?.close());

  it('answers every request: settings, acceptances, block-page sign-ins and filtering changes never clash over the settings row, the audit log or the policy version', async () => {
    w = await filterWorld({ env: { TUTELA_SIGNIN_PER_ADDRESS_PER_MINUTE: '1000' } });
    const headId = (await addUser(w.ctx, w.schoolId, 'hal.head', ['staff', 'head'], { isDemo: true })).personId;
    await publishDefaultAgreements(w.ctx.db, w.schoolId, w.clock());
    const pupils = await Promise.all(
      Array.from({ length: 12 }, (_, i) => addUser(w.ctx, w.schoolId, `pup.il${i}`, ['student'], { yearGroup: 9, isDemo: true })),
    );
    const clients = await Promise.all(pupils.map((_, i) => w.as(`pup.il${i}`)));
    const netman = await w.as('nat.netman');
    // Staff use Tutela only once they have accepted their own agreement.
    const netmanOwn = (await netman.get('/api/agreements/mine')).body.agreements[0];
    assert.equal(
      (await netman.post('/api/agreements/accept', { documentId: netmanOwn.document.id, personId: netmanOwn.personId })).status,
      200,
    );
    const head = await w.as('hal.head');
    const own = (await head.get('/api/agreements/mine')).body.agreements[0].document.id;
    assert.equal((await head.post('/api/agreements/accept', { documentId: own, personId: headId })).status, 200);
    // The school's first settings, saved twice at once: one row, no clash over creating it.
    const first = await Promise.all(Array.from({ length: 8 }, () => head.put('/api/agreements/settings', { renewOn: '09-01' })));
    assert.deepEqual(
      first.map((a) => a.status),
      first.map(() => 200),
    );
    const documentId = (await clients[0]!.get('/api/agreements/mine')).body.agreements[0].document.id;
    const answers = await Promise.all(
      pupils.flatMap((pupil, i) => [
        clients[i]!.post('/api/agreements/accept', { documentId, personId: pupil.personId }),
        head.put('/api/agreements/settings', { renewOn: '09-01', holdInFilter: true }),
        // Signing in at the block page moves the policy version too.
        new ApiClient(w.webUrl).post('/api/filter/block-page/sign-in', { username: `pup.il${i}`, password: TEST_PASSWORD }),
        // And so does any filtering change; the settings change writes the settings row itself.
        netman.put('/api/filter/settings', { timeZone: 'Europe/London', reason: 'testing lock order' }),
        // A change to other rows writes the audit entry before it could move the version.
        netman
          .post('/api/filter/list-entries', {
            scope: 'school',
            pattern: `lock-order-${i}.example`,
            action: 'block',
            reason: 'testing lock order',
          })
          .then((r) => ({ ...r, status: r.status === 201 ? 200 : r.status })),
      ]),
    );
    assert.deepEqual(
      answers.map((a) => a.status),
      answers.map(() => 200),
      JSON.stringify(answers.map((a) => a.status)),
    );
    for (const pupil of pupils) {
      const decision = w.runtime.decide({ clientAddress: '127.0.0.99', personId: pupil.personId, target: SITE, at: new Date() });
      assert.notEqual(decision.rule, 'agreement_required');
    }
  });
});

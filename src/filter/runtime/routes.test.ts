import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startSmtpSink } from '../../notify/test-support.js';
import { smtpMailer } from '../../notify/mailer.js';
import { TEST_PASSWORD } from '../../testing/fixtures.js';
import { AT_LUNCH, type FilterWorld, filterWorld, IN_LESSONS, writeUt1Tree } from './test-support.js';
import { runCli } from '../../testing/cli.js';

const GAMBLING = 'abcgambling.com';
const GAMES = 'miniclip.com';
const LOCKED = 'iwf-test.tutela.test';

describe('the runtime routes, alerts and the check command', () => {
  let w: FilterWorld;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let tree: ReturnType<typeof writeUt1Tree>;

  const blockInfo = async (target: string, token?: string, cookie?: string) => {
    const q = new URLSearchParams({ target, ...(token ? { token } : {}) });
    const res = await fetch(`${w.webUrl}/api/filter/block-info?${q}`, { headers: cookie ? { cookie } : {} });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  const signInHere = (username: string, password: string) =>
    fetch(`${w.webUrl}/api/filter/block-page/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, any> }));

  before(async () => {
    smtp = await startSmtpSink();
    tree = writeUt1Tree({ gambling: [GAMBLING, 'bet.example'], games: [GAMES, 'friv.com'] });
    w = await filterWorld({
      ut1Source: tree.dir,
      mailer: smtpMailer({ url: smtp.url, from: 'Tutela <tutela@school.example>' }),
      env: { TUTELA_SIGNIN_PER_ADDRESS_PER_MINUTE: '8' },
    });
  });
  after(async () => {
    await w?.close();
    await smtp?.close();
    tree?.remove();
  });

  it('block-info explains a block for this address, without sign-in', async () => {
    const { status, body } = await blockInfo(`http://${GAMBLING}/roulette`);
    assert.equal(status, 200);
    assert.deepEqual(
      { ...body, detail: typeof body.detail },
      {
        action: 'block',
        host: GAMBLING,
        url: `${GAMBLING}/roulette`,
        category: 'gambling',
        categoryLabel: 'Gambling',
        rule: 'matrix',
        detail: 'string',
        person: null,
        canRequestUnblock: false,
        signedIn: false,
      },
    );
    assert.equal((await blockInfo('not a host at all')).body.error, 'filter.invalid_target');
  });

  it("block-info shows exactly the proxy's decision when given its signed token, and ignores a forged one", async () => {
    const page = await w.proxyGet(`http://${GAMBLING}/`, { username: 'sam.student' });
    assert.equal(page.status, 403);
    const link = /href="([^"]+)"/.exec(page.body)![1]!.replaceAll('&amp;', '&');
    const token = new URL(link).searchParams.get('token')!;
    const genuine = await blockInfo(GAMBLING, token);
    assert.deepEqual([genuine.body.person?.name, genuine.body.rule, genuine.body.category], ['Sam Student', 'matrix', 'gambling']);

    const forged = `${token.slice(0, -3)}${token.endsWith('AAA') ? 'BBB' : 'AAA'}`;
    assert.equal((await blockInfo(GAMBLING, forged)).body.person, null, 'a forged token is ignored');
    assert.equal((await blockInfo('bet.example', token)).body.host, 'bet.example', "another site's token is ignored");
    assert.equal((await blockInfo('bet.example', token)).body.person, null);
  });

  it('offers a signed-in member of staff an unblock request', async () => {
    const teacher = await w.as('tia.teacher');
    const { body } = await blockInfo(GAMBLING, undefined, teacher.cookie);
    assert.deepEqual([body.signedIn, body.canRequestUnblock], [true, true]);
    const student = await w.as('sam.student');
    const pupil = await blockInfo(GAMBLING, undefined, student.cookie);
    assert.deepEqual([pupil.body.signedIn, pupil.body.canRequestUnblock], [true, false]);
    const locked = await blockInfo(LOCKED, undefined, teacher.cookie);
    assert.deepEqual([locked.body.rule, locked.body.canRequestUnblock], ['locked_list', false], 'nobody may ask to unblock a locked entry');
  });

  it('block-page sign-in ties this address to the person at once, and refuses wrong passwords', async () => {
    const versionBefore = (await w.ctx.db.selectFrom('filter_settings').select('policy_version').executeTakeFirstOrThrow()).policy_version;
    const wrong = await signInHere('sam.student', 'not-the-password');
    assert.deepEqual([wrong.status, wrong.body.error], [401, 'invalid_credentials']);
    const unknown = await signInHere('nobody.here', 'whatever-password');
    assert.deepEqual([unknown.status, unknown.body.error], [401, 'invalid_credentials']);

    const ok = await signInHere('sam.student', TEST_PASSWORD);
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.person.name, 'Sam Student');
    assert.equal(Date.parse(ok.body.until) - w.clock().getTime(), w.ctx.config.filter.addressSignInMinutes * 60_000);
    // In force when the answer arrives: no waiting for a poll.
    const decision = w.runtime.decide({ clientAddress: '127.0.0.1', target: GAMBLING, at: new Date() });
    assert.equal(decision.personId, w.people.student.personId);
    assert.equal((await blockInfo(GAMBLING)).body.person?.name, 'Sam Student');
    const versionAfter = (await w.ctx.db.selectFrom('filter_settings').select('policy_version').executeTakeFirstOrThrow()).policy_version;
    assert.equal(Number(versionAfter), Number(versionBefore) + 1);
    const audit = await w.ctx.db.selectFrom('audit_log').select('action').where('action', '=', 'filter.address_signed_in').execute();
    assert.equal(audit.length, 1);

    // The wrong password counted towards the account's lockout, as on the sign-in page.
    const account = await w.ctx.db
      .selectFrom('accounts')
      .select('failed_attempts')
      .where('username', '=', 'sam.student')
      .executeTakeFirstOrThrow();
    assert.equal(account.failed_attempts, 0, 'reset by the good sign-in');
  });

  it('refuses disabled accounts and limits attempts per address', async () => {
    await w.ctx.db.updateTable('accounts').set({ disabled_at: w.clock().toISOString() }).where('username', '=', 'tia.teacher').execute();
    const disabled = await signInHere('tia.teacher', TEST_PASSWORD);
    assert.deepEqual([disabled.status, disabled.body.error], [403, 'account_disabled']);
    await w.ctx.db.updateTable('accounts').set({ disabled_at: null }).where('username', '=', 'tia.teacher').execute();
    let last = { status: 0, body: {} as Record<string, any> };
    for (let i = 0; i < 10 && last.status !== 429; i++) last = await signInHere('nobody.here', 'whatever-password');
    assert.deepEqual([last.status, last.body.error], [429, 'rate_limited']);
  });

  it('tests a URL as a person at a time, and validates what it is given', async () => {
    const netman = await w.as('nat.netman');
    const q = (params: Record<string, string>) => netman.get(`/api/filter/test?${new URLSearchParams(params)}`);
    const lunch = await q({ target: `https://www.${GAMES}/play`, username: 'sam.student', at: AT_LUNCH.toISOString() });
    assert.equal(lunch.status, 200, JSON.stringify(lunch.body));
    assert.deepEqual(lunch.body.categories, ['games']);
    assert.deepEqual(lunch.body.person, { id: w.people.student.personId, name: 'Sam Student' });
    assert.equal(lunch.body.profile.name, 'Key Stage 4');
    assert.deepEqual([lunch.body.decision.action, lunch.body.decision.rule], ['block', 'matrix']);
    const teacher = await q({ target: GAMES, personId: w.people.teacher.personId, at: IN_LESSONS.toISOString() });
    assert.deepEqual([teacher.body.decision.action, teacher.body.profile.name], ['allow', 'Staff']);

    assert.equal((await q({ target: GAMES, username: 'sam.student', at: 'next tuesday' })).body.error, 'validation_failed');
    assert.equal((await q({ target: 'http://', username: 'sam.student' })).body.error, 'filter.invalid_target');
    assert.equal((await q({ target: GAMES, username: 'nobody.here' })).status, 404);
    const pupil = await w.as('sam.student');
    assert.equal((await pupil.get(`/api/filter/test?target=${GAMES}`)).status, 403);
  });

  it('alerts the DSL once per person and category in ten minutes, in the app and by e-mail', async () => {
    // The pupil is signed in on 127.0.0.1 (above); the locked test entry is illegal_csam, an alerting category.
    for (let i = 0; i < 3; i++) await w.dnsQuery(LOCKED, '127.0.0.1');
    await w.alerter.idle();
    const dsl = await w.as('dee.dsl');
    let notes = (await dsl.get('/api/notifications')).body as {
      id: string;
      kind: string;
      title: string;
      body: string;
      readAt: string | null;
    }[];
    assert.equal(notes.filter((n) => n.kind === 'filter.alert').length, 1);
    assert.match(notes[0]!.title, /Child sexual abuse/);
    assert.match(notes[0]!.body, /Sam Student was blocked from iwf-test\.tutela\.test/);
    assert.equal(smtp.messages.length, 1);
    assert.deepEqual(smtp.messages[0]!.to, ['dee.dsl@school.example']);
    assert.match(smtp.messages[0]!.data, /Subject: \[Tutela\] Filter alert/);

    w.clock.advance(11);
    await w.dnsQuery(LOCKED, '127.0.0.1');
    await w.dnsQuery(GAMBLING, '127.0.0.1'); // blocked, but gambling does not alert
    await w.alerter.idle();
    notes = (await dsl.get('/api/notifications')).body;
    assert.equal(notes.filter((n) => n.kind === 'filter.alert').length, 2);

    const read = await dsl.post(`/api/notifications/${notes[0]!.id}/read`, {});
    assert.equal(read.status, 200);
    assert.ok(read.body.readAt);
    const netman = await w.as('nat.netman');
    assert.equal((await netman.post(`/api/notifications/${notes[1]!.id}/read`, {})).status, 404, "nobody reads another's notification");
    assert.deepEqual((await netman.get('/api/notifications')).body, []);
  });

  it('sends a browser that asked for a blocked name to the block page, and serves its own names normally', async () => {
    const get = (host: string, urlPath: string) =>
      new Promise<{ status: number; location: string | undefined }>((resolve, reject) => {
        const { port } = new URL(w.webUrl);
        http
          .get({ host: '127.0.0.1', port, path: urlPath, headers: { host } }, (res) => {
            res.resume();
            resolve({ status: res.statusCode ?? 0, location: res.headers.location });
          })
          .on('error', reject);
      });
    assert.deepEqual(await get(GAMBLING, '/poker?hand=2'), {
      status: 302,
      location: `/blocked?target=${encodeURIComponent(`${GAMBLING}/poker?hand=2`)}`,
    });
    assert.deepEqual(await get(`${GAMBLING}:80`, '/'), { status: 302, location: `/blocked?target=${GAMBLING}` });
    assert.equal((await get(GAMBLING, '/api/filter/block-info?target=x.example')).status, 200, 'the API answers under any name');
    assert.notEqual((await get(GAMBLING, '/blocked?target=x')).status, 302, 'the block page itself is served, no loop');
    assert.equal((await get('127.0.0.1:8080', '/healthz')).status, 200);
    assert.notEqual((await get('localhost', '/people')).status, 302);
    assert.notEqual((await get('192.168.1.20', '/')).status, 302, 'an address is never a blocked name');
  });

  describe('tutela check', () => {
    const run = (...args: string[]) => runCli(w.storeInfo, ['check', ...args]);

    it('prints one JSON object with the decision', () => {
      const r = run(`https://${GAMES}/`, '--user', 'sam.student', '--at', AT_LUNCH.toISOString(), '--json');
      assert.equal(r.code, 0, r.err);
      const result = JSON.parse(r.out);
      assert.equal(result.action, 'block');
      assert.equal(result.category, 'games');
      assert.equal(result.rule, 'matrix');
      assert.equal(typeof result.policyVersion, 'number');
      assert.deepEqual(result.categories, ['games']);
      assert.equal(result.person.username, 'sam.student');
      assert.equal(result.profile.name, 'Key Stage 4');
      const staff = JSON.parse(run(GAMES, '--user', 'tia.teacher', '--json').out);
      assert.equal(staff.action, 'allow');
    });

    it('explains in words without --json', () => {
      const r = run(GAMBLING, '--user', 'sam.student');
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /^BLOCKED: abcgambling\.com/);
      assert.match(r.out, /category\s+Gambling \(gambling\)/);
      assert.match(r.out, /rule\s+matrix/);
    });

    it('refuses an unknown user and a bad time with exit code 2', () => {
      const unknown = run(GAMES, '--user', 'nobody.here');
      assert.equal(unknown.code, 2);
      assert.match(unknown.err, /no account with the username "nobody\.here"/);
      const badTime = run(GAMES, '--user', 'sam.student', '--at', 'lunchtime');
      assert.equal(badTime.code, 2);
      assert.match(badTime.err, /--at "lunchtime" is not a date and time/);
    });
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FilterDecision } from '../model.js';
import { AT_LUNCH, type FilterWorld, filterWorld, IN_LESSONS, UPSTREAM_ANSWER } from './test-support.js';

/*
 * The "Done when", end to end: real store, the shared UT1 lists, the runtime, the DNS
 * filter over UDP, the proxy over TCP and the web API, all on 127.0.0.1.
 */

const STUDENT_LAPTOP = '127.0.0.10';
const STAFF_LAPTOP = '127.0.0.20';
const GAMBLING = 'abcgambling.com'; // in UT1's gambling list only
const GAMES = 'miniclip.com'; // in UT1's games list
const LOCKED = 'iwf-test.tutela.test'; // the built-in locked test entry (illegal_csam)
const REASON = 'end-to-end test of the filter';
const CONTROL = 'bet365.com'; // an ordinary listed site (gambling, games): what the same paths can allow

describe('the filter end to end', () => {
  let w: FilterWorld;
  let netman: Awaited<ReturnType<FilterWorld['as']>>;
  let ks4ProfileId: string;

  const studentDecision = (target: string): FilterDecision =>
    w.runtime.decide({ clientAddress: STUDENT_LAPTOP, personId: w.people.student.personId, target, at: new Date() });

  before(async () => {
    w = await filterWorld();
    netman = await w.as('nat.netman');
    for (const [address, person, name] of [
      [STUDENT_LAPTOP, w.people.student.personId, 'Sam’s laptop'],
      [STAFF_LAPTOP, w.people.teacher.personId, 'Tia’s laptop'],
    ] as const) {
      const res = await netman.post('/api/filter/devices', { name, address, personId: person, reason: REASON });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }
    const profiles = await netman.get('/api/filter/profiles');
    ks4ProfileId = profiles.body.find((p: { key: string }) => p.key === 'ks4').id;
    await w.runtime.refreshNow();
  });
  after(async () => w?.close());

  it("blocks a Year 10 pupil's DNS query and proxy request for a gambling domain, with a page that says why", async () => {
    assert.deepEqual(await w.dnsQuery(GAMBLING, STUDENT_LAPTOP), ['127.0.0.1']);
    assert.deepEqual(await w.dnsQuery(`www.${GAMBLING}`, STUDENT_LAPTOP), ['127.0.0.1'], 'a subdomain is covered');
    assert.deepEqual(await w.dnsQuery('unlisted-site.example', STUDENT_LAPTOP), [UPSTREAM_ANSWER], 'an unlisted name is forwarded');

    for (const viaPerson of [{ username: 'sam.student' }, { from: STUDENT_LAPTOP }]) {
      const page = await w.proxyGet(`http://${GAMBLING}/poker?hand=1`, viaPerson);
      assert.equal(page.status, 403);
      assert.match(page.body, /This site is blocked/);
      assert.match(page.body, /Gambling/);
      assert.match(page.body, /\/blocked\?target=.*&amp;token=/);
    }
    const decision = studentDecision(GAMBLING);
    assert.deepEqual([decision.action, decision.category, decision.rule], ['block', 'gambling', 'matrix']);
    assert.equal(decision.personId, w.people.student.personId);
  });

  it('lets games follow the matrix and the time window, and a policy change through the API is in force soon after', async () => {
    w.clock.set(AT_LUNCH);
    assert.deepEqual(await w.dnsQuery(GAMES, STUDENT_LAPTOP), ['127.0.0.1'], 'KS4 games start unacceptable');
    const res = await netman.put(`/api/filter/profiles/${ks4ProfileId}/matrix/games`, {
      level: 'at_certain_times',
      windows: ['lunch'],
      reason: 'games allowed at lunch for KS4',
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    // No refresh by hand: the runtime's own poll must pick the change up.
    await w.eventually(async () => (await w.dnsQuery(GAMES, STUDENT_LAPTOP))[0] === UPSTREAM_ANSWER, 'games allowed at lunch');
    assert.equal(studentDecision(GAMES).rule, 'matrix');

    w.clock.set(IN_LESSONS);
    assert.deepEqual(await w.dnsQuery(GAMES, STUDENT_LAPTOP), ['127.0.0.1'], 'and blocked again in lessons');
    const lessons = studentDecision(GAMES);
    assert.deepEqual([lessons.action, lessons.category, lessons.rule], ['block', 'games', 'matrix']);
    const proxied = await w.proxyGet(`http://${GAMES}/`, { username: 'sam.student' });
    assert.equal(proxied.status, 403);
    assert.match(proxied.body, /Online games/);
  });

  it('allows the teacher where the staff profile says so, in lessons too', async () => {
    w.clock.set(IN_LESSONS);
    assert.deepEqual(await w.dnsQuery(GAMES, STAFF_LAPTOP), [UPSTREAM_ANSWER]);
    const teacher = w.runtime.decide({ clientAddress: STAFF_LAPTOP, target: GAMES, at: new Date() });
    assert.deepEqual([teacher.action, teacher.personId], ['allow', w.people.teacher.personId]);
    // Gambling stays unacceptable for staff as well.
    assert.deepEqual(await w.dnsQuery(GAMBLING, STAFF_LAPTOP), ['127.0.0.1']);
  });

  it('keeps a locked-list entry blocked whatever anyone tries', async () => {
    const dsl = await w.as('dee.dsl');
    const teacher = await w.as('tia.teacher');
    const assertLocked = async (after: string) => {
      await w.runtime.refreshNow();
      for (const [who, decision] of [
        ['pupil', studentDecision(LOCKED)],
        ['pupil (subdomain, URL)', studentDecision(`http://a.${LOCKED}/x?y=1`)],
        ['teacher', w.runtime.decide({ clientAddress: STAFF_LAPTOP, target: LOCKED, at: new Date() })],
        ['unknown device', w.runtime.decide({ clientAddress: '10.9.9.9', target: LOCKED, at: new Date() })],
      ] as const) {
        assert.deepEqual(
          [decision.action, decision.rule, decision.category],
          ['block', 'locked_list', 'illegal_csam'],
          `${who} after ${after}`,
        );
      }
      assert.deepEqual(await w.dnsQuery(LOCKED, STUDENT_LAPTOP), ['127.0.0.1'], `DNS after ${after}`);
      assert.deepEqual(await w.dnsQuery(LOCKED, STAFF_LAPTOP), ['127.0.0.1'], `DNS for staff after ${after}`);
    };
    await assertLocked('nothing');

    // Allow entries at every level: refused, or stored and powerless.
    for (const [scope, scopeId] of [
      ['person', w.people.student.personId],
      ['group', w.year10Id],
      ['school', undefined],
      ['trust', undefined],
    ] as const) {
      const res = await netman.post('/api/filter/list-entries', { scope, scopeId, pattern: LOCKED, action: 'allow', reason: REASON });
      assert.ok([201, 403].includes(res.status), `${scope} allow entry: ${res.status} ${JSON.stringify(res.body)}`);
      const byCategory = await netman.post('/api/filter/list-entries', {
        scope,
        scopeId,
        pattern: `other-${scope}.example`,
        action: 'allow',
        category: 'illegal_csam',
        reason: REASON,
      });
      assert.equal(byCategory.status, 403, 'an allow entry naming a locked category is refused');
      // A network manager may not write trust-wide entries at all; a school's entries meet the lock.
      assert.equal(byCategory.body.error, scope === 'trust' ? 'forbidden' : 'filter.locked');
    }
    // The same kind of entry does work on an ordinary site: only the lock stops the one above.
    const control = await netman.post('/api/filter/list-entries', {
      scope: 'person',
      scopeId: w.people.student.personId,
      pattern: CONTROL,
      action: 'allow',
      reason: REASON,
    });
    assert.equal(control.status, 201);
    await w.runtime.refreshNow();
    assert.deepEqual([studentDecision(CONTROL).action, studentDecision(CONTROL).rule], ['allow', 'person_list']);
    await assertLocked('allow entries');

    // Temporary exceptions, by site and by category.
    const from = new Date(w.clock().getTime() - 60_000).toISOString();
    const until = new Date(w.clock().getTime() + 86_400_000).toISOString();
    const bySite = await netman.post('/api/filter/exceptions', {
      target: { kind: 'pattern', pattern: LOCKED },
      appliesTo: { kind: 'school' },
      from,
      until,
      reason: REASON,
    });
    assert.ok([201, 403].includes(bySite.status), JSON.stringify(bySite.body));
    const byCategory = await netman.post('/api/filter/exceptions', {
      target: { kind: 'category', category: 'illegal_csam' },
      appliesTo: { kind: 'person', id: w.people.student.personId },
      from,
      until,
      reason: REASON,
    });
    assert.equal(byCategory.status, 403);
    await assertLocked('exceptions');

    // An unblock request for the class, approved by the network manager and by the DSL.
    const request = await teacher.post('/api/filter/unblock-requests', {
      targetKind: 'pattern',
      target: LOCKED,
      groupId: w.classId,
      from,
      until,
      reason: 'for a lesson',
    });
    if (request.status === 201) {
      const technical = await netman.post(`/api/filter/unblock-requests/${request.body.id}/approve`, {});
      const safeguarding = await dsl.post(`/api/filter/unblock-requests/${request.body.id}/approve`, {});
      assert.equal(technical.status, 200, JSON.stringify(technical.body));
      assert.equal(safeguarding.status, 200, JSON.stringify(safeguarding.body));
      assert.equal(safeguarding.body.status, 'approved', 'both approvals given');
    } else {
      assert.equal(request.status, 403, JSON.stringify(request.body));
    }
    await assertLocked('an unblock request approved by both');

    // The matrix: the locked categories cannot be made acceptable, in any profile.
    const matrix = await netman.put(`/api/filter/profiles/${ks4ProfileId}/matrix/illegal_csam`, { level: 'acceptable', reason: REASON });
    assert.equal(matrix.status, 403);
    assert.equal(matrix.body.error, 'filter.locked');
    const fallback = await netman.put(`/api/filter/profiles/${ks4ProfileId}`, { defaultAction: 'allow', reason: REASON });
    assert.equal(fallback.status, 200);
    await assertLocked('matrix changes');

    // A sanction that still allows the locked site.
    const sanction = await dsl.post('/api/filter/sanctions', {
      personId: w.people.student.personId,
      from,
      until,
      stillAllowed: [LOCKED],
      reason: REASON,
    });
    assert.equal(sanction.status, 201, JSON.stringify(sanction.body));
    await assertLocked('a sanction');
    const other = studentDecision('unlisted-site.example');
    assert.equal(other.rule, 'sanction', 'the sanction itself is in force');
  });

  it('shows each decision in the live feed', async () => {
    await w.writer.flush();
    const feed = await netman.get('/api/filter/activity?limit=500');
    assert.equal(feed.status, 200);
    const events: { host: string; action: string; source: string; personName: string | null; deviceName: string | null; rule: string }[] =
      feed.body.events;
    const find = (host: string, source: string, action: string) =>
      events.find((e) => e.host === host && e.source === source && e.action === action);
    const dnsBlock = events.find((e) => e.host === GAMBLING && e.source === 'dns' && e.deviceName === 'Sam’s laptop');
    assert.ok(dnsBlock, 'the DNS block is in the feed');
    assert.deepEqual([dnsBlock.action, dnsBlock.rule, dnsBlock.personName], ['block', 'matrix', 'Sam Student']);
    assert.ok(find(GAMBLING, 'proxy', 'block'), 'the proxy block is in the feed');
    assert.ok(find(GAMES, 'dns', 'allow'), 'the lunchtime allow is in the feed');
    assert.ok(find('unlisted-site.example', 'dns', 'allow'));
    assert.ok(find(LOCKED, 'dns', 'block'));
    assert.ok(typeof feed.body.cursor === 'string');
    const pupil = await (await w.as('sam.student')).get('/api/filter/activity');
    assert.equal(pupil.status, 403, 'a pupil cannot read the feed');
  });
});

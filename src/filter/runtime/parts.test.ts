import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InProcessActivityBus } from '../../activity/bus.js';
import type { ActivityEvent } from '../../activity/event.js';
import type { FilterDecision } from '../model.js';
import { blockedSiteRedirect } from './block-redirect.js';
import { BLOCK_TOKEN_TTL_MS, signBlockToken, verifyBlockToken } from './block-token.js';
import { activityEventOf, MAX_URL_LENGTH } from './events.js';

const KEY = Buffer.alloc(32, 9);
const decision: FilterDecision = {
  action: 'block',
  schoolId: 'school-1',
  category: 'gambling',
  rule: 'matrix',
  detail: 'Gambling is unacceptable for Key Stage 4',
  policyVersion: 7,
  personId: 'person-1',
  profileId: 'profile-ks4',
  deviceId: 'device-1',
  host: 'bet.example',
  url: 'bet.example/poker',
  alert: false,
};

describe('block-page token', () => {
  const at = new Date('2026-11-24T10:00:00Z');

  it('carries the decision to the block page', () => {
    const claims = verifyBlockToken(KEY, signBlockToken(KEY, decision, at), new Date(at.getTime() + 60_000));
    assert.deepEqual(claims, {
      action: 'block',
      schoolId: 'school-1',
      category: 'gambling',
      rule: 'matrix',
      detail: decision.detail,
      host: 'bet.example',
      url: 'bet.example/poker',
      personId: 'person-1',
      profileId: 'profile-ks4',
      policyVersion: 7,
      at: at.getTime(),
    });
  });

  it('refuses altered, foreign, stale and malformed tokens', () => {
    const token = signBlockToken(KEY, decision, at);
    const [body, mac] = token.split('.') as [string, string];
    const altered = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), rule: 'locked_list' })).toString(
      'base64url',
    );
    const soon = new Date(at.getTime() + 1000);
    assert.equal(verifyBlockToken(KEY, `${altered}.${mac}`, soon), null, 'changed claims');
    assert.equal(verifyBlockToken(Buffer.alloc(32, 1), token, soon), null, 'another installation');
    assert.equal(verifyBlockToken(KEY, token, new Date(at.getTime() + BLOCK_TOKEN_TTL_MS + 1)), null, 'too old');
    for (const junk of ['', '.', 'abc', `${token}.x`, `${body}.`, 'a.b', `${body}.${'A'.repeat(43)}`]) {
      assert.equal(verifyBlockToken(KEY, junk, soon), null, junk);
    }
  });
});

describe('blocked-site redirect', () => {
  const own = new Set(['localhost', 'tutela.school.example']);

  it('sends foreign names to the block page with the host and path', () => {
    assert.equal(
      blockedSiteRedirect('bet.example', '/poker?x=1', own, undefined),
      `/blocked?target=${encodeURIComponent('bet.example/poker?x=1')}`,
    );
    assert.equal(blockedSiteRedirect('BET.example.:80', '/', own, undefined), '/blocked?target=bet.example');
    assert.equal(
      blockedSiteRedirect('bet.example', '/', own, 'https://tutela.school.example/'),
      'https://tutela.school.example/blocked?target=bet.example',
    );
  });

  it("serves this server's own names, any address, and the paths the block page needs", () => {
    for (const host of ['localhost:8080', 'tutela.school.example', '10.1.2.3', '10.1.2.3:8080', '[::1]:8080', '::1', undefined]) {
      assert.equal(blockedSiteRedirect(host, '/people', own, undefined), null, String(host));
    }
    for (const url of ['/api/filter/block-info?target=x', '/assets/app.js', '/blocked?target=x', '/blocked', '/healthz', '/favicon.ico']) {
      assert.equal(blockedSiteRedirect('bet.example', url, own, undefined), null, url);
    }
  });
});

describe('activity events from decisions', () => {
  it('keeps the full URL with its search terms, and alerts only for blocks', () => {
    const event = activityEventOf({
      source: 'proxy',
      at: new Date('2026-11-24T10:00:00Z'),
      clientAddress: '10.0.0.7',
      decision: { ...decision, alert: true, host: 'www.google.com', url: 'www.google.com/search' },
      url: 'http://www.google.com/search?q=how+to+bet',
    });
    assert.equal(event.url, 'http://www.google.com/search?q=how+to+bet');
    assert.equal(event.searchTerms, 'how to bet');
    assert.equal(event.alert, true);
    assert.equal(event.deviceId, 'device-1');
    const allowed = activityEventOf({
      source: 'dns',
      at: new Date(),
      clientAddress: '10.0.0.7',
      decision: { ...decision, action: 'allow', alert: true },
    });
    assert.equal(allowed.alert, false);
    assert.equal(allowed.url, 'bet.example/poker', "the engine's URL when the enforcement point saw none");
  });

  it('cuts absurdly long URLs', () => {
    const long = `http://bet.example/${'a'.repeat(10_000)}`;
    assert.equal(activityEventOf({ source: 'proxy', at: new Date(), clientAddress: '', decision, url: long }).url?.length, MAX_URL_LENGTH);
  });
});

describe('the in-process bus', () => {
  it('keeps delivering when a handler throws, and never throws to the publisher', () => {
    const errors: unknown[] = [];
    const bus = new InProcessActivityBus((e) => errors.push(e));
    const seen: string[] = [];
    bus.subscribe(() => {
      throw new Error('broken handler');
    });
    const stop = bus.subscribe((e) => seen.push(e.id));
    const event = { id: 'e1' } as ActivityEvent;
    bus.publish(event);
    assert.deepEqual(seen, ['e1']);
    assert.equal(errors.length, 1);
    stop();
    bus.publish({ id: 'e2' } as ActivityEvent);
    assert.deepEqual(seen, ['e1']);
  });
});

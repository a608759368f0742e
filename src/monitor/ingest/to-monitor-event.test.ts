import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IngestedEvent } from './from-log.js';
import {
  type Attribution,
  attributeAll,
  kindOf,
  MalformedReporter,
  parseProxyLine,
  toMonitorEvent,
  utcOffsetMinutes,
} from './to-monitor-event.js';

describe('parseProxyLine', () => {
  it('marks a Squid ACL refusal as blocked and a normal request as not', () => {
    const denied = parseProxyLine(
      '1795539599.123 3 10.0.0.5 TCP_DENIED/403 3900 GET http://casino.example/ - HIER_NONE/- text/html',
      'squid',
      'squid@proxy1',
    );
    const passed = parseProxyLine(
      '1795539599.123 3 10.0.0.5 TCP_MISS/200 3900 GET http://example.org/ - HIER_DIRECT/1.2.3.4 text/html',
      'squid',
      'squid@proxy1',
    );
    assert.ok(denied.ok && passed.ok);
    assert.equal(denied.blocked, true);
    assert.equal(passed.blocked, false);
  });

  it('takes e2guardian’s own verdict, read in the zone offset given', () => {
    const line =
      '2026.7.1 17:00:01 jane.smith 10.0.0.5 http://bad.example/page *DENIED* Banned site: bad.example GET 0 0 Banned Sites 1 403 - - Default -';
    const result = parseProxyLine(line, 'e2guardian', 'e2guardian@filter', { utcOffsetMinutes: 60 });
    assert.ok(result.ok);
    assert.equal(result.blocked, true);
    assert.equal(result.event.at.toISOString(), '2026-07-01T16:00:01.000Z');
  });

  it('passes the parser’s reason on', () => {
    assert.deepEqual(parseProxyLine('rubbish', 'squid', 'squid'), { ok: false, reason: 'expected 10 space-separated fields, found 1' });
  });
});

describe('toMonitorEvent', () => {
  const base: IngestedEvent = {
    at: new Date('2026-11-24T10:00:00Z'),
    source: 'squid@proxy1',
    person: { username: 'JANE', address: '10.0.0.5' },
  };
  const origin = { schoolId: 's1', sourceId: 'src1', receivedAt: new Date('2026-11-24T10:00:01Z'), blocked: false };
  const who: Attribution = { personId: 'p1', username: 'JANE' };

  it('is a search when terms were found, browsing with a URL, and other for text', () => {
    assert.equal(kindOf({ ...base, url: 'http://x/', searchTerms: ['vape'] }), 'search');
    assert.equal(kindOf({ ...base, url: 'http://x/' }), 'web');
    assert.equal(kindOf({ ...base, host: 'x' }), 'web');
    assert.equal(kindOf({ ...base, text: 'hello' }), 'other');
  });

  it('carries the origin, the person and the request', () => {
    const event = toMonitorEvent({ ...base, url: 'http://g/search?q=a+b', host: 'g', searchTerms: ['a b'] }, origin, who);
    assert.deepEqual(
      { ...event, id: typeof event.id },
      {
        id: 'string',
        schoolId: 's1',
        at: base.at,
        receivedAt: origin.receivedAt,
        sourceId: 'src1',
        source: 'squid@proxy1',
        kind: 'search',
        personId: 'p1',
        username: 'JANE',
        clientAddress: '10.0.0.5',
        device: null,
        host: 'g',
        url: 'http://g/search?q=a+b',
        searchTerms: 'a b',
        text: null,
        blocked: false,
      },
    );
    assert.notEqual(toMonitorEvent(base, origin, who).id, event.id, 'each event gets its own id');
  });

  it('keeps the username the line carried when nobody matched it', () => {
    assert.equal(toMonitorEvent(base, origin, { personId: null, username: null }).username, 'JANE');
  });
});

describe('attributeAll', () => {
  it('asks once per person and minute, and never for an event that names nobody', async () => {
    const asked: string[] = [];
    const resolver = {
      resolve: async (schoolId: string, w: { username?: string; address?: string }) => {
        asked.push(`${schoolId}/${w.username ?? ''}/${w.address ?? ''}`);
        return { personId: w.username ? `person-${w.username}` : null, username: w.username ?? null };
      },
    };
    const at = new Date('2026-11-24T10:00:00Z');
    const later = new Date('2026-11-24T10:05:00Z');
    const items = [
      { schoolId: 's', event: { at, source: 'x', person: { username: 'jane' } } },
      { schoolId: 's', event: { at, source: 'x', person: { username: 'jane' } } },
      { schoolId: 's', event: { at: later, source: 'x', person: { username: 'jane' } } },
      { schoolId: 's', event: { at, source: 'x', person: {} } },
      { schoolId: 's', event: { at, source: 'x', person: { address: '10.0.0.9' } } },
    ];
    const people = await attributeAll(resolver, items);
    assert.deepEqual(
      people.map((p) => p.personId),
      ['person-jane', 'person-jane', 'person-jane', null, null],
    );
    assert.deepEqual(asked, ['s/jane/', 's/jane/', 's//10.0.0.9']);
  });
});

describe('utcOffsetMinutes', () => {
  it('is 60 in British Summer Time and 0 in winter', () => {
    assert.equal(utcOffsetMinutes('Europe/London', new Date('2026-07-01T12:00:00Z')), 60);
    assert.equal(utcOffsetMinutes('Europe/London', new Date('2026-11-24T12:00:00Z')), 0);
    assert.equal(utcOffsetMinutes('America/New_York', new Date('2026-11-24T12:00:00Z')), -300);
  });

  it('is 0 for a zone it does not know, rather than failing the line', () => {
    assert.equal(utcOffsetMinutes('Mars/Olympus_Mons', new Date()), 0);
  });
});

describe('MalformedReporter', () => {
  it('counts every rejection but logs one entry per interval, saying how many it left out', () => {
    const logged: { o: Record<string, unknown>; m: string | undefined }[] = [];
    const reporter = new MalformedReporter({ warn: (o, m) => logged.push({ o: o as Record<string, unknown>, m }) }, 'syslog', 60_000);
    for (let i = 0; i < 5; i++) reporter.report(`bad ${i}`, { sender: '10.0.0.1' });
    assert.equal(reporter.count, 5);
    assert.equal(logged.length, 1);
    assert.deepEqual(logged[0], { o: { sender: '10.0.0.1', reason: 'bad 0' }, m: 'syslog: line rejected' });
    const everyTime = new MalformedReporter({ warn: (o, m) => logged.push({ o: o as Record<string, unknown>, m }) }, 'file', 0);
    everyTime.report('a');
    everyTime.report('b');
    assert.equal(logged.length, 3);
  });
});

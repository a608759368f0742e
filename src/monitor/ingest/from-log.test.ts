import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { logLineToEvent, parseLogLine, syslogToEvent } from './from-log.js';
import { parseSquidNative } from './squid.js';
import { parseSyslog } from './syslog.js';

describe('logLineToEvent', () => {
  it('turns a Squid line into an event with the person, host and search terms', () => {
    const parsed = parseSquidNative(
      '1795539599.123 150 10.0.0.5 TCP_MISS/200 5120 GET http://www.google.co.uk/search?q=how+to+vape jane HIER_DIRECT/1.2.3.4 text/html',
    );
    assert.ok(parsed.ok);
    assert.deepEqual(logLineToEvent(parsed.entry, 'squid'), {
      at: new Date('2026-11-24T16:59:59.123Z'),
      source: 'squid',
      person: { username: 'jane', address: '10.0.0.5' },
      url: 'http://www.google.co.uk/search?q=how+to+vape',
      host: 'www.google.co.uk',
      searchTerms: ['how to vape'],
    });
  });

  it('takes the host from a CONNECT line and finds no search terms in it', () => {
    const result = parseLogLine(
      '1795539600.001 2031 10.0.0.6 TCP_TUNNEL/200 4512 CONNECT WWW.Google.com:443 - HIER_DIRECT/1.2.3.4 -',
      'squid',
      'squid',
    );
    assert.ok(result.ok);
    assert.deepEqual(result.event.person, { address: '10.0.0.6' });
    assert.equal(result.event.host, 'www.google.com');
    assert.equal(result.event.searchTerms, undefined);
  });

  it('turns an e2guardian line into an event', () => {
    const result = parseLogLine(
      '2026.11.24 17:00:02 bob 10.0.0.7 https://www.youtube.com/results?search_query=minecraft+mods *EXCEPTION* Exception site match. GET 5120 0  1 200 text/html',
      'e2guardian',
      'e2guardian',
    );
    assert.ok(result.ok);
    assert.deepEqual(
      [result.event.person.username, result.event.host, result.event.searchTerms],
      ['bob', 'www.youtube.com', ['minecraft mods']],
    );
  });

  it('passes on the reason a line is refused', () => {
    const result = parseLogLine('not a log line', 'squid', 'squid');
    assert.deepEqual(result, { ok: false, reason: 'expected 10 space-separated fields, found 4' });
  });
});

describe('syslogToEvent', () => {
  it('reads a Squid line carried in a syslog message, naming the sending host', () => {
    const message = parseSyslog(
      '<134>Nov 24 17:00:09 proxy1 squid[1234]: 1795539599.123    150 10.0.0.5 TCP_MISS/200 5120 GET http://www.bing.com/search?q=revision+tips - HIER_DIRECT/1.2.3.4 text/html',
      new Date('2026-11-24T17:00:10Z'),
    );
    assert.ok(message.ok);
    const result = syslogToEvent(message.message, 'squid');
    assert.ok(result.ok);
    assert.equal(result.event.source, 'squid@proxy1');
    // The request's own time, not the time it was forwarded.
    assert.equal(result.event.at.toISOString(), '2026-11-24T16:59:59.123Z');
    assert.deepEqual(result.event.searchTerms, ['revision tips']);
  });

  it('reads an e2guardian line carried in a syslog message without a hostname', () => {
    const message = parseSyslog(
      '<14>1 2026-11-24T17:00:01Z - e2guardian - - - 2026.11.24 17:00:01 jane 10.0.0.5 http://bad.example/ *DENIED* Banned site: bad.example GET 0 0 Banned Sites 1 403 - - Default -',
      new Date('2026-11-24T17:00:02Z'),
    );
    assert.ok(message.ok);
    const result = syslogToEvent(message.message, 'e2guardian');
    assert.ok(result.ok);
    assert.deepEqual([result.event.source, result.event.person.username, result.event.host], ['e2guardian', 'jane', 'bad.example']);
  });

  it('refuses a syslog message whose text is not a log line', () => {
    const message = parseSyslog('<13>Nov 24 17:00:00 proxy1 squid[1]: Starting Squid Cache', new Date('2026-11-24T17:00:01Z'));
    assert.ok(message.ok);
    assert.equal(syslogToEvent(message.message, 'squid').ok, false);
  });
});

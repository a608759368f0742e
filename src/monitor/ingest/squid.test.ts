import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ProxyLogEntry, parseSquidNative } from './squid.js';

function ok(line: string): ProxyLogEntry {
  const result = parseSquidNative(line);
  assert.ok(result.ok, `expected to parse: ${result.ok ? '' : result.reason}`);
  return result.entry;
}

function refused(line: string, pattern: RegExp): void {
  const result = parseSquidNative(line);
  assert.equal(result.ok, false, `expected ${line.slice(0, 80)} to be refused`);
  if (!result.ok) assert.match(result.reason, pattern);
}

describe('parseSquidNative', () => {
  it('reads a plain HTTP request', () => {
    assert.deepEqual(
      ok('1795539599.123    150 10.0.0.5 TCP_MISS/200 5120 GET http://www.bbc.co.uk/news - HIER_DIRECT/151.101.0.81 text/html'),
      {
        at: new Date('2026-11-24T16:59:59.123Z'),
        clientAddress: '10.0.0.5',
        username: null,
        method: 'GET',
        url: 'http://www.bbc.co.uk/news',
        status: 200,
        bytes: 5120,
        action: 'TCP_MISS',
      },
    );
  });

  it('reads an authenticated HTTPS tunnel', () => {
    const e = ok('1795539600.001   2031 10.0.0.6 TCP_TUNNEL/200 4512 CONNECT www.google.com:443 jane.smith HIER_DIRECT/142.250.180.4 -');
    assert.deepEqual([e.method, e.url, e.username, e.action, e.status], ['CONNECT', 'www.google.com:443', 'jane.smith', 'TCP_TUNNEL', 200]);
  });

  it('reads denials, unparseable requests, aborted requests and IPv6 clients', () => {
    assert.deepEqual(
      [ok('1795539601.500      0 10.0.0.7 TCP_DENIED/403 3900 GET http://bad.example/ - HIER_NONE/- text/html')].map((e) => [
        e.action,
        e.status,
      ]),
      [['TCP_DENIED', 403]],
    );
    assert.equal(
      ok('1795539602.000      0 10.0.0.8 NONE/400 3600 NONE error:invalid-request - HIER_NONE/- text/html').url,
      'error:invalid-request',
    );
    assert.equal(ok('1795539603.250     12 10.0.0.9 TCP_MISS_ABORTED/000 0 GET http://a.example/ - HIER_DIRECT/1.2.3.4 -').status, 0);
    assert.equal(ok('1795539604 5 2001:db8::5 TCP_HIT/200 10 GET http://a.example/ - HIER_NONE/- -').clientAddress, '2001:db8::5');
  });

  it('decodes an escaped user name', () => {
    assert.equal(
      ok('1795539603.250 12 10.0.0.9 TCP_MISS/200 1 GET http://a.example/ jane%40school.example HIER_DIRECT/1.2.3.4 -').username,
      'jane@school.example',
    );
    assert.equal(ok('1795539603.250 12 10.0.0.9 TCP_MISS/200 1 GET http://a.example/ bad%zz HIER_DIRECT/1.2.3.4 -').username, 'bad%zz');
  });

  it('refuses malformed lines with the reason', () => {
    refused('', /expected 10 space-separated fields, found 1/);
    refused('1795539599.123 150 10.0.0.5 TCP_MISS/200 5120 GET', /found 6/);
    refused('yesterday 150 10.0.0.5 TCP_MISS/200 5120 GET http://a/ - HIER_DIRECT/1.2.3.4 -', /invalid time/);
    refused('1795539599.123 -1 10.0.0.5 TCP_MISS/200 5120 GET http://a/ - HIER_DIRECT/1.2.3.4 -', /invalid elapsed/);
    refused('1795539599.123 1 10.0.0.5<script> TCP_MISS/200 5120 GET http://a/ - HIER_DIRECT/1.2.3.4 -', /invalid client address/);
    refused('1795539599.123 1 10.0.0.5 TCP_MISS 5120 GET http://a/ - HIER_DIRECT/1.2.3.4 -', /invalid result code/);
    refused('1795539599.123 1 10.0.0.5 TCP_MISS/200 lots GET http://a/ - HIER_DIRECT/1.2.3.4 -', /invalid size/);
    refused('1795539599.123 1 10.0.0.5 TCP_MISS/200 1 G(E)T http://a/ - HIER_DIRECT/1.2.3.4 -', /invalid method/);
    refused('1795539599.123 1 10.0.0.5 TCP_MISS/200 1 GET - - HIER_DIRECT/1.2.3.4 -', /missing URL/);
  });

  it('refuses a 1 MB line by its length', () => {
    refused(
      `1795539599.123 1 10.0.0.5 TCP_MISS/200 1 GET http://a/${'x'.repeat(1024 * 1024)} - HIER_DIRECT/1.2.3.4 -`,
      /over the 65536 limit/,
    );
  });

  it('keeps odd characters from a wrongly decoded line in the URL without failing', () => {
    const e = ok('1795539599.123 1 10.0.0.5 TCP_MISS/200 1 GET http://a.example/caf\uFFFD\u0000 - HIER_DIRECT/1.2.3.4 -');
    assert.equal(e.url, 'http://a.example/caf\uFFFD\u0000');
  });
});

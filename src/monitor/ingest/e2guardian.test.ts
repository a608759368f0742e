import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type E2guardianEntry, type E2guardianOptions, parseE2guardian } from './e2guardian.js';

function ok(line: string, options?: E2guardianOptions): E2guardianEntry {
  const result = parseE2guardian(line, options);
  assert.ok(result.ok, `expected to parse: ${result.ok ? '' : result.reason}`);
  return result.entry;
}

function refused(line: string, pattern: RegExp): void {
  const result = parseE2guardian(line);
  assert.equal(result.ok, false, `expected ${line.slice(0, 80)} to be refused`);
  if (!result.ok) assert.match(result.reason, pattern);
}

describe('parseE2guardian, format 1 (space-separated)', () => {
  it('reads a denial with its reason and a category containing spaces', () => {
    assert.deepEqual(
      ok(
        '2026.11.24 17:00:01 jane.smith 10.0.0.5 http://bad.example/page *DENIED* Banned site: bad.example GET 0 0 Banned Sites 1 403 - - Default -',
      ),
      {
        at: new Date('2026-11-24T17:00:01Z'),
        clientAddress: '10.0.0.5',
        username: 'jane.smith',
        method: 'GET',
        url: 'http://bad.example/page',
        status: 403,
        bytes: 0,
        action: 'DENIED',
        blocked: true,
        reason: 'Banned site: bad.example',
      },
    );
  });

  it('reads an allowed request with an empty verdict and category', () => {
    const e = ok('2026.11.24 9:05:07 - 10.0.0.6 http://www.bbc.co.uk/news  GET 10240 0  1 200 text/html - Default -');
    assert.deepEqual(
      [e.at.toISOString(), e.username, e.blocked, e.reason, e.action, e.bytes, e.status],
      ['2026-11-24T09:05:07.000Z', null, false, null, 'PASS', 10240, 200],
    );
  });

  it('reads an exception as not blocked, keeping the reason', () => {
    const e = ok(
      '2026.11.24 17:00:02 bob 10.0.0.7 https://www.google.co.uk/search?q=how+to+revise *EXCEPTION* Exception site match. GET 5120 0  1 200 text/html',
    );
    assert.deepEqual([e.blocked, e.action, e.reason], [false, 'EXCEPTION', 'Exception site match.']);
  });

  it('reads a weighted-phrase denial whose reason holds numbers and punctuation', () => {
    const e = ok(
      '2026.11.24 17:00:03 jane 10.0.0.5 http://x.example/ *DENIED* Weighted phrase limit of 50 : 120 (self harm+methods) GET 0 120 Self Harm 2 403 text/html - Students -',
    );
    assert.deepEqual([e.blocked, e.reason, e.status], [true, 'Weighted phrase limit of 50 : 120 (self harm+methods)', 403]);
  });

  it('applies the configured offset from UTC', () => {
    assert.equal(
      ok('2026.7.1 17:00:01 - 10.0.0.5 http://a.example/  GET 1 0  1 200 -', { utcOffsetMinutes: 60 }).at.toISOString(),
      '2026-07-01T16:00:01.000Z',
    );
  });
});

describe('parseE2guardian, format 4 (tab-separated)', () => {
  it('reads a denial', () => {
    const e = ok(
      '2026.11.24 17:00:04\tjane\t10.0.0.5\thttp://bad.example/\t*DENIED* Banned site: bad.example\tGET\t0\t0\tBanned Sites\t1\t403\ttext/html\t-\tDefault\t-',
    );
    assert.deepEqual(
      [e.at.toISOString(), e.username, e.url, e.blocked, e.reason, e.status],
      ['2026-11-24T17:00:04.000Z', 'jane', 'http://bad.example/', true, 'Banned site: bad.example', 403],
    );
  });

  it('refuses a short or malformed tabbed line', () => {
    refused('2026.11.24 17:00:04\tjane\t10.0.0.5', /at least 11 tab-separated fields/);
    refused('2026.11.24 17:00:04\tjane\t10.0.0.5\thttp://a/\t\tget it\t0\t0\t\t1\t200', /invalid method/);
  });
});

describe('parseE2guardian, malformed lines', () => {
  it('refuses each broken field with the reason', () => {
    refused('', /at least 12 space-separated fields/);
    refused('24/11/2026 17:00:01 jane 10.0.0.5 http://a/  GET 0 0  1 200 -', /invalid date/);
    refused('2026.02.30 17:00:01 jane 10.0.0.5 http://a/  GET 0 0  1 200 -', /invalid date/);
    refused('2026.11.24 17:00:01 jane not/an/address http://a/  GET 0 0  1 200 -', /invalid client address/);
    refused('2026.11.24 17:00:01 jane 10.0.0.5 - x GET 0 0  1 200 -', /missing URL/);
    refused('2026.11.24 17:00:01 jane 10.0.0.5 http://a/ words and more words here and there', /no method, size and weight/);
    refused('2026.11.24 17:00:01 jane 10.0.0.5 http://a/  GET 0 0 Cat egory with no group -', /no filter group and HTTP status/);
  });

  it('refuses a 1 MB line by its length', () => {
    refused(`2026.11.24 17:00:01 jane 10.0.0.5 http://a/${'x'.repeat(1024 * 1024)}  GET 0 0  1 200 -`, /over the 65536 limit/);
  });
});

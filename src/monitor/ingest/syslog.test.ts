import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_SYSLOG_MESSAGE_BYTES, parseSyslog, SyslogFrameSplitter, type SyslogMessage } from './syslog.js';

const received = new Date('2026-11-24T17:00:05Z');

function ok(line: string | Buffer, at = received): SyslogMessage {
  const result = parseSyslog(line, at);
  assert.ok(result.ok, `expected ${String(line)} to parse: ${result.ok ? '' : result.reason}`);
  return result.message;
}

function refused(line: string | Buffer, pattern: RegExp, at = received): void {
  const result = parseSyslog(line, at);
  assert.equal(result.ok, false, `expected ${String(line).slice(0, 80)} to be refused`);
  if (!result.ok) assert.match(result.reason, pattern);
}

describe('parseSyslog, RFC 5424', () => {
  it('reads every header field, structured data and the message', () => {
    const m = ok(
      '<165>1 2026-11-24T16:59:58.003Z proxy1.school.example squid 4242 ACCESS [exampleSDID@32473 iut="3" eventSource="Application"][meta sequenceId="7"] hello there',
    );
    assert.equal(m.facility, 20);
    assert.equal(m.severity, 5);
    assert.equal(m.timestamp.toISOString(), '2026-11-24T16:59:58.003Z');
    assert.equal(m.hostname, 'proxy1.school.example');
    assert.equal(m.appName, 'squid');
    assert.equal(m.procId, '4242');
    assert.equal(m.msgId, 'ACCESS');
    assert.deepEqual(m.structuredData, { 'exampleSDID@32473': { iut: '3', eventSource: 'Application' }, meta: { sequenceId: '7' } });
    assert.equal(m.text, 'hello there');
  });

  it('keeps an SD-ID named __proto__ as data, not as the prototype', () => {
    const m = ok('<165>1 2026-11-24T16:59:58Z host app - - [__proto__ polluted="yes"][meta x="1"] hi');
    assert.deepEqual(Object.keys(m.structuredData), ['__proto__', 'meta']);
    assert.deepEqual(Object.getOwnPropertyDescriptor(m.structuredData, '__proto__')?.value, { polluted: 'yes' });
    assert.equal(Object.getPrototypeOf(m.structuredData), Object.prototype);
  });

  it('turns nil values into null and allows no message at all', () => {
    const m = ok('<0>1 2026-11-24T17:00:00Z - - - - -');
    assert.deepEqual([m.facility, m.severity, m.hostname, m.appName, m.procId, m.msgId, m.text], [0, 0, null, null, null, null, '']);
    assert.deepEqual(m.structuredData, {});
  });

  it('applies timezone offsets in timestamps', () => {
    assert.equal(ok('<14>1 2026-11-24T18:00:00+01:00 h a - - - x').timestamp.toISOString(), '2026-11-24T17:00:00.000Z');
    assert.equal(ok('<14>1 2026-11-24T11:30:00-05:30 h a - - - x').timestamp.toISOString(), '2026-11-24T17:00:00.000Z');
    assert.equal(ok('<14>1 2026-11-24T17:00:00.123456+00:00 h a - - - x').timestamp.toISOString(), '2026-11-24T17:00:00.123Z');
  });

  it('unescapes structured data values and keeps other backslashes', () => {
    const m = ok('<14>1 2026-11-24T17:00:00Z h a - - [x a="q\\"uote" b="br\\]acket" c="back\\\\slash" d="C:\\temp"] text');
    assert.deepEqual(m.structuredData.x, { a: 'q"uote', b: 'br]acket', c: 'back\\slash', d: 'C:\\temp' });
    assert.equal(m.text, 'text');
  });

  it('strips a BOM at the start of the message', () => {
    const bytes = Buffer.concat([
      Buffer.from('<14>1 2026-11-24T17:00:00Z h a - - - '),
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('café'),
    ]);
    assert.equal(ok(bytes).text, 'café');
  });

  it('refuses missing fields, broken structured data and impossible timestamps', () => {
    refused('<14>1 2026-11-24T17:00:00Z host', /ends before its APP-NAME/);
    refused('<14>1 - h a - - - x', /missing TIMESTAMP/);
    refused('<14>1 24/11/2026 h a - - - x', /invalid TIMESTAMP/);
    refused('<14>1 2026-02-30T10:00:00Z h a - - - x', /no such date/);
    refused('<14>1 2026-11-24T25:00:00Z h a - - - x', /no such date/);
    refused('<14>1 2026-11-24T17:00:00+24:00 h a - - - x', /no such offset/);
    refused('<14>1 2026-11-24T17:00:00Z h a - - [x a="unterminated', /unterminated/);
    refused('<14>1 2026-11-24T17:00:00Z h a - - [x a=b] t', /invalid parameter/);
    refused('<14>1 2026-11-24T17:00:00Z h a - - [x a="b"', /unterminated structured data element/);
    refused('<14>1 2026-11-24T17:00:00Z h a - - nope', /missing STRUCTURED-DATA/);
    refused('<14>1 2026-11-24T17:00:00Z h a - - [x]text', /followed by a space/);
    refused(`<14>1 2026-11-24T17:00:00Z h ${'a'.repeat(49)} - - - x`, /invalid APP-NAME/);
  });

  it('refuses absurd dates: a flat clock battery, or a time far in the future', () => {
    refused('<14>1 1970-01-01T00:00:00Z h a - - - x', /more than a year before/);
    refused('<14>1 2027-11-24T17:00:00Z h a - - - x', /more than a day after/);
    ok('<14>1 2026-11-25T16:00:00Z h a - - - within a day of skew');
  });
});

describe('parseSyslog, RFC 3164', () => {
  it('reads a classic BSD line with hostname, tag and pid', () => {
    const m = ok(
      '<134>Nov 24 16:59:59 proxy1 squid[1234]: 1795539599.123    150 10.0.0.5 TCP_MISS/200 5120 GET http://a.example/ - HIER_DIRECT/1.2.3.4 text/html',
    );
    assert.deepEqual([m.facility, m.severity, m.hostname, m.appName, m.procId, m.msgId], [16, 6, 'proxy1', 'squid', '1234', null]);
    assert.equal(m.timestamp.toISOString(), '2026-11-24T16:59:59.000Z');
    assert.match(m.text, /^1795539599\.123 {4}150 10\.0\.0\.5/);
    assert.deepEqual(m.structuredData, {});
  });

  it('reads a space-padded day, and a line without a hostname', () => {
    const m = ok('<13>Nov  4 09:05:00 e2guardian: started', new Date('2026-11-04T10:00:00Z'));
    assert.equal(m.timestamp.toISOString(), '2026-11-04T09:05:00.000Z');
    assert.equal(m.hostname, null);
    assert.equal(m.appName, 'e2guardian');
    assert.equal(m.text, 'started');
  });

  it('keeps the whole text when there is no tag', () => {
    const m = ok('<13>Nov 24 17:00:00 host just some words');
    assert.deepEqual([m.hostname, m.appName, m.text], ['host', null, 'just some words']);
  });

  it('puts a late-December message received in January in the previous year', () => {
    const newYear = new Date('2027-01-01T00:00:02Z');
    assert.equal(ok('<13>Dec 31 23:59:59 host app: x', newYear).timestamp.toISOString(), '2026-12-31T23:59:59.000Z');
    assert.equal(ok('<13>Jan  1 00:00:01 host app: x', newYear).timestamp.toISOString(), '2027-01-01T00:00:01.000Z');
  });

  it('keeps the current year for a clock running slightly ahead', () => {
    const m = ok('<13>Nov 24 20:00:00 host app: x');
    assert.equal(m.timestamp.getUTCFullYear(), 2026);
  });

  it('refuses missing or impossible timestamps', () => {
    refused('<13>hello world', /missing or invalid BSD timestamp/);
    refused('<13>Foo 24 17:00:00 host app: x', /unknown month/);
    refused('<13>Nov 31 17:00:00 host app: x', /no such date/);
    refused('<13>Feb 29 10:00:00 host app: x', /no such date/);
    refused('<13>Nov 24 24:00:00 host app: x', /no such date/);
  });
});

describe('parseSyslog, PRI and encodings', () => {
  it('refuses a missing or invalid PRI', () => {
    refused('Nov 24 17:00:00 host app: x', /missing PRI/);
    refused('<192>Nov 24 17:00:00 host app: x', /invalid PRI <192>/);
    refused('<013>Nov 24 17:00:00 host app: x', /invalid PRI <013>/);
    refused('<abc>Nov 24 17:00:00 host app: x', /invalid PRI/);
    refused('<>1 2026-11-24T17:00:00Z h a - - - x', /invalid PRI/);
    refused('', /missing PRI/);
  });

  it('decodes invalid UTF-8 and Latin-1 bytes with the replacement character', () => {
    const latin1 = Buffer.concat([Buffer.from('<13>Nov 24 17:00:00 host app: caf'), Buffer.from([0xe9]), Buffer.from(' ok')]);
    assert.equal(ok(latin1).text, 'caf\uFFFD ok');
    const broken = Buffer.concat([Buffer.from('<14>1 2026-11-24T17:00:00Z h a - - - '), Buffer.from([0xc3, 0x28, 0xff])]);
    assert.equal(ok(broken).text, '\uFFFD(\uFFFD');
  });

  it('drops a trailing NUL or newline and replaces a NUL inside the text', () => {
    assert.equal(ok('<13>Nov 24 17:00:00 host app: one\u0000two\u0000\n').text, 'one\uFFFDtwo');
  });

  it('refuses a 1 MB message by size, as a string or as bytes', () => {
    const big = `<13>Nov 24 17:00:00 host app: ${'x'.repeat(1024 * 1024)}`;
    refused(big, /over the 65536-byte limit/);
    refused(Buffer.from(big), /over the 65536-byte limit/);
    ok(`<13>Nov 24 17:00:00 host app: ${'x'.repeat(MAX_SYSLOG_MESSAGE_BYTES - 40)}`);
  });
});

function splitAll(chunks: Buffer[], max?: number): { messages: string[]; dropped: number } {
  const splitter = new SyslogFrameSplitter(max);
  const messages = chunks.flatMap((c) => splitter.push(c)).concat(splitter.end());
  return { messages: messages.map((m) => m.toString('utf8')), dropped: splitter.dropped };
}

describe('SyslogFrameSplitter', () => {
  const a = '<13>Nov 24 17:00:00 host app: first';
  const b = '<14>1 2026-11-24T17:00:00Z h a - - - sécond';
  const framed = (m: string) => `${Buffer.byteLength(m)} ${m}`;
  const stream = Buffer.from(`${framed(a)}${framed(b)}${a}\n${b}\r\n${framed(a)}`);

  it('splits octet-counted and newline-terminated frames, mixed', () => {
    assert.deepEqual(splitAll([stream]).messages, [a, b, a, b, a]);
  });

  it('gives the same messages whichever byte position a chunk boundary falls on', () => {
    for (let cut = 1; cut < stream.length; cut++) {
      const got = splitAll([stream.subarray(0, cut), stream.subarray(cut)]);
      assert.deepEqual(got.messages, [a, b, a, b, a], `cut at ${cut}`);
      assert.equal(got.dropped, 0);
    }
  });

  it('gives the same messages when fed one byte at a time', () => {
    const bytes = [...stream].map((x) => Buffer.from([x]));
    assert.deepEqual(splitAll(bytes).messages, [a, b, a, b, a]);
  });

  it('keeps a multi-byte character whole when a chunk boundary splits it', () => {
    const at = stream.indexOf(Buffer.from('é'));
    const got = splitAll([stream.subarray(0, at + 1), stream.subarray(at + 1)]);
    assert.equal(got.messages[1], b);
  });

  it('drops an oversized octet-counted frame without buffering it, then carries on', () => {
    const big = `<13>Nov 24 17:00:00 host app: ${'x'.repeat(1024 * 1024)}`;
    const splitter = new SyslogFrameSplitter(1024);
    const out = [...splitter.push(Buffer.from(framed(big).slice(0, 4000)))];
    for (let i = 4000; i < framed(big).length; i += 65536) {
      out.push(...splitter.push(Buffer.from(framed(big).slice(i, i + 65536))));
      assert.ok(splitter.buffered <= 1024 + 11, `holding ${splitter.buffered} bytes`);
    }
    out.push(...splitter.push(Buffer.from(framed(a))), ...splitter.end());
    assert.deepEqual(
      out.map((m) => m.toString()),
      [a],
    );
    assert.equal(splitter.dropped, 1);
  });

  it('drops an oversized newline-terminated frame, then carries on', () => {
    const splitter = new SyslogFrameSplitter(1024);
    const out = [...splitter.push(Buffer.from(`<13>${'y'.repeat(5000)}`))];
    out.push(...splitter.push(Buffer.from('y'.repeat(5000))));
    assert.equal(splitter.buffered, 0);
    out.push(...splitter.push(Buffer.from(`\n${a}\n`)), ...splitter.end());
    assert.deepEqual(
      out.map((m) => m.toString()),
      [a],
    );
    assert.equal(splitter.dropped, 1);
  });

  it('recovers after an octet count that is too small', () => {
    // The count cuts the first message short; the rest has no count and ends at the newline.
    const got = splitAll([Buffer.from(`10 ${a}\n${framed(b)}`)]);
    assert.deepEqual(got.messages, [a.slice(0, 10), a.slice(10), b]);
  });

  it('swallows what follows when an octet count is too large, but never more than the limit', () => {
    const got = splitAll([Buffer.from(`${Buffer.byteLength(a) + 5} ${a}${framed(b)}`), Buffer.from(`\n${a}\n`)]);
    assert.equal(got.messages[0], `${a}${framed(b).slice(0, 5)}`);
    assert.equal(got.messages.at(-1), a);
  });

  it('counts an empty octet-counted frame as dropped', () => {
    const got = splitAll([Buffer.from(`0 ${framed(a)}`)]);
    assert.deepEqual(got.messages, [a]);
    assert.equal(got.dropped, 1);
  });

  it('treats a number with too many digits as a newline-terminated line', () => {
    const got = splitAll([Buffer.from('12345678901 not a count\n')]);
    assert.deepEqual(got.messages, ['12345678901 not a count']);
  });
});

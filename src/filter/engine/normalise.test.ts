import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalAddress } from './ip.js';
import { isPlainHost, normaliseTarget } from './normalise.js';

const host = (input: string) => normaliseTarget(input)?.host ?? null;
const url = (input: string) => normaliseTarget(input)?.url ?? null;

describe('normaliseTarget: hosts', () => {
  it('lower-cases and drops a trailing dot, port, userinfo and scheme', () => {
    assert.equal(host('EXAMPLE.Com'), 'example.com');
    assert.equal(host('example.com.'), 'example.com');
    assert.equal(host('example.com:8443'), 'example.com');
    assert.equal(host('https://user:secret@Example.COM.:443/'), 'example.com');
    assert.equal(host('ftp://example.com'), 'example.com');
    assert.equal(host('//example.com/x'), 'example.com');
  });

  it('turns IDN into punycode, so both spellings meet', () => {
    assert.equal(host('bücher.de'), 'xn--bcher-kva.de');
    assert.equal(host('XN--BCHER-KVA.de'), 'xn--bcher-kva.de');
    assert.equal(host('例子.测试'), 'xn--fsqu00a.xn--0zwm56d');
    assert.equal(host('xn--zz.com'), null, 'an invalid punycode label is not a host');
  });

  it('decodes a percent-encoded host', () => {
    assert.equal(host('ex%61mple.com'), 'example.com');
    assert.equal(host('http://%65xample.com/'), 'example.com');
    assert.equal(host('ex%2fample.com'), null, 'an encoded slash is not part of a host');
    assert.equal(host('ex%zzample.com'), null);
  });

  it('canonicalises IPv4 in decimal, octal, hex and short forms', () => {
    for (const form of [
      '192.168.0.1',
      '3232235521',
      '0300.0250.0.1',
      '0xC0A80001',
      '0xc0.0xa8.0.1',
      '192.168.1',
      '192.11010049',
      'http://3232235521/',
    ]) {
      assert.equal(host(form), form === '192.168.1' ? '192.168.0.1' : '192.168.0.1', form);
    }
    assert.equal(host('3232235777'), '192.168.1.1');
    assert.equal(host('256.1.1.1'), null);
    assert.equal(host('1.2.3.4.5'), null);
    assert.equal(host('08.1.1.1'), null, '08 is not octal');
    assert.equal(host('a.123'), null, 'a name cannot end in a number');
  });

  it('canonicalises IPv6 with or without brackets, and IPv4-mapped to IPv4', () => {
    assert.equal(host('[2001:DB8:0:0:0:0:0:1]'), '2001:db8::1');
    assert.equal(host('2001:db8::0:1'), '2001:db8::1');
    assert.equal(host('http://[2001:db8::1]:8080/path'), '2001:db8::1');
    assert.equal(host('[::ffff:1.2.3.4]'), '1.2.3.4');
    assert.equal(host('::FFFF:0102:0304'), '1.2.3.4');
    assert.equal(host('2001:db8:0:0:1:0:0:1'), '2001:db8::1:0:0:1', 'the first of two equal zero runs is compressed');
    assert.equal(host('[2001:db8::1'), null);
    assert.equal(host('2001:db8:::1'), null);
  });

  it('returns null for input that is not a host', () => {
    for (const bad of [
      '',
      '   ',
      'ex ample.com',
      '*.example.com',
      'example..com',
      '.example.com',
      'example.com:http',
      `${'a'.repeat(64)}.com`,
      'exa<mple.com',
    ]) {
      assert.equal(normaliseTarget(bad), null, JSON.stringify(bad));
    }
  });
});

describe('normaliseTarget: paths', () => {
  it('keeps the path, drops query and fragment, and is null without a path', () => {
    assert.equal(url('example.com'), null);
    assert.equal(url('example.com/'), null);
    assert.equal(url('example.com/?q=1'), null);
    assert.equal(url('http://example.com/a/b?q=1#top'), 'example.com/a/b');
  });

  it('resolves dot segments, collapses empty segments and drops a trailing slash', () => {
    assert.equal(url('example.com/a/./b/../c'), 'example.com/a/c');
    assert.equal(url('example.com//a///b/'), 'example.com/a/b');
    assert.equal(url('example.com/a/../..'), null);
    assert.equal(url('example.com/%2e%2e/secret'), 'example.com/secret', 'encoded dots are dots');
    assert.equal(url('example.com\\a\\b'), 'example.com/a/b');
  });

  it('decodes only unreserved characters, encodes non-ASCII, and matches case-insensitively', () => {
    assert.equal(url('example.com/%7Euser/%41bc'), 'example.com/~user/abc');
    assert.equal(url('example.com/a%2Fb'), 'example.com/a%2fb');
    assert.equal(url('example.com/Straße'), url('example.com/Stra%C3%9Fe'));
    assert.equal(url('Example.com/PATH'), 'example.com/path');
  });

  it('is idempotent', () => {
    for (const input of ['http://User@Bücher.de:80/A/./b/%7e/ü?x', '0xC0A80001/x', '[::1]/a']) {
      const once = normaliseTarget(input)!;
      const twice = normaliseTarget(once.url ?? once.host)!;
      assert.deepEqual(twice, once, input);
    }
  });
});

describe('isPlainHost', () => {
  it('accepts a normalised name and refuses anything normaliseTarget would change', () => {
    assert.equal(isPlainHost('www.example.co.uk'), true);
    assert.equal(isPlainHost('_dmarc.example.com'), true);
    for (const s of ['Example.com', 'example.com.', 'xn--bcher-kva.de', '1.2.3.4', '0x1.0xc0', 'a..b', 'example.com/x', '']) {
      assert.equal(isPlainHost(s), false, s);
    }
  });
});

describe('canonicalAddress', () => {
  it('gives one spelling for a client address', () => {
    assert.equal(canonicalAddress('::ffff:10.0.0.5'), '10.0.0.5');
    assert.equal(canonicalAddress('[FE80::1%eth0]'), 'fe80::1');
    assert.equal(canonicalAddress('10.0.0.5'), '10.0.0.5');
    assert.equal(canonicalAddress('00:11:22:33:44:55'), null, 'a MAC address is not an IP address');
    assert.equal(canonicalAddress('laptop'), null);
  });
});

describe('probePlainHost', () => {
  it('accepts exactly what isPlainHost accepts, and probes like probeHost', async () => {
    const { createProbe, probeHost, probePlainHost } = await import('./host-hash.js');
    const samples = [
      'example.com',
      'www.example.co.uk',
      'a',
      '_dmarc.example.com',
      'a-b.c_d.e',
      'Example.com',
      'example.com.',
      '.example.com',
      'a..b',
      'xn--bcher-kva.de',
      'a.xn--p1ai',
      'xnx.com',
      'xn-a.com',
      '1.2.3.4',
      'a.123',
      'a.0x1f',
      'a.0x1g',
      'a.0xz',
      '0x1.com',
      'example.com/x',
      'exa mple.com',
      'bücher.de',
      '',
      `${'a'.repeat(63)}.com`,
      `${'a'.repeat(64)}.com`,
      `${'a.'.repeat(126)}com`,
      `${'a.'.repeat(127)}com`,
    ];
    for (const sample of samples) {
      const plain = createProbe();
      const reference = createProbe();
      const accepted = probePlainHost(plain, sample);
      assert.equal(accepted, isPlainHost(sample), sample);
      if (!accepted) continue;
      probeHost(reference, sample);
      assert.equal(plain.count, reference.count, sample);
      assert.deepEqual([...plain.keys.slice(0, plain.count)], [...reference.keys.slice(0, reference.count)], sample);
      assert.deepEqual([...plain.starts.slice(0, plain.count)], [...reference.starts.slice(0, reference.count)], sample);
    }
  });
});

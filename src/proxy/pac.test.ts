import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runInNewContext } from 'node:vm';
import { startProxyServer } from './index.js';
import { pacFile } from './pac.js';
import { ListGate } from './test-support.js';

/** The helper functions a browser gives a PAC script, enough for ours; isInNet only on literals, as browsers do without DNS. */
const browserHelpers = {
  isPlainHostName: (host: string) => !host.includes('.'),
  dnsDomainIs: (host: string, domain: string) => host.endsWith(domain),
  isInNet: (host: string, pattern: string, mask: string) => {
    const n = (ip: string) => ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
    if (!/^\d+\.\d+\.\d+\.\d+$/.test(host)) throw new Error(`isInNet on a name (${host}) would resolve it`);
    const m = n(mask);
    // Unsigned 32-bit AND without sign trouble.
    return (n(host) & m) >>> 0 === (n(pattern) & m) >>> 0;
  },
};

function findProxy(pac: string, url: string): string {
  const host = new URL(url).hostname;
  return runInNewContext(`${pac}\nFindProxyForURL(${JSON.stringify(url)}, ${JSON.stringify(host)})`, { ...browserHelpers });
}

describe('the PAC file', () => {
  const pac = pacFile('proxy.school.example', 3128);

  it('sends the web through the proxy with no way around it', () => {
    for (const url of [
      'http://www.bbc.co.uk/',
      'https://casino.example/x',
      'http://8.8.8.8/',
      'http://172.32.0.1/',
      'http://[2001:db8::1]/',
    ]) {
      assert.equal(findProxy(pac, url), 'PROXY proxy.school.example:3128', url);
    }
    assert.ok(!/return "[^"]*DIRECT[^"]*;[^"]*"/.test(pac) && !pac.includes('; DIRECT'), 'no DIRECT fallback after PROXY');
  });

  it('goes direct for local names, private and link-local addresses and the proxy itself', () => {
    for (const url of [
      'http://intranet/',
      'http://localhost:8080/',
      'http://app.localhost/',
      'http://10.1.2.3/',
      'http://172.16.0.1/',
      'http://172.31.255.255/',
      'http://192.168.1.10/',
      'http://127.0.0.1/',
      'http://169.254.1.1/',
      'http://proxy.school.example/',
      'http://[::1]/',
      'http://[fe80::1]/',
      'http://[fd12:3456::1]/',
    ]) {
      assert.equal(findProxy(pac, url), 'DIRECT', url);
    }
  });

  it('brackets an IPv6 proxy address and quotes the host safely', () => {
    assert.equal(findProxy(pacFile('2001:db8::3', 3128), 'http://example.com/'), 'PROXY [2001:db8::3]:3128');
    const odd = pacFile('a"b', 1);
    assert.equal(findProxy(odd, 'http://example.com/'), 'PROXY a"b:1');
  });

  it('is served at /proxy.pac and /wpad.dat with the listening port', async () => {
    const proxy = await startProxyServer({
      host: '127.0.0.1',
      port: 0,
      gate: new ListGate(new Map()),
      authenticate: async () => null,
      requireAuth: true,
      blockPageUrl: () => 'x',
      pacProxyHost: 'proxy.school.example',
    });
    try {
      for (const path of ['/proxy.pac', '/wpad.dat']) {
        const res = await fetch(`http://127.0.0.1:${proxy.port}${path}`);
        assert.equal(res.status, 200, 'the PAC file needs no sign-in');
        assert.equal(res.headers.get('content-type'), 'application/x-ns-proxy-autoconfig');
        assert.equal(findProxy(await res.text(), 'http://example.com/'), `PROXY proxy.school.example:${proxy.port}`);
      }
    } finally {
      await proxy.close();
    }
  });
});

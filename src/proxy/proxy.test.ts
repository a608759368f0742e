import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startProxyServer } from './index.js';
import { basic, ListGate, type Origin, rawExchange, startOrigin, viaProxy } from './test-support.js';
import type { ProxyServer } from './types.js';

const BLOCK_PAGE = 'https://filter.school.example/blocked';

describe('the HTTP proxy, plain HTTP', () => {
  let origin: Origin;
  let gate: ListGate;
  let proxy: ProxyServer;
  let base: string;
  const warnings: object[] = [];

  before(async () => {
    origin = await startOrigin();
    base = `http://127.0.0.1:${origin.port}`;
    gate = new ListGate(new Map([['casino.example', 'gambling']]), new Set(['games.example']));
    proxy = await startProxyServer({
      host: '127.0.0.1',
      port: 0,
      gate,
      authenticate: async () => null,
      requireAuth: false,
      blockPageUrl: (d, url) => `${BLOCK_PAGE}?category=${d.category}&url=${encodeURIComponent(url)}`,
      pacProxyHost: 'proxy.school.example',
      log: { warn: (o) => warnings.push(o), error: (o) => warnings.push(o) },
      timeouts: { headersMs: 300, idleMs: 400, upstreamConnectMs: 1000 },
    });
  });
  after(async () => {
    await proxy.close();
    await origin.close();
  });

  /** After anything unpleasant, the proxy still serves the next client. */
  async function stillServes() {
    const res = await viaProxy(proxy.port, `${base}/echo?after=1`);
    assert.equal(res.status, 200);
    assert.equal(JSON.parse(res.body).url, '/echo?after=1');
  }

  it('forwards an allowed GET, strips hop-by-hop headers and adds Via', async () => {
    const answer = await rawExchange(
      proxy.port,
      [
        `GET ${base}/echo?q=1 HTTP/1.1`,
        'Host: somewhere.else',
        'Connection: close, X-Private',
        'X-Private: for the proxy only',
        'Proxy-Connection: keep-alive',
        'Keep-Alive: timeout=5',
        'TE: trailers',
        'Trailer: X-Checksum',
        'Upgrade: websocket-ish',
        'Via: 1.0 school-router',
        'X-End-To-End: kept',
        '',
        '',
      ].join('\r\n'),
    );
    assert.match(answer, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(answer, /\r\nVia: 1\.1 tutela\r\n/i);
    const echoed = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
    assert.equal(echoed.method, 'GET');
    assert.equal(echoed.url, '/echo?q=1');
    assert.equal(echoed.headers.host, `127.0.0.1:${origin.port}`, "Host is the request target's");
    assert.equal(echoed.headers['x-end-to-end'], 'kept');
    for (const h of ['x-private', 'proxy-connection', 'keep-alive', 'te', 'trailer', 'upgrade', 'proxy-authorization']) {
      assert.equal(echoed.headers[h], undefined, `${h} is not forwarded`);
    }
    assert.equal(echoed.headers.via, '1.0 school-router, 1.1 tutela');
  });

  it('streams a POST body in pieces to the origin, unchanged', async () => {
    const pieces = Array.from({ length: 20 }, (_, i) => Buffer.from(`piece ${i};`.repeat(500)));
    const res = await viaProxy(proxy.port, `${base}/echo`, { method: 'POST', body: pieces, headers: { 'content-type': 'text/plain' } });
    assert.equal(res.status, 200);
    assert.equal(JSON.parse(res.body).body, Buffer.concat(pieces).toString('utf8'));
  });

  it('passes status, repeated headers and no hop-by-hop headers back from the origin', async () => {
    const res = await viaProxy(proxy.port, `${base}/cookies`);
    assert.equal(res.status, 201);
    assert.deepEqual(res.headers['set-cookie'], ['a=1', 'b=2']);
    assert.equal(res.headers['x-hop'], undefined);
    assert.equal(res.headers['keep-alive'], undefined);
    assert.equal(res.body, 'cookies');
  });

  it('blocks with a page that says what, why and where to go next, and records the full URL', async () => {
    const url = 'http://www.casino.example/play?game=<script>';
    const res = await viaProxy(proxy.port, url);
    assert.equal(res.status, 403);
    assert.match(String(res.headers['content-type']), /text\/html/);
    assert.match(res.body, /blocked <strong>www\.casino\.example<\/strong>/);
    assert.match(res.body, /Gambling/);
    assert.match(res.body, /gambling is unacceptable for KS3/);
    assert.match(res.body, /See why and report/);
    assert.ok(
      res.body.includes(
        `href="${BLOCK_PAGE}?category=gambling&amp;url=${encodeURIComponent('http://www.casino.example/play?game=%3Cscript%3E')}"`,
      ),
    );
    assert.ok(!res.body.includes('<script>'), 'nothing from the request reaches the page unescaped');
    const event = gate.events.at(-1)!;
    assert.equal(event.source, 'proxy');
    assert.equal(event.url, 'http://www.casino.example/play?game=%3Cscript%3E');
    assert.equal(event.decision.action, 'block');
    assert.equal(event.clientAddress, '127.0.0.1');
    assert.equal(event.username, null);
    assert.equal(gate.requests.at(-1)!.target, 'http://www.casino.example/play?game=%3Cscript%3E');
  });

  it('answers a warn decision with a click-through page, not the site', async () => {
    const before = origin.seen.length;
    const res = await viaProxy(proxy.port, 'http://games.example/');
    assert.equal(res.status, 403);
    assert.match(res.body, /See why and continue/);
    assert.equal(origin.seen.length, before);
  });

  it('records every allowed request with its full URL', async () => {
    const n = gate.events.length;
    await viaProxy(proxy.port, `${base}/echo?x=2`);
    assert.equal(gate.events.length, n + 1);
    assert.equal(gate.events.at(-1)!.url, `${base}/echo?x=2`);
    assert.equal(gate.events.at(-1)!.decision.action, 'allow');
  });

  it('fails closed with 503 when the filter cannot decide, and keeps serving', async () => {
    const before = origin.seen.length;
    const res = await viaProxy(proxy.port, 'http://filter-bug.example/');
    assert.equal(res.status, 503);
    assert.match(res.body, /could not check this request/);
    assert.equal(origin.seen.length, before);
    await stillServes();
  });

  it('answers 502 in plain words when the origin refuses the connection', async () => {
    const closed = await viaProxy(proxy.port, 'http://127.0.0.1:1/');
    assert.equal(closed.status, 502);
    assert.match(closed.body, /refused the connection/);
    await stillServes();
  });

  it('answers 504 when the origin does not answer in time', async () => {
    const aborted = origin.nextAbort();
    const res = await viaProxy(proxy.port, `${base}/hang`);
    assert.equal(res.status, 504);
    assert.match(res.body, /did not answer in time/);
    await aborted;
    await stillServes();
  });

  it('refuses a malformed request line with 400 and closes', async () => {
    const answer = await rawExchange(proxy.port, 'THIS IS NOT HTTP\r\n\r\n');
    assert.match(answer, /^HTTP\/1\.1 400 /);
    await stillServes();
  });

  it('refuses oversized request headers with 431', async () => {
    const answer = await rawExchange(proxy.port, `GET ${base}/echo HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    assert.match(answer, /^HTTP\/1\.1 431 /);
    await stillServes();
  });

  it('drops a client that sends its headers too slowly', async () => {
    const answer = await rawExchange(proxy.port, `GET ${base}/echo HTTP/1.1\r\nHost: 127.0.0.1\r\n`);
    assert.match(answer, /^HTTP\/1\.1 408 /);
    await stillServes();
  });

  it('gives up on a client that stops sending its body, and closes the origin request', async () => {
    const aborted = origin.nextAbort();
    const answer = await rawExchange(proxy.port, `POST ${base}/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\nonly ten b`);
    assert.match(answer, /^HTTP\/1\.1 504 /);
    await aborted;
    await stillServes();
  });

  it('aborts the origin request when the client vanishes mid-response', async () => {
    const aborted = origin.nextAbort();
    await new Promise<void>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: proxy.port, path: `${base}/slow`, agent: false }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' ? undefined : reject(err)));
      req.end();
    });
    await aborted;
    await stillServes();
  });

  it('explains itself to a request meant for a web server', async () => {
    const res = await fetch(`http://127.0.0.1:${proxy.port}/index.html`);
    assert.equal(res.status, 400);
    assert.match(await res.text(), /This is a web proxy/);
  });

  it('refuses an https:// URL sent as a plain request', async () => {
    const res = await viaProxy(proxy.port, 'https://127.0.0.1/');
    assert.equal(res.status, 400);
    assert.match(res.body, /CONNECT/);
  });

  it('does not loop on a request through itself to itself', async () => {
    const res = await viaProxy(proxy.port, `http://127.0.0.1:${proxy.port}/echo`);
    assert.equal(res.status, 400);
    assert.match(res.body, /This is a web proxy/);
    await stillServes();
  });

  it('survives a client that resets the connection after the request line', async () => {
    await new Promise<void>((resolve) => {
      const s = connect(proxy.port, '127.0.0.1', () => {
        s.write(`GET ${base}/slow HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
        s.once('data', () => {
          s.resetAndDestroy();
          resolve();
        });
      });
    });
    await stillServes();
  });
});

describe('the HTTP proxy, sign-in', () => {
  let origin: Origin;
  let gate: ListGate;
  let proxy: ProxyServer;
  const calls: string[] = [];

  before(async () => {
    origin = await startOrigin();
    gate = new ListGate(new Map());
    proxy = await startProxyServer({
      host: '127.0.0.1',
      port: 0,
      gate,
      authenticate: async (username, password) => {
        calls.push(username);
        if (username === 'directory.down') throw new Error('directory unreachable');
        return username === 'sam.pupil' && password === 'right horse battery' ? { personId: 'person-sam' } : null;
      },
      requireAuth: true,
      blockPageUrl: () => BLOCK_PAGE,
      pacProxyHost: 'proxy.school.example',
    });
  });
  after(async () => {
    await proxy.close();
    await origin.close();
  });

  it('asks for credentials when none are sent', async () => {
    const res = await viaProxy(proxy.port, `http://127.0.0.1:${origin.port}/echo`);
    assert.equal(res.status, 407);
    assert.equal(res.headers['proxy-authenticate'], 'Basic realm="Tutela", charset="UTF-8"');
    assert.equal(origin.seen.length, 0);
  });

  it('asks again for a wrong password or a malformed header', async () => {
    for (const authorization of [basic('sam.pupil', 'wrong'), 'Basic !!!', 'Bearer abc']) {
      const res = await viaProxy(proxy.port, `http://127.0.0.1:${origin.port}/echo`, { headers: { 'proxy-authorization': authorization } });
      assert.equal(res.status, 407, authorization);
    }
    assert.equal(origin.seen.length, 0);
  });

  it('lets a signed-in person through, checks the password once, and does not pass the credentials on', async () => {
    const before = calls.length;
    for (let i = 0; i < 5; i++) {
      const res = await viaProxy(proxy.port, `http://127.0.0.1:${origin.port}/echo?i=${i}`, {
        headers: { 'proxy-authorization': basic('sam.pupil', 'right horse battery') },
      });
      assert.equal(res.status, 200);
      assert.equal(JSON.parse(res.body).headers['proxy-authorization'], undefined);
    }
    assert.equal(calls.length - before, 1, 'authenticate ran once for five requests');
    assert.equal(gate.requests.at(-1)!.personId, 'person-sam');
    assert.equal(gate.events.at(-1)!.username, 'sam.pupil');
  });

  it('fails closed with 503 when the directory cannot be asked, then recovers', async () => {
    const n = gate.events.length;
    const res = await viaProxy(proxy.port, `http://127.0.0.1:${origin.port}/echo`, {
      headers: { 'proxy-authorization': basic('directory.down', 'x') },
    });
    assert.equal(res.status, 503);
    assert.match(res.body, /could not check this request/);
    assert.equal(gate.events.length, n, 'nothing was decided');
    const ok = await viaProxy(proxy.port, `http://127.0.0.1:${origin.port}/echo`, {
      headers: { 'proxy-authorization': basic('sam.pupil', 'right horse battery') },
    });
    assert.equal(ok.status, 200);
  });

  it('asks for credentials on CONNECT too', async () => {
    const answer = await rawExchange(proxy.port, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
    assert.match(answer, /^HTTP\/1\.1 407 /);
    assert.match(answer, /proxy-authenticate: Basic realm="Tutela"/i);
  });
});

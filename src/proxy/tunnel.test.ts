import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startProxyServer } from './index.js';
import { ListGate, rawExchange, startEcho, startOrigin, viaProxy } from './test-support.js';
import type { ProxyServer } from './types.js';

/** Opens a CONNECT tunnel, sending `early` in the same packet as the request, and reads the proxy's answer head. */
function openTunnel(port: number, authority: string, early = ''): Promise<{ socket: Socket; head: string; rest: Buffer }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    socket.on('error', reject);
    socket.on('data', function onData(chunk: Buffer) {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      resolve({ socket, head: received.subarray(0, end).toString('latin1'), rest: received.subarray(end + 4) });
    });
    socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n\r\n${early}`);
  });
}

function readAtLeast(socket: Socket, already: Buffer, bytes: number): Promise<string> {
  return new Promise((resolve) => {
    let got = already;
    if (got.length >= bytes) return resolve(got.toString('utf8'));
    socket.on('data', (c: Buffer) => {
      got = Buffer.concat([got, c]);
      if (got.length >= bytes) resolve(got.toString('utf8'));
    });
  });
}

describe('the HTTP proxy, CONNECT tunnels', () => {
  let echo: Awaited<ReturnType<typeof startEcho>>;
  let origin: Awaited<ReturnType<typeof startOrigin>>;
  let gate: ListGate;
  let proxy: ProxyServer;

  before(async () => {
    echo = await startEcho();
    origin = await startOrigin();
    gate = new ListGate(new Map([['vpn.example', 'circumvention']]));
    proxy = await startProxyServer({
      host: '127.0.0.1',
      port: 0,
      gate,
      authenticate: async () => null,
      requireAuth: false,
      blockPageUrl: () => 'https://filter.school.example/blocked',
      pacProxyHost: 'proxy.school.example',
      allowedConnectPorts: [443, echo.port],
      timeouts: { upstreamConnectMs: 1000 },
    });
  });
  after(async () => {
    await proxy.close();
    await echo.close();
    await origin.close();
  });

  async function stillServes() {
    const res = await viaProxy(proxy.port, `http://127.0.0.1:${origin.port}/echo`);
    assert.equal(res.status, 200);
  }

  it('opens an allowed tunnel and carries bytes both ways, including those sent with the request', async () => {
    const { socket, head, rest } = await openTunnel(proxy.port, `127.0.0.1:${echo.port}`, 'early bytes;');
    assert.equal(head, 'HTTP/1.1 200 Connection Established');
    socket.write('later bytes');
    assert.equal(await readAtLeast(socket, rest, 'early bytes;later bytes'.length), 'early bytes;later bytes');
    socket.destroy();
    const event = gate.events.at(-1)!;
    assert.equal(event.decision.action, 'allow');
    assert.equal(gate.requests.at(-1)!.target, '127.0.0.1', 'CONNECT is decided on the host alone');
    assert.equal(event.url, null);
  });

  it('refuses a blocked host with 403 and records the decision', async () => {
    const answer = await rawExchange(proxy.port, 'CONNECT www.VPN.example.:443 HTTP/1.1\r\nHost: www.vpn.example:443\r\n\r\n');
    assert.match(answer, /^HTTP\/1\.1 403 /);
    assert.match(answer, /Filter circumvention/);
    assert.equal(gate.requests.at(-1)!.target, 'www.vpn.example');
    assert.equal(gate.events.at(-1)!.decision.action, 'block');
    await stillServes();
  });

  it('refuses a port that is not allowed, before asking the filter', async () => {
    const n = gate.requests.length;
    const answer = await rawExchange(proxy.port, 'CONNECT 127.0.0.1:25 HTTP/1.1\r\nHost: 127.0.0.1:25\r\n\r\n');
    assert.match(answer, /^HTTP\/1\.1 403 /);
    assert.match(answer, /port 25/);
    assert.equal(gate.requests.length, n);
    await stillServes();
  });

  it('refuses a CONNECT target that is not host:port', async () => {
    for (const bad of ['127.0.0.1', 'user@127.0.0.1:443', '127.0.0.1:99999']) {
      const answer = await rawExchange(proxy.port, `CONNECT ${bad} HTTP/1.1\r\nHost: x\r\n\r\n`);
      assert.match(answer, /^HTTP\/1\.1 (400|403) /, bad);
    }
    await stillServes();
  });

  it('answers 502 when the tunnel origin refuses, and closes an idle tunnel and one whose origin goes', async () => {
    const closedPort = await (async () => {
      const e = await startEcho();
      await e.close();
      return e.port;
    })();
    const p2 = await startProxyServer({
      host: '127.0.0.1',
      port: 0,
      gate,
      authenticate: async () => null,
      requireAuth: false,
      blockPageUrl: () => 'x',
      pacProxyHost: 'p',
      allowedConnectPorts: [closedPort, echo.port],
      timeouts: { idleMs: 300 },
    });
    try {
      const answer = await rawExchange(p2.port, `CONNECT 127.0.0.1:${closedPort} HTTP/1.1\r\nHost: x\r\n\r\n`);
      assert.match(answer, /^HTTP\/1\.1 502 /);
      const idle = await openTunnel(p2.port, `127.0.0.1:${echo.port}`);
      await new Promise<void>((resolve) => idle.socket.on('close', () => resolve()));
      const { socket } = await openTunnel(p2.port, `127.0.0.1:${echo.port}`);
      const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      socket.on('error', () => undefined);
      await echo.close();
      await closed;
    } finally {
      await p2.close();
      echo = await startEcho();
    }
  });

  it('closes open tunnels when the proxy closes', async () => {
    const p3 = await startProxyServer({
      host: '127.0.0.1',
      port: 0,
      gate,
      authenticate: async () => null,
      requireAuth: false,
      blockPageUrl: () => 'x',
      pacProxyHost: 'p',
      allowedConnectPorts: [echo.port],
    });
    const { socket } = await openTunnel(p3.port, `127.0.0.1:${echo.port}`);
    socket.on('error', () => undefined);
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    await p3.close();
    await closed;
  });
});

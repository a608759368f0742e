import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { after, before, describe, it } from 'node:test';
import type dnsPacket from 'dns-packet';
import { type DnsServer, startDnsServer } from './server.js';
import {
  encodeQuery,
  type FakeUpstream,
  fixedGate,
  frame,
  rcodeOf,
  startFakeUpstream,
  tcpExchange,
  UdpClient,
  UPSTREAM_A,
  UPSTREAM_AAAA,
} from './test-support.js';

const BLOCK4 = '10.9.9.9';
const BLOCK6 = 'fd00::9';

type Answer = dnsPacket.Answer & { data?: unknown; ttl?: number };
const answersOf = (p: dnsPacket.DecodedPacket) => (p.answers ?? []) as Answer[];

describe('DNS filter: deciding, forwarding and caching', () => {
  let upstream: FakeUpstream;
  let server: DnsServer;
  let client: UdpClient;
  let clock = Date.UTC(2026, 10, 24, 9, 0, 0);
  const gate = fixedGate(['casino.test', 'bet.test']);

  before(async () => {
    upstream = await startFakeUpstream();
    server = await startDnsServer({
      host: '127.0.0.1',
      port: 0,
      upstreams: [`127.0.0.1:${upstream.port}`],
      cacheEntries: 1000,
      gate,
      blockAddress4: BLOCK4,
      blockAddress6: BLOCK6,
      now: () => clock,
      upstreamTimeoutMs: 400,
    });
    client = new UdpClient(server.port);
  });
  after(async () => {
    client.close();
    await server.close();
    await upstream.close();
  });

  it('answers a blocked name with the block page address, authoritatively, without asking upstream', async () => {
    const a = await client.ask('www.casino.test', 'A');
    assert.equal(rcodeOf(a), 'NOERROR');
    assert.equal(a.flag_aa, true);
    assert.deepEqual(
      answersOf(a).map((r) => [r.type, r.data, r.ttl]),
      [['A', BLOCK4, 60]],
    );
    const aaaa = await client.ask('bet.test', 'AAAA');
    assert.deepEqual(
      answersOf(aaaa).map((r) => [r.type, r.data]),
      [['AAAA', BLOCK6]],
    );
    // HTTPS (type 65) gets "no such record", so the browser falls back to A/AAAA.
    const https = await client.ask('bet.test', 'HTTPS');
    assert.equal(rcodeOf(https), 'NOERROR');
    assert.equal(answersOf(https).length, 0);
    assert.equal(upstream.count('www.casino.test') + upstream.count('bet.test'), 0);
    const blocked = gate.events.filter((e) => e.decision.host === 'bet.test');
    assert.equal(blocked.length, 2);
    assert.ok(blocked.every((e) => e.source === 'dns' && e.decision.action === 'block' && e.clientAddress === '127.0.0.1'));
    assert.ok(server.stats().blocked >= 3);
  });

  it('forwards an allowed name and answers with the client’s id and spelling', async () => {
    const id = 4242;
    const a = await client.ask('WwW.Allowed.TEST', 'A', id);
    assert.equal(a.id, id);
    assert.equal(a.questions?.[0]?.name, 'WwW.Allowed.TEST');
    assert.deepEqual(
      answersOf(a).map((r) => [r.type, r.data]),
      [['A', UPSTREAM_A]],
    );
    const aaaa = await client.ask('www.allowed.test', 'AAAA');
    assert.deepEqual(
      answersOf(aaaa).map((r) => r.data),
      [UPSTREAM_AAAA],
    );
    assert.equal(upstream.count('www.allowed.test', 'A'), 1);
    const event = gate.events.find((e) => e.decision.host === 'www.allowed.test');
    assert.equal(event?.decision.action, 'allow');
  });

  it('serves from the cache until the TTL runs out, counting TTLs down', async () => {
    const first = await client.ask('ttl5.cached.test');
    assert.equal(answersOf(first)[0]?.ttl, 5);
    clock += 3000;
    const second = await client.ask('ttl5.CACHED.test');
    assert.equal(answersOf(second)[0]?.ttl, 2);
    assert.equal(answersOf(second)[0]?.data, UPSTREAM_A);
    assert.equal(upstream.count('ttl5.cached.test'), 1);
    clock += 2500;
    await client.ask('ttl5.cached.test');
    assert.equal(upstream.count('ttl5.cached.test'), 2);
    assert.ok(server.stats().cacheHits >= 1);
  });

  it('caches a negative answer for the SOA minimum', async () => {
    const first = await client.ask('nx.missing.test');
    assert.equal(rcodeOf(first), 'NXDOMAIN');
    clock += 29_000;
    const again = await client.ask('nx.missing.test');
    assert.equal(rcodeOf(again), 'NXDOMAIN');
    assert.equal((again.authorities?.[0] as Answer | undefined)?.ttl, 1);
    assert.equal(upstream.count('nx.missing.test'), 1);
    clock += 2000;
    await client.ask('nx.missing.test');
    assert.equal(upstream.count('nx.missing.test'), 2);
  });

  for (const [host, safe] of [
    ['www.google.com', 'forcesafesearch.google.com'],
    ['www.bing.com', 'strict.bing.com'],
    ['www.youtube.com', 'restrict.youtube.com'],
    ['duckduckgo.com', 'safe.duckduckgo.com'],
  ] as const) {
    it(`enforces safe search on ${host} by CNAME to ${safe}`, async () => {
      const a = await client.ask(host, 'A');
      assert.deepEqual(
        answersOf(a).map((r) => [r.name, r.type, r.data]),
        [
          [host, 'CNAME', safe],
          [safe, 'A', UPSTREAM_A],
        ],
      );
      const aaaa = await client.ask(host, 'AAAA');
      assert.deepEqual(
        answersOf(aaaa).map((r) => [r.type, r.data]),
        [
          ['CNAME', safe],
          ['AAAA', UPSTREAM_AAAA],
        ],
      );
      assert.equal(upstream.count(host), 0, 'the unsafe host itself is never resolved');
      assert.equal(upstream.count(safe, 'A'), 1);
      await client.ask(host, 'A');
      assert.equal(upstream.count(safe, 'A'), 1, 'the composed answer is cached');
    });
  }

  it('answers other record types of a safe-search host with the CNAME alone', async () => {
    const https = await client.ask('www.google.com', 'HTTPS');
    assert.deepEqual(
      answersOf(https).map((r) => [r.type, r.data]),
      [['CNAME', 'forcesafesearch.google.com']],
    );
  });

  it('answers the Firefox DoH canary with NXDOMAIN', async () => {
    const a = await client.ask('use-application-dns.net');
    assert.equal(rcodeOf(a), 'NXDOMAIN');
    assert.equal(upstream.count('use-application-dns.net'), 0);
  });

  it('retries over TCP when the upstream truncates, and truncates for a small UDP client', async () => {
    const udp = await client.ask('big.test');
    assert.equal(udp.flag_tc, true);
    assert.equal(upstream.count('big.test', 'A', 'udp'), 1);
    assert.equal(upstream.count('big.test', 'A', 'tcp'), 1);
    const { answers } = await tcpExchange(server.port, [frame(encodeQuery('big.test', 'A', 777))], 1);
    assert.equal(answers[0]?.id, 777);
    assert.equal(answersOf(answers[0]!).length, 120);
  });

  it('answers over TCP: two queries in one write, and one query split over two writes', async () => {
    const both = frame(encodeQuery('one.test', 'A', 11), encodeQuery('casino.test', 'A', 12));
    const r1 = await tcpExchange(server.port, [both], 2);
    const byId = new Map(r1.answers.map((a) => [a.id, a]));
    assert.equal(answersOf(byId.get(11)!)[0]?.data, UPSTREAM_A);
    assert.equal(answersOf(byId.get(12)!)[0]?.data, BLOCK4);
    const split = frame(encodeQuery('two.test', 'A', 13));
    const r2 = await tcpExchange(server.port, [split.subarray(0, 7), split.subarray(7)], 1);
    assert.equal(r2.answers[0]?.id, 13);
    assert.equal(answersOf(r2.answers[0]!)[0]?.data, UPSTREAM_A);
  });

  it('records every decision it asked for', () => {
    assert.ok(gate.requests.length > 10);
    assert.equal(gate.events.length, gate.requests.length);
    for (const [i, e] of gate.events.entries()) {
      assert.equal(e.source, 'dns');
      assert.equal(e.decision.host, gate.requests[i]!.target);
    }
  });
});

describe('DNS filter: upstream failures', () => {
  it('tries the next upstream on a timeout, and answers SERVFAIL when all fail', async () => {
    const silent = await startFakeUpstream();
    silent.silent(true);
    const live = await startFakeUpstream();
    const dead = await deadPort();
    const failover = await startDnsServer({
      host: '127.0.0.1',
      port: 0,
      upstreams: [`127.0.0.1:${silent.port}`, `127.0.0.1:${live.port}`],
      cacheEntries: 100,
      gate: fixedGate([]),
      blockAddress4: BLOCK4,
      blockAddress6: BLOCK6,
      upstreamTimeoutMs: 200,
    });
    const down = await startDnsServer({
      host: '127.0.0.1',
      port: 0,
      upstreams: [`127.0.0.1:${dead}`],
      cacheEntries: 100,
      gate: fixedGate([]),
      blockAddress4: BLOCK4,
      blockAddress6: BLOCK6,
      upstreamTimeoutMs: 200,
    });
    const c1 = new UdpClient(failover.port);
    const c2 = new UdpClient(down.port);
    try {
      const a = await c1.ask('www.example.test');
      assert.equal(answersOf(a)[0]?.data, UPSTREAM_A);
      assert.equal(silent.count('www.example.test'), 1);
      assert.equal(live.count('www.example.test'), 1);
      assert.equal(failover.stats().upstreamErrors, 1);
      // An upstream's SERVFAIL is passed on as ours once every upstream has said it.
      const failed = await c1.ask('fail.example.test');
      assert.equal(rcodeOf(failed), 'SERVFAIL');

      const b = await c2.ask('www.example.test');
      assert.equal(rcodeOf(b), 'SERVFAIL');
      assert.equal(down.stats().upstreamErrors, 1);
      // Still serving: the next query is answered (SERVFAIL again, the upstream is still down).
      assert.equal(rcodeOf(await c2.ask('casino.example.test', 'A')), 'SERVFAIL');
    } finally {
      c1.close();
      c2.close();
      await Promise.all([failover.close(), down.close(), silent.close(), live.close()]);
    }
  });

  it('fails closed with SERVFAIL when the gate throws', async () => {
    const upstream = await startFakeUpstream();
    const gate = fixedGate([]);
    gate.decide = () => {
      throw new Error('no snapshot');
    };
    const server = await startDnsServer({
      host: '127.0.0.1',
      port: 0,
      upstreams: [`127.0.0.1:${upstream.port}`],
      cacheEntries: 100,
      gate,
      blockAddress4: BLOCK4,
      blockAddress6: BLOCK6,
    });
    const c = new UdpClient(server.port);
    try {
      assert.equal(rcodeOf(await c.ask('anything.test')), 'SERVFAIL');
      assert.equal(upstream.count('anything.test'), 0);
    } finally {
      c.close();
      await server.close();
      await upstream.close();
    }
  });
});

/** A UDP port nothing listens on. */
async function deadPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', () => resolve()));
  const port = s.address().port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import dnsPacket from 'dns-packet';
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
} from './test-support.js';

/*
 * Hostile and broken input. After each, a normal query on the same transport must still be
 * answered: the server never crashes and never stops serving.
 */

/** A 12-byte header: id, flags (RD), and the four section counts. */
function header(id: number, qd: number, an = 0, ns = 0, ar = 0): Buffer {
  const h = Buffer.alloc(12);
  h.writeUInt16BE(id, 0);
  h.writeUInt16BE(0x0100, 2);
  h.writeUInt16BE(qd, 4);
  h.writeUInt16BE(an, 6);
  h.writeUInt16BE(ns, 8);
  h.writeUInt16BE(ar, 10);
  return h;
}

/** Deterministic bytes, so a failure can be replayed. */
function pseudoRandom(seed: number, n: number): Buffer {
  const out = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    out[i] = x >> 16;
  }
  return out;
}

describe('DNS filter: malformed and hostile input', () => {
  let upstream: FakeUpstream;
  let server: DnsServer;
  let client: UdpClient;
  const gate = fixedGate(['blocked.test']);

  before(async () => {
    upstream = await startFakeUpstream();
    server = await startDnsServer({
      host: '127.0.0.1',
      port: 0,
      upstreams: [`127.0.0.1:${upstream.port}`],
      cacheEntries: 100,
      gate,
      blockAddress4: '10.9.9.9',
      blockAddress6: 'fd00::9',
      tcpIdleMs: 2000,
    });
    client = new UdpClient(server.port);
  });
  after(async () => {
    client.close();
    await server.close();
    await upstream.close();
  });

  /** Sends `bad`, then a normal query; returns what came back for `bad` before the good answer. */
  async function sendThenNormal(bad: Buffer): Promise<dnsPacket.DecodedPacket[]> {
    client.send(bad);
    const goodId = 9999;
    client.send(encodeQuery('ok.test', 'A', goodId));
    const before: dnsPacket.DecodedPacket[] = [];
    for (;;) {
      const answer = dnsPacket.decode(await client.next());
      if (answer.id === goodId) {
        assert.equal((answer.answers?.[0] as { data?: string } | undefined)?.data, UPSTREAM_A);
        return before;
      }
      before.push(answer);
    }
  }

  it('drops random bytes and keeps answering', async () => {
    const malformedBefore = server.stats().malformed;
    for (let seed = 1; seed <= 50; seed++) {
      const bad = pseudoRandom(seed, 10 + (seed % 60));
      // A random packet may by chance be a valid query: then it is answered, which is fine.
      const replies = await sendThenNormal(bad);
      for (const r of replies) assert.equal(r.id, bad.readUInt16BE(0));
    }
    assert.ok(server.stats().malformed > malformedBefore);
  });

  it('drops a 5-byte packet (no readable header)', async () => {
    assert.deepEqual(await sendThenNormal(Buffer.from([1, 2, 3, 4, 5])), []);
  });

  it('answers FORMERR to a header claiming 5 questions with none', async () => {
    const replies = await sendThenNormal(header(501, 5));
    assert.equal(replies.length, 1);
    assert.equal(replies[0]?.id, 501);
    assert.equal(rcodeOf(replies[0]!), 'FORMERR');
  });

  it('answers FORMERR to a compression pointer that points at itself, without hanging', async () => {
    // The question's name is a pointer to offset 12: itself.
    const loop = Buffer.concat([header(502, 1), Buffer.from([0xc0, 12, 0, 1, 0, 1])]);
    const replies = await sendThenNormal(loop);
    assert.equal(rcodeOf(replies[0]!), 'FORMERR');
    // Two records in the additional section pointing at each other.
    const q = encodeQuery('x.test', 'A', 503).subarray(12);
    const rr = (target: number) => Buffer.from([0xc0, target, 0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 1, 2, 3, 4]);
    const base = 12 + q.length;
    const pair = Buffer.concat([header(503, 1, 0, 0, 2), q, rr(base + 16), rr(base)]);
    const replies2 = await sendThenNormal(pair);
    assert.equal(rcodeOf(replies2[0]!), 'FORMERR');
  });

  it('answers FORMERR to a label longer than 63 bytes', async () => {
    const long = Buffer.concat([header(504, 1), Buffer.from([64]), Buffer.alloc(64, 0x61), Buffer.from([0, 0, 1, 0, 1])]);
    const replies = await sendThenNormal(long);
    assert.equal(replies[0]?.id, 504);
    assert.equal(rcodeOf(replies[0]!), 'FORMERR');
  });

  it('answers FORMERR to a 5000-byte UDP packet', async () => {
    const big = Buffer.concat([encodeQuery('huge.test', 'A', 505), Buffer.alloc(5000)]).subarray(0, 5000);
    const replies = await sendThenNormal(big);
    assert.equal(replies[0]?.id, 505);
    assert.equal(rcodeOf(replies[0]!), 'FORMERR');
    assert.equal(upstream.count('huge.test'), 0);
  });

  it('ignores an oversized response too: answering it could loop two servers', async () => {
    const response = dnsPacket.encode({ type: 'response', id: 507, questions: [{ type: 'A', name: 'big-loop.test' }] });
    const big = Buffer.concat([response, Buffer.alloc(5000)]);
    assert.deepEqual(await sendThenNormal(big), []);
  });

  it('ignores a response sent to it as if it were a query', async () => {
    const response = dnsPacket.encode({ type: 'response', id: 506, questions: [{ type: 'A', name: 'loop.test' }] });
    assert.deepEqual(await sendThenNormal(response), []);
  });

  it('closes a TCP connection that announces 1000 bytes and sends 10, and serves the next one', async () => {
    const partial = Buffer.concat([Buffer.from([1000 >> 8, 1000 & 255]), Buffer.alloc(10)]);
    // The client half-closes after the partial frame: the server must close, not wait.
    const r = await tcpExchange(server.port, [partial], 0, { halfClose: true });
    assert.equal(r.closedByServer, true);
    assert.equal(r.answers.length, 0);
    // A client that stays silent mid-frame is closed by the idle timeout.
    const idle = await tcpExchange(server.port, [partial], 0);
    assert.equal(idle.closedByServer, true);
    const next = await tcpExchange(server.port, [frame(encodeQuery('after.test', 'A', 601))], 1);
    assert.equal(next.answers[0]?.id, 601);
    assert.equal((await client.ask('after-udp.test')).answers?.length, 1);
  });

  it('closes a TCP connection on a garbage frame after a FORMERR, leaving others alone', async () => {
    const other = tcpExchange(server.port, [frame(encodeQuery('parallel.test', 'A', 603))], 1);
    const garbage = Buffer.concat([header(602, 3), pseudoRandom(7, 8)]);
    const r = await tcpExchange(server.port, [frame(garbage), frame(encodeQuery('never.test', 'A', 604))], 0);
    assert.equal(r.closedByServer, true);
    assert.equal(r.answers[0]?.id, 602);
    assert.equal(rcodeOf(r.answers[0]!), 'FORMERR');
    assert.ok(!r.answers.some((a) => a.id === 604));
    assert.equal((await other).answers[0]?.id, 603);
  });

  it('answers queries sent before a half-close, then closes', async () => {
    const r = await tcpExchange(server.port, [frame(encodeQuery('half.test', 'A', 606), encodeQuery('blocked.test', 'A', 607))], 0, {
      halfClose: true,
    });
    assert.deepEqual(r.answers.map((a) => a.id).sort(), [606, 607]);
    assert.equal(r.closedByServer, true);
  });

  it('closes a TCP connection whose frame is too short to hold a header', async () => {
    const r = await tcpExchange(server.port, [Buffer.from([0, 3, 1, 2, 3])], 0);
    assert.equal(r.closedByServer, true);
    const next = await tcpExchange(server.port, [frame(encodeQuery('after2.test', 'A', 605))], 1);
    assert.equal(next.answers[0]?.id, 605);
  });
});

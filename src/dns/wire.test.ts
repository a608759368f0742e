import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import dnsPacket from 'dns-packet';
import { AppError } from '../errors/errors.js';
import { AnswerCache, MAX_NEGATIVE_TTL_S, serveAnswer, toAnswer } from './cache.js';
import { parseUpstream } from './upstream.js';
import { answerShape, EDNS_UDP_SIZE, parseQuery, type Query } from './wire.js';

function query(name: string, opts: { edns?: number; type?: dnsPacket.RecordType; id?: number } = {}): Query {
  const wire = dnsPacket.encode({
    type: 'query',
    id: opts.id ?? 7,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type: opts.type ?? 'A', name }],
    additionals: opts.edns ? [{ type: 'OPT', name: '.', udpPayloadSize: opts.edns } as unknown as dnsPacket.Answer] : [],
  });
  const parsed = parseQuery(Buffer.from(wire));
  assert.ok(parsed.ok);
  return parsed.query;
}

function upstreamAnswer(answers: dnsPacket.Answer[], opts: { opt?: boolean; rcode?: number; authorities?: dnsPacket.Answer[] } = {}) {
  return Buffer.from(
    dnsPacket.encode({
      type: 'response',
      id: 1,
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | (opts.rcode ?? 0),
      questions: [{ type: 'A', name: 'a.test' }],
      answers,
      authorities: opts.authorities ?? [],
      additionals: opts.opt ? [{ type: 'OPT', name: '.', udpPayloadSize: 1232 } as unknown as dnsPacket.Answer] : [],
    }),
  );
}

describe('reading queries', () => {
  it('reads a bare question and one with EDNS alike, and refuses a broken record after it', () => {
    assert.equal(query('a.test').name, query('a.test', { edns: 1232 }).name);
    const withOpt = Buffer.from(
      dnsPacket.encode({
        type: 'query',
        id: 3,
        questions: [{ type: 'A', name: 'a.test' }],
        additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 1232 } as unknown as dnsPacket.Answer],
      }),
    );
    // Cut the OPT record short: the header still promises it.
    assert.deepEqual(parseQuery(withOpt.subarray(0, withOpt.length - 3)), { ok: false, id: 3, flags: 0, rcode: 1 });
    // Bytes after the last announced record are ignored, as by dns-packet and most servers.
    const bare = Buffer.from(dnsPacket.encode({ type: 'query', id: 4, questions: [{ type: 'A', name: 'a.test' }] }));
    assert.equal(parseQuery(Buffer.concat([bare, Buffer.from([0xc0])])).ok, true);
  });

  it('lower-cases the name (ASCII only) and escapes odd bytes', () => {
    assert.equal(query('WWW.Example.COM').name, 'www.example.com');
    const raw = Buffer.from([0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, 0x61, 0x2e, 0xc9, 4, 0x54, 0x45, 0x53, 0x54, 0, 0, 1, 0, 1]);
    const parsed = parseQuery(raw);
    assert.ok(parsed.ok);
    assert.equal(parsed.query.name, 'a\\046\\201.test');
  });

  it('takes the client’s EDNS size, within 512 … 1232', () => {
    assert.equal(query('a.test').udpLimit, 512);
    assert.equal(query('a.test').edns, false);
    assert.equal(query('a.test', { edns: 4096 }).udpLimit, EDNS_UDP_SIZE);
    assert.equal(query('a.test', { edns: 100 }).udpLimit, 512);
    assert.equal(query('a.test', { edns: 1000 }).edns, true);
  });

  it('answers NOTIMP to other opcodes and ignores responses', () => {
    const notify = Buffer.from(query('a.test').question);
    const msg = Buffer.concat([Buffer.from([0, 9, 0x20, 0, 0, 1, 0, 0, 0, 0, 0, 0]), notify]);
    assert.deepEqual(parseQuery(msg), { ok: false, id: 9, flags: 0x2000, rcode: 4 });
    msg[2] = 0x80;
    assert.equal((parseQuery(msg) as { rcode: number | null }).rcode, null);
  });
});

describe('reading upstream answers', () => {
  it('walks records without following pointers, so a pointer loop cannot hang it', () => {
    const head = upstreamAnswer([]);
    head.writeUInt16BE(2, 6);
    // Two answers whose names point at each other.
    const rr = (to: number) => Buffer.from([0xc0, to, 0, 1, 0, 1, 0, 0, 0, 9, 0, 4, 1, 2, 3, 4]);
    const msg = Buffer.concat([head, rr(head.length + 16), rr(head.length)]);
    assert.throws(() => dnsPacket.decode(msg));
    const shape = answerShape(msg);
    assert.equal(shape?.minTtl, 9);
    assert.equal(shape?.ttlOffsets.length, 2);
  });

  it('rejects a record that runs past the end', () => {
    const msg = upstreamAnswer([{ type: 'A', name: 'a.test', ttl: 60, data: '1.2.3.4' }]);
    assert.equal(answerShape(msg.subarray(0, msg.length - 2)), null);
    assert.equal(toAnswer(msg.subarray(0, msg.length - 2), 0), null);
  });

  it('keeps a negative answer for min(SOA TTL, minimum), capped', () => {
    const soa = (ttl: number, minimum: number): dnsPacket.Answer => ({
      type: 'SOA',
      name: 'test',
      ttl,
      data: { mname: 'ns.test', rname: 'h.test', serial: 1, refresh: 1, retry: 1, expire: 1, minimum },
    });
    assert.equal(toAnswer(upstreamAnswer([], { rcode: 3, authorities: [soa(600, 30)] }), 0)?.expiresAt, 30_000);
    assert.equal(toAnswer(upstreamAnswer([], { rcode: 3, authorities: [soa(20, 30)] }), 0)?.expiresAt, 20_000);
    assert.equal(toAnswer(upstreamAnswer([], { rcode: 3, authorities: [soa(86400, 86400)] }), 0)?.expiresAt, MAX_NEGATIVE_TTL_S * 1000);
    // No SOA: not cached at all.
    assert.equal(toAnswer(upstreamAnswer([], { rcode: 3 }), 5)?.expiresAt, 5);
  });
});

describe('serving cached answers', () => {
  const answer = (opt: boolean) =>
    toAnswer(
      upstreamAnswer(
        [
          { type: 'A', name: 'a.test', ttl: 100, data: '1.2.3.4' },
          { type: 'A', name: 'a.test', ttl: 200, data: '1.2.3.5' },
        ],
        { opt },
      ),
      1_000_000,
    )!;

  it('patches the id and question, counts TTLs down and never below the cache’s TTL', () => {
    const out = dnsPacket.decode(serveAnswer(answer(false), query('A.Test', { id: 4321 }), 1_000_000 + 30_500, true));
    assert.equal(out.id, 4321);
    assert.equal(out.questions?.[0]?.name, 'A.Test');
    // Both records were clamped to the answer's lifetime (100 s) when stored, then counted down.
    assert.deepEqual(
      out.answers?.map((a) => (a as { ttl: number }).ttl),
      [70, 70],
    );
  });

  it('cuts the OPT record for a client that sent none, and keeps it for one that did', () => {
    const a = answer(true);
    const plain = dnsPacket.decode(serveAnswer(a, query('a.test'), 1_000_000, true));
    assert.equal(plain.additionals?.length, 0);
    const edns = dnsPacket.decode(serveAnswer(a, query('a.test', { edns: 1232 }), 1_000_000, true));
    assert.equal(edns.additionals?.[0]?.type, 'OPT');
  });

  it('truncates an answer larger than the client accepts over UDP, not over TCP', () => {
    const many = Array.from({ length: 60 }, (_, i) => ({ type: 'A' as const, name: 'a.test', ttl: 60, data: `10.0.0.${i}` }));
    const a = toAnswer(upstreamAnswer(many), 0)!;
    const udp = dnsPacket.decode(serveAnswer(a, query('a.test'), 0, true));
    assert.equal(udp.flag_tc, true);
    assert.equal(udp.answers?.length, 0);
    assert.equal(dnsPacket.decode(serveAnswer(a, query('a.test'), 0, false)).answers?.length, 60);
  });
});

describe('the answer cache', () => {
  const entry = (ttl: number, at: number) => toAnswer(upstreamAnswer([{ type: 'A', name: 'a.test', ttl, data: '1.2.3.4' }]), at)!;

  it('is bounded and drops the least recently used', () => {
    const cache = new AnswerCache(4);
    for (const k of ['a', 'b', 'c', 'd']) cache.set(k, entry(60, 0));
    // 'a' is the oldest, so a hit moves it to the young end; 'b' becomes the oldest.
    assert.ok(cache.get('a', 1));
    cache.set('e', entry(60, 0));
    assert.equal(cache.size, 4);
    assert.equal(cache.get('b', 1), undefined);
    for (const k of ['a', 'c', 'd', 'e']) assert.ok(cache.get(k, 1), k);
    for (let i = 0; i < 100; i++) cache.set(`n${i}`, entry(60, 0));
    assert.equal(cache.size, 4);
  });

  it('never returns an expired answer and keeps nothing with TTL 0 or capacity 0', () => {
    const cache = new AnswerCache(10);
    cache.set('a', entry(10, 0));
    assert.ok(cache.get('a', 9_999));
    assert.equal(cache.get('a', 10_000), undefined);
    cache.set('z', entry(0, 0));
    assert.equal(cache.get('z', 0), undefined);
    const none = new AnswerCache(0);
    none.set('a', entry(10, 0));
    assert.equal(none.size, 0);
  });
});

describe('upstream addresses', () => {
  it('reads address, address:port and bracketed IPv6', () => {
    assert.deepEqual(parseUpstream('9.9.9.9'), { address: '9.9.9.9', port: 53, family: 4 });
    assert.deepEqual(parseUpstream('127.0.0.1:5353'), { address: '127.0.0.1', port: 5353, family: 4 });
    assert.deepEqual(parseUpstream('2620:fe::fe'), { address: '2620:fe::fe', port: 53, family: 6 });
    assert.deepEqual(parseUpstream('[0:0::1]:5300'), { address: '::1', port: 5300, family: 6 });
  });

  it('refuses anything else with a clear error', () => {
    for (const bad of ['dns.example.com', '1.2.3.4:0', '1.2.3.4:x', '', '[::1]:99999', '300.1.1.1']) {
      assert.throws(
        () => parseUpstream(bad),
        (err: unknown) => err instanceof AppError && err.id === 'validation_failed' && err.message.includes(bad),
      );
    }
  });
});

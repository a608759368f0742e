import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { isIPv6, createServer as createTcpServer, type Server as TcpServer, type Socket as TcpSocket } from 'node:net';
import type { DecisionEvent, FilterGate } from '../filter/gate.js';
import type { FilterDecision } from '../filter/model.js';
import { safeSearchTarget } from '../filter/safe-search.js';
import { AnswerCache, cacheKey, serveAnswer } from './cache.js';
import { Resolver } from './resolver.js';
import { composeSafeSearch, safeSearchCname } from './safe-search-answer.js';
import { TcpConnection } from './tcp.js';
import { Forwarder, parseUpstream } from './upstream.js';
import {
  addressBytes,
  CLASS_IN,
  headerOnlyResponse,
  localResponse,
  lowerQuestion,
  nameWire,
  parseQuery,
  type Query,
  RCODE,
  recordForQuestion,
  TYPE,
} from './wire.js';

export interface DnsServerOptions {
  host: string;
  /** 0 picks a free port; UDP and TCP always share the port. */
  port: number;
  /** `addr` or `addr:port`, IPv4 or IPv6 (`[v6]:port`), tried in order. */
  upstreams: string[];
  cacheEntries: number;
  gate: FilterGate;
  /** Where blocked names point: the block page. */
  blockAddress4: string;
  blockAddress6: string;
  log?: { warn(o: object, m?: string): void; error(o: object, m?: string): void };
  /** ms clock for the cache's TTLs and the decisions' time; Date.now by default. */
  now?: () => number;
  upstreamTimeoutMs?: number;
  /** A TCP connection with nothing to say for this long is closed. */
  tcpIdleMs?: number;
}

export interface DnsStats {
  queries: number;
  blocked: number;
  cacheHits: number;
  upstreamErrors: number;
  malformed: number;
}

export interface DnsServer {
  port: number;
  close(): Promise<void>;
  stats(): DnsStats;
}

/** Firefox asks for this name before turning DNS-over-HTTPS on by itself; NXDOMAIN says "don't". */
export const DOH_CANARY = 'use-application-dns.net';
/** Larger UDP queries are refused: nothing legitimate comes near it. */
const MAX_UDP_QUERY = 4096;
const BLOCK_TTL_S = 60;
const TCP_MAX_CONNECTIONS = 1024;

/** Who asked, and how to answer them. */
interface Client {
  address: string;
  port: number;
  tcp: TcpConnection | null;
}

/**
 * Starts the DNS filter on UDP and TCP: every query is decided by the gate and recorded;
 * blocked names get the block page's address, the DoH canary NXDOMAIN, safe-search hosts a
 * CNAME to their safe host, and everything else is forwarded through a TTL-honouring cache.
 *
 * @example
 *   const dns = await startDnsServer({ host: '0.0.0.0', port: 53, upstreams: ['9.9.9.9'],
 *     cacheEntries: 100_000, gate, blockAddress4: '10.0.0.5', blockAddress6: 'fd00::5' });
 *   // …
 *   await dns.close();
 */
export async function startDnsServer(options: DnsServerOptions): Promise<DnsServer> {
  const now = options.now ?? Date.now;
  const log = options.log ?? { warn() {}, error() {} };
  const stats: DnsStats = { queries: 0, blocked: 0, cacheHits: 0, upstreamErrors: 0, malformed: 0 };
  const block4 = addressBytes(options.blockAddress4, 4);
  const block6 = addressBytes(options.blockAddress6, 6);
  const forwarder = new Forwarder(options.upstreams.map(parseUpstream), {
    timeoutMs: options.upstreamTimeoutMs ?? 1500,
    onUpstreamError: (upstream, reason) => {
      stats.upstreamErrors++;
      log.warn({ upstream: `${upstream.address}:${upstream.port}`, reason }, 'DNS upstream failed');
    },
  });
  const resolver = new Resolver(new AnswerCache(options.cacheEntries), forwarder, now);
  await forwarder.open();

  const { udp, tcp, port } = await bindBoth(options.host, options.port);

  let closed = false;
  const respond = (client: Client, msg: Buffer) => {
    if (client.tcp) client.tcp.reply(msg);
    else if (!closed) udp.send(msg, client.port, client.address);
  };

  const forward = (q: Query, client: Client) => {
    const key = cacheKey(q.name, q.qtype, q.qclass);
    const hit = resolver.cached(key);
    if (hit) {
      stats.cacheHits++;
      respond(client, serveAnswer(hit, q, now(), !client.tcp));
      return;
    }
    resolver.fetch(key, lowerQuestion(q.question), (answer) => {
      respond(client, answer ? serveAnswer(answer, q, now(), !client.tcp) : localResponse(q, RCODE.SERVFAIL, false));
    });
  };

  const safeSearch = (q: Query, target: string, client: Client) => {
    const key = cacheKey(q.name, q.qtype, q.qclass);
    const hit = resolver.cached(key);
    if (hit) {
      stats.cacheHits++;
      respond(client, serveAnswer(hit, q, now(), !client.tcp));
      return;
    }
    if ((q.qtype !== TYPE.A && q.qtype !== TYPE.AAAA) || q.qclass !== CLASS_IN) {
      respond(client, localResponse(q, RCODE.NOERROR, false, [safeSearchCname(target)]));
      return;
    }
    const targetQuestion = Buffer.concat([nameWire(target), Buffer.from([0, q.qtype, 0, CLASS_IN])]);
    resolveTarget(cacheKey(target, q.qtype, q.qclass), targetQuestion, (targetAnswer) => {
      const composed = targetAnswer ? composeSafeSearch(q, target, targetAnswer, now()) : null;
      if (!composed) {
        respond(client, localResponse(q, RCODE.SERVFAIL, false));
        return;
      }
      resolver.store(key, composed);
      respond(client, serveAnswer(composed, q, now(), !client.tcp));
    });
  };

  const resolveTarget = (key: string, question: Buffer, done: Parameters<Resolver['fetch']>[2]) => {
    const hit = resolver.cached(key);
    if (hit) done(hit);
    else resolver.fetch(key, question, done);
  };

  const decide = (q: Query, clientAddress: string): FilterDecision | null => {
    const at = new Date(now());
    let decision: FilterDecision;
    try {
      decision = options.gate.decide({ clientAddress, target: q.name, at });
    } catch (err) {
      log.error({ err, name: q.name, clientAddress }, 'filter decision failed');
      return null;
    }
    try {
      const event: DecisionEvent = { source: 'dns', at, clientAddress, decision };
      options.gate.record(event);
    } catch (err) {
      // The gate promises not to throw here; if it does, the answer still goes out.
      log.error({ err }, 'recording a DNS decision failed');
    }
    return decision;
  };

  const handle = (msg: Buffer, client: Client) => {
    stats.queries++;
    if (!client.tcp && msg.length > MAX_UDP_QUERY) {
      stats.malformed++;
      // A response sent to us is never answered, oversized or not: two servers would loop.
      if (msg.length >= 12 && (msg[2]! & 0x80) === 0)
        respond(client, headerOnlyResponse(msg.readUInt16BE(0), msg.readUInt16BE(2), RCODE.FORMERR));
      return;
    }
    const parsed = parseQuery(msg);
    if (!parsed.ok) {
      if (parsed.rcode !== RCODE.NOTIMP) stats.malformed++;
      const answer = parsed.id !== null && parsed.rcode !== null ? headerOnlyResponse(parsed.id, parsed.flags, parsed.rcode) : null;
      if (client.tcp) {
        if (parsed.rcode === RCODE.NOTIMP && answer) client.tcp.reply(answer);
        else client.tcp.replyAndClose(answer);
      } else if (answer) respond(client, answer);
      return;
    }
    const q = parsed.query;
    if (q.name === DOH_CANARY) {
      respond(client, localResponse(q, RCODE.NXDOMAIN, true));
      return;
    }
    // The root (priming, `. NS`) is not a site: forwarded without a decision.
    if (q.name === '') {
      forward(q, client);
      return;
    }
    const decision = decide(q, client.address);
    if (!decision) {
      // Fail closed: without a decision nothing is resolved.
      respond(client, localResponse(q, RCODE.SERVFAIL, false));
      return;
    }
    if (decision.action === 'block') {
      stats.blocked++;
      respond(client, blockedAnswer(q, block4, block6));
      return;
    }
    // 'warn' cannot show its page over DNS: the proxy shows it; DNS resolves as for allow.
    const target = safeSearchTarget(q.name);
    if (target) safeSearch(q, target, client);
    else forward(q, client);
  };

  udp.on('message', (msg: Buffer, rinfo: RemoteInfo) => {
    try {
      handle(msg, { address: plainAddress(rinfo.address), port: rinfo.port, tcp: null });
    } catch (err) {
      log.error({ err }, 'DNS query failed');
    }
  });
  udp.on('error', (err) => log.error({ err }, 'DNS UDP socket error'));
  const connections = new Set<TcpSocket>();
  tcp.on('connection', (socket: TcpSocket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    new TcpConnection(
      socket,
      (msg, c) => {
        try {
          handle(msg, { address: plainAddress(c.address), port: socket.remotePort ?? 0, tcp: c });
        } catch (err) {
          log.error({ err }, 'DNS query failed');
          c.replyAndClose(null);
        }
      },
      options.tcpIdleMs ?? 10_000,
    );
  });
  tcp.on('error', (err) => log.error({ err }, 'DNS TCP server error'));

  return {
    port,
    stats: () => ({ ...stats }),
    close: async () => {
      closed = true;
      for (const s of connections) s.destroy();
      await Promise.all([
        new Promise<void>((resolve) => udp.close(() => resolve())),
        new Promise<void>((resolve) => tcp.close(() => resolve())),
        forwarder.close(),
      ]);
    },
  };
}

function blockedAnswer(q: Query, block4: Buffer, block6: Buffer): Buffer {
  if (q.qclass === CLASS_IN && q.qtype === TYPE.A)
    return localResponse(q, RCODE.NOERROR, true, [recordForQuestion(TYPE.A, BLOCK_TTL_S, block4)]);
  if (q.qclass === CLASS_IN && q.qtype === TYPE.AAAA)
    return localResponse(q, RCODE.NOERROR, true, [recordForQuestion(TYPE.AAAA, BLOCK_TTL_S, block6)]);
  // HTTPS, SVCB and the rest: "no such record", so the browser asks for A/AAAA and gets ours.
  return localResponse(q, RCODE.NOERROR, true);
}

/** `::ffff:10.0.0.1` (an IPv4 client on a dual-stack socket) → `10.0.0.1`. */
const plainAddress = (address: string): string => (address.startsWith('::ffff:') && !isIPv6(address.slice(7)) ? address.slice(7) : address);

/** Binds UDP, then TCP on the same port; with port 0, retries until both get one. */
async function bindBoth(host: string, port: number): Promise<{ udp: UdpSocket; tcp: TcpServer; port: number }> {
  const family = isIPv6(host) ? 'udp6' : 'udp4';
  for (let attempt = 0; ; attempt++) {
    const udp = createSocket({ type: family, reuseAddr: false });
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(port, host, () => {
        udp.off('error', reject);
        resolve();
      });
    });
    const bound = udp.address().port;
    try {
      // A bigger receive buffer absorbs bursts while the event loop is busy.
      udp.setRecvBufferSize(4 * 1024 * 1024);
    } catch {
      // The OS caps it (net.core.rmem_max); the default still works.
    }
    const tcp = createTcpServer({ allowHalfOpen: true });
    tcp.maxConnections = TCP_MAX_CONNECTIONS;
    try {
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen(bound, host, () => {
          tcp.off('error', reject);
          resolve();
        });
      });
      return { udp, tcp, port: bound };
    } catch (err) {
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      if (port !== 0 || attempt >= 20) throw err;
    }
  }
}

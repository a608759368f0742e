import { randomFillSync } from 'node:crypto';
import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { isIP, type Socket as TcpSocket } from 'node:net';
import { AppError } from '../errors/errors.js';
import { queryOverTcp } from './upstream-tcp.js';
import { hasQuestion, isTruncated, RCODE, rcodeOf, upstreamQuery } from './wire.js';

/*
 * Forwarding to the configured resolvers. Queries go over UDP with a random id, first to the
 * first upstream; on a timeout, SERVFAIL or REFUSED the next one is tried, and an answer with
 * TC set is asked again over TCP. Timeouts are found by one sweep over the in-flight queries,
 * not by a timer per query: the map keeps send order and every query has the same timeout.
 */

export interface Upstream {
  address: string;
  port: number;
  family: 4 | 6;
}

/**
 * Reads `addr`, `addr:port`, `[v6]` or `[v6]:port`; a bare IPv6 address has no port.
 *
 * @example
 *   parseUpstream('9.9.9.9:5353') // { address: '9.9.9.9', port: 5353, family: 4 }
 */
export function parseUpstream(text: string): Upstream {
  const bad = () => new AppError('validation_failed', `DNS upstream "${text}" is not an IP address or address:port`);
  let address = text.trim();
  let port = 53;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(address);
  if (bracketed) {
    address = bracketed[1]!;
    if (bracketed[2] !== undefined) port = Number(bracketed[2]);
  } else if (address.split(':').length === 2) {
    const [host, p] = address.split(':') as [string, string];
    if (!/^\d+$/.test(p)) throw bad();
    address = host;
    port = Number(p);
  }
  const family = isIP(address);
  if (family === 0 || !Number.isInteger(port) || port < 1 || port > 65535) throw bad();
  // The address an answer comes from is compared with this one, so write it as the OS does.
  if (family === 6) address = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  return { address, port, family: family as 4 | 6 };
}

interface InFlight {
  id: number;
  /** Which of the family's sockets it went out on: the answer must come back on the same. */
  socket: number;
  question: Buffer;
  upstream: number;
  deadline: number;
  done: (answer: Buffer | null) => void;
}

/**
 * Sockets per address family, each on its own random port, one picked at random per query: a
 * forged answer must guess the port as well as the 16-bit id (RFC 5452).
 */
const SOCKETS_PER_FAMILY = 8;

/** At most this many queries wait for upstreams at once; more are answered SERVFAIL. */
const MAX_IN_FLIGHT = 20_000;

export interface ForwarderOptions {
  timeoutMs: number;
  onUpstreamError: (upstream: Upstream, reason: string) => void;
}

export class Forwarder {
  private readonly inFlight = new Map<number, InFlight>();
  private readonly sockets = new Map<4 | 6, UdpSocket[]>();
  private readonly tcp = new Set<TcpSocket>();
  private sweeper: NodeJS.Timeout | undefined;
  private readonly randomIds = new Uint16Array(4096);
  private nextRandom = this.randomIds.length;
  private closed = false;

  constructor(
    private readonly upstreams: Upstream[],
    private readonly options: ForwarderOptions,
  ) {
    if (upstreams.length === 0) throw new AppError('validation_failed', 'The DNS filter needs at least one upstream resolver');
  }

  async open(): Promise<void> {
    for (const family of new Set(this.upstreams.map((u) => u.family))) {
      const sockets: UdpSocket[] = [];
      for (let i = 0; i < SOCKETS_PER_FAMILY; i++) {
        const socket = createSocket(family === 4 ? 'udp4' : 'udp6');
        socket.on('message', (msg, rinfo) => this.onMessage(msg, rinfo, i));
        socket.on('error', (err) => this.options.onUpstreamError(this.upstreams[0]!, err.message));
        await new Promise<void>((resolve, reject) => {
          socket.once('error', reject);
          socket.bind(0, () => {
            socket.off('error', reject);
            resolve();
          });
        });
        sockets.push(socket);
      }
      this.sockets.set(family, sockets);
    }
    const every = Math.max(10, Math.min(250, Math.floor(this.options.timeoutMs / 4)));
    this.sweeper = setInterval(() => this.sweep(), every);
    this.sweeper.unref();
  }

  /** Sends `question` (lower case) upstream; `done` gets the answer, or null when all failed. */
  resolve(question: Buffer, done: (answer: Buffer | null) => void): void {
    if (this.inFlight.size >= MAX_IN_FLIGHT) {
      done(null);
      return;
    }
    this.send({ id: 0, socket: 0, question, upstream: 0, deadline: 0, done });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    for (const s of this.tcp) s.destroy();
    this.tcp.clear();
    this.inFlight.clear();
    await Promise.all([...this.sockets.values()].flat().map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    this.sockets.clear();
  }

  private send(q: InFlight): void {
    q.id = this.nextRandom16();
    while (this.inFlight.has(q.id)) q.id = this.nextRandom16();
    q.socket = this.nextRandom16() % SOCKETS_PER_FAMILY;
    q.deadline = Date.now() + this.options.timeoutMs;
    this.inFlight.set(q.id, q);
    const upstream = this.upstreams[q.upstream]!;
    this.sockets.get(upstream.family)![q.socket]!.send(upstreamQuery(q.id, q.question), upstream.port, upstream.address);
  }

  private nextRandom16(): number {
    if (this.nextRandom >= this.randomIds.length) {
      randomFillSync(this.randomIds);
      this.nextRandom = 0;
    }
    return this.randomIds[this.nextRandom++]!;
  }

  private onMessage(msg: Buffer, rinfo: RemoteInfo, socket: number): void {
    if (msg.length < 12) return;
    const q = this.inFlight.get(msg.readUInt16BE(0));
    if (!q) return;
    const upstream = this.upstreams[q.upstream]!;
    // Only the server we asked, answering the question we asked, may answer: anything else
    // is late, stray or spoofed and is dropped.
    if (socket !== q.socket || rinfo.address !== upstream.address || rinfo.port !== upstream.port || !hasQuestion(msg, q.question)) return;
    this.inFlight.delete(q.id);
    if (isTruncated(msg)) {
      const tcp = queryOverTcp(upstream, upstreamQuery(q.id, q.question), this.options.timeoutMs, (answer) => {
        this.tcp.delete(tcp);
        this.settle(q, answer && hasQuestion(answer, q.question) ? answer : null, 'no answer over TCP');
      });
      this.tcp.add(tcp);
      return;
    }
    this.settle(q, msg, 'answered');
  }

  private settle(q: InFlight, answer: Buffer | null, failure: string): void {
    // A TCP retry cut short by close(): nobody is waiting any more.
    if (this.closed) return;
    const rcode = answer ? rcodeOf(answer) : -1;
    if (answer && rcode !== RCODE.SERVFAIL && rcode !== RCODE.REFUSED) {
      q.done(answer);
      return;
    }
    this.next(q, answer ? `rcode ${rcode}` : failure);
  }

  private next(q: InFlight, reason: string): void {
    this.options.onUpstreamError(this.upstreams[q.upstream]!, reason);
    q.upstream++;
    if (q.upstream >= this.upstreams.length) q.done(null);
    else this.send(q);
  }

  private sweep(): void {
    const now = Date.now();
    for (const q of this.inFlight.values()) {
      if (q.deadline > now) break;
      this.inFlight.delete(q.id);
      this.next(q, 'timeout');
    }
  }
}

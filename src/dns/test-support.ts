import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, createServer, type Server } from 'node:net';
import dnsPacket from 'dns-packet';
import type { DecisionEvent, FilterGate } from '../filter/gate.js';
import type { FilterDecision, FilterRequest } from '../filter/model.js';

/*
 * Real-socket helpers for the DNS tests: a small upstream resolver that counts what it is
 * asked, a client that speaks UDP and TCP, and a gate that blocks a fixed set of names.
 */

export const UPSTREAM_A = '192.0.2.10';
export const UPSTREAM_AAAA = '2001:db8::10';

export interface FakeUpstream {
  port: number;
  /** Questions seen, as `name type transport`, in order. */
  seen: string[];
  /** Questions seen for `name` (of `type`, over `transport`, when given). */
  count(name: string, type?: string, transport?: 'udp' | 'tcp'): number;
  /** Stops answering UDP (TCP still answers) until called again with false. */
  silent(on: boolean): void;
  close(): Promise<void>;
}

/**
 * An upstream on 127.0.0.1 (UDP and TCP on one ephemeral port). Every name resolves to
 * UPSTREAM_A / UPSTREAM_AAAA with TTL 300, except: `ttl5.*` has TTL 5; `nx.*` is NXDOMAIN
 * with an SOA whose minimum is 30 (TTL 600); `big.*` has 120 A records, too many for UDP, so
 * over UDP it answers truncated; `fail.*` is SERVFAIL.
 */
export async function startFakeUpstream(): Promise<FakeUpstream> {
  const seen: string[] = [];
  let isSilent = false;
  const answer = (query: dnsPacket.DecodedPacket, transport: 'udp' | 'tcp'): Buffer => {
    const q = query.questions![0]!;
    const name = q.name.toLowerCase();
    const base = {
      type: 'response' as const,
      id: query.id,
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE,
      questions: [q],
    };
    if (name.startsWith('nx.')) {
      return dnsPacket.encode({
        ...base,
        flags: base.flags | 3,
        authorities: [
          {
            type: 'SOA',
            name: 'test',
            ttl: 600,
            data: { mname: 'ns.test', rname: 'admin.test', serial: 1, refresh: 1, retry: 1, expire: 1, minimum: 30 },
          },
        ],
      });
    }
    if (name.startsWith('fail.')) return dnsPacket.encode({ ...base, flags: base.flags | 2 });
    const ttl = name.startsWith('ttl5.') ? 5 : 300;
    const records: dnsPacket.Answer[] = [];
    if (q.type === 'A') {
      const n = name.startsWith('big.') ? 120 : 1;
      for (let i = 0; i < n; i++) records.push({ type: 'A', name: q.name, ttl, data: n === 1 ? UPSTREAM_A : `10.0.${i >> 8}.${i & 255}` });
    } else if (q.type === 'AAAA') records.push({ type: 'AAAA', name: q.name, ttl, data: UPSTREAM_AAAA });
    const full = dnsPacket.encode({ ...base, answers: records });
    if (transport === 'udp' && full.length > 1232) {
      return dnsPacket.encode({ ...base, flags: base.flags | dnsPacket.TRUNCATED_RESPONSE });
    }
    return full;
  };

  const udp = createSocket('udp4');
  udp.on('message', (msg, rinfo) => {
    const query = dnsPacket.decode(msg);
    const q = query.questions![0]!;
    seen.push(`${q.name.toLowerCase()} ${q.type} udp`);
    if (!isSilent) udp.send(answer(query, 'udp'), rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', () => resolve()));
  const port = udp.address().port;
  const tcp: Server = createServer((socket) => {
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        const msg = buffered.subarray(2, 2 + buffered.readUInt16BE(0));
        buffered = buffered.subarray(2 + msg.length);
        const query = dnsPacket.decode(msg);
        const q = query.questions![0]!;
        seen.push(`${q.name.toLowerCase()} ${q.type} tcp`);
        const out = answer(query, 'tcp');
        const len = Buffer.alloc(2);
        len.writeUInt16BE(out.length);
        socket.write(Buffer.concat([len, out]));
      }
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => tcp.listen(port, '127.0.0.1', () => resolve()));
  return {
    port,
    seen,
    count: (name, type, transport) =>
      seen.filter((s) => {
        const [n, t, via] = s.split(' ');
        return n === name && (type === undefined || t === type) && (transport === undefined || via === transport);
      }).length,
    silent: (on) => {
      isSilent = on;
    },
    close: async () => {
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    },
  };
}

/** A gate that blocks the listed names and their subdomains, and keeps what it recorded. */
export function fixedGate(blocked: string[]): FilterGate & { events: DecisionEvent[]; requests: FilterRequest[] } {
  const events: DecisionEvent[] = [];
  const requests: FilterRequest[] = [];
  return {
    events,
    requests,
    decide(request: FilterRequest): FilterDecision {
      requests.push(request);
      const host = request.target;
      const hit = blocked.some((b) => host === b || host.endsWith(`.${b}`));
      return {
        action: hit ? 'block' : 'allow',
        schoolId: 'school-1',
        category: hit ? 'gambling' : null,
        rule: hit ? 'matrix' : 'profile_default',
        detail: hit ? 'test block list' : 'not listed',
        policyVersion: 1,
        personId: null,
        profileId: 'profile-1',
        deviceId: null,
        host,
        url: null,
        alert: false,
      };
    },
    record(event: DecisionEvent) {
      events.push(event);
    },
  };
}

/** The response code of a decoded answer ('NOERROR', 'NXDOMAIN', …). */
export const rcodeOf = (p: dnsPacket.DecodedPacket): string | undefined => (p as { rcode?: string }).rcode;

/** A UDP client on one socket: send raw bytes, then read answers in order. */
export class UdpClient {
  private readonly socket: UdpSocket = createSocket('udp4');
  private readonly inbox: Buffer[] = [];
  private waiter: (() => void) | null = null;

  constructor(private readonly port: number) {
    this.socket.on('message', (msg) => {
      this.inbox.push(msg);
      this.waiter?.();
    });
  }

  send(msg: Buffer): void {
    this.socket.send(msg, this.port, '127.0.0.1');
  }

  /** The next message that arrives; rejects if none comes within `ms` (a hang, not a timing check). */
  async next(ms = 5000): Promise<Buffer> {
    const deadline = Date.now() + ms;
    while (this.inbox.length === 0) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no answer from the DNS server');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.waiter = null;
    }
    return this.inbox.shift()!;
  }

  /** Sends a query and returns the decoded answer with the same id (skipping others). */
  async ask(name: string, type: dnsPacket.RecordType | 'HTTPS' = 'A', id = nextId()): Promise<dnsPacket.DecodedPacket> {
    this.send(encodeQuery(name, type, id));
    for (;;) {
      const answer = dnsPacket.decode(await this.next());
      if (answer.id === id) return answer;
    }
  }

  close(): void {
    this.socket.close();
  }
}

let idCounter = 1;
export const nextId = () => {
  idCounter = (idCounter % 65000) + 1;
  return idCounter;
};

export function encodeQuery(name: string, type: dnsPacket.RecordType | 'HTTPS' = 'A', id = nextId()): Buffer {
  return dnsPacket.encode({
    type: 'query',
    id,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ name, type: type as dnsPacket.RecordType, class: 'IN' }],
  });
}

/** Frames messages for TCP: a 2-byte length before each. */
export const frame = (...msgs: Buffer[]): Buffer =>
  Buffer.concat(
    msgs.flatMap((m) => {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(m.length);
      return [len, m];
    }),
  );

/**
 * Opens a TCP connection, writes each chunk in turn (a tick apart, so they arrive as separate
 * reads), and collects decoded answers until `expect` of them arrived or the server closed.
 * With `halfClose` the client then shuts its sending side, as some resolvers do.
 */
export async function tcpExchange(
  port: number,
  chunks: Buffer[],
  expect: number,
  options: { halfClose?: boolean } = {},
): Promise<{ answers: dnsPacket.DecodedPacket[]; closedByServer: boolean }> {
  const socket = connect(port, '127.0.0.1');
  const answers: dnsPacket.DecodedPacket[] = [];
  let buffered = Buffer.alloc(0);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`TCP: ${answers.length} of ${expect} answers`));
    }, 5000);
    const done = (closedByServer: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ answers, closedByServer });
    };
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        answers.push(dnsPacket.decode(buffered.subarray(2, 2 + buffered.readUInt16BE(0))));
        buffered = buffered.subarray(2 + buffered.readUInt16BE(0));
      }
      if (expect > 0 && answers.length >= expect) done(false);
    });
    socket.on('close', () => done(true));
    socket.on('error', () => done(true));
    socket.on('connect', async () => {
      for (const c of chunks) {
        socket.write(c);
        await new Promise((r) => setTimeout(r, 20));
      }
      if (options.halfClose) socket.end();
    });
  });
}

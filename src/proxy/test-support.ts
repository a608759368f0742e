import { once } from 'node:events';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, connect, createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import type { CategoryId } from '../filter/categories.js';
import type { DecisionEvent, FilterGate } from '../filter/gate.js';
import type { FilterDecision, FilterRequest } from '../filter/model.js';

/*
 * Real parts for the proxy tests: an origin web server, a TCP echo server, a raw socket
 * client, and a small filter that blocks a fixed set of hosts on label boundaries.
 */

/** A filter that blocks (or warns on) listed hosts and their subdomains, and keeps every recorded event. */
export class ListGate implements FilterGate {
  readonly events: DecisionEvent[] = [];
  readonly requests: FilterRequest[] = [];

  constructor(
    private readonly blocked: ReadonlyMap<string, CategoryId>,
    private readonly warned: ReadonlySet<string> = new Set(),
  ) {}

  decide(request: FilterRequest): FilterDecision {
    this.requests.push(request);
    const host = /^[a-z]+:\/\//i.test(request.target) ? new URL(request.target).hostname : request.target;
    if (host === 'filter-bug.example') throw new Error('a bug in the filter');
    const base = {
      schoolId: 'school-1',
      policyVersion: 7,
      personId: request.personId ?? null,
      profileId: 'profile-ks3',
      deviceId: null,
      host,
      url: null,
      alert: false,
    };
    for (let h = host; h; h = h.includes('.') ? h.slice(h.indexOf('.') + 1) : '') {
      const category = this.blocked.get(h);
      if (category) return { ...base, action: 'block', category, rule: 'matrix', detail: `${category} is unacceptable for KS3` };
      if (this.warned.has(h)) return { ...base, action: 'warn', category: 'games', rule: 'matrix', detail: 'games: warn first' };
    }
    return { ...base, action: 'allow', category: null, rule: 'profile_default', detail: 'in no category' };
  }

  record(event: DecisionEvent): void {
    this.events.push(event);
  }
}

export interface Origin {
  port: number;
  /** Requests the origin has seen, with their bodies. */
  seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[];
  /** Resolves when the next response to /slow or /hang closes (finished or cut off). */
  nextAbort(): Promise<void>;
  close(): Promise<void>;
}

/**
 * /echo answers with what it received; /cookies sends repeated and hop-by-hop headers;
 * /slow drips a chunk every 20 ms until the connection goes; /hang never answers.
 */
export async function startOrigin(): Promise<Origin> {
  const seen: Origin['seen'] = [];
  let waiters: (() => void)[] = [];
  const aborted = () => {
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };
  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0];
    if (path === '/slow') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => res.write('tick\n'), 20);
      res.on('close', () => {
        clearInterval(timer);
        aborted();
      });
      return;
    }
    if (path === '/hang') {
      res.on('close', aborted);
      return;
    }
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of req) chunks.push(chunk as Buffer);
    } catch {
      aborted();
      return;
    }
    const body = Buffer.concat(chunks).toString('utf8');
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    if (path === '/cookies') {
      res.writeHead(201, 'Made', [
        'Set-Cookie',
        'a=1',
        'Set-Cookie',
        'b=2',
        'Connection',
        'X-Hop',
        'X-Hop',
        'secret',
        'Keep-Alive',
        'timeout=5',
        'Content-Type',
        'text/plain',
      ]);
      res.end('cookies');
      return;
    }
    const json = Buffer.from(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body }));
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(json.length) });
    res.end(json);
  });
  server.on('connection', (s) => s.on('close', () => undefined));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    nextAbort: () => new Promise<void>((resolve) => waiters.push(resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A TCP server that sends back whatever it receives: the far end of a CONNECT tunnel. */
export async function startEcho(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<import('node:net').Socket>();
  const server: TcpServer = createTcpServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
    s.pipe(s);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface ProxiedResponse {
  status: number;
  headers: IncomingMessage['headers'];
  rawHeaders: string[];
  body: string;
}

/** Sends one request through the proxy, as a browser configured to use it would (absolute-form target). */
export function viaProxy(
  proxyPort: number,
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer[] } = {},
): Promise<ProxiedResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: proxyPort, method: options.method ?? 'GET', path: url, headers: options.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            rawHeaders: res.rawHeaders,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (Array.isArray(options.body)) {
      // Written in pieces, so the proxy must stream the body rather than get it whole.
      const pieces = [...options.body];
      const next = () => {
        const piece = pieces.shift();
        if (piece === undefined) req.end();
        else req.write(piece, () => setImmediate(next));
      };
      next();
    } else req.end(options.body);
  });
}

export const basic = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

/** Writes raw bytes to the proxy and collects everything it sends until it closes the connection. */
export function rawExchange(port: number, bytes: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.write(bytes);
  });
}

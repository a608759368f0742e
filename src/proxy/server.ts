import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { type Admission, admit, PROXY_AUTHENTICATE } from './admit.js';
import { createContext, type ProxyContext } from './context.js';
import { forward } from './forward.js';
import { pacFile } from './pac.js';
import { decisionPage, problemPage } from './pages.js';
import { sendHtml, sendPage, writeRaw } from './respond.js';
import { openTunnel } from './tunnel.js';
import { type AbsoluteTarget, clientAddressOf, parseAbsoluteTarget, parseAuthority } from './target.js';
import type { ProxyOptions, ProxyServer } from './types.js';

/** Request heads larger than this are refused (431): no browser sends one, an attack might. */
const MAX_HEADER_BYTES = 16 * 1024;

const AUTH_TITLE = 'Sign in to use the web';
const AUTH_TEXT = "Your school's web filter needs your school username and password before it lets this request through.";

/**
 * Starts the filtering HTTP forward proxy: plain HTTP requests are decided on the full URL
 * and forwarded or answered with a block page; CONNECT tunnels are decided on the host;
 * `/proxy.pac` and `/wpad.dat` configure browsers to use it.
 *
 * @example
 *   const proxy = await startProxyServer({ host: '0.0.0.0', port: 3128, gate, authenticate,
 *     requireAuth: true, blockPageUrl: (d, url) => `https://filter.school.example/blocked?u=${encodeURIComponent(url)}`,
 *     pacProxyHost: 'proxy.school.example' });
 */
export async function startProxyServer(options: ProxyOptions): Promise<ProxyServer> {
  const ctx = createContext(options);
  const { headersMs, idleMs } = ctx.timeouts;
  const server = createServer({
    maxHeaderSize: MAX_HEADER_BYTES,
    headersTimeout: headersMs,
    // Uploads may take long; a stalled one is caught by the idle timeouts instead.
    requestTimeout: 0,
    // The head timeout is only checked this often, so it must be a fraction of the timeout.
    connectionsCheckingInterval: Math.max(50, Math.min(5_000, Math.floor(headersMs / 2))),
  });
  // A backstop for connections where nothing at all happens; twice the origin's idle time so
  // that a client quietly waiting for a slow origin gets the proxy's 504 page, not a cut.
  server.setTimeout(idleMs * 2);

  let pacPort = options.port;
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const unavailable = (err: unknown) => failed(ctx, err, () => sendPage(res, 503, ...UNAVAILABLE));
    try {
      onRequest(ctx, req, res, options.pacProxyHost, pacPort)?.catch(unavailable);
    } catch (err) {
      unavailable(err);
    }
  });
  // CONNECT sockets leave the HTTP server's bookkeeping, so closeAllConnections misses them.
  const tunnels = new Set<Duplex>();
  server.on('connect', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    tunnels.add(socket);
    socket.on('close', () => tunnels.delete(socket));
    socket.on('error', () => socket.destroy());
    onConnect(ctx, req, socket, head).catch((err: unknown) => failed(ctx, err, () => writeRaw(socket, 503, problemPage(...UNAVAILABLE))));
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    ctx.log.warn({ code: err.code, status }, 'proxy: bad request from client');
    writeRaw(socket, status, problemPage('Bad request', 'The web filter could not understand this request.'));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  pacPort = (server.address() as AddressInfo).port;
  server.on('error', (err) => ctx.log.error({ err }, 'proxy: server error'));

  return {
    port: pacPort,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of tunnels) socket.destroy();
        ctx.agent.destroy();
      }),
  };
}

const UNAVAILABLE = ['Filter not available', 'The web filter could not check this request just now. Try again in a moment.'] as const;

function failed(ctx: ProxyContext, err: unknown, answer: () => void): void {
  // Fails closed: when the filter cannot decide, nothing gets through.
  ctx.log.error({ err }, 'proxy: request failed');
  answer();
}

function onRequest(ctx: ProxyContext, req: IncomingMessage, res: ServerResponse, pacHost: string, pacPort: number): void | Promise<void> {
  const raw = req.url ?? '';
  if (raw.startsWith('/')) {
    serveOwn(req, res, pacHost, pacPort);
    return;
  }
  const target = parseAbsoluteTarget(raw);
  if (!target) {
    sendPage(res, 400, 'Not a web address', 'This proxy fetches http:// addresses; secure (https://) sites are reached with CONNECT.');
    return;
  }
  const url = target.url.href;
  const admission = admit(ctx, req.headers['proxy-authorization'], clientAddressOf(req.socket.remoteAddress), url, url);
  // Most requests need no password check: answer them without a trip through the promise queue.
  if (admission instanceof Promise) return admission.then((a) => answerRequest(ctx, req, res, target, url, a));
  answerRequest(ctx, req, res, target, url, admission);
}

function answerRequest(
  ctx: ProxyContext,
  req: IncomingMessage,
  res: ServerResponse,
  target: AbsoluteTarget,
  url: string,
  admission: Admission,
): void {
  if (admission.kind === 'challenge') {
    sendPage(res, 407, AUTH_TITLE, AUTH_TEXT, { 'proxy-authenticate': PROXY_AUTHENTICATE });
    return;
  }
  const { decision } = admission;
  if (decision.action === 'allow') {
    forward(ctx, req, res, target);
    return;
  }
  sendHtml(res, 403, decisionPage(decision, target.host, ctx.blockPageUrl(decision, url)));
}

async function onConnect(ctx: ProxyContext, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
  const authority = parseAuthority(req.url ?? '');
  if (!authority) {
    writeRaw(socket, 400, problemPage('Bad request', 'A CONNECT request must name a host and port.'));
    return;
  }
  if (!ctx.allowedConnectPorts.has(authority.port)) {
    writeRaw(socket, 403, problemPage('Port not allowed', `The web filter does not open connections to port ${authority.port}.`));
    return;
  }
  const address = clientAddressOf((socket as Socket).remoteAddress);
  const admission = await admit(ctx, req.headers['proxy-authorization'], address, authority.host, null);
  if (admission.kind === 'challenge') {
    writeRaw(socket, 407, problemPage(AUTH_TITLE, AUTH_TEXT), { 'proxy-authenticate': PROXY_AUTHENTICATE });
    return;
  }
  const { decision } = admission;
  if (decision.action !== 'allow') {
    // Browsers show their own error for a refused CONNECT, not this page; the DNS filter's
    // block page is what people see for HTTPS sites.
    const link = ctx.blockPageUrl(decision, `https://${authority.host}/`);
    writeRaw(socket, 403, decisionPage(decision, authority.host, link));
    return;
  }
  openTunnel(ctx, socket, head, authority.host, authority.port);
}

function serveOwn(req: IncomingMessage, res: ServerResponse, pacHost: string, pacPort: number): void {
  const path = (req.url ?? '').split('?')[0];
  if ((path === '/proxy.pac' || path === '/wpad.dat') && (req.method === 'GET' || req.method === 'HEAD')) {
    const body = Buffer.from(pacFile(pacHost, pacPort));
    res.writeHead(200, {
      'content-type': 'application/x-ns-proxy-autoconfig',
      'content-length': String(body.length),
      'cache-control': 'max-age=300',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
    return;
  }
  sendPage(
    res,
    400,
    'This is a web proxy',
    "This address is your school's web filter, a proxy. Set your browser to use it (or to use /proxy.pac for automatic set-up) rather than opening it as a site.",
  );
}

import { type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ProxyContext } from './context.js';
import { endToEndHeaders } from './headers.js';
import { sendPage } from './respond.js';
import { type AbsoluteTarget, connectHostFor } from './target.js';
import { describeUpstreamError, timeoutError } from './upstream-errors.js';

/**
 * Passes an allowed plain-HTTP request to its origin and the answer back, streaming both
 * bodies. Safe search works by connecting to the engine's safe host while the Host header
 * still names the one asked for, as the engines document. If the client goes away, the
 * origin request is aborted so nothing is left open.
 */
export function forward(ctx: ProxyContext, req: IncomingMessage, res: ServerResponse, target: AbsoluteTarget): void {
  const upstream = request({
    host: connectHostFor(target.host),
    port: target.port,
    method: req.method,
    path: target.url.pathname + target.url.search,
    headers: withHost(endToEndHeaders(req.rawHeaders, ctx.via), target.url.host),
    agent: ctx.agent,
  });

  // The connect timer only runs for a new connection; a kept-alive one is already open.
  let connectTimer: NodeJS.Timeout | undefined;
  upstream.on('socket', (socket: Socket) => {
    if (!socket.connecting) return;
    connectTimer = setTimeout(() => upstream.destroy(timeoutError('connecting to the origin')), ctx.timeouts.upstreamConnectMs);
    socket.once('connect', () => clearTimeout(connectTimer));
  });
  upstream.setTimeout(ctx.timeouts.idleMs, () => upstream.destroy(timeoutError('waiting for the origin')));

  upstream.on('response', (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEndHeaders(answer.rawHeaders, ctx.via));
    answer.pipe(res);
    // The origin went away mid-answer: cut the client off too, so it does not take a part for the whole.
    answer.on('close', () => {
      if (!answer.complete) res.destroy();
    });
  });
  upstream.on('error', (err: NodeJS.ErrnoException) => {
    clearTimeout(connectTimer);
    if (res.headersSent || res.destroyed) {
      res.destroy();
      return;
    }
    const problem = describeUpstreamError(err, target.host);
    ctx.log.warn({ host: target.host, code: err.code }, 'proxy: origin failed');
    // A request whose body never finished leaves the connection in an unknown state: close it.
    sendPage(res, problem.status, problem.title, problem.text, req.complete ? {} : { connection: 'close' });
  });
  res.on('close', () => {
    clearTimeout(connectTimer);
    if (!res.writableFinished) upstream.destroy();
  });
  if (hasBody(req)) req.pipe(upstream);
  else upstream.end();
}

/** Whether a request carries a body (RFC 9112 §6.3): without either header it has none. */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** The headers with Host set to the request target's authority, which a proxy must use (RFC 9112 §3.2.2). */
function withHost(headers: string[], host: string): string[] {
  const out: string[] = ['Host', host];
  for (let i = 0; i < headers.length; i += 2) {
    if (headers[i]!.toLowerCase() !== 'host') out.push(headers[i]!, headers[i + 1]!);
  }
  return out;
}

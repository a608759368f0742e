import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ProxyContext } from './context.js';
import { problemPage } from './pages.js';
import { writeRaw } from './respond.js';
import { connectHostFor } from './target.js';
import { describeUpstreamError, timeoutError } from './upstream-errors.js';

/**
 * Opens an allowed CONNECT tunnel and copies bytes both ways until either side closes. The
 * proxy sees only the host, not what passes inside (no TLS interception). `head` holds any
 * bytes the client sent after the CONNECT request, which belong to the tunnel.
 */
export function openTunnel(ctx: ProxyContext, client: Duplex, head: Buffer, host: string, port: number): void {
  const upstream: Socket = connect({ host: connectHostFor(host), port });
  let established = false;
  const connectTimer = setTimeout(() => upstream.destroy(timeoutError('connecting to the origin')), ctx.timeouts.upstreamConnectMs);

  upstream.once('connect', () => {
    clearTimeout(connectTimer);
    if (client.destroyed) {
      upstream.destroy();
      return;
    }
    established = true;
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length > 0) upstream.write(head);
    // A tunnel with no traffic for the idle time is closed at both ends.
    const abandon = () => {
      upstream.destroy();
      client.destroy();
    };
    upstream.setTimeout(ctx.timeouts.idleMs, abandon);
    (client as Socket).setTimeout?.(ctx.timeouts.idleMs, abandon);
    upstream.pipe(client);
    client.pipe(upstream);
  });
  upstream.on('error', (err: NodeJS.ErrnoException) => {
    clearTimeout(connectTimer);
    if (established) {
      client.destroy();
      return;
    }
    const problem = describeUpstreamError(err, host);
    ctx.log.warn({ host, port, code: err.code }, 'proxy: tunnel origin failed');
    writeRaw(client, problem.status, problemPage(problem.title, problem.text));
  });
  // Closing ends the other side gently so bytes still in flight arrive; an error cuts it off.
  upstream.on('close', () => {
    if (established) client.end();
  });
  client.on('error', () => upstream.destroy());
  client.on('close', () => {
    clearTimeout(connectTimer);
    if (established) upstream.end();
    else upstream.destroy();
  });
}

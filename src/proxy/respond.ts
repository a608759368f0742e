import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { problemPage } from './pages.js';

const PAGE_HEADERS = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' };

/** Answers with one of the proxy's own HTML pages. */
export function sendHtml(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const body = Buffer.from(html);
  res.writeHead(status, { ...PAGE_HEADERS, 'content-length': String(body.length), ...headers });
  res.end(body);
}

export function sendPage(res: ServerResponse, status: number, title: string, text: string, headers?: Record<string, string>): void {
  sendHtml(res, status, problemPage(title, text), headers);
}

/**
 * Writes a whole HTTP response straight to a socket and closes it: the form of answer a
 * CONNECT request or a request Node could not parse gets, since neither has a ServerResponse.
 */
export function writeRaw(socket: Duplex, status: number, html: string, headers: Record<string, string> = {}): void {
  if (socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  const body = Buffer.from(html);
  const lines = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`];
  for (const [name, value] of Object.entries({ ...PAGE_HEADERS, 'content-length': String(body.length), connection: 'close', ...headers })) {
    lines.push(`${name}: ${value}`);
  }
  socket.end(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), body]));
}

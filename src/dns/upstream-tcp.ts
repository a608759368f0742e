import { connect, type Socket } from 'node:net';
import type { Upstream } from './upstream.js';

/**
 * One query over TCP (RFC 7766 framing: a 2-byte length before each message), for an answer
 * the upstream truncated over UDP. Calls `done` exactly once: the answer, or null on error,
 * close or timeout. Returns the socket so the caller can destroy it on shutdown.
 */
export function queryOverTcp(upstream: Upstream, query: Buffer, timeoutMs: number, done: (answer: Buffer | null) => void): Socket {
  let finished = false;
  let received = Buffer.alloc(0);
  const finish = (answer: Buffer | null) => {
    if (finished) return;
    finished = true;
    socket.destroy();
    done(answer);
  };
  const socket = connect({ host: upstream.address, port: upstream.port });
  socket.setTimeout(timeoutMs, () => finish(null));
  socket.on('connect', () => {
    const frame = Buffer.allocUnsafe(2 + query.length);
    frame.writeUInt16BE(query.length, 0);
    query.copy(frame, 2);
    socket.write(frame);
  });
  socket.on('data', (chunk: Buffer) => {
    received = Buffer.concat([received, chunk]);
    if (received.length < 2) return;
    const len = received.readUInt16BE(0);
    if (received.length >= 2 + len) finish(received.subarray(2, 2 + len));
  });
  socket.on('error', () => finish(null));
  socket.on('close', () => finish(null));
  return socket;
}

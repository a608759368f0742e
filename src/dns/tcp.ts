import type { Socket } from 'node:net';

/** Queries one connection may have waiting for answers before we stop reading from it. */
const MAX_PENDING = 100;
/** Answers queued for a client that does not read them: past this the connection goes. */
const MAX_UNSENT_BYTES = 1 << 20;

/**
 * One DNS-over-TCP client (RFC 7766): messages framed by a 2-byte length, several per
 * connection and answered in any order, arriving in any split across reads. A frame too short
 * to hold a header, an idle connection or a client that closes mid-frame is closed; no other
 * connection notices.
 */
export class TcpConnection {
  private buffered: Buffer = Buffer.alloc(0);
  private pending = 0;
  private readEnded = false;
  /** Set once we decided to close: whatever the client still sends is not read. */
  private closing = false;

  constructor(
    readonly socket: Socket,
    private readonly onMessage: (msg: Buffer, conn: TcpConnection) => void,
    idleMs: number,
  ) {
    socket.setTimeout(idleMs, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => {
      this.readEnded = true;
      // A client that closes with half a message sent will never get an answer to it.
      if (this.buffered.length > 0) socket.destroy();
      else this.endIfDone();
    });
    socket.on('error', () => socket.destroy());
  }

  get address(): string {
    return this.socket.remoteAddress ?? '';
  }

  /** Sends one answer for a message handed to `onMessage`. */
  reply(msg: Buffer): void {
    this.pending--;
    if (this.socket.destroyed || this.socket.writableEnded) return;
    if (this.socket.writableLength > MAX_UNSENT_BYTES) {
      this.socket.destroy();
      return;
    }
    const frame = Buffer.allocUnsafe(2 + msg.length);
    frame.writeUInt16BE(msg.length, 0);
    msg.copy(frame, 2);
    this.socket.write(frame);
    if (this.socket.isPaused() && this.pending < MAX_PENDING / 2) this.socket.resume();
    this.endIfDone();
  }

  /** Sends a last answer (or none) and closes: for garbage, after which framing is unsure. */
  replyAndClose(msg: Buffer | null): void {
    if (msg) this.reply(msg);
    else this.pending--;
    this.closing = true;
    this.socket.end();
    this.buffered = Buffer.alloc(0);
  }

  private onData(chunk: Buffer): void {
    if (this.closing) return;
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    while (this.buffered.length >= 2 && !this.socket.destroyed) {
      const len = this.buffered.readUInt16BE(0);
      if (len < 12) {
        this.socket.destroy();
        return;
      }
      if (this.buffered.length < 2 + len) break;
      const msg = this.buffered.subarray(2, 2 + len);
      this.buffered = this.buffered.subarray(2 + len);
      this.pending++;
      this.onMessage(msg, this);
    }
    if (this.pending >= MAX_PENDING) this.socket.pause();
  }

  private endIfDone(): void {
    if (this.readEnded && this.pending === 0 && this.buffered.length === 0 && !this.socket.destroyed) this.socket.end();
  }
}

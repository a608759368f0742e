import { answerShape, type Query, RCODE, truncatedResponse } from './wire.js';

/*
 * The forwarding cache: an upstream answer kept as the bytes it arrived in, served by copying
 * them, patching the id and question and counting the TTLs down. Bounded (least recently
 * used goes first) and never serves an answer past the TTL it came with.
 */

/** Longest we keep any answer, whatever the upstream says. */
const MAX_TTL_S = 86_400;
/** Longest we keep a "no such name" or "no such record" answer (RFC 2308 §5 suggests 1–3 h). */
export const MAX_NEGATIVE_TTL_S = 900;

/** An upstream answer ready to serve, from the cache or straight from the upstream. */
export interface Answer {
  wire: Buffer;
  ttlOffsets: Uint16Array;
  optStart: number;
  questionLength: number;
  storedAt: number;
  /** ms clock time after which it must not be served; equal to storedAt: do not cache. */
  expiresAt: number;
}

/**
 * Reads an upstream answer into an `Answer`, or null when it is malformed. Positive answers
 * live for their smallest TTL, negative ones for the SOA's (capped), anything else not at all.
 */
export function toAnswer(wire: Buffer, now: number): Answer | null {
  const shape = answerShape(wire);
  if (!shape) return null;
  let ttl = 0;
  const negative = shape.rcode === RCODE.NXDOMAIN || (shape.rcode === RCODE.NOERROR && shape.answerCount === 0);
  if (negative) ttl = Math.min(shape.soaTtl ?? 0, MAX_NEGATIVE_TTL_S);
  else if (shape.rcode === RCODE.NOERROR) ttl = Math.min(shape.minTtl ?? 0, MAX_TTL_S);
  // No record may claim to live longer than we keep it (a negative answer's SOA in particular:
  // its TTL is 600 while "no such name" holds for its minimum), so downstream caches agree.
  for (const offset of shape.ttlOffsets) if (wire.readUInt32BE(offset) > ttl) wire.writeUInt32BE(ttl, offset);
  return {
    wire,
    ttlOffsets: Uint16Array.from(shape.ttlOffsets),
    optStart: shape.optStart,
    questionLength: shape.questionLength,
    storedAt: now,
    expiresAt: now + ttl * 1000,
  };
}

/**
 * The bytes to send `q`'s client: the answer with the client's id, the question as the client
 * wrote it (case and all) and TTLs less the time spent in the cache. Over UDP an answer larger
 * than the client accepts becomes a truncated one, so the client retries over TCP.
 */
export function serveAnswer(a: Answer, q: Query, now: number, udp: boolean): Buffer {
  // A client that sent no OPT must not get one back (RFC 6891 §7).
  const strip = !q.edns && a.optStart >= 0;
  const len = strip ? a.optStart : a.wire.length;
  if (udp && len > q.udpLimit) return truncatedResponse(q);
  const out = Buffer.allocUnsafe(len);
  a.wire.copy(out, 0, 0, len);
  out.writeUInt16BE(q.id, 0);
  // Echo the client's RD bit; the rest of the upstream's flags stand.
  out[2] = (out[2]! & 0xfe) | ((q.flags >> 8) & 0x01);
  if (strip) out.writeUInt16BE(out.readUInt16BE(10) - 1, 10);
  if (q.question.length === a.questionLength) q.question.copy(out, 12);
  const elapsed = Math.floor((now - a.storedAt) / 1000);
  if (elapsed > 0) {
    for (const offset of a.ttlOffsets) {
      if (offset >= len) continue;
      const ttl = a.wire.readUInt32BE(offset);
      out.writeUInt32BE(ttl > elapsed ? ttl - elapsed : 0, offset);
    }
  }
  return out;
}

/**
 * Answers by key (name, type, class). A Map keeps insertion order and the oldest key goes
 * first. A hit moves its entry to the young end only once it has aged past half the cache:
 * close to least-recently-used, without a delete and insert on every hit.
 */
export class AnswerCache {
  private readonly entries = new Map<string, { answer: Answer; seq: number }>();
  private seq = 0;

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string, now: number): Answer | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (now >= e.answer.expiresAt) {
      this.entries.delete(key);
      return undefined;
    }
    if (this.seq - e.seq > this.capacity / 2) {
      this.entries.delete(key);
      e.seq = ++this.seq;
      this.entries.set(key, e);
    }
    return e.answer;
  }

  set(key: string, a: Answer): void {
    if (this.capacity <= 0 || a.expiresAt <= a.storedAt) return;
    this.entries.delete(key);
    this.entries.set(key, { answer: a, seq: ++this.seq });
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  clear(): void {
    this.entries.clear();
  }
}

export const cacheKey = (name: string, qtype: number, qclass: number): string => `${name}|${qtype}|${qclass}`;

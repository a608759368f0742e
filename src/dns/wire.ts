import { isIPv4, isIPv6 } from 'node:net';
import dnsPacket from 'dns-packet';

/*
 * The DNS wire format, as far as the filter needs it: read a query's one question, build the
 * few answers the filter makes itself, and find the TTL fields of an upstream answer so a
 * cached answer can be served by copying bytes instead of re-encoding. Pure functions.
 */

export const TYPE = { A: 1, CNAME: 5, SOA: 6, AAAA: 28, OPT: 41 } as const;
export const CLASS_IN = 1;
export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;

const QR = 0x8000;
const AA = 0x0400;
const TC = 0x0200;
const RD = 0x0100;
const RA = 0x0080;
const OPCODE_MASK = 0x7800;
const HEADER = 12;
/** Plain DNS over UDP without EDNS may not exceed this (RFC 1035 §4.2.1). */
const CLASSIC_UDP_LIMIT = 512;
/** The EDNS buffer size we advertise and honour at most: the 2020 DNS flag day value. */
export const EDNS_UDP_SIZE = 1232;
const MAX_NAME_WIRE = 255;

/** One query, read and checked. */
export interface Query {
  id: number;
  flags: number;
  /** Lower case, no trailing dot, '' for the root; odd bytes escaped as `\DDD`. */
  name: string;
  qtype: number;
  qclass: number;
  /** The question section as the client sent it (name, type, class), case preserved. */
  question: Buffer;
  /** Whether the client sent an EDNS OPT record (its answer then carries one too). */
  edns: boolean;
  /** The largest UDP answer the client accepts. */
  udpLimit: number;
}

export type ParsedQuery =
  | { ok: true; query: Query }
  /** `id` null: the header is unreadable, drop it. `rcode` null: not a query, ignore it. */
  | { ok: false; id: number | null; flags: number; rcode: number | null };

/**
 * Reads a query. Never throws: anything malformed comes back as the error code to answer
 * with (FORMERR, NOTIMP), or with a null id when even the header cannot be read.
 *
 * @example
 *   const parsed = parseQuery(message);
 *   if (parsed.ok) console.log(parsed.query.name, parsed.query.qtype);
 */
export function parseQuery(buf: Buffer): ParsedQuery {
  if (buf.length < HEADER) return { ok: false, id: null, flags: 0, rcode: null };
  const id = buf.readUInt16BE(0);
  const flags = buf.readUInt16BE(2);
  // A response sent to us is never answered: answering could loop two servers forever.
  if (flags & QR) return { ok: false, id, flags, rcode: null };
  if ((flags & OPCODE_MASK) !== 0) return { ok: false, id, flags, rcode: RCODE.NOTIMP };
  const fail = { ok: false, id, flags, rcode: RCODE.FORMERR } as const;
  if (buf.readUInt16BE(4) !== 1) return fail;
  const read = readQuestionName(buf, HEADER);
  if (!read || read.end + 4 > buf.length) return fail;
  const questionOnly = read.end + 4 === buf.length && buf.readUInt16BE(6) === 0 && buf.readUInt32BE(8) === 0;
  let additionals: dnsPacket.Answer[] = [];
  // A bare question (most stub resolvers send nothing else) is fully checked by the reading
  // above; anything more gets the full decode, which checks every section and rejects forward
  // and looping compression pointers.
  if (!questionOnly) {
    try {
      additionals = dnsPacket.decode(buf).additionals ?? [];
    } catch {
      return fail;
    }
  }
  let edns = false;
  let udpLimit = CLASSIC_UDP_LIMIT;
  for (const rr of additionals) {
    if (rr.type === 'OPT') {
      edns = true;
      const size = (rr as { udpPayloadSize?: number }).udpPayloadSize ?? CLASSIC_UDP_LIMIT;
      udpLimit = Math.min(Math.max(size, CLASSIC_UDP_LIMIT), EDNS_UDP_SIZE);
    }
  }
  return {
    ok: true,
    query: {
      id,
      flags,
      name: read.name,
      qtype: buf.readUInt16BE(read.end),
      qclass: buf.readUInt16BE(read.end + 2),
      question: buf.subarray(HEADER, read.end + 4),
      edns,
      udpLimit,
    },
  };
}

/**
 * The question's name in presentation form, lower-cased (ASCII only, as DNS compares names).
 * Compression is refused here: a query's first name has nothing earlier to point at.
 */
function readQuestionName(buf: Buffer, start: number): { name: string; end: number } | null {
  let offset = start;
  const codes: number[] = [];
  for (;;) {
    if (offset >= buf.length || offset - start >= MAX_NAME_WIRE) return null;
    const len = buf[offset]!;
    offset++;
    if (len === 0) break;
    if (len > 63 || offset + len > buf.length) return null;
    if (codes.length > 0) codes.push(0x2e);
    for (let i = offset; i < offset + len; i++) {
      const b = buf[i]!;
      if (b >= 0x41 && b <= 0x5a) codes.push(b + 32);
      else if (b > 0x20 && b < 0x7f && b !== 0x2e && b !== 0x5c) codes.push(b);
      else for (const c of `\\${String(b).padStart(3, '0')}`) codes.push(c.charCodeAt(0));
    }
    offset += len;
  }
  return { name: String.fromCharCode(...codes), end: offset };
}

function header(id: number, flags: number, counts: [number, number, number, number]): Buffer {
  const h = Buffer.allocUnsafe(HEADER);
  h.writeUInt16BE(id, 0);
  h.writeUInt16BE(flags, 2);
  h.writeUInt16BE(counts[0], 4);
  h.writeUInt16BE(counts[1], 6);
  h.writeUInt16BE(counts[2], 8);
  h.writeUInt16BE(counts[3], 10);
  return h;
}

/** An OPT pseudo-record advertising our UDP size, version 0, no options. */
const OPT_RECORD = Buffer.from([0, 0, TYPE.OPT, EDNS_UDP_SIZE >> 8, EDNS_UDP_SIZE & 0xff, 0, 0, 0, 0, 0, 0]);

const responseFlags = (queryFlags: number, rcode: number, authoritative: boolean) =>
  QR | (queryFlags & (OPCODE_MASK | RD)) | RA | (authoritative ? AA : 0) | rcode;

/** An error answer to a message whose question could not be read: the header alone. */
export function headerOnlyResponse(id: number, queryFlags: number, rcode: number): Buffer {
  return header(id, responseFlags(queryFlags, rcode, false), [0, 0, 0, 0]);
}

/** An answer we make ourselves: the client's question, then `records` (each a full RR). */
export function localResponse(q: Query, rcode: number, authoritative: boolean, records: Buffer[] = []): Buffer {
  const parts = [
    header(q.id, responseFlags(q.flags, rcode, authoritative), [1, records.length, 0, q.edns ? 1 : 0]),
    q.question,
    ...records,
  ];
  if (q.edns) parts.push(OPT_RECORD);
  return Buffer.concat(parts);
}

/** The header and question with TC set: "too big for UDP, ask again over TCP". */
export function truncatedResponse(q: Query): Buffer {
  const out = localResponse(q, RCODE.NOERROR, false);
  out.writeUInt16BE(out.readUInt16BE(2) | TC, 2);
  return out;
}

/** The 4 or 16 bytes of an address, checked. */
export function addressBytes(address: string, family: 4 | 6): Buffer {
  if (family === 4 ? !isIPv4(address) : !isIPv6(address)) throw new Error(`not an IPv${family} address: ${address}`);
  const encoded = dnsPacket.encode({
    type: 'response',
    answers: [{ type: family === 4 ? 'A' : 'AAAA', name: 'a', data: address }],
  });
  return Buffer.from(encoded.subarray(encoded.length - (family === 4 ? 4 : 16)));
}

/** An RR owned by the question's name (a pointer to offset 12), class IN. */
export function recordForQuestion(type: number, ttl: number, rdata: Buffer): Buffer {
  const rr = Buffer.allocUnsafe(12 + rdata.length);
  rr.writeUInt16BE(0xc00c, 0);
  rr.writeUInt16BE(type, 2);
  rr.writeUInt16BE(CLASS_IN, 4);
  rr.writeUInt32BE(ttl, 6);
  rr.writeUInt16BE(rdata.length, 10);
  rdata.copy(rr, 12);
  return rr;
}

/** A name in wire form, uncompressed (for names we write: plain ASCII host names). */
export function nameWire(name: string): Buffer {
  const labels = name.split('.').filter(Boolean);
  return Buffer.concat([...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'ascii')])), Buffer.from([0])]);
}

/** The query we send upstream: our id, recursion desired, the question, EDNS. */
export function upstreamQuery(id: number, question: Buffer): Buffer {
  return Buffer.concat([header(id, RD, [1, 0, 0, 1]), question, OPT_RECORD]);
}

/** A copy of a question section with the name in lower case (ASCII), for upstream and keys. */
export function lowerQuestion(question: Buffer): Buffer {
  const out = Buffer.from(question);
  for (let i = 0; i < out.length - 4; i++) {
    const b = out[i]!;
    if (b >= 0x41 && b <= 0x5a) out[i] = b + 32;
  }
  return out;
}

/** Whether `msg` carries `question` (compared without case) as its only question. */
export function hasQuestion(msg: Buffer, question: Buffer): boolean {
  if (msg.length < HEADER + question.length || msg.readUInt16BE(4) !== 1) return false;
  for (let i = 0; i < question.length; i++) {
    let b = msg[HEADER + i]!;
    if (b >= 0x41 && b <= 0x5a) b += 32;
    if (b !== question[i]) return false;
  }
  return true;
}

export const isTruncated = (msg: Buffer): boolean => (msg.readUInt16BE(2) & TC) !== 0;
export const rcodeOf = (msg: Buffer): number => msg.readUInt16BE(2) & 0xf;

/** What the cache needs to know of an upstream answer. */
export interface AnswerShape {
  rcode: number;
  answerCount: number;
  /** Offsets of every TTL field (OPT excluded), to count them down when served from cache. */
  ttlOffsets: number[];
  /** The smallest TTL of any record, or null when there are none. */
  minTtl: number | null;
  /** min(SOA TTL, SOA minimum) of an authority SOA, the negative-caching TTL (RFC 2308). */
  soaTtl: number | null;
  /** Where the OPT record starts when it is the last record, so it can be cut off; else -1. */
  optStart: number;
  questionLength: number;
}

/**
 * Walks an answer's records without decoding names: a name is labels ending in a zero byte or
 * a 2-byte pointer, and a pointer is never followed, so no input can make this loop. Returns
 * null when the message is malformed.
 */
export function answerShape(msg: Buffer): AnswerShape | null {
  if (msg.length < HEADER) return null;
  const qd = msg.readUInt16BE(4);
  const an = msg.readUInt16BE(6);
  const ns = msg.readUInt16BE(8);
  const ar = msg.readUInt16BE(10);
  let offset = HEADER;
  for (let i = 0; i < qd; i++) {
    offset = skipName(msg, offset);
    if (offset < 0 || offset + 4 > msg.length) return null;
    offset += 4;
  }
  const questionLength = offset - HEADER;
  const ttlOffsets: number[] = [];
  let minTtl: number | null = null;
  let soaTtl: number | null = null;
  let optStart = -1;
  const total = an + ns + ar;
  for (let i = 0; i < total; i++) {
    const start = offset;
    offset = skipName(msg, offset);
    if (offset < 0 || offset + 10 > msg.length) return null;
    const type = msg.readUInt16BE(offset);
    const ttl = msg.readUInt32BE(offset + 4);
    const rdlength = msg.readUInt16BE(offset + 8);
    const rdata = offset + 10;
    if (rdata + rdlength > msg.length) return null;
    if (type === TYPE.OPT) {
      optStart = i === total - 1 ? start : -1;
    } else {
      ttlOffsets.push(offset + 4);
      minTtl = minTtl === null ? ttl : Math.min(minTtl, ttl);
      if (type === TYPE.SOA && i >= an && i < an + ns && rdlength >= 20) {
        soaTtl = Math.min(ttl, msg.readUInt32BE(rdata + rdlength - 4));
      }
    }
    offset = rdata + rdlength;
  }
  return { rcode: rcodeOf(msg), answerCount: an, ttlOffsets, minTtl, soaTtl, optStart, questionLength };
}

function skipName(msg: Buffer, offset: number): number {
  for (let guard = 0; guard < 128; guard++) {
    if (offset >= msg.length) return -1;
    const len = msg[offset]!;
    if (len === 0) return offset + 1;
    if ((len & 0xc0) === 0xc0) return offset + 2 <= msg.length ? offset + 2 : -1;
    if (len > 63) return -1;
    offset += 1 + len;
  }
  return -1;
}

import dnsPacket from 'dns-packet';
import { type Answer, toAnswer } from './cache.js';
import { nameWire, type Query, rcodeOf, recordForQuestion, TYPE } from './wire.js';

/** TTL of the CNAME to a safe-search host when the target's answer gives none. */
const CNAME_TTL_S = 300;

/**
 * `name CNAME target` followed by the target's own address records, as one answer that can
 * be cached under `name`. The target's TTLs are counted down to `now`, and the CNAME lives no
 * longer than they do. Null when the target's answer cannot be read.
 */
export function composeSafeSearch(q: Query, target: string, targetAnswer: Answer, now: number): Answer | null {
  let decoded: dnsPacket.Packet;
  try {
    decoded = dnsPacket.decode(targetAnswer.wire);
  } catch {
    return null;
  }
  const elapsed = Math.floor((now - targetAnswer.storedAt) / 1000);
  const records = (decoded.answers ?? [])
    .filter((rr) => rr.type === 'A' || rr.type === 'AAAA' || rr.type === 'CNAME')
    .map((rr) => ({ ...rr, ttl: Math.max(0, ((rr as { ttl?: number }).ttl ?? 0) - elapsed) })) as dnsPacket.Answer[];
  const ttl = records.length > 0 ? Math.min(...records.map((r) => (r as { ttl: number }).ttl)) : CNAME_TTL_S;
  const flags = 0x0100 | 0x0080 | rcodeOf(targetAnswer.wire);
  const wire = dnsPacket.encode({
    type: 'response',
    id: 0,
    flags,
    questions: [{ name: q.name, type: q.qtype === TYPE.AAAA ? 'AAAA' : 'A', class: 'IN' }],
    answers: [{ name: q.name, type: 'CNAME', class: 'IN', ttl, data: target }, ...records],
  });
  return toAnswer(Buffer.from(wire), now);
}

/** For other record types of a safe-search host: the CNAME alone, so nothing bypasses it. */
export function safeSearchCname(target: string): Buffer {
  return recordForQuestion(TYPE.CNAME, CNAME_TTL_S, nameWire(target));
}

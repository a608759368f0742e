import { randomBytes } from 'node:crypto';

let lastMs = 0;
let sequence = 0;

/**
 * A UUIDv7 (RFC 9562) whose text order is creation order within this process, even within one
 * millisecond (a 12-bit counter in `rand_a`). The feed pages on (at, id), so ids that follow
 * time keep a poller from skipping events written in the same millisecond.
 *
 * @example
 *   newEventId(); // '019a5f3c-7e21-7000-8f3a-…'
 */
export function newEventId(now = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    sequence = 0;
  } else if (++sequence > 0xfff) {
    // Counter spent within one millisecond: borrow the next one rather than repeat an order.
    lastMs++;
    sequence = 0;
  }
  const bytes = randomBytes(16);
  bytes.writeUIntBE(lastMs, 0, 6);
  bytes[6] = 0x70 | (sequence >> 8);
  bytes[7] = sequence & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/*
 * 64-bit hashes of host names, computed right to left so one pass over `a.b.example.com` yields
 * the hash of every parent domain on a label boundary (`com`, `example.com`, `b.example.com`,
 * …) without building a substring. Everything that matches hosts (category lists, locked lists,
 * school lists, exceptions, sanctions) looks up these same hashes, so a request is hashed once.
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
// The second word is another multiply-xor chain with a different seed and odd multiplier: a
// collision in one word says nothing about the other, and the two chains run in parallel.
const SECOND_SEED = 0x9747b28c;
const SECOND_PRIME = 0x5bd1e995;

/** MurmurHash3's finaliser: spreads the bits so the low ones can index a table. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Folds a hash pair into one exact JavaScript number (53 bits), a key for a `Map`. */
export const pairKey = (high: number, low: number): number => (high >>> 0) * 2097152 + (low >>> 11);

/** The most labels a host can have (253 characters, one-letter labels). */
export const MAX_LABELS = 127;

/**
 * The hashes of a host and of each of its parent domains, filled by `probeHost`. Index 0 is the
 * top-level label; the last index is the whole host, so a higher index is a more specific match.
 */
export interface HostProbe {
  host: string;
  count: number;
  high: Int32Array;
  low: Int32Array;
  keys: Float64Array;
  /** Where in `host` each suffix starts. */
  starts: Int32Array;
}

export function createProbe(): HostProbe {
  return {
    host: '',
    count: 0,
    high: new Int32Array(MAX_LABELS + 1),
    low: new Int32Array(MAX_LABELS + 1),
    keys: new Float64Array(MAX_LABELS + 1),
    starts: new Int32Array(MAX_LABELS + 1),
  };
}

/**
 * Fills `probe` with the hashes of `host` (already normalised) and its parent domains.
 * @example probeHost(p, 'a.example.com'); // p.count === 3: com, example.com, a.example.com
 */
export function probeHost(probe: HostProbe, host: string): HostProbe {
  probe.host = host;
  let count = 0;
  let h1 = FNV_OFFSET;
  let h2 = SECOND_SEED;
  const n = host.length;
  // An IP literal (last character a digit, as no domain name's is, or an IPv6 colon) has no
  // parent domains: only the whole host counts.
  const last = host.charCodeAt(n - 1);
  let wholeOnly = last >= 48 && last <= 57;
  for (let i = n - 1; i >= 0; i -= 1) {
    const c = host.charCodeAt(i);
    if (c === 58) wholeOnly = true;
    // At a dot, the hash so far is that of the parent domain to its right.
    if (c === 46 && !wholeOnly && count < MAX_LABELS) {
      const high = mix(h1);
      const low = mix(h2 ^ (n - i - 1));
      probe.high[count] = high;
      probe.low[count] = low;
      probe.keys[count] = pairKey(high, low);
      probe.starts[count] = i + 1;
      count += 1;
    }
    h1 = Math.imul(h1 ^ c, FNV_PRIME);
    h2 = Math.imul(h2 ^ c, SECOND_PRIME);
  }
  if (wholeOnly) count = 0;
  const high = mix(h1);
  const low = mix(h2 ^ n);
  probe.high[count] = high;
  probe.low[count] = low;
  probe.keys[count] = pairKey(high, low);
  probe.starts[count] = 0;
  probe.count = count + 1;
  return probe;
}

/** Character classes of a plain host: 1 letter, 2 digit, 3 hyphen or underscore, 4 dot. */
const PLAIN = new Uint8Array(128);
for (let c = 97; c <= 122; c += 1) PLAIN[c] = 1;
for (let c = 48; c <= 57; c += 1) PLAIN[c] = 2;
PLAIN[45] = 3;
PLAIN[95] = 3;
PLAIN[46] = 4;

/**
 * `isPlainHost` and `probeHost` in one pass, for the hot path: when `host` is already a
 * normalised name (the usual DNS question), fills the probe and returns true; otherwise returns
 * false and the caller normalises first. Must accept exactly what `isPlainHost` accepts (a test
 * holds them together).
 */
export function probePlainHost(probe: HostProbe, host: string): boolean {
  const n = host.length;
  if (n === 0 || n > 253) return false;
  let count = 0;
  let h1 = FNV_OFFSET;
  let h2 = SECOND_SEED;
  let labelEnd = n;
  let topLetter = false;
  for (let i = n - 1; i >= -1; i -= 1) {
    const c = i < 0 ? 46 : host.charCodeAt(i);
    const kind = c < 128 ? PLAIN[c]! : 0;
    if (kind === 0) return false;
    if (kind === 4) {
      const start = i + 1;
      const length = labelEnd - start;
      if (length === 0 || length > 63) return false;
      if (labelEnd === n && (!topLetter || (host.charCodeAt(start) === 48 && isHexLabel(host, start, n)))) return false;
      if (host.charCodeAt(start) === 120 && length >= 4 && host.startsWith('xn--', start)) return false;
      labelEnd = i;
      if (count >= MAX_LABELS) return false;
      // The hash so far is that of the parent domain (or, at the start, the whole host).
      const high = mix(h1);
      const low = mix(h2 ^ (n - start));
      probe.high[count] = high;
      probe.low[count] = low;
      probe.keys[count] = pairKey(high, low);
      probe.starts[count] = start;
      count += 1;
      if (i < 0) break;
    } else if (kind === 1 && labelEnd === n) topLetter = true;
    h1 = Math.imul(h1 ^ c, FNV_PRIME);
    h2 = Math.imul(h2 ^ c, SECOND_PRIME);
  }
  probe.host = host;
  probe.count = count;
  return true;
}

/** Whether host[start, end) is `0x` and hex digits, an IPv4 part rather than a name. */
function isHexLabel(host: string, start: number, end: number): boolean {
  if (host.charCodeAt(start + 1) !== 120) return false;
  for (let i = start + 2; i < end; i += 1) {
    const c = host.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

const scratch = createProbe();

/** The hash pair of one whole host, written to `out` (no allocation, for bulk compiles). */
export function hashHostInto(host: string, out: Int32Array): void {
  let h1 = FNV_OFFSET;
  let h2 = SECOND_SEED;
  for (let i = host.length - 1; i >= 0; i -= 1) {
    const c = host.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, FNV_PRIME);
    h2 = Math.imul(h2 ^ c, SECOND_PRIME);
  }
  out[0] = mix(h1);
  out[1] = mix(h2 ^ host.length);
}

const pair = new Int32Array(2);

/** The `Map` key of one whole host (a list entry), equal to `probeHost`'s key for that host. */
export function hostKey(host: string): number {
  hashHostInto(host, pair);
  return pairKey(pair[0]!, pair[1]!);
}

/** Whether any of the probe's suffixes has this key (a label-boundary match of that host). */
export function probeHasKey(probe: HostProbe, key: number): boolean {
  for (let i = 0; i < probe.count; i += 1) if (probe.keys[i] === key) return true;
  return false;
}

/** A probe for occasional use outside the hot path (tests, explanations); reused, not reentrant. */
export const sharedProbe = (host: string): HostProbe => probeHost(scratch, host);

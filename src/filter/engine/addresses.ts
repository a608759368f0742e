import type { Device, Subnet } from '../model.js';
import type { CompiledPerson, CompiledProfile } from './snapshot.js';
import { canonicalAddress, parseIPv4, parseIPv6 } from './ip.js';

/*
 * Client addresses to devices and subnets. An address's device and subnet do not change while
 * a snapshot lives, so they are worked out once per address and cached (sign-ins change with
 * time and are looked up per request).
 */

/** A CIDR range as numbers: IPv4 as one 32-bit value, IPv6 as eight 16-bit groups. */
export interface CompiledSubnet {
  subnet: Subnet;
  family: 4 | 6;
  prefix: number;
  v4: number;
  v6: number[];
}

/** Parses `10.0.0.0/8`, `2001:db8::/32` or a bare address; null when it is not a range. */
export function parseCidr(subnet: Subnet): CompiledSubnet | null {
  const [addressText, prefixText, extra] = subnet.cidr.trim().split('/');
  if (addressText === undefined || extra !== undefined) return null;
  const address = canonicalAddress(addressText);
  if (address === null) return null;
  const family = address.includes(':') ? 6 : 4;
  const max = family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max || (prefixText !== undefined && !/^[0-9]+$/.test(prefixText))) return null;
  if (family === 4) return { subnet, family, prefix, v4: parseIPv4(address)!, v6: [] };
  return { subnet, family, prefix, v4: 0, v6: parseIPv6(address)! };
}

function v4InRange(address: number, range: CompiledSubnet): boolean {
  if (range.prefix === 0) return true;
  const mask = (0xffffffff << (32 - range.prefix)) >>> 0;
  return ((address ^ range.v4) & mask) >>> 0 === 0;
}

function v6InRange(groups: number[], range: CompiledSubnet): boolean {
  let bits = range.prefix;
  for (let g = 0; g < 8 && bits > 0; g += 1) {
    const take = Math.min(16, bits);
    const mask = (0xffff << (16 - take)) & 0xffff;
    if (((groups[g]! ^ range.v6[g]!) & mask) !== 0) return false;
    bits -= take;
  }
  return true;
}

/** Subnets, most specific first (a guest /24 inside the school's /16 wins), then in given order. */
export function compileSubnets(subnets: Subnet[]): { ranges: CompiledSubnet[]; skipped: number } {
  const ranges: CompiledSubnet[] = [];
  let skipped = 0;
  for (const s of subnets) {
    const range = parseCidr(s);
    if (range) ranges.push(range);
    else skipped += 1;
  }
  ranges.sort((a, b) => b.prefix - a.prefix);
  return { ranges, skipped };
}

/** The first (most specific) subnet containing a canonical address. */
export function subnetOf(ranges: CompiledSubnet[], canonical: string): CompiledSubnet | null {
  if (ranges.length === 0) return null;
  if (canonical.includes(':')) {
    const groups = parseIPv6(canonical);
    if (groups === null) return null;
    for (const r of ranges) if (r.family === 6 && v6InRange(groups, r)) return r;
    return null;
  }
  const v4 = parseIPv4(canonical);
  if (v4 === null) return null;
  for (const r of ranges) if (r.family === 4 && v4InRange(v4, r)) return r;
  return null;
}

/** What a client address is, independent of time. */
export interface AddressFacts {
  canonical: string | null;
  device: Device | null;
  subnet: CompiledSubnet | null;
  /**
   * Filled by `decide` on first use, because they too never change for the snapshot: the
   * device's person, and the profile for this address when no person's profile applies.
   */
  devicePerson?: CompiledPerson | null;
  addressProfile?: CompiledProfile;
}

const CACHE_LIMIT = 65536;

export interface AddressBook {
  devices: Map<string, Device>;
  ranges: CompiledSubnet[];
  cache: Map<string, AddressFacts>;
}

export function createAddressBook(devices: Device[], ranges: CompiledSubnet[]): { book: AddressBook; skipped: number } {
  const byAddress = new Map<string, Device>();
  let skipped = 0;
  for (const d of devices) {
    if (d.address === null) continue;
    // A MAC address cannot be matched against the IP a request comes from.
    const canonical = canonicalAddress(d.address);
    if (canonical === null) skipped += 1;
    else if (!byAddress.has(canonical)) byAddress.set(canonical, d);
  }
  return { book: { devices: byAddress, ranges, cache: new Map() }, skipped };
}

export function addressFacts(book: AddressBook, address: string): AddressFacts {
  const cached = book.cache.get(address);
  if (cached) return cached;
  const canonical = canonicalAddress(address);
  const facts: AddressFacts =
    canonical === null
      ? { canonical, device: null, subnet: null }
      : { canonical, device: book.devices.get(canonical) ?? null, subnet: subnetOf(book.ranges, canonical) };
  if (book.cache.size >= CACHE_LIMIT) book.cache.clear();
  book.cache.set(address, facts);
  return facts;
}

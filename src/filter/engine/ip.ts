/*
 * IP address literals as the filter sees them. Browsers accept IPv4 in decimal, octal, hex and
 * short forms (`3232235777`, `0300.0250.0.1`, `0xC0A80001`, `192.168.1`), so a list entry or a
 * request in any of those forms must land on one spelling, or a pupil could step around a block
 * by rewriting the address. IPv6 is written the RFC 5952 way; an IPv4-mapped IPv6 address
 * (`::ffff:1.2.3.4`, what a dual-stack socket reports for an IPv4 client) is the IPv4 address.
 */

const DECIMAL = /^[0-9]+$/;
const OCTAL = /^0[0-7]*$/;
const HEX = /^0x[0-9a-f]*$/i;

/** The value of one IPv4 part (WHATWG URL rules), or null when it is not a number. */
function ipv4Part(part: string): number | null {
  if (part === '') return null;
  let value: number;
  if (HEX.test(part)) value = part.length === 2 ? 0 : Number.parseInt(part.slice(2), 16);
  else if (part.length > 1 && part[0] === '0') {
    if (!OCTAL.test(part)) return null;
    value = Number.parseInt(part, 8);
  } else if (DECIMAL.test(part)) value = Number(part);
  else return null;
  return Number.isSafeInteger(value) ? value : null;
}

/**
 * True when a host's last label is a number, which makes the whole host an IPv4 literal (or
 * invalid): `a.123` is not a domain name to a browser.
 */
export function endsInNumber(host: string): boolean {
  const labels = host.split('.');
  if (labels.at(-1) === '' && labels.length > 1) labels.pop();
  const last = labels.at(-1) ?? '';
  return last !== '' && (DECIMAL.test(last) || HEX.test(last));
}

/**
 * Parses an IPv4 literal in any form a browser accepts into its 32-bit value.
 * @example parseIPv4('0xC0A80001') === 3232235521
 */
export function parseIPv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length > 1 && parts.at(-1) === '') parts.pop();
  if (parts.length === 0 || parts.length > 4) return null;
  const values: number[] = [];
  for (const part of parts) {
    const value = ipv4Part(part);
    if (value === null) return null;
    values.push(value);
  }
  const last = values.pop()!;
  if (values.some((v) => v > 255)) return null;
  if (last >= 256 ** (4 - values.length)) return null;
  let address = last;
  values.forEach((v, i) => {
    address += v * 256 ** (3 - i);
  });
  return address;
}

export function formatIPv4(address: number): string {
  return `${address >>> 24}.${(address >>> 16) & 255}.${(address >>> 8) & 255}.${address & 255}`;
}

const HEXTET = /^[0-9a-f]{1,4}$/i;

/**
 * Parses an IPv6 literal (no brackets, no zone) into its eight 16-bit groups; a dotted IPv4
 * tail fills the last two.
 */
export function parseIPv6(text: string): number[] | null {
  if (text.length < 2 || text.length > 45) return null;
  const doubleColon = text.indexOf('::');
  if (doubleColon !== -1 && text.indexOf('::', doubleColon + 1) !== -1) return null;
  const parseSide = (side: string, allowIPv4Tail: boolean): number[] | null => {
    if (side === '') return [];
    const groups: number[] = [];
    const pieces = side.split(':');
    for (let i = 0; i < pieces.length; i += 1) {
      const piece = pieces[i]!;
      if (allowIPv4Tail && i === pieces.length - 1 && piece.includes('.')) {
        const parts = piece.split('.');
        if (parts.length !== 4 || !parts.every((p) => DECIMAL.test(p) && p.length <= 3 && Number(p) <= 255)) return null;
        const [a, b, c, d] = parts.map(Number) as [number, number, number, number];
        groups.push(a * 256 + b, c * 256 + d);
      } else if (HEXTET.test(piece)) groups.push(Number.parseInt(piece, 16));
      else return null;
    }
    return groups;
  };
  if (doubleColon === -1) {
    const groups = parseSide(text, true);
    return groups !== null && groups.length === 8 ? groups : null;
  }
  const head = parseSide(text.slice(0, doubleColon), false);
  const tail = parseSide(text.slice(doubleColon + 2), true);
  if (head === null || tail === null || head.length + tail.length > 7) return null;
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

/** RFC 5952 text of eight groups; an IPv4-mapped address comes back as dotted IPv4. */
export function formatIPv6(groups: number[]): string {
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return formatIPv4(groups[6]! * 65536 + groups[7]!);
  }
  // The longest run of two or more zero groups is written `::` (the first, on a tie).
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number) =>
    groups
      .slice(from, to)
      .map((g) => g.toString(16))
      .join(':');
  if (bestStart === -1) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
}

/**
 * One spelling for a client or device address: dotted IPv4, or RFC 5952 IPv6 (brackets and
 * zone dropped, IPv4-mapped shown as IPv4). Null when the text is not an address.
 * @example canonicalAddress('::FFFF:192.168.0.5') === '192.168.0.5'
 */
export function canonicalAddress(text: string): string | null {
  let value = text.trim();
  if (value.startsWith('[') && value.endsWith(']')) value = value.slice(1, -1);
  const zone = value.indexOf('%');
  if (zone !== -1) value = value.slice(0, zone);
  if (value.includes(':')) {
    const groups = parseIPv6(value);
    return groups === null ? null : formatIPv6(groups);
  }
  if (!endsInNumber(value)) return null;
  const v4 = parseIPv4(value);
  return v4 === null ? null : formatIPv4(v4);
}

import { domainToASCII } from 'node:url';
import { endsInNumber, formatIPv4, formatIPv6, parseIPv4, parseIPv6 } from './ip.js';

/*
 * One spelling for every way of writing a site, so a list entry and a request meet whatever
 * tricks either used (upper case, a trailing dot, a port, `user@`, IDN, IPv4 in hex, `%2e`,
 * `/a/../b`). List patterns and requests go through the same function; docs/FILTERING.md
 * describes the rules.
 */

export interface NormalisedTarget {
  /** Lower-case ASCII host (punycode for IDN), dotted IPv4 or RFC 5952 IPv6 without brackets. */
  host: string;
  /**
   * `host/path` with the query and fragment dropped, the path lower-cased, `.`/`..` resolved,
   * empty segments and a trailing slash removed; null when there is no path beyond `/`.
   */
  url: string | null;
}

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const LABEL = /^[a-z0-9_-]{1,63}$/;
const MAX_HOST = 253;

/** Character classes for the fast check: 1 letter, 2 digit, 3 hyphen or underscore. */
const NAME_CHAR = new Uint8Array(128);
for (let c = 97; c <= 122; c += 1) NAME_CHAR[c] = 1;
for (let c = 48; c <= 57; c += 1) NAME_CHAR[c] = 2;
NAME_CHAR[45] = 3;
NAME_CHAR[95] = 3;

/** Whether the label from `start` to the end is `0x` and hex digits: an IPv4 part, not a name. */
function isHexNumber(input: string, start: number): boolean {
  if (input.charCodeAt(start) !== 48 || input.charCodeAt(start + 1) !== 120) return false;
  for (let i = start + 2; i < input.length; i += 1) {
    const c = input.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/**
 * True when `input` is already a normalised host name (lower-case ASCII letters, digits, `-`
 * and `_`, labels of 1–63 characters, a last label that is not a number), so `normaliseTarget`
 * would return it unchanged. The common case for DNS, checked without allocating.
 */
export function isPlainHost(input: string): boolean {
  const n = input.length;
  if (n === 0 || n > MAX_HOST) return false;
  let labelStart = 0;
  let lastLabelHasLetter = false;
  for (let i = 0; i < n; i += 1) {
    const c = input.charCodeAt(i);
    if (c === 46) {
      if (i === labelStart || i - labelStart > 63) return false;
      labelStart = i + 1;
      lastLabelHasLetter = false;
      continue;
    }
    const kind = c < 128 ? NAME_CHAR[c]! : 0;
    if (kind === 0) return false;
    // An `xn--` label is IDN: it goes through the IDN check on the slow path.
    if (c === 45 && i === labelStart + 3 && input.startsWith('xn-', labelStart)) return false;
    if (kind === 1) lastLabelHasLetter = true;
  }
  if (labelStart === n || n - labelStart > 63 || !lastLabelHasLetter) return false;
  return !isHexNumber(input, labelStart);
}

/** Decodes `%XX` in a host; null when an escape is broken or decodes to bad UTF-8. */
function decodeHost(host: string): string | null {
  if (!host.includes('%')) return host;
  try {
    return decodeURIComponent(host);
  } catch {
    return null;
  }
}

function normaliseHost(raw: string, bracketed: boolean): string | null {
  if (bracketed || (raw.match(/:/g)?.length ?? 0) >= 2) {
    const groups = parseIPv6(raw);
    return groups === null ? null : formatIPv6(groups);
  }
  const decoded = decodeHost(raw);
  if (decoded === null || decoded === '') return null;
  let host = decoded.toLowerCase();
  if (host.endsWith('.')) host = host.slice(0, -1);
  if (host === '') return null;
  if (endsInNumber(host)) {
    const v4 = parseIPv4(host);
    return v4 === null ? null : formatIPv4(v4);
  }
  // Anything that looks like URL syntax after decoding (`%2f`, `%40`) is not a host.
  if (/[\s/\\?#@:[\]%*]/.test(host)) return null;
  if (/[^\x21-\x7e]/.test(host) || host.includes('xn--')) {
    host = domainToASCII(host);
    if (host === '') return null;
  }
  if (host.length > MAX_HOST) return null;
  for (const label of host.split('.')) if (!LABEL.test(label)) return null;
  return host;
}

const UNRESERVED = /%([0-9a-f]{2})/gi;

/** Decodes only the escapes of unreserved characters, so `%7e` and `~` match but `%2f` stays. */
function decodeUnreserved(segment: string): string {
  return segment.replace(UNRESERVED, (sequence, hex: string) => {
    const c = Number.parseInt(hex, 16);
    const unreserved =
      (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 46 || c === 95 || c === 126;
    return unreserved ? String.fromCharCode(c) : sequence.toLowerCase();
  });
}

/** Non-ASCII characters percent-encoded, so `é` and `%C3%A9` are the same path. */
function encodeNonAscii(segment: string): string {
  return /[^\x21-\x7e]/.test(segment) ? segment.replace(/[^\x21-\x7e]+/g, (run) => encodeURIComponent(run)) : segment;
}

/** The path's segments after resolving `.` and `..` and dropping empty ones. */
function normalisePath(rawPath: string): string[] {
  const segments: string[] = [];
  for (const piece of rawPath.replace(/\\/g, '/').split('/')) {
    const segment = encodeNonAscii(decodeUnreserved(piece)).toLowerCase();
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return segments;
}

/**
 * The host and `host/path` a request or a list pattern is about, or null when the input is not
 * a host at all. Accepts a host, `host/path`, or a URL with any scheme.
 * @example normaliseTarget('HTTP://user@Example.COM.:8080/a/./b/../c?q=1') // { host: 'example.com', url: 'example.com/a/c' }
 */
export function normaliseTarget(input: string): NormalisedTarget | null {
  if (isPlainHost(input)) return { host: input, url: null };
  let rest = input.trim();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a target with control characters or spaces is not a host
  if (rest === '' || /[\s\x00-\x1f\x7f]/.test(rest)) return null;
  const scheme = SCHEME.exec(rest);
  if (scheme) rest = rest.slice(scheme[0].length);
  else if (rest.startsWith('//')) rest = rest.slice(2);

  const end = rest.search(/[/?#\\]/);
  let authority = end === -1 ? rest : rest.slice(0, end);
  const afterAuthority = end === -1 ? '' : rest.slice(end);
  authority = authority.slice(authority.lastIndexOf('@') + 1);

  let rawHost: string;
  let bracketed = false;
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    if (close === -1 || !/^(:[0-9]*)?$/.test(authority.slice(close + 1))) return null;
    rawHost = authority.slice(1, close);
    bracketed = true;
  } else {
    const colons = authority.match(/:/g)?.length ?? 0;
    if (colons === 1) {
      const colon = authority.indexOf(':');
      if (!/^[0-9]*$/.test(authority.slice(colon + 1))) return null;
      rawHost = authority.slice(0, colon);
    } else rawHost = authority;
  }
  const host = normaliseHost(rawHost, bracketed);
  if (host === null) return null;

  const queryAt = afterAuthority.search(/[?#]/);
  const rawPath = queryAt === -1 ? afterAuthority : afterAuthority.slice(0, queryAt);
  const segments = normalisePath(rawPath);
  return { host, url: segments.length === 0 ? null : `${host}/${segments.join('/')}` };
}

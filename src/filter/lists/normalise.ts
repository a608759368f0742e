import { domainToASCII } from 'node:url';

/*
 * List entries in the one form the engine matches on: host names in lower case, without a
 * trailing dot, international names in punycode; URL entries as `host/path` without scheme,
 * user info or port. Paths keep their case, because servers treat them as case-sensitive.
 */

const LABEL = /^[a-z0-9_-]{1,63}$/;
const MAX_HOST_LENGTH = 253;

/**
 * A list's host in canonical form, or null when it cannot be a host name or IP address.
 *
 * @example
 *   normaliseHost('Bücher.DE.') // 'xn--bcher-kva.de'
 */
export function normaliseHost(raw: string): string | null {
  let host = raw.trim().toLowerCase();
  // UT1 and hosts-file style lists sometimes write `.example.com` or `*.example.com` for "and subdomains".
  host = host.replace(/^\*?\./, '').replace(/\.+$/, '');
  if (!host || host.length > MAX_HOST_LENGTH * 4) return null;
  if (/[\s/\\?#@]/.test(host)) return null;
  if (host.startsWith('[')) return normaliseIpv6(host);
  // domainToASCII applies IDNA (punycode) and canonicalises IPv4 forms; it returns '' on failure.
  const ascii = domainToASCII(host);
  if (!ascii || ascii.length > MAX_HOST_LENGTH) return null;
  const labels = ascii.split('.');
  if (!labels.every((label) => LABEL.test(label))) return null;
  return ascii;
}

function normaliseIpv6(host: string): string | null {
  const inner = host.endsWith(']') ? host.slice(1, -1) : null;
  if (!inner) return null;
  try {
    return new URL(`http://[${inner}]/`).hostname;
  } catch {
    return null;
  }
}

/**
 * A URL entry as `host/path`, or null when it has no valid host. A scheme, user info and port
 * are dropped; an entry with no path becomes `host/` (the whole site on that exact host).
 *
 * @example
 *   normaliseUrlEntry('HTTP://User@Example.COM:8080/Some/Path') // 'example.com/Some/Path'
 */
export function normaliseUrlEntry(raw: string): string | null {
  let text = raw.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  if (!text || /\s/.test(text)) return null;
  const slash = text.search(/[/?#]/);
  let authority = slash === -1 ? text : text.slice(0, slash);
  let rest = slash === -1 ? '/' : text.slice(slash);
  if (!rest.startsWith('/')) rest = `/${rest}`;
  const at = authority.lastIndexOf('@');
  if (at !== -1) authority = authority.slice(at + 1);
  authority = authority.replace(/:\d*$/, '');
  const host = normaliseHost(authority);
  if (!host) return null;
  text = `${host}${rest}`;
  return text;
}

export type LineKind = 'domain' | 'url';

/** What one line of a list file is: an entry, or a line that is skipped and counted. */
export type ParsedLine = { type: 'entry'; value: string } | { type: 'blank' } | { type: 'comment' } | { type: 'invalid' };

/**
 * One line of a `domains` or `urls` file. A `domains` line must be a host on its own; a line
 * with a path in a `domains` file is invalid rather than silently widened to the whole host.
 */
export function parseListLine(line: string, kind: LineKind): ParsedLine {
  const text = line.replace(/^\uFEFF/, '').trim();
  if (!text) return { type: 'blank' };
  if (text.startsWith('#')) return { type: 'comment' };
  const value = kind === 'domain' ? normaliseHost(text) : normaliseUrlEntry(text);
  return value ? { type: 'entry', value } : { type: 'invalid' };
}

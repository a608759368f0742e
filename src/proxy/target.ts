import { safeSearchTarget } from '../filter/safe-search.js';

/*
 * Reading the request target. The proxy only needs the host (for safe search and CONNECT)
 * and the full URL (for the decision); the filter engine does the thorough normalisation.
 */

/** A host in the form the safe-search table and the CONNECT decision use: lower case, no trailing dot, no brackets. */
export function normaliseHost(host: string): string {
  let h = host.toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  while (h.endsWith('.')) h = h.slice(0, -1);
  return h;
}

export interface AbsoluteTarget {
  url: URL;
  host: string;
  port: number;
}

/** An absolute-form `http://` request target, or null for anything else. */
export function parseAbsoluteTarget(raw: string): AbsoluteTarget | null {
  if (!/^http:\/\//i.test(raw)) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (!url.hostname) return null;
  // Credentials in a URL must not reach the decision log; the origin never sees them either way.
  url.username = '';
  url.password = '';
  return { url, host: normaliseHost(url.hostname), port: url.port ? Number(url.port) : 80 };
}

/** The `host:port` of a CONNECT request, or null when it is not one. */
export function parseAuthority(raw: string): { host: string; port: number } | null {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]/@\s]+):(\d{1,5})$/.exec(raw);
  if (!m) return null;
  const port = Number(m[2]);
  const host = normaliseHost(m[1]!);
  if (port < 1 || port > 65535 || !host) return null;
  return { host, port };
}

/** The client's address without the IPv4-mapped IPv6 prefix, so lists of IPv4 addresses match. */
export function clientAddressOf(remote: string | undefined): string {
  if (!remote) return '';
  return remote.startsWith('::ffff:') && remote.includes('.') ? remote.slice(7) : remote;
}

/** `host:port` for a socket connection, bracketing IPv6 literals. */
export function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Where to open the connection for a host: the search engine's locked safe-search host where
 * there is one (the Host header and TLS name stay as asked, which the engines accept), else the host.
 */
export function connectHostFor(host: string): string {
  return safeSearchTarget(host) ?? host;
}

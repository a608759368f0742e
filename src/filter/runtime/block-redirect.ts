import { hostname } from 'node:os';
import type { Config } from '../../config/config.js';
import { canonicalAddress } from '../engine/index.js';

/**
 * Paths served whatever the Host header says: the API (the block page calls it), the block
 * page itself, the front end's files and the health checks. Everything else asked for under
 * a foreign name came here because the DNS filter answered with the block-page address.
 */
const ALWAYS_SERVED = /^\/(api\/|assets\/|blocked(\/|\?|$)|healthz$|readyz$|favicon\.|robots\.txt$|proxy\.pac$|wpad\.dat$)/;

/** The names this server answers to as itself, lower case and without port. */
export function ownHostNames(config: Config): Set<string> {
  const names = new Set(['localhost', hostname().toLowerCase()]);
  if (config.web.publicUrl) names.add(new URL(config.web.publicUrl).hostname.toLowerCase().replace(/^\[|\]$/g, ''));
  if (config.web.host !== '0.0.0.0' && config.web.host !== '::') names.add(config.web.host.toLowerCase());
  return names;
}

function hostOf(header: string): string {
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') === -1 ? undefined : h.indexOf(']'));
  const colon = h.indexOf(':');
  // More than one colon without brackets is a bare IPv6 address, not host:port.
  return colon !== -1 && h.indexOf(':', colon + 1) === -1 ? h.slice(0, colon) : h;
}

/**
 * Where to send a browser that asked this server for a site it does not serve, or null to
 * serve the request normally. Addresses always count as this server's own: the DNS filter
 * only ever sends *names* here, and a school that reaches Tutela by its address must not be
 * shown a block page.
 *
 * @example
 *   blockedSiteRedirect('bet.example', '/play?x=1', own, undefined); // '/blocked?target=bet.example%2Fplay%3Fx%3D1'
 */
export function blockedSiteRedirect(hostHeader: string | undefined, url: string, own: ReadonlySet<string>, publicUrl: string | undefined) {
  if (!hostHeader || ALWAYS_SERVED.test(url)) return null;
  const host = hostOf(hostHeader).replace(/\.$/, '');
  if (!host || own.has(host) || canonicalAddress(host) !== null) return null;
  const target = `${host}${url === '/' ? '' : url}`;
  const page = `/blocked?target=${encodeURIComponent(target.slice(0, 2000))}`;
  return publicUrl ? new URL(page, publicUrl).toString() : page;
}

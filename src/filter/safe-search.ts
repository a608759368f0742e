/**
 * Safe search, enforced by name: the search engines publish a "safe" host that always
 * applies their strictest setting, and a DNS answer (or the proxy's connection) points the
 * ordinary host at it. The school cannot turn it off per profile: it is locked on, as the UK
 * filtering standard asks.
 */
const SAFE_TARGETS: ReadonlyMap<string, string> = new Map([
  // Google: every country domain users commonly reach, to forcesafesearch.
  ...['www.google.com', 'google.com', 'www.google.co.uk', 'google.co.uk', 'www.google.ie', 'google.ie'].map(
    (h) => [h, 'forcesafesearch.google.com'] as [string, string],
  ),
  ['www.bing.com', 'strict.bing.com'],
  ['bing.com', 'strict.bing.com'],
  // YouTube restricted mode: `restrict.youtube.com` is strict, `restrictmoderate` moderate.
  ...[
    'www.youtube.com',
    'youtube.com',
    'm.youtube.com',
    'youtubei.googleapis.com',
    'youtube.googleapis.com',
    'www.youtube-nocookie.com',
  ].map((h) => [h, 'restrict.youtube.com'] as [string, string]),
  ['duckduckgo.com', 'safe.duckduckgo.com'],
  ['www.duckduckgo.com', 'safe.duckduckgo.com'],
  ['start.duckduckgo.com', 'safe.duckduckgo.com'],
]);

/** The host to use instead of `host` (already normalised, lower case), or null. */
export function safeSearchTarget(host: string): string | null {
  return SAFE_TARGETS.get(host) ?? null;
}

/** Every host safe search rewrites, for documentation and the annual review's checks. */
export function safeSearchHosts(): [string, string][] {
  return [...SAFE_TARGETS.entries()];
}

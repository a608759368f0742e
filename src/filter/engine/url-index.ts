/*
 * URL-prefix entries (`host/path`), keyed by the host's hash key. They are few next to the
 * domains (tens of thousands), so plain arrays per host are small and fast enough; a request
 * only consults them when it carries a path (the proxy), never for a DNS query.
 */

export interface PathRules<T> {
  /** Normalised paths without the leading slash: `a/b`. */
  paths: string[];
  values: T[];
}

export type UrlIndex<T> = Map<number, PathRules<T>>;

export function addUrlRule<T>(index: UrlIndex<T>, hostKey: number, path: string, value: T): void {
  let rules = index.get(hostKey);
  if (!rules) {
    rules = { paths: [], values: [] };
    index.set(hostKey, rules);
  }
  rules.paths.push(path);
  rules.values.push(value);
}

/**
 * True when `prefix` covers `path` on a segment boundary: `a/b` covers `a/b` and `a/b/c`, never
 * `a/bc`.
 */
export function pathCovers(prefix: string, path: string): boolean {
  if (path.length === prefix.length) return path === prefix;
  return path.length > prefix.length && path.charCodeAt(prefix.length) === 47 && path.startsWith(prefix);
}

/** The path part of a normalised `host/path`. */
export const pathOf = (host: string, url: string): string => url.slice(host.length + 1);

/** The number of segments in a normalised path, its specificity. */
export function segmentCount(path: string): number {
  let n = 1;
  for (let i = 0; i < path.length; i += 1) if (path.charCodeAt(i) === 47) n += 1;
  return n;
}

import { createHash } from 'node:crypto';
import type { LockedList } from '../model.js';
import { type HostProbe, hostKey } from './host-hash.js';
import { normaliseTarget } from './normalise.js';
import { addUrlRule, pathCovers, pathOf, type UrlIndex } from './url-index.js';

/*
 * The locked lists (IWF child sexual abuse content, CTIRU unlawful terrorist content) in their
 * own index, checked before anything else so that nothing a school configures can reach them.
 *
 * Plain entries are normalised like any list pattern. Hashed entries are lower-case hex SHA-256
 * digests of a normalised candidate, where the candidates for a request are:
 *   - the host and each parent domain on a label boundary (`a.example.com`, `example.com`, `com`);
 *   - for a request with a path, each of those hosts followed by each path prefix on a segment
 *     boundary (`example.com/a`, `example.com/a/b` for `example.com/a/b`).
 * The hashed text is UTF-8 of exactly that string: lower case, no scheme, no port, no query.
 */

export type LockedCategory = LockedList['category'];

export interface LockedHit {
  category: LockedCategory;
  source: string;
}

export interface LockedIndex {
  hosts: Map<number, LockedHit>;
  urls: UrlIndex<LockedHit>;
  hashes: Map<string, LockedHit>;
  /** Host-only results of the hash check, because a SHA-256 per parent domain is too slow per query. */
  hashCache: Map<string, LockedHit | null>;
  plainCount: number;
  skipped: number;
}

const HASH_CACHE_LIMIT = 65536;
const SHA256_HEX = /^[0-9a-f]{64}$/;

export function compileLocked(lists: LockedList[]): LockedIndex {
  const index: LockedIndex = { hosts: new Map(), urls: new Map(), hashes: new Map(), hashCache: new Map(), plainCount: 0, skipped: 0 };
  for (const list of lists) {
    const hit: LockedHit = { category: list.category, source: list.source };
    for (const pattern of list.plain) {
      const target = normaliseTarget(pattern);
      if (target === null) {
        index.skipped += 1;
        continue;
      }
      if (target.url === null) index.hosts.set(hostKey(target.host), hit);
      else addUrlRule(index.urls, hostKey(target.host), pathOf(target.host, target.url), hit);
      index.plainCount += 1;
    }
    for (const digest of list.sha256) {
      const hex = digest.trim().toLowerCase();
      if (SHA256_HEX.test(hex)) index.hashes.set(hex, hit);
      else index.skipped += 1;
    }
  }
  return index;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

function hashedHostHit(index: LockedIndex, probe: HostProbe): LockedHit | null {
  const cached = index.hashCache.get(probe.host);
  if (cached !== undefined) return cached;
  let hit: LockedHit | null = null;
  for (let i = probe.count - 1; i >= 0 && hit === null; i -= 1) hit = index.hashes.get(sha256(probe.host.slice(probe.starts[i]!))) ?? null;
  if (index.hashCache.size >= HASH_CACHE_LIMIT) index.hashCache.clear();
  index.hashCache.set(probe.host, hit);
  return hit;
}

function hashedUrlHit(index: LockedIndex, probe: HostProbe, path: string): LockedHit | null {
  const prefixes: string[] = [];
  for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1)) prefixes.push(path.slice(0, slash));
  prefixes.push(path);
  for (let i = probe.count - 1; i >= 0; i -= 1) {
    const host = probe.host.slice(probe.starts[i]!);
    for (const prefix of prefixes) {
      const hit = index.hashes.get(sha256(`${host}/${prefix}`));
      if (hit) return hit;
    }
  }
  return null;
}

/** The locked list entry that covers the probed host (or its `url`), if any. */
export function lockedHit(index: LockedIndex, probe: HostProbe, url: string | null): LockedHit | null {
  if (index.hosts.size > 0) {
    for (let i = probe.count - 1; i >= 0; i -= 1) {
      const hit = index.hosts.get(probe.keys[i]!);
      if (hit) return hit;
    }
  }
  const path = url === null ? null : pathOf(probe.host, url);
  if (path !== null && index.urls.size > 0) {
    for (let i = probe.count - 1; i >= 0; i -= 1) {
      const rules = index.urls.get(probe.keys[i]!);
      if (!rules) continue;
      for (let r = 0; r < rules.paths.length; r += 1) if (pathCovers(rules.paths[r]!, path)) return rules.values[r]!;
    }
  }
  if (index.hashes.size === 0) return null;
  return hashedHostHit(index, probe) ?? (path === null ? null : hashedUrlHit(index, probe, path));
}

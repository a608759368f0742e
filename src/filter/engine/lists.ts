import { CATEGORY_IDS, type CategoryId, categoryBit } from '../categories.js';
import type { CategoryList, LockedList } from '../model.js';
import { addDomain, createDomainIndex, type DomainIndex, domainIndexBytes, probeDomainBits } from './domain-index.js';
import { type HostProbe, hashHostInto, hostKey, sharedProbe } from './host-hash.js';
import { compileLocked, type LockedIndex, lockedHit } from './locked.js';
import { normaliseTarget } from './normalise.js';
import { addUrlRule, pathCovers, pathOf, type UrlIndex } from './url-index.js';

/*
 * The installation-wide lists, compiled once per list import and shared by every school's
 * snapshot: the category domains, the category URL prefixes and the locked lists.
 */

export interface CompiledLists {
  domains: DomainIndex;
  /** Category bits per URL prefix, keyed by the prefix's host. */
  urls: UrlIndex<number>;
  locked: LockedIndex;
  stats: {
    /** Distinct listed domains (a domain in two categories counts once). */
    domains: number;
    urls: number;
    /** Entries that are not a host or URL (junk lines in a list). */
    skipped: number;
    lockedEntries: number;
    lockedHashes: number;
    /** Bytes of the domain index's typed arrays. */
    domainIndexBytes: number;
  };
}

/**
 * Compiles category lists and locked lists into the index `decide` reads. Entries that are not
 * a host or URL are skipped and counted, so one bad line does not lose a list.
 * @example const lists = compileLists([{ category: 'gambling', domains: ['bet.example'], urls: [] }], []);
 */
function labelCount(host: string): number {
  let n = 1;
  for (let i = 0; i < host.length; i += 1) if (host.charCodeAt(i) === 46) n += 1;
  return n;
}

export function compileLists(categories: CategoryList[], locked: LockedList[]): CompiledLists {
  let capacity = 0;
  for (const list of categories) capacity += list.domains.length;
  const domains = createDomainIndex(capacity);
  const urlBits = new Map<string, number>();
  const pair = new Int32Array(2);
  let skipped = 0;
  const addUrl = (url: string, bit: number) => urlBits.set(url, (urlBits.get(url) ?? 0) | bit);

  for (const list of categories) {
    const bit = 1 << categoryBit(list.category);
    for (const entry of list.domains) {
      const target = normaliseTarget(entry);
      if (target === null) skipped += 1;
      else if (target.url !== null) addUrl(target.url, bit);
      else {
        hashHostInto(target.host, pair);
        addDomain(domains, pair[0]!, pair[1]!, bit, labelCount(target.host));
      }
    }
    for (const entry of list.urls) {
      const target = normaliseTarget(entry);
      if (target === null) skipped += 1;
      else if (target.url === null) {
        hashHostInto(target.host, pair);
        addDomain(domains, pair[0]!, pair[1]!, bit, labelCount(target.host));
      } else addUrl(target.url, bit);
    }
  }

  const urls: UrlIndex<number> = new Map();
  for (const [url, bits] of urlBits) {
    const slash = url.indexOf('/');
    const host = url.slice(0, slash);
    addUrlRule(urls, hostKey(host), url.slice(slash + 1), bits >>> 0);
  }
  const lockedIndex = compileLocked(locked);
  return {
    domains,
    urls,
    locked: lockedIndex,
    stats: {
      domains: domains.size,
      urls: urlBits.size,
      skipped: skipped + lockedIndex.skipped,
      lockedEntries: lockedIndex.plainCount,
      lockedHashes: lockedIndex.hashes.size,
      domainIndexBytes: domainIndexBytes(domains),
    },
  };
}

/** The category bits of a probed host and, when given, of its `host/path` URL. */
export function siteBits(lists: CompiledLists, probe: HostProbe, url: string | null): number {
  let bits = probeDomainBits(lists.domains, probe);
  if (url !== null && lists.urls.size > 0) {
    const path = pathOf(probe.host, url);
    for (let i = 0; i < probe.count; i += 1) {
      const rules = lists.urls.get(probe.keys[i]!);
      if (!rules) continue;
      for (let r = 0; r < rules.paths.length; r += 1) if (pathCovers(rules.paths[r]!, path)) bits |= rules.values[r]!;
    }
  }
  return bits >>> 0;
}

/** Category ids of a bitset, in `CATEGORY_IDS` order. */
export function categoriesOfBits(bits: number): CategoryId[] {
  const out: CategoryId[] = [];
  for (let b = 0; b < CATEGORY_IDS.length; b += 1) if (bits & (1 << b)) out.push(CATEGORY_IDS[b]!);
  return out;
}

/**
 * The categories a site is listed in (for "test a URL" and the block page). `host` and `url` may
 * be raw; they are normalised first. Locked lists are included.
 * @example categoriesOf(lists, 'www.bet.example', null) // ['gambling']
 */
export function categoriesOf(lists: CompiledLists, host: string, url: string | null): CategoryId[] {
  const target = normaliseTarget(url ?? host);
  if (target === null) return [];
  const probe = sharedProbe(target.host);
  let bits = siteBits(lists, probe, target.url);
  const locked = lockedHit(lists.locked, probe, target.url);
  if (locked) bits |= 1 << categoryBit(locked.category);
  return categoriesOfBits(bits);
}

import { type HostProbe, MAX_LABELS } from './host-hash.js';

/*
 * The installation-wide domain → categories index: an open-addressing hash table in one typed
 * array (hash high word, hash low word, category bitset), 12 bytes a slot, so hundreds of
 * thousands or millions of listed domains cost tens of megabytes and no per-entry objects for
 * the garbage collector to walk. Two different domains share a 64-bit hash with a chance of
 * about n²/2⁶⁵ (for 5 million domains, below one in a million), an accepted risk.
 */

export interface DomainIndex {
  mask: number;
  /**
   * Three words a slot, side by side so a lookup touches one cache line: hash high word, hash
   * low word, category bits (`categoryBit`; 0 marks an empty slot).
   */
  slots: Int32Array;
  size: number;
  /**
   * One bit per hash of a listed domain (from the low word), eight bits or more per domain, so
   * it stays in the processor's cache: most lookups are for parent domains and sites that are
   * not listed, and the filter answers those without touching the big table.
   */
  filter: Int32Array;
  filterMask: number;
  /** The fewest labels of any listed domain: shorter parent domains (`com`) need no lookup. */
  minLabels: number;
}

/** The table is never more than three-quarters full, so a miss ends after a few probes. */
const MAX_LOAD = 0.75;

/** An empty index with room for `capacityHint` domains (an upper bound: duplicates merge). */
export function createDomainIndex(capacityHint: number): DomainIndex {
  let slots = 16;
  while (slots * MAX_LOAD < capacityHint) slots *= 2;
  let filterBits = 1024;
  while (filterBits < capacityHint * 8) filterBits *= 2;
  return {
    mask: slots - 1,
    slots: new Int32Array(slots * 3),
    size: 0,
    filter: new Int32Array(filterBits / 32),
    filterMask: filterBits - 1,
    minLabels: MAX_LABELS,
  };
}

/** Adds category bits to a domain (by its hash pair and label count), merging with any it already has. */
export function addDomain(index: DomainIndex, high: number, low: number, bits: number, labels: number): void {
  const table = index.slots;
  const bit = low & index.filterMask;
  index.filter[bit >>> 5] = index.filter[bit >>> 5]! | (1 << (bit & 31));
  let slot = high & index.mask;
  for (;;) {
    const at = slot * 3;
    if (table[at + 2] === 0) {
      if ((index.size + 1) / (index.mask + 1) > MAX_LOAD) throw new Error('domain index is full: the capacity hint was too small');
      table[at] = high;
      table[at + 1] = low;
      table[at + 2] = bits;
      index.size += 1;
      if (labels < index.minLabels) index.minLabels = labels;
      return;
    }
    if (table[at] === high && table[at + 1] === low) {
      table[at + 2] = table[at + 2]! | bits;
      return;
    }
    slot = (slot + 1) & index.mask;
  }
}

/** The category bits of exactly this domain hash, 0 when it is not listed. */
export function domainBits(index: DomainIndex, high: number, low: number): number {
  const bit = low & index.filterMask;
  if ((index.filter[bit >>> 5]! & (1 << (bit & 31))) === 0) return 0;
  const table = index.slots;
  let slot = high & index.mask;
  for (;;) {
    const at = slot * 3;
    const bits = table[at + 2]!;
    if (bits === 0) return 0;
    if (table[at] === high && table[at + 1] === low) return bits >>> 0;
    slot = (slot + 1) & index.mask;
  }
}

/** The union of the category bits of the probed host and all its parent domains. */
export function probeDomainBits(index: DomainIndex, probe: HostProbe): number {
  let bits = 0;
  // Suffix i has i + 1 labels; parents shorter than any listed domain cannot match. The whole
  // host is always looked up (an IP literal is one "suffix" however many dots it has).
  for (let i = Math.min(index.minLabels, probe.count) - 1; i < probe.count; i += 1)
    bits |= domainBits(index, probe.high[i]!, probe.low[i]!);
  return bits >>> 0;
}

/** Heap bytes the index's table and filter take. */
export const domainIndexBytes = (index: DomainIndex): number => index.slots.byteLength + index.filter.byteLength;

import type { KeywordMatch } from '../keywords/types.js';
import type { CompiledLibrary } from './compile.js';
import { type Normalised, normaliseTransient } from './normalise.js';

const SPACE = 0x20;

/**
 * Every pattern occurrence in the normalised text, three numbers each (pattern, start, end) in
 * order of their end. Kept flat: a long message can hold many.
 */
class Occurrences {
  data = new Int32Array(48);
  count = 0;

  push(pattern: number, start: number, end: number): void {
    const at = this.count * 3;
    if (at + 3 > this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[at] = pattern;
    this.data[at + 1] = start;
    this.data[at + 2] = end;
    this.count += 1;
  }
}

/** Reused by every scan (each is finished before the next starts): most messages match nothing. */
const occurrences = new Occurrences();

/**
 * Scans one message: normalise, run the automaton once, then apply each entry's rules (whole
 * word, exceptions, near). Time is linear in the text plus a binary search per raw match.
 * Offsets are into the original text, so `text.slice(m.start, m.end)` is what the pupil
 * typed ("s.u.i.c.i.d.e"); matches are sorted by start, and overlapping matches of one entry
 * are reported once.
 *
 * @example
 *   scanText(compileLibrary(DEFAULT_LIBRARY), 'i want to k1ll mys3lf').map((m) => m.term); // ['kill myself']
 */
export function scanText(library: CompiledLibrary, text: string): KeywordMatch[] {
  if (library.entries.length === 0 || text.length === 0) return [];
  const norm = normaliseTransient(text);
  const found = findOccurrences(library, norm);
  if (found.count === 0) return [];
  const matches = applyRules(library, norm, found);
  // A message full of matches must not leave a huge buffer behind for every later scan.
  if (found.data.length > 1 << 16) found.data = new Int32Array(48);
  return matches;
}

function findOccurrences(library: CompiledLibrary, norm: Normalised): Occurrences {
  const { symbols, delta, outputStart, outputs, dictionaryLink, width } = library.automaton;
  const { patternLength, runsAt, requiredRuns } = library;
  const codes = norm.codes;
  const runs = norm.runs;
  const n = norm.length;
  const found = occurrences;
  found.count = 0;
  let row = 0;
  for (let i = 0; i < n; i += 1) {
    const next = delta[row + symbols[codes[i]!]!]!;
    if (next >= 0) {
      row = next;
      continue;
    }
    row = ~next;
    for (let s = row / width; s >= 0; s = dictionaryLink[s]!) {
      for (let o = outputStart[s]!; o < outputStart[s + 1]!; o += 1) {
        const p = outputs[o]!;
        const start = i + 1 - patternLength[p]!;
        const at = runsAt[p]!;
        if (at >= 0 && !hasRequiredRuns(runs, start, requiredRuns, at, patternLength[p]!)) continue;
        found.push(p, start, i + 1);
      }
    }
  }
  return found;
}

function hasRequiredRuns(runs: Uint8Array, start: number, required: Uint8Array, at: number, length: number): boolean {
  for (let k = 0; k < length; k += 1) if (runs[start + k]! < required[at + k]!) return false;
  return true;
}

/**
 * The occurrences of near and exception phrases, sorted by pattern and, within one pattern,
 * in text order. Sized by what the message holds, not by the library: a message that matches
 * one term must not pay for an array as long as the library.
 */
interface ContextIndex {
  patterns: Int32Array;
  starts: Int32Array;
  ends: Int32Array;
}

function indexContext(library: CompiledLibrary, found: Occurrences): ContextIndex {
  const d = found.data;
  const order: number[] = [];
  for (let k = 0; k < found.count; k += 1) if (library.isContext[d[k * 3]!]) order.push(k);
  // Occurrences arrive ordered by end, so ties on the pattern keep text order.
  order.sort((x, y) => d[x * 3]! - d[y * 3]! || x - y);
  const patterns = new Int32Array(order.length);
  const starts = new Int32Array(order.length);
  const ends = new Int32Array(order.length);
  order.forEach((k, i) => {
    patterns[i] = d[k * 3]!;
    starts[i] = d[k * 3 + 1]!;
    ends[i] = d[k * 3 + 2]!;
  });
  return { patterns, starts, ends };
}

/** Pattern q's occurrences: indexes [lo, hi) of the context index. */
function rangeOf(context: ContextIndex, q: number): [number, number] {
  const n = context.patterns.length;
  return [lowerBound(context.patterns, 0, n, q), lowerBound(context.patterns, 0, n, q + 1)];
}

/** The first index in [lo, hi) whose value is at least `min` (values ascending). */
function lowerBound(values: Int32Array, lo: number, hi: number, min: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < min) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function applyRules(library: CompiledLibrary, norm: Normalised, found: Occurrences): KeywordMatch[] {
  const { termStart, termEntries, wholeWord, exceptionStart, nearPattern, nearWords, entries } = library;
  const codes = norm.codes;
  const n = norm.length;
  let context: ContextIndex | null = null;
  let wordAt: Int32Array | null = null;
  const kept: { entry: number; start: number; end: number }[] = [];
  const d = found.data;

  for (let k = 0; k < found.count; k += 1) {
    const p = d[k * 3]!;
    const start = d[k * 3 + 1]!;
    const end = d[k * 3 + 2]!;
    const isWord = (start === 0 || codes[start - 1] === SPACE) && (end === n || codes[end] === SPACE);
    for (let t = termStart[p]!; t < termStart[p + 1]!; t += 1) {
      const e = termEntries[t]!;
      if (wholeWord[e] && !isWord) continue;
      if (exceptionStart[e + 1]! > exceptionStart[e]! || nearPattern[e]! >= 0) {
        context ??= indexContext(library, found);
        if (insideException(library, context, e, start, end)) continue;
        if (nearPattern[e]! >= 0) {
          wordAt ??= wordIndex(norm);
          if (!hasNear(context, wordAt, codes, nearPattern[e]!, nearWords[e]!, start, end)) continue;
        }
      }
      kept.push({ entry: e, start: norm.starts[start]!, end: norm.ends[end - 1]! });
    }
  }

  kept.sort((a, b) => a.start - b.start || a.end - b.end || a.entry - b.entry);
  const reachedBy = new Map<number, number>();
  const matches: KeywordMatch[] = [];
  for (const m of kept) {
    if ((reachedBy.get(m.entry) ?? -1) > m.start) continue;
    reachedBy.set(m.entry, m.end);
    const entry = entries[m.entry]!;
    matches.push({
      entryId: entry.id,
      term: entry.term,
      category: entry.category,
      severity: entry.severity,
      start: m.start,
      end: m.end,
    });
  }
  return matches;
}

/** Whether [start, end) lies inside an occurrence of one of entry e's exception phrases. */
function insideException(library: CompiledLibrary, context: ContextIndex, e: number, start: number, end: number): boolean {
  for (let x = library.exceptionStart[e]!; x < library.exceptionStart[e + 1]!; x += 1) {
    const q = library.exceptionPatterns[x]!;
    const [lo, hi] = rangeOf(context, q);
    // One pattern's occurrences are ordered by end and, being one length, by start too.
    const i = lowerBound(context.ends, lo, hi, end);
    if (i < hi && context.starts[i]! <= start) return true;
  }
  return false;
}

/** For each normalised position, how many words precede it. */
function wordIndex(norm: Normalised): Int32Array {
  const at = new Int32Array(norm.length + 1);
  let words = 0;
  for (let i = 0; i < norm.length; i += 1) {
    at[i] = words;
    if (norm.codes[i] === SPACE) words += 1;
  }
  at[norm.length] = words;
  return at;
}

/**
 * Whether the near phrase starts a word within `words` words of the match, on either side:
 * "cut" near "wrists" (2) accepts "cut my wrists" and "wrists, I cut them".
 */
function hasNear(
  context: ContextIndex,
  wordAt: Int32Array,
  codes: Uint16Array,
  q: number,
  words: number,
  start: number,
  end: number,
): boolean {
  const firstWord = wordAt[start]!;
  const lastWord = wordAt[end - 1]!;
  const [lo, hi] = rangeOf(context, q);
  // Occurrences in text order; skip those ending more than `words` words before the match.
  let lowest = lo;
  let top = hi;
  while (lowest < top) {
    const mid = (lowest + top) >>> 1;
    if (wordAt[context.ends[mid]! - 1]! < firstWord - words) lowest = mid + 1;
    else top = mid;
  }
  for (let i = lowest; i < hi; i += 1) {
    const s = context.starts[i]!;
    if (wordAt[s]! > lastWord + words) break;
    if (s === 0 || codes[s - 1] === SPACE) return true;
  }
  return false;
}

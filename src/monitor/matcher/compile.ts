import type { KeywordEntry } from '../keywords/types.js';
import { type Automaton, buildAutomaton } from './automaton.js';
import { normalise } from './normalise.js';

/**
 * A run of a letter in a pattern needs a run at least this long in the text (or the pattern's
 * own run if shorter): "ass" needs "ss" ("as" is an everyday word) while "suicide" is still
 * found in "suiiiicide" and "kill" (stored "ki", runs 1 and 3) in "kil".
 */
const MAX_REQUIRED_RUN = 2;

/**
 * A keyword library ready to scan: every term, near phrase and exception phrase of every entry
 * normalised and compiled into ONE automaton, plus per-entry rules in flat arrays.
 */
export interface CompiledLibrary {
  readonly entries: readonly KeywordEntry[];
  readonly automaton: Automaton;
  /** Per pattern: its length in normalised code units. */
  readonly patternLength: Int32Array;
  /** Per pattern: where its required runs start in `requiredRuns`, or -1 when every run is 1. */
  readonly runsAt: Int32Array;
  readonly requiredRuns: Uint8Array;
  /** Entries whose term is pattern p: `termEntries[termStart[p] .. termStart[p + 1])`. */
  readonly termStart: Int32Array;
  readonly termEntries: Int32Array;
  /** Whether a pattern is some entry's near or exception phrase, so its occurrences are kept. */
  readonly isContext: Uint8Array;
  readonly wholeWord: Uint8Array;
  /** Per entry: its near phrase's pattern (-1 for none) and how many words away it may be. */
  readonly nearPattern: Int32Array;
  readonly nearWords: Int32Array;
  /** Exception patterns of entry e: `exceptionPatterns[exceptionStart[e] .. exceptionStart[e + 1])`. */
  readonly exceptionStart: Int32Array;
  readonly exceptionPatterns: Int32Array;
  /** Ids of entries that can never match: their term or near phrase is only punctuation once normalised. */
  readonly unmatchable: readonly string[];
}

/**
 * Compiles a library. Identical normalised phrases share one pattern, so "kill" and "k1ll" in
 * two entries cost one path in the automaton.
 *
 * @example
 *   const library = compileLibrary([{ id: 'kms', term: 'kms', category: 'suicide', severity: 'critical', language: 'en' }]);
 *   scanText(library, 'i wanna k.m.s')[0]?.start; // 8
 */
export function compileLibrary(entries: readonly KeywordEntry[]): CompiledLibrary {
  const patterns = new PatternSet();
  const termOf = new Int32Array(entries.length).fill(-1);
  const nearPattern = new Int32Array(entries.length).fill(-1);
  const nearWords = new Int32Array(entries.length);
  const wholeWord = new Uint8Array(entries.length);
  const exceptionStart = new Int32Array(entries.length + 1);
  const exceptions: number[] = [];
  const unmatchable: string[] = [];

  entries.forEach((entry, e) => {
    termOf[e] = patterns.add(entry.term, false);
    wholeWord[e] = entry.wholeWord === false ? 0 : 1;
    if (entry.near) {
      nearPattern[e] = patterns.add(entry.near.phrase, true);
      nearWords[e] = entry.near.words;
      // A near phrase that is only punctuation can never be found: the entry never counts.
      if (nearPattern[e]! < 0) termOf[e] = -1;
    }
    if (termOf[e]! < 0) unmatchable.push(entry.id);
    for (const phrase of entry.exceptions ?? []) {
      const p = patterns.add(phrase, true);
      if (p >= 0) exceptions.push(p);
    }
    exceptionStart[e + 1] = exceptions.length;
  });

  const count = patterns.codes.length;
  const termStart = new Int32Array(count + 1);
  for (const p of termOf) if (p >= 0) termStart[p + 1]! += 1;
  for (let p = 0; p < count; p += 1) termStart[p + 1]! += termStart[p]!;
  const termEntries = new Int32Array(termStart[count]!);
  const fill = termStart.slice(0, count);
  termOf.forEach((p, e) => {
    if (p >= 0) termEntries[fill[p]!++] = e;
  });

  return {
    entries,
    automaton: buildAutomaton(patterns.codes),
    patternLength: Int32Array.from(patterns.codes, (c) => c.length),
    runsAt: Int32Array.from(patterns.runsAt),
    requiredRuns: Uint8Array.from(patterns.runs),
    termStart,
    termEntries,
    isContext: Uint8Array.from(patterns.context),
    wholeWord,
    nearPattern,
    nearWords,
    exceptionStart,
    exceptionPatterns: Int32Array.from(exceptions),
    unmatchable,
  };
}

/** Distinct normalised phrases: the same letters with different required runs are different. */
class PatternSet {
  readonly codes: Uint16Array[] = [];
  readonly runsAt: number[] = [];
  readonly runs: number[] = [];
  readonly context: number[] = [];
  private readonly ids = new Map<string, number>();

  /** The pattern id of `phrase`, or -1 when nothing of it survives normalisation. */
  add(phrase: string, context: boolean): number {
    const n = normalise(phrase);
    if (n.length === 0) return -1;
    const codes = n.codes.slice(0, n.length);
    const required = Array.from(n.runs.subarray(0, n.length), (r) => Math.min(r, MAX_REQUIRED_RUN));
    const key = `${String.fromCharCode(...codes)}\u0000${required.join('')}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.codes.length;
      this.ids.set(key, id);
      this.codes.push(codes);
      this.context.push(0);
      if (required.some((r) => r > 1)) {
        this.runsAt.push(this.runs.length);
        this.runs.push(...required);
      } else this.runsAt.push(-1);
    }
    if (context) this.context[id] = 1;
    return id;
  }
}

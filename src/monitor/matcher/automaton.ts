/**
 * An Aho–Corasick automaton over UTF-16 code units, stored as a full transition table in one
 * typed array: the scan costs one table read per character whatever the number of patterns.
 *
 * Memory is states × alphabet × 4 bytes. The alphabet is only the characters that occur in
 * some pattern (every other character sends the scan back to the start), so a Latin library
 * has about 40 symbols and 10,000 entries cost a few megabytes.
 */
export interface Automaton {
  /** Code unit → symbol; 0 for characters no pattern contains. */
  readonly symbols: Uint16Array;
  readonly width: number;
  /**
   * `delta[row + symbol]`, where `row` is a state's index × width, is the next state's row. A
   * state where some pattern ends is stored as `~row` (negative), so the hot loop tests the
   * sign instead of reading a second array.
   */
  readonly delta: Int32Array;
  /** Patterns ending exactly at a state: `outputs[outputStart[s] .. outputStart[s + 1])`. */
  readonly outputStart: Int32Array;
  readonly outputs: Int32Array;
  /** The nearest proper suffix state with outputs of its own, or -1. */
  readonly dictionaryLink: Int32Array;
  readonly states: number;
}

/**
 * Builds the automaton for `patterns` (pattern i is reported as i). Patterns may repeat.
 *
 * @example
 *   const a = buildAutomaton([Uint16Array.from([0x6b, 0x6d, 0x73])]); // "kms"
 *   a.states; // 4
 */
export function buildAutomaton(patterns: readonly Uint16Array[]): Automaton {
  const symbols = new Uint16Array(65_536);
  let width = 1;
  const children: Map<number, number>[] = [new Map()];
  const own: number[][] = [[]];
  patterns.forEach((pattern, id) => {
    let state = 0;
    for (const code of pattern) {
      let symbol = symbols[code]!;
      if (symbol === 0) {
        symbol = width;
        symbols[code] = width;
        width += 1;
      }
      let next = children[state]!.get(symbol);
      if (next === undefined) {
        next = children.length;
        children.push(new Map());
        own.push([]);
        children[state]!.set(symbol, next);
      }
      state = next;
    }
    own[state]!.push(id);
  });

  const states = children.length;
  const next = new Int32Array(states * width);
  const fail = new Int32Array(states);
  const dictionaryLink = new Int32Array(states).fill(-1);
  // Breadth first, so a state's failure state is complete before the state needs it.
  const queue = new Int32Array(states);
  let head = 0;
  let tail = 1;
  while (head < tail) {
    const s = queue[head++]!;
    const f = fail[s]!;
    for (let symbol = 0; symbol < width; symbol += 1) {
      const child = children[s]!.get(symbol);
      if (child === undefined) {
        next[s * width + symbol] = s === 0 ? 0 : next[f * width + symbol]!;
        continue;
      }
      next[s * width + symbol] = child;
      const childFail = s === 0 ? 0 : next[f * width + symbol]!;
      fail[child] = childFail;
      dictionaryLink[child] = own[childFail]!.length > 0 ? childFail : dictionaryLink[childFail]!;
      queue[tail++] = child;
    }
  }

  const reports = (s: number) => own[s]!.length > 0 || dictionaryLink[s]! >= 0;
  // Rewritten in place: a second table of the same size would double the peak memory.
  const delta = next;
  for (let i = 0; i < delta.length; i += 1) {
    const target = delta[i]!;
    delta[i] = reports(target) ? ~(target * width) : target * width;
  }
  const outputStart = new Int32Array(states + 1);
  for (let s = 0; s < states; s += 1) outputStart[s + 1] = outputStart[s]! + own[s]!.length;
  const outputs = new Int32Array(outputStart[states]!);
  for (let s = 0; s < states; s += 1) outputs.set(own[s]!, outputStart[s]!);
  return { symbols, width, delta, outputStart, outputs, dictionaryLink, states };
}

/**
 * The arrays normalisation reads and writes. Kept apart from the rules in normalise.ts: they
 * are reused from one message to the next, which is what makes short messages cheap.
 */
const SPACE = 0x20;

/**
 * A message as the automaton sees it, with the way back to the original. Normalised text holds
 * only letters, digits and single spaces between words; every normalised character remembers
 * the span of the original it came from, so a match maps back to what the pupil typed.
 */
export interface Normalised {
  /** Normalised UTF-16 code units; only the first `length` count. */
  readonly codes: Uint16Array;
  readonly length: number;
  /**
   * How many times each character stood in a row before repeats were collapsed (at most 255):
   * "kiiiill" is "ki" with runs [1, 6]. The scan uses it so that "as" does not match "ass".
   */
  readonly runs: Uint8Array;
  /** Original UTF-16 offset where each normalised character starts. */
  readonly starts: Int32Array;
  /** Original UTF-16 offset just after each normalised character. */
  readonly ends: Int32Array;
}

/** Everything one normalisation needs: the folded units, the token bounds and the output. */
export class Workspace {
  /** The characters folded one by one, before any rule that looks at neighbours. */
  codes = new Uint16Array(0);
  kinds = new Uint8Array(0);
  starts = new Int32Array(0);
  ends = new Int32Array(0);
  units = 0;
  /** Maximal runs of non-separator units, as [start, end) pairs of unit indices. */
  bounds = new Int32Array(0);
  /** Per token: 1 when it is letters only, the common case written without leetspeak rules. */
  plain = new Uint8Array(0);
  tokens = 0;
  /** The message being normalised: spaced-out letters compare their original separators. */
  text = '';
  out = new Output(0);

  reserve(capacity: number): void {
    if (this.codes.length >= capacity) return;
    this.codes = new Uint16Array(capacity);
    this.kinds = new Uint8Array(capacity);
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.bounds = new Int32Array(capacity * 2 + 2);
    this.plain = new Uint8Array(capacity + 1);
    this.out = new Output(capacity);
  }

  /** NFKD can turn one character into many ("ﷺ"); rare enough to grow by copying. */
  growUnits(need: number): void {
    if (this.units + need <= this.codes.length) return;
    const size = (this.codes.length + need) * 2;
    const codes = new Uint16Array(size);
    const kinds = new Uint8Array(size);
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
    codes.set(this.codes);
    kinds.set(this.kinds);
    starts.set(this.starts);
    ends.set(this.ends);
    this.codes = codes;
    this.kinds = kinds;
    this.starts = starts;
    this.ends = ends;
    this.bounds = new Int32Array(size * 2 + 2);
    this.plain = new Uint8Array(size + 1);
  }
}

/** The normalised text under construction, with the state that collapsing repeats needs. */
export class Output implements Normalised {
  codes: Uint16Array;
  runs: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
  length = 0;
  /** Whether the last character may absorb a repeat of itself (letters only, not digits). */
  lastCollapses = false;

  constructor(capacity: number) {
    this.codes = new Uint16Array(capacity);
    this.runs = new Uint8Array(capacity);
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
  }

  reset(capacity: number): void {
    if (this.codes.length < capacity) {
      this.codes = new Uint16Array(capacity);
      this.runs = new Uint8Array(capacity);
      this.starts = new Int32Array(capacity);
      this.ends = new Int32Array(capacity);
    }
    this.length = 0;
    this.lastCollapses = false;
  }

  /** Room for `capacity` characters, keeping those already written. */
  ensure(capacity: number): void {
    if (this.codes.length >= capacity) return;
    const codes = new Uint16Array(capacity);
    const runs = new Uint8Array(capacity);
    const starts = new Int32Array(capacity);
    const ends = new Int32Array(capacity);
    codes.set(this.codes.subarray(0, this.length));
    runs.set(this.runs.subarray(0, this.length));
    starts.set(this.starts.subarray(0, this.length));
    ends.set(this.ends.subarray(0, this.length));
    this.codes = codes;
    this.runs = runs;
    this.starts = starts;
    this.ends = ends;
  }

  push(code: number, collapses: boolean, start: number, end: number): void {
    const n = this.length;
    if (collapses && this.lastCollapses && this.codes[n - 1] === code) {
      const run = this.runs[n - 1]!;
      if (run < 255) this.runs[n - 1] = run + 1;
      this.ends[n - 1] = end;
      return;
    }
    this.codes[n] = code;
    this.runs[n] = 1;
    this.starts[n] = start;
    this.ends[n] = end;
    this.length = n + 1;
    this.lastCollapses = collapses;
  }

  space(at: number): void {
    const n = this.length;
    if (n === 0 || this.codes[n - 1] === SPACE) return;
    this.push(SPACE, false, at, at);
  }

  finish(): Normalised {
    if (this.length > 0 && this.codes[this.length - 1] === SPACE) this.length -= 1;
    return this;
  }
}

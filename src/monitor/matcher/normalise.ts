import { type Normalised, type Output, Workspace } from './buffers.js';
import { ASCII_CODE, ASCII_KIND, DIGIT, DROP, foldCodePoint, I_CLASS, LEET, LETTER, MARK, SEP, SYMBOL } from './fold.js';

const SPACE = 0x20;
const NEWLINE = 0x0a;
/** Letters spaced out one by one ("s u i c i d e") are joined only from this many on. */
const MIN_SPACED_LETTERS = 3;

export type { Normalised };

/**
 * Folds a message in time linear in its length: case, diacritics, look-alike letters,
 * leetspeak inside words, zero-width characters, letters spaced out with one separator, and
 * repeated letters. Library terms go through the same function, which is why they are stored
 * normalised ("kill" is kept as "ki").
 *
 * @example
 *   normalisedText(normalise('S.U.I.C.1.D.E')); // 'suicide'
 *   normalisedText(normalise('k1ll mys3lf!!')); // 'ki myseif'
 */
export function normalise(text: string): Normalised {
  const n = normaliseWith(text, false);
  return {
    codes: n.codes.slice(0, n.length),
    runs: n.runs.slice(0, n.length),
    starts: n.starts.slice(0, n.length),
    ends: n.ends.slice(0, n.length),
    length: n.length,
  };
}

/** The normalised text as a string, for tests, tools and error messages. */
export function normalisedText(n: Normalised): string {
  let out = '';
  for (let i = 0; i < n.length; i += 1) out += String.fromCharCode(n.codes[i]!);
  return out;
}

// Module-local copies: under a transpiling loader an imported binding can be a getter call, and
// these are read for every character.
const K_SEP = SEP;
const K_LETTER = LETTER;
const K_DIGIT = DIGIT;
const K_SYMBOL = SYMBOL;
const K_DROP = DROP;
const K_MARK = MARK;
const I = I_CLASS;
const LEET_CODE = LEET;
const CODE = ASCII_CODE;
const KIND = ASCII_KIND;

/**
 * The workspace is reused from one message to the next: allocating a dozen typed arrays per
 * short chat message costs more than normalising it. Messages longer than this get their own,
 * so one huge message does not keep megabytes alive.
 */
const REUSED_UP_TO = 1 << 16;
const shared = new Workspace();

/**
 * `normalise` without copying the result out: the arrays belong to a workspace the next call
 * overwrites, so the caller must be done with them first. The scan uses this.
 */
export function normaliseTransient(text: string): Normalised {
  return normaliseWith(text, true);
}

/**
 * `plainFirst` takes the one-pass route for plain words before the general path. Both give the
 * same result (the tests compare them); compiling a library stays on the general path because
 * thousands of short terms would train the JIT on them and leave the one-pass loop about half
 * as fast on the messages scanned afterwards.
 */
function normaliseWith(text: string, plainFirst: boolean): Normalised {
  const w = text.length <= REUSED_UP_TO ? shared : new Workspace();
  w.reserve(text.length + 16);
  w.text = text;
  w.out.reset(text.length + 1);
  const rest = plainFirst ? emitPlainWords(text, w.out) : 0;
  if (rest === text.length) return w.out.finish();
  foldUnits(w, text, rest);
  splitTokens(w);
  return emitWords(w);
}

/**
 * The common case in one pass, straight from the text to the output: words of two or more
 * ASCII letters between ASCII separators, and lone letters that cannot start a spaced-out
 * chain. Chat is mostly this, and the general path's intermediate arrays cost more than the
 * folding itself. Stops at the first thing it cannot decide alone (a digit, symbol, apostrophe,
 * non-ASCII letter, or a lone letter that may start a chain) and returns where the general path
 * must take over; what it wrote is what the general path would have written, because no rule
 * looks back past a word of two letters or across a separator.
 */
function emitPlainWords(text: string, out: Output): number {
  const len = text.length;
  const outCodes = out.codes;
  const runs = out.runs;
  const outStarts = out.starts;
  const outEnds = out.ends;
  let n = 0;
  let i = 0;
  while (i < len) {
    const c = text.charCodeAt(i);
    if (c >= 128) {
      // Emoji and other separators, marks on a separator and zero-width characters between
      // words leave nothing in the output; anything else may be part of a word.
      if (!isNonWord(text, c, i)) break;
      i += c >= 0xd800 && c <= 0xdbff && i + 1 < len && isLowSurrogate(text.charCodeAt(i + 1)) ? 2 : 1;
      continue;
    }
    const kind = KIND[c]!;
    if (kind === K_SEP) {
      i += 1;
      continue;
    }
    if (kind !== K_LETTER) break;
    let j = i + 1;
    while (j < len) {
      const d = text.charCodeAt(j);
      if (d >= 128 || KIND[d] !== K_LETTER) break;
      j += 1;
    }
    if (j < len) {
      const d = text.charCodeAt(j);
      if (d >= 128 || KIND[d] !== K_SEP) break;
      // A lone letter starts a chain only if one separator and another lone letter follow.
      if (j === i + 1 && j + 1 < len && !endsChain(text, j + 1)) break;
    }
    if (n > 0) {
      outCodes[n] = SPACE;
      runs[n] = 1;
      outStarts[n] = i;
      outEnds[n] = i;
      n += 1;
    }
    let previous = -1;
    for (let k = i; k < j; k += 1) {
      const code = CODE[text.charCodeAt(k)]!;
      if (code === previous) {
        const run = runs[n - 1]!;
        if (run < 255) runs[n - 1] = run + 1;
        outEnds[n - 1] = k + 1;
        continue;
      }
      outCodes[n] = code;
      runs[n] = 1;
      outStarts[n] = k;
      outEnds[n] = k + 1;
      n += 1;
      previous = code;
    }
    i = j;
  }
  out.length = n;
  out.lastCollapses = n > 0;
  return i;
}

/** Whether what follows a lone letter and one separator cannot continue a chain: another separator or a word of two letters. */
function endsChain(text: string, at: number): boolean {
  const e = text.charCodeAt(at);
  if (e >= 128) return false;
  if (KIND[e] === K_SEP) return true;
  if (KIND[e] !== K_LETTER || at + 1 >= text.length) return false;
  const f = text.charCodeAt(at + 1);
  return f < 128 && KIND[f] === K_LETTER;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** Whether the non-ASCII code point at `i` folds to separators, a mark or nothing. */
function isNonWord(text: string, c: number, i: number): boolean {
  let cp = c;
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
    const d = text.charCodeAt(i + 1);
    if (isLowSurrogate(d)) cp = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
  }
  const f = foldCodePoint(cp);
  if (f.whole === K_MARK || f.whole === K_DROP) return true;
  for (let k = 0; k < f.kinds.length; k += 1) if (f.kinds[k] !== K_SEP) return false;
  return true;
}

function foldUnits(w: Workspace, text: string, from: number): void {
  const len = text.length;
  // Locals for the hot ASCII loop; reloaded whenever an expansion may have grown the arrays.
  let codes = w.codes;
  let kinds = w.kinds;
  let starts = w.starts;
  let ends = w.ends;
  let n = 0;
  let i = from;
  while (i < len) {
    const c = text.charCodeAt(i);
    if (c < 128) {
      // No capacity check: there is always room for one unit per remaining character.
      const kind = KIND[c]!;
      if (kind !== K_DROP) {
        codes[n] = CODE[c]!;
        kinds[n] = kind;
        starts[n] = i;
        ends[n] = i + 1;
        n += 1;
      }
      i += 1;
      continue;
    }
    let cp = c;
    let width = 1;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < len) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        cp = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        width = 2;
      }
    }
    const f = foldCodePoint(cp);
    if (f.whole === K_MARK) {
      // "e" + U+0301: the accent belongs to the letter's highlight.
      for (let k = n - 1; k >= 0 && ends[k] === i; k -= 1) ends[k] = i + width;
    } else if (f.whole !== K_DROP) {
      w.units = n;
      w.growUnits(f.codes.length + (len - i));
      codes = w.codes;
      kinds = w.kinds;
      starts = w.starts;
      ends = w.ends;
      for (let k = 0; k < f.codes.length; k += 1) {
        codes[n] = f.codes[k]!;
        kinds[n] = f.kinds[k]!;
        starts[n] = i;
        ends[n] = i + width;
        n += 1;
      }
    }
    i += width;
  }
  w.units = n;
}

function splitTokens(w: Workspace): void {
  const kinds = w.kinds;
  const units = w.units;
  const bounds = w.bounds;
  const plain = w.plain;
  let count = 0;
  let i = 0;
  while (i < units) {
    while (i < units && kinds[i] === K_SEP) i += 1;
    if (i >= units) break;
    const start = i;
    let onlyLetters = 1;
    for (; i < units; i += 1) {
      const kind = kinds[i];
      if (kind === K_SEP) break;
      if (kind !== K_LETTER) onlyLetters = 0;
    }
    bounds[count * 2] = start;
    bounds[count * 2 + 1] = i;
    plain[count] = onlyLetters;
    count += 1;
  }
  w.tokens = count;
}

/**
 * Writes the tokens out as words. A chain of at least three one-letter tokens, each pair
 * separated by exactly one separator, the same one throughout and on the same line, is one
 * word ("s.u.i.c.i.d.e", but "i c.u.t" is "i cut"); ordinary
 * words are never glued because a chain needs one-letter tokens.
 */
function emitWords(w: Workspace): Normalised {
  // Never longer than the units (plus what is already written): each unit writes at most one
  // character, each gap one space.
  // So the output arrays are sized once here and can be held in locals for the whole message.
  const out = w.out;
  // Whatever the plain-word pass wrote stays in front.
  out.ensure(out.length + w.units + 1);
  const b = w.bounds;
  const plain = w.plain;
  const count = w.tokens;
  const codes = w.codes;
  const starts = w.starts;
  const ends = w.ends;
  const outCodes = out.codes;
  const runs = out.runs;
  const outStarts = out.starts;
  const outEnds = out.ends;
  let k = 0;
  while (k < count) {
    const from = b[k * 2]!;
    const to = b[k * 2 + 1]!;
    if (plain[k] && to - from > 1) {
      // The common case, a word of plain letters, written inline.
      let n = out.length;
      if (n > 0 && outCodes[n - 1] !== SPACE) {
        outCodes[n] = SPACE;
        runs[n] = 1;
        outStarts[n] = starts[from]!;
        outEnds[n] = starts[from]!;
        n += 1;
      }
      let previous = -1;
      for (let i = from; i < to; i += 1) {
        const code = codes[i]!;
        if (code === previous) {
          const run = runs[n - 1]!;
          if (run < 255) runs[n - 1] = run + 1;
          outEnds[n - 1] = ends[i]!;
          continue;
        }
        outCodes[n] = code;
        runs[n] = 1;
        outStarts[n] = starts[i]!;
        outEnds[n] = ends[i]!;
        n += 1;
        previous = code;
      }
      out.length = n;
      out.lastCollapses = true;
      k += 1;
      continue;
    }
    let last = k;
    if (to - from === 1 && k + 1 < count) {
      // One separator throughout: in "i c.u.t" the space ends the pronoun, the dots make "cut".
      const separator = w.text.charCodeAt(starts[to]!);
      while (last + 1 < count && isSpacedLetter(w, last) && w.text.charCodeAt(starts[b[last * 2 + 1]!]!) === separator) last += 1;
    }
    out.space(starts[from]!);
    if (last - k + 1 >= MIN_SPACED_LETTERS) {
      emitWord(gather(w, k, last), 0, last - k + 1, out);
      k = last + 1;
    } else {
      if (plain[k]) emitLetters(w, from, to, out);
      else emitWord(w, from, to, out);
      k += 1;
    }
  }
  return out.finish();
}

/** Whether token `k` (one unit long) continues into token `k + 1` as spaced-out letters. */
function isSpacedLetter(w: Workspace, k: number): boolean {
  const b = w.bounds;
  const gapStart = b[k * 2 + 1]!;
  const next = b[(k + 1) * 2]!;
  return next - gapStart === 1 && w.codes[gapStart] !== NEWLINE && b[(k + 1) * 2 + 1]! - next === 1;
}

/** Where chains are gathered: the same class as the workspace keeps the word writers monomorphic. */
const chainScratch = new Workspace();

/** The one-unit tokens first..last copied side by side, so a chain is written like a token. */
function gather(w: Workspace, first: number, last: number): Workspace {
  const size = last - first + 1;
  const chain = chainScratch;
  chain.reserve(size);
  for (let j = 0; j < size; j += 1) {
    const u = w.bounds[(first + j) * 2]!;
    chain.codes[j] = w.codes[u]!;
    chain.kinds[j] = w.kinds[u]!;
    chain.starts[j] = w.starts[u]!;
    chain.ends[j] = w.ends[u]!;
  }
  return chain;
}

/**
 * Writes units [from, to) as one word. Leetspeak applies only to a word that has a real
 * letter, so "2024" and "$5" stay as they are; "!" and "|" count as "i" only between letters,
 * so "die!" still ends in "die".
 */
function emitWord(u: Workspace, from: number, to: number, out: Output): void {
  const kinds = u.kinds;
  const codes = u.codes;
  let hasLetter = false;
  let onlyLetters = true;
  let lastAlnum = -1;
  for (let i = from; i < to; i += 1) {
    const kind = kinds[i];
    if (kind === K_LETTER) hasLetter = true;
    else onlyLetters = false;
    if (kind === K_LETTER || kind === K_DIGIT) lastAlnum = i;
  }
  if (onlyLetters) {
    emitLetters(u, from, to, out);
    return;
  }
  let seenAlnum = false;
  for (let i = from; i < to; i += 1) {
    const code = codes[i]!;
    const kind = kinds[i];
    if (kind === K_LETTER) {
      out.push(code, true, u.starts[i]!, u.ends[i]!);
      seenAlnum = true;
    } else if (kind === K_DIGIT) {
      const leet = hasLetter && code < 128 ? LEET_CODE[code]! : 0;
      if (leet !== 0) out.push(leet, true, u.starts[i]!, u.ends[i]!);
      else out.push(code, false, u.starts[i]!, u.ends[i]!);
      seenAlnum = true;
    } else if (kind === K_SYMBOL && hasLetter && (code === 0x24 || code === 0x40)) {
      out.push(LEET_CODE[code]!, true, u.starts[i]!, u.ends[i]!);
    } else if (kind === K_SYMBOL && hasLetter && seenAlnum && i < lastAlnum) {
      out.push(I, true, u.starts[i]!, u.ends[i]!);
    } else {
      out.space(u.starts[i]!);
    }
  }
}

/** The common case, a word of plain letters, with the output's state held in locals. */
function emitLetters(u: Workspace, from: number, to: number, out: Output): void {
  const codes = u.codes;
  const starts = u.starts;
  const ends = u.ends;
  const outCodes = out.codes;
  const runs = out.runs;
  const outStarts = out.starts;
  const outEnds = out.ends;
  let n = out.length;
  let collapses = out.lastCollapses;
  for (let i = from; i < to; i += 1) {
    const code = codes[i]!;
    if (collapses && outCodes[n - 1] === code) {
      const run = runs[n - 1]!;
      if (run < 255) runs[n - 1] = run + 1;
      outEnds[n - 1] = ends[i]!;
      continue;
    }
    outCodes[n] = code;
    runs[n] = 1;
    outStarts[n] = starts[i]!;
    outEnds[n] = ends[i]!;
    n += 1;
    collapses = true;
  }
  out.length = n;
  out.lastCollapses = true;
}

/**
 * Folding of single characters: what one code point of a message becomes before the keyword
 * automaton sees it. Word-level rules (leetspeak, spaced-out letters, repeated letters) live in
 * normalise.ts because they depend on the neighbours.
 */

/** Not part of any word: spaces, punctuation, emoji. Becomes a word break. */
export const SEP = 0;
export const LETTER = 1;
export const DIGIT = 2;
/** `$ @ ! |`: a letter inside a word that has letters ("a$$", "k!ll"), punctuation elsewhere. */
export const SYMBOL = 3;
/** Removed without a trace: zero-width characters and apostrophes ("don't" is "dont"). */
export const DROP = 4;
/** A combining mark: removed, but the highlight of the letter before it grows to cover it. */
export const MARK = 5;

/**
 * "1", "l", "i", "|" and "!" all stand for one another in pupils' writing ("k1ll", "ki11",
 * "k!ll"), and "1" cannot be told apart from either letter, so every one of them becomes "i" —
 * on the library side as well, so "kill" is stored as "kiii" (then "ki", repeats collapsed).
 */
export const I_CLASS = 0x69;

/** Digits and symbols that stand for letters inside a word (see normalise.ts for when). */
export const LEET = new Uint16Array(128);
for (const [from, to] of ['0o', '1i', '3e', '4a', '5s', '7t', '$s', '@a', '!i', '|i']) {
  LEET[from!.charCodeAt(0)] = to === 'i' ? I_CLASS : to!.charCodeAt(0);
}

/** Per ASCII code: the folded code and its kind. */
export const ASCII_CODE = new Uint16Array(128);
export const ASCII_KIND = new Uint8Array(128);
for (let c = 0; c < 128; c += 1) {
  const ch = String.fromCharCode(c);
  let code = 0x20;
  let kind = SEP;
  if (/[a-zA-Z]/.test(ch)) {
    code = ch.toLowerCase().charCodeAt(0);
    if (code === 0x6c) code = I_CLASS;
    kind = LETTER;
  } else if (/[0-9]/.test(ch)) {
    code = c;
    kind = DIGIT;
  } else if ('$@!|'.includes(ch)) {
    code = c;
    kind = SYMBOL;
  } else if (ch === "'" || ch === '`') {
    kind = DROP;
  } else if (ch === '\n' || ch === '\r') {
    // Kept apart from other separators: letters spaced out never continue onto the next line.
    code = 0x0a;
  }
  ASCII_CODE[c] = code;
  ASCII_KIND[c] = kind;
}

/**
 * Letters from other scripts that look like Latin ones (the common part of Unicode's
 * confusables list), and Latin letters NFKD leaves whole. Applied after lower-casing, so only
 * lower-case forms are listed. Fullwidth and mathematical letters need no entry: NFKD already
 * turns them into ASCII.
 */
const CONFUSABLES: Record<string, string> = {
  // Cyrillic
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  һ: 'h',
  н: 'h',
  і: 'i',
  ї: 'i',
  ј: 'j',
  к: 'k',
  ӏ: 'l',
  м: 'm',
  о: 'o',
  р: 'p',
  ԛ: 'q',
  ѕ: 's',
  т: 't',
  у: 'y',
  ԝ: 'w',
  х: 'x',
  с: 'c',
  ԁ: 'd',
  ь: 'b',
  // Greek
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  γ: 'y',
  ω: 'w',
  // Latin letters without a decomposition
  ł: 'l',
  đ: 'd',
  ø: 'o',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ı: 'i',
  ɡ: 'g',
  ɑ: 'a',
};

const ZERO_WIDTH = new Set([0x200b, 0x200c, 0x200d, 0x2060, 0xfeff, 0x00ad, 0x180e, 0x2061, 0x2062, 0x2063, 0x2064, 0x034f]);
const APOSTROPHES = new Set([0x2019, 0x2018, 0x02bc, 0x00b4]);

export interface Folded {
  /** UTF-16 code units the code point becomes (empty for DROP and MARK). */
  codes: number[];
  kinds: number[];
  /** DROP or MARK for the whole code point; otherwise -1 and `kinds` says per unit. */
  whole: number;
}

const cache = new Map<number, Folded>();

/**
 * Folds one non-ASCII code point: confusables, NFKD without marks, lower case, then the ASCII
 * rules again (so a fullwidth "Ｌ" ends as "i" like "L"). Cached: chat uses few distinct
 * characters, and NFKD per character would dominate the scan.
 *
 * @example
 *   foldCodePoint(0x0455).codes; // [0x73] — Cyrillic "ѕ" is "s"
 */
export function foldCodePoint(cp: number): Folded {
  let folded = cache.get(cp);
  if (folded === undefined) {
    folded = foldUncached(cp);
    if (cache.size < 65_536) cache.set(cp, folded);
  }
  return folded;
}

function foldUncached(cp: number): Folded {
  if (ZERO_WIDTH.has(cp) || APOSTROPHES.has(cp)) return { codes: [], kinds: [], whole: DROP };
  const ch = String.fromCodePoint(cp);
  if (/^\p{M}$/u.test(ch)) return { codes: [], kinds: [], whole: MARK };
  const lower = ch.toLowerCase();
  const base = CONFUSABLES[lower] ?? lower.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  const codes: number[] = [];
  const kinds: number[] = [];
  for (const part of base) {
    for (const point of CONFUSABLES[part] ?? part) {
      const c = point.charCodeAt(0);
      if (c < 128) {
        if (ASCII_KIND[c] === DROP) continue;
        codes.push(ASCII_CODE[c]!);
        kinds.push(ASCII_KIND[c]!);
        continue;
      }
      const kind = /\p{L}/u.test(point) ? LETTER : /\p{N}/u.test(point) ? DIGIT : SEP;
      if (kind === SEP) {
        codes.push(0x20);
        kinds.push(SEP);
        continue;
      }
      // A letter outside the BMP is two units, both of its kind, so the word stays whole.
      for (let u = 0; u < point.length; u += 1) {
        codes.push(point.charCodeAt(u));
        kinds.push(kind);
      }
    }
  }
  if (codes.length === 0) return { codes, kinds, whole: DROP };
  return { codes, kinds, whole: -1 };
}

/**
 * What an alert keeps of the text it was raised on: the match with some context either side,
 * cut at word boundaries so the DSL reads whole words, and where the match lies in it.
 */

export interface Excerpt {
  /** The text around the match; "…" marks where it was cut. */
  excerpt: string;
  /** The match is excerpt.slice(highlightStart, highlightEnd) (UTF-16 offsets, like the matcher's). */
  highlightStart: number;
  highlightEnd: number;
  /** The words of the original text that matched, as written ("s.u.i.c.i.d.e"). */
  matched: string;
}

export const EXCERPT_CONTEXT = 120;
const ELLIPSIS = '…';
const isSpace = (c: string | undefined) => c !== undefined && /\s/u.test(c);
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;
/** A combining mark (an accent, a variation selector) or a zero-width joiner: it belongs to the character before it. */
const JOINS_PREVIOUS = /^[\p{M}\u200d]/u;

/**
 * Never cut between the two halves of a surrogate pair (an emoji would turn into garbage), nor
 * between a letter and its accents: the cut moves forward to the next whole character.
 */
function safeCut(text: string, at: number): number {
  let cut = at > 0 && at < text.length && isLowSurrogate(text.charCodeAt(at)) ? at + 1 : at;
  // A joiner also ties on the character after it (the parts of a family emoji), so that goes too.
  while (cut > 0 && cut < text.length && (JOINS_PREVIOUS.test(text.slice(cut, cut + 2)) || text.charCodeAt(cut - 1) === 0x200d)) {
    cut += (text.codePointAt(cut) ?? 0) > 0xffff ? 2 : 1;
  }
  return cut;
}

/**
 * The match `text[start, end)` with up to `context` characters either side. A side that had to
 * be cut is cut at the nearest word boundary inside the window (or mid-word when a single word
 * fills the window) and marked with "…". Runs of whitespace, line breaks included, become one
 * space so a multi-line e-mail reads as one excerpt; offsets follow.
 *
 * @example
 *   captureExcerpt('please help i want to kms tonight', 22, 25);
 *   // { excerpt: 'please help i want to kms tonight', highlightStart: 22, highlightEnd: 25, matched: 'kms' }
 */
export function captureExcerpt(text: string, start: number, end: number, context = EXCERPT_CONTEXT): Excerpt {
  let from = start;
  if (start > context) {
    from = Math.min(safeCut(text, start - context), start);
    // Move forward to the start of the next whole word, unless that would leave no context.
    let word = from;
    while (word < start && !isSpace(text[word - 1])) word += 1;
    if (word < start) from = word;
  } else from = 0;
  let to = end;
  if (text.length - end > context) {
    to = safeCut(text, end + context);
    let word = to;
    while (word > end && !isSpace(text[word])) word -= 1;
    if (word > end) to = word;
  } else to = text.length;

  const before = collapse(text.slice(from, start)).trimStart();
  const matched = text.slice(start, end);
  const after = collapse(text.slice(end, to)).trimEnd();
  const head = from > 0 ? ELLIPSIS : '';
  const tail = to < text.length ? ELLIPSIS : '';
  const highlightStart = head.length + before.length;
  return {
    excerpt: `${head}${before}${collapse(matched)}${after}${tail}`,
    highlightStart,
    highlightEnd: highlightStart + collapse(matched).length,
    matched,
  };
}

const collapse = (s: string) => s.replace(/\s+/gu, ' ');

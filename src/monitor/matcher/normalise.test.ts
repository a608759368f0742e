import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Normalised, normalise, normaliseTransient, normalisedText } from './normalise.js';

const folded = (text: string) => normalisedText(normalise(text));

/** The original text behind each normalised character, to check the offset map. */
function spans(text: string): string[] {
  const n = normalise(text);
  return Array.from({ length: n.length }, (_, i) => text.slice(n.starts[i], n.ends[i]));
}

describe('normalise', () => {
  it('lower-cases and removes diacritics, precomposed or combining', () => {
    assert.equal(folded('ZABIĆ SIĘ'), 'zabic sie');
    assert.equal(folded('e\u0301te\u0301'), 'ete');
    assert.deepEqual(spans('e\u0301t'), ['e\u0301', 't']);
  });

  it('maps look-alike Cyrillic, Greek, fullwidth and mathematical letters to Latin', () => {
    assert.equal(folded('\u0455uicide'), 'suicide');
    assert.equal(folded('\u0440\u043ern'), 'porn');
    assert.equal(folded('\u03ba\u03b9\u03bf'), 'kio');
    assert.equal(folded('\uff53\uff55\uff49\uff43\uff49\uff44\uff45'), 'suicide');
    assert.equal(folded('\u{1d42c}\u{1d42e}\u{1d422}\u{1d41c}\u{1d422}\u{1d41d}\u{1d41e}'), 'suicide');
  });

  it('reads leetspeak inside words that have letters', () => {
    assert.equal(folded('$u1c1d3'), 'suicide');
    assert.equal(folded('h0e'), 'hoe');
    assert.equal(folded('@ss'), 'as');
    assert.equal(folded('7ime'), 'time');
    assert.equal(folded('k!ll'), 'ki');
    assert.equal(folded('k|ll'), 'ki');
  });

  it('leaves numbers and prices alone and keeps "!" as punctuation at the end of a word', () => {
    assert.equal(folded('2024 at 5pm'), '2024 at spm');
    assert.equal(folded('£5 or $5'), '5 or 5');
    assert.equal(folded('die!!'), 'die');
    assert.equal(folded('kill! myself'), 'ki myseif', 'one space, however the word before ended');
    assert.equal(folded('help!me'), 'heipime', 'between letters "!" is an i');
  });

  it('treats l, 1, i, | and ! as one letter', () => {
    assert.equal(folded('kill'), folded('k1ll'));
    assert.equal(folded('kill'), folded('kiII'));
    assert.equal(folded('myself'), 'myseif');
  });

  it('collapses repeated letters and records how long each run was', () => {
    const n = normalise('kiiiiill');
    assert.equal(normalisedText(n), 'ki');
    assert.deepEqual([...n.runs.subarray(0, n.length)], [1, 7]);
    assert.equal(folded('sooooo'), 'so');
    assert.equal(folded('1000'), '1000', 'digits are not letters: their repeats stay');
  });

  it('drops zero-width characters and soft hyphens inside words', () => {
    assert.equal(folded('su\u200bi\u200cc\u200di\u2060d\ufeffe'), 'suicide');
    assert.equal(folded('sui\u00adcide'), 'suicide');
    assert.deepEqual(spans('su\u200bicide').slice(1, 3), ['u', 'i']);
  });

  it('joins letters spaced out with one separator, whatever the separator', () => {
    for (const text of ['s.u.i.c.i.d.e', 's u i c i d e', 's-u-i-c-i-d-e', 's_u_i_c_i_d_e', 's*u*i*c*i*d*e']) {
      assert.equal(folded(text), 'suicide', text);
    }
    assert.equal(folded('i will k m s'), 'i wi kms');
  });

  it('does not glue ordinary words, pairs of letters, or letters on separate lines', () => {
    assert.equal(folded('I am a boy'), 'i am a boy');
    assert.equal(folded('a b'), 'a b');
    assert.equal(folded('s. u. i'), 's u i');
    assert.equal(folded('a\nb\nc'), 'a b c');
  });

  it('keeps a one-letter word apart from spaced letters that use another separator', () => {
    assert.equal(folded('i c.u.t myself'), 'i cut myseif');
    assert.equal(folded('a k.y.s'), 'a kys');
    assert.equal(folded('s u.i.c.i.d.e'), 's uicide');
  });

  it('turns every run of separators, punctuation and emoji into one space, trimmed', () => {
    assert.equal(folded('  hello,   world 💀!! '), 'heio worid');
    assert.equal(folded("don't"), 'dont');
  });

  it('combines the tricks: confusables, leetspeak, repeats and spacing together', () => {
    assert.equal(folded('K.1.L.L  mys3lllf'), 'ki myseif');
    assert.equal(folded('\u0455\u200bu\u0456\u0441\u0456d\u0435\u0435\u0435'), 'suicide');
    assert.equal(folded('S . U'), 's u');
  });

  it('maps every normalised character back to the original span it came from', () => {
    const text = 'xy s.u.i 💀 K1LLL';
    const n = normalise(text);
    assert.equal(normalisedText(n), 'xy sui ki');
    assert.deepEqual(spans(text), ['x', 'y', '', 's', 'u', 'i', '', 'K', '1LLL']);
    assert.equal(text.slice(n.starts[3], n.ends[5]), 's.u.i');
  });

  it('keeps offsets right after emoji and other characters outside the BMP', () => {
    const text = '😀👍🏽 kill';
    const n = normalise(text);
    assert.equal(text.slice(n.starts[0], n.ends[n.length - 1]), 'kill');
  });

  it('returns nothing for empty text or text with no letters or digits', () => {
    assert.equal(normalise('').length, 0);
    assert.equal(normalise(' \u200b!!! 💀 ').length, 0);
  });

  it('returns a result that later calls do not overwrite', () => {
    const first = normalise('kill');
    normalise('suicide and a much longer message than the first one');
    assert.equal(normalisedText(first), 'ki');
  });

  it('handles a lone surrogate without throwing', () => {
    assert.equal(folded('a\ud800b'), 'a b');
  });

  it('gives the same result on the one-pass route for plain words as on the general path', () => {
    // Each message mixes plain words with what only the general path decides: chains of lone
    // letters after plain words, lone letters before other lone letters, marks, drops, emoji.
    const messages = [
      'hello world',
      'i want to go home',
      'hello s u i c i d e now',
      'ok x s.u.i.c.i.d.e',
      'go a b c d',
      'a b',
      'i c.u.t',
      'we are a bc team',
      'so   many  spaces  a  b  c',
      'lol \u{1f602} k m s',
      'lol \u{1f602}\u{1f602} fine',
      'love it \u2764\ufe0f a.b.c',
      "dont don't don\u2019t ok",
      'word \u0301 a\u0301b next',
      'zero\u200bwidth and ki\u200bll',
      'kiiiiill me pls',
      'ha k1ll mys3lf 2024 $5',
      'x\ny\nz then a\nb\nc',
      'end with a lone letter a',
      'trailing space a ',
      'caf\u00e9 \u0455uicide \uff4b\uff4d\uff53 ok',
      'tab\tseparated\ta\tb\tc',
      'p',
      '  ',
      '',
    ];
    const copy = (n: Normalised) => ({
      text: normalisedText(n),
      runs: Array.from(n.runs.subarray(0, n.length)),
      starts: Array.from(n.starts.subarray(0, n.length)),
      ends: Array.from(n.ends.subarray(0, n.length)),
    });
    for (const text of messages) assert.deepEqual(copy(normaliseTransient(text)), copy(normalise(text)), text);
  });
});

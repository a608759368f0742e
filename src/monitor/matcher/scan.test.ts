import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KeywordEntry } from '../keywords/types.js';
import { buildAutomaton } from './automaton.js';
import { compileLibrary } from './compile.js';
import { scanText } from './scan.js';

const entry = (id: string, term: string, more: Partial<KeywordEntry> = {}): KeywordEntry => ({
  id,
  term,
  category: 'suicide',
  severity: 'critical',
  language: 'en',
  ...more,
});

const LIBRARY = compileLibrary([
  entry('suicide', 'suicide'),
  entry('kill-myself', 'kill myself'),
  entry('kms', 'kms', { wholeWord: false }),
  entry('kill', 'kill', { category: 'violence', severity: 'medium', exceptions: ['kill the process', 'kill time'] }),
  entry('cunt', 'cunt', { category: 'bullying', severity: 'high', wholeWord: false, exceptions: ['Scunthorpe'] }),
  entry('sex', 'sex', { category: 'pornography', severity: 'medium', wholeWord: false, exceptions: ['Essex', 'Sussex', 'Middlesex'] }),
  entry('ass', 'ass', { category: 'bullying', severity: 'low' }),
  entry('cut-wrists', 'cut', { category: 'self_harm', severity: 'high', near: { phrase: 'wrist', words: 3 } }),
]);

/** What the pupil typed for each match, with the entry it matched. */
const found = (text: string) => scanText(LIBRARY, text).map((m) => [m.entryId, text.slice(m.start, m.end)]);

describe('scanText', () => {
  it('finds each obfuscation and highlights exactly what was typed', () => {
    assert.deepEqual(found('s.u.i.c.i.d.e'), [['suicide', 's.u.i.c.i.d.e']]);
    assert.deepEqual(found('thinking about \u0455uicide'), [['suicide', '\u0455uicide']]);
    assert.deepEqual(found('gonna k1ll mys3lf'), [
      ['kill', 'k1ll'],
      ['kill-myself', 'k1ll mys3lf'],
    ]);
    assert.deepEqual(found('su\u200bicide'), [['suicide', 'su\u200bicide']]);
    assert.deepEqual(found('i will kiiiiill u'), [['kill', 'kiiiiill']]);
    assert.deepEqual(found('SUIIIICIDE!!!'), [['suicide', 'SUIIIICIDE']]);
    assert.deepEqual(found('$ u 1 c 1 d 3'), [['suicide', '$ u 1 c 1 d 3']]);
  });

  it('returns the entry fields and original offsets', () => {
    const [m] = scanText(LIBRARY, 'ok s-u-i-c-i-d-e');
    assert.deepEqual(m, { entryId: 'suicide', term: 'suicide', category: 'suicide', severity: 'critical', start: 3, end: 16 });
  });

  it('matches whole words only unless the entry says otherwise', () => {
    assert.deepEqual(found('skill and killer'), []);
    assert.deepEqual(found('kmsss lol'), [['kms', 'kmsss']]);
    assert.deepEqual(found('xkmsx'), [['kms', 'kms']]);
  });

  it('does not let a collapsed double letter match a single one', () => {
    assert.deepEqual(found('as if'), []);
    assert.deepEqual(found('you a$$'), [['ass', 'a$$']]);
    assert.deepEqual(found('asssss'), [['ass', 'asssss']]);
  });

  it('raises nothing inside an exception phrase, but still raises outside it', () => {
    assert.deepEqual(found('Scunthorpe United won'), []);
    assert.deepEqual(found('moved from Essex to Sussex'), []);
    assert.deepEqual(found('just kill the process'), []);
    assert.deepEqual(found('we had to kill time'), []);
    assert.deepEqual(found('I will kill you, kill the process'), [['kill', 'kill']]);
    assert.deepEqual(found('sex'), [['sex', 'sex']]);
  });

  it('applies exceptions to obfuscated text too', () => {
    assert.deepEqual(found('k1ll   the   pr0cess'), []);
  });

  it('counts a near rule only with the other phrase within the given words, on either side', () => {
    assert.deepEqual(found('I cut my wrist'), [['cut-wrists', 'cut']]);
    assert.deepEqual(found('my wrist hurts so I cut it'), []);
    assert.deepEqual(found('wrist, I cut'), [['cut-wrists', 'cut']]);
    assert.deepEqual(found('I cut the cake and we ate it with my wrist'), []);
    assert.deepEqual(found('I cut myself'), []);
  });

  it('lets a near phrase be the start of a longer word but not the middle of one', () => {
    assert.deepEqual(found('cut my wrists'), [['cut-wrists', 'cut']]);
    assert.deepEqual(found('cut my xwrist'), []);
  });

  it('sorts matches by start and reports overlapping matches of one entry once', () => {
    const library = compileLibrary([entry('haha', 'haha', { wholeWord: false }), entry('ah', 'ah', { wholeWord: false })]);
    const matches = scanText(library, 'hahaha');
    assert.deepEqual(
      matches.map((m) => [m.entryId, m.start, m.end]),
      [
        ['haha', 0, 4],
        ['ah', 1, 3],
        ['ah', 3, 5],
      ],
    );
  });

  it('reports every entry that shares a term', () => {
    const library = compileLibrary([entry('a', 'kill'), entry('b', 'k1ll', { category: 'violence' })]);
    assert.deepEqual(
      scanText(library, 'kill').map((m) => m.entryId),
      ['a', 'b'],
    );
  });

  it('returns nothing for an empty library, empty text, or a term that is only punctuation', () => {
    assert.deepEqual(scanText(compileLibrary([]), 'suicide'), []);
    assert.deepEqual(scanText(LIBRARY, ''), []);
    const library = compileLibrary([entry('dots', '...')]);
    assert.deepEqual(library.unmatchable, ['dots']);
    assert.deepEqual(scanText(library, '... suicide ...'), []);
    const nowhere = compileLibrary([entry('cut-dots', 'cut', { near: { phrase: '!!', words: 2 } })]);
    assert.deepEqual(nowhere.unmatchable, ['cut-dots']);
    assert.deepEqual(scanText(nowhere, 'cut !!'), []);
  });

  it('keeps offsets right around emoji and surrogate pairs', () => {
    const text = '😀😀 k\u0131ll myself 👍🏽 su\u0301icide 🇬🇧';
    assert.deepEqual(found(text), [
      ['kill', 'k\u0131ll'],
      ['kill-myself', 'k\u0131ll myself'],
      ['suicide', 'su\u0301icide'],
    ]);
  });

  it('matches Polish terms written without diacritics, and terms spanning lines', () => {
    const library = compileLibrary([entry('pl', 'zabić się', { language: 'pl' })]);
    assert.deepEqual(
      scanText(library, 'chce ZABIC\nSIE').map((m) => [m.start, m.end]),
      [[5, 14]],
    );
  });

  it('scans a 1 MB message and finds matches at both ends', () => {
    const filler = 'the quick brown fox jumps over the lazy dog. '.repeat(23_000);
    const text = `suicide ${filler}k.m.s`;
    assert.ok(text.length > 1_000_000);
    const matches = scanText(LIBRARY, text);
    assert.deepEqual(
      matches.map((m) => [m.entryId, text.slice(m.start, m.end)]),
      [
        ['suicide', 'suicide'],
        ['kms', 'k.m.s'],
      ],
    );
  });
});

describe('buildAutomaton', () => {
  it('reports patterns that end inside other patterns', () => {
    const codes = (s: string) => Uint16Array.from(s, (c) => c.charCodeAt(0));
    const a = buildAutomaton([codes('he'), codes('she'), codes('his'), codes('hers')]);
    const ends: [number, number][] = [];
    let row = 0;
    [...'ushers'].forEach((c, i) => {
      const next = a.delta[row + a.symbols[c.charCodeAt(0)]!]!;
      row = next < 0 ? ~next : next;
      for (let s = row / a.width; next < 0 && s >= 0; s = a.dictionaryLink[s]!) {
        for (let o = a.outputStart[s]!; o < a.outputStart[s + 1]!; o += 1) ends.push([a.outputs[o]!, i]);
      }
    });
    assert.deepEqual(ends, [
      [1, 3],
      [0, 3],
      [3, 5],
    ]);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../errors/errors.js';
import { libraryFromCsv, libraryToCsv } from './csv.js';
import { deriveEntryId } from './default-library-rows.js';
import { DEFAULT_LIBRARY } from './default-library.js';
import type { KeywordEntry } from './types.js';

const HEADER = 'term,category,severity,language,whole_word,near_phrase,near_words,exceptions';
const SHORT_HEADER = 'term,category,severity,language';

function csvError(text: string): AppError & { details: { problems: { line: number; message: string }[] } } {
  try {
    libraryFromCsv(text);
  } catch (error) {
    assert.ok(error instanceof AppError, `expected AppError, got ${String(error)}`);
    assert.equal(error.id, 'invalid_csv');
    return error as AppError & { details: { problems: { line: number; message: string }[] } };
  }
  assert.fail('expected an invalid_csv error');
}

describe('keyword library CSV', () => {
  it('round-trips every field, including quotes, commas and diacritics', () => {
    const entries: KeywordEntry[] = [
      { id: 'en-suicide-kms', term: 'kms', category: 'suicide', severity: 'critical', language: 'en', wholeWord: false },
      {
        id: 'en-self_harm-cut-near-wrists',
        term: 'cut',
        category: 'self_harm',
        severity: 'high',
        language: 'en',
        near: { phrase: 'wrists', words: 3 },
        exceptions: ['cut the cake', 'paper cut, "ouch"'],
      },
      { id: 'pl-suicide-zabic-sie', term: 'zabić się', category: 'suicide', severity: 'critical', language: 'pl' },
    ];
    const csv = libraryToCsv(entries);
    assert.ok(csv.startsWith(`id,${HEADER}\n`));
    assert.deepEqual(libraryFromCsv(csv).entries, entries);
  });

  it('round-trips the whole default library unchanged', () => {
    assert.deepEqual(libraryFromCsv(libraryToCsv(DEFAULT_LIBRARY)).entries, DEFAULT_LIBRARY);
  });

  it('reads the columns in any order, without an id column, deriving stable ids', () => {
    const { entries } = libraryFromCsv('severity,term,language,category\nHIGH, Zabiję cię ,pl,Violence\n');
    assert.deepEqual(entries, [
      { id: 'pl-violence-zabije-cie', term: 'Zabiję cię', category: 'violence', severity: 'high', language: 'pl' },
    ]);
    assert.equal(
      deriveEntryId({ term: 'cut', category: 'self_harm', language: 'en', near: { phrase: 'my arm', words: 2 } }),
      'en-self_harm-cut-near-my-arm',
    );
  });

  it('treats whole_word as true unless it says false, and splits exceptions on |', () => {
    const { entries } = libraryFromCsv(
      `${HEADER}\nkill,violence,medium,en,,,,kill the process| kill time |\nkmss,suicide,critical,en,no,,,\n`,
    );
    assert.equal(entries[0]?.wholeWord, undefined);
    assert.deepEqual(entries[0]?.exceptions, ['kill the process', 'kill time']);
    assert.equal(entries[1]?.wholeWord, false);
  });

  it('rejects an unknown category and an unknown severity, naming the line and the choices', () => {
    const error = csvError(`${SHORT_HEADER}\nkms,suicide,critical,en\nfoo,weapons,high,en\nbar,violence,urgent,en\n`);
    assert.deepEqual(
      error.details.problems.map((p) => p.line),
      [3, 4],
    );
    assert.match(error.message, /Line 3: unknown category "weapons"; use one of illegal, bullying/);
    assert.match(error.message, /Line 4: unknown severity "urgent"; use one of low, medium, high, critical/);
  });

  it('rejects an empty term', () => {
    const error = csvError(`${SHORT_HEADER}\n,suicide,critical,en\n`);
    assert.deepEqual(error.details.problems, [{ line: 2, message: 'the term is empty.' }]);
  });

  it('names both rows of a duplicate term in one category, ignoring case and spacing', () => {
    const error = csvError(`${SHORT_HEADER}\nkill myself,suicide,critical,en\nkms,suicide,critical,en\nKill  Myself,suicide,high,en\n`);
    assert.deepEqual(error.details.problems, [
      { line: 4, message: '"Kill  Myself" in suicide is already on line 2; keep one of the two rows.' },
    ]);
  });

  it('treats terms the matcher reads alike as duplicates ("kms" and "k.m.s")', () => {
    const error = csvError(`${SHORT_HEADER}\nkms,suicide,critical,en\nk.m.s,suicide,critical,en\n`);
    assert.deepEqual(error.details.problems, [{ line: 3, message: '"k.m.s" in suicide is already on line 2; keep one of the two rows.' }]);
  });

  it('allows the same term in another category, or in the same one near a different phrase', () => {
    const { entries } = libraryFromCsv(
      `${HEADER}\ncut,self_harm,high,en,,myself,2,\ncut,self_harm,high,en,,wrists,3,\nshank,violence,high,en,,,,\nshank,drugs,low,en,,,,\n`,
    );
    assert.equal(entries.length, 4);
    assert.equal(new Set(entries.map((e) => e.id)).size, 4);
  });

  it('rejects a repeated id', () => {
    const error = csvError(`id,${HEADER}\nx1,kms,suicide,critical,en,,,,\nx1,kys,bullying,critical,en,,,,\n`);
    assert.deepEqual(error.details.problems, [{ line: 3, message: 'the id "x1" is already used on line 2.' }]);
  });

  it('rejects bad near and whole_word cells', () => {
    const error = csvError(`${HEADER}\ncut,self_harm,high,en,,myself,0,\ncut,self_harm,high,en,,,3,\ncut,self_harm,high,en,maybe,,,\n`);
    assert.deepEqual(
      error.details.problems.map((p) => [p.line, p.message]),
      [
        [2, 'near_words must be a whole number of words from 1, not "0".'],
        [3, 'near_words is set but near_phrase is empty.'],
        [4, 'whole_word must be true or false, not "maybe".'],
      ],
    );
  });

  it('rejects broken CSV, unknown columns and a header without the required columns', () => {
    assert.match(csvError(`${HEADER}\n"kms,suicide,critical,en\n`).message, /^Line 2: .*closing quote/);
    assert.match(csvError(`${HEADER}\nkms,suicide,critical,en,true,,,,extra\n`).message, /^Line 2: expected 8 columns/);
    assert.match(csvError('term,category,severity,language,colour\n').message, /unknown column "colour"/);
    assert.match(csvError('term,category\nkms,suicide\n').message, /lacks severity, language/);
    assert.match(csvError('').message, /empty/);
  });

  it('rejects an invalid language tag', () => {
    assert.match(csvError(`${SHORT_HEADER}\nkms,suicide,critical,english!\n`).message, /Line 2: "english!" is not a language tag/);
  });
});

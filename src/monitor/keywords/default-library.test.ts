import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileLibrary, scanText } from '../matcher/index.js';
import { DEFAULT_LIBRARY } from './default-library.js';
import { deriveEntryId } from './default-library-rows.js';
import { MONITOR_CATEGORIES } from './types.js';

describe('the default keyword library', () => {
  it('covers every category in English', () => {
    for (const category of MONITOR_CATEGORIES) {
      const english = DEFAULT_LIBRARY.filter((e) => e.category === category && e.language === 'en');
      assert.ok(english.length >= 10, `${category} has ${english.length} English entries`);
    }
  });

  it('has Polish for the categories that risk life or a child, and some Urdu', () => {
    for (const category of ['suicide', 'self_harm', 'bullying', 'violence', 'child_exploitation'] as const) {
      assert.ok(
        DEFAULT_LIBRARY.some((e) => e.language === 'pl' && e.category === category),
        `no Polish ${category}`,
      );
    }
    assert.ok(DEFAULT_LIBRARY.some((e) => e.language === 'ur' && e.category === 'suicide'));
  });

  it('gives every entry a unique id derived from its language, category and term', () => {
    const ids = DEFAULT_LIBRARY.map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const entry of DEFAULT_LIBRARY) assert.equal(entry.id, deriveEntryId(entry));
    assert.ok(ids.includes('en-suicide-kms'));
    assert.ok(ids.includes('pl-suicide-zabic-sie'));
  });

  it('grades the phrases that mean risk to life or to a child as critical', () => {
    const severity = (id: string) => DEFAULT_LIBRARY.find((e) => e.id === id)?.severity;
    for (const id of ['en-suicide-kms', 'en-suicide-kill-myself', 'en-suicide-unalive-myself', 'en-child_exploitation-send-nudes']) {
      assert.equal(severity(id), 'critical', id);
    }
  });

  it('keeps every near distance and exception meaningful', () => {
    for (const entry of DEFAULT_LIBRARY) {
      if (entry.near) assert.ok(entry.near.words >= 1 && entry.near.phrase.trim() !== '', entry.id);
      for (const exception of entry.exceptions ?? []) {
        // An exception that does not contain its term could never apply.
        assert.ok(exception.toLowerCase().includes(entry.term.toLowerCase()), `${entry.id}: "${exception}"`);
      }
    }
  });

  describe('with the matcher', () => {
    const compiled = compileLibrary(DEFAULT_LIBRARY);
    const idsIn = (text: string) => scanText(compiled, text).map((m) => m.entryId);

    it('matches every entry on its own term (with its near phrase beside it)', () => {
      for (const entry of DEFAULT_LIBRARY) {
        const text = entry.near ? `${entry.term} ${entry.near.phrase}` : `so ${entry.term} ok`;
        assert.ok(idsIn(text).includes(entry.id), `${entry.id} does not match "${text}"`);
      }
    });

    it('raises nothing for an entry inside one of its own exceptions', () => {
      for (const entry of DEFAULT_LIBRARY) {
        for (const exception of entry.exceptions ?? []) {
          assert.ok(!idsIn(`we had ${exception} today`).includes(entry.id), `${entry.id} inside "${exception}"`);
        }
      }
    });

    it('raises nothing for the near-misses the monitoring standard names', () => {
      for (const text of ['Scunthorpe', 'kill the process', 'Essex', 'Sussex', 'Middlesex', 'Penistone', 'Cockermouth', 'kill time']) {
        assert.deepEqual(idsIn(text), [], text);
      }
    });

    it('folds Polish diacritics: "zabic sie" matches "zabić się"', () => {
      assert.ok(idsIn('chce sie zabic').includes('pl-suicide-sie-zabic'));
      assert.ok(idsIn('pedał gazu').length === 0);
    });
  });
});

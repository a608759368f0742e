import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_LIBRARY } from '../keywords/default-library.js';
import { compileLibrary, scanText } from '../matcher/index.js';
import { captureExcerpt } from './excerpt.js';

const library = compileLibrary(DEFAULT_LIBRARY);

/** Captures the first match of the default library in the text, as the analyser does. */
function capture(text: string, context?: number) {
  const [match] = scanText(library, text);
  assert.ok(match, `expected a match in ${JSON.stringify(text)}`);
  const e = captureExcerpt(text, match.start, match.end, context);
  return { ...e, highlighted: e.excerpt.slice(e.highlightStart, e.highlightEnd) };
}

describe('captureExcerpt', () => {
  it('keeps a short message whole and highlights the match', () => {
    const e = capture('please help i want to kms tonight');
    assert.equal(e.excerpt, 'please help i want to kms tonight');
    assert.equal(e.highlighted, 'kms');
    assert.equal(e.matched, 'kms');
  });

  it('highlights the whole obfuscated word the pupil typed', () => {
    const e = capture('how to s.u.i.c.i.d.e quickly');
    assert.equal(e.highlighted, 's.u.i.c.i.d.e');
    assert.equal(e.matched, 's.u.i.c.i.d.e');
    const spaced = capture('thinking about s u i c i d e again');
    assert.equal(spaced.highlighted, 's u i c i d e');
    const leet = capture('i want to k1ll mys3lf');
    assert.equal(leet.highlighted, 'k1ll mys3lf');
  });

  it('keeps offsets right around accents and emoji', () => {
    const e = capture('😭😭 café crème… i want to k1ll mys3lf 💀 ok');
    assert.equal(e.highlighted, 'k1ll mys3lf');
    assert.ok(e.excerpt.startsWith('😭😭 café'));
    assert.ok(e.excerpt.endsWith('💀 ok'));
  });

  it('cuts long context at word boundaries and marks the cuts', () => {
    const before = 'word '.repeat(60);
    const after = ' tail'.repeat(60);
    const text = `${before}i want to kill myself${after}`;
    const e = capture(text, 40);
    assert.ok(e.excerpt.startsWith('…'), e.excerpt);
    assert.ok(e.excerpt.endsWith('…'), e.excerpt);
    assert.equal(e.highlighted, 'kill myself');
    // Whole words only on both sides: no "ord" or "tai" fragments at the cut.
    assert.match(e.excerpt, /^…word /);
    assert.match(e.excerpt, / tail…$/);
    assert.ok(e.excerpt.length <= 40 * 2 + 'kill myself'.length + 2);
  });

  it('never splits an emoji when a cut lands inside one', () => {
    const text = `${'💀'.repeat(30)} kms ${'😭'.repeat(30)}`;
    const e = capture(text, 10);
    assert.equal(e.highlighted, 'kms');
    assert.ok(!/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(e.excerpt), 'no lone surrogate');
  });

  it('folds line breaks into spaces and keeps the offsets on the match', () => {
    const text = 'hi\n\nmiss,\r\n  i want to kill myself\n\nsorry';
    const e = capture(text);
    assert.equal(e.excerpt, 'hi miss, i want to kill myself sorry');
    assert.equal(e.highlighted, 'kill myself');
  });
});

describe('captureExcerpt cuts', () => {
  const lone = /^[\p{M}\u200d]|[\u200d]$/u;

  it('never leaves an accent without its letter when a cut lands between them', () => {
    // Decomposed "é" is two code units: every odd index is a combining accent.
    const text = `${'e\u0301'.repeat(20)} kms ${'a\u0301'.repeat(20)}`;
    for (const context of [9, 10, 11, 12, 13]) {
      const e = capture(text, context);
      assert.equal(e.highlighted, 'kms', `context ${context}`);
      const inner = e.excerpt.replace(/^…|…$/gu, '');
      assert.ok(!lone.test(inner), `context ${context}: ${JSON.stringify(e.excerpt)}`);
      // The tail keeps each accent with its letter: an "a" is never the last letter without its accent.
      assert.ok(!/a…$/u.test(e.excerpt), `context ${context}: ${JSON.stringify(e.excerpt)}`);
    }
  });

  it('keeps emoji joined by zero-width joiners whole at a cut', () => {
    const family = '👩\u200d👩\u200d👧';
    const text = `${family.repeat(8)} kms ${family.repeat(8)}`;
    for (const context of [5, 6, 7, 8, 9, 10, 11, 12]) {
      const e = capture(text, context);
      assert.equal(e.highlighted, 'kms');
      const inner = e.excerpt.replace(/^…|…$/gu, '');
      assert.ok(!lone.test(inner) && !/^[\uDC00-\uDFFF]/u.test(inner), `context ${context}: ${JSON.stringify(e.excerpt)}`);
    }
  });
});

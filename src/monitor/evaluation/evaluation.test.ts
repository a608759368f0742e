import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MONITOR_CATEGORIES, type MonitorCategory } from '../keywords/types.js';
import { evaluate, formatEvaluation, type LabelledMessage } from './evaluate.js';
import { HELD_OUT_SET } from './held-out.js';
import { EVALUATION_SET } from './messages.js';
import { evaluateDefaultLibrary } from './run.js';

/** A stand-in scanner: whole words from a fixed table, so the arithmetic can be checked by hand. */
function wordScan(table: Record<string, MonitorCategory>) {
  return (text: string) =>
    text
      .toLowerCase()
      .split(/\W+/)
      .flatMap((word) => (table[word] ? [{ category: table[word] }] : []));
}

describe('evaluate', () => {
  const set: LabelledMessage[] = [
    { text: 'kms', expected: ['suicide'] },
    { text: 'i want to die', expected: ['suicide'] },
    { text: 'kys loser', expected: ['bullying'] },
    { text: 'kill the process', expected: [] },
    { text: 'nice weather', expected: [] },
    { text: 'kms and kys', expected: ['suicide', 'bullying'] },
  ];
  const scan = wordScan({ kms: 'suicide', kys: 'bullying', kill: 'violence', loser: 'bullying' });

  it('counts each (message, category) decision once, however many matches', () => {
    const result = evaluate(scan, set);
    const suicide = result.perCategory.find((c) => c.category === 'suicide')!;
    assert.deepEqual([suicide.support, suicide.truePositives, suicide.falsePositives, suicide.falseNegatives], [3, 2, 0, 1]);
    assert.equal(suicide.precision, 1);
    assert.equal(suicide.recall, 2 / 3);
    assert.equal(suicide.f1, 0.8);
    const bullying = result.perCategory.find((c) => c.category === 'bullying')!;
    assert.deepEqual([bullying.truePositives, bullying.falsePositives, bullying.falseNegatives], [2, 0, 0]);
  });

  it('scores benign messages, overall micro-averages, and lists the mistakes', () => {
    const result = evaluate(scan, set);
    assert.deepEqual(result.benign, { messages: 2, flagged: 1, falsePositiveRate: 0.5 });
    assert.deepEqual(result.concerning, { messages: 4, caught: 3, detectionRate: 0.75 });
    assert.deepEqual([result.overall.truePositives, result.overall.falsePositives, result.overall.falseNegatives], [4, 1, 1]);
    assert.equal(result.overall.precision, 0.8);
    assert.deepEqual(result.falsePositives, [{ text: 'kill the process', expected: [], raised: ['violence'] }]);
    assert.deepEqual(result.falseNegatives, [{ text: 'i want to die', expected: ['suicide'], raised: [] }]);
  });

  it('reports undefined ratios as null, not as zero or one', () => {
    const result = evaluate(() => [], [{ text: 'hello', expected: [] }]);
    const violence = result.perCategory.find((c) => c.category === 'violence')!;
    assert.equal(violence.precision, null);
    assert.equal(violence.recall, null);
    assert.equal(result.concerning.detectionRate, null);
    assert.match(formatEvaluation(result), /violence\s+0\s+0\s+0\s+0\s+–\s+–\s+–/);
  });
});

describe('the labelled evaluation set', () => {
  const concerning = EVALUATION_SET.filter((m) => m.expected.length > 0);
  const benign = EVALUATION_SET.filter((m) => m.expected.length === 0);

  it('has at least 500 messages, no fewer benign near-misses than concerning ones, and no repeats', () => {
    assert.ok(EVALUATION_SET.length >= 500, `${EVALUATION_SET.length} messages`);
    assert.ok(benign.length >= concerning.length, `${benign.length} benign, ${concerning.length} concerning`);
    const texts = [...EVALUATION_SET, ...HELD_OUT_SET].map((m) => m.text);
    assert.equal(new Set(texts).size, texts.length, 'a message appears twice (or in both sets)');
  });

  it('covers every category with obfuscated and Polish messages among them', () => {
    for (const category of MONITOR_CATEGORIES) {
      const count = concerning.filter((m) => m.expected.includes(category)).length;
      assert.ok(count >= 20, `${category}: ${count} messages`);
    }
    assert.ok(
      concerning.some((m) => m.text.includes('\u200b')),
      'zero-width characters',
    );
    assert.ok(
      concerning.some((m) => /[\u0400-\u04ff]/.test(m.text)),
      'Cyrillic look-alikes',
    );
    assert.ok(
      concerning.some((m) => /[ąćęłńóśźż]/.test(m.text)),
      'Polish',
    );
    assert.ok(
      concerning.some((m) => /\b\w\.\w\.\w/.test(m.text)),
      's.p.a.c.e.d letters',
    );
  });
});

/*
 * Minimum bars for the default library with the real matcher, a little below what it scores
 * (docs/monitoring/library.md has the figures). A change to the library or the matcher that
 * drops below them must say why.
 */
describe('the default library on the evaluation set', () => {
  const result = evaluateDefaultLibrary();
  const report = `\n${formatEvaluation(result)}`;

  it('keeps overall precision at or above 0.95 and recall at or above 0.9', () => {
    assert.ok(result.overall.precision! >= 0.95, report);
    assert.ok(result.overall.recall! >= 0.9, report);
  });

  it('keeps every category at or above 0.8 recall and 0.88 precision', () => {
    for (const c of result.perCategory) {
      assert.ok(c.recall! >= 0.8, `${c.category} recall${report}`);
      assert.ok(c.precision! >= 0.88, `${c.category} precision${report}`);
    }
  });

  it('flags at most 3% of benign messages', () => {
    assert.ok(result.benign.falsePositiveRate! <= 0.03, report);
  });

  it('on the held-out set it was never tuned on, stays precise: at most 10% of benign messages flagged', () => {
    // Recall there is about half (keyword matching misses paraphrase); it is reported, not held to
    // a bar, so that nobody is tempted to tune the library on the held-out messages.
    const heldOut = evaluateDefaultLibrary(undefined, HELD_OUT_SET);
    assert.ok(heldOut.overall.precision! >= 0.85, formatEvaluation(heldOut));
    assert.ok(heldOut.benign.falsePositiveRate! <= 0.1, formatEvaluation(heldOut));
  });
});

import { MONITOR_CATEGORIES, type MonitorCategory } from '../keywords/types.js';

/** One message of a labelled set; `expected` empty means benign: nothing should be raised. */
export interface LabelledMessage {
  text: string;
  expected: readonly MonitorCategory[];
}

/** What the evaluation needs from a scanner: the categories of what it found in a text. */
export type ScanFunction = (text: string) => readonly { category: MonitorCategory }[];

export interface Counts {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** null where undefined: nothing was raised (precision) or nothing was expected (recall). */
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

export interface CategoryScore extends Counts {
  category: MonitorCategory;
  /** Messages labelled with this category. */
  support: number;
}

/** A message the scanner got wrong, for a person to read: what was expected and what was raised. */
export interface Mistake {
  text: string;
  expected: readonly MonitorCategory[];
  raised: MonitorCategory[];
}

export interface Evaluation {
  messages: number;
  perCategory: CategoryScore[];
  /** Micro-averaged over categories: every (message, category) decision counts once. */
  overall: Counts;
  benign: { messages: number; flagged: number; falsePositiveRate: number | null };
  /** Concerning messages that raised at least one of their expected categories. */
  concerning: { messages: number; caught: number; detectionRate: number | null };
  falsePositives: Mistake[];
  falseNegatives: Mistake[];
}

/**
 * Scores a scanner against a labelled set, per category and overall. A message counts for a
 * category when any match in it has that category, however many matches there are: a DSL
 * reviews messages, not matches.
 *
 * @example
 *   const result = evaluate((text) => scanText(compiled, text), EVALUATION_SET);
 *   result.overall.precision; // 0.97
 */
export function evaluate(scan: ScanFunction, set: readonly LabelledMessage[]): Evaluation {
  const tally = new Map<MonitorCategory, { tp: number; fp: number; fn: number; support: number }>(
    MONITOR_CATEGORIES.map((c) => [c, { tp: 0, fp: 0, fn: 0, support: 0 }]),
  );
  const falsePositives: Mistake[] = [];
  const falseNegatives: Mistake[] = [];
  let benign = 0;
  let benignFlagged = 0;
  let concerning = 0;
  let caught = 0;

  for (const message of set) {
    const expected = new Set(message.expected);
    const raised = new Set(scan(message.text).map((m) => m.category));
    const raisedList = MONITOR_CATEGORIES.filter((c) => raised.has(c));
    let wrongExtra = false;
    let missed = false;
    for (const category of MONITOR_CATEGORIES) {
      const t = tally.get(category)!;
      const want = expected.has(category);
      const got = raised.has(category);
      if (want) t.support += 1;
      if (want && got) t.tp += 1;
      else if (got) {
        t.fp += 1;
        wrongExtra = true;
      } else if (want) {
        t.fn += 1;
        missed = true;
      }
    }
    if (expected.size === 0) {
      benign += 1;
      if (raised.size > 0) benignFlagged += 1;
    } else {
      concerning += 1;
      if (raisedList.some((c) => expected.has(c))) caught += 1;
    }
    const mistake = { text: message.text, expected: message.expected, raised: raisedList };
    if (wrongExtra) falsePositives.push(mistake);
    if (missed) falseNegatives.push(mistake);
  }

  const perCategory = MONITOR_CATEGORIES.map((category) => {
    const t = tally.get(category)!;
    return { category, support: t.support, ...score(t.tp, t.fp, t.fn) };
  });
  const sum = (key: 'truePositives' | 'falsePositives' | 'falseNegatives') => perCategory.reduce((n, c) => n + c[key], 0);
  return {
    messages: set.length,
    perCategory,
    overall: score(sum('truePositives'), sum('falsePositives'), sum('falseNegatives')),
    benign: { messages: benign, flagged: benignFlagged, falsePositiveRate: ratio(benignFlagged, benign) },
    concerning: { messages: concerning, caught, detectionRate: ratio(caught, concerning) },
    falsePositives,
    falseNegatives,
  };
}

function score(tp: number, fp: number, fn: number): Counts {
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  const f1 = precision !== null && recall !== null && precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : null;
  return { truePositives: tp, falsePositives: fp, falseNegatives: fn, precision, recall, f1 };
}

const ratio = (n: number, d: number): number | null => (d === 0 ? null : n / d);

/**
 * The evaluation as a plain-text table, for the command line and the documentation.
 *
 * @example
 *   console.log(formatEvaluation(evaluate(scan, EVALUATION_SET)));
 */
export function formatEvaluation(result: Evaluation): string {
  const pct = (x: number | null) => (x === null ? '   –  ' : `${(x * 100).toFixed(1).padStart(5)}%`);
  const lines = [
    'category            support   TP   FP   FN  precision  recall      F1',
    ...[
      ...result.perCategory,
      { category: 'overall (micro)', support: result.perCategory.reduce((n, c) => n + c.support, 0), ...result.overall },
    ].map(
      (c) =>
        `${c.category.padEnd(18)} ${String(c.support).padStart(8)} ${String(c.truePositives).padStart(4)} ${String(c.falsePositives).padStart(4)} ${String(c.falseNegatives).padStart(4)}     ${pct(c.precision)}  ${pct(c.recall)}  ${pct(c.f1)}`,
    ),
    '',
    `messages: ${result.messages} (${result.concerning.messages} concerning, ${result.benign.messages} benign)`,
    `concerning messages caught: ${result.concerning.caught}/${result.concerning.messages} (${pct(result.concerning.detectionRate).trim()})`,
    `benign messages flagged:    ${result.benign.flagged}/${result.benign.messages} (${pct(result.benign.falsePositiveRate).trim()})`,
  ];
  return lines.join('\n');
}

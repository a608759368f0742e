/**
 * Prints the monitor's precision and recall per category with the default library and the
 * real matcher: first on the labelled evaluation set (the library is tuned on it), then on the
 * held-out set (never tuned on: the honest estimate).
 *
 *   npx tsx scripts/monitor-eval.ts             # both tables
 *   npx tsx scripts/monitor-eval.ts --mistakes  # and every message scored wrong
 */
import type { Evaluation } from '../src/monitor/evaluation/evaluate.js';
import { formatEvaluation } from '../src/monitor/evaluation/evaluate.js';
import { HELD_OUT_SET } from '../src/monitor/evaluation/held-out.js';
import { evaluateDefaultLibrary } from '../src/monitor/evaluation/run.js';

const showMistakes = process.argv.includes('--mistakes');

function print(title: string, result: Evaluation): void {
  console.log(`\n== ${title}\n`);
  console.log(formatEvaluation(result));
  if (!showMistakes) return;
  const list = (heading: string, mistakes: Evaluation['falsePositives']) => {
    console.log(`\n${heading} (${mistakes.length})`);
    for (const m of mistakes)
      console.log(`  ${JSON.stringify(m.text)}  expected [${m.expected.join(', ')}]  raised [${m.raised.join(', ')}]`);
  };
  list('raised a category that was not expected', result.falsePositives);
  list('missed an expected category', result.falseNegatives);
}

print('evaluation set (the library is tuned on it)', evaluateDefaultLibrary());
print('held-out set (never used for tuning)', evaluateDefaultLibrary(undefined, HELD_OUT_SET));
if (!showMistakes) console.log('\n(--mistakes lists every message scored wrong)');

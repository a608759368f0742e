import { DEFAULT_LIBRARY } from '../keywords/default-library.js';
import type { KeywordEntry } from '../keywords/types.js';
import { compileLibrary, scanText } from '../matcher/index.js';
import { type Evaluation, evaluate, type LabelledMessage } from './evaluate.js';
import { EVALUATION_SET } from './messages.js';

/**
 * The real matcher with a library (the default one unless given) against the labelled set:
 * what the test suite holds to minimum bars and the command line prints.
 *
 * @example
 *   evaluateDefaultLibrary().overall.recall; // 0.9…
 */
export function evaluateDefaultLibrary(
  library: readonly KeywordEntry[] = DEFAULT_LIBRARY,
  set: readonly LabelledMessage[] = EVALUATION_SET,
): Evaluation {
  const compiled = compileLibrary(library);
  return evaluate((text) => scanText(compiled, text), set);
}

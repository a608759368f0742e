/**
 * The keyword matcher: a library compiled once into one automaton, then pure, linear scans of
 * messages. How it normalises and why: docs/monitoring/matcher.md.
 */
export { type CompiledLibrary, compileLibrary } from './compile.js';
export { type Normalised, normalise, normalisedText } from './normalise.js';
export { scanText } from './scan.js';

import { DEFAULT_LIBRARY_EN } from './default-library-en.js';
import { DEFAULT_LIBRARY_PL } from './default-library-pl.js';
import { DEFAULT_LIBRARY_UR } from './default-library-ur.js';
import type { KeywordEntry } from './types.js';

/**
 * The library a new installation starts with: English (with the slang and abbreviations
 * pupils use), Polish, and a few romanised Urdu/Punjabi phrases. What is in it and why:
 * docs/monitoring/library.md.
 *
 * @example
 *   const compiled = compileLibrary(DEFAULT_LIBRARY);
 */
export const DEFAULT_LIBRARY: readonly KeywordEntry[] = [...DEFAULT_LIBRARY_EN, ...DEFAULT_LIBRARY_PL, ...DEFAULT_LIBRARY_UR];

import { defineEntries } from './default-library-rows.js';
import type { KeywordEntry } from './types.js';

/*
 * Romanised Urdu and Punjabi, as pupils type them in chat. A small set: the phrases a DSL
 * most needs to see, in the spellings most often seen; schools add local variants by CSV.
 */
export const DEFAULT_LIBRARY_UR: readonly KeywordEntry[] = [
  ...defineEntries('ur', 'suicide', [
    ['khudkushi', 'high'],
    ['khudkhushi', 'high'],
    ['marna chahta hoon', 'critical'],
    ['marna chahti hoon', 'critical'],
    ['marna chahta hun', 'critical'],
    ['marna chahti hun', 'critical'],
    ['jeena nahi chahta', 'critical'],
    ['jeena nahi chahti', 'critical'],
    ['khud ko maar', 'critical'],
  ]),
  ...defineEntries('ur', 'bullying', [
    ['kanjar', 'medium'],
    ['harami', 'low'],
  ]),
];

import type { KeywordEntry, MonitorCategory, Severity } from './types.js';

/** How a library file lists its entries: one short tuple a term, so the data reads like a word list. */
export type LibraryRow = readonly [term: string, severity: Severity, options?: RowOptions];

export interface RowOptions {
  /** Count only within this many words of the phrase. */
  near?: readonly [phrase: string, words: number];
  /** Benign phrases that contain the term. */
  except?: readonly string[];
  /** Match inside longer words too. */
  partial?: true;
}

/**
 * Turns one category's rows into entries with stable ids.
 *
 * @example
 *   defineEntries('en', 'suicide', [['kms', 'critical']]);
 *   // [{ id: 'en-suicide-kms', term: 'kms', category: 'suicide', severity: 'critical', language: 'en' }]
 */
export function defineEntries(language: string, category: MonitorCategory, rows: readonly LibraryRow[]): KeywordEntry[] {
  return rows.map(([term, severity, options]) => {
    const entry: KeywordEntry = { id: '', term, category, severity, language };
    if (options?.partial) entry.wholeWord = false;
    if (options?.near) entry.near = { phrase: options.near[0], words: options.near[1] };
    if (options?.except) entry.exceptions = [...options.except];
    entry.id = deriveEntryId(entry);
    return entry;
  });
}

/**
 * An entry's id from its language, category, term and near phrase, so re-importing the same
 * list keeps the ids that false-positive counts are stored against.
 *
 * @example
 *   deriveEntryId({ term: 'zabić się', category: 'suicide', language: 'pl' }); // 'pl-suicide-zabic-sie'
 */
export function deriveEntryId(entry: Pick<KeywordEntry, 'term' | 'category' | 'language' | 'near'>): string {
  const near = entry.near ? `-near-${slug(entry.near.phrase)}` : '';
  return `${entry.language.toLowerCase()}-${entry.category}-${slug(entry.term)}${near}`;
}

function slug(text: string): string {
  const plain = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    // ł and ø have no decomposition, so NFKD alone would drop them from the id.
    .replace(/[łŁ]/g, 'l')
    .replace(/[øØ]/g, 'o')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-|-$/g, '');
  return plain || 'term';
}

/**
 * The monitor's keyword categories, following the UK "appropriate monitoring" content list.
 * The ids never change: alerts, reports and CSV exports store them.
 */
export const MONITOR_CATEGORIES = [
  'illegal',
  'bullying',
  'child_exploitation',
  'discrimination',
  'drugs',
  'extremism',
  'gambling',
  'pornography',
  'self_harm',
  'suicide',
  'violence',
] as const;
export type MonitorCategory = (typeof MONITOR_CATEGORIES)[number];

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** One entry of a keyword library: a word or phrase and when it counts. */
export interface KeywordEntry {
  /** Stable within a library; the false-positive rate is kept per entry. */
  id: string;
  /** The word or phrase as a person would write it; normalised when compiled. */
  term: string;
  category: MonitorCategory;
  severity: Severity;
  /** BCP 47 language tag: `en`, `pl`, … */
  language: string;
  /** Match only as whole words (default true; false lets "kms" match inside "kmsss"). */
  wholeWord?: boolean;
  /** Count only when another phrase is within `words` words either side. */
  near?: { phrase: string; words: number };
  /** Raise nothing when the match lies inside one of these phrases ("kill the process"). */
  exceptions?: string[];
}

/** A match, with offsets into the ORIGINAL text (UTF-16 code units) so a UI can highlight it. */
export interface KeywordMatch {
  entryId: string;
  term: string;
  category: MonitorCategory;
  severity: Severity;
  start: number;
  end: number;
}

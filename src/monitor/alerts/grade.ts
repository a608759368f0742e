/**
 * How a match is graded for the person it is about: the profile's own severity for the
 * category (a primary pupil's pornography search is high whatever the library says), the
 * profile's floor, and the one-step raise when risk has accumulated.
 */
import type { MonitorCategory, Severity } from '../keywords/types.js';
import { SEVERITY_ORDER } from '../model.js';
import type { ProfileSettings } from '../settings.js';

const BY_RANK: readonly Severity[] = ['low', 'medium', 'high', 'critical'];

/**
 * The severity a match takes for this profile, or null when it is below the profile's minimum
 * and raises no alert.
 *
 * @example
 *   gradeMatch({ category: 'pornography', severity: 'medium' }, primary); // 'high' (primary's override)
 */
export function gradeMatch(match: { category: MonitorCategory; severity: Severity }, profile: ProfileSettings): Severity | null {
  const severity = profile.categorySeverity[match.category] ?? match.severity;
  return SEVERITY_ORDER[severity] < SEVERITY_ORDER[profile.minimumSeverity] ? null : severity;
}

/** One step up, never above critical. */
export function raiseOneStep(severity: Severity): Severity {
  return BY_RANK[Math.min(SEVERITY_ORDER[severity] + 1, BY_RANK.length - 1)]!;
}

/**
 * The alert's severity once accumulated risk is counted: `occurrences` is how often this person
 * matched this category within the profile's risk window, this match included. At the
 * threshold (not before) the severity is raised one step.
 *
 * @example
 *   withRisk('high', 3, ks3); // { severity: 'critical', raised: true } (ks3's threshold is 3)
 */
export function withRisk(base: Severity, occurrences: number, profile: ProfileSettings): { severity: Severity; raised: boolean } {
  if (occurrences < profile.riskThreshold) return { severity: base, raised: false };
  const severity = raiseOneStep(base);
  return { severity, raised: severity !== base };
}

export const severityRank = (s: Severity): number => SEVERITY_ORDER[s];

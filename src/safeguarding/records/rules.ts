import type { RetentionConfig } from '../../config/config.js';
import type { IncidentTable } from '../../db/tables.js';

/** The kinds of incident record the retention schedule treats differently. */
export type RecordType = 'student_safeguarding' | 'student_misuse' | 'staff';
export const RECORD_TYPES: readonly RecordType[] = ['student_safeguarding', 'student_misuse', 'staff'];

/**
 * Student incidents about use of the school's systems rather than harm to a child: seed 002
 * treats them as behaviour, so they are kept like behaviour records, not child-protection files.
 */
export const MISUSE_CATEGORIES: readonly string[] = ['misuse_of_systems', 'filter_circumvention', 'account_misuse', 'copyright'];

/** What the rule for a record needs to know about the incident. */
export interface RetentionFacts {
  subjectKind: IncidentTable['subject_kind'];
  category: string;
  status: IncidentTable['status'];
  closedAt: string | null;
  archivedAt: string | null;
  /** Dates of birth (YYYY-MM-DD) of the students the incident is about; null where unknown. */
  studentSubjectBirthDates: readonly (string | null)[];
}

export interface RetentionDecision {
  recordType: RecordType;
  /** When the record is due for archiving; null while the incident is open. */
  dueAt: string | null;
  /** What the due date was counted from. */
  basis: 'date_of_birth' | 'closed_at' | 'open';
  /** A sentence for the archive reason and the incident's chronology. */
  reason: string;
}

export const RECORD_TYPE_LABELS: Record<RecordType, string> = {
  student_safeguarding: 'student safeguarding record',
  student_misuse: 'student misuse record',
  staff: 'staff incident record',
};

/** The type of record an incident is, which decides how long it is kept. */
export function recordTypeOf(facts: Pick<RetentionFacts, 'subjectKind' | 'category'>): RecordType {
  if (facts.subjectKind === 'staff') return 'staff';
  return MISUSE_CATEGORIES.includes(facts.category) ? 'student_misuse' : 'student_safeguarding';
}

/** The same calendar day `years` later, in UTC; 29 February moves to 1 March. */
export function addYears(iso: string, years: number): string | null {
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(d.getTime())) return null;
  const moved = new Date(d.getTime());
  moved.setUTCFullYear(d.getUTCFullYear() + years);
  return moved.toISOString();
}

const day = (iso: string) => iso.slice(0, 10);

/**
 * Decides an incident's record type and the date it is due for archiving. Pure: the job,
 * the status page and the tests all ask this one function.
 *
 * - student_safeguarding: the youngest student subject's date of birth + studentYearsAfterBirth.
 *   With no date of birth on record it counts from the closing date instead: the child was
 *   born before the incident closed, so this never archives earlier than the date-of-birth rule.
 * - student_misuse: closed_at + misuseYearsAfterClose.
 * - staff: closed_at + staffYearsAfterClose (the minimum; see docs/safeguarding/records.md).
 *
 * @example
 *   const { dueAt } = retentionDecision(facts, ctx.config.retention);
 *   if (isDue(facts, decision, now)) ...
 */
export function retentionDecision(facts: RetentionFacts, rules: RetentionConfig): RetentionDecision {
  const recordType = recordTypeOf(facts);
  const label = RECORD_TYPE_LABELS[recordType];
  if (facts.status !== 'closed' || !facts.closedAt) {
    return { recordType, dueAt: null, basis: 'open', reason: `${label}: open incidents are never archived` };
  }
  if (recordType === 'student_safeguarding') {
    const births = facts.studentSubjectBirthDates
      .map((b) => (b ? addYears(b, 0) : null))
      .filter((b): b is string => b !== null)
      .sort();
    const youngest = births.at(-1);
    if (youngest) {
      const dueAt = addYears(youngest, rules.studentYearsAfterBirth)!;
      return {
        recordType,
        dueAt,
        basis: 'date_of_birth',
        reason: `${label}: kept until ${rules.studentYearsAfterBirth} years after the student's date of birth (${day(dueAt)})`,
      };
    }
    const dueAt = addYears(facts.closedAt, rules.studentYearsAfterBirth)!;
    return {
      recordType,
      dueAt,
      basis: 'closed_at',
      reason: `${label}: no date of birth on record, so kept until ${rules.studentYearsAfterBirth} years after closing (${day(dueAt)})`,
    };
  }
  const years = recordType === 'staff' ? rules.staffYearsAfterClose : rules.misuseYearsAfterClose;
  const dueAt = addYears(facts.closedAt, years)!;
  return { recordType, dueAt, basis: 'closed_at', reason: `${label}: kept until ${years} years after closing (${day(dueAt)})` };
}

/** Whether the job should archive the incident now: closed, not yet archived, and past its date. */
export function isDue(facts: Pick<RetentionFacts, 'archivedAt'>, decision: RetentionDecision, now: Date): boolean {
  return facts.archivedAt === null && decision.dueAt !== null && decision.dueAt <= now.toISOString();
}

/** The periods in force, for the status page and the run record. */
export const rulesInForce = (rules: RetentionConfig) => ({
  studentYearsAfterBirth: rules.studentYearsAfterBirth,
  misuseYearsAfterClose: rules.misuseYearsAfterClose,
  staffYearsAfterClose: rules.staffYearsAfterClose,
  jobHours: rules.jobHours,
});

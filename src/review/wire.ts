/**
 * The filtering and monitoring review as the API sends it. Plain types, so the web app imports
 * the very shapes the server answers with.
 */
import type { AnswerStatus, ChecklistItemId, ReviewReason, ReviewSlot } from './checklist.js';

export type { AnswerStatus, ChecklistItemId, ReviewReason, ReviewSlot };

export interface PersonRef {
  id: string;
  name: string;
}

export interface ChecklistAnswer {
  status: AnswerStatus;
  /** The person who checked it. */
  checkedBy: string;
  /** YYYY-MM-DD. */
  checkedOn: string;
  notes: string;
}

export interface ChecklistAnswerView extends ChecklistAnswer {
  checkedByName: string;
}

export interface ReviewAction {
  what: string;
  ownerId: string;
  /** YYYY-MM-DD. */
  due: string;
}

export interface ReviewActionView extends ReviewAction {
  ownerName: string;
}

export interface SignOffView {
  at: string;
  by: PersonRef;
  note: string;
}

export interface ReviewSummary {
  id: string;
  title: string;
  reason: ReviewReason;
  status: 'open' | 'signed_off';
  startedAt: string;
  signedOffAt: string | null;
  signedOffByName: string | null;
}

export interface ReviewList {
  reviews: ReviewSummary[];
  lastSignedOffAt: string | null;
  /** One year after the last sign-off, YYYY-MM-DD; null when no review has been signed off. */
  nextDue: string | null;
}

export interface CheckResult {
  category: string;
  categoryLabel: string;
  profileId: string | null;
  profileName: string;
  target: string;
  expected: 'block' | 'allow' | 'alert';
  outcome: string;
  rule: string | null;
  passed: boolean;
  detail: string;
}

export interface CheckRunSummary {
  runId: string;
  runAt: string;
  runByName: string | null;
  passed: number;
  failed: number;
}

export interface CheckRun extends CheckRunSummary {
  /** Every result, failures first. */
  results: CheckResult[];
  /** The same results by profile (and "Monitoring"), in the order the profiles are shown. */
  groups: { profileName: string; passed: number; failed: number; results: CheckResult[] }[];
}

/** Who may fill each slot, and who may be named as checker or action owner. */
export interface ReviewCandidates {
  slt: PersonRef[];
  governor: PersonRef[];
  dsl: PersonRef[];
  itLead: PersonRef[];
  /** Staff and governors of the school. */
  anyone: PersonRef[];
}

export interface ReviewDetail extends ReviewSummary {
  people: Record<ReviewSlot, PersonRef | null>;
  checklist: Partial<Record<ChecklistItemId, ChecklistAnswerView>>;
  decisions: string;
  actions: ReviewActionView[];
  signOff: SignOffView | null;
  latestRun: CheckRun | null;
  runs: CheckRunSummary[];
  /** What still stops sign-off; empty when the review can be signed. */
  missing: string[];
  candidates: ReviewCandidates;
}

export interface ReviewEdit {
  title?: string;
  reason?: ReviewReason;
  people?: Partial<Record<ReviewSlot, string | null>>;
  /** Answers by item id; null clears an answer. */
  checklist?: Partial<Record<ChecklistItemId, ChecklistAnswer | null>>;
  decisions?: string;
  /** The whole list of actions, replacing the one stored. */
  actions?: ReviewAction[];
}

import type { Kysely } from 'kysely';
import type { DB, FilterReviewCheckTable, FilterReviewTable } from '../db/tables.js';
import { newId } from '../db/ids.js';
import type { DemoPlan, PlannedPerson } from '../demo/types.js';
import { LOCKED_TEST_ENTRIES, LOCKED_TEST_SOURCE } from '../filter/lists/locked.js';
import { ensureFilterPolicy } from '../filter/policy/ensure.js';
import { DEFAULT_LIBRARY } from '../monitor/keywords/default-library.js';
import { type AnswerStatus, CHECKLIST_IDS, type ChecklistItemId } from './checklist.js';
import { monitoringChecks } from './checks.js';
import type { ChecklistAnswer, ReviewAction } from './wire.js';

/** Last year's review: started in September, signed off by the head at the October governors' meeting. */
const STARTED_AT = '2025-09-22T15:30:00.000Z';
const CHECKS_RUN_AT = '2025-09-29T10:05:00.000Z';
const SIGNED_OFF_AT = '2025-10-15T18:40:00.000Z';

const NOTES: Partial<Record<ChecklistItemId, { status: AnswerStatus; notes: string }>> = {
  risk_profile: { status: 'met', notes: 'Considered with the SENCO: Year 7 and pupils with SEND need the strictest settings.' },
  safe_search: { status: 'met', notes: 'Enforced for Google, Bing and YouTube on every profile.' },
  off_site_devices: { status: 'partly', notes: 'Laptops lent for home use are not filtered off site; recorded as an action.' },
  keyword_library: { status: 'partly', notes: 'Polish and Urdu terms added; current slang to be reviewed with the pupil digital leaders.' },
  over_blocking: { status: 'met', notes: 'Asked at the September staff meeting: two sites unblocked for history.' },
};

/**
 * Records last year's signed-off review in the demo school, so the review screen and the
 * governors' report have history: the four people named, every item answered, one run of checks
 * (the locked lists' test entries blocked for every profile, and the monitoring phrases), and
 * the head's sign-off on 15 October 2025.
 */
export async function recordDemoReview(
  db: Kysely<DB>,
  plan: DemoPlan,
  schoolId: string,
  ids: Map<PlannedPerson, string>,
  now: Date,
): Promise<void> {
  const person = (username: string) => {
    const account = plan.accounts.find((a) => a.username === username);
    const id = account ? ids.get(account.person) : undefined;
    if (!id) throw new Error(`The demo plan has no ${username}`);
    return id;
  };
  const head = person('demo.head');
  const governor = person('demo.governor');
  const dsl = person('demo.dsl');
  const netman = person('demo.netman');

  const items: Partial<Record<ChecklistItemId, ChecklistAnswer>> = {};
  for (const id of CHECKLIST_IDS) {
    const note = NOTES[id];
    items[id] = {
      status: note?.status ?? 'met',
      checkedBy: id.startsWith('monitoring') || id === 'alerts_reach_dsl' || id === 'keyword_library' ? dsl : netman,
      checkedOn: '2025-09-29',
      notes: note?.notes ?? '',
    };
  }
  const actions: ReviewAction[] = [
    { what: 'Filter laptops lent for home use through the school proxy', ownerId: netman, due: '2026-01-09' },
    { what: 'Review the keyword library with the pupil digital leaders', ownerId: dsl, due: '2026-02-13' },
  ];
  const reviewId = newId();
  const review: FilterReviewTable = {
    id: reviewId,
    school_id: schoolId,
    title: 'Annual review 2025-26',
    status: 'signed_off',
    slt_person_id: head,
    governor_person_id: governor,
    dsl_person_id: dsl,
    it_lead_person_id: netman,
    checklist: JSON.stringify({ reason: 'annual', items }),
    decisions:
      'Filtering and monitoring meet the DfE standards. Social media stays blocked below the sixth form; games are allowed to the sixth form outside lessons.',
    actions: JSON.stringify(actions),
    started_at: STARTED_AT,
    started_by: dsl,
    updated_at: SIGNED_OFF_AT,
    signed_off_at: SIGNED_OFF_AT,
    signed_off_by: head,
    signoff_note: 'Reviewed with the e-safety governor at the governing body meeting of 15 October 2025.',
  };

  await ensureFilterPolicy(db, schoolId, () => now);
  const profiles = await db
    .selectFrom('filter_profiles')
    .select(['id', 'name'])
    .where('school_id', '=', schoolId)
    .orderBy('position')
    .execute();
  const runId = newId();
  const planned = [
    ...profiles.flatMap((p) =>
      Object.entries(LOCKED_TEST_ENTRIES).map(([category, target]) => ({
        category,
        profile_id: p.id,
        profile_name: p.name,
        target,
        expected: 'block' as const,
        outcome: 'block',
        rule: 'locked_list',
        passed: 1,
        detail: `on the locked list ${LOCKED_TEST_SOURCE}`,
      })),
    ),
    ...monitoringChecks(DEFAULT_LIBRARY, 0),
  ];
  const checks: FilterReviewCheckTable[] = planned.map((c, i) => ({
    ...c,
    id: `${runId}-${String(i).padStart(5, '0')}`,
    review_id: reviewId,
    school_id: schoolId,
    run_id: runId,
    run_at: CHECKS_RUN_AT,
    run_by: netman,
  }));
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('filter_reviews').values(review).execute();
    await trx.insertInto('filter_review_checks').values(checks).execute();
  });
}

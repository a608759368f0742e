import type { Kysely } from 'kysely';
import type { DB, FilterReviewCheckTable } from '../db/tables.js';
import { categoryLabel, isCategoryId } from '../filter/categories.js';
import { MONITORING_PROFILE } from './checks.js';
import type { CheckResult, CheckRun, CheckRunSummary } from './wire.js';

/** Stored check rows of a review, read and written only here. */

const labelOf = (category: string): string =>
  isCategoryId(category)
    ? categoryLabel(category)
    : category.startsWith('monitor:')
      ? `Monitoring: ${category.slice(8).replace('_', ' ')}`
      : category;

export const resultOf = (r: FilterReviewCheckTable): CheckResult => ({
  category: r.category,
  categoryLabel: labelOf(r.category),
  profileId: r.profile_id,
  profileName: r.profile_name,
  target: r.target,
  // The monitoring checks store "must be caught" in the filter's column; they expect an alert.
  expected: r.category.startsWith('monitor:') ? 'alert' : r.expected,
  outcome: r.outcome,
  rule: r.rule,
  passed: Number(r.passed) === 1,
  detail: r.detail,
});

/** Failures first, then in the order the run stored them (profiles in display order). */
export const failuresFirst = (results: CheckResult[]): CheckResult[] =>
  results
    .map((r, i) => ({ r, i }))
    .sort((a, b) => Number(a.r.passed) - Number(b.r.passed) || a.i - b.i)
    .map(({ r }) => r);

/** Every run of a review, newest first, with its counts. */
export async function runSummaries(
  db: Kysely<DB>,
  reviewId: string,
  nameOf: (id: string | null) => string | null,
): Promise<CheckRunSummary[]> {
  const rows = await db
    .selectFrom('filter_review_checks')
    .select((eb) => ['run_id', 'run_at', 'run_by', 'passed', eb.fn.countAll<number>().as('n')])
    .where('review_id', '=', reviewId)
    .groupBy(['run_id', 'run_at', 'run_by', 'passed'])
    .execute();
  const runs = new Map<string, CheckRunSummary>();
  for (const r of rows) {
    const run = runs.get(r.run_id) ?? { runId: r.run_id, runAt: r.run_at, runByName: nameOf(r.run_by), passed: 0, failed: 0 };
    if (Number(r.passed) === 1) run.passed += Number(r.n);
    else run.failed += Number(r.n);
    runs.set(r.run_id, run);
  }
  return [...runs.values()].sort((a, b) => b.runAt.localeCompare(a.runAt) || b.runId.localeCompare(a.runId));
}

/** One run's results, failures first, and grouped by profile with "Monitoring" last. */
export async function runResults(db: Kysely<DB>, summary: CheckRunSummary): Promise<CheckRun> {
  const rows = await db
    .selectFrom('filter_review_checks')
    .selectAll()
    .where('run_id', '=', summary.runId)
    // Ids are written in order within a run, so this is the order the checks ran in.
    .orderBy('id')
    .execute();
  const results = rows.map(resultOf);
  const names: string[] = [];
  for (const r of results) if (!names.includes(r.profileName)) names.push(r.profileName);
  names.sort((a, b) => Number(a === MONITORING_PROFILE) - Number(b === MONITORING_PROFILE));
  const groups = names.map((profileName) => {
    const mine = results.filter((r) => r.profileName === profileName);
    const failed = mine.filter((r) => !r.passed).length;
    return { profileName, passed: mine.length - failed, failed, results: failuresFirst(mine) };
  });
  return { ...summary, results: failuresFirst(results), groups };
}

export async function hasRun(db: Kysely<DB>, reviewId: string): Promise<boolean> {
  return Boolean(await db.selectFrom('filter_review_checks').select('id').where('review_id', '=', reviewId).limit(1).executeTakeFirst());
}

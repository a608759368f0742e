import type { Kysely } from 'kysely';
import type { DB } from '../db/tables.js';
import { livePolicyTables } from './live.js';
import { ensurePolicy } from './service.js';

/**
 * The demo school's policy: version 1 of the default text, approved by the full governing
 * body in May 2026, so the demo shows a policy in force with its next review date. Written
 * directly, because the approval happened before the demo was made.
 */
export async function approveDemoPolicy(db: Kysely<DB>, schoolId: string, now: Date): Promise<void> {
  await ensurePolicy(db, schoolId, now);
  const tables = await livePolicyTables(db, schoolId, now);
  await db
    .updateTable('policy_versions')
    .set({
      status: 'approved',
      change_note: 'Adopted from the default policy',
      approved_on: '2026-05-21',
      approved_by_body: 'Full governing body',
      minute_ref: 'FGB 2026/14',
      approval_recorded_at: now.toISOString(),
      next_review_on: '2027-05-21',
      approved_tables: JSON.stringify(tables),
    })
    .where('school_id', '=', schoolId)
    .where('version', '=', 1)
    .execute();
}

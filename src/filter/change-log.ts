import type { Kysely } from 'kysely';
import { newId } from '../db/ids.js';
import type { DB } from '../db/tables.js';
import { AppError } from '../errors/errors.js';

/**
 * The filtering change-control log the policies ask governors to review: every change to the
 * policy, the lists or the exceptions, with who made it, when, the record before and after,
 * and a reason that cannot be left out. Write it in the same transaction as the change, so a
 * change without its log entry cannot exist.
 */
export interface FilterChange {
  trustId: string;
  /** Null for an installation- or trust-wide change (category lists, trust lists). */
  schoolId: string | null;
  actor: { accountId: string | null; name: string };
  /** What kind of thing changed: `profile`, `matrix`, `list_entry`, `exception`, `category_lists` … */
  entity: string;
  entityId: string | null;
  change: 'create' | 'update' | 'delete' | 'approve' | 'reject' | 'import' | (string & {});
  /** One plain sentence a governor can read. */
  summary: string;
  before: unknown;
  after: unknown;
  reason: string;
  at: Date;
}

export const MIN_REASON_LENGTH = 3;

export function requireReason(reason: string | undefined | null): string {
  const trimmed = (reason ?? '').trim();
  if (trimmed.length < MIN_REASON_LENGTH) {
    throw new AppError('filter.reason_required', 'Give a reason for this change: it goes into the change-control log');
  }
  return trimmed;
}

export async function recordFilterChange(db: Kysely<DB>, change: FilterChange): Promise<string> {
  const id = newId();
  await db
    .insertInto('filter_change_log')
    .values({
      id,
      trust_id: change.trustId,
      school_id: change.schoolId,
      at: change.at.toISOString(),
      actor_account_id: change.actor.accountId,
      actor_name: change.actor.name,
      entity: change.entity,
      entity_id: change.entityId,
      change: change.change,
      summary: change.summary,
      before: change.before === undefined || change.before === null ? null : JSON.stringify(change.before),
      after: change.after === undefined || change.after === null ? null : JSON.stringify(change.after),
      reason: requireReason(change.reason),
    })
    .execute();
  return id;
}

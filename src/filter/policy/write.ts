import type { Kysely, Transaction } from 'kysely';
import { recordAudit } from '../../audit/service.js';
import type { DB } from '../../db/tables.js';
import { recordFilterChange, requireReason } from '../change-log.js';
import { ensureFilterPolicy } from './ensure.js';

/** Who makes a change: a signed-in person, or the system (an import, the incident log). */
export interface PolicyActor {
  accountId: string | null;
  username: string | null;
  personId: string | null;
  name: string;
}

/** The school a change is about, who makes it and when. */
export interface WriteScope {
  schoolId: string;
  trustId: string;
  actor: PolicyActor;
  now: Date;
  ip?: string | null;
}

/** What a change did, for the change-control log and the audit log. */
export interface ChangeRecord<T> {
  result: T;
  entity: string;
  entityId: string | null;
  change: string;
  summary: string;
  before: unknown;
  after: unknown;
  /** Schools whose policy version moves; the scope's school when left out. */
  schoolIds?: string[];
  /** Log the change against the trust only (a trust-wide list entry). */
  trustWide?: boolean;
}

/**
 * Runs one policy change: the reason is checked first, then the change, its change-log
 * entry, its audit entry and the policy-version bump commit together or not at all.
 *
 * @example
 *   await policyWrite(db, scope, reason, async (trx) => ({ result: id, entity: 'device', ... }));
 */
export async function policyWrite<T>(
  db: Kysely<DB>,
  scope: WriteScope,
  reason: string | undefined,
  work: (trx: Transaction<DB>) => Promise<ChangeRecord<T>>,
): Promise<T> {
  const why = requireReason(reason);
  await ensureFilterPolicy(db, scope.schoolId, () => scope.now);
  return db.transaction().execute(async (trx) => {
    // The school's settings row first, in every transaction that also writes the audit log
    // (policy changes, acceptances, block-page sign-ins): one lock order, so PostgreSQL never
    // finds two of them waiting on each other.
    await bumpPolicyVersion(trx, [scope.schoolId], scope.now);
    const record = await work(trx);
    // A trust-wide change reaches every school of the trust, still before the audit entry.
    const others = (record.schoolIds ?? []).filter((id) => id !== scope.schoolId);
    await bumpPolicyVersion(trx, others, scope.now);
    await recordFilterChange(trx, {
      trustId: scope.trustId,
      schoolId: record.trustWide ? null : scope.schoolId,
      actor: { accountId: scope.actor.accountId, name: scope.actor.name },
      entity: record.entity,
      entityId: record.entityId,
      change: record.change,
      summary: record.summary,
      before: record.before,
      after: record.after,
      reason: why,
      at: scope.now,
    });
    await recordAudit(trx, {
      action: `filter.${record.entity}.${record.change}`,
      actor: scope.actor.accountId ? { accountId: scope.actor.accountId, username: scope.actor.username ?? scope.actor.name } : null,
      targetType: `filter_${record.entity}`,
      targetId: record.entityId ?? undefined,
      schoolId: record.trustWide ? null : scope.schoolId,
      ip: scope.ip ?? null,
      details: { summary: record.summary, reason: why },
      at: scope.now,
    });
    return record.result;
  });
}

/** Moves the policy version on, which tells the filter runtime to recompile within a second. */
export async function bumpPolicyVersion(db: Kysely<DB>, schoolIds: readonly string[], now: Date): Promise<void> {
  if (schoolIds.length === 0) return;
  await db
    .updateTable('filter_settings')
    .set((eb) => ({ policy_version: eb('policy_version', '+', 1), updated_at: now.toISOString() }))
    .where('school_id', 'in', schoolIds)
    .execute();
}

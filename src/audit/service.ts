import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AuditEntry, DB } from '../db/tables.js';

export interface AuditEvent {
  action: string;
  actor?: { accountId: string; username: string } | null;
  targetType?: string;
  targetId?: string;
  schoolId?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
  at?: Date;
}

const GENESIS = '0'.repeat(64);

function entryHash(prevHash: string, e: Omit<AuditEntry, 'hash' | 'prev_hash'>): string {
  const body = JSON.stringify([
    e.seq,
    e.at,
    e.actor_account_id,
    e.actor_username,
    e.action,
    e.target_type,
    e.target_id,
    e.school_id,
    e.ip,
    e.details,
  ]);
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/**
 * Appends one entry to the hash-chained audit log. Call it inside the transaction that makes
 * the change, so the change and its record commit together or not at all.
 *
 * @example
 *   await recordAudit(trx, { action: 'user.disable', actor, targetType: 'account', targetId: id });
 */
export async function recordAudit(db: Kysely<DB>, event: AuditEvent): Promise<void> {
  if (!db.isTransaction) {
    await db.transaction().execute((trx) => recordAudit(trx, event));
    return;
  }
  // Bumping the head row first takes its lock (PostgreSQL) so concurrent writers queue here.
  const head = await db
    .updateTable('audit_head')
    .set((eb) => ({ seq: eb('seq', '+', 1) }))
    .where('id', '=', 1)
    .returning(['seq', 'hash'])
    .executeTakeFirstOrThrow();
  const row = {
    seq: head.seq,
    at: (event.at ?? new Date()).toISOString(),
    actor_account_id: event.actor?.accountId ?? null,
    actor_username: event.actor?.username ?? null,
    action: event.action,
    target_type: event.targetType ?? null,
    target_id: event.targetId ?? null,
    school_id: event.schoolId ?? null,
    ip: event.ip ?? null,
    details: JSON.stringify(event.details ?? {}),
  };
  const hash = entryHash(head.hash, row);
  await db
    .insertInto('audit_log')
    .values({ ...row, prev_hash: head.hash, hash })
    .execute();
  await db.updateTable('audit_head').set({ hash }).where('id', '=', 1).execute();
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  /** The first problem found, with the sequence number where the chain breaks. */
  problem?: { seq: number; reason: string };
}

/** Walks the whole chain; an edited, deleted, inserted or truncated entry breaks it. */
export async function verifyAuditChain(db: Kysely<DB>): Promise<AuditVerification> {
  let prev = GENESIS;
  let expectedSeq = 1;
  let entries = 0;
  const pageSize = 5000;
  for (;;) {
    const page = await db.selectFrom('audit_log').selectAll().where('seq', '>=', expectedSeq).orderBy('seq').limit(pageSize).execute();
    for (const e of page) {
      if (e.seq !== expectedSeq) {
        return { ok: false, entries, problem: { seq: expectedSeq, reason: `entry ${expectedSeq} is missing` } };
      }
      if (e.prev_hash !== prev) {
        return { ok: false, entries, problem: { seq: e.seq, reason: 'entry does not follow the one before it' } };
      }
      const { hash, prev_hash: _prev, ...rest } = e;
      if (entryHash(prev, rest) !== hash) {
        return { ok: false, entries, problem: { seq: e.seq, reason: 'entry was changed after it was written' } };
      }
      prev = hash;
      expectedSeq += 1;
      entries += 1;
    }
    if (page.length < pageSize) break;
  }
  const head = await db.selectFrom('audit_head').selectAll().where('id', '=', 1).executeTakeFirst();
  if (!head || head.seq !== entries || head.hash !== prev) {
    return {
      ok: false,
      entries,
      problem: { seq: entries + 1, reason: `the log ends at entry ${entries} but ${head?.seq ?? 0} were written` },
    };
  }
  return { ok: true, entries };
}

export interface AuditQuery {
  schoolId?: string;
  actorAccountId?: string;
  action?: string;
  targetId?: string;
  before?: number;
  limit: number;
}

export async function listAudit(db: Kysely<DB>, q: AuditQuery): Promise<AuditEntry[]> {
  let query = db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(q.limit);
  if (q.schoolId) query = query.where((eb) => eb.or([eb('school_id', '=', q.schoolId!), eb('school_id', 'is', null)]));
  if (q.actorAccountId) query = query.where('actor_account_id', '=', q.actorAccountId);
  if (q.action) query = query.where('action', 'like', `${q.action}%`);
  if (q.targetId) query = query.where('target_id', '=', q.targetId);
  if (q.before) query = query.where('seq', '<', q.before);
  return query.execute();
}

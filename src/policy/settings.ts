import type { Kysely } from 'kysely';
import type { Actor } from '../access/policy.js';
import { recordAudit } from '../audit/service.js';
import type { DB } from '../db/tables.js';
import { AppError } from '../errors/errors.js';
import { DEFAULT_COMMUNICATIONS } from './defaults.js';
import { type CommunicationRow, MAX_COMMUNICATION_ROWS } from './wire.js';

interface PolicySettings {
  communications: CommunicationRow[];
}

/** The school's communication technologies table; seed 002's until the school edits it. */
export async function loadCommunications(db: Kysely<DB>, schoolId: string): Promise<CommunicationRow[]> {
  const row = await db.selectFrom('policy_settings').select('settings').where('school_id', '=', schoolId).executeTakeFirst();
  const saved = row ? (JSON.parse(row.settings) as Partial<PolicySettings>).communications : undefined;
  return (saved ?? DEFAULT_COMMUNICATIONS).map((r) => ({ ...r }));
}

/**
 * Replaces the communication technologies table. Levels are checked by the route's schema;
 * labels are trimmed, and two rows may not say the same thing.
 */
export async function saveCommunications(
  db: Kysely<DB>,
  actor: Actor,
  rows: readonly CommunicationRow[],
  meta: { ip: string | null; now: Date },
): Promise<CommunicationRow[]> {
  if (rows.length > MAX_COMMUNICATION_ROWS) {
    throw new AppError('validation_failed', `Invalid request: at most ${MAX_COMMUNICATION_ROWS} rows`);
  }
  const clean = rows.map((r) => ({ label: r.label.trim().replace(/\s+/g, ' '), staff: r.staff, students: r.students }));
  const seen = new Set<string>();
  for (const r of clean) {
    if (r.label.length < 1 || r.label.length > 200) {
      throw new AppError('validation_failed', 'Invalid request: each row needs a label of 1 to 200 characters');
    }
    const key = r.label.toLowerCase();
    if (seen.has(key)) throw new AppError('validation_failed', `Invalid request: "${r.label}" is in the table twice`);
    seen.add(key);
  }
  const before = await loadCommunications(db, actor.schoolId);
  await db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('policy_settings').select('settings').where('school_id', '=', actor.schoolId).executeTakeFirst();
    const settings = { ...(existing ? (JSON.parse(existing.settings) as object) : {}), communications: clean };
    const values = { settings: JSON.stringify(settings), updated_at: meta.now.toISOString(), updated_by: actor.personId };
    if (existing) await trx.updateTable('policy_settings').set(values).where('school_id', '=', actor.schoolId).execute();
    else
      await trx
        .insertInto('policy_settings')
        .values({ school_id: actor.schoolId, ...values })
        .onConflict((oc) => oc.column('school_id').doUpdateSet(values))
        .execute();
    await recordAudit(trx, {
      action: 'policy.communications.updated',
      actor,
      targetType: 'school',
      targetId: actor.schoolId,
      schoolId: actor.schoolId,
      ip: meta.ip,
      details: { before, after: clean },
      at: meta.now,
    });
  });
  return clean;
}

import { createHash } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { newId } from '../../db/ids.js';
import type { DB, EvidenceCustodyTable } from '../../db/tables.js';
import { isUniqueViolation } from '../../db/errors.js';

export type CustodyRow = Selectable<EvidenceCustodyTable>;
export type CustodyEvent = EvidenceCustodyTable['event'];

export const GENESIS_HASH = '0'.repeat(64);

/** The fields a custody hash covers, in a fixed order, so the same row always hashes the same. */
function canonical(row: Omit<CustodyRow, 'hash' | 'prev_hash'>): string {
  return JSON.stringify({
    id: row.id,
    evidence_id: row.evidence_id,
    seq: row.seq,
    event: row.event,
    actor_person_id: row.actor_person_id,
    actor_username: row.actor_username,
    ip: row.ip,
    sha256_seen: row.sha256_seen,
    details: row.details,
    at: row.at,
  });
}

export const custodyHash = (prevHash: string, row: Omit<CustodyRow, 'hash' | 'prev_hash'>): string =>
  createHash('sha256').update(prevHash).update(canonical(row)).digest('hex');

/** Appends that lost a race are retried on top of the winner, up to this many tries in all. */
const MAX_TRIES = 3;

export interface CustodyInput {
  event: CustodyEvent;
  actor: { personId: string | null; username: string };
  ip: string | null;
  sha256Seen: string | null;
  details?: Record<string, unknown>;
  at: Date;
}

/** Appends one event inside the caller's transaction, linked to the file's last event. */
async function appendInto(trx: Kysely<DB>, evidenceId: string, input: CustodyInput): Promise<CustodyRow> {
  const last = await trx
    .selectFrom('evidence_custody')
    .select(['seq', 'hash'])
    .where('evidence_id', '=', evidenceId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const body = {
    id: newId(),
    evidence_id: evidenceId,
    seq: (last?.seq ?? 0) + 1,
    event: input.event,
    actor_person_id: input.actor.personId,
    actor_username: input.actor.username,
    ip: input.ip,
    sha256_seen: input.sha256Seen,
    details: input.details ? JSON.stringify(input.details) : null,
    at: input.at.toISOString(),
  };
  const prevHash = last?.hash ?? GENESIS_HASH;
  const row = { ...body, prev_hash: prevHash, hash: custodyHash(prevHash, body) };
  await trx.insertInto('evidence_custody').values(row).execute();
  return row;
}

/**
 * Appends a custody event, with `alongside` (the audit entry) in the same transaction. Two
 * appends at once would take the same sequence number; the unique (evidence_id, seq) refuses
 * the second, which is then retried on top of the first.
 *
 * @example
 *   await appendCustody(ctx.db, file.id, { event: 'view', actor, ip, sha256Seen, at: now });
 */
export async function appendCustody(
  db: Kysely<DB>,
  evidenceId: string,
  input: CustodyInput,
  alongside: (trx: Kysely<DB>) => Promise<void> = async () => {},
): Promise<CustodyRow> {
  const attempt = () =>
    db.transaction().execute(async (trx) => {
      const row = await appendInto(trx, evidenceId, input);
      await alongside(trx);
      return row;
    });
  // Each retry follows a commit by another request, so a few cover any real burst of views.
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isUniqueViolation(error) || tries >= MAX_TRIES) throw error;
    }
  }
}

/** The first event written for a new file, inside the transaction that records the file. */
export const appendFirstCustody = (trx: Kysely<DB>, evidenceId: string, input: CustodyInput) => appendInto(trx, evidenceId, input);

export const custodyOf = (db: Kysely<DB>, evidenceId: string): Promise<CustodyRow[]> =>
  db.selectFrom('evidence_custody').selectAll().where('evidence_id', '=', evidenceId).orderBy('seq').execute();

/**
 * Checks a file's chain: numbered 1..n without gaps, each row linked to the one before, each
 * hash recomputed, and the first event the upload with the SHA-256 stored for the file. A
 * deleted, inserted or edited row breaks it. Returns the first problem, or null.
 */
export function custodyProblem(rows: readonly CustodyRow[], uploadedSha256: string): string | null {
  if (rows.length === 0) return 'the chain of custody is empty';
  let prev = GENESIS_HASH;
  for (const [index, row] of rows.entries()) {
    const { hash, prev_hash, ...body } = row;
    if (row.seq !== index + 1) return `custody event ${index + 1} is missing (found ${row.seq})`;
    if (prev_hash !== prev) return `custody event ${row.seq} does not link to the event before it`;
    if (custodyHash(prev_hash, body) !== hash) return `custody event ${row.seq} has been altered`;
    prev = hash;
  }
  const first = rows[0]!;
  if (first.event !== 'upload') return 'the first custody event is not the upload';
  if (first.sha256_seen !== uploadedSha256) return 'the upload event does not show the SHA-256 stored for the file';
  return null;
}

/**
 * Monitoring sources beyond the school's own filter: capture API keys (stored only as a hash)
 * and syslog senders (known by their address). Every change is audited.
 */
import { createHash, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import type { Kysely } from 'kysely';
import type { Actor } from '../../access/policy.js';
import { recordAudit } from '../../audit/service.js';
import { newId } from '../../db/ids.js';
import type { DB, MonitorSourceTable } from '../../db/tables.js';
import { AppError, notFound } from '../../errors/errors.js';

export type SyslogFormat = 'squid' | 'e2guardian' | 'text';

export interface SourceView {
  id: string;
  name: string;
  kind: MonitorSourceTable['kind'];
  /** The key's first characters, so staff can tell keys apart; the key itself is never shown again. */
  keyHint: string | null;
  address: string | null;
  format: MonitorSourceTable['format'];
  createdAt: string;
  createdBy: string | null;
  revokedAt: string | null;
  lastEventAt: string | null;
}

export interface CaptureSource {
  id: string;
  schoolId: string;
  name: string;
}

export interface SyslogSource {
  id: string;
  schoolId: string;
  name: string;
  format: SyslogFormat;
}

const KEY_PREFIX = 'tut_';
const HINT_LENGTH = KEY_PREFIX.length + 6;

export const hashKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

/** A new capture API key: 32 random bytes, prefixed so a leaked key is recognisable in logs and scans. */
export const newCaptureKey = (): string => KEY_PREFIX + randomBytes(32).toString('base64url');

/** A dual-stack socket reports IPv4 senders as `::ffff:10.0.0.5`; they are registered as `10.0.0.5`. */
export const plainAddress = (address: string): string => {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address.toLowerCase();
};

type Audited = { actor: Actor; ip: string | null; now: Date };

function view(row: MonitorSourceTable & { created_by_name?: string | null }): SourceView {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    keyHint: row.key_hint,
    address: row.address,
    format: row.format,
    createdAt: row.created_at,
    createdBy: row.created_by_name ?? null,
    revokedAt: row.revoked_at,
    lastEventAt: row.last_event_at,
  };
}

export async function listSources(db: Kysely<DB>, schoolId: string): Promise<SourceView[]> {
  const rows = await db
    .selectFrom('monitor_sources')
    .leftJoin('accounts', 'accounts.id', 'monitor_sources.created_by')
    .selectAll('monitor_sources')
    .select('accounts.username as created_by_name')
    .where('monitor_sources.school_id', '=', schoolId)
    .orderBy('monitor_sources.created_at', 'desc')
    .execute();
  // Active sources first, newest first; revoked ones after them.
  return rows.map(view).sort((a, b) => Number(a.revokedAt !== null) - Number(b.revokedAt !== null));
}

/** Creates a capture source; the key is returned here once and only its hash is kept. */
export async function createCaptureSource(
  db: Kysely<DB>,
  schoolId: string,
  name: string,
  by: Audited,
): Promise<{ source: SourceView; key: string }> {
  const key = newCaptureKey();
  const row: MonitorSourceTable = {
    id: newId(),
    school_id: schoolId,
    name: name.trim(),
    kind: 'capture',
    key_hash: hashKey(key),
    key_hint: key.slice(0, HINT_LENGTH),
    address: null,
    format: null,
    created_at: by.now.toISOString(),
    created_by: by.actor.accountId,
    revoked_at: null,
    last_event_at: null,
  };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('monitor_sources').values(row).execute();
    await recordAudit(trx, {
      action: 'monitor.source_created',
      actor: by.actor,
      targetType: 'monitor_source',
      targetId: row.id,
      schoolId,
      ip: by.ip,
      details: { kind: 'capture', name: row.name, keyHint: row.key_hint },
      at: by.now,
    });
  });
  return { source: view({ ...row, created_by_name: by.actor.username }), key };
}

/**
 * Registers a syslog sender. The syslog server knows a message's school only by the sender's
 * address, so one address can stand for one active source in the whole installation.
 */
export async function createSyslogSource(
  db: Kysely<DB>,
  schoolId: string,
  input: { name: string; address: string; format: SyslogFormat },
  by: Audited,
): Promise<SourceView> {
  const address = plainAddress(input.address.trim());
  if (!isIP(address)) throw new AppError('validation_failed', `"${address}" is not an IPv4 or IPv6 address`);
  const row: MonitorSourceTable = {
    id: newId(),
    school_id: schoolId,
    name: input.name.trim(),
    kind: 'syslog',
    key_hash: null,
    key_hint: null,
    address,
    format: input.format,
    created_at: by.now.toISOString(),
    created_by: by.actor.accountId,
    revoked_at: null,
    last_event_at: null,
  };
  await db.transaction().execute(async (trx) => {
    if (await findSyslogSource(trx, address)) {
      throw new AppError('conflict', `Syslog from ${address} is already taken in; revoke that sender first`);
    }
    await trx.insertInto('monitor_sources').values(row).execute();
    await recordAudit(trx, {
      action: 'monitor.source_created',
      actor: by.actor,
      targetType: 'monitor_source',
      targetId: row.id,
      schoolId,
      ip: by.ip,
      details: { kind: 'syslog', name: row.name, address, format: input.format },
      at: by.now,
    });
  });
  return view({ ...row, created_by_name: by.actor.username });
}

/** The source with its school's trust, for authorising a change to it. */
export async function loadSource(db: Kysely<DB>, id: string) {
  const row = await db
    .selectFrom('monitor_sources')
    .innerJoin('schools', 'schools.id', 'monitor_sources.school_id')
    .selectAll('monitor_sources')
    .select('schools.trust_id')
    .where('monitor_sources.id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('Source');
  return row;
}

/** Revokes a source: its key stops working, or its sender's messages are no longer taken in. */
export async function revokeSource(db: Kysely<DB>, id: string, by: Audited): Promise<SourceView> {
  return db.transaction().execute(async (trx) => {
    const row = await loadSource(trx, id);
    if (row.revoked_at) throw new AppError('conflict', 'That source is already revoked');
    const revokedAt = by.now.toISOString();
    await trx.updateTable('monitor_sources').set({ revoked_at: revokedAt }).where('id', '=', id).execute();
    await recordAudit(trx, {
      action: 'monitor.source_revoked',
      actor: by.actor,
      targetType: 'monitor_source',
      targetId: id,
      schoolId: row.school_id,
      ip: by.ip,
      details: { kind: row.kind, name: row.name, keyHint: row.key_hint, address: row.address },
      at: by.now,
    });
    return view({ ...row, revoked_at: revokedAt });
  });
}

/** The unrevoked capture source a key belongs to, or null. */
export async function findCaptureSource(db: Kysely<DB>, key: string): Promise<CaptureSource | null> {
  const row = await db
    .selectFrom('monitor_sources')
    .select(['id', 'school_id', 'name'])
    .where('key_hash', '=', hashKey(key))
    .where('kind', '=', 'capture')
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row ? { id: row.id, schoolId: row.school_id, name: row.name } : null;
}

/** The unrevoked syslog source registered for a sender's address, or null: how the syslog server finds a message's school. */
export async function findSyslogSource(db: Kysely<DB>, address: string): Promise<SyslogSource | null> {
  const row = await db
    .selectFrom('monitor_sources')
    .select(['id', 'school_id', 'name', 'format'])
    .where('kind', '=', 'syslog')
    .where('address', '=', plainAddress(address))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row ? { id: row.id, schoolId: row.school_id, name: row.name, format: (row.format ?? 'text') as SyslogFormat } : null;
}

/** Records when a source last sent something; callers keep this to once every few seconds. */
export async function touchSource(db: Kysely<DB>, id: string, at: Date): Promise<void> {
  await db.updateTable('monitor_sources').set({ last_event_at: at.toISOString() }).where('id', '=', id).execute();
}

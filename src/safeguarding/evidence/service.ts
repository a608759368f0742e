import type { Kysely, Selectable } from 'kysely';
import type { Actor } from '../../access/policy.js';
import { type AuditEvent, recordAudit } from '../../audit/service.js';
import { newId } from '../../db/ids.js';
import type { DB, IncidentEvidenceTable } from '../../db/tables.js';
import { AppError, notFound } from '../../errors/errors.js';
import type { IncidentRow } from '../access.js';
import { namesOf } from '../concerns/names.js';
import { appendEntry } from '../response/entries.js';
import { appendCustody, appendFirstCustody, type CustodyEvent, custodyOf } from './custody.js';
import type { UploadMeta } from './intake.js';
import type { EvidenceKey } from './key.js';
import { evidenceRefusal } from './refusal.js';
import { contentMismatch, sniffMediaType } from './sniff.js';
import { discardSealed, openFromDisk, sealToDisk } from './storage.js';

export type EvidenceRow = Selectable<IncidentEvidenceTable>;

/** Where evidence lives: the database for records, the data directory for ciphertext. */
export interface EvidenceStore {
  db: Kysely<DB>;
  dataDir: string;
  key: EvidenceKey;
}

export interface Client {
  ip: string | null;
}

export interface EvidenceView {
  id: string;
  filename: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  description: string | null;
  uploadedBy: { id: string; name: string };
  uploadedAt: string;
}

const auditAs = (actor: Actor, incident: IncidentRow, client: Client, now: Date) => (action: string, details: Record<string, unknown>) =>
  ({
    action,
    actor: { accountId: actor.accountId, username: actor.username },
    targetType: 'incident',
    targetId: incident.id,
    schoolId: incident.school_id,
    ip: client.ip,
    details,
    at: now,
  }) satisfies AuditEvent;

function viewOf(row: EvidenceRow, names: Map<string, string>): EvidenceView {
  return {
    id: row.id,
    filename: row.filename,
    mediaType: row.media_type,
    sizeBytes: Number(row.size_bytes),
    sha256: row.sha256,
    description: row.description,
    uploadedBy: { id: row.uploaded_by, name: names.get(row.uploaded_by) ?? 'Unknown person' },
    uploadedAt: row.uploaded_at,
  };
}

/** The facts the refusal policy needs: the incident's flags and its investigation's procedure. */
export async function refusalFacts(db: Kysely<DB>, incident: IncidentRow) {
  const investigation = await db
    .selectFrom('incident_investigations')
    .select('procedure')
    .where('incident_id', '=', incident.id)
    .executeTakeFirst();
  return { suspectedCsam: Number(incident.suspected_csam) === 1, category: incident.category, procedure: investigation?.procedure ?? null };
}

/**
 * Stores one evidence file. Refuses, in this order: an archived incident; image or video on
 * an incident where staff must not keep such images (audited, nothing stored); content that is
 * not what its media type says. Then encrypts it to disk and records the file, its first
 * custody event, a chronology entry and the audit entry in one transaction.
 * The caller has checked the actor may handle the incident's evidence.
 */
export async function uploadEvidence(
  store: EvidenceStore,
  actor: Actor,
  incident: IncidentRow,
  upload: UploadMeta & { bytes: Buffer },
  client: Client,
  now: Date,
): Promise<EvidenceView> {
  const audit = auditAs(actor, incident, client, now);
  if (incident.archived_at) throw new AppError('incident.archived', 'This incident is archived: no evidence can be added to it.');
  const sniffed = sniffMediaType(upload.bytes);
  const refusal = evidenceRefusal(await refusalFacts(store.db, incident), [upload.mediaType, sniffed]);
  if (refusal) {
    await recordAudit(
      store.db,
      audit('incident.evidence.refused', {
        reason: refusal.reason,
        filename: upload.filename,
        mediaType: upload.mediaType,
        sniffedType: sniffed,
        sizeBytes: upload.bytes.length,
      }),
    );
    throw new AppError('incident.evidence_refused', refusal.message, { reason: refusal.reason });
  }
  const mismatch = contentMismatch(upload.mediaType, upload.bytes);
  if (mismatch) throw new AppError('unsupported_media_type', `${mismatch} Upload it with its real type.`);

  const sealed = await sealToDisk(store.dataDir, incident.school_id, upload.bytes, store.key);
  const id = newId();
  const at = now.toISOString();
  const row: EvidenceRow = {
    id,
    incident_id: incident.id,
    school_id: incident.school_id,
    filename: upload.filename,
    media_type: upload.mediaType,
    description: upload.description,
    size_bytes: sealed.sizeBytes,
    sha256: sealed.sha256,
    storage_name: sealed.storageName,
    key_id: sealed.keyId,
    iv: sealed.iv,
    auth_tag: sealed.authTag,
    uploaded_by: actor.personId,
    uploaded_at: at,
  };
  try {
    await store.db.transaction().execute(async (trx) => {
      await trx.insertInto('incident_evidence').values(row).execute();
      await appendFirstCustody(trx, id, {
        event: 'upload',
        actor: { personId: actor.personId, username: actor.username },
        ip: client.ip,
        sha256Seen: sealed.sha256,
        details: { filename: upload.filename, sizeBytes: sealed.sizeBytes },
        at: now,
      });
      await appendEntry(trx, {
        incidentId: incident.id,
        kind: 'evidence',
        body: `Evidence added: ${upload.filename} (SHA-256 ${sealed.sha256})`,
        details: { evidenceId: id, sha256: sealed.sha256, mediaType: upload.mediaType, sizeBytes: sealed.sizeBytes },
        authorPersonId: actor.personId,
        at: now,
      });
      await trx.updateTable('incidents').set({ updated_at: at }).where('id', '=', incident.id).execute();
      await recordAudit(trx, audit('incident.evidence.upload', { evidenceId: id, filename: upload.filename, sha256: sealed.sha256 }));
    });
  } catch (error) {
    await discardSealed(store.dataDir, sealed.storageName);
    throw error;
  }
  return viewOf(row, new Map([[actor.personId, actor.displayName]]));
}

/** The incident's evidence files, oldest first; the listing is audited. */
export async function listEvidence(
  db: Kysely<DB>,
  actor: Actor,
  incident: IncidentRow,
  client: Client,
  now: Date,
): Promise<EvidenceView[]> {
  const rows = await db
    .selectFrom('incident_evidence')
    .selectAll()
    .where('incident_id', '=', incident.id)
    .orderBy('uploaded_at')
    .orderBy('id')
    .execute();
  await recordAudit(db, auditAs(actor, incident, client, now)('incident.evidence.list', { files: rows.length }));
  const names = await namesOf(
    db,
    rows.map((r) => r.uploaded_by),
  );
  return rows.map((r) => viewOf(r, names));
}

async function evidenceOf(db: Kysely<DB>, incident: IncidentRow, evidenceId: string): Promise<EvidenceRow> {
  const row = await db
    .selectFrom('incident_evidence')
    .selectAll()
    .where('id', '=', evidenceId)
    .where('incident_id', '=', incident.id)
    .executeTakeFirst();
  if (!row) throw notFound('Evidence file');
  return row;
}

/**
 * Decrypts one file for viewing or export. The SHA-256 is checked against the one taken on
 * upload; a file that fails is not sent, and the failure is audited. A success is added to
 * the chain of custody, with the audit entry, before the bytes leave.
 */
export async function openEvidence(
  store: EvidenceStore,
  actor: Actor,
  incident: IncidentRow,
  evidenceId: string,
  event: Extract<CustodyEvent, 'view' | 'export'>,
  client: Client,
  now: Date,
  details: Record<string, unknown> = {},
): Promise<{ file: EvidenceView; bytes: Buffer }> {
  const audit = auditAs(actor, incident, client, now);
  const row = await evidenceOf(store.db, incident, evidenceId);
  const opened = await openFromDisk(store.dataDir, row, store.key);
  if (!opened.ok) {
    await recordAudit(store.db, audit('incident.evidence.integrity_failed', { evidenceId, wanted: event, problem: opened.problem }));
    throw new AppError('internal', `${row.filename} cannot be opened. ${opened.message} Tell your network manager.`, {
      problem: opened.problem,
    });
  }
  await appendCustody(
    store.db,
    row.id,
    { event, actor: { personId: actor.personId, username: actor.username }, ip: client.ip, sha256Seen: row.sha256, details, at: now },
    (trx) => recordAudit(trx, audit(`incident.evidence.${event}`, { evidenceId, sha256: row.sha256, ...details })),
  );
  const names = await namesOf(store.db, [row.uploaded_by]);
  return { file: viewOf(row, names), bytes: opened.bytes };
}

export interface CustodyEventView {
  seq: number;
  event: CustodyEvent;
  by: string;
  at: string;
  ip: string | null;
  sha256Seen: string | null;
  details: Record<string, unknown> | null;
}

/** The file's chain of custody, oldest first; reading it is audited. */
export async function custodyView(
  db: Kysely<DB>,
  actor: Actor,
  incident: IncidentRow,
  evidenceId: string,
  client: Client,
  now: Date,
): Promise<CustodyEventView[]> {
  const row = await evidenceOf(db, incident, evidenceId);
  const chain = await custodyOf(db, row.id);
  await recordAudit(db, auditAs(actor, incident, client, now)('incident.evidence.custody', { evidenceId }));
  const names = await namesOf(
    db,
    chain.flatMap((c) => (c.actor_person_id ? [c.actor_person_id] : [])),
  );
  return chain.map((c) => ({
    seq: Number(c.seq),
    event: c.event,
    by: (c.actor_person_id && names.get(c.actor_person_id)) || c.actor_username,
    at: c.at,
    ip: c.ip,
    sha256Seen: c.sha256_seen,
    details: c.details ? (JSON.parse(c.details) as Record<string, unknown>) : null,
  }));
}

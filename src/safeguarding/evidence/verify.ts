import { recordAudit } from '../../audit/service.js';
import { appendCustody, custodyOf, custodyProblem } from './custody.js';
import type { EvidenceStore } from './service.js';
import { openFromDisk } from './storage.js';

export interface FileCheck {
  evidenceId: string;
  incidentReference: string;
  schoolId: string;
  filename: string;
  sha256: string;
  ok: boolean;
  /** Empty when the file passed. */
  problems: { kind: 'missing' | 'wrong_key' | 'tampered' | 'hash_mismatch' | 'custody'; message: string }[];
}

export interface VerifyReport {
  checked: number;
  passed: number;
  failed: number;
  files: FileCheck[];
}

/** Who the custody chain names for checks run on the server itself. */
export const COMMAND_LINE = 'command line';

/**
 * Checks every evidence file (or those of one incident or school): the ciphertext is there,
 * was sealed with this key, decrypts, has the SHA-256 taken on upload, and its chain of
 * custody is whole. A file that passes gets a `verify` custody event, so the chain shows when
 * it was last known good; a file that fails is left exactly as found.
 *
 * @example
 *   const report = await verifyEvidence(store, { incidentReference: 'INC-2026-0042' }, new Date());
 *   report.failed; // 0
 */
export async function verifyEvidence(
  store: EvidenceStore,
  scope: { incidentReference?: string; schoolId?: string },
  now: Date,
): Promise<VerifyReport> {
  let query = store.db
    .selectFrom('incident_evidence')
    .innerJoin('incidents', 'incidents.id', 'incident_evidence.incident_id')
    .selectAll('incident_evidence')
    .select('incidents.reference')
    .orderBy('incident_evidence.uploaded_at')
    .orderBy('incident_evidence.id');
  if (scope.incidentReference) query = query.where('incidents.reference', '=', scope.incidentReference);
  if (scope.schoolId) query = query.where('incident_evidence.school_id', '=', scope.schoolId);
  const files: FileCheck[] = [];
  for (const row of await query.execute()) {
    const problems: FileCheck['problems'] = [];
    const opened = await openFromDisk(store.dataDir, row, store.key);
    if (!opened.ok) problems.push({ kind: opened.problem, message: opened.message });
    const chainProblem = custodyProblem(await custodyOf(store.db, row.id), row.sha256);
    if (chainProblem) problems.push({ kind: 'custody', message: `The chain of custody is broken: ${chainProblem}.` });
    if (problems.length === 0) {
      await appendCustody(store.db, row.id, {
        event: 'verify',
        actor: { personId: null, username: COMMAND_LINE },
        ip: null,
        sha256Seen: row.sha256,
        at: now,
      });
    }
    files.push({
      evidenceId: row.id,
      incidentReference: row.reference,
      schoolId: row.school_id,
      filename: row.filename,
      sha256: row.sha256,
      ok: problems.length === 0,
      problems,
    });
  }
  const failed = files.filter((f) => !f.ok);
  await recordAudit(store.db, {
    action: 'incident.evidence.verify',
    actor: null,
    schoolId: scope.schoolId ?? null,
    details: { ...scope, checked: files.length, failed: failed.map((f) => f.evidenceId) },
    at: now,
  });
  return { checked: files.length, passed: files.length - failed.length, failed: failed.length, files };
}

import { cpSync, existsSync, renameSync, rmSync } from 'node:fs';
import { evidenceRoot } from './storage.js';

/** Where a backup keeps the evidence files: beside the database backup, under the same name. */
export const evidenceBackupPath = (backupFile: string): string => `${backupFile}.evidence`;

/**
 * Copies the encrypted evidence files beside a database backup. Taken after the database, so
 * every file the backup's records name is there (a file uploaded in between is merely extra).
 * The files stay ciphertext: the evidence key is kept apart from backups on purpose.
 */
export function backupEvidence(dataDir: string, backupFile: string): { copied: boolean } {
  const source = evidenceRoot(dataDir);
  if (!existsSync(source)) return { copied: false };
  cpSync(source, evidenceBackupPath(backupFile), { recursive: true, errorOnExist: true, force: false });
  return { copied: true };
}

/**
 * Puts a backup's evidence files back. Staged beside the live folder and swapped in, so a
 * failed copy leaves the files in place as they were.
 */
export function restoreEvidence(dataDir: string, backupFile: string): { restored: boolean } {
  const source = evidenceBackupPath(backupFile);
  if (!existsSync(source)) return { restored: false };
  const target = evidenceRoot(dataDir);
  const staged = `${target}.restoring`;
  rmSync(staged, { recursive: true, force: true });
  cpSync(source, staged, { recursive: true });
  const previous = `${target}.before-restore`;
  rmSync(previous, { recursive: true, force: true });
  if (existsSync(target)) renameSync(target, previous);
  renameSync(staged, target);
  rmSync(previous, { recursive: true, force: true });
  return { restored: true };
}

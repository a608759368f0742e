import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { EvidenceKey } from './key.js';

/** What the database keeps about one encrypted file: enough to find, decrypt and check it. */
export interface SealedFile {
  /** Relative to `<dataDir>/evidence/`: `<school id>/<random>.bin`. */
  storageName: string;
  keyId: string;
  iv: string;
  authTag: string;
  sha256: string;
  sizeBytes: number;
}

export const sha256Hex = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

export const evidenceRoot = (dataDir: string) => path.join(dataDir, 'evidence');

/** Where a stored file lives; the name is ours (never the uploader's), so it cannot escape the folder. */
export const storagePath = (dataDir: string, storageName: string): string => path.join(evidenceRoot(dataDir), storageName);

/**
 * Encrypts the bytes with AES-256-GCM under a fresh 12-byte IV and writes only the ciphertext,
 * first under a temporary name and then renamed, so a crash never leaves half a file under
 * the real name. The plaintext stays in memory.
 *
 * @example
 *   const sealed = await sealToDisk(ctx.config.dataDir, schoolId, bytes, key);
 */
export async function sealToDisk(dataDir: string, schoolId: string, plaintext: Buffer, key: EvidenceKey): Promise<SealedFile> {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const storageName = `${schoolId}/${randomBytes(16).toString('hex')}.bin`;
  const target = storagePath(dataDir, storageName);
  await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
  const temporary = `${target}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, ciphertext, { mode: 0o600, flag: 'wx' });
  await rename(temporary, target);
  return {
    storageName,
    keyId: key.id,
    iv: iv.toString('base64'),
    authTag: cipher.getAuthTag().toString('base64'),
    sha256: sha256Hex(plaintext),
    sizeBytes: plaintext.length,
  };
}

/** Removes a file whose database record was never written. */
export async function discardSealed(dataDir: string, storageName: string): Promise<void> {
  await rm(storagePath(dataDir, storageName), { force: true });
}

export type OpenResult =
  | { ok: true; bytes: Buffer }
  | { ok: false; problem: 'missing' | 'wrong_key' | 'tampered' | 'hash_mismatch'; message: string };

/**
 * Reads, decrypts and checks one file. Each way it can fail is told apart: a missing file, a
 * file sealed with another key, a ciphertext or record that was altered (the GCM tag fails),
 * and plaintext whose SHA-256 is not the one taken on upload.
 */
export async function openFromDisk(
  dataDir: string,
  file: { storage_name: string; key_id: string; iv: string; auth_tag: string; sha256: string },
  key: EvidenceKey,
): Promise<OpenResult> {
  if (file.key_id !== key.id) {
    return {
      ok: false,
      problem: 'wrong_key',
      message: `The file was encrypted with another evidence key (key id ${file.key_id}); this server's key id is ${key.id}. Restore the key the file was stored with.`,
    };
  }
  let ciphertext: Buffer;
  try {
    ciphertext = await readFile(storagePath(dataDir, file.storage_name));
  } catch {
    return { ok: false, problem: 'missing', message: 'The encrypted file is missing from the data directory.' };
  }
  let bytes: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(file.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(file.auth_tag, 'base64'));
    bytes = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    return { ok: false, problem: 'tampered', message: 'The encrypted file does not decrypt: it, or its record, has been altered.' };
  }
  if (sha256Hex(bytes) !== file.sha256) {
    return {
      ok: false,
      problem: 'hash_mismatch',
      message: 'The file decrypts, but its SHA-256 is not the one taken when it was uploaded.',
    };
  }
  return { ok: true, bytes };
}

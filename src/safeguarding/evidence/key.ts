import { createHash, hkdfSync } from 'node:crypto';
import { ConfigError } from '../../config/config.js';

/** The key evidence files are encrypted with, and the short id stored beside each file. */
export interface EvidenceKey {
  key: Buffer;
  /** First 16 hex digits of SHA-256(key): tells "wrong key" apart from "altered file". */
  id: string;
}

const HKDF_INFO = 'tutela evidence v1';

/**
 * The configured evidence key (TUTELA_EVIDENCE_KEY: 64 hex digits or base64 of 32 bytes), or
 * one derived from the secret key with HKDF-SHA256, so an install works without extra setup
 * while a school that wants the evidence key kept apart can set its own.
 *
 * @example
 *   const key = evidenceKey(ctx.config.evidence.key, ctx.secretKey);
 *   key.id; // '3f9a…' (16 hex digits)
 */
export function evidenceKey(configured: string | undefined, secretKey: Buffer): EvidenceKey {
  const key = configured
    ? decodeConfiguredKey(configured.trim())
    : Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), HKDF_INFO, 32));
  return { key, id: keyIdOf(key) };
}

export const keyIdOf = (key: Buffer): string => createHash('sha256').update(key).digest('hex').slice(0, 16);

function decodeConfiguredKey(text: string): Buffer {
  const hex = /^[0-9a-f]{64}$/i.test(text);
  const key = hex ? Buffer.from(text, 'hex') : /^[A-Za-z0-9+/_-]+={0,2}$/.test(text) ? Buffer.from(text, 'base64') : null;
  if (key?.length !== 32) {
    throw new ConfigError(
      `TUTELA_EVIDENCE_KEY (evidence.key) must be 32 bytes written as 64 hex digits or as base64${key ? `; it decodes to ${key.length} bytes` : ''}`,
    );
  }
  return key;
}

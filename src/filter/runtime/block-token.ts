import { createHmac, timingSafeEqual } from 'node:crypto';
import type { CategoryId } from '../categories.js';
import type { Action, DecidingRule, FilterDecision } from '../model.js';

/**
 * What the proxy decided, carried to the block page in its link. The block page would
 * otherwise decide again from the browser's address, which may differ from the proxy's view
 * (an authenticated proxy user, a NAT in between). Signed, so a pupil cannot forge a link
 * that shows a made-up reason.
 */
export interface BlockTokenClaims {
  action: Action;
  schoolId: string;
  category: CategoryId | null;
  rule: DecidingRule;
  detail: string;
  host: string;
  url: string | null;
  personId: string | null;
  profileId: string;
  policyVersion: number;
  /** When the decision was made, in ms since the epoch. */
  at: number;
}

/** A block page opened after this long decides afresh. */
export const BLOCK_TOKEN_TTL_MS = 60 * 60_000;

// A key of its own, derived from the secret key, so a token can never pass for another MAC.
const tokenKey = (secretKey: Buffer) => createHmac('sha256', secretKey).update('tutela:block-page-token:v1').digest();

const mac = (secretKey: Buffer, body: string) => createHmac('sha256', tokenKey(secretKey)).update(body).digest();

/**
 * @example
 *   const token = signBlockToken(ctx.secretKey, decision, new Date());
 *   verifyBlockToken(ctx.secretKey, token, new Date())?.rule; // 'matrix'
 */
export function signBlockToken(secretKey: Buffer, decision: FilterDecision, at: Date): string {
  const claims: BlockTokenClaims = {
    action: decision.action,
    schoolId: decision.schoolId,
    category: decision.category,
    rule: decision.rule,
    detail: decision.detail,
    host: decision.host,
    url: decision.url,
    personId: decision.personId,
    profileId: decision.profileId,
    policyVersion: decision.policyVersion,
    at: at.getTime(),
  };
  const body = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
  return `${body}.${mac(secretKey, body).toString('base64url')}`;
}

/** The claims of a genuine, fresh token; null for anything else (forged, altered, stale, junk). */
export function verifyBlockToken(secretKey: Buffer, token: string, now: Date): BlockTokenClaims | null {
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined) return null;
  const expected = mac(secretKey, body);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let claims: BlockTokenClaims;
  try {
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as BlockTokenClaims;
  } catch {
    return null;
  }
  const age = now.getTime() - claims.at;
  if (!Number.isFinite(age) || age < -60_000 || age > BLOCK_TOKEN_TTL_MS) return null;
  return claims;
}

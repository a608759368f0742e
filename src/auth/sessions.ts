import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB, Session, SessionStage } from '../db/tables.js';

export const SESSION_COOKIE = 'tutela_session';

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface NewSession {
  accountId: string;
  stage: SessionStage;
  authMethod: string;
  ip: string | null;
  userAgent: string | null;
  now: Date;
  maxAgeHours: number;
}

/** Creates a session; returns the cookie token, which is stored only as a hash. */
export async function createSession(db: Kysely<DB>, s: NewSession): Promise<{ token: string; session: Session }> {
  const token = randomBytes(32).toString('base64url');
  const session: Session = {
    id: hashToken(token),
    account_id: s.accountId,
    csrf_token: randomBytes(24).toString('base64url'),
    stage: s.stage,
    auth_method: s.authMethod,
    created_at: s.now.toISOString(),
    last_seen_at: s.now.toISOString(),
    expires_at: new Date(s.now.getTime() + s.maxAgeHours * 3600_000).toISOString(),
    locked_at: null,
    ip: s.ip,
    user_agent: s.userAgent?.slice(0, 300) ?? null,
    revoked_at: null,
  };
  await db.insertInto('sessions').values(session).execute();
  return { token, session };
}

export async function findSession(db: Kysely<DB>, token: string): Promise<Session | undefined> {
  if (!token || token.length > 100) return undefined;
  return db.selectFrom('sessions').selectAll().where('id', '=', hashToken(token)).executeTakeFirst();
}

export async function updateSession(
  db: Kysely<DB>,
  id: string,
  values: Partial<Pick<Session, 'stage' | 'last_seen_at' | 'locked_at' | 'revoked_at'>>,
): Promise<void> {
  await db.updateTable('sessions').set(values).where('id', '=', id).execute();
}

export async function revokeAccountSessions(db: Kysely<DB>, accountId: string, now: Date): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: now.toISOString() })
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .execute();
}

export function csrfMatches(session: Session, presented: string | undefined): boolean {
  if (!presented) return false;
  const a = Buffer.from(session.csrf_token);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}

import type { Kysely } from 'kysely';
import { TOTP_REQUIRED_ROLES, type Role } from '../access/roles.js';
import { recordAudit, type AuditEvent } from '../audit/service.js';
import type { Account, DB, Session, SessionStage } from '../db/tables.js';
import { AppError } from '../errors/errors.js';
import type { AppContext } from '../server/context.js';
import { burnPasswordCheck, checkPasswordStrength, hashPassword, verifyPassword } from './passwords.js';
import { findAccount, findAccountByUsername, rolesOf } from './repository.js';
import { seal, unseal } from './secrets.js';
import { createSession, findSession, updateSession } from './sessions.js';
import { checkTotp, newTotpSecret, totpQrDataUrl, totpUri } from './totp.js';

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

/** An audit event about an account, done by that account's holder. */
export function accountEvent(
  account: Pick<Account, 'id' | 'username'>,
  action: string,
  client: Pick<ClientInfo, 'ip'>,
  now: Date,
  details?: Record<string, unknown>,
): AuditEvent {
  return {
    action,
    actor: { accountId: account.id, username: account.username },
    targetType: 'account',
    targetId: account.id,
    ip: client.ip,
    details,
    at: now,
  };
}

/** Demo accounts skip TOTP only while the operator has set a known demo password. */
export function needsTotp(ctx: AppContext, account: Account, roles: readonly Role[]): boolean {
  if (account.totp_enabled_at) return true;
  if (account.is_demo && ctx.config.demoPassword) return false;
  return roles.some((r) => TOTP_REQUIRED_ROLES.includes(r));
}

function stageFor(ctx: AppContext, account: Account, roles: readonly Role[]): SessionStage {
  if (!needsTotp(ctx, account, roles)) return 'active';
  return account.totp_enabled_at ? 'totp_required' : 'totp_enrolment_required';
}

/** Refuses accounts that are disabled, locked, or whose person has left or expired. */
async function assertAccountUsable(ctx: AppContext, account: Account, now: Date): Promise<void> {
  if (account.disabled_at) throw new AppError('account_disabled', 'This account has been disabled. Ask your network manager.');
  const person = await ctx.db
    .selectFrom('people')
    .select(['status', 'expires_at'])
    .where('id', '=', account.person_id)
    .executeTakeFirstOrThrow();
  if (person.status === 'left') throw new AppError('account_disabled', 'This account belongs to someone who has left the school.');
  if (person.expires_at && person.expires_at <= now.toISOString()) {
    throw new AppError('account_expired', 'This guest account has expired. Ask the school office for a new one.');
  }
}

async function recordFailure(ctx: AppContext, account: Account, now: Date, client: ClientInfo, reason: string) {
  const failures = account.failed_attempts + 1;
  const lock = failures >= ctx.config.signIn.maxFailures;
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('accounts')
      .set({
        failed_attempts: lock ? 0 : failures,
        locked_until: lock ? new Date(now.getTime() + ctx.config.signIn.lockoutMinutes * 60_000).toISOString() : account.locked_until,
      })
      .where('id', '=', account.id)
      .execute();
    await recordAudit(trx, {
      action: lock ? 'auth.account_locked' : 'auth.sign_in_failed',
      actor: null,
      targetType: 'account',
      targetId: account.id,
      ip: client.ip,
      details: { username: account.username, reason },
      at: now,
    });
  });
}

function assertNotLocked(account: Account, now: Date): void {
  if (account.locked_until && account.locked_until > now.toISOString()) {
    throw new AppError(
      'account_locked',
      `Too many failed attempts. This account is locked until ${account.locked_until.slice(11, 16)} UTC.`,
      { lockedUntil: account.locked_until },
    );
  }
}

/**
 * Checks a username and password with every rule of signing in — unknown users cost the same
 * time, locked accounts stay locked, wrong passwords count towards the lockout, disabled,
 * left and expired accounts are refused — and returns the account. It opens no session, so
 * the filter's proxy and block page use it too and are no side door for guessing.
 */
export async function verifyCredentials(
  ctx: AppContext,
  input: { username: string; password: string },
  client: ClientInfo,
): Promise<Account> {
  const now = ctx.clock();
  const account = await findAccountByUsername(ctx.db, input.username);
  if (!account || !account.password_hash) {
    await burnPasswordCheck(input.password);
    await recordAudit(ctx.db, {
      action: 'auth.sign_in_failed',
      ip: client.ip,
      details: { username: input.username.slice(0, 100), reason: 'unknown_user' },
      at: now,
    });
    throw new AppError('invalid_credentials', 'The username or password is not right.');
  }
  assertNotLocked(account, now);
  if (!(await verifyPassword(account.password_hash, input.password))) {
    await recordFailure(ctx, account, now, client, 'wrong_password');
    throw new AppError('invalid_credentials', 'The username or password is not right.');
  }
  await assertAccountUsable(ctx, account, now);
  if (account.failed_attempts > 0) {
    await ctx.db.updateTable('accounts').set({ failed_attempts: 0 }).where('id', '=', account.id).execute();
  }
  return account;
}

/**
 * Checks a username and password and opens a session. The session may still need a TOTP
 * code (or TOTP enrolment) before it can do anything else; `session.stage` says which.
 */
export async function signInWithPassword(
  ctx: AppContext,
  input: { username: string; password: string },
  client: ClientInfo,
): Promise<{ token: string; session: Session }> {
  const account = await verifyCredentials(ctx, input, client);
  return openSession(ctx, account, 'password', client);
}

/** Opens a session for an account whose first factor has been checked (password or OIDC). */
export async function openSession(
  ctx: AppContext,
  account: Account,
  method: string,
  client: ClientInfo,
): Promise<{ token: string; session: Session }> {
  const now = ctx.clock();
  await assertAccountUsable(ctx, account, now);
  const roles = await rolesOf(ctx.db, account.person_id);
  const stage = stageFor(ctx, account, roles);
  return ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('accounts')
      .set({ failed_attempts: 0, locked_until: null, last_sign_in_at: stage === 'active' ? now.toISOString() : account.last_sign_in_at })
      .where('id', '=', account.id)
      .execute();
    const created = await createSession(trx, {
      accountId: account.id,
      stage,
      authMethod: method,
      ip: client.ip,
      userAgent: client.userAgent,
      now,
      maxAgeHours: ctx.config.session.maxAgeHours,
    });
    await recordAudit(
      trx,
      accountEvent(account, stage === 'active' ? 'auth.signed_in' : 'auth.first_factor_passed', client, now, { method, stage }),
    );
    return created;
  });
}

/**
 * Finds the live session behind a cookie. Applies expiry, revocation, account state and the
 * idle lock; refreshes last-seen at most once a minute to spare the database.
 */
export async function resolveSession(ctx: AppContext, token: string): Promise<{ session: Session; account: Account }> {
  const now = ctx.clock();
  const session = await findSession(ctx.db, token);
  if (!session || session.revoked_at || session.expires_at <= now.toISOString()) {
    throw new AppError('unauthenticated', 'Please sign in.');
  }
  const account = await findAccount(ctx.db, session.account_id);
  if (!account) throw new AppError('unauthenticated', 'Please sign in.');
  try {
    await assertAccountUsable(ctx, account, now);
  } catch (error) {
    await updateSession(ctx.db, session.id, { revoked_at: now.toISOString() });
    throw error;
  }
  const idleMs = ctx.config.session.idleLockMinutes * 60_000;
  if (!session.locked_at && now.getTime() - Date.parse(session.last_seen_at) > idleMs) {
    session.locked_at = now.toISOString();
    await updateSession(ctx.db, session.id, { locked_at: session.locked_at });
  }
  if (!session.locked_at && now.getTime() - Date.parse(session.last_seen_at) > 60_000) {
    session.last_seen_at = now.toISOString();
    await updateSession(ctx.db, session.id, { last_seen_at: session.last_seen_at });
  }
  return { session, account };
}

async function consumeTotp(ctx: AppContext, account: Account, secret: string, code: string, client: ClientInfo) {
  const now = ctx.clock();
  assertNotLocked(account, now);
  const step = checkTotp(secret, code, now);
  if (step === null || (account.totp_last_step !== null && step <= account.totp_last_step)) {
    await recordFailure(ctx, account, now, client, step === null ? 'wrong_totp' : 'replayed_totp');
    throw new AppError('invalid_totp', 'That code is not right. Codes change every 30 seconds; try the current one.');
  }
  return step;
}

export async function verifyTotpChallenge(ctx: AppContext, session: Session, code: string, client: ClientInfo): Promise<void> {
  if (session.stage !== 'totp_required') throw new AppError('bad_request', 'This session is not waiting for a code.');
  const account = await findAccount(ctx.db, session.account_id);
  if (!account?.totp_secret) throw new AppError('bad_request', 'TOTP is not set up for this account.');
  const step = await consumeTotp(ctx, account, unseal(ctx.secretKey, account.totp_secret), code, client);
  const now = ctx.clock();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('accounts')
      .set({ totp_last_step: step, failed_attempts: 0, last_sign_in_at: now.toISOString() })
      .where('id', '=', account.id)
      .execute();
    await updateSession(trx, session.id, { stage: 'active', last_seen_at: now.toISOString() });
    await recordAudit(trx, accountEvent(account, 'auth.signed_in', client, now, { method: `${session.auth_method}+totp` }));
  });
  session.stage = 'active';
}

/** Starts (or restarts) enrolment: a new secret is kept pending until a code from it is confirmed. */
export async function beginTotpEnrolment(ctx: AppContext, session: Session) {
  const account = await findAccount(ctx.db, session.account_id);
  if (!account) throw new AppError('unauthenticated', 'Please sign in.');
  if (session.stage === 'totp_required') throw new AppError('totp_required', 'Enter your current code first.');
  const secret = newTotpSecret();
  await ctx.db
    .updateTable('accounts')
    .set({ totp_pending_secret: seal(ctx.secretKey, secret), updated_at: ctx.clock().toISOString() })
    .where('id', '=', account.id)
    .execute();
  const uri = totpUri(secret, account.username);
  return { secret, uri, qrDataUrl: await totpQrDataUrl(uri) };
}

export async function confirmTotpEnrolment(ctx: AppContext, session: Session, code: string, client: ClientInfo) {
  const account = await findAccount(ctx.db, session.account_id);
  if (!account?.totp_pending_secret) throw new AppError('bad_request', 'Start TOTP enrolment first.');
  const secret = unseal(ctx.secretKey, account.totp_pending_secret);
  const step = await consumeTotp(ctx, account, secret, code, client);
  const now = ctx.clock();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('accounts')
      .set({
        totp_secret: account.totp_pending_secret,
        totp_pending_secret: null,
        totp_enabled_at: now.toISOString(),
        totp_last_step: step,
        failed_attempts: 0,
        updated_at: now.toISOString(),
      })
      .where('id', '=', account.id)
      .execute();
    await updateSession(trx, session.id, { stage: 'active', last_seen_at: now.toISOString() });
    await recordAudit(trx, accountEvent(account, 'auth.totp_enrolled', client, now));
  });
  session.stage = 'active';
}

/** Lifts the idle lock after the password is entered again; a wrong one counts towards lockout. */
export async function unlockSession(ctx: AppContext, session: Session, password: string, client: ClientInfo) {
  const account = await findAccount(ctx.db, session.account_id);
  if (!account?.password_hash) throw new AppError('unauthenticated', 'Please sign in again.');
  const now = ctx.clock();
  assertNotLocked(account, now);
  if (!(await verifyPassword(account.password_hash, password))) {
    await recordFailure(ctx, account, now, client, 'wrong_password_unlock');
    throw new AppError('invalid_credentials', 'That password is not right.');
  }
  await ctx.db.transaction().execute(async (trx) => {
    await updateSession(trx, session.id, { locked_at: null, last_seen_at: now.toISOString() });
    await trx.updateTable('accounts').set({ failed_attempts: 0 }).where('id', '=', account.id).execute();
    await recordAudit(trx, accountEvent(account, 'auth.unlocked', client, now));
  });
}

export async function signOut(db: Kysely<DB>, session: Session, account: Account, client: ClientInfo, now: Date) {
  await db.transaction().execute(async (trx) => {
    await updateSession(trx, session.id, { revoked_at: now.toISOString() });
    await recordAudit(trx, accountEvent(account, 'auth.signed_out', client, now));
  });
}

/**
 * A user changes their own password. The current one is checked like a sign-in (a wrong one
 * counts towards lockout); every other session of the account ends, this one carries on.
 */
export async function changeOwnPassword(
  ctx: AppContext,
  session: Session,
  input: { currentPassword: string; newPassword: string },
  client: ClientInfo,
): Promise<void> {
  const account = await findAccount(ctx.db, session.account_id);
  if (!account?.password_hash)
    throw new AppError('bad_request', 'This account signs in through your school’s identity provider and has no Tutela password.');
  const now = ctx.clock();
  assertNotLocked(account, now);
  if (!(await verifyPassword(account.password_hash, input.currentPassword))) {
    await recordFailure(ctx, account, now, client, 'wrong_password_change');
    throw new AppError('invalid_credentials', 'Your current password is not right.');
  }
  checkPasswordStrength(input.newPassword, account.username);
  if (input.newPassword === input.currentPassword)
    throw new AppError('validation_failed', 'Choose a password different from the current one.');
  const hash = await hashPassword(input.newPassword);
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('accounts')
      .set({ password_hash: hash, failed_attempts: 0, updated_at: now.toISOString() })
      .where('id', '=', account.id)
      .execute();
    await trx
      .updateTable('sessions')
      .set({ revoked_at: now.toISOString() })
      .where('account_id', '=', account.id)
      .where('id', '!=', session.id)
      .where('revoked_at', 'is', null)
      .execute();
    await recordAudit(trx, accountEvent(account, 'auth.password_changed', client, now));
  });
}

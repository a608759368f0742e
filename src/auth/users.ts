import type { Kysely } from 'kysely';
import type { Actor } from '../access/policy.js';
import type { Role } from '../access/roles.js';
import { recordAudit } from '../audit/service.js';
import { newId } from '../db/ids.js';
import type { DB } from '../db/tables.js';
import { AppError, notFound } from '../errors/errors.js';
import { checkPasswordStrength, generatePassword, hashPassword } from './passwords.js';
import { revokeAccountSessions } from './sessions.js';

/** Account administration shared by the API and the `tutela user` command. */

type By = { actor: Pick<Actor, 'accountId' | 'username'> | null; ip: string | null; now: Date };

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,63}$/;

export function normaliseUsername(username: string): string {
  const u = username.trim().toLowerCase();
  if (!USERNAME_PATTERN.test(u)) {
    throw new AppError('validation_failed', 'Usernames are 2–64 characters: letters, digits, dots, dashes and underscores');
  }
  return u;
}

/** Creates the sign-in account for a person. Returns the password, generated when not given, to show once. */
export async function createAccount(
  db: Kysely<DB>,
  input: { personId: string; username: string; password?: string; isDemo?: boolean },
  by: By,
): Promise<{ accountId: string; username: string; password: string }> {
  const username = normaliseUsername(input.username);
  const password = input.password ?? generatePassword();
  if (input.password !== undefined && !input.isDemo) checkPasswordStrength(password, username);
  const person = await db.selectFrom('people').select(['id', 'school_id']).where('id', '=', input.personId).executeTakeFirst();
  if (!person) throw notFound('Person');
  const clash = await db
    .selectFrom('accounts')
    .select(['username', 'person_id'])
    .where((eb) => eb.or([eb('username', '=', username), eb('person_id', '=', input.personId)]))
    .executeTakeFirst();
  if (clash?.username === username) throw new AppError('conflict', `The username ${username} is taken`);
  if (clash) throw new AppError('conflict', 'This person already has an account');
  const hash = await hashPassword(password);
  const id = newId();
  const at = by.now.toISOString();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('accounts')
      .values({
        id,
        person_id: person.id,
        username,
        password_hash: hash,
        totp_secret: null,
        totp_pending_secret: null,
        totp_enabled_at: null,
        totp_last_step: null,
        failed_attempts: 0,
        locked_until: null,
        disabled_at: null,
        is_demo: input.isDemo ? 1 : 0,
        last_sign_in_at: null,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await recordAudit(trx, {
      action: 'user.created',
      actor: by.actor,
      targetType: 'account',
      targetId: id,
      schoolId: person.school_id,
      ip: by.ip,
      details: { username },
      at: by.now,
    });
  });
  return { accountId: id, username, password };
}

export async function accountTarget(db: Kysely<DB>, accountId: string) {
  const row = await db
    .selectFrom('accounts')
    .innerJoin('people', 'people.id', 'accounts.person_id')
    .innerJoin('schools', 'schools.id', 'people.school_id')
    .select(['accounts.id', 'accounts.username', 'people.id as personId', 'people.school_id as schoolId', 'schools.trust_id as trustId'])
    .where('accounts.id', '=', accountId)
    .executeTakeFirst();
  if (!row) throw notFound('Account');
  const roles = await db.selectFrom('person_roles').select('role').where('person_id', '=', row.personId).execute();
  return { ...row, roles: roles.map((r) => r.role as Role) };
}

export async function resetPassword(db: Kysely<DB>, accountId: string, password: string | undefined, by: By) {
  const target = await accountTarget(db, accountId);
  const next = password ?? generatePassword();
  if (password !== undefined) checkPasswordStrength(next, target.username);
  const hash = await hashPassword(next);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('accounts')
      .set({ password_hash: hash, failed_attempts: 0, locked_until: null, updated_at: by.now.toISOString() })
      .where('id', '=', accountId)
      .execute();
    await revokeAccountSessions(trx, accountId, by.now);
    await recordAudit(trx, {
      action: 'user.password_reset',
      actor: by.actor,
      targetType: 'account',
      targetId: accountId,
      schoolId: target.schoolId,
      ip: by.ip,
      at: by.now,
    });
  });
  return { username: target.username, password: next };
}

export async function setDisabled(db: Kysely<DB>, accountId: string, disabled: boolean, by: By) {
  const target = await accountTarget(db, accountId);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('accounts')
      .set({ disabled_at: disabled ? by.now.toISOString() : null, updated_at: by.now.toISOString() })
      .where('id', '=', accountId)
      .execute();
    if (disabled) await revokeAccountSessions(trx, accountId, by.now);
    await recordAudit(trx, {
      action: disabled ? 'user.disabled' : 'user.enabled',
      actor: by.actor,
      targetType: 'account',
      targetId: accountId,
      schoolId: target.schoolId,
      ip: by.ip,
      at: by.now,
    });
  });
}

export async function resetTotp(db: Kysely<DB>, accountId: string, by: By) {
  const target = await accountTarget(db, accountId);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('accounts')
      .set({ totp_secret: null, totp_pending_secret: null, totp_enabled_at: null, totp_last_step: null, updated_at: by.now.toISOString() })
      .where('id', '=', accountId)
      .execute();
    await revokeAccountSessions(trx, accountId, by.now);
    await recordAudit(trx, {
      action: 'user.totp_reset',
      actor: by.actor,
      targetType: 'account',
      targetId: accountId,
      schoolId: target.schoolId,
      ip: by.ip,
      at: by.now,
    });
  });
}

export async function clearLockout(db: Kysely<DB>, accountId: string, by: By) {
  const target = await accountTarget(db, accountId);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('accounts').set({ failed_attempts: 0, locked_until: null }).where('id', '=', accountId).execute();
    await recordAudit(trx, {
      action: 'user.unlocked',
      actor: by.actor,
      targetType: 'account',
      targetId: accountId,
      schoolId: target.schoolId,
      ip: by.ip,
      at: by.now,
    });
  });
}

export async function listAccounts(db: Kysely<DB>, schoolId: string, q: string | undefined, now: Date) {
  let query = db
    .selectFrom('accounts')
    .innerJoin('people', 'people.id', 'accounts.person_id')
    .select([
      'accounts.id',
      'accounts.username',
      'accounts.disabled_at',
      'accounts.locked_until',
      'accounts.totp_enabled_at',
      'accounts.last_sign_in_at',
      'people.id as personId',
      'people.given_name',
      'people.preferred_name',
      'people.family_name',
      'people.kind',
      'people.status',
      'people.expires_at',
    ])
    .where('people.school_id', '=', schoolId)
    .orderBy('accounts.username')
    .limit(500);
  if (q) {
    // lower() on both sides: PostgreSQL's LIKE is case-sensitive where SQLite's is not.
    const like = `%${q.toLowerCase().replace(/[%_\\]/g, '')}%`;
    query = query.where((eb) => eb.or([eb('accounts.username', 'like', like), eb(eb.fn('lower', ['people.family_name']), 'like', like)]));
  }
  const rows = await query.execute();
  const roles = rows.length
    ? await db
        .selectFrom('person_roles')
        .select(['person_id', 'role'])
        .where(
          'person_id',
          'in',
          rows.map((r) => r.personId),
        )
        .execute()
    : [];
  const at = now.toISOString();
  return rows.map((r) => ({
    id: r.id,
    username: r.username,
    personId: r.personId,
    name: `${r.preferred_name ?? r.given_name} ${r.family_name}`,
    kind: r.kind,
    roles: roles.filter((x) => x.person_id === r.personId).map((x) => x.role),
    disabled: Boolean(r.disabled_at),
    locked: Boolean(r.locked_until && r.locked_until > at),
    expired: Boolean(r.expires_at && r.expires_at <= at),
    left: r.status === 'left',
    totpEnabled: Boolean(r.totp_enabled_at),
    lastSignInAt: r.last_sign_in_at,
  }));
}

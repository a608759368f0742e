import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/service.js';
import { checkPasswordStrength } from '../auth/passwords.js';
import { createAccount, normaliseUsername } from '../auth/users.js';
import { publishDefaultAgreements } from '../agreements/service.js';
import type { DB, SchoolTable } from '../db/tables.js';
import { createPerson, createSchool, createTrust } from '../directory/setup.js';
import { AppError } from '../errors/errors.js';
import type { AppContext } from '../server/context.js';

/**
 * First-run installation: until a school exists, `tutela start` prints a one-time setup token
 * and the web front end asks for it with the school's and first administrator's details. The
 * token keeps a stranger on the network from claiming a fresh installation first.
 */

const TOKEN_KEY = 'setup.token_sha256';
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export async function isInstalled(db: Kysely<DB>): Promise<boolean> {
  return Boolean(await db.selectFrom('schools').select('id').limit(1).executeTakeFirst());
}

export async function getSetting(db: Kysely<DB>, key: string): Promise<string | undefined> {
  return (await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst())?.value;
}

export async function putSetting(db: Kysely<DB>, key: string, value: string): Promise<void> {
  const updated = await db.updateTable('settings').set({ value }).where('key', '=', key).executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) await db.insertInto('settings').values({ key, value }).execute();
}

/** Makes a new setup token (replacing any earlier one) and returns it to print. */
export async function issueSetupToken(db: Kysely<DB>): Promise<string> {
  const token = randomBytes(9).toString('base64url');
  await putSetting(db, TOKEN_KEY, sha256(token));
  return token;
}

export interface InstallInput {
  token: string;
  trustName: string;
  schoolName: string;
  urn?: string;
  phase: SchoolTable['phase'];
  admin: { givenName: string; familyName: string; email?: string; username: string; password: string };
}

export async function install(ctx: AppContext, input: InstallInput, ip: string | null) {
  const expected = await getSetting(ctx.db, TOKEN_KEY);
  const given = Buffer.from(sha256(input.token.trim()));
  if (!expected || !timingSafeEqual(Buffer.from(expected), given)) {
    throw new AppError('forbidden', 'The setup token is not right. It is printed in the server log when Tutela starts.');
  }
  if (await isInstalled(ctx.db)) throw new AppError('conflict', 'Tutela is already set up.');
  const username = normaliseUsername(input.admin.username);
  checkPasswordStrength(input.admin.password, username);
  const now = ctx.clock();
  const ids = await ctx.db.transaction().execute(async (trx) => {
    const trustId = await createTrust(trx, input.trustName, now);
    const schoolId = await createSchool(trx, { trustId, name: input.schoolName, urn: input.urn ?? null, phase: input.phase }, now);
    const personId = await createPerson(
      trx,
      {
        schoolId,
        kind: 'staff',
        givenName: input.admin.givenName,
        familyName: input.admin.familyName,
        email: input.admin.email ?? null,
        jobTitle: 'Tutela administrator',
        roles: ['staff', 'network_manager', 'trust_admin'],
      },
      now,
    );
    await trx.deleteFrom('settings').where('key', '=', TOKEN_KEY).execute();
    // A new school starts with the default agreements, which the head can then adapt.
    await publishDefaultAgreements(trx, schoolId, now);
    await recordAudit(trx, {
      action: 'setup.installed',
      targetType: 'school',
      targetId: schoolId,
      schoolId,
      ip,
      details: { schoolName: input.schoolName },
      at: now,
    });
    return { trustId, schoolId, personId };
  });
  await createAccount(ctx.db, { personId: ids.personId, username, password: input.admin.password }, { actor: null, ip, now });
  return { ...ids, username };
}

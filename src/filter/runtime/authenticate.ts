import { verifyCredentials } from '../../auth/service.js';
import { AppError } from '../../errors/errors.js';
import type { AppContext } from '../../server/context.js';

export type CredentialCheck =
  | { ok: true; personId: string; schoolId: string; accountId: string; username: string }
  | { ok: false; error: AppError };

/**
 * Checks a username and password for the filter (proxy authentication, block-page sign-in)
 * with exactly the rules of signing in to Tutela, so the proxy is no side door for guessing.
 * It opens no session; a refusal comes back as the sign-in's own error instead of a throw,
 * because the proxy answers 407 rather than an error page.
 *
 * @example
 *   const check = await checkFilterCredentials(ctx, 'demo.student10', password, '10.0.0.7');
 *   if (check.ok) check.personId;
 */
export async function checkFilterCredentials(
  ctx: AppContext,
  username: string,
  password: string,
  ip: string | null,
): Promise<CredentialCheck> {
  try {
    const account = await verifyCredentials(ctx, { username, password }, { ip, userAgent: null });
    const person = await ctx.db.selectFrom('people').select('school_id').where('id', '=', account.person_id).executeTakeFirstOrThrow();
    return { ok: true, personId: account.person_id, schoolId: person.school_id, accountId: account.id, username: account.username };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, error };
    throw error;
  }
}

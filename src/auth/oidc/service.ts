import type { Kysely } from 'kysely';
import { recordAudit } from '../../audit/service.js';
import { accountEvent } from '../service.js';
import type { Account, DB } from '../../db/tables.js';

/** What Tutela needs from an identity provider's answer, from the ID token or userinfo. */
export interface OidcIdentity {
  provider: string;
  subject: string;
  email: string | null;
  emailVerified: boolean;
}

export type AccountMatch =
  | { kind: 'linked'; account: Account }
  | { kind: 'by_email'; account: Account }
  | { kind: 'none'; reason: 'no_verified_email' | 'no_matching_email' | 'ambiguous_email' };

/**
 * Finds the account an identity belongs to. Tutela never creates accounts here: the school's
 * directory is the source of truth, so an identity either was linked before or carries a
 * provider-verified email that exactly one account holder has in the directory.
 */
export async function matchAccount(db: Kysely<DB>, identity: OidcIdentity): Promise<AccountMatch> {
  const linked = await db
    .selectFrom('account_identities')
    .innerJoin('accounts', 'accounts.id', 'account_identities.account_id')
    .selectAll('accounts')
    .where('account_identities.provider', '=', identity.provider)
    .where('account_identities.subject', '=', identity.subject)
    .executeTakeFirst();
  if (linked) return { kind: 'linked', account: linked };

  // An unverified address is only a claim by whoever controls the provider account.
  if (!identity.email || !identity.emailVerified) return { kind: 'none', reason: 'no_verified_email' };

  // Directory imports keep whatever case the MIS exported, while providers tend to lower-case.
  const candidates = await db
    .selectFrom('accounts')
    .innerJoin('people', 'people.id', 'accounts.person_id')
    .selectAll('accounts')
    .where((eb) => eb(eb.fn('lower', ['people.email']), '=', identity.email!.trim().toLowerCase()))
    .limit(2)
    .execute();
  if (candidates.length === 0) return { kind: 'none', reason: 'no_matching_email' };
  // Two account holders sharing an address (say a member of staff who is also a parent) would
  // make the choice a guess, so a network manager has to sort the directory out first.
  if (candidates.length > 1) return { kind: 'none', reason: 'ambiguous_email' };
  return { kind: 'by_email', account: candidates[0]! };
}

/** Remembers the provider's subject so later sign-ins no longer depend on the email. */
export async function linkIdentity(
  db: Kysely<DB>,
  identity: OidcIdentity,
  account: Account,
  client: { ip: string | null },
  now: Date,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('account_identities')
      .values({
        provider: identity.provider,
        subject: identity.subject,
        account_id: account.id,
        email: identity.email,
        created_at: now.toISOString(),
      })
      // Two callbacks racing for the same first sign-in must not fail the slower one.
      .onConflict((oc) => oc.columns(['provider', 'subject']).doNothing())
      .executeTakeFirst();
    if (!inserted.numInsertedOrUpdatedRows) return;
    await recordAudit(
      trx,
      accountEvent(account, 'auth.oidc_linked', client, now, {
        provider: identity.provider,
        subject: identity.subject,
        email: identity.email,
      }),
    );
  });
}

import type { Role } from '../access/roles.js';
import { createAccount } from '../auth/users.js';
import type { PersonKind } from '../db/tables.js';
import { createPerson, createSchool, createTrust } from '../directory/setup.js';
import type { AppContext } from '../server/context.js';

export const TEST_PASSWORD = 'correct-horse-battery';

export async function seedSchool(ctx: AppContext, name = 'Test Academy', trustId?: string) {
  const now = ctx.clock();
  const trust = trustId ?? (await createTrust(ctx.db, `${name} Trust`, now));
  const schoolId = await createSchool(ctx.db, { trustId: trust, name, phase: 'secondary' }, now);
  return { trustId: trust, schoolId };
}

/** A person with roles and a sign-in account whose password is TEST_PASSWORD. */
export async function addUser(
  ctx: AppContext,
  schoolId: string,
  username: string,
  roles: Role[],
  options: { kind?: PersonKind; yearGroup?: number; expiresAt?: string; isDemo?: boolean } = {},
) {
  const kind =
    options.kind ??
    (roles.includes('student')
      ? 'student'
      : roles.includes('parent')
        ? 'parent'
        : roles.includes('governor')
          ? 'governor'
          : roles.includes('guest')
            ? 'guest'
            : 'staff');
  const personId = await createPerson(
    ctx.db,
    {
      schoolId,
      kind,
      givenName: username.split('.')[0]!.replace(/^\w/, (c) => c.toUpperCase()),
      familyName: (username.split('.')[1] ?? 'Tester').replace(/^\w/, (c) => c.toUpperCase()),
      yearGroup: options.yearGroup ?? null,
      expiresAt: options.expiresAt ?? null,
      roles,
    },
    ctx.clock(),
  );
  const { accountId } = await createAccount(
    ctx.db,
    { personId, username, password: TEST_PASSWORD, isDemo: options.isDemo },
    { actor: null, ip: null, now: ctx.clock() },
  );
  return { personId, accountId, username };
}

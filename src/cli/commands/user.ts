import type { Command } from 'commander';
import { isRole, ROLES, type Role } from '../../access/roles.js';
import { findAccountByUsername } from '../../auth/repository.js';
import { clearLockout, createAccount, resetPassword, resetTotp, setDisabled } from '../../auth/users.js';
import { checkExpiry } from '../../directory/admin.js';
import { createPerson } from '../../directory/setup.js';
import type { AppContext } from '../../server/context.js';
import { resolveSchool, withContext } from '../context.js';

const by = (ctx: AppContext) => ({ actor: null, ip: null, now: ctx.clock() });

async function accountId(ctx: AppContext, username: string): Promise<string> {
  const account = await findAccountByUsername(ctx.db, username);
  if (!account) throw new Error(`no account with username ${username}`);
  return account.id;
}

export function registerUserCommands(program: Command): void {
  const user = program.command('user').description('Create accounts, reset passwords and TOTP, disable accounts');

  user
    .command('create')
    .description('Create a person with a sign-in account (for staff and administrators not in the MIS)')
    .requiredOption('--username <username>', 'sign-in name, e.g. j.smith')
    .requiredOption('--given-name <name>', 'first name')
    .requiredOption('--family-name <name>', 'surname')
    .option('--role <role...>', `one or more of: ${ROLES.join(', ')}`, ['staff'])
    .option('--email <email>', 'email address')
    .option('--expires <date>', 'when access ends (required for guests and community users), e.g. 2026-12-19')
    .option('--password <password>', 'initial password (default: generated and printed)')
    .option('--school <id-or-urn>', 'the school, when there are several')
    .action(
      async (o: {
        username: string;
        givenName: string;
        familyName: string;
        role: string[];
        email?: string;
        expires?: string;
        password?: string;
        school?: string;
      }) => {
        const unknown = o.role.filter((r) => !isRole(r));
        if (unknown.length) throw new Error(`unknown role ${unknown.join(', ')}; roles are ${ROLES.join(', ')}`);
        const roles = o.role as Role[];
        const kind = roles.includes('student')
          ? 'student'
          : roles.includes('governor') && !roles.includes('staff')
            ? 'governor'
            : roles.includes('guest')
              ? 'guest'
              : roles.includes('parent') && !roles.includes('staff')
                ? 'parent'
                : 'staff';
        await withContext(async (ctx) => {
          const schoolId = await resolveSchool(ctx, o.school);
          const expiresAt = checkExpiry(kind, o.expires, ctx.clock());
          const personId = await createPerson(
            ctx.db,
            { schoolId, kind, givenName: o.givenName, familyName: o.familyName, email: o.email ?? null, expiresAt, roles },
            ctx.clock(),
          );
          const created = await createAccount(ctx.db, { personId, username: o.username, password: o.password }, by(ctx));
          console.log(`Created ${created.username} (${roles.join(', ')}).`);
          if (!o.password) console.log(`Password (shown once): ${created.password}`);
        });
      },
    );

  user
    .command('reset-password')
    .description('Set a new password (generated unless given) and end the account’s sessions')
    .argument('<username>')
    .option('--password <password>', 'the new password')
    .action(async (username: string, o: { password?: string }) => {
      await withContext(async (ctx) => {
        const result = await resetPassword(ctx.db, await accountId(ctx, username), o.password, by(ctx));
        console.log(
          o.password ? `Password changed for ${result.username}.` : `New password for ${result.username} (shown once): ${result.password}`,
        );
      });
    });

  user
    .command('reset-totp')
    .description('Remove TOTP so the user enrols again at next sign-in')
    .argument('<username>')
    .action(async (username: string) => {
      await withContext(async (ctx) => {
        await resetTotp(ctx.db, await accountId(ctx, username), by(ctx));
        console.log(`TOTP removed for ${username}.`);
      });
    });

  user
    .command('disable')
    .description('Disable an account and end its sessions')
    .argument('<username>')
    .action(async (username: string) => {
      await withContext(async (ctx) => {
        await setDisabled(ctx.db, await accountId(ctx, username), true, by(ctx));
        console.log(`${username} is disabled.`);
      });
    });

  user
    .command('enable')
    .description('Enable a disabled account')
    .argument('<username>')
    .action(async (username: string) => {
      await withContext(async (ctx) => {
        await setDisabled(ctx.db, await accountId(ctx, username), false, by(ctx));
        console.log(`${username} is enabled.`);
      });
    });

  user
    .command('unlock')
    .description('Lift a lockout after too many failed sign-ins')
    .argument('<username>')
    .action(async (username: string) => {
      await withContext(async (ctx) => {
        await clearLockout(ctx.db, await accountId(ctx, username), by(ctx));
        console.log(`${username} is unlocked.`);
      });
    });
}

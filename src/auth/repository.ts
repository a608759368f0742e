import type { Kysely } from 'kysely';
import type { Actor } from '../access/policy.js';
import { isRole, type Role } from '../access/roles.js';
import type { Account, DB } from '../db/tables.js';

export async function findAccountByUsername(db: Kysely<DB>, username: string): Promise<Account | undefined> {
  return db.selectFrom('accounts').selectAll().where('username', '=', username.trim().toLowerCase()).executeTakeFirst();
}

export async function findAccount(db: Kysely<DB>, id: string): Promise<Account | undefined> {
  return db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function rolesOf(db: Kysely<DB>, personId: string): Promise<Role[]> {
  const rows = await db.selectFrom('person_roles').select('role').where('person_id', '=', personId).execute();
  return rows.map((r) => r.role).filter(isRole);
}

/** Everything authorisation needs about the person behind an account, in three queries. */
export async function loadActor(db: Kysely<DB>, accountId: string): Promise<Actor | undefined> {
  const row = await db
    .selectFrom('accounts')
    .innerJoin('people', 'people.id', 'accounts.person_id')
    .innerJoin('schools', 'schools.id', 'people.school_id')
    .select([
      'accounts.id as accountId',
      'accounts.username',
      'people.id as personId',
      'people.given_name',
      'people.preferred_name',
      'people.family_name',
      'people.school_id as schoolId',
      'schools.trust_id as trustId',
    ])
    .where('accounts.id', '=', accountId)
    .executeTakeFirst();
  if (!row) return undefined;
  const [roles, children] = await Promise.all([
    rolesOf(db, row.personId),
    db.selectFrom('guardians').select('student_id').where('parent_id', '=', row.personId).execute(),
  ]);
  return {
    accountId: row.accountId,
    username: row.username,
    personId: row.personId,
    displayName: `${row.preferred_name ?? row.given_name} ${row.family_name}`,
    schoolId: row.schoolId,
    trustId: row.trustId,
    roles: new Set(roles),
    childIds: children.map((c) => c.student_id),
  };
}

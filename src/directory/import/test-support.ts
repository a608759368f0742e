import type { Kysely } from 'kysely';
import { totpCodeAt } from '../../auth/totp.js';
import type { DB } from '../../db/tables.js';
import { TEST_PASSWORD } from '../../testing/fixtures.js';
import type { ApiClient } from '../../testing/http.js';

/** Shared by the import tests: CSV building, row counts, and signing in a TOTP-bound role. */

/** Joins rows into CSV text with the line ending Windows tools write. */
export const csv = (...lines: string[]) => `${lines.join('\r\n')}\r\n`;

/** How many rows each table an import touches holds, to prove a rejected import wrote nothing. */
export async function tableCounts(db: Kysely<DB>) {
  const count = async (table: 'people' | 'person_roles' | 'groups' | 'group_members' | 'guardians' | 'import_runs' | 'audit_log') => {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };
  return {
    people: await count('people'),
    roles: await count('person_roles'),
    groups: await count('groups'),
    members: await count('group_members'),
    guardians: await count('guardians'),
    runs: await count('import_runs'),
    audit: await count('audit_log'),
  };
}

export async function person(db: Kysely<DB>, schoolId: string, kind: 'student' | 'staff' | 'parent', misId: string) {
  return db
    .selectFrom('people')
    .selectAll()
    .where('school_id', '=', schoolId)
    .where('kind', '=', kind)
    .where('mis_id', '=', misId)
    .executeTakeFirst();
}

/** Signs in a user whose role requires TOTP, enrolling them on the way. */
export async function signInEnrollingTotp(client: ApiClient, username: string, now: Date): Promise<void> {
  const first = await client.signIn(username, TEST_PASSWORD);
  if (first.body.stage !== 'totp_enrolment_required') throw new Error(`unexpected sign-in stage ${first.body.stage}`);
  const enrol = await client.post('/api/auth/totp/enrol');
  const ok = await client.post('/api/auth/totp/confirm', { code: totpCodeAt(enrol.body.secret, now) });
  if (ok.body.stage !== 'active') throw new Error(`TOTP enrolment failed: ${JSON.stringify(ok.body)}`);
}

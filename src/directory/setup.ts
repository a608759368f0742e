import type { Kysely } from 'kysely';
import type { Role } from '../access/roles.js';
import { newId } from '../db/ids.js';
import type { DB, NewPerson, PersonKind, SchoolTable } from '../db/tables.js';

/** Creating trusts, schools and people: used by the installer, the demo and tests. */

export async function createTrust(db: Kysely<DB>, name: string, now: Date): Promise<string> {
  const id = newId();
  await db.insertInto('trusts').values({ id, name, created_at: now.toISOString() }).execute();
  return id;
}

export async function createSchool(
  db: Kysely<DB>,
  input: { trustId: string; name: string; urn?: string | null; phase: SchoolTable['phase'] },
  now: Date,
): Promise<string> {
  const id = newId();
  await db
    .insertInto('schools')
    .values({ id, trust_id: input.trustId, name: input.name, urn: input.urn ?? null, phase: input.phase, created_at: now.toISOString() })
    .execute();
  return id;
}

export interface PersonInput {
  schoolId: string;
  kind: PersonKind;
  givenName: string;
  familyName: string;
  misId?: string | null;
  preferredName?: string | null;
  email?: string | null;
  yearGroup?: number | null;
  dateOfBirth?: string | null;
  jobTitle?: string | null;
  expiresAt?: string | null;
  roles?: readonly Role[];
}

export function personRow(p: PersonInput, now: Date, id = newId()): NewPerson {
  const at = now.toISOString();
  return {
    id,
    school_id: p.schoolId,
    kind: p.kind,
    mis_id: p.misId ?? null,
    given_name: p.givenName,
    family_name: p.familyName,
    preferred_name: p.preferredName ?? null,
    email: p.email ?? null,
    year_group: p.yearGroup ?? null,
    date_of_birth: p.dateOfBirth ?? null,
    job_title: p.jobTitle ?? null,
    status: 'active',
    left_at: null,
    expires_at: p.expiresAt ?? null,
    created_at: at,
    updated_at: at,
  };
}

export async function createPerson(db: Kysely<DB>, p: PersonInput, now: Date): Promise<string> {
  const row = personRow(p, now);
  await db.insertInto('people').values(row).execute();
  if (p.roles?.length) {
    await db
      .insertInto('person_roles')
      .values(p.roles.map((role) => ({ person_id: row.id, role, granted_at: now.toISOString(), granted_by: null })))
      .execute();
  }
  return row.id;
}

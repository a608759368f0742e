import type { Kysely } from 'kysely';
import type { Actor } from '../access/policy.js';
import type { DB } from '../db/tables.js';
import { AppError } from '../errors/errors.js';
import { schoolOf } from './service.js';

/**
 * The school a request is about: the actor's own unless a trust administrator names another
 * school of their trust. Anyone else naming another school is refused.
 */
export async function schoolFor(db: Kysely<DB>, actor: Actor, schoolId: string | undefined): Promise<string> {
  if (!schoolId || schoolId === actor.schoolId) return actor.schoolId;
  const school = await schoolOf(db, schoolId).catch(() => undefined);
  if (!school || !actor.roles.has('trust_admin') || school.trust_id !== actor.trustId) {
    throw new AppError('forbidden', 'You can only see your own school');
  }
  return school.id;
}

export const trustOf = async (db: Kysely<DB>, schoolId: string): Promise<string> => (await schoolOf(db, schoolId)).trust_id;

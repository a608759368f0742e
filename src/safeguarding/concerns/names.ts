import type { Kysely } from 'kysely';
import { displayName } from '../../directory/import/people.js';
import type { DB } from '../../db/tables.js';

export interface PersonRef {
  id: string;
  name: string;
}

/** Names for a set of person ids in one query; an id with no row is simply absent. */
export async function namesOf(db: Kysely<DB>, ids: Iterable<string>): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db
    .selectFrom('people')
    .select(['id', 'given_name', 'preferred_name', 'family_name'])
    .where('id', 'in', unique)
    .execute();
  return new Map(rows.map((r) => [r.id, displayName(r)]));
}

export const refOf = (names: Map<string, string>, id: string | null): PersonRef | null =>
  id === null ? null : { id, name: names.get(id) ?? 'Unknown person' };

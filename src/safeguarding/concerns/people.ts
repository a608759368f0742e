import type { Kysely } from 'kysely';
import { displayName } from '../../directory/import/people.js';
import type { DB } from '../../db/tables.js';

export interface PickablePerson {
  id: string;
  name: string;
  kind: 'student' | 'staff';
  yearGroup: number | null;
  tutorGroup: string | null;
}

/** Enough to find anyone in a school, few enough to fit a phone screen. */
export const PEOPLE_PICKER_LIMIT = 20;

/**
 * Active students and staff of the school whose name matches every typed word (given,
 * preferred or family name, from the start of the word), for the "people involved" picker.
 */
export async function searchPeople(db: Kysely<DB>, schoolId: string, q: string): Promise<PickablePerson[]> {
  // LIKE wildcards are dropped rather than escaped: the two dialects escape differently.
  const words = q
    .toLowerCase()
    .replace(/[\\%_]/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 4);
  if (words.length === 0) return [];
  let query = db
    .selectFrom('people')
    .select(['id', 'kind', 'given_name', 'preferred_name', 'family_name', 'year_group'])
    .where('school_id', '=', schoolId)
    .where('status', '=', 'active')
    .where('kind', 'in', ['student', 'staff']);
  for (const word of words) {
    const pattern = `${word}%`;
    query = query.where((eb) =>
      eb.or([
        eb(eb.fn('lower', ['given_name']), 'like', pattern),
        eb(eb.fn('lower', ['family_name']), 'like', pattern),
        eb(eb.fn('lower', ['preferred_name']), 'like', pattern),
      ]),
    );
  }
  const rows = await query.orderBy('family_name').orderBy('given_name').orderBy('id').limit(PEOPLE_PICKER_LIMIT).execute();
  if (rows.length === 0) return [];
  const tutorGroups = await db
    .selectFrom('group_members')
    .innerJoin('groups', 'groups.id', 'group_members.group_id')
    .select(['group_members.person_id', 'groups.name'])
    .where('groups.kind', '=', 'tutor_group')
    .where('groups.status', '=', 'active')
    .where('group_members.member_role', '=', 'member')
    .where(
      'group_members.person_id',
      'in',
      rows.map((r) => r.id),
    )
    .execute();
  const tutorOf = new Map(tutorGroups.map((t) => [t.person_id, t.name]));
  return rows.map((r) => ({
    id: r.id,
    name: displayName(r),
    kind: r.kind as 'student' | 'staff',
    yearGroup: r.year_group,
    tutorGroup: tutorOf.get(r.id) ?? null,
  }));
}

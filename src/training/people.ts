import type { Kysely } from 'kysely';
import type { DB, PersonKind } from '../db/tables.js';
import { AppError, notFound } from '../errors/errors.js';

/** The people training is kept for. */
export const TRAINED_KINDS: readonly PersonKind[] = ['staff', 'governor'];
/** Governors are reported as one team of their own; staff in no staff team as another. */
export const GOVERNORS_TEAM = { id: 'governors', name: 'Governors' };
export const NO_TEAM = { id: 'none', name: 'No team' };

export type Trainee = Awaited<ReturnType<typeof loadTrainee>>;

/** A person with what decides their training: kind, DSL role and teams. Unknown ids are "not found". */
export async function loadTrainee(db: Kysely<DB>, personId: string) {
  const person = await db
    .selectFrom('people')
    .innerJoin('schools', 'schools.id', 'people.school_id')
    .select(['people.id', 'people.school_id', 'schools.trust_id', 'people.kind', 'people.given_name', 'people.family_name'])
    .select(['people.preferred_name', 'people.email', 'people.status'])
    .where('people.id', '=', personId)
    .executeTakeFirst();
  if (!person) throw notFound('Person');
  return person;
}

/** Refuses a person training is not kept for, such as a student or a parent. */
export function assertTrainee(person: { kind: PersonKind }): void {
  if (!TRAINED_KINDS.includes(person.kind)) {
    throw new AppError('bad_request', 'Training records are kept for staff and governors only.');
  }
}

export async function teamsOf(db: Kysely<DB>, schoolId: string, personIds?: readonly string[]) {
  let query = db
    .selectFrom('group_members')
    .innerJoin('groups', 'groups.id', 'group_members.group_id')
    .select(['group_members.person_id', 'groups.id', 'groups.name'])
    .where('groups.school_id', '=', schoolId)
    .where('groups.kind', '=', 'staff_team')
    .where('groups.status', '=', 'active');
  if (personIds) query = query.where('group_members.person_id', 'in', [...personIds]);
  const rows = await query.orderBy('groups.name').execute();
  const byPerson = new Map<string, { id: string; name: string }[]>();
  for (const r of rows) byPerson.set(r.person_id, [...(byPerson.get(r.person_id) ?? []), { id: r.id, name: r.name }]);
  return byPerson;
}

export function teamNames(kind: PersonKind, teams: { id: string; name: string }[] | undefined) {
  if (kind === 'governor') return [GOVERNORS_TEAM];
  return teams && teams.length > 0 ? teams : [NO_TEAM];
}

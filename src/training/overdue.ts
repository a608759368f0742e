import type { Kysely } from 'kysely';
import type { DB, PersonKind, TrainingKind } from '../db/tables.js';
import { personName } from '../directory/names.js';
import { GOVERNORS_TEAM, NO_TEAM, TRAINED_KINDS, teamNames, teamsOf } from './people.js';
import { personStatus, type RequiredKind, requiredKinds } from './rules.js';

export interface OverdueRow {
  personId: string;
  name: string;
  kind: PersonKind;
  email: string | null;
  /** The person's team names, joined, for display. */
  team: string;
  teams: { id: string; name: string }[];
  state: 'up_to_date' | 'due_soon' | 'overdue';
  overdue: RequiredKind[];
  dueSoon: RequiredKind[];
}

export interface OverdueQuery {
  teamId?: string;
  kind?: TrainingKind;
  /** Only records completed by this day (YYYY-MM-DD): the position as it stood then. */
  completedBy?: string;
}

/**
 * "Who is overdue": every active member of staff and governor with the kinds they are overdue
 * or due soon on, totalled for the school and per team. A person in two staff teams counts in
 * both teams but once in the totals. With `kind`, only people who must hold that kind are
 * counted, and only on that kind.
 */
export async function overdueReport(db: Kysely<DB>, schoolId: string, today: string, query: OverdueQuery = {}) {
  const [people, dsls, records, teams] = await Promise.all([
    db
      .selectFrom('people')
      .select(['id', 'kind', 'given_name', 'family_name', 'preferred_name', 'email'])
      .where('school_id', '=', schoolId)
      .where('status', '=', 'active')
      .where('kind', 'in', [...TRAINED_KINDS])
      .orderBy('family_name')
      .orderBy('given_name')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('person_roles')
      .innerJoin('people', 'people.id', 'person_roles.person_id')
      .select('person_roles.person_id')
      .where('people.school_id', '=', schoolId)
      .where('person_roles.role', '=', 'dsl')
      .execute(),
    db
      .selectFrom('training_records')
      .select(['id', 'person_id', 'kind', 'completed_on', 'expires_on'])
      .where('school_id', '=', schoolId)
      .$if(query.completedBy !== undefined, (q) => q.where('completed_on', '<=', query.completedBy!))
      .execute(),
    teamsOf(db, schoolId),
  ]);
  const dslIds = new Set(dsls.map((d) => d.person_id));
  const recordsOf = new Map<string, typeof records>();
  for (const r of records) recordsOf.set(r.person_id, [...(recordsOf.get(r.person_id) ?? []), r]);

  const rows: OverdueRow[] = [];
  for (const p of people) {
    const personTeams = teamNames(p.kind, teams.get(p.id));
    if (query.teamId && !personTeams.some((t) => t.id === query.teamId)) continue;
    const isDsl = dslIds.has(p.id);
    const wanted = query.kind;
    if (wanted && !(requiredKinds(isDsl) as TrainingKind[]).includes(wanted)) continue;
    const status = personStatus(isDsl, recordsOf.get(p.id) ?? [], today);
    const only = (kinds: RequiredKind[]) => (wanted ? kinds.filter((k) => k === wanted) : kinds);
    const overdue = only(status.overdue);
    const dueSoon = only(status.dueSoon);
    rows.push({
      personId: p.id,
      name: personName(p),
      kind: p.kind,
      email: p.email,
      team: personTeams.map((t) => t.name).join(', '),
      teams: personTeams,
      state: overdue.length > 0 ? 'overdue' : dueSoon.length > 0 ? 'due_soon' : 'up_to_date',
      overdue,
      dueSoon,
    });
  }

  const byTeamMap = new Map<string, { teamId: string; name: string; people: number; overdue: number; dueSoon: number }>();
  for (const row of rows) {
    for (const t of row.teams) {
      const entry = byTeamMap.get(t.id) ?? { teamId: t.id, name: t.name, people: 0, overdue: 0, dueSoon: 0 };
      entry.people += 1;
      if (row.state === 'overdue') entry.overdue += 1;
      if (row.state === 'due_soon') entry.dueSoon += 1;
      byTeamMap.set(t.id, entry);
    }
  }
  // Staff teams by name, then governors, then those in no team.
  const order = (id: string) => (id === GOVERNORS_TEAM.id ? 1 : id === NO_TEAM.id ? 2 : 0);
  const byTeam = [...byTeamMap.values()].sort((a, b) => order(a.teamId) - order(b.teamId) || a.name.localeCompare(b.name));
  const count = (state: string) => rows.filter((r) => r.state === state).length;
  return {
    today,
    totals: { people: rows.length, upToDate: count('up_to_date'), dueSoon: count('due_soon'), overdue: count('overdue') },
    byTeam,
    people: rows.map(({ email: _email, ...rest }) => rest),
    /** For reminders: the same people with their address, never sent to the browser. */
    contacts: rows,
  };
}

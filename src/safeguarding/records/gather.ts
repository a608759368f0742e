import type { Kysely, Selectable } from 'kysely';
import type { Actor } from '../../access/policy.js';
import type {
  DB,
  FilterSanctionTable,
  IncidentActionTable,
  IncidentEntryTable,
  IncidentEvidenceTable,
  IncidentInvestigationTable,
  IncidentInvestigatorTable,
  IncidentParentContactTable,
  IncidentPersonTable,
  PersonTable,
} from '../../db/tables.js';
import { notFound } from '../../errors/errors.js';
import { type IncidentRow, permittedIncidents } from '../access.js';

export type PersonRow = Pick<
  Selectable<PersonTable>,
  'id' | 'kind' | 'given_name' | 'family_name' | 'preferred_name' | 'date_of_birth' | 'year_group' | 'mis_id'
>;

/** Everything one incident holds, as stored: the presenters decide what to show and how. */
export interface IncidentBundle {
  incident: IncidentRow;
  /** The exported person's roles in it; `reporter` when they logged it. */
  roles: string[];
  people: Selectable<IncidentPersonTable>[];
  entries: Selectable<IncidentEntryTable>[];
  actions: Selectable<IncidentActionTable>[];
  parentContacts: Selectable<IncidentParentContactTable>[];
  investigation: Selectable<IncidentInvestigationTable> | null;
  investigators: Selectable<IncidentInvestigatorTable>[];
  /** Metadata only: the files themselves never leave through an export. */
  evidence: Omit<Selectable<IncidentEvidenceTable>, 'storage_name' | 'key_id' | 'iv' | 'auth_tag'>[];
}

export interface Gathered {
  person: PersonRow;
  school: { id: string; name: string; urn: string | null };
  incidents: IncidentBundle[];
  sanctions: Selectable<FilterSanctionTable>[];
  /** Every person the bundles name, by id, for the presenters. */
  people: Map<string, PersonRow>;
}

const PERSON_COLUMNS = ['id', 'kind', 'given_name', 'family_name', 'preferred_name', 'date_of_birth', 'year_group', 'mis_id'] as const;

/** A person of the actor's own school; another school's person is "not found" like a missing one. */
export async function personOfSchool(db: Kysely<DB>, actor: Actor, personId: string): Promise<PersonRow> {
  const person = await db
    .selectFrom('people')
    .select(PERSON_COLUMNS)
    .where('id', '=', personId)
    .where('school_id', '=', actor.schoolId)
    .executeTakeFirst();
  if (!person) throw notFound('Person');
  return person;
}

const ROLE_ORDER: readonly string[] = ['subject', 'harmed', 'witness', 'other'];

const byTime = <T extends { created_at: string }>(rows: T[]) => rows.sort((a, b) => a.created_at.localeCompare(b.created_at));

/**
 * The incidents of the actor's school that involve the person in one of `roles` (and, with
 * `reported`, those they logged) and that the actor may read, each checked against the
 * authorisation table on its own, oldest first, with everything recorded about them.
 */
export async function gatherRecords(
  db: Kysely<DB>,
  actor: Actor,
  person: PersonRow,
  options: { roles: readonly IncidentPersonTable['role'][]; reported: boolean },
): Promise<Gathered> {
  const school = await db.selectFrom('schools').select(['id', 'name', 'urn']).where('id', '=', actor.schoolId).executeTakeFirstOrThrow();
  const involvements = await db
    .selectFrom('incident_people')
    .innerJoin('incidents', 'incidents.id', 'incident_people.incident_id')
    .select(['incident_people.incident_id', 'incident_people.role'])
    .where('incident_people.person_id', '=', person.id)
    .where('incident_people.role', 'in', [...options.roles])
    .where('incidents.school_id', '=', actor.schoolId)
    .execute();
  const rolesOf = new Map<string, string[]>();
  for (const i of involvements) rolesOf.set(i.incident_id, [...(rolesOf.get(i.incident_id) ?? []), i.role]);
  if (options.reported) {
    const reported = await db
      .selectFrom('incidents')
      .select('id')
      .where('reported_by', '=', person.id)
      .where('school_id', '=', actor.schoolId)
      .execute();
    for (const r of reported) rolesOf.set(r.id, [...(rolesOf.get(r.id) ?? []), 'reporter']);
  }

  const candidates =
    rolesOf.size === 0
      ? []
      : await db
          .selectFrom('incidents')
          .selectAll()
          .where('id', 'in', [...rolesOf.keys()])
          .orderBy('occurred_at')
          .orderBy('reference')
          .execute();
  const readable = await permittedIncidents(db, actor, 'incident.read', candidates);
  const ids = readable.map((i) => i.id);
  const load = async () => {
    if (ids.length === 0)
      return { people: [], entries: [], actions: [], contacts: [], investigations: [], investigators: [], evidence: [] };
    return {
      people: await db.selectFrom('incident_people').selectAll().where('incident_id', 'in', ids).execute(),
      entries: await db
        .selectFrom('incident_entries')
        .selectAll()
        .where('incident_id', 'in', ids)
        .orderBy('created_at')
        .orderBy('id')
        .execute(),
      actions: await db.selectFrom('incident_actions').selectAll().where('incident_id', 'in', ids).execute(),
      contacts: await db.selectFrom('incident_parent_contacts').selectAll().where('incident_id', 'in', ids).execute(),
      investigations: await db.selectFrom('incident_investigations').selectAll().where('incident_id', 'in', ids).execute(),
      investigators: await db.selectFrom('incident_investigators').selectAll().where('incident_id', 'in', ids).execute(),
      evidence: await db
        .selectFrom('incident_evidence')
        .select([
          'id',
          'incident_id',
          'school_id',
          'filename',
          'media_type',
          'description',
          'size_bytes',
          'sha256',
          'uploaded_by',
          'uploaded_at',
        ])
        .where('incident_id', 'in', ids)
        .orderBy('uploaded_at')
        .execute(),
    };
  };
  const rows = await load();
  const incidents: IncidentBundle[] = readable.map((incident) => {
    const of = <T extends { incident_id: string }>(list: T[]) => list.filter((r) => r.incident_id === incident.id);
    return {
      incident,
      roles: rolesOf.get(incident.id) ?? [],
      people: of(rows.people).sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role)),
      // The report first, then everything in the order it was written.
      entries: of(rows.entries).sort(
        (a, b) => a.created_at.localeCompare(b.created_at) || (a.kind === 'report' ? -1 : b.kind === 'report' ? 1 : 0),
      ),
      actions: byTime(of(rows.actions)),
      parentContacts: of(rows.contacts).sort((a, b) => a.contacted_at.localeCompare(b.contacted_at)),
      investigation: of(rows.investigations)[0] ?? null,
      investigators: of(rows.investigators),
      evidence: of(rows.evidence),
    };
  });

  const sanctions = await db
    .selectFrom('filter_sanctions')
    .selectAll()
    .where('person_id', '=', person.id)
    .where('school_id', '=', actor.schoolId)
    .orderBy('from_at')
    .execute();

  const mentioned = new Set<string>([person.id]);
  for (const b of incidents) {
    mentioned.add(b.incident.reported_by);
    for (const id of [
      b.incident.closed_by,
      ...b.people.map((p) => p.person_id),
      ...b.entries.map((e) => e.author_person_id),
      ...b.actions.map((a) => a.done_by),
      ...b.parentContacts.flatMap((c) => [c.contacted_by, c.parent_person_id, c.student_id]),
      ...b.investigators.map((i) => i.person_id),
      b.investigation?.concluded_by,
      b.investigation?.police_referred_by,
      b.investigation?.device_isolated_by,
      ...b.evidence.map((e) => e.uploaded_by),
    ]) {
      if (id) mentioned.add(id);
    }
  }
  const people = await db
    .selectFrom('people')
    .select(PERSON_COLUMNS)
    .where('id', 'in', [...mentioned])
    .execute();
  return { person, school, incidents, sanctions, people: new Map(people.map((p) => [p.id, p])) };
}

import type { Kysely, Selectable } from 'kysely';
import type { DB, IncidentInvestigationTable } from '../../db/tables.js';
import type { IncidentRow } from '../access.js';

export type InvestigationRow = Selectable<IncidentInvestigationTable>;
export type Procedure = IncidentInvestigationTable['procedure'];

/** The roles seed 002 means by "senior member of staff". */
export const SENIOR_ROLES = ['head', 'dsl', 'hr'] as const;

export interface PersonRef {
  id: string;
  name: string;
}

export interface InvestigatorView {
  personId: string;
  name: string;
  senior: boolean;
  addedAt: string;
}

export interface InvestigationView {
  /** The procedure that applies now, even before the form is first saved. */
  procedure: Procedure;
  investigation: {
    procedure: Procedure;
    urls: string[];
    contentDescription: string;
    designatedComputer: string | null;
    policeReference: string | null;
    policeReferredAt: string | null;
    policeReferredBy: PersonRef | null;
    deviceIsolatedAt: string | null;
    deviceIsolatedBy: PersonRef | null;
    conclusion: IncidentInvestigationTable['conclusion'];
    actionsTaken: string | null;
    concludedAt: string | null;
    concludedBy: PersonRef | null;
    createdAt: string;
    updatedAt: string;
  } | null;
  investigators: InvestigatorView[];
  /** What the procedure still needs before the investigation may be concluded, in words. */
  missing: string[];
}

const nameOf = (p: { given_name: string; preferred_name: string | null; family_name: string }) =>
  `${p.preferred_name ?? p.given_name} ${p.family_name}`;

/**
 * Illegal content is suspected when anyone said so, when the incident was logged as illegal
 * content, or when child abuse imagery was suspected at logging.
 */
export function illegalSuspected(incident: IncidentRow): boolean {
  return incident.category === 'illegal_content' || incident.suspected_csam === 1;
}

export async function investigationRow(db: Kysely<DB>, incidentId: string): Promise<InvestigationRow | undefined> {
  return db.selectFrom('incident_investigations').selectAll().where('incident_id', '=', incidentId).executeTakeFirst();
}

export async function investigatorsOf(db: Kysely<DB>, incidentId: string): Promise<InvestigatorView[]> {
  const rows = await db
    .selectFrom('incident_investigators')
    .innerJoin('people', 'people.id', 'incident_investigators.person_id')
    .select([
      'incident_investigators.person_id',
      'incident_investigators.senior',
      'incident_investigators.added_at',
      'people.given_name',
      'people.preferred_name',
      'people.family_name',
    ])
    .where('incident_investigators.incident_id', '=', incidentId)
    .orderBy('incident_investigators.added_at')
    .orderBy('people.family_name')
    .execute();
  return rows.map((r) => ({ personId: r.person_id, name: nameOf(r), senior: r.senior === 1, addedAt: r.added_at }));
}

/**
 * The steps seed 002 requires before a conclusion: the content recorded (its address and a
 * description, never a copy), more than one senior member of staff involved, and in the
 * illegal procedure the police told and the device left untouched.
 */
export function missingSteps(
  row: InvestigationRow | undefined,
  procedure: Procedure,
  investigators: readonly InvestigatorView[],
): string[] {
  const missing: string[] = [];
  const urls: string[] = row ? JSON.parse(row.urls) : [];
  if (urls.length === 0) missing.push('the web address (URL) of the content');
  if (!row?.content_description.trim()) missing.push('a description of the content');
  const seniors = investigators.filter((i) => i.senior).length;
  if (seniors < 2) missing.push(`at least two senior investigators (head, DSL or HR); ${seniors} so far`);
  if (procedure === 'illegal') {
    if (!row?.police_referred_at) missing.push('the police referral (reference and time)');
    if (!row?.device_isolated_at) missing.push('the device isolated');
  }
  return missing;
}

export async function investigationView(db: Kysely<DB>, incident: IncidentRow): Promise<InvestigationView> {
  const row = await investigationRow(db, incident.id);
  const investigators = await investigatorsOf(db, incident.id);
  const procedure: Procedure = row?.procedure === 'illegal' || illegalSuspected(incident) ? 'illegal' : 'standard';
  const ids = [row?.police_referred_by, row?.device_isolated_by, row?.concluded_by].filter((id): id is string => Boolean(id));
  const people = ids.length
    ? await db.selectFrom('people').select(['id', 'given_name', 'preferred_name', 'family_name']).where('id', 'in', ids).execute()
    : [];
  const ref = (id: string | null | undefined): PersonRef | null => {
    const p = id ? people.find((x) => x.id === id) : undefined;
    return p ? { id: p.id, name: nameOf(p) } : null;
  };
  return {
    procedure,
    investigation: row
      ? {
          procedure: row.procedure,
          urls: JSON.parse(row.urls),
          contentDescription: row.content_description,
          designatedComputer: row.designated_computer,
          policeReference: row.police_reference,
          policeReferredAt: row.police_referred_at,
          policeReferredBy: ref(row.police_referred_by),
          deviceIsolatedAt: row.device_isolated_at,
          deviceIsolatedBy: ref(row.device_isolated_by),
          conclusion: row.conclusion,
          actionsTaken: row.actions_taken,
          concludedAt: row.concluded_at,
          concludedBy: ref(row.concluded_by),
          createdAt: row.created_at,
          updatedAt: row.updated_at,
        }
      : null,
    investigators,
    missing: row?.concluded_at ? [] : missingSteps(row, procedure, investigators),
  };
}

import type { Kysely } from 'kysely';
import type { DB } from '../../db/tables.js';
import type { IncidentRow } from '../access.js';
import { ACTIONS_FOR, CONTINUED_INFRINGEMENTS, type ResponseAction, WARNING_OR_SANCTION } from './catalogue.js';
import { matrixRow } from './matrix.js';

export interface PriorIncident {
  reference: string;
  category: string;
  createdAt: string;
}

export interface Suggestion {
  incidentType: string;
  actions: ResponseAction[];
  repeat: boolean;
  /** The row the responder chose, when a repeat escalated it to "continued infringements". */
  escalatedFrom?: string;
  history: PriorIncident[];
}

/**
 * Earlier incidents of the same school in which any subject of this one was also a subject
 * and a warning or a sanction was actually given: the policy's "previous warnings or
 * sanctions". Suggested-but-never-done actions do not count against a pupil.
 */
export async function priorWarningsOrSanctions(db: Kysely<DB>, incident: IncidentRow): Promise<PriorIncident[]> {
  const subjects = db
    .selectFrom('incident_people')
    .select('person_id')
    .where('incident_id', '=', incident.id)
    .where('role', '=', 'subject');
  const rows = await db
    .selectFrom('incidents as i')
    .innerJoin('incident_people as p', 'p.incident_id', 'i.id')
    .innerJoin('incident_actions as a', 'a.incident_id', 'i.id')
    .select(['i.reference', 'i.category', 'i.created_at'])
    .distinct()
    .where('i.school_id', '=', incident.school_id)
    .where('i.id', '!=', incident.id)
    .where('i.created_at', '<=', incident.created_at)
    .where('p.role', '=', 'subject')
    .where('p.person_id', 'in', subjects)
    .where('a.status', '=', 'done')
    .where('a.action', 'in', [...WARNING_OR_SANCTION])
    .orderBy('i.created_at')
    .execute();
  return rows.map((r) => ({ reference: r.reference, category: r.category, createdAt: r.created_at }));
}

/**
 * The actions the school's matrix suggests for this incident as the chosen type; a repeat
 * escalates to the union with the "continued infringements" row, in the table's column order.
 */
export async function suggestActions(db: Kysely<DB>, incident: IncidentRow, incidentType: string, now: Date): Promise<Suggestion> {
  const audience = incident.subject_kind;
  const chosen = await matrixRow(db, incident.school_id, audience, incidentType, now);
  const history = await priorWarningsOrSanctions(db, incident);
  if (history.length === 0 || incidentType === CONTINUED_INFRINGEMENTS) {
    return { incidentType, actions: chosen.actions, repeat: history.length > 0, history };
  }
  const continued = await matrixRow(db, incident.school_id, audience, CONTINUED_INFRINGEMENTS, now);
  const wanted = new Set<string>([...chosen.actions, ...continued.actions]);
  return {
    incidentType: CONTINUED_INFRINGEMENTS,
    actions: ACTIONS_FOR[audience].map((a) => a.id).filter((id) => wanted.has(id)),
    repeat: true,
    escalatedFrom: incidentType,
    history,
  };
}

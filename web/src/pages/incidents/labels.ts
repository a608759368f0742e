import { RULES } from '../../../../src/access/policy';
import { INCIDENT_CATEGORIES, URGENCIES } from '../../../../src/safeguarding/categories';
import { STAFF_ACTIONS, STUDENT_ACTIONS } from '../../../../src/safeguarding/response/catalogue';
import type { IncidentLocation, IncidentPersonRef, IncidentPersonRole, IncidentUrgency, Me } from '../../types';

// Categories and access rules come from the server's own modules, so the two cannot disagree.
export { INCIDENT_CATEGORIES, URGENCIES };

const categoryLabels = new Map<string, string>(INCIDENT_CATEGORIES.map((c) => [c.id, c.label]));
export const categoryLabel = (id: string): string => categoryLabels.get(id) ?? id;

export const URGENCY_LABELS: Record<IncidentUrgency, string> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  urgent: 'Urgent: a child may be at risk now',
};
export const urgencyLabel = (u: string): string => URGENCY_LABELS[u as IncidentUrgency] ?? u;

export const LOCATION_LABELS: Record<IncidentLocation, string> = {
  in_school: 'In school',
  out_of_school: 'Out of school (linked to school)',
};

export const PERSON_ROLE_LABELS: Record<IncidentPersonRole, string> = {
  subject: 'The concern is about them',
  harmed: 'Harmed or at risk',
  witness: 'Witness',
  other: 'Otherwise involved',
};
export const SHORT_ROLE_LABELS: Record<IncidentPersonRole, string> = {
  subject: 'Subject',
  harmed: 'Harmed or at risk',
  witness: 'Witness',
  other: 'Involved',
};

const actionLabels = new Map<string, string>([...STUDENT_ACTIONS, ...STAFF_ACTIONS].map((a) => [a.id, a.label]));
export const actionLabel = (id: string): string => actionLabels.get(id) ?? id;

export const ENTRY_KIND_LABELS: Record<string, string> = {
  report: 'Report',
  correction: 'Correction by the reporter',
  note: 'Note',
  status: 'Status',
  action: 'Action',
  parents_informed: 'Parents or carers informed',
  investigation: 'Investigation',
  evidence: 'Evidence',
  archived: 'Archived',
};
export const entryKindLabel = (kind: string): string => ENTRY_KIND_LABELS[kind] ?? kind;

/** Entries the system wrote have no author. */
export const nameOf = (who: IncidentPersonRef | null): string => who?.name ?? 'Tutela';

const hasRule = (me: Me, rule: 'incident.report' | 'incident.stats') => RULES[rule].roles.some((r) => me.roles.includes(r));

/** Anyone who may log a concern sees the section. */
export const mayReport = (me: Me): boolean => hasRule(me, 'incident.report');

/**
 * Students get the simpler form: the staff form names people from the directory, so the server
 * keeps it for those who may browse the directory, and so does this.
 */
export const usesStudentForm = (me: Me): boolean => mayReport(me) && !me.can.browseDirectory;

/** Who responds (DSL team, head, HR): the list is theirs to read, not just their own reports. */
export const mayRespond = (me: Me): boolean => me.roles.some((r) => r === 'dsl' || r === 'head' || r === 'hr');

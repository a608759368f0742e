/**
 * Incident categories. The ids are stable: incidents, the actions matrix, reports and
 * exports store them, so an id is never renamed or reused.
 */
export const INCIDENT_CATEGORIES = [
  { id: 'cyberbullying', label: 'Cyberbullying' },
  { id: 'inappropriate_content', label: 'Inappropriate content' },
  { id: 'illegal_content', label: 'Suspected illegal content' },
  { id: 'grooming_contact', label: 'Grooming or inappropriate contact' },
  { id: 'sexting_nudes', label: 'Sharing nudes and semi-nudes' },
  { id: 'radicalisation', label: 'Radicalisation and extremism' },
  { id: 'self_harm_suicide', label: 'Self-harm or suicide' },
  { id: 'data_breach', label: 'Data breach' },
  { id: 'misuse_of_systems', label: 'Misuse of school systems' },
  { id: 'filter_circumvention', label: 'Getting round the filter' },
  { id: 'account_misuse', label: 'Account misuse' },
  { id: 'copyright', label: 'Copyright' },
  { id: 'staff_conduct', label: 'Staff conduct' },
  { id: 'other', label: 'Other' },
] as const;

export type IncidentCategory = (typeof INCIDENT_CATEGORIES)[number]['id'];

export const INCIDENT_CATEGORY_IDS: readonly IncidentCategory[] = INCIDENT_CATEGORIES.map((c) => c.id);

export const isIncidentCategory = (value: string): value is IncidentCategory =>
  (INCIDENT_CATEGORY_IDS as readonly string[]).includes(value);

export type Urgency = 'low' | 'medium' | 'high' | 'urgent';
export const URGENCIES: readonly Urgency[] = ['low', 'medium', 'high', 'urgent'];

/** Whether the people the incident is about are students or staff: it decides who may read it. */
export type SubjectKind = 'student' | 'staff';

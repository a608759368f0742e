/**
 * The guided checklist of the annual filtering and monitoring review, drawn from the DfE
 * filtering and monitoring standards and the UK Safer Internet Centre's "appropriate filtering"
 * and "appropriate monitoring" definitions. Item ids are stable: stored answers are keyed by
 * them, so an item is never renamed or reused, only added. No server imports: the web app
 * shows the same questions.
 */
export const REVIEW_CHECKLIST = [
  {
    id: 'roles_named',
    section: 'Roles',
    question:
      'Are the SLT lead, the governor, the DSL and the IT lead named, and do they understand their roles in filtering and monitoring?',
  },
  {
    id: 'risk_profile',
    section: 'Risk',
    question:
      "Has the risk profile of the school's pupils been considered: their ages, special educational needs and disabilities, and English as an additional language?",
  },
  {
    id: 'blocked_allowed_why',
    section: 'Filtering',
    question: 'Is it recorded what the filter blocks and allows for each user group, and why?',
  },
  {
    id: 'locked_lists',
    section: 'Filtering',
    question: 'Are the IWF child-abuse and CTIRU terrorist-content lists in force, locked, and up to date?',
  },
  {
    id: 'safe_search',
    section: 'Filtering',
    question: 'Is safe search enforced on the search engines and video sites pupils can reach?',
  },
  {
    id: 'circumvention',
    section: 'Filtering',
    question: 'Are VPNs, proxies, anonymisers and DNS-over-HTTPS blocked, so the filter cannot be bypassed?',
  },
  {
    id: 'guest_personal_devices',
    section: 'Filtering',
    question: "Are guest devices and pupils' and staff's personal devices on the school network filtered?",
  },
  {
    id: 'off_site_devices',
    section: 'Filtering',
    question: 'Are school devices used off site (at home, on trips) filtered and monitored, or is the gap recorded?',
  },
  {
    id: 'monitoring_coverage',
    section: 'Monitoring',
    question: 'Does monitoring cover every device and every user, including staff and guests?',
  },
  {
    id: 'alerts_reach_dsl',
    section: 'Monitoring',
    question: 'Do monitoring alerts reach the DSL promptly, and are reports sent to the DSL at least weekly?',
  },
  {
    id: 'keyword_library',
    section: 'Monitoring',
    question: "Has the keyword library been reviewed for the school's pupils, languages and current slang?",
  },
  {
    id: 'staff_trained',
    section: 'People',
    question: 'Have staff been trained in filtering and monitoring, and do they know how to report a concern or a site wrongly blocked?',
  },
  {
    id: 'over_blocking',
    section: 'People',
    question: 'Has over-blocking been checked with teachers, so that filtering does not stop teaching and learning?',
  },
  {
    id: 'data_retention',
    section: 'Records',
    question: 'Is it stated how long filtering and monitoring data are kept, and is that applied?',
  },
  {
    id: 'incidents_considered',
    section: 'Records',
    question: 'Have the safeguarding incidents and filtering changes since the last review been considered?',
  },
] as const;

export type ChecklistItemId = (typeof REVIEW_CHECKLIST)[number]['id'];

export const CHECKLIST_IDS: readonly ChecklistItemId[] = REVIEW_CHECKLIST.map((i) => i.id);

export const isChecklistId = (value: string): value is ChecklistItemId => (CHECKLIST_IDS as readonly string[]).includes(value);

/** How far an item is met. */
export const ANSWER_STATUSES = ['met', 'partly', 'not_met', 'not_applicable'] as const;
export type AnswerStatus = (typeof ANSWER_STATUSES)[number];

export const ANSWER_LABELS: Record<AnswerStatus, string> = {
  met: 'Met',
  partly: 'Partly met',
  not_met: 'Not met',
  not_applicable: 'Not applicable',
};

/** Why a review is held: the standards ask for one a year, and again after any of the others. */
export const REVIEW_REASONS = ['annual', 'incident', 'new_technology', 'configuration_change'] as const;
export type ReviewReason = (typeof REVIEW_REASONS)[number];

export const REASON_LABELS: Record<ReviewReason, string> = {
  annual: 'Annual review',
  incident: 'After a safeguarding incident',
  new_technology: 'New technology',
  configuration_change: 'Configuration change',
};

/** The four people the standards ask a school to name. */
export const REVIEW_SLOTS = ['slt', 'governor', 'dsl', 'itLead'] as const;
export type ReviewSlot = (typeof REVIEW_SLOTS)[number];

export const SLOT_LABELS: Record<ReviewSlot, string> = {
  slt: 'SLT member responsible',
  governor: 'Governor responsible',
  dsl: 'Designated safeguarding lead',
  itLead: 'IT lead',
};

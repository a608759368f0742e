/**
 * The e-safety policy as the API sends it. Plain types, so the web app imports the very shapes
 * the server answers with.
 */

/** The five columns of seed 002's User Actions table, in its order. */
export const USER_ACTION_LEVELS = ['acceptable', 'at_certain_times', 'nominated_users', 'unacceptable', 'illegal'] as const;
export type UserActionLevel = (typeof USER_ACTION_LEVELS)[number];

export const USER_ACTION_COLUMNS: Record<UserActionLevel, string> = {
  acceptable: 'Acceptable',
  at_certain_times: 'Acceptable at certain times',
  nominated_users: 'Acceptable for nominated users',
  unacceptable: 'Unacceptable',
  illegal: 'Unacceptable and illegal',
};

export interface UserActionRow {
  category: string;
  label: string;
  level: UserActionLevel;
  /** What the mark means in practice, e.g. "lunchtime, after school" or "warning page first"; null when the mark says it all. */
  detail: string | null;
}

/** One filter profile's User Actions table. */
export interface UserActionsTable {
  profileId: string;
  profileKey: string;
  profileName: string;
  /** The groups the profile is assigned to, by name. */
  groups: string[];
  /** How many people the profile applies to today. */
  people: number;
  rows: UserActionRow[];
}

/** Seed 002's marks for staff and other adults: allowed, at certain times, for selected staff, not allowed. */
export const STAFF_COMMUNICATION_LEVELS = ['A', 'CT', 'SS', 'NA'] as const;
/** Seed 002's marks for students: allowed, at certain times, with staff permission, not allowed. */
export const STUDENT_COMMUNICATION_LEVELS = ['A', 'CT', 'SP', 'NA'] as const;
export type StaffCommunicationLevel = (typeof STAFF_COMMUNICATION_LEVELS)[number];
export type StudentCommunicationLevel = (typeof STUDENT_COMMUNICATION_LEVELS)[number];

export const COMMUNICATION_LEVEL_NAMES: Record<StaffCommunicationLevel | StudentCommunicationLevel, string> = {
  A: 'Allowed',
  CT: 'Allowed at certain times',
  SS: 'Allowed for selected staff',
  SP: 'Allowed with staff permission',
  NA: 'Not allowed',
};

export interface CommunicationRow {
  label: string;
  staff: StaffCommunicationLevel;
  students: StudentCommunicationLevel;
}

export const MAX_COMMUNICATION_ROWS = 50;

export interface SanctionsTable {
  audience: 'student' | 'staff';
  columns: { id: string; label: string }[];
  rows: { incidentType: string; label: string; actions: string[] }[];
}

/** Every table the policy document generates from the live configuration. */
export interface PolicyTables {
  userActions: UserActionsTable[];
  communications: CommunicationRow[];
  sanctions: SanctionsTable[];
}

export const POLICY_TABLE_NAMES = ['userActions', 'communications', 'sanctions'] as const;
export type PolicyTableName = (typeof POLICY_TABLE_NAMES)[number];

export const POLICY_TABLE_TITLES: Record<PolicyTableName, string> = {
  userActions: 'User Actions',
  communications: 'Communication technologies',
  sanctions: 'Actions and sanctions',
};

/** Where the live configuration has moved since governors approved a version. */
export interface PolicyDrift {
  versionId: string;
  version: number;
  approvedOn: string;
  changed: PolicyTableName[];
}

export type ReviewState = 'not_approved' | 'ok' | 'due_soon' | 'overdue';

export interface PolicyVersionSummary {
  id: string;
  version: number;
  status: 'draft' | 'approved';
  changeNote: string;
  createdAt: string;
  approvedOn: string | null;
  approvedByBody: string | null;
  minuteRef: string | null;
  nextReviewOn: string | null;
}

export interface PolicyVersionView extends PolicyVersionSummary {
  title: string;
  bodyMd: string;
  monitoringCycle: string;
  reviewMonths: number;
  createdBy: string | null;
  approvalRecordedAt: string | null;
}

export interface PolicyOverview {
  /** The latest approved version: the school's policy in force. */
  current: PolicyVersionView | null;
  /** The draft being written, if any. */
  draft: PolicyVersionView | null;
  versions: PolicyVersionSummary[];
  drift: PolicyDrift | null;
  review: { state: ReviewState; nextReviewOn: string | null; daysLeft: number | null };
  /** The school's date today, YYYY-MM-DD: an approval cannot be dated after it. */
  today: string;
  canManage: boolean;
  canApprove: boolean;
}

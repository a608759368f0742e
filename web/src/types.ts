/** Shapes of the JSON the API sends, as the front end relies on them. */

export type Stage = 'active' | 'totp_required' | 'totp_enrolment_required';

export interface SessionUser {
  username: string;
  displayName: string;
  personId: string;
  schoolId: string;
  roles: string[];
  totpEnabled: boolean;
}

export interface SessionView {
  stage: Stage;
  locked: boolean;
  csrfToken: string;
  idleLockMinutes: number;
  user: SessionUser | null;
}

export interface Capabilities {
  browseDirectory: boolean;
  seeStats: boolean;
  manageUsers: boolean;
  importData: boolean;
  readAudit: boolean;
  manageSchool: boolean;
  /** Add and edit people and groups by hand. */
  managePeople: boolean;
  /** Add schools to the trust. */
  manageTrust: boolean;
}

export interface Me {
  personId: string;
  username: string;
  displayName: string;
  roles: string[];
  school: { id: string; name: string };
  childIds: string[];
  /** Roles this user may hand out; forms offer only these. */
  grantableRoles: string[];
  can: Capabilities;
}

export interface OidcProvider {
  id: string;
  label: string;
}

export interface TotpEnrolment {
  secret: string;
  uri: string;
  qrDataUrl: string;
}

export interface DirectoryStats {
  people: Record<string, number>;
  studentsByYear: { yearGroup: number; keyStage: string | null; count: number }[];
  groups: Record<string, number>;
  left: number;
}

export type PersonStatus = 'active' | 'left' | 'all';

export interface PersonSummary {
  id: string;
  kind: string;
  misId: string | null;
  name: string;
  givenName: string;
  familyName: string;
  yearGroup: number | null;
  keyStage: string | null;
  jobTitle: string | null;
  status: string;
  expiresAt: string | null;
}

export interface PersonDetail extends PersonSummary {
  preferredName: string | null;
  email: string | null;
  dateOfBirth: string | null;
  leftAt: string | null;
  roles: string[];
  groups: { id: string; kind: string; name: string; memberRole: string }[];
  children: { id: string; name: string; relationship: string; yearGroup: number | null }[];
  guardians: { id: string; name: string; relationship: string; parentalResponsibility: boolean }[];
  account: { id: string; username: string; disabled: boolean; totpEnabled: boolean; lastSignInAt: string | null } | null;
  can: { manage: boolean; admin: boolean };
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface PeopleQuery {
  q?: string;
  /** Another school of the trust; only a trust administrator may name one. */
  schoolId?: string;
  kind?: string;
  yearGroup?: number;
  groupId?: string;
  role?: string;
  status?: PersonStatus;
  limit?: number;
  offset?: number;
}

export interface GroupSummary {
  id: string;
  kind: string;
  name: string;
  code: string;
  yearGroup: number | null;
  subject: string | null;
  members: number;
}

export interface GroupDetail extends Omit<GroupSummary, 'members'> {
  members: PersonSummary[];
  total: number;
  staffRoles: Record<string, string>;
}

export type SchoolPhase = 'primary' | 'secondary' | 'all_through' | 'special';

export interface School {
  id: string;
  name: string;
  urn: string | null;
  phase: SchoolPhase;
}

export interface SetupInput {
  token: string;
  trustName: string;
  schoolName: string;
  urn?: string;
  phase: SchoolPhase;
  admin: { givenName: string; familyName: string; email?: string; username: string; password: string };
}

/** The kinds of person added by hand; students and parents come from the MIS. */
export type ManualPersonKind = 'staff' | 'governor' | 'guest' | 'community';

export interface NewPerson {
  kind: ManualPersonKind;
  givenName: string;
  familyName: string;
  email?: string;
  jobTitle?: string;
  roles?: string[];
  expiresAt?: string;
  schoolId?: string;
}

/** Only the fields present change; null clears one. */
export interface PersonEdit {
  givenName?: string;
  familyName?: string;
  preferredName?: string | null;
  email?: string | null;
  jobTitle?: string | null;
  expiresAt?: string | null;
}

export type ManualGroupKind = 'custom' | 'staff_team' | 'class' | 'tutor_group';
export type MemberRole = 'member' | 'teacher' | 'tutor' | 'lead';

export interface NewGroup {
  kind: ManualGroupKind;
  name: string;
  code?: string;
  subject?: string;
  yearGroup?: number;
  schoolId?: string;
}

export interface MembershipChange {
  add?: { personId: string; memberRole: MemberRole }[];
  remove?: string[];
}

export interface Account {
  id: string;
  username: string;
  personId: string;
  name: string;
  kind: string;
  roles: string[];
  disabled: boolean;
  locked: boolean;
  expired: boolean;
  left: boolean;
  totpEnabled: boolean;
  lastSignInAt: string | null;
}

export interface Credentials {
  username: string;
  password: string;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  details: unknown;
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  problem?: { seq: number; reason: string };
}

export type ImportKind = 'students' | 'staff' | 'parents' | 'classes';

export interface ImportField {
  field: string;
  label: string;
  required: boolean;
}

export interface ImportPreview {
  encoding: string;
  headers: string[];
  suggestedMapping: Record<string, string | null>;
  sampleRows: string[][];
  rowCount: number;
  /** Labels and required flags; without them the keys of `suggestedMapping` are the fields. */
  fields?: ImportField[];
}

export interface ImportChange {
  line?: number;
  action: 'create' | 'update' | 'leave';
  misId: string;
  name: string;
  fields?: { field: string; before: unknown; after: unknown }[];
}

export interface ImportReport {
  kind: ImportKind;
  dryRun: boolean;
  encoding: string;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  left: number;
  /** At most a few hundred are listed; the counts below say how many there are in all. */
  errors: { line: number; reason: string; field?: string }[];
  errorCount?: number;
  changes: ImportChange[];
  changeCount?: number;
  groups?: { created: number; updated: number; archived: number };
  status: 'dry_run' | 'applied' | 'rejected';
  importRunId: string;
}

export interface ImportFile {
  kind: ImportKind;
  fileName: string;
  contentBase64: string;
}

export interface ImportOptions {
  /** Field → column heading; '' leaves the field out, a missing field takes the server's suggestion. */
  mapping: Record<string, string>;
  /** The file lists everyone of its kind, so whoever it leaves out has left. */
  markLeavers: boolean;
}

export interface ImportRun {
  id: string;
  kind: string;
  fileName: string;
  status: 'dry_run' | 'applied' | 'rejected';
  dryRun: boolean;
  createdAt: string;
  createdBy: string | null;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  left: number;
  errorCount: number;
}

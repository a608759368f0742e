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
  /** Staff and guests who have not accepted the current acceptable-use agreement see only the accept screen. */
  agreementRequired?: boolean;
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

// ---- Filtering (see docs/filtering/ui.md) ----

export type FilterLevel = 'acceptable' | 'at_certain_times' | 'nominated_users' | 'unacceptable' | 'illegal';
export type FilterWindowKind = 'before_school' | 'lessons' | 'break' | 'lunch' | 'after_school' | 'evening' | 'weekend' | 'holiday';
export type FilterAction = 'allow' | 'block' | 'warn';
export type FilterScope = 'trust' | 'school' | 'group' | 'person';

export interface FilterCategory {
  id: string;
  label: string;
  group: string;
  locked: boolean;
}

export interface MatrixCell {
  level: FilterLevel;
  windows?: FilterWindowKind[];
  nominatedPersonIds?: string[];
  nominatedGroupIds?: string[];
  warn?: boolean;
}

export interface FilterProfile {
  id: string;
  key: string;
  name: string;
  defaultAction: 'allow' | 'block';
  position: number;
  version: number;
  matrix: Record<string, MatrixCell>;
}

export interface FilterTimeWindow {
  id?: string;
  kind: FilterWindowKind;
  days: number[];
  startMinute: number;
  endMinute: number;
}

export interface FilterHoliday {
  id: string;
  name: string;
  from: string;
  to: string;
}

export interface FilterCalendar {
  timeZone: string;
  windows: FilterTimeWindow[];
  holidays: FilterHoliday[];
}

export interface FilterListEntry {
  id: string;
  scope: FilterScope;
  scopeId: string;
  scopeName: string;
  pattern: string;
  action: 'allow' | 'block';
  category: string | null;
  note: string | null;
  createdAt: string;
  createdBy: string | null;
}

export interface NewFilterListEntry {
  scope: FilterScope;
  scopeId?: string;
  pattern: string;
  action: 'allow' | 'block';
  category?: string;
  note?: string;
  reason: string;
}

export interface FilterListCategory {
  category: string;
  label: string;
  locked: boolean;
  domains: number;
  urls: number;
  sources: string[];
  updatedAt: string | null;
}

/** What one list import did: counts before and after, additions and removals per category. */
export interface FilterImportReport {
  id: string;
  source: string;
  origin: string;
  status: 'applied' | 'unchanged' | 'rejected' | 'failed';
  error: string | null;
  startedAt: string;
  finishedAt: string;
  categories: {
    category: string;
    before: { domains: number; urls: number };
    after: { domains: number; urls: number };
    added: number;
    removed: number;
  }[];
  totals: { before: number; after: number; added: number; removed: number; shrinkPercent: number };
}

export interface FilterImportRecord {
  id: string;
  source: string;
  origin: string;
  startedAt: string;
  finishedAt: string | null;
  status: 'running' | 'applied' | 'rejected' | 'failed' | 'unchanged';
  error: string | null;
  startedBy: string | null;
  report: FilterImportReport | null;
}

export interface FilterLists {
  categories: FilterListCategory[];
  lastImport: FilterImportRecord | null;
}

export interface FilterDecisionView {
  action: FilterAction;
  category: string | null;
  rule: string;
  detail: string;
  policyVersion: number;
  host: string;
  url: string | null;
  profileId: string;
}

export interface FilterTestResult {
  decision: FilterDecisionView;
  categories: string[];
  person: { id: string; name: string } | null;
  profile: { id: string; name: string };
}

export interface FilterChange {
  id: string;
  at: string;
  actorName: string | null;
  entity: string;
  entityId: string | null;
  change: string;
  summary: string;
  before: unknown;
  after: unknown;
  reason: string;
}

export interface FilterChangeQuery {
  from?: string;
  to?: string;
  entity?: string;
  limit?: number;
}

export interface Approval {
  by: string;
  at: string;
}

export type UnblockStatus = 'pending' | 'approved' | 'rejected' | 'withdrawn' | 'expired' | (string & {});

export interface UnblockRequest {
  id: string;
  requestedBy: { id: string; name: string };
  targetKind: 'pattern' | 'category';
  target: string;
  group: { id: string; name: string };
  from: string;
  until: string;
  reason: string;
  status: UnblockStatus;
  technicalApproval: Approval | null;
  safeguardingApproval: Approval | null;
  decidedBy: string | null;
  decisionNote: string | null;
  exceptionId: string | null;
  canApproveAs: ('technical' | 'safeguarding')[];
}

export interface NewUnblockRequest {
  targetKind: 'pattern' | 'category';
  target: string;
  groupId: string;
  from: string;
  until: string;
  reason: string;
}

export interface FilterReport {
  id: string;
  kind: 'overblocked' | 'underblocked';
  target: string;
  category: string | null;
  rule: string | null;
  comment: string | null;
  status: 'open' | 'resolved' | 'dismissed';
  reportedBy: { id: string; name: string } | null;
  clientAddress: string | null;
  createdAt: string;
  resolvedBy: string | null;
  resolvedAt: string | null;
  resolutionNote: string | null;
}

export interface NewFilterReport {
  kind: 'overblocked' | 'underblocked';
  target: string;
  category?: string;
  rule?: string;
  comment?: string;
}

export interface ActivityEvent {
  id: string;
  at: string;
  source: string;
  personName: string | null;
  deviceName: string | null;
  clientAddress: string | null;
  host: string | null;
  url: string | null;
  searchTerms: string | null;
  category: string | null;
  action: FilterAction;
  rule: string | null;
  policyVersion: number | null;
}

export interface ActivityPage {
  events: ActivityEvent[];
  cursor: string | null;
}

export interface BlockInfo {
  action: FilterAction;
  host: string;
  url: string | null;
  category: string | null;
  categoryLabel: string | null;
  rule: string;
  detail: string;
  person: { name: string } | null;
  canRequestUnblock: boolean;
  signedIn: boolean;
}

export interface FilterDevice {
  id: string;
  name: string;
  address: string | null;
  mac?: string | null;
  personId?: string | null;
  personName?: string | null;
  profileId?: string | null;
  [key: string]: unknown;
}

export interface FilterSubnet {
  id: string;
  name: string;
  cidr: string;
  profileId: string;
  [key: string]: unknown;
}

export interface FilterSanction {
  id: string;
  personId: string;
  personName?: string | null;
  from: string;
  until: string;
  stillAllowed: string[];
  status?: string;
  liftedAt?: string | null;
  [key: string]: unknown;
}

export interface FilterException {
  id: string;
  target: { kind: 'pattern'; pattern: string } | { kind: 'category'; category: string };
  appliesTo: { kind: 'school' | 'group' | 'person'; id: string | null; name?: string | null };
  from: string;
  until: string;
  requestId: string | null;
  createdBy: string | null;
  createdAt: string;
  revokedAt: string | null;
  status: 'scheduled' | 'active' | 'expired' | 'revoked';
}

/** A group or person given a profile over the one their kind and year would give them. */
export interface FilterAssignment {
  id: string;
  profileId: string;
  subjectKind: 'group' | 'person';
  subjectId: string;
  subjectName: string;
}

export interface FilterSettings {
  timeZone: string;
  fallbackProfileId: string | null;
  /** Blocks in these categories tell the DSLs; the locked (illegal) ones always do. */
  alertingCategories: string[];
  policyVersion: number;
}

export interface NewFilterProfile {
  key: string;
  name: string;
  defaultAction: 'allow' | 'block';
  copyFromProfileId?: string;
  reason: string;
}

// ---- Notifications ----

export interface AppNotification {
  id: string;
  kind: string;
  title: string;
  body: string;
  /** A path in Tutela to follow, or null. */
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

/** Safeguarding incidents (the incident log). */
export type IncidentSubjectKind = 'student' | 'staff';
export type IncidentPersonRole = 'subject' | 'harmed' | 'witness' | 'other';
export type IncidentLocation = 'in_school' | 'out_of_school';
export type IncidentUrgency = 'low' | 'medium' | 'high' | 'urgent';

/** A person offered by the "people involved" picker. */
export interface IncidentPersonOption {
  id: string;
  name: string;
  kind: string;
  yearGroup: number | null;
  tutorGroup: string | null;
}

export interface IncidentPersonRef {
  id: string;
  name: string;
}

export interface IncidentSummary {
  id: string;
  reference: string;
  subjectKind: IncidentSubjectKind;
  category: string;
  urgency: IncidentUrgency;
  status: 'open' | 'closed';
  summary: string;
  occurredAt: string;
  createdAt: string;
  reporter: IncidentPersonRef;
  people: (IncidentPersonRef & { role: IncidentPersonRole })[];
}

export interface IncidentEntry {
  id: string;
  kind: string;
  body: string;
  /** Null for entries the system wrote. */
  author: IncidentPersonRef | null;
  createdAt: string;
}

export interface IncidentAction {
  id: string;
  action: string;
  status: 'pending' | 'done' | 'not_needed';
  /** Suggested by the actions matrix rather than added by hand. */
  suggested: boolean;
  note: string | null;
  dueAt: string | null;
  doneAt: string | null;
  doneBy: IncidentPersonRef | null;
}

export interface IncidentParentContact {
  id: string;
  studentId: string;
  parentName: string;
  method: string;
  contactedAt: string;
  contactedBy: IncidentPersonRef | null;
  note: string | null;
}

export interface IncidentDetail extends IncidentSummary {
  location: IncidentLocation;
  outcome: string | null;
  suspectedCsam: boolean;
  archivedAt: string | null;
  archiveReason: string | null;
  entries: IncidentEntry[];
  actions: IncidentAction[];
  parentContacts: IncidentParentContact[];
  links: { kind: string; refId: string }[];
}

export interface NewIncident {
  subjectKind: IncidentSubjectKind;
  people: { personId: string; role: IncidentPersonRole }[];
  summary: string;
  description: string;
  occurredAt: string;
  location: IncidentLocation;
  category: string;
  urgency: IncidentUrgency;
  suspectedCsam?: boolean;
}

export interface NewStudentReport {
  what: string;
  who?: string;
  when?: string;
  where?: IncidentLocation;
}

/** One row of the school's actions-and-sanctions matrix. */
export interface IncidentMatrixRow {
  incidentType: string;
  label: string;
  actions: string[];
  position: number;
}

/** An earlier incident with a warning or sanction, which makes this one a repeat. */
export interface PriorIncident {
  reference: string;
  category: string;
  createdAt: string;
}

export interface IncidentSuggestion {
  incidentType: string;
  actions: string[];
  repeat: boolean;
  /** The row chosen, when a repeat escalated it to "continued infringements". */
  escalatedFrom?: string;
  history: PriorIncident[];
}

export interface IncidentReader {
  at: string;
  who: string;
  username: string | null;
  action: string;
}

export interface ParentLetter {
  subject: string;
  body: string;
}

export interface DashboardIncident {
  id: string;
  reference: string;
  category: string;
  urgency: string;
  subjectKind: string;
  summary: string;
  createdAt: string;
}

export interface ResponderDashboard {
  open: DashboardIncident[];
  urgent: DashboardIncident[];
  overdueActions: { incidentId: string; reference: string; action: string; dueAt: string }[];
}

export type IncidentContactMethod = 'phone' | 'email' | 'letter' | 'meeting' | 'other';

/** A parent or carer the school has linked to a student. */
export interface IncidentGuardian {
  id: string;
  name: string;
  relationship: string;
  parentalResponsibility: boolean;
}

export interface NewParentContact {
  studentId: string;
  parentPersonId?: string;
  parentName?: string;
  method: IncidentContactMethod;
  contactedAt: string;
  note?: string;
}

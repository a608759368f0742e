import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/*
 * Every table's row type, in one place. Conventions that hold on SQLite and PostgreSQL alike:
 * ids are text (UUIDs made by the application), times are ISO-8601 UTC text, booleans are 0/1
 * integers, structured details are JSON text. This keeps one set of queries for both dialects.
 */

export interface TrustTable {
  id: string;
  name: string;
  created_at: string;
}

export interface SchoolTable {
  id: string;
  trust_id: string;
  name: string;
  /** The DfE unique reference number, when the school has one. */
  urn: string | null;
  phase: 'primary' | 'secondary' | 'all_through' | 'special';
  created_at: string;
}

export type PersonKind = 'student' | 'staff' | 'parent' | 'governor' | 'guest' | 'community';
export type PersonStatus = 'active' | 'left';

export interface PersonTable {
  id: string;
  school_id: string;
  kind: PersonKind;
  /** The id the school's MIS gives the person; imports match on (school, kind, mis_id). */
  mis_id: string | null;
  given_name: string;
  family_name: string;
  preferred_name: string | null;
  email: string | null;
  /** 0 for Reception, 1–13 for Years 1–13; students only. */
  year_group: number | null;
  date_of_birth: string | null;
  job_title: string | null;
  status: PersonStatus;
  left_at: string | null;
  /** Guests and community users lose access after this time. */
  expires_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface PersonRoleTable {
  person_id: string;
  role: string;
  granted_at: string;
  granted_by: string | null;
}

export type GroupKind = 'key_stage' | 'year_group' | 'class' | 'tutor_group' | 'staff_team' | 'custom';

export interface GroupTable {
  id: string;
  school_id: string;
  kind: GroupKind;
  name: string;
  /** MIS code for classes and tutor groups; `KS3`, `Y7` for the derived groups. */
  code: string;
  year_group: number | null;
  subject: string | null;
  status: 'active' | 'archived';
  created_at: string;
  updated_at: string;
}

export interface GroupMemberTable {
  group_id: string;
  person_id: string;
  member_role: 'member' | 'teacher' | 'tutor' | 'lead';
}

export interface GuardianTable {
  parent_id: string;
  student_id: string;
  relationship: string;
  parental_responsibility: number;
  priority: number;
}

export interface AccountTable {
  id: string;
  person_id: string;
  username: string;
  password_hash: string | null;
  /** AES-256-GCM sealed base32 secret; null until enrolment is confirmed. */
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_enabled_at: string | null;
  /** Last accepted TOTP time step, so a code cannot be replayed. */
  totp_last_step: number | null;
  failed_attempts: number;
  locked_until: string | null;
  disabled_at: string | null;
  is_demo: number;
  last_sign_in_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface AccountIdentityTable {
  provider: string;
  subject: string;
  account_id: string;
  email: string | null;
  created_at: string;
}

export type SessionStage = 'active' | 'totp_required' | 'totp_enrolment_required';

export interface SessionTable {
  /** SHA-256 of the cookie token: a stolen database does not yield live sessions. */
  id: string;
  account_id: string;
  csrf_token: string;
  stage: SessionStage;
  auth_method: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  locked_at: string | null;
  ip: string | null;
  user_agent: string | null;
  revoked_at: string | null;
}

export interface AuditLogTable {
  seq: number;
  at: string;
  actor_account_id: string | null;
  actor_username: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  school_id: string | null;
  ip: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface ImportRunTable {
  id: string;
  school_id: string;
  kind: string;
  file_name: string;
  file_sha256: string;
  dry_run: number;
  status: 'dry_run' | 'applied' | 'rejected';
  summary: string;
  created_by: string | null;
  created_at: string;
}

export interface SettingTable {
  key: string;
  value: string;
}

export interface FilterSettingsTable {
  school_id: string;
  time_zone: string;
  fallback_profile_id: string | null;
  /** JSON array of category ids whose blocks notify the DSL. */
  alerting_categories: string;
  policy_version: number;
  updated_at: string;
}

export interface FilterProfileTable {
  id: string;
  school_id: string;
  key: string;
  name: string;
  default_action: 'allow' | 'block';
  position: number;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface FilterMatrixTable {
  profile_id: string;
  category: string;
  level: string;
  /** JSON arrays. */
  windows: string;
  nominated_person_ids: string;
  nominated_group_ids: string;
  warn: number;
}

export interface FilterProfileAssignmentTable {
  id: string;
  school_id: string;
  profile_id: string;
  subject_kind: 'group' | 'person';
  subject_id: string;
  created_at: string;
}

export interface FilterWindowTable {
  id: string;
  school_id: string;
  kind: string;
  /** JSON array of ISO weekdays, 1 = Monday. */
  days: string;
  start_minute: number;
  end_minute: number;
}

export interface FilterHolidayTable {
  id: string;
  school_id: string;
  name: string;
  from_date: string;
  to_date: string;
}

export interface FilterListEntryTable {
  id: string;
  trust_id: string;
  school_id: string | null;
  scope: 'trust' | 'school' | 'group' | 'person';
  scope_id: string;
  pattern: string;
  action: 'allow' | 'block';
  category: string | null;
  note: string | null;
  created_by: string | null;
  created_at: string;
}

export interface FilterExceptionTable {
  id: string;
  school_id: string;
  target_kind: 'pattern' | 'category';
  target: string;
  applies_kind: 'school' | 'group' | 'person';
  applies_id: string | null;
  from_at: string;
  until_at: string;
  request_id: string | null;
  created_by: string | null;
  created_at: string;
  revoked_at: string | null;
}

export type UnblockRequestStatus = 'pending' | 'approved' | 'rejected' | 'withdrawn' | 'expired';

export interface FilterUnblockRequestTable {
  id: string;
  school_id: string;
  requested_by: string;
  target_kind: 'pattern' | 'category';
  target: string;
  group_id: string;
  from_at: string;
  until_at: string;
  reason: string;
  status: UnblockRequestStatus;
  network_approved_by: string | null;
  network_approved_at: string | null;
  dsl_approved_by: string | null;
  dsl_approved_at: string | null;
  decided_by: string | null;
  decided_at: string | null;
  decision_note: string | null;
  exception_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface FilterSanctionTable {
  id: string;
  school_id: string;
  person_id: string;
  kind: 'no_internet';
  from_at: string;
  until_at: string;
  /** JSON array of hosts still reachable. */
  still_allowed: string;
  reason: string;
  source: 'manual' | 'incident';
  source_id: string | null;
  created_by: string | null;
  created_at: string;
  lifted_at: string | null;
  lifted_by: string | null;
}

export interface FilterDeviceTable {
  id: string;
  school_id: string;
  name: string;
  address: string | null;
  mac: string | null;
  person_id: string | null;
  profile_id: string | null;
  created_at: string;
}

export interface FilterSubnetTable {
  id: string;
  school_id: string;
  name: string;
  cidr: string;
  profile_id: string;
  created_at: string;
}

export interface FilterAddressSignInTable {
  address: string;
  school_id: string;
  person_id: string;
  until_at: string;
  created_at: string;
}

export interface FilterReportTable {
  id: string;
  school_id: string;
  kind: 'overblocked' | 'underblocked';
  target: string;
  category: string | null;
  rule: string | null;
  reported_by: string | null;
  client_address: string | null;
  comment: string | null;
  status: 'open' | 'resolved' | 'dismissed';
  resolved_by: string | null;
  resolved_at: string | null;
  resolution_note: string | null;
  created_at: string;
}

export interface FilterChangeLogTable {
  id: string;
  trust_id: string;
  school_id: string | null;
  at: string;
  actor_account_id: string | null;
  actor_name: string;
  entity: string;
  entity_id: string | null;
  change: string;
  summary: string;
  /** JSON of the record before and after the change; null for a creation or a deletion. */
  before: string | null;
  after: string | null;
  reason: string;
}

export interface FilterCategoryListTable {
  source: string;
  category: string;
  locked: number;
  format: 'plain' | 'sha256';
  domain_count: number;
  url_count: number;
  /** Newline-separated entries, gzip-compressed, base64 text (works alike on both dialects). */
  domains_gz: string;
  urls_gz: string;
  sha256: string;
  import_id: string;
  updated_at: string;
}

export interface FilterListImportTable {
  id: string;
  source: string;
  origin: string;
  started_at: string;
  finished_at: string | null;
  status: 'running' | 'applied' | 'rejected' | 'failed' | 'unchanged';
  /** JSON: counts, additions and removals per category. */
  report: string | null;
  error: string | null;
  started_by: string | null;
}

export interface ActivityEventTable {
  id: string;
  school_id: string;
  at: string;
  source: 'dns' | 'proxy' | (string & {});
  person_id: string | null;
  device_id: string | null;
  client_address: string | null;
  host: string | null;
  url: string | null;
  /** Search terms taken from a search-engine or video-site URL. */
  search_terms: string | null;
  category: string | null;
  action: 'allow' | 'block' | 'warn';
  rule: string | null;
  policy_version: number | null;
  profile_id: string | null;
}

export interface NotificationTable {
  id: string;
  school_id: string;
  recipient_person_id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  created_at: string;
  read_at: string | null;
}

export interface IncidentTable {
  id: string;
  school_id: string;
  reference: string;
  subject_kind: 'student' | 'staff';
  category: string;
  /** The matrix row chosen for the response; null until triage. */
  incident_type: string | null;
  urgency: 'low' | 'medium' | 'high' | 'urgent';
  status: 'open' | 'closed';
  summary: string;
  occurred_at: string;
  location: 'in_school' | 'out_of_school';
  reported_by: string;
  reporter_kind: 'staff' | 'student';
  outcome: string | null;
  closed_by: string | null;
  closed_at: string | null;
  created_at: string;
  updated_at: string;
  /** 1 when child sexual abuse imagery is suspected: image and video evidence is then refused. */
  suspected_csam: Generated<number>;
  /** Set by the retention job; an archived incident is read-only and out of working lists. */
  archived_at: string | null;
  archive_reason: string | null;
}

export interface IncidentPersonTable {
  incident_id: string;
  person_id: string;
  role: 'subject' | 'harmed' | 'witness' | 'other';
}

export interface IncidentEntryTable {
  id: string;
  incident_id: string;
  kind: 'report' | 'correction' | 'note' | 'status' | 'action' | 'parents_informed' | 'investigation' | 'evidence' | 'archived';
  body: string;
  /** JSON, for structured entries. */
  details: string | null;
  author_person_id: string | null;
  created_at: string;
}

export interface IncidentLinkTable {
  incident_id: string;
  kind: 'filter_event' | 'alert';
  ref_id: string;
}

export interface IncidentActionTable {
  id: string;
  incident_id: string;
  action: string;
  status: 'pending' | 'done' | 'not_needed';
  suggested: number;
  due_at: string | null;
  note: string | null;
  done_by: string | null;
  done_at: string | null;
  sanction_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface IncidentMatrixTable {
  school_id: string;
  audience: 'student' | 'staff';
  incident_type: string;
  label: string;
  /** JSON array of action ids. */
  actions: string;
  position: number;
  updated_at: string;
}

export interface IncidentParentContactTable {
  id: string;
  incident_id: string;
  student_id: string;
  parent_person_id: string | null;
  parent_name: string;
  method: 'phone' | 'email' | 'letter' | 'meeting' | 'other';
  contacted_at: string;
  contacted_by: string;
  note: string | null;
  created_at: string;
}

export interface IncidentInvestigationTable {
  incident_id: string;
  /** `illegal` once illegal content is suspected: police first, URL and description only. */
  procedure: 'standard' | 'illegal';
  /** JSON array of the URLs concerned. */
  urls: string;
  content_description: string;
  designated_computer: string | null;
  police_referred_at: string | null;
  police_reference: string | null;
  police_referred_by: string | null;
  device_isolated_at: string | null;
  device_isolated_by: string | null;
  conclusion: 'substantiated' | 'not_substantiated' | null;
  actions_taken: string | null;
  concluded_at: string | null;
  concluded_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface IncidentInvestigatorTable {
  incident_id: string;
  person_id: string;
  /** 1 when the person held a senior role (head, DSL, HR) when added. */
  senior: number;
  added_by: string;
  added_at: string;
}

export interface IncidentEvidenceTable {
  id: string;
  incident_id: string;
  school_id: string;
  filename: string;
  media_type: string;
  description: string | null;
  size_bytes: number;
  /** Hex SHA-256 of the plaintext, taken on upload. */
  sha256: string;
  /** File name of the ciphertext under `<dataDir>/evidence/`. */
  storage_name: string;
  key_id: string;
  /** Base64 AES-256-GCM nonce and tag. */
  iv: string;
  auth_tag: string;
  uploaded_by: string;
  uploaded_at: string;
}

export interface EvidenceCustodyTable {
  id: string;
  evidence_id: string;
  seq: number;
  event: 'upload' | 'view' | 'export' | 'verify';
  actor_person_id: string | null;
  actor_username: string;
  ip: string | null;
  sha256_seen: string | null;
  details: string | null;
  at: string;
  prev_hash: string;
  hash: string;
}

export interface RetentionRunTable {
  id: string;
  school_id: string;
  ran_at: string;
  /** A username, or `retention-job` when the schedule ran it. */
  ran_by: string;
  archived: number;
  /** JSON: counts per record type and the rules applied. */
  details: string;
}

export interface MonitorSourceTable {
  id: string;
  school_id: string;
  name: string;
  kind: 'capture' | 'syslog' | 'file';
  /** SHA-256 of the capture API key (hex); null for syslog and file sources. */
  key_hash: string | null;
  /** The key's first characters, shown so staff can tell keys apart. */
  key_hint: string | null;
  /** Syslog: the sender's address this source stands for. */
  address: string | null;
  /** Syslog and file: how the lines are written. */
  format: 'squid' | 'e2guardian' | 'text' | null;
  created_at: string;
  created_by: string | null;
  revoked_at: string | null;
  last_event_at: string | null;
}

export interface MonitorEventTable {
  id: string;
  school_id: string;
  at: string;
  received_at: string;
  source_id: string | null;
  source: string;
  kind: 'web' | 'email' | 'chat' | 'document' | 'typed' | 'search' | 'other';
  person_id: string | null;
  username: string | null;
  client_address: string | null;
  device: string | null;
  host: string | null;
  url: string | null;
  search_terms: string | null;
  text: string | null;
  blocked: number | null;
}

export interface MonitorTailPositionTable {
  path: string;
  /** Device and inode of the file read, so a rotated file is noticed. */
  file_id: string;
  byte_offset: number;
  updated_at: string;
}

export interface MonitorLibraryVersionTable {
  id: string;
  school_id: string;
  version: number;
  created_at: string;
  created_by: string | null;
  summary: string;
  entry_count: number;
  /** JSON array of KeywordEntry. */
  entries: string;
}

export interface MonitorAlertTable {
  id: string;
  school_id: string;
  person_id: string | null;
  /** The person's name when known, else the username or address the event carried. */
  who: string;
  profile: 'primary' | 'ks3' | 'ks4' | 'sixth_form' | 'staff' | 'unknown';
  category: string;
  severity: 'low' | 'medium' | 'high' | 'critical';
  /** The severity before risk accumulation raised it. */
  base_severity: 'low' | 'medium' | 'high' | 'critical';
  risk_raised: number;
  entry_id: string;
  term: string;
  /** The words of the original text that matched. */
  matched: string;
  source: string;
  event_kind: string;
  event_id: string | null;
  device: string | null;
  url: string | null;
  /** The text around the match; the match itself is excerpt[highlight_start, highlight_end). */
  excerpt: string;
  highlight_start: number;
  highlight_end: number;
  fold_key: string;
  count: number;
  first_at: string;
  last_at: string;
  status: 'open' | 'false_positive' | 'escalated' | 'closed';
  fp_reason: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
  incident_id: string | null;
  keywords_version: number;
  created_at: string;
}

export interface MonitorAlertNoteTable {
  id: string;
  alert_id: string;
  school_id: string;
  author_person_id: string;
  author_name: string;
  at: string;
  text: string;
}

export interface MonitorSettingsTable {
  school_id: string;
  /** JSON of MonitorSettings (src/monitor/settings.ts). */
  settings: string;
  updated_at: string;
  updated_by: string | null;
}

export interface MonitorReportTable {
  id: string;
  school_id: string;
  kind: 'daily' | 'weekly';
  period_start: string;
  period_end: string;
  created_at: string;
  /** JSON of the report's figures. */
  data: string;
  emailed_to: number;
}

export interface MonitorPurgeTable {
  id: string;
  school_id: string;
  ran_at: string;
  ran_by: string;
  activity_before: string;
  alerts_before: string;
  activity_deleted: number;
  events_deleted: number;
  alerts_deleted: number;
}

export const AGREEMENT_AUDIENCES = ['ks1', 'ks2', 'secondary', 'staff', 'parent', 'community'] as const;
export type AgreementAudience = (typeof AGREEMENT_AUDIENCES)[number];

export interface AgreementDocumentTable {
  id: string;
  school_id: string;
  audience: AgreementAudience;
  version: number;
  title: string;
  body_md: string;
  change_note: string;
  created_at: string;
  created_by: string | null;
}

export interface AgreementAcceptanceTable {
  id: string;
  school_id: string;
  document_id: string;
  audience: AgreementAudience;
  version: number;
  /** Whose agreement it is: the pupil, for a KS1 agreement a parent accepted. */
  person_id: string;
  /** Who clicked Accept. */
  accepted_by: string;
  on_behalf: number;
  accepted_at: string;
  address: string | null;
  device: string | null;
  /** The school year it counts for, e.g. `2026-27`. */
  school_year: string;
}

export interface AgreementSettingsTable {
  school_id: string;
  settings: string;
  updated_at: string;
  updated_by: string | null;
}

export const IMAGE_USES = ['website', 'social_media', 'press', 'displays', 'video'] as const;
export type ImageUse = (typeof IMAGE_USES)[number];

export interface ImageConsentTable {
  school_id: string;
  student_id: string;
  use: ImageUse;
  granted: number;
  changed_by: string;
  changed_at: string;
}

export interface ImageConsentChangeTable {
  id: string;
  school_id: string;
  student_id: string;
  use: ImageUse;
  granted: number;
  changed_by: string;
  changed_at: string;
  address: string | null;
  note: string | null;
}

export const TRAINING_KINDS = ['induction', 'annual_refresher', 'dsl', 'external'] as const;
export type TrainingKind = (typeof TRAINING_KINDS)[number];

export interface TrainingRecordTable {
  id: string;
  school_id: string;
  person_id: string;
  kind: TrainingKind;
  title: string;
  provider: string;
  /** Calendar dates, YYYY-MM-DD. */
  completed_on: string;
  expires_on: string | null;
  /** A certificate reference or a link to it. */
  evidence: string | null;
  created_at: string;
  created_by: string | null;
  import_id: string | null;
}

export const POLICY_STATUSES = ['draft', 'approved'] as const;
export type PolicyStatus = (typeof POLICY_STATUSES)[number];

export interface PolicyVersionTable {
  id: string;
  school_id: string;
  version: number;
  title: string;
  body_md: string;
  change_note: string;
  status: PolicyStatus;
  created_at: string;
  created_by: string | null;
  monitoring_cycle: string;
  review_months: number;
  /** Calendar dates, YYYY-MM-DD. */
  approved_on: string | null;
  approved_by_body: string | null;
  minute_ref: string | null;
  approval_recorded_by: string | null;
  approval_recorded_at: string | null;
  next_review_on: string | null;
  /** JSON of the generated tables at approval. */
  approved_tables: string | null;
  due_reminder_for: string | null;
  overdue_reminder_for: string | null;
}

export interface PolicySettingsTable {
  school_id: string;
  settings: string;
  updated_at: string;
  updated_by: string | null;
}

export type FilterReviewStatus = 'open' | 'signed_off';

export interface FilterReviewTable {
  id: string;
  school_id: string;
  title: string;
  status: FilterReviewStatus;
  slt_person_id: string | null;
  governor_person_id: string | null;
  dsl_person_id: string | null;
  it_lead_person_id: string | null;
  /** JSON */
  checklist: string;
  decisions: string;
  /** JSON */
  actions: string;
  started_at: string;
  started_by: string | null;
  updated_at: string;
  signed_off_at: string | null;
  signed_off_by: string | null;
  signoff_note: string | null;
}

export interface FilterReviewCheckTable {
  id: string;
  review_id: string;
  school_id: string;
  run_id: string;
  run_at: string;
  run_by: string | null;
  category: string;
  profile_id: string | null;
  profile_name: string;
  target: string;
  expected: 'block' | 'allow';
  outcome: string;
  rule: string | null;
  passed: number;
  detail: string;
}

export interface DB {
  trusts: TrustTable;
  schools: SchoolTable;
  people: PersonTable;
  person_roles: PersonRoleTable;
  groups: GroupTable;
  group_members: GroupMemberTable;
  guardians: GuardianTable;
  accounts: AccountTable;
  account_identities: AccountIdentityTable;
  sessions: SessionTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  import_runs: ImportRunTable;
  settings: SettingTable;
  filter_settings: FilterSettingsTable;
  filter_profiles: FilterProfileTable;
  filter_matrix: FilterMatrixTable;
  filter_profile_assignments: FilterProfileAssignmentTable;
  filter_windows: FilterWindowTable;
  filter_holidays: FilterHolidayTable;
  filter_list_entries: FilterListEntryTable;
  filter_exceptions: FilterExceptionTable;
  filter_unblock_requests: FilterUnblockRequestTable;
  filter_sanctions: FilterSanctionTable;
  filter_devices: FilterDeviceTable;
  filter_subnets: FilterSubnetTable;
  filter_address_signins: FilterAddressSignInTable;
  filter_reports: FilterReportTable;
  filter_change_log: FilterChangeLogTable;
  filter_category_lists: FilterCategoryListTable;
  filter_list_imports: FilterListImportTable;
  activity_events: ActivityEventTable;
  notifications: NotificationTable;
  incidents: IncidentTable;
  incident_people: IncidentPersonTable;
  incident_entries: IncidentEntryTable;
  incident_links: IncidentLinkTable;
  incident_actions: IncidentActionTable;
  incident_matrix: IncidentMatrixTable;
  incident_parent_contacts: IncidentParentContactTable;
  incident_investigations: IncidentInvestigationTable;
  incident_investigators: IncidentInvestigatorTable;
  incident_evidence: IncidentEvidenceTable;
  evidence_custody: EvidenceCustodyTable;
  retention_runs: RetentionRunTable;
  monitor_sources: MonitorSourceTable;
  monitor_events: MonitorEventTable;
  monitor_tail_positions: MonitorTailPositionTable;
  monitor_library_versions: MonitorLibraryVersionTable;
  monitor_alerts: MonitorAlertTable;
  monitor_alert_notes: MonitorAlertNoteTable;
  monitor_settings: MonitorSettingsTable;
  monitor_reports: MonitorReportTable;
  monitor_purges: MonitorPurgeTable;
  agreement_documents: AgreementDocumentTable;
  agreement_acceptances: AgreementAcceptanceTable;
  agreement_settings: AgreementSettingsTable;
  image_consents: ImageConsentTable;
  image_consent_changes: ImageConsentChangeTable;
  training_records: TrainingRecordTable;
  policy_versions: PolicyVersionTable;
  policy_settings: PolicySettingsTable;
  filter_reviews: FilterReviewTable;
  filter_review_checks: FilterReviewCheckTable;
}

export type Person = Selectable<PersonTable>;
export type NewPerson = Insertable<PersonTable>;
export type PersonUpdate = Updateable<PersonTable>;
export type Group = Selectable<GroupTable>;
export type Account = Selectable<AccountTable>;
export type Session = Selectable<SessionTable>;
export type School = Selectable<SchoolTable>;
export type AuditEntry = Selectable<AuditLogTable>;

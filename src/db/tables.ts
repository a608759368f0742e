import type { Insertable, Selectable, Updateable } from 'kysely';

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
}

export type Person = Selectable<PersonTable>;
export type NewPerson = Insertable<PersonTable>;
export type PersonUpdate = Updateable<PersonTable>;
export type Group = Selectable<GroupTable>;
export type Account = Selectable<AccountTable>;
export type Session = Selectable<SessionTable>;
export type School = Selectable<SchoolTable>;
export type AuditEntry = Selectable<AuditLogTable>;

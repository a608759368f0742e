/** Roles from the schools' e-safety policies. A person can hold several. Ids are stable. */
export const ROLES = ['student', 'parent', 'staff', 'dsl', 'network_manager', 'head', 'hr', 'governor', 'trust_admin', 'guest'] as const;

export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  student: 'Student / pupil',
  parent: 'Parent / carer',
  staff: 'Teaching and support staff',
  dsl: 'Designated safeguarding lead',
  network_manager: 'Network manager / technical staff',
  head: 'Headteacher / senior leadership',
  hr: 'HR',
  governor: 'Governor',
  trust_admin: 'Trust administrator',
  guest: 'Guest / community user',
};

/** Roles whose holders must sign in with a second factor. */
export const TOTP_REQUIRED_ROLES: readonly Role[] = ['dsl', 'head', 'hr', 'network_manager', 'trust_admin'];

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

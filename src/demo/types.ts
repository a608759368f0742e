import type { Role } from '../access/roles.js';
import type { GroupKind, GroupMemberTable } from '../db/tables.js';
import type { PersonInput } from '../directory/setup.js';

/*
 * The demo school as plain data, built before anything is written: generating it needs no
 * database, and the writer can insert it in large batches.
 */

export type PlannedPerson = Omit<PersonInput, 'schoolId' | 'roles'> & { roles: Role[] };

export interface PlannedGroup {
  kind: GroupKind;
  code: string;
  name: string;
  yearGroup: number | null;
  subject: string | null;
  members: { person: PlannedPerson; role: GroupMemberTable['member_role'] }[];
}

export interface PlannedGuardian {
  parent: PlannedPerson;
  student: PlannedPerson;
  relationship: 'Mother' | 'Father' | 'Carer' | 'Grandparent' | 'Step-parent';
  parentalResponsibility: boolean;
  priority: 1 | 2;
}

export interface PlannedAccount {
  username: string;
  person: PlannedPerson;
  /** The role the account is there to show. */
  role: Role;
  description: string;
}

export interface DemoPlan {
  trustName: string;
  schoolName: string;
  urn: string;
  people: PlannedPerson[];
  groups: PlannedGroup[];
  guardians: PlannedGuardian[];
  accounts: PlannedAccount[];
}

import type { Kysely } from 'kysely';
import type { DB } from '../db/tables.js';
import { loadFilterPolicy } from '../filter/policy/load.js';
import { listMatrix } from '../safeguarding/response/matrix.js';
import { loadCommunications } from './settings.js';
import { sanctionsTables, userActionsTables } from './tables.js';
import type { PolicyTables } from './wire.js';

/** The policy's tables as the filter, the incident response and the school's settings stand now. */
export async function livePolicyTables(db: Kysely<DB>, schoolId: string, now: Date): Promise<PolicyTables> {
  const policy = await loadFilterPolicy(db, schoolId, now);
  const [groups, assignments, communications, student, staff] = await Promise.all([
    db.selectFrom('groups').select(['id', 'name']).where('school_id', '=', schoolId).where('status', '=', 'active').execute(),
    db
      .selectFrom('filter_profile_assignments')
      .select(['profile_id', 'subject_id'])
      .where('school_id', '=', schoolId)
      .where('subject_kind', '=', 'group')
      .execute(),
    loadCommunications(db, schoolId),
    listMatrix(db, schoolId, 'student', now),
    listMatrix(db, schoolId, 'staff', now),
  ]);
  const groupNames = new Map(groups.map((g) => [g.id, g.name]));
  const assignedGroups = new Map<string, string[]>();
  for (const a of assignments) {
    if (groupNames.has(a.subject_id)) assignedGroups.set(a.profile_id, [...(assignedGroups.get(a.profile_id) ?? []), a.subject_id]);
  }
  return {
    userActions: userActionsTables(policy, { groupNames, assignedGroups }),
    communications,
    sanctions: sanctionsTables(student, staff),
  };
}

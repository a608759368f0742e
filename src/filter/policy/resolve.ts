import type { GroupKind, PersonKind } from '../../db/tables.js';
import type { KeyStage } from '../../directory/key-stage.js';

/** Roles that make a person staff to the filter (and let them ask for an unblock). */
export const STAFF_ROLES: readonly string[] = ['staff', 'dsl', 'network_manager', 'head', 'hr', 'trust_admin'];

/**
 * The default profile key for a person with no assignment, from their kind, year and roles.
 *
 * @example
 *   defaultProfileKey({ kind: 'student', yearGroup: 8, roles: [] }, 'secondary'); // 'ks3'
 */
export function defaultProfileKey(
  person: { kind: PersonKind; yearGroup: number | null; roles: readonly string[] },
  schoolPhase: string,
): string {
  if (person.kind === 'student') {
    const y = person.yearGroup;
    if (y === null) return schoolPhase === 'primary' ? 'primary' : 'ks3';
    if (y <= 6) return 'primary';
    if (y <= 9) return 'ks3';
    if (y <= 11) return 'ks4';
    return 'sixth_form';
  }
  if (person.kind === 'staff' || person.kind === 'governor') return 'staff';
  if (person.roles.some((r) => STAFF_ROLES.includes(r))) return 'staff';
  return 'guest';
}

/**
 * When several of a person's groups carry a profile, the most specific group wins: a class
 * or custom group says more about the person than their year, and the year more than the
 * key stage.
 */
export const GROUP_SPECIFICITY: Record<GroupKind, number> = {
  custom: 0,
  class: 1,
  tutor_group: 2,
  staff_team: 3,
  year_group: 4,
  key_stage: 5,
};

export const derivedGroupKey = (kind: GroupKind, code: string, yearGroup: number | null): string | null =>
  kind === 'year_group' && yearGroup !== null ? `Y${yearGroup}` : kind === 'key_stage' ? (code as KeyStage) : null;

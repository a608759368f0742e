import type { Block } from '../export/document.js';
import { CATEGORIES, LOCKED_CATEGORIES } from '../filter/categories.js';
import type { FilterPolicy, MatrixCell, WindowKind } from '../filter/model.js';
import type { MatrixRow } from '../safeguarding/response/matrix.js';
import { STAFF_ACTIONS, STUDENT_ACTIONS } from '../safeguarding/response/catalogue.js';
import {
  COMMUNICATION_LEVEL_NAMES,
  type CommunicationRow,
  POLICY_TABLE_NAMES,
  type PolicyTableName,
  type PolicyTables,
  type SanctionsTable,
  STAFF_COMMUNICATION_LEVELS,
  STUDENT_COMMUNICATION_LEVELS,
  USER_ACTION_COLUMNS,
  USER_ACTION_LEVELS,
  type UserActionLevel,
  type UserActionRow,
  type UserActionsTable,
} from './wire.js';

/*
 * The policy's tables as pure functions of the configuration the filter and the incident
 * response already enforce: nothing here reads the database, so what the document prints is
 * exactly what was loaded.
 */

const WINDOW_WORDS: Record<WindowKind, string> = {
  before_school: 'before school',
  lessons: 'lessons',
  break: 'break',
  lunch: 'lunchtime',
  after_school: 'after school',
  evening: 'evening',
  weekend: 'weekends',
  holiday: 'holidays',
};

const peopleCount = (n: number) => (n === 1 ? '1 person' : `${n} people`);

function cellRow(cell: MatrixCell, groupNames: ReadonlyMap<string, string>): { level: UserActionLevel; detail: string | null } {
  const details: string[] = [];
  if (cell.level === 'at_certain_times') {
    const windows = cell.windows ?? [];
    details.push(windows.length > 0 ? windows.map((w) => WINDOW_WORDS[w]).join(', ') : 'no times set');
  }
  if (cell.level === 'nominated_users') {
    const groups = (cell.nominatedGroupIds ?? []).map((id) => groupNames.get(id) ?? 'a group no longer active');
    const people = cell.nominatedPersonIds?.length ?? 0;
    const who = [...groups, ...(people > 0 ? [`${peopleCount(people)} named`] : [])];
    details.push(who.length > 0 ? who.join(', ') : 'nobody nominated yet');
  }
  if (cell.warn && (cell.level === 'acceptable' || cell.level === 'at_certain_times' || cell.level === 'nominated_users')) {
    details.push('warning page first');
  }
  return { level: cell.level, detail: details.length > 0 ? details.join('; ') : null };
}

/**
 * One User Actions table per filter profile. A locked category is always "Unacceptable and
 * illegal", whatever its cell says; a category missing from a profile's matrix falls to the
 * profile's default, as it does in the filter.
 */
export function userActionsTables(
  policy: FilterPolicy,
  groups: { groupNames: ReadonlyMap<string, string>; assignedGroups: ReadonlyMap<string, string[]> },
): UserActionsTable[] {
  return policy.profiles.map((profile) => {
    const rows = CATEGORIES.map((category): UserActionRow => {
      const base = { category: category.id, label: category.label };
      if (LOCKED_CATEGORIES.includes(category.id)) return { ...base, level: 'illegal', detail: 'locked list' };
      const cell = profile.matrix[category.id];
      if (!cell) {
        return { ...base, level: profile.defaultAction === 'allow' ? 'acceptable' : 'unacceptable', detail: "the profile's default" };
      }
      return { ...base, ...cellRow(cell, groups.groupNames) };
    });
    return {
      profileId: profile.id,
      profileKey: profile.key,
      profileName: profile.name,
      groups: (groups.assignedGroups.get(profile.id) ?? []).map((id) => groups.groupNames.get(id) ?? id).sort(),
      people: policy.people.filter((p) => p.profileId === profile.id).length,
      rows,
    };
  });
}

export function sanctionsTables(student: readonly MatrixRow[], staff: readonly MatrixRow[]): SanctionsTable[] {
  const table = (audience: 'student' | 'staff', rows: readonly MatrixRow[]): SanctionsTable => ({
    audience,
    columns: (audience === 'student' ? STUDENT_ACTIONS : STAFF_ACTIONS).map((a) => ({ id: a.id, label: a.label })),
    rows: rows.map((r) => ({ incidentType: r.incidentType, label: r.label, actions: [...r.actions] })),
  });
  return [table('student', student), table('staff', staff)];
}

/**
 * The parts of each table that governors approve: who a profile applies to and how many people
 * are in it change with the school roll, not with the policy, so they are left out.
 */
function approvedPart(tables: PolicyTables, name: PolicyTableName): unknown {
  switch (name) {
    case 'userActions':
      return tables.userActions.map((t) => ({ key: t.profileKey, name: t.profileName, rows: t.rows }));
    case 'communications':
      return tables.communications;
    case 'sanctions':
      return tables.sanctions.map((t) => ({ audience: t.audience, rows: t.rows }));
  }
}

/** The tables whose content differs between what governors approved and what is live now. */
export function changedTables(approved: PolicyTables, live: PolicyTables): PolicyTableName[] {
  return POLICY_TABLE_NAMES.filter((name) => JSON.stringify(approvedPart(approved, name)) !== JSON.stringify(approvedPart(live, name)));
}

const mark = (on: boolean, detail: string | null = null) => (on ? (detail ? `X (${detail})` : 'X') : '');

export function userActionsBlocks(tables: readonly UserActionsTable[]): Block[] {
  return tables.map((t): Block => {
    const who = [t.groups.length > 0 ? `assigned to ${t.groups.join(', ')}` : null, `applies to ${peopleCount(t.people)}`]
      .filter(Boolean)
      .join('; ');
    return {
      kind: 'table',
      caption: `User Actions: ${t.profileName} (${who})`,
      columns: ['Category', ...USER_ACTION_LEVELS.map((l) => USER_ACTION_COLUMNS[l])],
      rows: t.rows.map((r) => [r.label, ...USER_ACTION_LEVELS.map((l) => mark(r.level === l, r.detail))]),
      widths: [3, 1.2, 1.4, 1.4, 1.2, 1.2],
      note: "Generated from the live filter configuration, one table for each of the filter's profiles.",
    };
  });
}

export function communicationsBlocks(rows: readonly CommunicationRow[]): Block[] {
  const columns = [
    'Communication technologies',
    ...STAFF_COMMUNICATION_LEVELS.map((l) => `Staff & other adults: ${l}`),
    ...STUDENT_COMMUNICATION_LEVELS.map((l) => `Students: ${l}`),
  ];
  const key = Object.entries(COMMUNICATION_LEVEL_NAMES)
    .map(([k, v]) => `${k} = ${v}`)
    .join('; ');
  return [
    {
      kind: 'table',
      caption: 'Communication technologies',
      columns,
      rows: rows.map((r) => [
        r.label,
        ...STAFF_COMMUNICATION_LEVELS.map((l) => mark(r.staff === l)),
        ...STUDENT_COMMUNICATION_LEVELS.map((l) => mark(r.students === l)),
      ]),
      widths: [4, 1, 1, 1, 1, 1, 1, 1, 1],
      note: key,
    },
  ];
}

export function sanctionsBlocks(tables: readonly SanctionsTable[]): Block[] {
  return tables.map(
    (t): Block => ({
      kind: 'table',
      caption: t.audience === 'student' ? 'Actions and sanctions: students' : 'Actions and sanctions: staff',
      columns: ['Incidents', ...t.columns.map((c) => c.label)],
      rows: t.rows.map((r) => [r.label, ...t.columns.map((c) => mark(r.actions.includes(c.id)))]),
      widths: [3, ...t.columns.map(() => 1)],
      note: "Generated from the school's incident response matrix.",
    }),
  );
}

import type { Selectable } from 'kysely';
import type { CategoryId } from '../categories.js';
import type { FilterMatrixTable, FilterProfileTable } from '../../db/tables.js';
import type { Level, MatrixCell, Profile, WindowKind } from '../model.js';

/* Row ⇄ model conversions for the policy tables, so column names stay in this folder. */

export const parseJson = <T>(text: string | null, fallback: T): T => {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
};

export function matrixRow(profileId: string, category: string, cell: MatrixCell): Selectable<FilterMatrixTable> {
  return {
    profile_id: profileId,
    category,
    level: cell.level,
    windows: JSON.stringify(cell.level === 'at_certain_times' ? (cell.windows ?? []) : []),
    nominated_person_ids: JSON.stringify(cell.level === 'nominated_users' ? (cell.nominatedPersonIds ?? []) : []),
    nominated_group_ids: JSON.stringify(cell.level === 'nominated_users' ? (cell.nominatedGroupIds ?? []) : []),
    warn: cell.warn ? 1 : 0,
  };
}

export function cellOf(row: Selectable<FilterMatrixTable>): MatrixCell {
  return {
    level: row.level as Level,
    windows: parseJson<WindowKind[]>(row.windows, []),
    nominatedPersonIds: parseJson<string[]>(row.nominated_person_ids, []),
    nominatedGroupIds: parseJson<string[]>(row.nominated_group_ids, []),
    warn: row.warn === 1,
  };
}

export function profileOf(row: Selectable<FilterProfileTable>, cells: Selectable<FilterMatrixTable>[]): Profile {
  const matrix: Profile['matrix'] = {};
  for (const cell of cells) matrix[cell.category as CategoryId] = cellOf(cell);
  return {
    id: row.id,
    schoolId: row.school_id,
    key: row.key,
    name: row.name,
    defaultAction: row.default_action,
    matrix,
    version: Number(row.version),
  };
}

export { personName } from '../../directory/names.js';

/** Groups items by a key (Map.groupBy arrives only in Node 21). */
export function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

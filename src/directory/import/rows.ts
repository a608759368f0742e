import { KIND_FIELDS, type ImportKind } from './kinds.js';
import type { CsvRow } from './parse.js';
import type { ImportProblem } from './report.js';
import type { Parsed } from './values.js';

/** Longest value any imported text field may hold; longer means the columns are misaligned. */
const MAX_VALUE_LENGTH = 254;

/**
 * Reads one row's cells by field. `undefined` means the field's column is not mapped (leave
 * the stored value alone); `null` means the cell is blank (clear it).
 */
export interface RowReader {
  readonly line: number;
  /** A value that must be present; records a problem and returns null when blank. */
  required(field: string): string | null;
  optional(field: string): string | null | undefined;
  requiredParsed<T>(field: string, parse: (value: string) => Parsed<T>): T | null;
  optionalParsed<T>(field: string, parse: (value: string) => Parsed<T>): T | null | undefined;
  /** True while no problem has been recorded for this row. */
  readonly valid: boolean;
}

export function rowReader(kind: ImportKind, row: CsvRow, columns: Map<string, number>, problems: ImportProblem[]): RowReader {
  let valid = true;
  const labelOf = (field: string) => KIND_FIELDS[kind].find((s) => s.field === field)?.label ?? field;
  const problem = (field: string, reason: string) => {
    valid = false;
    problems.push({ line: row.line, field, reason });
  };
  const raw = (field: string): string | undefined => {
    const index = columns.get(field);
    if (index === undefined) return undefined;
    const value = (row.values[index] ?? '').trim();
    if (value.length > MAX_VALUE_LENGTH) {
      problem(field, `${labelOf(field)} is longer than ${MAX_VALUE_LENGTH} characters`);
      return '';
    }
    return value;
  };
  const parsed = <T>(field: string, value: string, parse: (value: string) => Parsed<T>): T | null => {
    const result = parse(value);
    if (result.ok) return result.value;
    problem(field, result.reason);
    return null;
  };
  return {
    line: row.line,
    get valid() {
      return valid;
    },
    required(field) {
      const value = raw(field);
      if (value) return value;
      problem(field, `missing ${labelOf(field)}`);
      return null;
    },
    optional(field) {
      const value = raw(field);
      return value === undefined ? undefined : value || null;
    },
    requiredParsed(field, parse) {
      const value = this.required(field);
      return value === null ? null : parsed(field, value, parse);
    },
    optionalParsed(field, parse) {
      const value = this.optional(field);
      return value === undefined || value === null ? value : parsed(field, value, parse);
    },
  };
}

/**
 * Reports every line whose key appears on more than one line, naming all of them, so the
 * school can see which two records clash.
 */
export function reportDuplicates<T extends { line: number }>(
  records: readonly T[],
  keyOf: (record: T) => string,
  describe: (record: T) => string,
  field: string,
  problems: ImportProblem[],
): void {
  const lines = new Map<string, T[]>();
  for (const r of records) {
    const key = keyOf(r);
    const list = lines.get(key);
    if (list) list.push(r);
    else lines.set(key, [r]);
  }
  for (const group of lines.values()) {
    if (group.length < 2) continue;
    const where = group.map((r) => r.line);
    const listed = `${where.slice(0, -1).join(', ')} and ${where.at(-1)}`;
    for (const r of group) {
      problems.push({ line: r.line, field, reason: `duplicate ${describe(r)}: it appears on lines ${listed}` });
    }
  }
}

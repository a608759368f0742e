import type { DetectedEncoding } from './decode.js';
import type { ImportKind } from './kinds.js';

export interface ImportProblem {
  /** 1-based line of the file; 1 is the header row. */
  line: number;
  reason: string;
  field?: string;
}

export type FieldValue = string | number | boolean | null;

export interface FieldChange {
  field: string;
  before: FieldValue;
  after: FieldValue;
}

export interface ImportChange {
  line?: number;
  action: 'create' | 'update' | 'leave';
  /** The person's MIS id, or the class code for a classes import. */
  misId: string;
  name: string;
  fields?: FieldChange[];
}

export interface ImportReport {
  kind: ImportKind;
  dryRun: boolean;
  encoding: DetectedEncoding | null;
  fileName: string;
  /** Field → the column heading it was read from, or null when not imported. */
  mapping: Record<string, string | null>;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  /** People marked as left (or classes archived) because the full file no longer lists them. */
  left: number;
  /** Groups made or changed along the way: tutor groups, staff teams, classes. */
  groups: { created: number; updated: number; archived: number };
  errors: ImportProblem[];
  errorCount: number;
  changes: ImportChange[];
  /** How many changes there are in all; `changes` lists at most CHANGE_LIST_LIMIT of them. */
  changeCount: number;
  status: 'dry_run' | 'applied' | 'rejected';
  importRunId: string;
}

/** Lists stay small enough for a browser to show; the counts always cover every row. */
export const CHANGE_LIST_LIMIT = 500;
export const ERROR_LIST_LIMIT = 500;

/** Tallies what an import does to its main records (people, or classes) while it is planned. */
export class ChangeTally {
  created = 0;
  updated = 0;
  unchanged = 0;
  left = 0;
  readonly groups = { created: 0, updated: 0, archived: 0 };
  readonly changes: ImportChange[] = [];
  changeCount = 0;

  add(change: ImportChange): void {
    if (change.action === 'create') this.created += 1;
    else if (change.action === 'update') this.updated += 1;
    else this.left += 1;
    this.changeCount += 1;
    if (this.changes.length < CHANGE_LIST_LIMIT) this.changes.push(change);
  }

  /** Records the outcome for one record: unchanged when nothing differs. */
  outcome(change: Omit<ImportChange, 'action'> & { isNew: boolean }): void {
    const { isNew, ...rest } = change;
    if (isNew) this.add({ ...rest, action: 'create', fields: undefined });
    else if (rest.fields?.length) this.add({ ...rest, action: 'update' });
    else this.unchanged += 1;
  }
}

/** Problems sorted by line, so the list reads top to bottom like the file. */
export const sortProblems = (problems: ImportProblem[]): ImportProblem[] => [...problems].sort((a, b) => a.line - b.line);

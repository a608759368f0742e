/** What changes between the list in force and a new one (both sorted), for the import report. */

export const MAX_EXAMPLES = 20;

export interface EntryDiff {
  added: number;
  removed: number;
  addedExamples: string[];
  removedExamples: string[];
}

/**
 * Additions and removals of one category, with up to 20 examples of each, by walking both
 * sorted lists once (the first import of the full UT1 set adds millions of entries).
 */
export function diffEntries(before: readonly string[], after: readonly string[]): EntryDiff {
  const diff: EntryDiff = { added: 0, removed: 0, addedExamples: [], removedExamples: [] };
  const add = (entry: string) => {
    diff.added += 1;
    if (diff.addedExamples.length < MAX_EXAMPLES) diff.addedExamples.push(entry);
  };
  const remove = (entry: string) => {
    diff.removed += 1;
    if (diff.removedExamples.length < MAX_EXAMPLES) diff.removedExamples.push(entry);
  };
  let i = 0;
  let j = 0;
  while (i < before.length && j < after.length) {
    const b = before[i]!;
    const a = after[j]!;
    if (b === a) {
      i += 1;
      j += 1;
    } else if (b < a) {
      remove(b);
      i += 1;
    } else {
      add(a);
      j += 1;
    }
  }
  for (; i < before.length; i++) remove(before[i]!);
  for (; j < after.length; j++) add(after[j]!);
  return diff;
}

/** How much smaller `after` is than `before`, in percent; 0 when it grew or there was nothing. */
export function shrinkPercent(before: number, after: number): number {
  if (before <= 0 || after >= before) return 0;
  return Math.round(((before - after) / before) * 1000) / 10;
}

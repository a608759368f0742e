import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { INCIDENT_CATEGORY_IDS } from '../categories.js';
import {
  DEFAULT_STAFF_MATRIX,
  DEFAULT_STUDENT_MATRIX,
  type MatrixRowDefault,
  STAFF_ACTIONS,
  STUDENT_ACTIONS,
  SUGGESTED_TYPE,
} from './catalogue.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SEEDS = path.resolve(REPO_ROOT, '..', 'shared', 'seeds');

/**
 * The rows of the tab-separated table that starts at the `heading` line of seed 002: each row
 * is its text and the columns marked X. Blank lines inside the table are skipped.
 */
function seedTable(heading: string): { text: string; marked: number[] }[] {
  const file = readdirSync(SEEDS).find((f) => f.startsWith('002_'));
  assert.ok(file, 'seed 002 is present');
  const lines = readFileSync(path.join(SEEDS, file), 'utf8').split('\n');
  const start = lines.findIndex((l, i) => l.trim() === heading && lines.slice(i + 1).some((n) => n.startsWith('Incidents:\t')));
  const header = lines.findIndex((l, i) => i > start && l.startsWith('Incidents:\t'));
  const rows: { text: string; marked: number[] }[] = [];
  for (const line of lines.slice(header + 1)) {
    if (line.trim() === '') continue;
    if (!line.includes('\t')) break;
    const [text, ...cells] = line.split('\t');
    rows.push({ text: text!.trim(), marked: cells.flatMap((c, i) => (c.trim() === 'X' ? [i] : [])) });
  }
  return rows;
}

function assertMatches(
  defaults: readonly MatrixRowDefault[],
  seed: { text: string; marked: number[] }[],
  columns: readonly { id: string }[],
) {
  assert.equal(defaults.length, seed.length, 'one default row per seed row');
  seed.forEach((row, i) => {
    const mine = defaults[i]!;
    const words = (s: string) =>
      s
        .toLowerCase()
        .replace(/[^a-z ]/g, '')
        .split(/\s+/)
        .slice(0, 6)
        .join(' ');
    assert.equal(words(mine.label), words(row.text), `row ${i} is the same incident`);
    assert.deepEqual(
      [...mine.actions],
      row.marked.map((c) => columns[c]!.id),
      `row ${i} (${mine.incidentType}) has exactly the seed's marked actions`,
    );
  });
}

describe('the default actions-and-sanctions matrix', () => {
  it('equals the students table of seed 002, row by row and mark by mark', () => {
    const seed = seedTable('Students / Pupils Actions');
    assertMatches(DEFAULT_STUDENT_MATRIX, seed, STUDENT_ACTIONS);
    // Spot checks that read like the policy, so a reviewer can see the parse is right.
    const row = (id: string) => DEFAULT_STUDENT_MATRIX.find((r) => r.incidentType === id)!.actions;
    assert.deepEqual(row('downloading_uploading'), ['refer_class_teacher', 'warning']);
    assert.deepEqual(row('proxy_subversion'), ['refer_head_of_year', 'refer_technical']);
    assert.ok(row('illegal_material').includes('refer_police'));
  });

  it('equals the staff table of seed 002, row by row and mark by mark', () => {
    const seed = seedTable('Staff');
    assertMatches(DEFAULT_STAFF_MATRIX, seed, STAFF_ACTIONS);
    const row = (id: string) => DEFAULT_STAFF_MATRIX.find((r) => r.incidentType === id)!.actions;
    assert.deepEqual(row('copyright_licensing'), ['refer_line_manager', 'warning']);
    assert.deepEqual(row('illegal_material'), ['refer_headteacher', 'refer_la_hr', 'refer_police', 'suspension', 'disciplinary_action']);
  });

  it('has unique incident types and suggests an existing row for every category and audience', () => {
    for (const matrix of [DEFAULT_STUDENT_MATRIX, DEFAULT_STAFF_MATRIX]) {
      assert.equal(new Set(matrix.map((r) => r.incidentType)).size, matrix.length);
    }
    for (const category of INCIDENT_CATEGORY_IDS) {
      assert.ok(
        DEFAULT_STUDENT_MATRIX.some((r) => r.incidentType === SUGGESTED_TYPE[category].student),
        category,
      );
      assert.ok(
        DEFAULT_STAFF_MATRIX.some((r) => r.incidentType === SUGGESTED_TYPE[category].staff),
        category,
      );
    }
  });
});

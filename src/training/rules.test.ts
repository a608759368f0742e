import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TrainingKind } from '../db/tables.js';
import { addYears, datesProblem, effectiveExpiry, kindStatus, personStatus, schoolToday } from './rules.js';

const TODAY = '2026-11-24';
let n = 0;
const rec = (kind: TrainingKind, completed_on: string, expires_on: string | null = null) => ({
  id: `r${++n}`,
  kind,
  completed_on,
  expires_on,
});
const state = (kind: 'induction' | 'annual_refresher' | 'dsl', records: ReturnType<typeof rec>[]) => kindStatus(kind, records, TODAY).state;

describe('training status rules', () => {
  it('puts a refresher overdue on its expiry date, due soon within 30 days, up to date beyond', () => {
    assert.equal(state('annual_refresher', [rec('annual_refresher', '2025-11-24')]), 'overdue', 'expires today');
    assert.equal(kindStatus('annual_refresher', [rec('annual_refresher', '2025-11-24')], TODAY).reason, 'expired');
    assert.equal(state('annual_refresher', [rec('annual_refresher', '2025-11-25')]), 'due_soon', 'expires tomorrow');
    assert.equal(state('annual_refresher', [rec('annual_refresher', '2025-12-24')]), 'due_soon', 'expires in exactly 30 days');
    assert.equal(state('annual_refresher', [rec('annual_refresher', '2025-12-25')]), 'up_to_date', 'expires in 31 days');
    assert.equal(state('annual_refresher', []), 'overdue');
    assert.equal(kindStatus('annual_refresher', [], TODAY).reason, 'missing');
  });

  it('gives DSL training two years, and an entered expiry wins over the default', () => {
    assert.equal(effectiveExpiry(rec('dsl', '2024-11-24')), '2026-11-24');
    assert.equal(state('dsl', [rec('dsl', '2024-11-24')]), 'overdue', 'two years ago today');
    assert.equal(state('dsl', [rec('dsl', '2024-11-25')]), 'due_soon');
    assert.equal(state('dsl', [rec('dsl', '2024-12-25')]), 'up_to_date');
    assert.equal(state('dsl', [rec('dsl', '2026-01-05', '2026-11-24')]), 'overdue', 'the entered expiry counts');
    assert.equal(state('dsl', [rec('annual_refresher', '2026-10-01')]), 'overdue', 'another kind does not count');
  });

  it('keeps an induction for good unless an expiry was entered, and the longest-lasting record decides', () => {
    assert.equal(state('induction', [rec('induction', '2001-09-03')]), 'up_to_date');
    assert.equal(state('induction', [rec('induction', '2020-09-03', '2026-12-01')]), 'due_soon');
    const old = rec('annual_refresher', '2024-10-01');
    const fresh = rec('annual_refresher', '2026-10-01');
    const best = kindStatus('annual_refresher', [old, fresh], TODAY);
    assert.deepEqual([best.state, best.recordId, best.expiresOn], ['up_to_date', fresh.id, '2027-10-01']);
  });

  it('requires DSL training of a DSL only, and external courses count for nothing', () => {
    const records = [rec('induction', '2020-09-01'), rec('annual_refresher', '2026-09-01'), rec('external', '2026-10-01')];
    assert.deepEqual(personStatus(false, records, TODAY).state, 'up_to_date');
    const dsl = personStatus(true, records, TODAY);
    assert.deepEqual([dsl.state, dsl.overdue, dsl.dueSoon], ['overdue', ['dsl'], []]);
    const externalOnly = personStatus(false, [rec('external', '2026-10-01')], TODAY);
    assert.deepEqual(externalOnly.overdue, ['induction', 'annual_refresher']);
  });

  it('adds years across 29 February, and knows the school’s date at midnight in summer', () => {
    assert.equal(addYears('2024-02-29', 1), '2025-02-28');
    assert.equal(addYears('2024-02-29', 4), '2028-02-29');
    assert.equal(schoolToday(new Date('2026-06-30T23:30:00Z')), '2026-07-01', 'BST is an hour ahead of UTC');
    assert.equal(schoolToday(new Date('2026-12-31T23:30:00Z')), '2026-12-31');
  });

  it('refuses impossible and inconsistent dates with a reason', () => {
    assert.match(datesProblem('2026-02-30', null, TODAY) ?? '', /not a real date/);
    assert.match(datesProblem('2026-13-01', null, TODAY) ?? '', /not a real date/);
    assert.match(datesProblem('26-11-2026', null, TODAY) ?? '', /not a real date/);
    assert.equal(datesProblem('2026-11-25', null, TODAY), null, 'a day ahead is allowed');
    assert.match(datesProblem('2026-11-26', null, TODAY) ?? '', /in the future/);
    assert.match(datesProblem('2026-10-01', '2026-09-30', TODAY) ?? '', /not after the completion date/);
    assert.match(datesProblem('2026-10-01', '2026-10-01', TODAY) ?? '', /not after/);
    assert.match(datesProblem('2026-10-01', '2027-02-29', TODAY) ?? '', /expiry date .* not a real date/);
    assert.equal(datesProblem('2026-10-01', '2027-10-01', TODAY), null);
  });
});

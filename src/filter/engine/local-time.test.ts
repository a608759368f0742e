import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createClock, localMoment, windowKindOf } from './local-time.js';
import { testCalendar } from './test-policy.js';

describe('windowKindOf', () => {
  const calendar = testCalendar();

  it('gives the first window containing the minute, end excluded', () => {
    assert.equal(windowKindOf(calendar, '2026-11-24', 2, 12 * 60 + 30).kind, 'lunch');
    assert.equal(windowKindOf(calendar, '2026-11-24', 2, 12 * 60 + 29).kind, 'lessons');
    assert.equal(windowKindOf(calendar, '2026-11-24', 2, 17 * 60).kind, 'evening');
    const overlapping = {
      ...calendar,
      windows: [calendar.windows[4]!, { kind: 'lessons' as const, days: [2], startMinute: 0, endMinute: 1440 }],
    };
    assert.equal(windowKindOf(overlapping, '2026-11-24', 2, 12 * 60 + 40).kind, 'lunch');
  });

  it('makes a holiday date a holiday all day, even in a window, and names it', () => {
    assert.deepEqual(windowKindOf(calendar, '2026-12-22', 2, 12 * 60 + 40), { kind: 'holiday', holiday: 'Christmas holiday' });
    assert.equal(windowKindOf(calendar, '2027-01-04', 1, 0).kind, 'holiday', 'the last day is included');
    assert.equal(windowKindOf(calendar, '2027-01-05', 2, 9 * 60).kind, 'lessons');
  });

  it('is weekend on Saturday and Sunday without a window, evening on other days', () => {
    assert.equal(windowKindOf(calendar, '2026-11-28', 6, 12 * 60).kind, 'weekend');
    assert.equal(windowKindOf(calendar, '2026-11-29', 7, 12 * 60).kind, 'weekend');
    assert.equal(windowKindOf(calendar, '2026-11-24', 2, 3 * 60).kind, 'evening');
  });
});

describe('localMoment', () => {
  it('converts to the school’s zone across the clock change', () => {
    const clock = createClock(testCalendar());
    const before = localMoment(clock, new Date('2026-10-24T23:30:00Z'));
    assert.deepEqual([before.date, before.weekday, before.minute], ['2026-10-25', 7, 30], 'BST: 00:30 on Sunday');
    const after = localMoment(clock, new Date('2026-10-26T08:50:00Z'));
    assert.deepEqual([after.date, after.weekday, after.minute, after.kind], ['2026-10-26', 1, 8 * 60 + 50, 'lessons'], 'GMT again');
  });

  it('answers from the cache within a minute and recomputes in the next', () => {
    const clock = createClock(testCalendar());
    const first = localMoment(clock, new Date('2026-11-24T12:29:10Z'));
    assert.equal(localMoment(clock, new Date('2026-11-24T12:29:59Z')), first);
    assert.equal(localMoment(clock, new Date('2026-11-24T12:30:00Z')).kind, 'lunch');
  });
});

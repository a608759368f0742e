import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../errors/errors.js';
import { lastCompletePeriod, localDate, localDateTime, parseDate, periodOf, startOfDay, weekday } from './period.js';

const span = (p: { start: Date; end: Date }) => [p.start.toISOString(), p.end.toISOString()];

describe('report periods in Europe/London time', () => {
  it('runs a winter day midnight to midnight UTC and a summer day from 23:00 UTC the evening before', () => {
    assert.deepEqual(span(periodOf('daily', '2026-11-23')), ['2026-11-23T00:00:00.000Z', '2026-11-24T00:00:00.000Z']);
    assert.deepEqual(span(periodOf('daily', '2026-07-14')), ['2026-07-13T23:00:00.000Z', '2026-07-14T23:00:00.000Z']);
  });

  it('gives the clock-change days 23 and 25 hours', () => {
    assert.deepEqual(span(periodOf('daily', '2026-03-29')), ['2026-03-29T00:00:00.000Z', '2026-03-29T23:00:00.000Z']);
    assert.deepEqual(span(periodOf('daily', '2026-10-25')), ['2026-10-24T23:00:00.000Z', '2026-10-26T00:00:00.000Z']);
  });

  it('makes weeks Monday to Sunday, whichever day is given', () => {
    for (const date of ['2026-10-19', '2026-10-22', '2026-10-25']) {
      const week = periodOf('weekly', date);
      assert.deepEqual(week.days, ['2026-10-19', '2026-10-20', '2026-10-21', '2026-10-22', '2026-10-23', '2026-10-24', '2026-10-25']);
      assert.equal((week.end.getTime() - week.start.getTime()) / 3_600_000, 169, 'the week the clocks go back');
    }
    assert.equal(weekday('2026-11-23'), 1);
    assert.equal(weekday('2026-11-29'), 7);
  });

  it('takes the last whole day or week before now', () => {
    const now = new Date('2026-07-13T23:30:00Z'); // 00:30 on Tuesday 14 July in London
    assert.equal(localDate(now), '2026-07-14');
    assert.deepEqual(lastCompletePeriod('daily', now).days, ['2026-07-13']);
    assert.deepEqual(lastCompletePeriod('weekly', now).days[0], '2026-07-06');
    assert.deepEqual(lastCompletePeriod('weekly', new Date('2026-07-12T22:59:00Z')).days[0], '2026-06-29', 'still Sunday in London');
    assert.equal(startOfDay('2026-01-01').toISOString(), '2026-01-01T00:00:00.000Z');
  });

  it('names an instant by its local date and minute, across the clock change', () => {
    assert.equal(localDateTime(new Date('2026-07-14T10:05:00Z')), '2026-07-14 11:05');
    assert.equal(localDateTime(new Date('2026-10-24T23:30:00Z')), '2026-10-25 00:30');
    assert.equal(localDateTime(new Date('2026-10-25T23:59:59Z')), '2026-10-25 23:59');
  });

  it('accepts only real calendar dates', () => {
    assert.equal(parseDate('2028-02-29'), '2028-02-29');
    for (const bad of ['2026-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '26-04-01', '2026-04-01T00:00:00Z', '']) {
      assert.throws(
        () => parseDate(bad),
        (e: unknown) => e instanceof AppError && e.id === 'validation_failed' && /YYYY-MM-DD/.test(e.message),
        bad,
      );
    }
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { smtpMailer } from '../../notify/mailer.js';
import { startSmtpSink } from '../../notify/test-support.js';
import { addUser, seedSchool } from '../../testing/fixtures.js';
import { createTestStore, testContext, type TestStore } from '../../testing/store.js';
import { DEFAULT_MONITOR_SETTINGS, saveMonitorSettings } from '../settings.js';
import { dueAt, runMonitorJobs, startMonitorSchedule } from './schedule.js';
import { insertActivity } from './testing.js';

const quiet = { info() {}, error() {} };

describe('the monitoring job', () => {
  let t: TestStore;
  let ctx: ReturnType<typeof testContext>;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let mailer: ReturnType<typeof smtpMailer>;
  let schoolId = '';

  before(async () => {
    t = await createTestStore();
    smtp = await startSmtpSink();
    ctx = testContext(t, { TUTELA_SMTP_URL: smtp.url });
    mailer = smtpMailer(ctx.config.smtp);
    ctx.clock.set(new Date('2026-11-01T09:00:00Z'));
    schoolId = (await seedSchool(ctx)).schoolId;
    const dsl = await addUser(ctx, schoolId, 'dee.dsl', ['staff', 'dsl']);
    await ctx.db.updateTable('people').set({ email: 'dee@school.example' }).where('id', '=', dsl.personId).execute();
    await insertActivity(ctx, { schoolId, at: '2026-11-23T10:00:00.000Z', action: 'block', category: 'gambling' });
  });
  after(async () => {
    mailer?.close();
    await smtp?.close();
    await t?.cleanup();
  });

  it('knows when each report falls due', () => {
    const settings = { dailyHour: 7, weeklyDay: 1 };
    // Tuesday 24 November 2026, GMT.
    assert.equal(dueAt('daily', new Date('2026-11-24T03:00:00Z'), settings).toISOString(), '2026-11-24T07:00:00.000Z');
    assert.equal(dueAt('weekly', new Date('2026-11-24T03:00:00Z'), settings).toISOString(), '2026-11-23T07:00:00.000Z');
    assert.equal(
      dueAt('weekly', new Date('2026-11-24T03:00:00Z'), { dailyHour: 6, weeklyDay: 3 }).toISOString(),
      '2026-11-25T06:00:00.000Z',
    );
    // 7 a.m. in British Summer Time is 06:00 UTC.
    assert.equal(dueAt('daily', new Date('2026-07-14T12:00:00Z'), settings).toISOString(), '2026-07-14T06:00:00.000Z');
    // The days the clocks change: midnight is in one offset and 7 a.m. in the other.
    assert.equal(dueAt('daily', new Date('2026-03-29T12:00:00Z'), settings).toISOString(), '2026-03-29T06:00:00.000Z');
    assert.equal(dueAt('daily', new Date('2026-10-25T12:00:00Z'), settings).toISOString(), '2026-10-25T07:00:00.000Z');
    assert.equal(
      dueAt('daily', new Date('2026-03-29T12:00:00Z'), { dailyHour: 23, weeklyDay: 1 }).toISOString(),
      '2026-03-29T22:00:00.000Z',
    );
  });

  it('sends nothing before the hour, the due reports after it, and never twice', async () => {
    ctx.clock.set(new Date('2026-11-24T06:59:00Z'));
    const early = await runMonitorJobs(ctx, mailer, quiet);
    assert.deepEqual(
      early.reports.map((r) => r.kind),
      ['weekly'],
      "Monday's weekly report was due yesterday; today's daily summary is not due before 07:00",
    );
    assert.equal(early.purges.length, 1, 'the first purge runs at once');

    ctx.clock.set(new Date('2026-11-24T07:00:00Z'));
    const due = await runMonitorJobs(ctx, mailer, quiet);
    assert.deepEqual(
      due.reports.map((r) => [r.kind, r.created]),
      [
        ['daily', true],
        ['weekly', false],
      ],
    );
    assert.equal(due.purges.length, 0, 'purged less than a day ago');
    const daily = await ctx.db.selectFrom('monitor_reports').selectAll().where('kind', '=', 'daily').executeTakeFirstOrThrow();
    assert.equal(daily.period_start, '2026-11-23T00:00:00.000Z');
    assert.equal(JSON.parse(daily.data).totals.blocked, 1);
    assert.equal(daily.emailed_to, 1);

    const sent = smtp.messages.length;
    const again = await runMonitorJobs(ctx, mailer, quiet);
    assert.deepEqual(
      again.reports.map((r) => r.created),
      [false, false],
    );
    assert.equal(smtp.messages.length, sent);
    assert.deepEqual(
      smtp.messages.flatMap((m) => m.to),
      ['dee@school.example', 'dee@school.example'],
    );
  });

  it('follows the school settings: reports off send nothing', async () => {
    const off = structuredClone(DEFAULT_MONITOR_SETTINGS);
    off.reports.dailyEnabled = false;
    off.reports.weeklyEnabled = false;
    await saveMonitorSettings(ctx.db, schoolId, off, 'test', ctx.clock());
    ctx.clock.set(new Date('2026-11-26T09:00:00Z'));
    const result = await runMonitorJobs(ctx, mailer, quiet);
    assert.deepEqual(result.reports, []);
    assert.equal(result.purges.length, 1, 'the purge still runs once a day');
  });

  it('starts on a timer and can be turned off', async () => {
    await saveMonitorSettings(ctx.db, schoolId, DEFAULT_MONITOR_SETTINGS, 'test', ctx.clock());
    const job = startMonitorSchedule(ctx, mailer, quiet, { firstRunDelayMs: 0 });
    const first = await job.firstRun;
    job.stop();
    assert.ok(first);
    assert.deepEqual(
      first.reports.map((r) => [r.kind, r.created]),
      [
        ['daily', true],
        ['weekly', false],
      ],
    );
    const offCtx = { ...ctx, config: { ...ctx.config, monitor: { ...ctx.config.monitor, jobMinutes: 0 } } };
    const off = startMonitorSchedule(offCtx, mailer, quiet, { firstRunDelayMs: 0 });
    assert.equal(await off.firstRun, null);
    off.stop();
  });
});

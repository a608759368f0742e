import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type KyselyPlugin, sql } from 'kysely';
import { newId } from '../../db/ids.js';
import { seedSchool } from '../../testing/fixtures.js';
import { createTestStore, testContext, type TestStore } from '../../testing/store.js';
import { insertActivity, insertAlert, insertEvent } from '../reports/testing.js';
import { DEFAULT_MONITOR_SETTINGS, saveMonitorSettings } from '../settings.js';
import { purgeDue, purgeSchool, runPurge } from './purge.js';

/*
 * The clock stands at 24 November 2026 09:00 UTC. With 90 days for activity the cut is
 * 26 August 09:00; with 365 days for alerts, 24 November 2025 09:00.
 */
describe('the monitoring retention purge', () => {
  let t: TestStore;
  let ctx: ReturnType<typeof testContext>;
  let schoolId = '';
  let otherId = '';
  const ids: Record<string, string> = {};
  const by = { username: 'tester', accountId: null };

  const left = async () => ({
    activity: (await ctx.db.selectFrom('activity_events').select('id').where('school_id', '=', schoolId).execute()).map((r) => r.id).sort(),
    events: (await ctx.db.selectFrom('monitor_events').select('id').where('school_id', '=', schoolId).execute()).map((r) => r.id).sort(),
    alerts: (await ctx.db.selectFrom('monitor_alerts').select('id').where('school_id', '=', schoolId).execute()).map((r) => r.id).sort(),
    notes: (await ctx.db.selectFrom('monitor_alert_notes').select('alert_id').execute()).map((r) => r.alert_id).sort(),
  });

  before(async () => {
    t = await createTestStore();
    ctx = testContext(t);
    ctx.clock.set(new Date('2026-11-24T09:00:00Z'));
    const school = await seedSchool(ctx);
    schoolId = school.schoolId;
    otherId = (await seedSchool(ctx, 'Other School', school.trustId)).schoolId;
    // Seven old rows in each activity table, so a chunk size of 3 takes three rounds.
    for (let i = 0; i < 7; i++) {
      await insertActivity(ctx, { schoolId, at: `2026-08-1${i}T10:00:00.000Z`, action: 'block', category: 'gambling' });
      await insertEvent(ctx, { schoolId, at: `2026-08-1${i}T09:00:00.000Z`, blocked: true });
    }
    ids.activityAtCut = await insertActivity(ctx, { schoolId, at: '2026-08-26T09:00:00.000Z', action: 'allow' });
    ids.activityJustOld = await insertActivity(ctx, { schoolId, at: '2026-08-26T08:59:59.999Z', action: 'allow' });
    ids.eventRecent = await insertEvent(ctx, { schoolId, at: '2026-11-20T09:00:00.000Z', blocked: false });
    ids.otherSchoolOld = await insertActivity(ctx, { schoolId: otherId, at: '2020-01-01T00:00:00.000Z', action: 'allow' });
    const alert = (status: 'open' | 'escalated' | 'false_positive' | 'closed', createdAt: string, resolvedAt?: string) =>
      insertAlert(ctx, {
        schoolId,
        createdAt,
        category: 'bullying',
        severity: 'medium',
        personId: null,
        who: '10.0.0.5',
        profile: 'unknown',
        status,
        resolvedAt,
      });
    ids.openAncient = await alert('open', '2020-01-01T00:00:00.000Z');
    ids.escalatedAncient = await alert('escalated', '2020-01-01T00:00:00.000Z', '2020-01-02T00:00:00.000Z');
    ids.fpOld = await alert('false_positive', '2025-01-01T00:00:00.000Z', '2025-11-24T08:59:59.000Z');
    ids.closedOld = await alert('closed', '2024-01-01T00:00:00.000Z', '2024-02-01T00:00:00.000Z');
    // Raised long ago but resolved only recently: the clock runs from the resolution.
    ids.closedLate = await alert('closed', '2023-01-01T00:00:00.000Z', '2025-11-24T09:00:00.000Z');
    for (const alertId of [ids.fpOld, ids.fpOld, ids.escalatedAncient, ids.closedLate]) {
      await ctx.db
        .insertInto('monitor_alert_notes')
        .values({
          id: newId(),
          alert_id: alertId!,
          school_id: schoolId,
          author_person_id: 'p',
          author_name: 'Dee Dsl',
          at: '2025-01-01T00:00:00.000Z',
          text: 'note',
        })
        .execute();
    }
  });
  after(async () => t?.cleanup());

  it('counts on a dry run and changes nothing', async () => {
    const before = await left();
    const dry = await purgeSchool(ctx, schoolId, { by, dryRun: true });
    assert.deepEqual(dry, {
      schoolId,
      dryRun: true,
      activityBefore: '2026-08-26T09:00:00.000Z',
      alertsBefore: '2025-11-24T09:00:00.000Z',
      activityDeleted: 8,
      eventsDeleted: 7,
      alertsDeleted: 2,
      notesDeleted: 2,
      purgeId: null,
    });
    assert.deepEqual(await left(), before);
    assert.deepEqual(await ctx.db.selectFrom('monitor_purges').selectAll().execute(), []);
  });

  it('deletes exactly the old rows in chunks, keeps open and escalated alerts, and records the purge', async () => {
    const result = await purgeSchool(ctx, schoolId, { by, dryRun: false, chunkSize: 3 });
    assert.deepEqual([result.activityDeleted, result.eventsDeleted, result.alertsDeleted, result.notesDeleted], [8, 7, 2, 2]);
    const now = await left();
    assert.deepEqual(now.activity, [ids.activityAtCut].sort());
    assert.deepEqual(now.events, [ids.eventRecent]);
    assert.deepEqual(now.alerts, [ids.openAncient, ids.escalatedAncient, ids.closedLate].sort());
    assert.deepEqual(now.notes, [ids.escalatedAncient, ids.closedLate].sort());
    const other = await ctx.db.selectFrom('activity_events').select('id').where('school_id', '=', otherId).execute();
    assert.deepEqual(
      other.map((r) => r.id),
      [ids.otherSchoolOld],
      "another school's settings and data are its own",
    );

    const purge = await ctx.db.selectFrom('monitor_purges').selectAll().executeTakeFirstOrThrow();
    assert.deepEqual(purge, {
      id: result.purgeId,
      school_id: schoolId,
      ran_at: '2026-11-24T09:00:00.000Z',
      ran_by: 'tester',
      activity_before: '2026-08-26T09:00:00.000Z',
      alerts_before: '2025-11-24T09:00:00.000Z',
      activity_deleted: 8,
      events_deleted: 7,
      alerts_deleted: 2,
    });
    const audit = await ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'monitor.retention.purge')
      .executeTakeFirstOrThrow();
    assert.equal(audit.target_id, result.purgeId);
    assert.equal(JSON.parse(audit.details).notesDeleted, 2);
    assert.equal(await purgeDue(ctx.db, schoolId, ctx.clock()), false);
    assert.equal(await purgeDue(ctx.db, schoolId, new Date('2026-11-25T09:00:00Z')), true);
  });

  it("uses each school's own periods", async () => {
    const short = structuredClone(DEFAULT_MONITOR_SETTINGS);
    short.retention = { activityDays: 1, alertDays: 1 };
    await saveMonitorSettings(ctx.db, schoolId, short, 'test', ctx.clock());
    const results = await runPurge(ctx, { by, dryRun: false });
    const mine = results.find((r) => r.schoolId === schoolId)!;
    assert.deepEqual([mine.activityDeleted, mine.eventsDeleted, mine.alertsDeleted], [1, 1, 1]);
    assert.deepEqual((await left()).alerts, [ids.openAncient, ids.escalatedAncient].sort(), 'open and escalated alerts are never purged');
    const other = results.find((r) => r.schoolId === otherId)!;
    assert.equal(other.activityDeleted, 1, 'the other school on its default 90 days');
  });

  it('keeps the notes of an alert reopened while the purge runs', async () => {
    const reopened = await insertAlert(ctx, {
      schoolId: otherId,
      createdAt: '2024-01-01T00:00:00.000Z',
      category: 'bullying',
      severity: 'medium',
      personId: null,
      who: '10.0.0.6',
      profile: 'unknown',
      status: 'closed',
      resolvedAt: '2024-02-01T00:00:00.000Z',
    });
    await ctx.db
      .insertInto('monitor_alert_notes')
      .values({
        id: newId(),
        alert_id: reopened,
        school_id: otherId,
        author_person_id: 'p',
        author_name: 'Dee Dsl',
        at: '2024-01-15T00:00:00.000Z',
        text: 'spoke to the pupil',
      })
      .execute();
    // A DSL reopens the alert just after the purge has picked it out, before it deletes anything.
    const picks = new Set<string>();
    let reopenedOnce = false;
    const plugin: KyselyPlugin = {
      transformQuery: (args) => {
        if (args.node.kind === 'SelectQueryNode' && JSON.stringify(args.node).includes('"monitor_alerts"')) picks.add(args.queryId.queryId);
        return args.node;
      },
      transformResult: async (args) => {
        if (picks.has(args.queryId.queryId) && !reopenedOnce) {
          reopenedOnce = true;
          const reopen = "update monitor_alerts set status = 'open', resolved_at = null, resolved_by = null where id = ";
          if (t.store.sqlite) t.store.sqlite.prepare(`${reopen}?`).run(reopened);
          else await sql.raw(`${reopen}'${reopened}'`).execute(t.store.db);
        }
        return args.result;
      },
    };
    const racing = { ...ctx, db: ctx.db.withPlugin(plugin) } as typeof ctx;
    await purgeSchool(racing, otherId, { by, dryRun: false });
    assert.ok(reopenedOnce);
    const alert = await ctx.db.selectFrom('monitor_alerts').select('status').where('id', '=', reopened).executeTakeFirst();
    assert.equal(alert?.status, 'open', 'a reopened alert stays');
    const notes = await ctx.db.selectFrom('monitor_alert_notes').select('text').where('alert_id', '=', reopened).execute();
    assert.deepEqual(
      notes.map((n) => n.text),
      ['spoke to the pupil'],
      'and so do its notes',
    );
  });
});

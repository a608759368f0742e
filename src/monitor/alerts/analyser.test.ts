import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { smtpMailer } from '../../notify/mailer.js';
import { startSmtpSink } from '../../notify/test-support.js';
import { addUser, seedSchool } from '../../testing/fixtures.js';
import { createTestStore, type TestStore, testContext } from '../../testing/store.js';
import type { MonitorEvent } from '../model.js';
import { DEFAULT_MONITOR_SETTINGS, saveMonitorSettings } from '../settings.js';
import { AlertAnalyser } from './analyser.js';

describe('AlertAnalyser', () => {
  let store: TestStore;
  let ctx: ReturnType<typeof testContext>;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let mailer: ReturnType<typeof smtpMailer>;
  let analyser: AlertAnalyser;
  let schoolId: string;
  const people: Record<string, { personId: string }> = {};

  before(async () => {
    store = await createTestStore();
    ctx = testContext(store);
    smtp = await startSmtpSink();
    mailer = smtpMailer({ url: smtp.url, from: 'Tutela <tutela@school.example>' });
    ({ schoolId } = await seedSchool(ctx, 'Analyser Academy'));
    const other = await seedSchool(ctx, 'Elsewhere School');
    people.dsl = await addUser(ctx, schoolId, 'dee.dsl', ['staff', 'dsl']);
    people.deputy = await addUser(ctx, schoolId, 'dan.deputy', ['staff', 'dsl']);
    people.head = await addUser(ctx, schoolId, 'hal.head', ['staff', 'head']);
    people.teacher = await addUser(ctx, schoolId, 'tia.teacher', ['staff']);
    people.student = await addUser(ctx, schoolId, 'sam.student', ['student'], { yearGroup: 8 });
    people.pupil = await addUser(ctx, schoolId, 'pip.pupil', ['student'], { yearGroup: 8 });
    people.sixth = await addUser(ctx, schoolId, 'sid.sixth', ['student'], { yearGroup: 12 });
    people.otherDsl = await addUser(ctx, other.schoolId, 'oda.dsl', ['staff', 'dsl']);
    people.outsider = await addUser(ctx, other.schoolId, 'ozzy.student', ['student'], { yearGroup: 8 });
    for (const [key, email] of [
      ['dsl', 'dsl@school.example'],
      ['deputy', 'deputy@school.example'],
      ['head', 'head@school.example'],
      ['teacher', 'teacher@school.example'],
      ['student', 'student@school.example'],
      ['otherDsl', 'other-dsl@school.example'],
    ] as const) {
      await ctx.db.updateTable('people').set({ email }).where('id', '=', people[key]!.personId).execute();
    }
  });

  beforeEach(async () => {
    await ctx.db.deleteFrom('monitor_alert_notes').execute();
    await ctx.db.deleteFrom('monitor_alerts').execute();
    await ctx.db.deleteFrom('notifications').execute();
    await ctx.db.deleteFrom('monitor_settings').execute();
    smtp.messages.length = 0;
    analyser = new AlertAnalyser(ctx, { mailer, webBase: 'https://tutela.school.example/', cacheMs: 0 });
  });

  after(async () => {
    mailer?.close();
    await smtp.close();
    await store.cleanup();
  });

  let minute = 0;
  const event = (fields: Partial<MonitorEvent> & { personKey?: string }): MonitorEvent => {
    const { personKey, ...rest } = fields;
    minute += 1;
    const at = new Date(Date.UTC(2026, 10, 24, 9, 0) + minute * 1000);
    return {
      id: randomUUID(),
      schoolId,
      at,
      receivedAt: at,
      sourceId: null,
      source: 'filter:proxy',
      kind: 'search',
      personId: personKey ? people[personKey]!.personId : null,
      username: personKey ?? null,
      clientAddress: '10.0.0.7',
      device: 'LAPTOP-07',
      host: 'www.google.com',
      url: 'https://www.google.com/search?q=whatever',
      searchTerms: null,
      text: null,
      blocked: false,
      ...rest,
    };
  };
  const alerts = () => ctx.db.selectFrom('monitor_alerts').selectAll().orderBy('first_at').orderBy('id').execute();

  it('raises an alert with the match highlighted in its context', async () => {
    await analyser.analyse([event({ personKey: 'student', searchTerms: 'how to self harm without anyone knowing' })]);
    const [alert, ...rest] = await alerts();
    assert.equal(rest.length, 0);
    assert.ok(alert);
    assert.equal(alert.person_id, people.student!.personId);
    assert.equal(alert.who, 'Sam Student');
    assert.equal(alert.profile, 'ks3');
    assert.equal(alert.category, 'self_harm');
    assert.equal(alert.severity, 'high');
    assert.equal(alert.status, 'open');
    assert.equal(alert.count, 1);
    assert.equal(alert.excerpt, 'how to self harm without anyone knowing');
    assert.equal(alert.excerpt.slice(alert.highlight_start, alert.highlight_end), 'self harm');
    assert.equal(alert.source, 'filter:proxy');
    assert.equal(alert.device, 'LAPTOP-07');
    assert.equal(alert.keywords_version, 0);
  });

  it('scans captured text as well as search terms, but never the raw URL', async () => {
    await analyser.analyse([
      event({ personKey: 'student', kind: 'chat', searchTerms: null, text: 'honestly i want to k1ll mys3lf' }),
      event({ personKey: 'pupil', url: 'https://example.com/how-to-self-harm', searchTerms: null, text: null }),
    ]);
    const rows = await alerts();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.matched, 'k1ll mys3lf');
    assert.equal(rows[0]!.event_kind, 'chat');
  });

  it('raises nothing for benign near-misses', async () => {
    await analyser.analyse([
      event({ personKey: 'student', searchTerms: 'Scunthorpe United fixtures' }),
      event({ personKey: 'student', text: 'how do I kill the process that hangs in linux' }),
      event({ personKey: 'student', searchTerms: 'Essex county map' }),
      event({ personKey: 'student', searchTerms: 'weather tomorrow' }),
    ]);
    assert.equal((await alerts()).length, 0);
  });

  it('folds fifty identical searches into one alert with a count of 50', async () => {
    const search = () => event({ personKey: 'student', searchTerms: 'how to self harm' });
    await analyser.analyse(Array.from({ length: 20 }, search));
    // Batches arriving together for one school must not both insert.
    await Promise.all(Array.from({ length: 30 }, () => analyser.analyse([search()])));
    await analyser.idle();
    const rows = await alerts();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.count, 50);
    // Repeats weigh as risk: the third took it over ks3's threshold of three.
    assert.equal(rows[0]!.base_severity, 'high');
    assert.equal(rows[0]!.severity, 'critical');
    assert.equal(rows[0]!.risk_raised, 1);
  });

  it('folds obfuscated repeats of the same words but keeps people apart', async () => {
    await analyser.analyse([
      event({ personKey: 'student', searchTerms: 'suicide' }),
      event({ personKey: 'student', searchTerms: 's.u.i.c.i.d.e' }),
      event({ personKey: 'pupil', searchTerms: 'suicide' }),
      event({ personKey: null as never, username: 'guest01', personId: null, searchTerms: 'suicide' }),
    ]);
    const rows = await alerts();
    assert.equal(rows.length, 3);
    const byWho = new Map(rows.map((r) => [r.who, r]));
    assert.equal(byWho.get('Sam Student')!.count, 2);
    assert.equal(byWho.get('Sam Student')!.matched, 's.u.i.c.i.d.e', 'the newest words are shown');
    assert.equal(byWho.get('Pip Pupil')!.count, 1);
    assert.equal(byWho.get('guest01')!.person_id, null);
    assert.equal(byWho.get('guest01')!.profile, 'unknown');
  });

  it('starts a new alert once the fold window has passed or the alert was triaged', async () => {
    const first = event({ personKey: 'student', searchTerms: 'how to self harm' });
    await analyser.analyse([first]);
    const later = event({ personKey: 'student', searchTerms: 'how to self harm' });
    later.at = new Date(first.at.getTime() + (DEFAULT_MONITOR_SETTINGS.foldWindowHours + 1) * 3_600_000);
    await analyser.analyse([later]);
    assert.equal((await alerts()).length, 2);
    await ctx.db.updateTable('monitor_alerts').set({ status: 'closed' }).execute();
    const again = event({ personKey: 'student', searchTerms: 'how to self harm' });
    again.at = new Date(later.at.getTime() + 60_000);
    await analyser.analyse([again]);
    assert.equal((await alerts()).length, 3);
  });

  it('keeps a replayed capture from long before an alert out of its fold and its risk', async () => {
    const now = event({ personKey: 'student', searchTerms: 'how to self harm' });
    await analyser.analyse([now]);
    const replayed = event({ personKey: 'student', searchTerms: 'how to self harm' });
    replayed.at = new Date(now.at.getTime() - 3 * 24 * 3_600_000);
    await analyser.analyse([replayed]);
    let rows = await alerts();
    assert.equal(rows.length, 2, 'three days before the alert began is outside a 24-hour fold window');
    assert.deepEqual(
      rows.map((r) => [r.first_at, r.count]),
      [
        [replayed.at.toISOString(), 1],
        [now.at.toISOString(), 1],
      ],
    );

    // Three medium suicide matches now reach ks3's threshold; one from a month ago is not part of that.
    await ctx.db.deleteFrom('monitor_alerts').execute();
    for (const searchTerms of ['suicide', 'sucide', 'suiside']) await analyser.analyse([event({ personKey: 'student', searchTerms })]);
    const old = event({ personKey: 'student', searchTerms: 'suicidal' });
    old.at = new Date(now.at.getTime() - 30 * 24 * 3_600_000);
    smtp.messages.length = 0;
    await analyser.analyse([old]);
    rows = await alerts();
    const oldAlert = rows.find((r) => r.first_at === old.at.toISOString())!;
    assert.deepEqual([oldAlert.severity, oldAlert.base_severity, oldAlert.risk_raised], ['high', 'high', 0]);
    assert.equal(smtp.messages.length, 0, 'nobody is paged about a month-old search');
  });

  it('raises severity when risk reaches the threshold across different alerts, and not before', async () => {
    // ks3: threshold 3 within a week; three different medium suicide matches.
    await analyser.analyse([event({ personKey: 'student', searchTerms: 'suicide' })]);
    await analyser.analyse([event({ personKey: 'student', searchTerms: 'sucide' })]);
    let rows = await alerts();
    assert.deepEqual(
      rows.map((r) => [r.severity, r.risk_raised]),
      [
        ['medium', 0],
        ['medium', 0],
      ],
    );
    await analyser.analyse([event({ personKey: 'student', searchTerms: 'suiside' })]);
    rows = await alerts();
    assert.equal(rows.length, 3, rows.map((r) => r.term).join());
    assert.equal(rows[2]!.severity, 'high');
    assert.equal(rows[2]!.base_severity, 'medium');
    assert.equal(rows[2]!.risk_raised, 1);
    // Another person's alerts never add to this one's risk.
    await analyser.analyse([event({ personKey: 'pupil', searchTerms: 'suicide' })]);
    assert.equal((await alerts()).at(-1)!.severity, 'medium');
  });

  it("keeps raising one school's alerts when another school in the same batch fails", async () => {
    const outsider = await ctx.db
      .selectFrom('people')
      .select('school_id')
      .where('id', '=', people.outsider!.personId)
      .executeTakeFirstOrThrow();
    // A library the analyser cannot read stands for any failure confined to one school.
    await ctx.db
      .insertInto('monitor_library_versions')
      .values({
        id: randomUUID(),
        school_id: outsider.school_id,
        version: 1,
        created_at: '2026-11-24T08:00:00.000Z',
        created_by: 'test',
        summary: 'broken',
        entry_count: 1,
        entries: '{not json',
      })
      .execute();
    const errors: object[] = [];
    const logged = new AlertAnalyser(ctx, { mailer: null, cacheMs: 0, log: { error: (o) => errors.push(o) } });
    try {
      await logged.analyse([
        { ...event({ searchTerms: 'kms' }), schoolId: outsider.school_id, personId: people.outsider!.personId },
        event({ personKey: 'student', searchTerms: 'how to self harm' }),
      ]);
      const rows = await alerts();
      assert.deepEqual(
        rows.map((r) => [r.school_id, r.term]),
        [[schoolId, 'self harm']],
      );
      assert.equal(errors.length, 1);
    } finally {
      await ctx.db.deleteFrom('monitor_library_versions').where('school_id', '=', outsider.school_id).execute();
    }
  });

  it("grades by the person's profile: overrides and minimum severity", async () => {
    await saveMonitorSettings(
      ctx.db,
      schoolId,
      {
        ...DEFAULT_MONITOR_SETTINGS,
        profiles: {
          ...DEFAULT_MONITOR_SETTINGS.profiles,
          ks3: { ...DEFAULT_MONITOR_SETTINGS.profiles.ks3, categorySeverity: { bullying: 'high' } },
        },
      },
      people.dsl!.personId,
      ctx.clock(),
    );
    await analyser.analyse([
      event({ personKey: 'sixth', text: 'you are such a loser' }),
      event({ personKey: 'student', text: 'you are such a loser' }),
    ]);
    const rows = await alerts();
    assert.equal(rows.length, 1, 'the sixth-former is below the medium minimum');
    assert.equal(rows[0]!.who, 'Sam Student');
    assert.equal(rows[0]!.severity, 'high');
    assert.equal(rows[0]!.base_severity, 'high');
  });

  it('does not name a person of another school even if the event says so', async () => {
    await analyser.analyse([event({ personId: people.outsider!.personId, username: 'ozzy', searchTerms: 'how to self harm' })]);
    const [row] = await alerts();
    assert.equal(row!.person_id, null);
    assert.equal(row!.who, 'ozzy');
  });

  it('tells every DSL of a critical alert at once, in the app and by e-mail without the capture', async () => {
    await analyser.analyse([event({ personKey: 'student', kind: 'chat', text: 'i want to kill myself tonight' })]);
    const [alert] = await alerts();
    assert.equal(alert!.severity, 'critical');
    const notes = await ctx.db.selectFrom('notifications').selectAll().execute();
    assert.deepEqual(notes.map((n) => n.recipient_person_id).sort(), [people.dsl!.personId, people.deputy!.personId].sort());
    for (const n of notes) {
      assert.equal(n.kind, 'monitor.alert');
      assert.equal(n.link, `/monitoring/alerts/${alert!.id}`);
      assert.ok(!/kill|myself|Sam|Student/.test(n.title + n.body), n.body);
    }
    assert.deepEqual(smtp.messages.flatMap((m) => m.to).sort(), ['deputy@school.example', 'dsl@school.example']);
    for (const mail of smtp.messages) {
      const body = mail.data.replace(/=\r?\n/g, '');
      assert.match(body, /Suicide/);
      assert.match(body, /critical/);
      assert.ok(body.includes(`https://tutela.school.example/monitoring/alerts/${alert!.id}`), body);
      assert.ok(!/kill|myself|tonight|LAPTOP/i.test(body) && !/Sam|Student/.test(body), body);
    }
    // Repeats of an alert already critical do not page the team again.
    await analyser.analyse([event({ personKey: 'student', kind: 'chat', text: 'i want to kill myself tonight' })]);
    assert.equal(smtp.messages.length, 2);
  });

  it('pages the team when an alert becomes critical through accumulated risk', async () => {
    for (let i = 0; i < 2; i++) await analyser.analyse([event({ personKey: 'student', searchTerms: 'how to self harm' })]);
    assert.equal(smtp.messages.length, 0, 'high alerts wait in the queue');
    await analyser.analyse([event({ personKey: 'student', searchTerms: 'how to self harm' })]);
    assert.equal(smtp.messages.length, 2);
  });

  it('for alerts about staff tells the head as well, never the person it is about', async () => {
    await analyser.analyse([event({ personKey: 'dsl', text: 'some days i want to kill myself' })]);
    const [alert] = await alerts();
    assert.equal(alert!.profile, 'staff');
    const notes = await ctx.db.selectFrom('notifications').select('recipient_person_id').execute();
    assert.deepEqual(notes.map((n) => n.recipient_person_id).sort(), [people.deputy!.personId, people.head!.personId].sort());
    assert.deepEqual(smtp.messages.flatMap((m) => m.to).sort(), ['deputy@school.example', 'head@school.example']);
  });

  it('still notifies in the app when there is no mailer', async () => {
    const quiet = new AlertAnalyser(ctx, { mailer: null, cacheMs: 0 });
    await quiet.analyse([event({ personKey: 'student', searchTerms: 'kms' })]);
    assert.equal((await ctx.db.selectFrom('notifications').selectAll().execute()).length, 2);
    assert.equal(smtp.messages.length, 0);
  });

  it('picks up a new library version', async () => {
    await analyser.analyse([event({ personKey: 'student', searchTerms: 'zorblax' })]);
    assert.equal((await alerts()).length, 0);
    await ctx.db
      .insertInto('monitor_library_versions')
      .values({
        id: randomUUID(),
        school_id: schoolId,
        version: 1,
        created_at: ctx.clock().toISOString(),
        created_by: null,
        summary: 'test',
        entry_count: 1,
        entries: JSON.stringify([{ id: 'x-zorblax', term: 'zorblax', category: 'drugs', severity: 'high', language: 'en' }]),
      })
      .execute();
    await analyser.analyse([event({ personKey: 'student', searchTerms: 'zorblax' })]);
    const [row] = await alerts();
    assert.equal(row!.entry_id, 'x-zorblax');
    assert.equal(row!.keywords_version, 1);
    await ctx.db.deleteFrom('monitor_library_versions').execute();
  });
});

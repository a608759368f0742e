import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Role } from '../../access/roles.js';
import { startSmtpSink } from '../../notify/test-support.js';
import { addUser, seedSchool, TEST_PASSWORD } from '../../testing/fixtures.js';
import { sessionPool, startTestServer } from '../../testing/http.js';
import { createTestStore, testContext, type TestStore } from '../../testing/store.js';
import { DEFAULT_MONITOR_SETTINGS, type MonitorSettings } from '../settings.js';
import { insertActivity, insertAlert, insertEvent, mailParts } from './testing.js';

/*
 * One school with a DSL team, a head, staff and two pupils, another school with its own DSL,
 * a real SMTP sink and a running server. The clock stands on Monday 20 July 2026 (British
 * Summer Time), so Tuesday 14 July runs from 23:00 UTC on the 13th to 23:00 UTC on the 14th.
 */
describe('monitoring reports, settings and retention over HTTP', () => {
  let t: TestStore;
  let ctx: ReturnType<typeof testContext>;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let as: ReturnType<typeof sessionPool>;
  let schoolId = '';
  const people: Record<string, string> = {};
  const alerts: Record<string, string> = {};
  let dailyId = '';

  before(async () => {
    t = await createTestStore();
    smtp = await startSmtpSink();
    ctx = testContext(t, {
      TUTELA_SMTP_URL: smtp.url,
      TUTELA_PUBLIC_URL: 'https://tutela.school.example',
      TUTELA_DEMO_PASSWORD: TEST_PASSWORD,
    });
    ctx.clock.set(new Date('2026-07-20T09:00:00Z'));
    const school = await seedSchool(ctx, 'Milford Haven School');
    schoolId = school.schoolId;
    const other = await seedSchool(ctx, 'Other School', school.trustId);
    const user = async (username: string, roles: Role[], options: { yearGroup?: number; email?: string } = {}, at = schoolId) => {
      const u = await addUser(ctx, at, username, roles, { yearGroup: options.yearGroup, isDemo: true });
      if (options.email) await ctx.db.updateTable('people').set({ email: options.email }).where('id', '=', u.personId).execute();
      people[username] = u.personId;
    };
    await user('dee.dsl', ['staff', 'dsl'], { email: 'dee@school.example' });
    await user('dan.deputy', ['staff', 'dsl'], { email: 'dan@school.example' });
    await user('hal.head', ['staff', 'head'], { email: 'head@school.example' });
    await user('tia.teacher', ['staff'], { email: 'tia@school.example' });
    await user('gil.governor', ['governor']);
    await user('nat.netman', ['staff', 'network_manager']);
    await user('amy.zephyrine', ['student'], { yearGroup: 8 });
    await user('ben.quillfeather', ['student'], { yearGroup: 12 });
    await user('oda.dsl', ['staff', 'dsl'], { email: 'oda@other.example' }, other.schoolId);
    const amy = people['amy.zephyrine']!;
    const ben = people['ben.quillfeather']!;

    // Tuesday 14 July and the edges around it.
    await insertActivity(ctx, { schoolId, at: '2026-07-13T22:59:59.000Z', action: 'block', category: 'gambling', personId: amy });
    await insertActivity(ctx, { schoolId, at: '2026-07-13T23:00:00.000Z', action: 'block', category: 'gambling', personId: amy });
    await insertActivity(ctx, { schoolId, at: '2026-07-14T08:15:00.000Z', action: 'block', category: 'gambling', personId: amy });
    await insertActivity(ctx, { schoolId, at: '2026-07-14T08:20:00.000Z', action: 'block', category: 'pornography', personId: ben });
    await insertActivity(ctx, { schoolId, at: '2026-07-14T10:00:00.000Z', action: 'allow', personId: amy });
    await insertActivity(ctx, { schoolId, at: '2026-07-14T10:05:00.000Z', action: 'allow', personId: ben });
    await insertActivity(ctx, {
      schoolId,
      at: '2026-07-14T12:00:00.000Z',
      action: 'block',
      category: null,
      personId: null,
      address: '10.0.0.9',
      host: 'proxy-only.example',
    });
    await insertActivity(ctx, { schoolId, at: '2026-07-14T22:59:59.999Z', action: 'block', category: 'gambling', personId: ben });
    await insertActivity(ctx, { schoolId, at: '2026-07-14T23:00:00.000Z', action: 'block', category: 'gambling', personId: amy });
    await insertEvent(ctx, { schoolId, at: '2026-07-14T09:00:00.000Z', blocked: true, personId: amy, host: 'blocked-by-squid.example' });
    await insertEvent(ctx, { schoolId, at: '2026-07-14T09:01:00.000Z', blocked: false, personId: amy, host: 'ok.example' });
    await insertEvent(ctx, { schoolId, at: '2026-07-14T09:02:00.000Z', blocked: null, personId: amy });
    await insertEvent(ctx, {
      schoolId,
      at: '2026-07-14T09:03:00.000Z',
      blocked: true,
      address: '10.0.0.7',
      host: 'blocked-by-squid.example',
    });
    await insertEvent(ctx, { schoolId, at: '2026-07-13T12:00:00.000Z', blocked: true, address: '10.0.0.7' });
    // Another school's activity on the same day never counts.
    await insertActivity(ctx, { schoolId: other.schoolId, at: '2026-07-14T09:00:00.000Z', action: 'block', category: 'gambling' });

    alerts.selfHarm = await insertAlert(ctx, {
      schoolId,
      createdAt: '2026-07-14T10:00:00.000Z',
      category: 'self_harm',
      severity: 'high',
      personId: amy,
      who: 'Amy Zephyrine',
      profile: 'ks3',
    });
    alerts.bullying = await insertAlert(ctx, {
      schoolId,
      createdAt: '2026-07-14T11:00:00.000Z',
      category: 'bullying',
      severity: 'low',
      personId: ben,
      who: 'Ben Quillfeather',
      profile: 'sixth_form',
      status: 'false_positive',
    });
    alerts.aboutDee = await insertAlert(ctx, {
      schoolId,
      createdAt: '2026-07-14T12:00:00.000Z',
      category: 'violence',
      severity: 'medium',
      personId: people['dee.dsl']!,
      who: 'Dee Dsl',
      profile: 'staff',
      status: 'closed',
    });
    alerts.monday = await insertAlert(ctx, {
      schoolId,
      createdAt: '2026-07-13T22:30:00.000Z',
      category: 'suicide',
      severity: 'critical',
      personId: amy,
      who: 'Amy Zephyrine',
      profile: 'ks3',
      status: 'escalated',
    });
    // The week before: Monday 6 to Sunday 12 July.
    await insertActivity(ctx, { schoolId, at: '2026-07-08T10:00:00.000Z', action: 'block', category: 'gambling', personId: amy });
    await insertActivity(ctx, { schoolId, at: '2026-07-08T10:01:00.000Z', action: 'block', category: 'gambling', personId: amy });
    await insertActivity(ctx, { schoolId, at: '2026-07-09T10:00:00.000Z', action: 'block', category: 'drugs', personId: ben });
    await insertAlert(ctx, {
      schoolId,
      createdAt: '2026-07-08T10:00:00.000Z',
      category: 'bullying',
      severity: 'low',
      personId: ben,
      who: 'Ben Quillfeather',
      profile: 'sixth_form',
      status: 'false_positive',
    });
    await insertAlert(ctx, {
      schoolId,
      createdAt: '2026-07-09T10:00:00.000Z',
      category: 'self_harm',
      severity: 'medium',
      personId: amy,
      who: 'Amy Zephyrine',
      profile: 'ks3',
      status: 'escalated',
    });

    server = await startTestServer(ctx);
    as = sessionPool(server.url, TEST_PASSWORD);
  });

  after(async () => {
    await server?.close();
    await smtp?.close();
    await t?.cleanup();
  });

  it('makes the daily summary with exact figures for a British Summer Time day', async () => {
    const dee = await as('dee.dsl');
    const run = await dee.post('/api/monitor/reports/run', { kind: 'daily', date: '2026-07-14' });
    assert.equal(run.status, 201, JSON.stringify(run.body));
    assert.equal(run.body.created, true);
    assert.equal(run.body.periodStart, '2026-07-13T23:00:00.000Z');
    assert.equal(run.body.periodEnd, '2026-07-14T23:00:00.000Z');
    assert.equal(run.body.emailedTo, 2);
    dailyId = run.body.id;

    const got = await dee.get(`/api/monitor/reports/${dailyId}`);
    assert.equal(got.status, 200);
    const data = got.body.data;
    // Dee's copy: the alert about her is gone from every figure, as if it had never been raised.
    assert.deepEqual(data.totals, { requests: 11, blocked: 7, alerts: 2 });
    assert.deepEqual(
      data.blockedCategories.map((c: { key: string; label: string; count: number }) => [c.key, c.label, c.count]),
      [
        ['gambling', 'Gambling', 3],
        ['pornography', 'Pornography', 1],
      ],
    );
    assert.deepEqual(
      data.blockedHosts.map((h: { key: string; count: number }) => [h.key, h.count]),
      [
        ['blocked-by-squid.example', 2],
        ['proxy-only.example', 1],
      ],
    );
    assert.deepEqual(
      data.people.map((p: { name: string; yearGroup: number; count: number }) => [p.name, p.yearGroup, p.count]),
      [
        ['Amy Zephyrine', 8, 3],
        ['Ben Quillfeather', 12, 2],
      ],
    );
    assert.equal(data.peopleBlocked, 2);
    assert.deepEqual(
      data.addresses.map((a: { key: string; count: number }) => [a.key, a.count]),
      [
        ['10.0.0.7', 1],
        ['10.0.0.9', 1],
      ],
    );
    const hours = (series: number[]) => Object.fromEntries(series.flatMap((v, h) => (v ? [[h, v]] : [])));
    assert.deepEqual(hours(data.hours.requests), { 0: 1, 9: 2, 10: 4, 11: 2, 13: 1, 23: 1 });
    assert.deepEqual(hours(data.hours.blocked), { 0: 1, 9: 2, 10: 2, 13: 1, 23: 1 });
    assert.deepEqual(data.alerts.bySeverity, { low: 1, medium: 0, high: 1, critical: 0 });
    assert.deepEqual(
      data.alerts.byCategory.map((c: { key: string; count: number }) => [c.key, c.count]),
      [
        ['bullying', 1],
        ['self_harm', 1],
      ],
    );
    assert.deepEqual(
      data.alerts.items.map((a: { id: string }) => a.id),
      [alerts.selfHarm, alerts.bullying],
    );
    const dan = await as('dan.deputy');
    const forDan = await dan.get(`/api/monitor/reports/${dailyId}`);
    assert.deepEqual(forDan.body.data.totals, { requests: 11, blocked: 7, alerts: 3 });
    assert.deepEqual(forDan.body.data.alerts.bySeverity, { low: 1, medium: 1, high: 1, critical: 0 });
    assert.deepEqual(
      forDan.body.data.alerts.byCategory.map((c: { key: string; count: number }) => [c.key, c.count]),
      [
        ['bullying', 1],
        ['self_harm', 1],
        ['violence', 1],
      ],
    );
    assert.deepEqual(
      forDan.body.data.alerts.items.map((a: { id: string }) => a.id),
      [alerts.selfHarm, alerts.aboutDee, alerts.bullying],
    );
    const forHead = await (await as('hal.head')).get(`/api/monitor/reports/${dailyId}`);
    assert.deepEqual(
      forHead.body.data.alerts.items.map((a: { id: string }) => a.id),
      [alerts.aboutDee],
      'the head sees alert lines about staff only',
    );
    assert.equal(forHead.body.data.totals.alerts, 3, 'and every alert counted');
  });

  it('e-mails each DSL the figures and charts without a pupil name, and notifies them in the app', async () => {
    const daily = smtp.messages.filter((m) => /Daily internet-usage summary/.test(m.data));
    assert.deepEqual(daily.flatMap((m) => m.to).sort(), ['dan@school.example', 'dee@school.example']);
    for (const message of daily) {
      const { text, html, headers } = mailParts(message.data);
      assert.match(headers, /Subject: \[Tutela\] Daily internet-usage summary for Tuesday 14 July 2026/);
      // Each copy leaves out the alerts about its reader.
      assert.match(text, new RegExp(`Requests seen: 11\nBlocked: 7\nNew alerts: ${message.to[0] === 'dee@school.example' ? 2 : 3}\n`));
      assert.match(text, /People blocked at least once: 2 \(the most for one person: 3\)/);
      assert.match(text, new RegExp(`https://tutela\\.school\\.example/monitoring/reports/${dailyId}`));
      assert.match(html, /<svg[^>]+role="img"/);
      assert.match(html, /<title id="chart-\d+">Top blocked categories<\/title>/);
      for (const part of [text, html, headers]) {
        for (const name of ['Zephyrine', 'Quillfeather', 'Amy', 'Dee Dsl']) assert.ok(!part.includes(name), `the e-mail names ${name}`);
      }
    }
    const notes = await ctx.db
      .selectFrom('notifications')
      .select(['recipient_person_id', 'link', 'title'])
      .where('kind', '=', 'monitor.report.daily')
      .orderBy('recipient_person_id')
      .execute();
    assert.deepEqual(notes.map((n) => n.recipient_person_id).sort(), [people['dan.deputy'], people['dee.dsl']].sort());
    for (const n of notes) assert.equal(n.link, `/monitoring/reports/${dailyId}`);
    const bodies = await ctx.db
      .selectFrom('notifications')
      .select(['recipient_person_id', 'body'])
      .where('kind', '=', 'monitor.report.daily')
      .execute();
    assert.deepEqual(bodies.map((b) => [b.recipient_person_id === people['dee.dsl'] ? 'dee' : 'dan', b.body]).sort(), [
      ['dan', '11 requests seen, 7 blocked, 3 new alerts.'],
      ['dee', '11 requests seen, 7 blocked, 2 new alerts.'],
    ]);
  });

  it('does not send a day twice', async () => {
    const before = smtp.messages.length;
    const again = await (await as('dan.deputy')).post('/api/monitor/reports/run', { kind: 'daily', date: '2026-07-14' });
    assert.equal(again.status, 200);
    assert.equal(again.body.created, false);
    assert.equal(again.body.id, dailyId);
    assert.equal(smtp.messages.length, before);
    const rows = await ctx.db.selectFrom('monitor_reports').select('id').where('kind', '=', 'daily').execute();
    assert.equal(rows.length, 1);
  });

  it('serves the printable page with charts and names, and audits every read', async () => {
    const dee = await as('dee.dsl');
    const page = await dee.get(`/api/monitor/reports/${dailyId}?format=html`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(page.headers.get('cache-control'), 'no-store');
    const html = page.body as string;
    assert.match(html, /^<!doctype html>/);
    assert.match(html, /@media print/);
    assert.ok((html.match(/<svg /g) ?? []).length >= 4, 'categories, people, alerts and hours charts');
    assert.match(html, /Amy Zephyrine/);
    assert.match(html, new RegExp(`href="/monitoring/alerts/${alerts.selfHarm}"`));
    assert.ok(!html.includes(alerts.aboutDee!), 'no line for the alert about the reader');
    assert.match(html, /<td>2026-07-14 11:00<\/td>/, 'times on the school clock (10:00 UTC is 11:00 BST)');
    const reads = await ctx.db
      .selectFrom('audit_log')
      .select(['actor_username', 'target_id', 'details'])
      .where('action', '=', 'monitor.report.read')
      .execute();
    assert.ok(reads.some((r) => r.actor_username === 'dee.dsl' && r.target_id === dailyId && JSON.parse(r.details).format === 'html'));
    assert.ok(reads.some((r) => r.actor_username === 'hal.head' && JSON.parse(r.details).format === 'json'));
  });

  it('lists the reports', async () => {
    const list = await (await as('hal.head')).get('/api/monitor/reports');
    assert.equal(list.status, 200);
    assert.deepEqual(list.body[0], {
      id: dailyId,
      kind: 'daily',
      periodStart: '2026-07-13T23:00:00.000Z',
      periodEnd: '2026-07-14T23:00:00.000Z',
      firstDate: '2026-07-14',
      lastDate: '2026-07-14',
      createdAt: '2026-07-20T09:00:00.000Z',
      emailedTo: 2,
    });
    const head = await as('hal.head');
    assert.equal((await head.get('/api/monitor/reports/no-such-report')).status, 404);
    // PostgreSQL cannot compare with a NUL: a bad request, not a server error.
    assert.equal((await head.get('/api/monitor/reports/no%00such')).status, 400);
  });

  it('refuses dates that are not whole past days, saying why', async () => {
    const dee = await as('dee.dsl');
    for (const date of ['2026-02-30', '14/07/2026', 'yesterday', '2026-7-14']) {
      const r = await dee.post('/api/monitor/reports/run', { kind: 'daily', date });
      assert.equal(r.status, 400, date);
      assert.equal(r.body.error, 'validation_failed');
      assert.match(r.body.message, /date must be a calendar date written YYYY-MM-DD/);
    }
    const today = await dee.post('/api/monitor/reports/run', { kind: 'daily', date: '2026-07-20' });
    assert.equal(today.status, 400);
    assert.match(today.body.message, /the day 2026-07-20 has not ended yet/);
    const week = await dee.post('/api/monitor/reports/run', { kind: 'weekly', date: '2026-07-22' });
    assert.equal(week.status, 400);
    assert.match(week.body.message, /the week of 2026-07-20 to 2026-07-26 has not ended yet/);
    const kind = await dee.post('/api/monitor/reports/run', { kind: 'monthly' });
    assert.equal(kind.status, 400);
  });

  it('makes the weekly report: day by day, against the week before, by group, with outcomes', async () => {
    const dee = await as('dee.dsl');
    const run = await dee.post('/api/monitor/reports/run', { kind: 'weekly', date: '2026-07-16' });
    assert.equal(run.status, 201, JSON.stringify(run.body));
    assert.equal(run.body.periodStart, '2026-07-12T23:00:00.000Z');
    assert.equal(run.body.periodEnd, '2026-07-19T23:00:00.000Z');
    const data = (await (await as('dan.deputy')).get(`/api/monitor/reports/${run.body.id}`)).body.data;
    assert.deepEqual(data.previousAlerts, [], "the week before's alert list never leaves the server");
    assert.deepEqual(
      data.days.map((d: { date: string; requests: number; blocked: number; alerts: number }) => [d.date, d.requests, d.blocked, d.alerts]),
      [
        ['2026-07-13', 2, 2, 1],
        ['2026-07-14', 11, 7, 3],
        ['2026-07-15', 1, 1, 0],
        ['2026-07-16', 0, 0, 0],
        ['2026-07-17', 0, 0, 0],
        ['2026-07-18', 0, 0, 0],
        ['2026-07-19', 0, 0, 0],
      ],
    );
    assert.deepEqual(data.totals, { requests: 14, blocked: 10, alerts: 4 });
    assert.deepEqual(data.previousTotals, { requests: 3, blocked: 3, alerts: 2 });
    assert.deepEqual(
      data.blockedCategories.map((c: { key: string; perDay: number[]; total: number; previous: number }) => [
        c.key,
        c.perDay,
        c.total,
        c.previous,
      ]),
      [
        ['gambling', [1, 3, 1, 0, 0, 0, 0], 5, 2],
        ['pornography', [0, 1, 0, 0, 0, 0, 0], 1, 0],
        ['drugs', [0, 0, 0, 0, 0, 0, 0], 0, 1],
      ],
    );
    assert.deepEqual(
      data.alertCategories.map((c: { key: string; perDay: number[]; total: number; previous: number }) => [
        c.key,
        c.perDay,
        c.total,
        c.previous,
      ]),
      [
        ['bullying', [0, 1, 0, 0, 0, 0, 0], 1, 1],
        ['self_harm', [0, 1, 0, 0, 0, 0, 0], 1, 1],
        ['suicide', [1, 0, 0, 0, 0, 0, 0], 1, 0],
        ['violence', [0, 1, 0, 0, 0, 0, 0], 1, 0],
      ],
    );
    assert.deepEqual(
      data.groups.map((g: { label: string; blocked: number; previousBlocked: number; alerts: number; previousAlerts: number }) => [
        g.label,
        g.blocked,
        g.previousBlocked,
        g.alerts,
        g.previousAlerts,
      ]),
      [
        ['Year 8 (Key stage 3)', 5, 2, 2, 1],
        ['Year 12 (Sixth form)', 2, 1, 1, 1],
        ['Staff', 0, 0, 1, 0],
        ['Not identified', 3, 0, 0, 0],
      ],
    );
    assert.deepEqual(data.outcomes, { open: 1, false_positive: 1, escalated: 1, closed: 1, falsePositiveRate: 1 / 3 });
    assert.deepEqual(data.previousOutcomes, { open: 0, false_positive: 1, escalated: 1, closed: 0, falsePositiveRate: 0.5 });
    assert.equal(
      data.hours.requests.reduce((a: number, b: number) => a + b, 0),
      14,
    );
    // Dee's copy without the closed alert about her.
    const mine = (await dee.get(`/api/monitor/reports/${run.body.id}`)).body.data;
    assert.deepEqual(mine.totals, { requests: 14, blocked: 10, alerts: 3 });
    assert.deepEqual(
      mine.days.map((d: { alerts: number }) => d.alerts),
      [1, 2, 0, 0, 0, 0, 0],
    );
    assert.deepEqual(
      mine.alertCategories.map((c: { key: string }) => c.key),
      ['bullying', 'self_harm', 'suicide'],
    );
    assert.deepEqual(
      mine.groups.map((g: { label: string }) => g.label),
      ['Year 8 (Key stage 3)', 'Year 12 (Sixth form)', 'Not identified'],
    );
    assert.deepEqual(mine.outcomes, { open: 1, false_positive: 1, escalated: 1, closed: 0, falsePositiveRate: 0.5 });
    const mail = smtp.messages.filter((m) => /Weekly monitoring report/.test(m.data));
    assert.equal(mail.length, 2);
    const danMail = mailParts(mail.find((m) => m.to[0] === 'dan@school.example')!.data);
    const deeMail = mailParts(mail.find((m) => m.to[0] === 'dee@school.example')!.data);
    assert.match(danMail.html, /<title id="chart-\d+">Top blocked categories, this week and the week before<\/title>/);
    assert.match(danMail.text, /false-positive rate 33%/);
    assert.match(deeMail.text, /false-positive rate 50%/);
    const { html, text } = danMail;
    assert.ok(!html.includes('Zephyrine') && !text.includes('Zephyrine'));
  });

  it('refuses reports, settings and retention to everyone but the DSL team and the head of the school', async () => {
    const calls: [string, string, unknown?][] = [
      ['GET', '/api/monitor/reports'],
      ['GET', `/api/monitor/reports/${dailyId}`],
      ['GET', `/api/monitor/reports/${dailyId}?format=html`],
      ['POST', '/api/monitor/reports/run', { kind: 'daily', date: '2026-07-15' }],
      ['GET', '/api/monitor/settings'],
      ['PUT', '/api/monitor/settings', DEFAULT_MONITOR_SETTINGS],
      ['GET', '/api/monitor/retention'],
      ['POST', '/api/monitor/retention/run', { dryRun: true }],
    ];
    for (const username of ['tia.teacher', 'gil.governor', 'nat.netman', 'amy.zephyrine', 'oda.dsl']) {
      const client = await as(username);
      // Another school's DSL manages their own school: what they are refused is this school's reports.
      const refused = username === 'oda.dsl' ? calls.filter(([, path]) => path.includes(dailyId)) : calls;
      for (const [method, path, body] of refused) {
        const r = await client.request(method, path, body);
        assert.equal(r.status, 403, `${username} ${method} ${path}: ${r.status}`);
        assert.equal(r.body.error, 'forbidden');
      }
    }
    const theirs = await (await as('oda.dsl')).get('/api/monitor/reports');
    assert.deepEqual(theirs.body, [], "another school's DSL lists only their own school's reports");
    const reads = await ctx.db.selectFrom('audit_log').select('actor_username').where('action', '=', 'monitor.report.read').execute();
    assert.ok(!reads.some((r) => ['tia.teacher', 'oda.dsl'].includes(r.actor_username ?? '')), 'a refused read is not a read');
    const made = await ctx.db.selectFrom('monitor_reports').select('id').execute();
    assert.equal(made.length, 2, 'no refused run made a report');
  });

  it('validates, saves and audits the settings', async () => {
    const dee = await as('dee.dsl');
    const current = await dee.get('/api/monitor/settings');
    assert.equal(current.status, 200);
    assert.deepEqual(current.body, DEFAULT_MONITOR_SETTINGS);

    const bad = (change: (s: MonitorSettings) => void) => {
      const s = structuredClone(DEFAULT_MONITOR_SETTINGS);
      change(s);
      return dee.put('/api/monitor/settings', s);
    };
    const threshold = await bad((s) => {
      s.profiles.ks3.riskThreshold = 1;
    });
    assert.equal(threshold.status, 400);
    assert.equal(threshold.body.error, 'validation_failed');
    assert.match(threshold.body.message, /riskThreshold/);
    assert.equal((await bad((s) => ((s.profiles.ks4 as unknown as { minimumSeverity: string }).minimumSeverity = 'urgent'))).status, 400);
    assert.equal((await bad((s) => (s.retention.activityDays = 0))).status, 400);
    assert.equal((await bad((s) => ((s as unknown as { extra: number }).extra = 1))).status, 400);
    assert.equal((await bad((s) => ((s.profiles.staff.categorySeverity as Record<string, string>).weapons = 'high'))).status, 400);
    assert.deepEqual((await dee.get('/api/monitor/settings')).body, DEFAULT_MONITOR_SETTINGS, 'nothing saved by a refused change');

    const next = structuredClone(DEFAULT_MONITOR_SETTINGS);
    next.profiles.ks3.riskThreshold = 5;
    next.profiles.primary.categorySeverity.self_harm = 'critical';
    next.retention.activityDays = 30;
    next.reports.dailyHour = 6;
    const saved = await dee.put('/api/monitor/settings', next);
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    assert.deepEqual(saved.body, next);
    assert.deepEqual((await (await as('hal.head')).get('/api/monitor/settings')).body, next);
    const audit = await ctx.db
      .selectFrom('audit_log')
      .select(['actor_username', 'details'])
      .where('action', '=', 'monitor.settings.update')
      .executeTakeFirstOrThrow();
    assert.equal(audit.actor_username, 'dee.dsl');
    assert.deepEqual(JSON.parse(audit.details).changes, [
      { path: 'profiles.ks3.riskThreshold', from: 3, to: 5 },
      { path: 'profiles.primary.categorySeverity.self_harm', from: null, to: 'critical' },
      { path: 'reports.dailyHour', from: 7, to: 6 },
      { path: 'retention.activityDays', from: 90, to: 30 },
    ]);
    // Back to the defaults so the retention test below runs on 90 days.
    assert.equal((await dee.put('/api/monitor/settings', DEFAULT_MONITOR_SETTINGS)).status, 200);
  });

  it('runs the retention purge from the API and shows it', async () => {
    const amy = people['amy.zephyrine']!;
    await insertActivity(ctx, { schoolId, at: '2026-04-01T10:00:00.000Z', action: 'block', category: 'gambling', personId: amy });
    await insertEvent(ctx, { schoolId, at: '2026-04-01T10:00:00.000Z', blocked: true, personId: amy });
    const dee = await as('dee.dsl');
    const dry = await dee.post('/api/monitor/retention/run', { dryRun: true });
    assert.equal(dry.status, 200);
    assert.deepEqual([dry.body.activityDeleted, dry.body.eventsDeleted, dry.body.alertsDeleted, dry.body.purgeId], [1, 1, 0, null]);
    assert.equal(dry.body.activityBefore, '2026-04-21T09:00:00.000Z');
    const run = await (await as('hal.head')).post('/api/monitor/retention/run', {});
    assert.equal(run.status, 200);
    assert.deepEqual([run.body.activityDeleted, run.body.eventsDeleted, run.body.alertsDeleted], [1, 1, 0]);
    const status = await dee.get('/api/monitor/retention');
    assert.equal(status.status, 200);
    assert.deepEqual(status.body.retention, { activityDays: 90, alertDays: 365 });
    assert.equal(status.body.purges.length, 1);
    assert.equal(status.body.purges[0].ranBy, 'hal.head');
    assert.equal(status.body.nextDueAt, '2026-07-21T09:00:00.000Z');
    // The July activity the reports were made from is within 90 days and stays.
    const left = await ctx.db.selectFrom('activity_events').select('id').where('school_id', '=', schoolId).execute();
    assert.equal(left.length, 12);
  });
});

import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { InProcessActivityBus } from '../../src/activity/bus.js';
import { ActivityWriter } from '../../src/activity/writer.js';
import { createDemoSchool } from '../../src/demo/demo-school.js';
import { setUpDemoFiltering } from '../../src/demo/filtering.js';
import { FilterRuntime, signBlockToken } from '../../src/filter/runtime/index.js';
import { getViaProxy } from '../../src/filter/runtime/test-support.js';
import { bridgeFilterEvents } from '../../src/monitor/ingest/filter-bridge.js';
import { type MonitorRuntime, startMonitor } from '../../src/monitor/runtime.js';
import { smtpMailer } from '../../src/notify/mailer.js';
import { startSmtpSink } from '../../src/notify/test-support.js';
import { startProxyServer } from '../../src/proxy/index.js';
import { ApiClient } from '../../src/testing/http.js';
import { type Harness, signIn, startHarness } from './harness.js';

/*
 * The "Done when", on the demo school as `tutela start --demo` creates it: the filter
 * with the demo devices, the proxy, the monitor fed by the filter's own events, and a local
 * SMTP server for the daily summary. Demo accounts skip two-step sign-in while a demo password
 * is set, as they do on a demonstration server.
 */
const PASSWORD = 'riverside-demo';
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const UT1 = path.resolve(REPO_ROOT, '..', 'shared', 'data', 'ut1');
// demo.student10's laptop in the demo set-up; the proxy tells people apart by address.
const STUDENT_LAPTOP = '127.0.0.10';

describe('monitoring on the demo school (browser)', () => {
  let h: Harness;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let monitor: MonitorRuntime;
  let runtime: FilterRuntime;
  let proxy: Awaited<ReturnType<typeof startProxyServer>>;
  let bridge: ReturnType<typeof bridgeFilterEvents>;
  const stops: (() => Promise<void> | void)[] = [];

  before(async () => {
    smtp = await startSmtpSink();
    h = await startHarness({
      seed: false,
      env: { TUTELA_DEMO_PASSWORD: PASSWORD, TUTELA_UT1_SOURCE: UT1, TUTELA_SMTP_URL: smtp.url },
      services: (ctx) => {
        const mailer = smtpMailer(ctx.config.smtp);
        monitor = startMonitor(ctx, { mailer });
        stops.push(() => mailer?.close());
        return { monitor };
      },
    });
    h.ctx.clock.set(new Date());
    const school = await createDemoSchool(h.ctx, { password: PASSWORD });
    await setUpDemoFiltering(h.ctx, school.schoolId, school.trustId);

    // The filter as `tutela start` runs it: decisions go on the bus to the activity log and the monitor.
    const bus = new InProcessActivityBus();
    const writer = new ActivityWriter(h.ctx.db, bus).start();
    bridge = bridgeFilterEvents(bus, monitor.analyser);
    runtime = new FilterRuntime(h.ctx, { bus });
    await runtime.start();
    proxy = await startProxyServer({
      host: '127.0.0.1',
      port: 0,
      gate: runtime,
      authenticate: async () => null,
      requireAuth: false,
      blockPageUrl: (decision, target) =>
        `${h.url}/blocked?target=${encodeURIComponent(target)}&token=${signBlockToken(h.ctx.secretKey, decision, h.ctx.clock())}`,
      pacProxyHost: '127.0.0.1',
      // No internet here: the search engine cannot be reached, and need not be; the decision is what counts.
      timeouts: { upstreamConnectMs: 500 },
    });
    stops.push(
      () => proxy.close(),
      () => runtime.stop(),
      () => bridge(),
      () => writer.close(),
    );
  });
  after(async () => {
    for (const stop of stops.reverse()) await stop();
    await h?.close();
    await smtp?.close();
  });

  it('raises an alert for a self-harm search by demo.student10 that demo.dsl sees at once, highlighted', async () => {
    await getViaProxy(proxy.port, 'http://www.google.com/search?q=how+to+kill+myself+tonight', { from: STUDENT_LAPTOP });
    // A benign near-miss from the same laptop: a football club and a computing lesson.
    await getViaProxy(proxy.port, 'http://www.bing.com/search?q=scunthorpe+united+fixtures', { from: STUDENT_LAPTOP });
    await getViaProxy(proxy.port, 'http://www.bing.com/search?q=how+to+kill+the+process+in+linux', { from: STUDENT_LAPTOP });
    // The bridge hands the filter's decisions on every few milliseconds; then the analyser works.
    for (let i = 0; i < 200 && bridge.stats().analysed < 3; i++) await new Promise((r) => setTimeout(r, 25));
    assert.equal(bridge.stats().analysed, 3, 'the three searches reached the monitor');
    await monitor.analyser.idle();

    const alerts = await h.ctx.db.selectFrom('monitor_alerts').selectAll().execute();
    assert.equal(alerts.length, 1, `one alert, not ${alerts.map((a) => a.matched).join(', ')}`);
    const alert = alerts[0]!;
    assert.equal(alert.category, 'suicide');
    const student = await h.ctx.db
      .selectFrom('accounts')
      .select('person_id')
      .where('username', '=', 'demo.student10')
      .executeTakeFirstOrThrow();
    assert.equal(alert.person_id, student.person_id);
    assert.equal(alert.device, 'Demo student laptop', 'the registered device the search came from');
    // Critical: the DSL is told at once, in the app (and by e-mail where SMTP is set up).
    assert.equal(alert.severity, 'critical');
    const dslPerson = await h.ctx.db
      .selectFrom('accounts')
      .select('person_id')
      .where('username', '=', 'demo.dsl')
      .executeTakeFirstOrThrow();
    const told = await h.ctx.db
      .selectFrom('notifications')
      .select('link')
      .where('recipient_person_id', '=', dslPerson.person_id)
      .where('kind', '=', 'monitor.alert')
      .execute();
    assert.deepEqual(
      told.map((n) => n.link),
      [`/monitoring/alerts/${alert.id}`],
    );

    const page = await h.newPage();
    await signIn(page, 'demo.dsl', PASSWORD);
    await page.getByRole('heading', { level: 1, name: /^Hello, / }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Monitoring' }).click();
    const row = page.getByRole('row').filter({ hasText: alert.who });
    await row.first().waitFor();
    assert.equal((await row.locator('mark').first().textContent())?.toLowerCase(), alert.matched.toLowerCase());
    assert.match(alert.matched.toLowerCase(), /kill myself/);
    assert.deepEqual(h.pageErrors, []);
  });

  it('sends the daily summary to the DSL at the local SMTP server', async () => {
    const before = smtp.messages.length;
    // A summary covers a whole day: run today's once it is over, as the morning job would.
    const today = new Date(h.ctx.clock());
    h.ctx.clock.set(new Date(today.getTime() + 24 * 3600_000));
    const dsl = new ApiClient(h.url);
    assert.equal((await dsl.signIn('demo.dsl', PASSWORD)).status, 200);
    const day = today.toLocaleDateString('en-CA', { timeZone: 'Europe/London' });
    const run = await dsl.post('/api/monitor/reports/run', { kind: 'daily', date: day });
    assert.ok(run.status === 200 || run.status === 201, JSON.stringify(run.body));
    const email = await h.ctx.db
      .selectFrom('accounts')
      .innerJoin('people', 'people.id', 'accounts.person_id')
      .select('people.email')
      .where('accounts.username', '=', 'demo.dsl')
      .executeTakeFirstOrThrow();
    const mail = smtp.messages.slice(before).find((m) => m.to.includes(email.email!));
    assert.ok(mail, `a summary e-mail to ${email.email}`);
    assert.match(mail.data, /Subject: .*(summary|Summary)/);
    // The alert is counted, and the pupil is not named: e-mail is not a safe channel.
    assert.match(mail.data, /New alerts/);
    const student = await h.ctx.db
      .selectFrom('accounts')
      .innerJoin('people', 'people.id', 'accounts.person_id')
      .select('people.family_name')
      .where('accounts.username', '=', 'demo.student10')
      .executeTakeFirstOrThrow();
    assert.ok(!mail.data.includes(student.family_name), 'no pupil name in the e-mail');
    const stored = await h.ctx.db.selectFrom('monitor_reports').select('data').where('kind', '=', 'daily').executeTakeFirstOrThrow();
    assert.equal((JSON.parse(stored.data) as { totals: { alerts: number } }).totals.alerts, 1);
  });
});

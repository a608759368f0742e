import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Actor } from '../../access/policy.js';
import { smtpMailer } from '../../notify/mailer.js';
import { startSmtpSink } from '../../notify/test-support.js';
import { addUser, seedSchool, TEST_PASSWORD } from '../../testing/fixtures.js';
import { ApiClient, sessionPool, startTestServer } from '../../testing/http.js';
import { createTestStore, type TestStore, testContext } from '../../testing/store.js';
import { type MonitorRuntime, startMonitor } from '../runtime.js';
import { createCaptureSource } from '../sources/service.js';

/**
 * The whole way: text posted to the capture API is committed, scanned, raised as an alert,
 * paged to the DSL and shown highlighted in the queue. A benign near-miss raises nothing.
 */
describe('from capture to the DSL', () => {
  let store: TestStore;
  let ctx: ReturnType<typeof testContext>;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let monitor: MonitorRuntime;
  let mailer: ReturnType<typeof smtpMailer>;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let key: string;
  let dslId: string;

  before(async () => {
    store = await createTestStore();
    ctx = testContext(store, { TUTELA_DEMO_PASSWORD: TEST_PASSWORD });
    ctx.clock.set(new Date());
    smtp = await startSmtpSink();
    mailer = smtpMailer({ url: smtp.url, from: 'Tutela <tutela@school.example>' });
    const { schoolId, trustId } = await seedSchool(ctx, 'Pipeline Academy');
    const dsl = await addUser(ctx, schoolId, 'dee.dsl', ['staff', 'dsl'], { isDemo: true });
    dslId = dsl.personId;
    await ctx.db.updateTable('people').set({ email: 'dsl@school.example' }).where('id', '=', dsl.personId).execute();
    await addUser(ctx, schoolId, 'sam.student', ['student'], { yearGroup: 9, isDemo: true });
    const actor: Actor = {
      accountId: dsl.accountId,
      username: 'dee.dsl',
      personId: dsl.personId,
      displayName: 'Dee Dsl',
      schoolId,
      trustId,
      roles: new Set(['staff', 'dsl']),
      childIds: [],
    };
    ({ key } = await createCaptureSource(ctx.db, schoolId, 'Chat system', { actor, ip: null, now: ctx.clock() }));
    monitor = startMonitor(ctx, { mailer, webBase: 'https://tutela.school.example' });
    server = await startTestServer(ctx, { monitor });
  });

  after(async () => {
    await server.close();
    await monitor.close();
    mailer?.close();
    await smtp.close();
    await store.cleanup();
  });

  const capture = async (text: string) => {
    const res = await new ApiClient(server.url).post(
      '/api/monitor/captures',
      { events: [{ kind: 'chat', username: 'sam.student', text }] },
      { authorization: `Bearer ${key}` },
    );
    assert.equal(res.status, 202, JSON.stringify(res.body));
    await monitor.analyser.idle();
  };

  it('raises nothing for a benign near-miss', async () => {
    await capture('we are playing Scunthorpe on saturday, then I need to kill the process on my laptop');
    assert.equal((await ctx.db.selectFrom('monitor_alerts').select('id').execute()).length, 0);
  });

  it('shows a self-harm phrase to the DSL at once, highlighted, and pages them', async () => {
    await capture('nobody gets it. i want to k1ll mys3lf tbh');
    const dsl = await sessionPool(server.url, TEST_PASSWORD)('dee.dsl');
    const list = await dsl.get('/api/monitor/alerts');
    assert.equal(list.status, 200);
    const [alert] = list.body.alerts;
    assert.equal(alert.who, 'Sam Student');
    assert.equal(alert.severity, 'critical');
    assert.equal(alert.excerpt.slice(alert.highlightStart, alert.highlightEnd), 'k1ll mys3lf');
    const notes = await dsl.get('/api/notifications');
    assert.ok(JSON.stringify(notes.body).includes(`/monitoring/alerts/${alert.id}`), 'the in-app notification links the alert');
    assert.equal(smtp.messages.length, 1);
    assert.deepEqual(smtp.messages[0]!.to, ['dsl@school.example']);
    const [row] = await ctx.db.selectFrom('notifications').select('recipient_person_id').where('kind', '=', 'monitor.alert').execute();
    assert.equal(row!.recipient_person_id, dslId);
  });
});

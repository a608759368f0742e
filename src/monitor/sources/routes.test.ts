import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Role } from '../../access/roles.js';
import { addUser, seedSchool, TEST_PASSWORD } from '../../testing/fixtures.js';
import { ApiClient, sessionPool, startTestServer } from '../../testing/http.js';
import { createTestStore, type TestStore, testContext } from '../../testing/store.js';
import { findSyslogSource } from './service.js';

describe('monitoring sources', () => {
  let t: TestStore;
  let ctx: ReturnType<typeof testContext>;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let as: ReturnType<typeof sessionPool>;
  let schoolId: string;
  let otherSchoolId: string;

  before(async () => {
    t = await createTestStore();
    ctx = testContext(t, { TUTELA_DEMO_PASSWORD: TEST_PASSWORD });
    ({ schoolId } = await seedSchool(ctx, 'Sources School'));
    const other = await seedSchool(ctx, 'Other School');
    otherSchoolId = other.schoolId;
    const user = (username: string, roles: Role[], school = schoolId) => addUser(ctx, school, username, roles, { isDemo: true });
    await user('dee.dsl', ['staff', 'dsl']);
    await user('nat.network', ['staff', 'network_manager']);
    await user('tia.teacher', ['staff']);
    await user('hal.head', ['staff', 'head']);
    await user('gil.governor', ['governor']);
    await user('sam.student', ['student']);
    await user('oda.dsl', ['staff', 'dsl'], otherSchoolId);
    server = await startTestServer(ctx);
    as = sessionPool(server.url, TEST_PASSWORD);
  });
  after(async () => {
    await server.close();
    await t.cleanup();
  });

  it('makes a capture key shown once, lists it by its hint only, and audits it', async () => {
    const dsl = await as('dee.dsl');
    const made = await dsl.post('/api/monitor/sources', { kind: 'capture', name: '  Office 365 mail  ' });
    assert.equal(made.status, 201);
    assert.match(made.body.key, /^tut_/);
    assert.equal(made.body.source.name, 'Office 365 mail');
    assert.equal(made.body.source.keyHint, made.body.key.slice(0, 10));
    const list = await dsl.get('/api/monitor/sources');
    assert.equal(list.status, 200);
    const listed = list.body.find((s: { id: string }) => s.id === made.body.source.id);
    assert.deepEqual(
      [listed.kind, listed.name, listed.keyHint, listed.revokedAt, listed.createdBy],
      ['capture', 'Office 365 mail', made.body.key.slice(0, 10), null, 'dee.dsl'],
    );
    assert.ok(!JSON.stringify(list.body).includes(made.body.key), 'the key is never shown again');
    assert.ok(!JSON.stringify(list.body).includes('keyHash') && !JSON.stringify(list.body).includes('key_hash'));
    const audit = await ctx.db.selectFrom('audit_log').selectAll().where('target_id', '=', made.body.source.id).execute();
    assert.deepEqual(
      audit.map((a) => [a.action, a.actor_username, a.school_id]),
      [['monitor.source_created', 'dee.dsl', schoolId]],
    );
    assert.ok(!audit[0]!.details.includes(made.body.key));
  });

  it('registers a syslog sender that the syslog server finds by address, once per address', async () => {
    const network = await as('nat.network');
    const made = await network.post('/api/monitor/sources', { kind: 'syslog', name: 'Squid proxy', address: '10.9.0.1', format: 'squid' });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.equal(made.body.key, undefined);
    assert.deepEqual(await findSyslogSource(ctx.db, '10.9.0.1'), {
      id: made.body.source.id,
      schoolId,
      name: 'Squid proxy',
      format: 'squid',
    });
    assert.equal(
      (await findSyslogSource(ctx.db, '::ffff:10.9.0.1'))?.id,
      made.body.source.id,
      'an IPv4 sender seen on a dual-stack socket',
    );
    assert.equal(await findSyslogSource(ctx.db, '10.9.0.2'), null);
    const again = await (await as('oda.dsl')).post('/api/monitor/sources', {
      kind: 'syslog',
      name: 'Same box',
      address: '10.9.0.1',
      format: 'text',
    });
    assert.equal(again.status, 409);
    const revoked = await network.post(`/api/monitor/sources/${made.body.source.id}/revoke`);
    assert.equal(revoked.status, 200);
    assert.ok(revoked.body.revokedAt);
    assert.equal(await findSyslogSource(ctx.db, '10.9.0.1'), null);
    assert.equal((await network.post(`/api/monitor/sources/${made.body.source.id}/revoke`)).status, 409);
    const audit = await ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', made.body.source.id)
      .orderBy('seq')
      .execute();
    assert.deepEqual(
      audit.map((a) => a.action),
      ['monitor.source_created', 'monitor.source_revoked'],
    );
  });

  it('refuses bad sources', async () => {
    const dsl = await as('dee.dsl');
    for (const body of [
      { kind: 'syslog', name: 'x', address: 'proxy.local', format: 'squid' },
      { kind: 'syslog', name: 'x', address: '10.0.0.1', format: 'apache' },
      { kind: 'syslog', name: 'x', format: 'squid' },
      { kind: 'file', name: 'x' },
      { kind: 'capture', name: '' },
      { kind: 'capture', name: '   ' },
      { kind: 'capture', name: 'x'.repeat(101) },
      // PostgreSQL cannot store NUL: a bad request, not a server error.
      { kind: 'capture', name: 'Mail\u0000' },
      { kind: 'syslog', name: 'Proxy\u0000', address: '10.0.0.77', format: 'squid' },
    ]) {
      const res = await dsl.post('/api/monitor/sources', body);
      assert.equal(res.status, 400, `${JSON.stringify(body)} → ${res.status}`);
    }
    assert.equal((await dsl.post('/api/monitor/sources/no-such-id/revoke')).status, 404);
    assert.equal((await dsl.post('/api/monitor/sources/no%00such/revoke')).status, 400);
  });

  it('is refused to roles without monitor.sources.manage, and to another school', async () => {
    const dsl = await as('dee.dsl');
    const mine = (await dsl.post('/api/monitor/sources', { kind: 'capture', name: 'Refusals' })).body.source.id;
    for (const username of ['tia.teacher', 'hal.head', 'gil.governor', 'sam.student']) {
      const client = await as(username);
      assert.equal((await client.get('/api/monitor/sources')).status, 403, `${username} list`);
      assert.equal((await client.post('/api/monitor/sources', { kind: 'capture', name: 'Mine' })).status, 403, `${username} create`);
      assert.equal((await client.post(`/api/monitor/sources/${mine}/revoke`)).status, 403, `${username} revoke`);
    }
    const otherDsl = await as('oda.dsl');
    const theirs = await otherDsl.get('/api/monitor/sources');
    assert.equal(theirs.status, 200);
    assert.ok(!theirs.body.some((s: { id: string }) => s.id === mine), "another school's sources are not listed");
    assert.equal((await otherDsl.post(`/api/monitor/sources/${mine}/revoke`)).status, 403);
    const anonymous = new ApiClient(server.url);
    assert.equal((await anonymous.get('/api/monitor/sources')).status, 401);
    const row = await ctx.db.selectFrom('monitor_sources').select('revoked_at').where('id', '=', mine).executeTakeFirstOrThrow();
    assert.equal(row.revoked_at, null);
  });
});

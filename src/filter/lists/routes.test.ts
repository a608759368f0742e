import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { signInEnrollingTotp } from '../../directory/import/test-support.js';
import { buildApp } from '../../server/app.js';
import { addUser, seedSchool, TEST_PASSWORD } from '../../testing/fixtures.js';
import { ApiClient } from '../../testing/http.js';
import { createTestStore, testContext, type TestStore } from '../../testing/store.js';
import { refreshLockedLists } from './locked.js';
import { listRoutes } from './routes.js';
import { listRows, serve, type TestHttpServer, tarball, tempDir, writeTree } from './test-support.js';

describe('list routes', () => {
  let t: TestStore;
  let ctx: ReturnType<typeof testContext>;
  let app: FastifyInstance;
  let manager: ApiClient;
  let teacher: ApiClient;
  let work: ReturnType<typeof tempDir>;
  let files: TestHttpServer;
  let tree: string;

  before(async () => {
    t = await createTestStore();
    work = tempDir();
    tree = writeTree(path.join(work.dir, 'ut1'), {
      gambling: { domains: ['bet.example', 'casino.example'] },
      vpn: { domains: ['tunnel.example'] },
    });
    const archive = await tarball(tree, path.join(work.dir, 'ut1.tar.gz'));
    files = await serve((req, res) => {
      if (req.url === '/ut1.tar.gz') {
        res.writeHead(200, { 'content-length': archive.length });
        res.end(archive);
      } else {
        res.writeHead(500);
        res.end();
      }
    });
    ctx = testContext(t, { TUTELA_UT1_SOURCE: tree });
    const { schoolId } = await seedSchool(ctx);
    await addUser(ctx, schoolId, 'nina.network', ['staff', 'network_manager']);
    await addUser(ctx, schoolId, 'sam.teacher', ['staff']);
    app = await buildApp(ctx, { logger: false });
    // The server registry mounts these routes; mount them here only if it does not (yet).
    if (!app.hasRoute({ method: 'GET', url: '/api/filter/lists' })) await app.register(listRoutes(ctx), { prefix: '/api/filter/lists' });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    manager = new ApiClient(url);
    await signInEnrollingTotp(manager, 'nina.network', ctx.clock());
    teacher = new ApiClient(url);
    assert.equal((await teacher.signIn('sam.teacher', TEST_PASSWORD)).body.stage, 'active');
    await refreshLockedLists(ctx);
  });
  after(async () => {
    await app.close();
    await files.close();
    work.remove();
    await t.cleanup();
  });

  it('imports from the configured folder, then shows counts and history', async () => {
    const res = await manager.post('/api/filter/lists/import', { reason: 'first lists' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.status, 'applied');
    const status = await manager.get('/api/filter/lists');
    assert.equal(status.status, 200);
    const gambling = status.body.categories.find((c: { category: string }) => c.category === 'gambling');
    assert.deepEqual([gambling.domains, gambling.sources], [2, ['ut1']]);
    const csam = status.body.categories.find((c: { category: string }) => c.category === 'illegal_csam');
    assert.deepEqual([csam.locked, csam.domains, csam.sources], [true, 1, ['locked:test']]);
    assert.equal(status.body.lastImport.id, res.body.id);
    const history = await manager.get('/api/filter/lists/imports');
    assert.equal(history.status, 200);
    assert.ok(history.body.some((h: { id: string; status: string }) => h.id === res.body.id && h.status === 'applied'));
    const log = await t.store.db.selectFrom('filter_change_log').selectAll().where('entity', '=', 'category_lists').execute();
    assert.deepEqual(
      log.map((l) => [l.actor_name, l.reason]),
      [['Nina Network', 'first lists']],
    );
  });

  it('imports from an http(s) URL, and answers 422 with the report when the download fails', async () => {
    const ok = await manager.post('/api/filter/lists/import', { source: `${files.url}/ut1.tar.gz`, reason: 'from the mirror' });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.status, 'unchanged');
    const before = await listRows(t.store.db);
    const bad = await manager.post('/api/filter/lists/import', { source: `${files.url}/broken`, reason: 'from a broken mirror' });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.error, 'filter.list_import_failed');
    assert.equal(bad.body.details.status, 'rejected');
    assert.deepEqual(await listRows(t.store.db), before);
  });

  it('refuses a folder on the server other than the configured one, a missing reason, and people without the role', async () => {
    const folder = await manager.post('/api/filter/lists/import', { source: '/', reason: 'read the server' });
    assert.equal(folder.status, 400);
    assert.equal(folder.body.error, 'bad_request');
    const noReason = await manager.post('/api/filter/lists/import', {});
    assert.equal(noReason.status, 400);
    assert.equal((await teacher.post('/api/filter/lists/import', { reason: 'let me' })).status, 403);
    assert.equal((await teacher.get('/api/filter/lists')).status, 403);
  });

  it('has no route that writes, disables or deletes a locked list', async () => {
    const before = await listRows(t.store.db);
    const locked = before.filter((r) => r.source.startsWith('locked:'));
    assert.equal(locked.length, 2);
    const attempts: [string, string, unknown][] = [];
    for (const target of [
      'locked:test',
      'locked%3Atest',
      'illegal_csam',
      'illegal_terrorism',
      'locked:test/illegal_csam',
      'ut1/gambling',
    ]) {
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'])
        attempts.push([method, `/api/filter/lists/${target}`, { domains: [], enabled: false, reason: 'try' }]);
    }
    attempts.push(['DELETE', '/api/filter/lists', undefined]);
    attempts.push(['PUT', '/api/filter/lists', { categories: [] }]);
    attempts.push(['POST', '/api/filter/lists/import', { source: 'locked:test', reason: 'overwrite the locked list' }]);
    for (const [method, url, body] of attempts) {
      const res = await manager.request(method, url, body);
      assert.ok([400, 403, 404].includes(res.status), `${method} ${url} answered ${res.status}`);
    }
    assert.deepEqual(await listRows(t.store.db), before);
  });
});

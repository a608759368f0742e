import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiClient, startTestServer } from '../testing/http.js';
import { addUser, seedSchool, TEST_PASSWORD } from '../testing/fixtures.js';
import { createTestStore, testContext, type TestStore } from '../testing/store.js';

describe('the web server', () => {
  let t: TestStore;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let teacher: ApiClient;

  before(async () => {
    t = await createTestStore();
    const ctx = testContext(t);
    const { schoolId } = await seedSchool(ctx);
    await addUser(ctx, schoolId, 'tia.teacher', ['staff']);
    server = await startTestServer(ctx);
    teacher = new ApiClient(server.url);
    await teacher.signIn('tia.teacher', TEST_PASSWORD);
  });
  after(async () => {
    await server.close();
    await t.cleanup();
  });

  it('answers health and readiness, naming the database', async () => {
    const c = new ApiClient(server.url);
    assert.deepEqual((await c.get('/healthz')).body, { status: 'ok' });
    const ready = await c.get('/readyz');
    assert.equal(ready.status, 200);
    assert.equal(ready.body.database, t.databaseUrl ? 'postgres' : 'sqlite');
  });

  it('publishes an OpenAPI document that describes the routes', async () => {
    const doc = (await new ApiClient(server.url).get('/api/openapi.json')).body;
    assert.match(doc.openapi, /^3\./);
    for (const path of ['/api/auth/sign-in', '/api/directory/people', '/api/directory/imports/', '/api/users/', '/api/audit/']) {
      assert.ok(doc.paths[path], `${path} is documented`);
    }
  });

  it('answers bad input with a stable error id, never a stack trace', async () => {
    const notUuid = await teacher.get('/api/directory/people/not-a-uuid');
    assert.equal(notUuid.status, 400);
    assert.equal(notUuid.body.error, 'validation_failed');
    const tooMany = await teacher.get('/api/directory/people?limit=100000');
    assert.equal(tooMany.body.error, 'validation_failed');
    const badKind = await teacher.get('/api/directory/people?kind=alien');
    assert.equal(badKind.body.error, 'validation_failed');
    const broken = await teacher.request('POST', '/api/auth/sign-in', '{"username": "x", ', { 'content-type': 'application/json' });
    assert.equal(broken.status, 400);
    assert.equal(broken.body.error, 'bad_request');
    assert.doesNotMatch(JSON.stringify(broken.body), /at .*\.(ts|js):\d+/);
    const unknown = await teacher.get('/api/nothing-here');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error, 'not_found');
  });

  it('refuses every API route without a session, by default', async () => {
    const anonymous = new ApiClient(server.url);
    for (const path of ['/api/directory/me', '/api/directory/people', '/api/users', '/api/audit', '/api/directory/imports']) {
      const res = await anonymous.get(path);
      assert.equal(res.status, 401, path);
      assert.equal(res.body.error, 'unauthenticated');
    }
  });

  it('sends protective headers', async () => {
    const res = await new ApiClient(server.url).get('/healthz');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
  });
});

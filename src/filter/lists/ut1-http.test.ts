import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { c as createTar } from 'tar';
import { createTestStore, testContext, type TestStore } from '../../testing/store.js';
import { importUt1 } from './import.js';
import { listRows, serve, type TestHttpServer, tarball, tempDir, UT1_DIR, writeTree } from './test-support.js';

const actor = { accountId: null, name: 'test' };

describe('UT1 import from a .tar.gz over HTTP', () => {
  let t: TestStore;
  let ctx: ReturnType<typeof testContext>;
  let work: ReturnType<typeof tempDir>;
  let server: TestHttpServer;
  /** What the server answers for each path. */
  const routes = new Map<string, (res: import('node:http').ServerResponse, req: import('node:http').IncomingMessage) => void>();
  const sendFile = (body: Buffer) => (res: import('node:http').ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': body.length });
    res.end(body);
  };

  before(async () => {
    t = await createTestStore();
    ctx = testContext(t);
    work = tempDir();
    server = await serve((req, res) => {
      const route = routes.get(req.url ?? '');
      if (route) route(res, req);
      else {
        res.writeHead(404);
        res.end('not here');
      }
    });
  });
  after(async () => {
    await server.close();
    work.remove();
    await t.cleanup();
  });

  it('imports a tarball of the shared UT1 data with the same lists as the folder', async () => {
    routes.set('/ut1.tar.gz', sendFile(await tarball(UT1_DIR, path.join(work.dir, 'ut1.tar.gz'))));
    const report = await importUt1(ctx, { source: `${server.url}/ut1.tar.gz`, actor });
    assert.equal(report.status, 'applied', report.error ?? '');
    assert.equal(report.origin, `${server.url}/ut1.tar.gz`);
    assert.deepEqual(report.categories.find((c) => c.category === 'games')!.after, { domains: 33741, urls: 1655 });
    assert.ok(report.links.includes('porn -> adult'));
    const fromFolder = await importUt1(ctx, { source: UT1_DIR, actor });
    assert.equal(fromFolder.status, 'unchanged');
  });

  describe('refuses a bad download and keeps the lists in force', () => {
    let small: Buffer;
    let inForce: Awaited<ReturnType<typeof listRows>>;

    before(async () => {
      const tree = writeTree(path.join(work.dir, 'small'), {
        gambling: { domains: ['bet.example', 'casino.example'], urls: ['games.example/poker'] },
        games: { domains: ['play.example'] },
      });
      small = await tarball(tree, path.join(work.dir, 'small.tar.gz'));
      routes.set('/small.tar.gz', sendFile(small));
      // The small tree replaces the full lists, so allow any shrink for this one import.
      const loose = { ...ctx, config: { ...ctx.config, filter: { ...ctx.config.filter, maxShrinkPercent: 100 } } };
      const report = await importUt1(loose, { source: `${server.url}/small.tar.gz`, actor });
      assert.equal(report.status, 'applied', report.error ?? '');
      inForce = await listRows(t.store.db);
      assert.deepEqual(
        inForce.map((r) => [r.category, r.domain_count, r.url_count]),
        [
          ['gambling', 2, 1],
          ['games', 1, 0],
        ],
      );
    });

    it('accepts a mirror that labels the tarball Content-Encoding: gzip (fetch then unpacks it to a plain tar)', async () => {
      routes.set('/encoded.tar.gz', (res) => {
        res.writeHead(200, { 'content-type': 'application/x-tar', 'content-encoding': 'gzip', 'content-length': small.length });
        res.end(small);
      });
      const report = await importUt1(ctx, { source: `${server.url}/encoded.tar.gz`, actor });
      assert.equal(report.status, 'unchanged', report.error ?? '');
      assert.deepEqual(await listRows(t.store.db), inForce);
    });

    const refused = async (route: string, pattern: RegExp, limits: Parameters<typeof importUt1>[1]['download'] = undefined) => {
      const report = await importUt1(ctx, { source: `${server.url}${route}`, actor, download: limits });
      assert.equal(report.status, 'rejected', `${route}: ${report.status} ${report.error}`);
      assert.match(report.error ?? '', pattern);
      assert.deepEqual(await listRows(t.store.db), inForce);
      const record = await t.store.db.selectFrom('filter_list_imports').selectAll().where('id', '=', report.id).executeTakeFirstOrThrow();
      assert.equal(record.status, 'rejected');
      assert.equal(record.error, report.error);
    };

    it('a server error', async () => {
      routes.set('/error', (res) => {
        res.writeHead(500);
        res.end('oops');
      });
      await refused('/error', /answered 500/);
      await refused('/missing.tar.gz', /answered 404/);
    });

    it('a body shorter than its Content-Length', async () => {
      routes.set('/short', (res) => {
        res.writeHead(200, { 'content-length': small.length });
        res.write(small.subarray(0, Math.floor(small.length / 2)));
        setTimeout(() => res.socket?.end(), 20);
      });
      await refused('/short', /could not download/);
    });

    it('a connection reset in the middle of the body', async () => {
      routes.set('/reset', (res) => {
        res.writeHead(200, { 'content-type': 'application/gzip' });
        res.write(small.subarray(0, 40));
        setTimeout(() => res.socket?.resetAndDestroy(), 20);
      });
      await refused('/reset', /could not download/);
    });

    it('a truncated tarball served in full', async () => {
      routes.set('/truncated.tar.gz', sendFile(small.subarray(0, Math.floor(small.length * 0.6))));
      await refused('/truncated.tar.gz', /corrupt or truncated/);
    });

    it('a body that is not a gzip archive', async () => {
      routes.set('/page.html', (res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(`<html><body>${'Please log in. '.repeat(100)}</body></html>`);
      });
      await refused('/page.html', /corrupt or truncated/);
    });

    it('a download over the size limit', async () => {
      await refused('/small.tar.gz', /over the limit/, { maxBytes: 64, timeoutMs: 10_000 });
    });

    it('an archive with a path out of the folder', async () => {
      const stage = path.join(work.dir, 'traversal', 'inner');
      mkdirSync(path.join(stage, 'gambling'), { recursive: true });
      writeFileSync(path.join(stage, 'gambling', 'domains'), 'bet.example\n');
      writeFileSync(path.join(work.dir, 'traversal', 'escaped'), 'evil.example\n');
      const file = path.join(work.dir, 'traversal.tar.gz');
      await createTar({ gzip: true, file, cwd: stage, preservePaths: true }, ['gambling', '../escaped']);
      routes.set('/traversal.tar.gz', sendFile(readFileSync(file)));
      await refused('/traversal.tar.gz', /refused: path \.\.\/escaped leaves the archive/);
    });

    it('an archive with a link out of the folder', async () => {
      const tree = writeTree(path.join(work.dir, 'linked'), { gambling: { domains: ['bet.example'] } });
      symlinkSync('/etc', path.join(tree, 'games'));
      routes.set('/linked.tar.gz', sendFile(await tarball(tree, path.join(work.dir, 'linked.tar.gz'))));
      await refused('/linked.tar.gz', /points to an absolute path/);
    });
  });
});

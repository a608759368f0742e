import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { getViaProxy, queryDns, REPO_ROOT, writeUt1Tree } from '../../filter/runtime/test-support.js';
import { createTestStore, type TestStore } from '../../testing/store.js';

const MAIN = path.join(REPO_ROOT, 'dist', 'cli', 'main.js');

/** Starts the built program and resolves with its "running" banner once it prints it. */
function startTutela(t: TestStore, env: Record<string, string>, ...args: string[]) {
  const fullEnv: Record<string, string> = {
    ...(process.env as Record<string, string>),
    TUTELA_DATA_DIR: t.dataDir,
    TUTELA_LOG_LEVEL: 'warn',
    TUTELA_WEB_HOST: '127.0.0.1',
    TUTELA_WEB_PORT: '0',
    TUTELA_DNS_HOST: '127.0.0.1',
    TUTELA_DNS_PORT: '0',
    TUTELA_PROXY_HOST: '127.0.0.1',
    TUTELA_PROXY_PORT: '0',
    TUTELA_DNS_UPSTREAMS: '127.0.0.1:9',
    TUTELA_DEMO_PASSWORD: 'demo-password-for-tests',
    ...env,
  };
  if (t.databaseUrl) fullEnv.DATABASE_URL = t.databaseUrl;
  else delete fullEnv.DATABASE_URL;
  const child = spawn(process.execPath, [MAIN, 'start', ...args], { env: fullEnv });
  let out = '';
  let err = '';
  child.stderr.on('data', (c) => {
    err += c;
  });
  const banner = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (c) => {
      out += c;
      const running = out.indexOf('Tutela is running');
      // The banner's last line: the proxy's, or the web app's for a web-only node.
      if (running !== -1 && (args.includes('web') ? /web app.*\n/ : /web proxy.*\n/).test(out.slice(running))) resolve(out);
    });
    child.on('exit', (code) => reject(new Error(`tutela start exited with ${code}: ${err}${out}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, banner, exited, output: () => out };
}

const portOf = (banner: string, label: string): number => Number(new RegExp(`${label}\\s+(?:http://)?[^\\s:]+:(\\d+)`).exec(banner)![1]);

describe('tutela start', () => {
  let t: TestStore;
  let tree: ReturnType<typeof writeUt1Tree>;
  let running: ChildProcess | undefined;
  before(async () => {
    t = await createTestStore();
    tree = writeUt1Tree({ gambling: ['abcgambling.com'], games: ['miniclip.com'] });
  });
  after(async () => {
    running?.kill('SIGKILL');
    await t.cleanup();
    tree.remove();
  });

  it('with --demo, filters the demo pupil’s laptop over DNS and the proxy, and flushes the activity on shutdown', async () => {
    const tutela = startTutela(t, { TUTELA_UT1_SOURCE: tree.dir }, '--demo');
    running = tutela.child;
    const banner = await tutela.banner;
    assert.match(banner, /device 127\.0\.0\.10\s+= demo\.student10/);
    const dnsPort = portOf(banner, 'DNS filter');
    const proxyPort = portOf(banner, 'web proxy');

    assert.deepEqual(await queryDns(dnsPort, 'abcgambling.com', '127.0.0.10'), ['127.0.0.1']);
    assert.deepEqual(await queryDns(dnsPort, 'iwf-test.tutela.test', '127.0.0.20'), ['127.0.0.1'], 'the locked test entry is in force');
    const page = await getViaProxy(proxyPort, 'http://abcgambling.com/', { from: '127.0.0.10' });
    assert.equal(page.status, 403);
    assert.match(page.body, /Gambling/);

    tutela.child.kill('SIGTERM');
    assert.equal(await tutela.exited, 0);
    const events = await t.store.db
      .selectFrom('activity_events')
      .innerJoin('accounts', 'accounts.person_id', 'activity_events.person_id')
      .select(['activity_events.source', 'activity_events.host', 'activity_events.action', 'accounts.username'])
      .execute();
    const pupil = events.filter((e) => e.username === 'demo.student10' && e.host === 'abcgambling.com' && e.action === 'block');
    assert.deepEqual(pupil.map((e) => e.source).sort(), ['dns', 'proxy']);
  });

  it('with --role web, serves the web app without the DNS filter and the proxy', async () => {
    const tutela = startTutela(t, {}, '--role', 'web');
    running = tutela.child;
    const banner = await tutela.banner;
    assert.doesNotMatch(banner, /DNS filter|web proxy/);
    const web = portOf(banner, 'web app');
    const res = await fetch(`http://127.0.0.1:${web}/api/filter/block-info?target=abcgambling.com`);
    assert.equal(((await res.json()) as { category: string }).category, 'gambling', 'block-info works on a web-only node');
    tutela.child.kill('SIGTERM');
    assert.equal(await tutela.exited, 0);
  });

  it('refuses an unknown role', async () => {
    const tutela = startTutela(t, {}, '--role', 'everything');
    await assert.rejects(tutela.banner, /--role must be all, web or filter/);
  });
});

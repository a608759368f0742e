import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { getViaProxy, queryDns, REPO_ROOT, writeUt1Tree } from '../../filter/runtime/test-support.js';
import { addUser, seedSchool } from '../../testing/fixtures.js';
import { createTestStore, type TestStore, testContext } from '../../testing/store.js';

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
    // Off unless a test turns it on: the default port would clash between test processes.
    TUTELA_MONITOR_SYSLOG_PORT: '0',
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

/** A port free for both TCP and UDP just now, for the syslog listener (port 0 turns it off). */
async function freeSyslogPort(): Promise<number> {
  for (;;) {
    const server = createServer();
    const port = await new Promise<number>((resolve) =>
      server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
    );
    const udp = createSocket('udp4');
    const free = await new Promise<boolean>((resolve) => {
      udp.once('error', () => resolve(false));
      udp.bind(port, '127.0.0.1', () => resolve(true));
    });
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (free) {
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      return port;
    }
  }
}

function squidLine(user: string, url: string): string {
  return `${(Date.now() / 1000).toFixed(3)}    150 10.0.0.5 TCP_MISS/200 5120 GET ${url} ${user} HIER_DIRECT/1.2.3.4 text/html`;
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
    assert.match(banner, /monitoring\s+the capture API and this node’s filter; no syslog port, no tailed logs/);
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

  it('takes in syslog and a tailed proxy log on the web role, and stores what it read before it exits', async () => {
    const own = await createTestStore();
    const logDir = mkdtempSync(path.join(tmpdir(), 'tutela-start-tail-'));
    try {
      const ctx = testContext(own);
      const { schoolId } = await seedSchool(ctx);
      const { personId } = await addUser(ctx, schoolId, 'jane.smith', ['student'], { yearGroup: 9 });
      const accessLog = path.join(logDir, 'access.log');
      // History from before Tutela was told about the file: not imported.
      writeFileSync(accessLog, `${squidLine('jane.smith', 'http://example.org/old')}\n`);
      const syslogPort = await freeSyslogPort();
      const tutela = startTutela(
        own,
        {
          TUTELA_MONITOR_SYSLOG_HOST: '127.0.0.1',
          TUTELA_MONITOR_SYSLOG_PORT: String(syslogPort),
          TUTELA_MONITOR_TAIL: `squid:${accessLog}`,
        },
        '--role',
        'web',
      );
      running = tutela.child;
      const banner = await tutela.banner;
      assert.match(banner, new RegExp(`monitoring\\s+syslog 127\\.0\\.0\\.1:${syslogPort} \\(UDP and TCP\\)`));
      assert.match(banner, /monitoring\s+squid log .*access\.log/);

      const message = `<134>1 ${new Date().toISOString()} proxy1 squid - - - ${squidLine('jane.smith', 'http://www.google.co.uk/search?q=revision+tips')}\n`;
      await new Promise<void>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port: syslogPort }, () => socket.end(message, () => resolve()));
        socket.once('error', reject);
      });
      appendFileSync(accessLog, `${squidLine('jane.smith', 'http://example.org/new')}\n`);
      const stored = () => own.store.db.selectFrom('monitor_events').selectAll().execute();
      const deadline = Date.now() + 20_000;
      while ((await stored()).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));

      tutela.child.kill('SIGTERM');
      assert.equal(await tutela.exited, 0);
      const events = await stored();
      assert.deepEqual(events.map((e) => e.url).sort(), ['http://example.org/new', 'http://www.google.co.uk/search?q=revision+tips']);
      assert.ok(events.every((e) => e.person_id === personId && e.school_id === schoolId));
      assert.deepEqual(events.map((e) => e.source).sort(), ['squid:access.log', 'squid@proxy1']);
    } finally {
      await own.cleanup();
      rmSync(logDir, { recursive: true, force: true });
    }
  });

  it('refuses an unknown role', async () => {
    const tutela = startTutela(t, {}, '--role', 'everything');
    await assert.rejects(tutela.banner, /--role must be all, web or filter/);
  });
});

import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import dnsPacket from 'dns-packet';
import type { Role } from '../../access/roles.js';
import { InProcessActivityBus } from '../../activity/bus.js';
import { ActivityWriter } from '../../activity/writer.js';
import { newId } from '../../db/ids.js';
import { ensureDerivedGroups } from '../../directory/service.js';
import { startDnsServer } from '../../dns/server.js';
import type { Mailer } from '../../notify/mailer.js';
import { startProxyServer } from '../../proxy/index.js';
import { buildApp } from '../../server/app.js';
import { addUser, seedSchool, TEST_PASSWORD } from '../../testing/fixtures.js';
import { ApiClient } from '../../testing/http.js';
import { createTestStore, testClock, testContext } from '../../testing/store.js';
import { importUt1, refreshLockedLists } from '../lists/index.js';
import { BlockAlerter } from './alerts.js';
import { checkFilterCredentials } from './authenticate.js';
import { signBlockToken } from './block-token.js';
import { FilterRuntime } from './runtime.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const SHARED_UT1 = path.resolve(REPO_ROOT, '..', 'shared', 'data', 'ut1');

/** A small UT1-format tree (a folder per category with a `domains` file) for quick tests. */
export function writeUt1Tree(lists: Record<string, string[]>): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'tutela-ut1-'));
  for (const [folder, domains] of Object.entries(lists)) {
    mkdirSync(path.join(dir, folder));
    writeFileSync(path.join(dir, folder, 'domains'), `${domains.join('\n')}\n`);
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A real UDP query from a given local address (any 127.x.x.x works on loopback); the answers' addresses. */
export async function queryDns(port: number, name: string, from = '127.0.0.1', type: 'A' | 'AAAA' = 'A'): Promise<string[]> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, from, resolve));
  try {
    const id = Math.floor(Math.random() * 65535);
    const reply = new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no DNS answer for ${name}`)), 5000);
      socket.once('message', (msg) => {
        clearTimeout(timer);
        resolve(msg);
      });
    });
    socket.send(
      dnsPacket.encode({ type: 'query', id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type, name }] }),
      port,
      '127.0.0.1',
    );
    const answer = dnsPacket.decode(await reply);
    assert.equal(answer.id, id);
    return (answer.answers ?? []).flatMap((a) => (a.type === type ? [String((a as { data: unknown }).data)] : []));
  } finally {
    socket.close();
  }
}

/** A plain-HTTP request through the proxy, optionally authenticated, from a given local address. */
export function getViaProxy(port: number, url: string, opts: { from?: string; username?: string; password?: string } = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const headers: Record<string, string> = { host: new URL(url).host };
    if (opts.username) {
      headers['proxy-authorization'] = `Basic ${Buffer.from(`${opts.username}:${opts.password ?? TEST_PASSWORD}`).toString('base64')}`;
    }
    const req = http.request(
      { host: '127.0.0.1', port, method: 'GET', path: url, headers, localAddress: opts.from ?? '127.0.0.1' },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** What the fake upstream resolver answers for every A query: proof that a name was forwarded. */
export const UPSTREAM_ANSWER = '192.0.2.55';

/** Tuesday 24 November 2026, 10:00 in London (GMT): a lesson. 13:15 is lunch. */
export const IN_LESSONS = new Date('2026-11-24T10:00:00Z');
export const AT_LUNCH = new Date('2026-11-24T13:15:00Z');

/** A resolver on 127.0.0.1 that answers every A question with UPSTREAM_ANSWER. */
async function startFakeUpstream() {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (msg, rinfo) => {
    try {
      const q = dnsPacket.decode(msg);
      const question = q.questions?.[0];
      const answers = question?.type === 'A' ? [{ type: 'A' as const, name: question.name, ttl: 60, data: UPSTREAM_ANSWER }] : [];
      const reply = dnsPacket.encode({
        type: 'response',
        id: q.id,
        flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE,
        questions: q.questions,
        answers,
      });
      socket.send(reply, rinfo.port, rinfo.address);
    } catch {
      // Not a query: ignore, like a real resolver would.
    }
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { port: socket.address().port, close: () => new Promise<void>((resolve) => socket.close(() => resolve())) };
}

/**
 * The whole filter as `tutela start` runs it, on a fresh store: a school with a network
 * manager, a DSL, a teacher and a Year 10 pupil; the UT1 lists imported (the shared copy, or
 * a source the test gives); the runtime; the web app, the DNS filter and the proxy on free
 * ports of 127.0.0.1; the activity writer and the DSL alerts.
 */
export async function filterWorld(
  options: { ut1Source?: string; mailer?: Mailer | null; start?: Date; env?: Record<string, string> } = {},
) {
  const store = await createTestStore();
  const clock = testClock(options.start ?? IN_LESSONS);
  // The tests move the clock by hours (lessons to lunch): sessions must not lock meanwhile.
  const ctx = testContext(store, { TUTELA_DEMO_PASSWORD: TEST_PASSWORD, TUTELA_IDLE_LOCK_MINUTES: '1440', ...options.env }, clock);
  const { schoolId, trustId } = await seedSchool(ctx, 'Filter Academy');
  await ensureDerivedGroups(ctx.db, schoolId, [10], clock());
  const user = (username: string, roles: Role[], extra: { yearGroup?: number } = {}) =>
    addUser(ctx, schoolId, username, roles, { ...extra, isDemo: true });
  const people = {
    netman: await user('nat.netman', ['staff', 'network_manager']),
    dsl: await user('dee.dsl', ['staff', 'dsl']),
    teacher: await user('tia.teacher', ['staff']),
    student: await user('sam.student', ['student'], { yearGroup: 10 }),
  };
  await ctx.db.updateTable('people').set({ email: 'dee.dsl@school.example' }).where('id', '=', people.dsl.personId).execute();
  const year10 = await ctx.db
    .selectFrom('groups')
    .select('id')
    .where('school_id', '=', schoolId)
    .where('kind', '=', 'year_group')
    .where('year_group', '=', 10)
    .executeTakeFirstOrThrow();

  // A class, taught by the teacher, with the pupil in it: what an unblock request names.
  const classId = newId();
  const nowIso = clock().toISOString();
  await ctx.db
    .insertInto('groups')
    .values({
      id: classId,
      school_id: schoolId,
      kind: 'class',
      name: '10C Computing',
      code: '10C/Co',
      year_group: 10,
      subject: 'Computing',
      status: 'active',
      created_at: nowIso,
      updated_at: nowIso,
    })
    .execute();
  await ctx.db
    .insertInto('group_members')
    .values([
      { group_id: classId, person_id: people.student.personId, member_role: 'member' },
      { group_id: classId, person_id: people.teacher.personId, member_role: 'teacher' },
    ])
    .execute();

  await refreshLockedLists(ctx);
  const imported = await importUt1(ctx, { source: options.ut1Source ?? SHARED_UT1, actor: null, reason: 'test lists' });
  assert.equal(imported.status, 'applied', imported.error ?? '');

  const bus = new InProcessActivityBus();
  const writer = new ActivityWriter(ctx.db, bus, { flushIntervalMs: 50 }).start();
  const alerter = new BlockAlerter(ctx, bus, options.mailer ?? null).start();
  const runtime = new FilterRuntime(ctx, { bus, now: clock, pollMs: 50 });
  await runtime.start();

  const app = await buildApp(ctx, { logger: false, filter: runtime });
  const webUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  const upstream = await startFakeUpstream();
  const dns = await startDnsServer({
    host: '127.0.0.1',
    port: 0,
    upstreams: [`127.0.0.1:${upstream.port}`],
    cacheEntries: 1000,
    gate: runtime,
    blockAddress4: '127.0.0.1',
    blockAddress6: '::1',
  });
  const proxy = await startProxyServer({
    host: '127.0.0.1',
    port: 0,
    gate: runtime,
    authenticate: async (username, password) => {
      const check = await checkFilterCredentials(ctx, username, password, null);
      return check.ok ? { personId: check.personId } : null;
    },
    requireAuth: false,
    blockPageUrl: (decision, target) =>
      `${webUrl}/blocked?target=${encodeURIComponent(target)}&token=${encodeURIComponent(signBlockToken(ctx.secretKey, decision, clock()))}`,
    pacProxyHost: '127.0.0.1',
  });

  const dnsQuery = (name: string, from = '127.0.0.1', type: 'A' | 'AAAA' = 'A') => queryDns(dns.port, name, from, type);
  const proxyGet = (url: string, opts: { from?: string; username?: string; password?: string } = {}) => getViaProxy(proxy.port, url, opts);

  const as = async (username: string) => {
    const client = new ApiClient(webUrl);
    assert.equal((await client.signIn(username, TEST_PASSWORD)).status, 200);
    return client;
  };

  /** Waits, by polling, until the check passes (a change reaching the runtime); never asserts on time. */
  const eventually = async (check: () => Promise<boolean> | boolean, what: string) => {
    for (let i = 0; i < 400; i++) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.fail(`never happened: ${what}`);
  };

  return {
    ctx,
    clock,
    schoolId,
    trustId,
    people,
    year10Id: year10.id,
    classId,
    bus,
    writer,
    alerter,
    runtime,
    webUrl,
    dnsQuery,
    proxyGet,
    as,
    eventually,
    storeInfo: { dataDir: store.dataDir, databaseUrl: store.databaseUrl },
    close: async () => {
      await proxy.close();
      await dns.close();
      await upstream.close();
      await app.close();
      await runtime.stop();
      await alerter.close();
      await writer.close();
      await store.cleanup();
    },
  };
}

export type FilterWorld = Awaited<ReturnType<typeof filterWorld>>;

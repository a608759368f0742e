// The durability promise of the capture API, tested against the real program: an event whose
// request was answered 2xx is in the database even when the process is killed (SIGKILL, no
// shutdown) in the middle of a burst. Needs the built program: dist/cli/main.js.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { newId } from '../../db/ids.js';
import { REPO_ROOT } from '../../filter/runtime/test-support.js';
import { seedSchool } from '../../testing/fixtures.js';
import { createTestStore, type TestStore, testContext } from '../../testing/store.js';
import { hashKey, newCaptureKey } from '../sources/service.js';

const MAIN = path.join(REPO_ROOT, 'dist', 'cli', 'main.js');
const SENDERS = 8;
const PER_REQUEST = 250;
/** Acknowledged requests to wait for before the kill, so the burst is well under way. */
const KILL_AFTER = 40;

function startWebNode(t: TestStore) {
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    TUTELA_DATA_DIR: t.dataDir,
    TUTELA_LOG_LEVEL: 'warn',
    TUTELA_WEB_HOST: '127.0.0.1',
    TUTELA_WEB_PORT: '0',
    TUTELA_MONITOR_SYSLOG_PORT: '0',
    TUTELA_MONITOR_JOB_MINUTES: '0',
  };
  if (t.databaseUrl) env.DATABASE_URL = t.databaseUrl;
  else delete env.DATABASE_URL;
  const child = spawn(process.execPath, [MAIN, 'start', '--role', 'web'], { env });
  let out = '';
  let err = '';
  child.stderr.on('data', (c) => {
    err += c;
  });
  const port = new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (c) => {
      out += c;
      const m = /Tutela is running[\s\S]*web app\s+http:\/\/[^\s:]+:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code, signal) => reject(new Error(`tutela start exited (${code ?? signal}): ${err}${out}`)));
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  return { child, port, exited };
}

describe('capture API durability', { skip: !existsSync(MAIN) && 'build the program first (dist/cli/main.js)' }, () => {
  let t: TestStore;
  before(async () => {
    t = await createTestStore();
  });
  after(async () => {
    await t.cleanup();
  });

  it('keeps every acknowledged event when the process is killed in the middle of a burst', async () => {
    const ctx = testContext(t);
    const { schoolId } = await seedSchool(ctx, 'Durable School');
    const key = newCaptureKey();
    await ctx.db
      .insertInto('monitor_sources')
      .values({
        id: newId(),
        school_id: schoolId,
        name: 'Burst',
        kind: 'capture',
        key_hash: hashKey(key),
        key_hint: key.slice(0, 10),
        address: null,
        format: null,
        created_at: new Date().toISOString(),
        created_by: null,
        revoked_at: null,
        last_event_at: null,
      })
      .execute();

    const node = startWebNode(t);
    const url = `http://127.0.0.1:${await node.port}/api/monitor/captures`;
    const acknowledged: number[] = [];
    let failed = 0;
    let inFlightAtKill = 0;
    let inFlight = 0;
    let killed = false;
    let nextRequest = 0;

    const sender = async () => {
      while (!killed) {
        const r = nextRequest++;
        const events = Array.from({ length: PER_REQUEST }, (_, i) => ({
          kind: 'chat',
          username: 'nobody.known',
          text: `durability message ${r}-${i}`,
          device: `kill-${r}-${i}`,
        }));
        inFlight++;
        try {
          const res = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
            body: JSON.stringify({ events }),
          });
          await res.arrayBuffer();
          if (res.status >= 200 && res.status < 300) acknowledged.push(r);
          else failed++;
        } catch {
          failed++;
        } finally {
          inFlight--;
        }
        if (!killed && acknowledged.length >= KILL_AFTER) {
          killed = true;
          inFlightAtKill = inFlight;
          node.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: SENDERS }, sender));
    assert.equal(await node.exited, 'SIGKILL');
    assert.ok(acknowledged.length >= KILL_AFTER);
    assert.ok(inFlightAtKill > 0 && failed > 0, 'requests were still under way when the process died');

    const rows = await t.store.db.selectFrom('monitor_events').select('device').where('device', 'like', 'kill-%').execute();
    const stored = new Set(rows.map((row) => row.device));
    const missing: string[] = [];
    for (const r of acknowledged) {
      for (let i = 0; i < PER_REQUEST; i++) if (!stored.has(`kill-${r}-${i}`)) missing.push(`kill-${r}-${i}`);
    }
    assert.deepEqual(missing.slice(0, 10), [], `${missing.length} acknowledged events were lost`);
    assert.ok(stored.size >= acknowledged.length * PER_REQUEST);
  });
});

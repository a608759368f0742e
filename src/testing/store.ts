import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig, type Config } from '../config/config.js';
import { migrateToLatest, openStore, type Store } from '../db/database.js';
import type { AppContext } from '../server/context.js';

/**
 * Which database the suite runs on: `TUTELA_TEST_DB=postgres` runs every test on a fresh
 * PostgreSQL database (on TUTELA_TEST_PG_URL, default the local server); otherwise each test
 * gets a fresh SQLite file. No SQL is ever mocked.
 */
export const TEST_DIALECT: 'sqlite' | 'postgres' = process.env.TUTELA_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';
const PG_ADMIN_URL = process.env.TUTELA_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestStore {
  store: Store;
  dataDir: string;
  databaseUrl: string | undefined;
  /** Closes the store and removes the database and data directory. */
  cleanup(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** A fresh, migrated store on the suite's dialect. */
export async function createTestStore(dialect: 'sqlite' | 'postgres' = TEST_DIALECT): Promise<TestStore> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tutela-test-'));
  let databaseUrl: string | undefined;
  let dropDatabase = async () => {};
  if (dialect === 'postgres') {
    const name = `tutela_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    databaseUrl = withDatabase(PG_ADMIN_URL, name);
    dropDatabase = async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      // Without FORCE: our pool's backends may still be exiting, and killing them would surface
      // as errors on sockets the test already closed. Wait for them instead.
      try {
        for (let attempt = 0; ; attempt++) {
          try {
            await c.query(`drop database if exists ${name}`);
            break;
          } catch (error) {
            if (attempt > 200 || !/being accessed by other users/.test((error as Error).message)) throw error;
            await new Promise((r) => setTimeout(r, 25));
          }
        }
      } finally {
        await c.end();
      }
    };
  }
  const store = openStore({ dataDir, databaseUrl });
  await migrateToLatest(store);
  return {
    store,
    dataDir,
    databaseUrl,
    cleanup: async () => {
      await store.close();
      await dropDatabase();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A config for tests: quiet logs, the test store's data dir and database, optional overrides. */
export function testConfig(dataDir: string, databaseUrl: string | undefined, env: Record<string, string> = {}): Config {
  return loadConfig({
    TUTELA_DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    TUTELA_LOG_LEVEL: 'silent',
    TUTELA_SECRET_KEY: 'a'.repeat(64),
    ...env,
  });
}

/** A clock tests can move: `clock.advance(minutes)`. */
export function testClock(start = new Date('2026-11-24T09:00:00Z')) {
  let now = start.getTime();
  const clock = () => new Date(now);
  clock.advance = (minutes: number) => {
    now += minutes * 60_000;
  };
  clock.set = (d: Date) => {
    now = d.getTime();
  };
  return clock;
}

export function testContext(
  t: TestStore,
  env: Record<string, string> = {},
  clock = testClock(),
): AppContext & { clock: ReturnType<typeof testClock> } {
  const config = testConfig(t.dataDir, t.databaseUrl, env);
  return { config, store: t.store, db: t.store.db, secretKey: Buffer.alloc(32, 7), clock };
}

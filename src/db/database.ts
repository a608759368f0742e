import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { migrations } from './migrations/index.js';
import type { DB } from './tables.js';

export type Dialect = 'sqlite' | 'postgres';

/** The store: a Kysely instance plus what backup and health checks need to know about it. */
export interface Store {
  db: Kysely<DB>;
  dialect: Dialect;
  /** SQLite only: the database file. */
  sqlitePath?: string;
  /** SQLite only: the raw handle, for the online backup API. */
  sqlite?: SQLite.Database;
  /** PostgreSQL only: the connection string. */
  postgresUrl?: string;
  close(): Promise<void>;
}

// PostgreSQL returns COUNT(*) and BIGINT as strings; every count we take fits a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/**
 * Opens SQLite in the data directory unless `databaseUrl` names PostgreSQL.
 *
 * @example
 *   const store = openStore({ dataDir: './data', databaseUrl: undefined });
 *   await migrateToLatest(store);
 */
export function openStore(options: { dataDir: string; databaseUrl: string | undefined }): Store {
  const url = options.databaseUrl;
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', postgresUrl: url, close: () => db.destroy() };
  }
  if (url && !url.startsWith('sqlite:') && !url.startsWith('file:')) {
    throw new Error(`DATABASE_URL must start with postgres://, postgresql:// or sqlite:, got "${url.split(':')[0]}:"`);
  }
  const file = url ? url.replace(/^(sqlite|file):(\/\/)?/, '') : path.join(options.dataDir, 'tutela.db');
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // NORMAL is durable in WAL mode across application crashes; only power loss can lose the last commit.
  sqlite.pragma('synchronous = NORMAL');
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, dialect: 'sqlite', sqlitePath: path.resolve(file), sqlite, close: () => db.destroy() };
}

/** Applies every pending migration; throws with the failing migration's name. */
export async function migrateToLatest(store: Store): Promise<string[]> {
  const migrator = new Migrator({ db: store.db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    const name = failed ? ` (${failed.migrationName})` : '';
    throw new Error(`migration failed${name}: ${(error as Error).message ?? String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Names of migrations not yet applied; empty when the schema is current. */
export async function pendingMigrations(store: Store): Promise<string[]> {
  const migrator = new Migrator({ db: store.db, provider: { getMigrations: async () => migrations } });
  const all = await migrator.getMigrations();
  return all.filter((m) => !m.executedAt).map((m) => m.name);
}

export async function ping(store: Store): Promise<void> {
  await sql`select 1`.execute(store.db);
}

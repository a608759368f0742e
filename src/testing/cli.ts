import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built program, exactly as a school runs it (`npm test` builds before testing). */
export const BUILT_CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/cli/main.js');

interface StoreLocation {
  dataDir: string;
  databaseUrl: string | undefined;
}

/** The environment the built program needs to open a test's store, with its logging quiet. */
export function cliEnv(store: StoreLocation, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    TUTELA_DATA_DIR: store.dataDir,
    TUTELA_LOG_LEVEL: 'silent',
    ...extra,
  };
  // Without a database URL the program opens the SQLite file in the data directory.
  if (store.databaseUrl) env.DATABASE_URL = store.databaseUrl;
  else delete env.DATABASE_URL;
  return env;
}

/** Runs the built `tutela` with the given arguments against a test's store, and waits for it. */
export function runCli(store: StoreLocation, args: readonly string[], extra: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BUILT_CLI, ...args], { env: cliEnv(store, extra), encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

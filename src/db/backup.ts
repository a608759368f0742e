import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import type { Store } from './database.js';

/**
 * Online backup and restore. SQLite uses its backup API, which copies a consistent snapshot
 * while the server keeps writing. PostgreSQL is delegated to pg_dump/pg_restore, which do the
 * same job better than we could; they must be on the PATH and match the server's major version.
 */
export async function backupStore(store: Store, file: string): Promise<{ bytes: number }> {
  const target = path.resolve(file);
  if (existsSync(target)) throw new Error(`${target} already exists; choose a new file name`);
  if (store.dialect === 'sqlite') {
    await store.sqlite!.backup(target);
  } else {
    await run('pg_dump', ['--format=custom', '--no-owner', '--file', target, store.postgresUrl!]);
  }
  return { bytes: statSync(target).size };
}

/**
 * Replaces the database with a backup. For SQLite the server must be stopped (the file is
 * swapped); the backup is checked to be a Tutela database before anything is touched.
 * The store is closed either way: open a new one afterwards.
 */
export async function restoreStore(store: Store, file: string): Promise<void> {
  const source = path.resolve(file);
  if (!existsSync(source)) throw new Error(`${source} does not exist`);
  if (store.dialect === 'postgres') {
    // Our own pool must not hold locks on tables that pg_restore drops and recreates.
    await store.close();
    await run('pg_restore', ['--clean', '--if-exists', '--no-owner', '--single-transaction', '--dbname', store.postgresUrl!, source]);
    return;
  }
  assertTutelaSqlite(source);
  const dbPath = store.sqlitePath!;
  await store.close();
  // Stage beside the target then rename, so a crash mid-copy never leaves half a database.
  const staged = `${dbPath}.restoring`;
  copyFileSync(source, staged);
  for (const suffix of ['-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
  renameSync(staged, dbPath);
}

function assertTutelaSqlite(file: string): void {
  let db: SQLite.Database | undefined;
  try {
    db = new SQLite(file, { readonly: true, fileMustExist: true });
    const row = db
      .prepare("select count(*) as n from sqlite_master where type = 'table' and name in ('kysely_migration', 'people', 'audit_log')")
      .get() as { n: number };
    if (row.n !== 3) throw new Error('not a Tutela database');
    db.prepare('pragma quick_check').get();
  } catch (error) {
    throw new Error(`${file} is not a Tutela backup: ${(error as Error).message}`);
  } finally {
    db?.close();
  }
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(new Error(error.code === 'ENOENT' ? `${command} is not installed; install the PostgreSQL client tools` : error.message)),
    );
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} failed (${code}): ${stderr.trim()}`))));
  });
}

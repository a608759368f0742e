import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { c as createTar } from 'tar';
import type { DB } from '../../db/tables.js';

/** Shared by the list tests: small UT1 trees, tarballs, a local HTTP server and row snapshots. */

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** The shared UT1 test data, beside the repository. */
export const UT1_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'data', 'ut1');

export type TreeSpec = Record<string, { domains?: string[]; urls?: string[] } | { link: string } | { linkFile: string }>;

export function tempDir(prefix = 'tutela-lists-test-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes a UT1-style tree: a folder per category, or a symbolic link, or a link file naming a folder. */
export function writeTree(root: string, spec: TreeSpec): string {
  mkdirSync(root, { recursive: true });
  for (const [name, item] of Object.entries(spec)) {
    const full = path.join(root, name);
    if ('link' in item) symlinkSync(item.link, full);
    else if ('linkFile' in item) writeFileSync(full, item.linkFile);
    else {
      mkdirSync(full, { recursive: true });
      if (item.domains) writeFileSync(path.join(full, 'domains'), `${item.domains.join('\n')}\n`);
      if (item.urls) writeFileSync(path.join(full, 'urls'), `${item.urls.join('\n')}\n`);
    }
  }
  return root;
}

/** A .tar.gz of `dir`'s contents under a top folder, as the UT1 publisher ships it. */
export async function tarball(dir: string, file: string, top = 'blacklists'): Promise<Buffer> {
  const stage = tempDir();
  try {
    cpSync(dir, path.join(stage.dir, top), { recursive: true, verbatimSymlinks: true });
    makeWritable(path.join(stage.dir, top));
    await createTar({ gzip: true, file, cwd: stage.dir, portable: true }, [top]);
  } finally {
    stage.remove();
  }
  return readFileSync(file);
}

/** The shared data is read-only; a copy must be writable so it can be changed and removed. */
export function makeWritable(dir: string) {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) makeWritable(full);
    else if (entry.isFile()) chmodSync(full, 0o644);
  }
}

/** A writable copy of a tree (links kept as links). */
export function copyTree(from: string, to: string): string {
  cpSync(from, to, { recursive: true, verbatimSymlinks: true });
  makeWritable(to);
  return to;
}

export interface TestHttpServer {
  url: string;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 with the handler the test gives. */
export async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestHttpServer> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Every list row's identity, counts and digest, to prove a refused import changed nothing. */
export async function listRows(db: Kysely<DB>) {
  return db
    .selectFrom('filter_category_lists')
    .select(['source', 'category', 'locked', 'format', 'domain_count', 'url_count', 'sha256', 'updated_at'])
    .orderBy('source')
    .orderBy('category')
    .execute();
}

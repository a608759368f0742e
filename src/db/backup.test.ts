import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { recordAudit, verifyAuditChain } from '../audit/service.js';
import { addUser, seedSchool } from '../testing/fixtures.js';
import { createTestStore, testContext, type TestStore } from '../testing/store.js';
import { backupStore, restoreStore } from './backup.js';
import { openStore } from './database.js';
import type { DB } from './tables.js';

const TABLES = [
  'trusts',
  'schools',
  'people',
  'person_roles',
  'groups',
  'group_members',
  'guardians',
  'accounts',
  'audit_log',
  'audit_head',
  'settings',
] as const;

async function snapshot(db: Kysely<DB>) {
  const out: Record<string, unknown[]> = {};
  for (const table of TABLES) {
    const rows = (await db.selectFrom(table).selectAll().execute()) as Record<string, unknown>[];
    out[table] = rows.map((r) => JSON.stringify(r)).sort();
  }
  return out;
}

describe('backup and restore', () => {
  let t: TestStore;
  before(async () => {
    t = await createTestStore();
  });
  after(async () => t.cleanup());

  it('restores a backup and finds every record, with the audit chain intact', async () => {
    const ctx = testContext(t);
    const { schoolId } = await seedSchool(ctx);
    for (const u of ['ann.staff', 'bob.staff', 'cat.staff']) await addUser(ctx, schoolId, u, ['staff']);
    await ctx.db.insertInto('settings').values({ key: 'example', value: 'kept' }).execute();
    const before = await snapshot(ctx.db);
    assert.ok((before.people as unknown[]).length === 3);

    const file = path.join(t.dataDir, 'backup.bin');
    const { bytes } = await backupStore(t.store, file);
    assert.ok(bytes > 0 && existsSync(file));
    await assert.rejects(backupStore(t.store, file), /already exists/);

    // Damage the live database after the backup.
    await ctx.db.deleteFrom('person_roles').execute();
    await ctx.db.deleteFrom('settings').execute();
    await recordAudit(ctx.db, { action: 'after.backup' });
    assert.notDeepEqual(await snapshot(ctx.db), before);

    await restoreStore(t.store, file);
    t.store = openStore({ dataDir: t.dataDir, databaseUrl: t.databaseUrl });
    assert.deepEqual(await snapshot(t.store.db), before);
    assert.equal((await verifyAuditChain(t.store.db)).ok, true);
  });

  it('refuses to restore a file that is not a Tutela backup, and changes nothing', async () => {
    const bogus = path.join(t.dataDir, 'bogus.bin');
    writeFileSync(bogus, 'this is not a database');
    const before = await snapshot(t.store.db);
    await assert.rejects(restoreStore(t.store, bogus));
    t.store = openStore({ dataDir: t.dataDir, databaseUrl: t.databaseUrl });
    assert.deepEqual(await snapshot(t.store.db), before);
  });
});

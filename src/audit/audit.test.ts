import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestStore, type TestStore } from '../testing/store.js';
import { recordAudit, verifyAuditChain } from './service.js';

describe('audit log hash chain', () => {
  let t: TestStore;
  beforeEach(async () => {
    await t?.cleanup();
    t = await createTestStore();
    for (let i = 1; i <= 5; i++) {
      await recordAudit(t.store.db, { action: `test.event${i}`, targetType: 'thing', targetId: String(i), details: { i } });
    }
  });
  after(async () => t.cleanup());

  it('verifies an untouched log', async () => {
    assert.deepEqual(await verifyAuditChain(t.store.db), { ok: true, entries: 5 });
  });

  it('detects an edited entry', async () => {
    await t.store.db.updateTable('audit_log').set({ details: '{"i":99}' }).where('seq', '=', 3).execute();
    const result = await verifyAuditChain(t.store.db);
    assert.equal(result.ok, false);
    assert.equal(result.problem?.seq, 3);
    assert.match(result.problem!.reason, /changed/);
  });

  it('detects a deleted entry in the middle', async () => {
    await t.store.db.deleteFrom('audit_log').where('seq', '=', 2).execute();
    const result = await verifyAuditChain(t.store.db);
    assert.equal(result.ok, false);
    assert.equal(result.problem?.seq, 2);
  });

  it('detects the newest entries deleted', async () => {
    await t.store.db.deleteFrom('audit_log').where('seq', '>=', 4).execute();
    const result = await verifyAuditChain(t.store.db);
    assert.equal(result.ok, false);
    assert.equal(result.problem?.seq, 4);
  });

  it('detects an entry rewritten with a recomputed hash of its own', async () => {
    // An attacker who recomputes one entry's hash still breaks the link to the next entry.
    const row = await t.store.db.selectFrom('audit_log').selectAll().where('seq', '=', 2).executeTakeFirstOrThrow();
    await t.store.db
      .updateTable('audit_log')
      .set({ hash: 'f'.repeat(64), actor_username: 'someone-else' })
      .where('seq', '=', row.seq)
      .execute();
    const result = await verifyAuditChain(t.store.db);
    assert.equal(result.ok, false);
    assert.equal(result.problem?.seq, 2);
  });

  it('keeps the chain whole under concurrent writers', async () => {
    await Promise.all(Array.from({ length: 30 }, (_, i) => recordAudit(t.store.db, { action: 'test.concurrent', details: { i } })));
    const result = await verifyAuditChain(t.store.db);
    assert.deepEqual(result, { ok: true, entries: 35 });
    const count = await sql<{ n: number }>`select count(*) as n from audit_log`.execute(t.store.db);
    assert.equal(Number(count.rows[0]!.n), 35);
  });
});

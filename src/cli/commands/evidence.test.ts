import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { loadActor } from '../../auth/repository.js';
import { evidenceKey } from '../../safeguarding/evidence/key.js';
import { uploadEvidence } from '../../safeguarding/evidence/service.js';
import { storagePath } from '../../safeguarding/evidence/storage.js';
import { insertIncident } from '../../safeguarding/response/testing.js';
import { addUser, seedSchool } from '../../testing/fixtures.js';
import { createTestStore, testContext, type TestStore } from '../../testing/store.js';
import { runCli } from '../../testing/cli.js';

const KEY = '5a'.repeat(32);
const PDF = (n: number) => Buffer.from(`%PDF-1.4\n% evidence ${n}\n%%EOF\n`);

describe('tutela evidence verify', () => {
  let t: TestStore;
  let ctx: ReturnType<typeof testContext>;
  const incidents: { id: string; reference: string }[] = [];
  const files: string[] = [];

  const run = (env: Record<string, string>, ...args: string[]) =>
    runCli(t, ['evidence', 'verify', ...args], { TUTELA_EVIDENCE_KEY: KEY, ...env });

  before(async () => {
    t = await createTestStore();
    ctx = testContext(t, { TUTELA_EVIDENCE_KEY: KEY });
    const { schoolId } = await seedSchool(ctx);
    const dsl = await addUser(ctx, schoolId, 'dee.dsl', ['staff', 'dsl']);
    const pupil = await addUser(ctx, schoolId, 'pip.pupil', ['student'], { yearGroup: 8 });
    const actor = (await loadActor(ctx.db, dsl.accountId))!;
    const store = { db: ctx.db, dataDir: ctx.config.dataDir, key: evidenceKey(ctx.config.evidence.key, ctx.secretKey) };
    for (let n = 0; n < 2; n++) {
      const incident = await insertIncident(ctx, {
        schoolId,
        reportedBy: dsl.personId,
        subjectKind: 'student',
        subjects: [pupil.personId],
      });
      incidents.push(incident);
      const row = await ctx.db.selectFrom('incidents').selectAll().where('id', '=', incident.id).executeTakeFirstOrThrow();
      const file = await uploadEvidence(
        store,
        actor,
        row,
        { filename: `evidence-${n}.pdf`, description: null, mediaType: 'application/pdf', bytes: PDF(n) },
        { ip: null },
        ctx.clock(),
      );
      files.push(file.id);
    }
  });
  after(async () => t.cleanup());

  const events = async (evidenceId: string) =>
    (
      await ctx.db
        .selectFrom('evidence_custody')
        .select(['event', 'actor_username'])
        .where('evidence_id', '=', evidenceId)
        .orderBy('seq')
        .execute()
    ).map((e) => `${e.event} ${e.actor_username}`);

  it('passes intact files, one line each, and records the check in their chain of custody', async () => {
    const r = run({});
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`^OK +${incidents[0]!.reference} +evidence-0\\.pdf`, 'm'));
    assert.match(r.out, new RegExp(`^OK +${incidents[1]!.reference} +evidence-1\\.pdf`, 'm'));
    assert.match(r.out, /2 evidence files checked: 2 passed, 0 failed\./);
    assert.deepEqual(await events(files[0]!), ['upload dee.dsl', 'verify command line']);

    const one = run({}, '--incident', incidents[1]!.reference, '--json');
    assert.equal(one.code, 0, one.err);
    const report = JSON.parse(one.out);
    assert.deepEqual([report.checked, report.passed, report.files[0].filename], [1, 1, 'evidence-1.pdf']);
    assert.deepEqual(await events(files[0]!), ['upload dee.dsl', 'verify command line'], 'the other incident was not checked');
  });

  it('reports a wrong key as a wrong key, and a bad key setting clearly', () => {
    const wrong = run({ TUTELA_EVIDENCE_KEY: '6b'.repeat(32) });
    assert.equal(wrong.code, 3);
    assert.match(wrong.out, /^FAILED .*evidence-0\.pdf .*: The file was encrypted with another evidence key/m);
    const bad = run({ TUTELA_EVIDENCE_KEY: 'abc' });
    assert.equal(bad.code, 2);
    assert.match(bad.err, /TUTELA_EVIDENCE_KEY .*must be 32 bytes/);
    const unknown = run({}, '--incident', 'INC-NOPE');
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.err, /no incident with reference INC-NOPE/);
  });

  it('fails, with exit code 3, on a tampered file or a broken chain, and adds no verify event to them', async () => {
    const row = await ctx.db.selectFrom('incident_evidence').selectAll().where('id', '=', files[0]!).executeTakeFirstOrThrow();
    const file = storagePath(ctx.config.dataDir, row.storage_name);
    const bytes = readFileSync(file);
    bytes[0] = bytes[0]! ^ 0xff;
    writeFileSync(file, bytes);
    const chain = await ctx.db.selectFrom('evidence_custody').select('id').where('evidence_id', '=', files[1]!).orderBy('seq').execute();
    await ctx.db.updateTable('evidence_custody').set({ ip: '10.0.0.66' }).where('id', '=', chain[0]!.id).execute();
    const before = [await events(files[0]!), await events(files[1]!)];
    const r = run({});
    assert.equal(r.code, 3, r.err);
    assert.match(r.out, /^FAILED .*evidence-0\.pdf .*: The encrypted file does not decrypt/m);
    assert.match(r.out, /^FAILED .*evidence-1\.pdf .*: The chain of custody is broken: custody event 1 has been altered/m);
    assert.match(r.out, /2 evidence files checked: 0 passed, 2 failed\./);
    assert.deepEqual([await events(files[0]!), await events(files[1]!)], before);
  });
});

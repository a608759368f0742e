import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { insertIncident } from '../../safeguarding/response/testing.js';
import { addUser, seedSchool } from '../../testing/fixtures.js';
import { createTestStore, testContext, type TestStore } from '../../testing/store.js';
import { runCli } from '../../testing/cli.js';

describe('tutela retention', () => {
  let t: TestStore;
  let dueId = '';
  let openId = '';
  const run = (...args: string[]) => runCli(t, args);
  const archivedAt = async (id: string) =>
    (await t.store.db.selectFrom('incidents').select('archived_at').where('id', '=', id).executeTakeFirstOrThrow()).archived_at;

  before(async () => {
    t = await createTestStore();
    const ctx = testContext(t);
    const { schoolId } = await seedSchool(ctx);
    const teacher = await addUser(ctx, schoolId, 'tia.teacher', ['staff']);
    const colleague = await addUser(ctx, schoolId, 'col.colleague', ['staff']);
    const due = await insertIncident(ctx, { schoolId, reportedBy: teacher.personId, subjectKind: 'staff', subjects: [colleague.personId] });
    await t.store.db
      .updateTable('incidents')
      .set({ status: 'closed', closed_at: '2001-02-03T10:00:00.000Z' })
      .where('id', '=', due.id)
      .execute();
    dueId = due.id;
    openId = (await insertIncident(ctx, { schoolId, reportedBy: teacher.personId, subjectKind: 'staff', subjects: [colleague.personId] }))
      .id;
  });
  after(async () => t.cleanup());

  it('shows the periods in force and what is due', () => {
    const text = run('retention', 'status');
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /staff incident record: 10 years after closing/);
    assert.match(
      text.out,
      /Due for archiving now: 1\n {2}INC-TEST-\d+ {2}staff incident record: kept until 10 years after closing \(2011-02-03\)/,
    );
    const json = JSON.parse(run('retention', 'status', '--json').out);
    assert.deepEqual(
      json.due.map((d: { id: string }) => d.id),
      [dueId],
    );
    assert.equal(json.rules.staffYearsAfterClose, 10);
  });

  it('changes nothing on a dry run', async () => {
    const r = run('retention', 'run', '--dry-run', '--json');
    assert.equal(r.code, 0, r.err);
    const result = JSON.parse(r.out);
    assert.equal(result.dryRun, true);
    assert.deepEqual(
      result.schools[0].archived.map((a: { id: string }) => a.id),
      [dueId],
    );
    assert.equal(await archivedAt(dueId), null);
    assert.deepEqual(await t.store.db.selectFrom('retention_runs').selectAll().execute(), []);
  });

  it('archives what is due, leaves open incidents, and records the run', async () => {
    const r = run('retention', 'run');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Test Academy: archived 1/);
    assert.ok(await archivedAt(dueId));
    assert.equal(await archivedAt(openId), null);
    const status = JSON.parse(run('retention', 'status', '--json').out);
    assert.equal(status.archivedCount, 1);
    assert.deepEqual(status.due, []);
    assert.equal(status.runs[0].ranBy, 'command-line');
    assert.equal(status.runs[0].counts.staff, 1);
  });
});

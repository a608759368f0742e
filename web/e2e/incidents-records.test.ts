import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { insertIncident } from '../../src/safeguarding/response/testing.js';
import { addUser, TEST_PASSWORD } from '../../src/testing/fixtures.js';
import { ApiClient } from '../../src/testing/http.js';
import { type Harness, signInWithTotp, startHarness } from './harness.js';

describe("a student's safeguarding file and retention (browser)", () => {
  let h: Harness;
  const secrets = new Map<string, string>();
  let incidentId = '';
  let reference = '';
  let oldReference = '';
  let oldId = '';

  before(async () => {
    h = await startHarness();
    h.ctx.clock.set(new Date());
    const teacher = await addUser(h.ctx, h.schoolId, 'sam.teacher', ['staff']);
    await addUser(h.ctx, h.schoolId, 'dee.dsl', ['staff', 'dsl']);
    const pupil = await addUser(h.ctx, h.schoolId, 'pip.pupil', ['student'], { yearGroup: 8 });
    await h.ctx.db.updateTable('people').set({ date_of_birth: '2013-05-06' }).where('id', '=', pupil.personId).execute();
    const api = new ApiClient(h.url);
    assert.equal((await api.signIn('sam.teacher', TEST_PASSWORD)).status, 200);
    const created = await api.post('/api/incidents', {
      subjectKind: 'student',
      people: [{ personId: pupil.personId, role: 'subject' }],
      summary: 'Unkind messages in the Year 8 group chat',
      description: 'Pip sent messages calling another pupil names.',
      occurredAt: new Date(h.ctx.clock().getTime() - 3600_000).toISOString(),
      location: 'out_of_school',
      category: 'cyberbullying',
      urgency: 'medium',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    ({ id: incidentId, reference } = created.body);
    // A copyright incident closed long ago: past the six years misuse records are kept.
    const old = await insertIncident(h.ctx, {
      schoolId: h.schoolId,
      reportedBy: teacher.personId,
      subjectKind: 'student',
      subjects: [pupil.personId],
      category: 'copyright',
    });
    await h.ctx.db
      .updateTable('incidents')
      .set({ status: 'closed', closed_at: '2010-01-01T09:00:00.000Z', outcome: 'Warned' })
      .where('id', '=', old.id)
      .execute();
    ({ id: oldId, reference: oldReference } = old);
  });
  after(async () => {
    await h?.close();
  });

  it("opens the student's file from an incident, shows the chronology and downloads the JSON file", async () => {
    const page = await h.newPage();
    await signInWithTotp(h, page, 'dee.dsl', secrets);
    await page.goto(`/incidents/${incidentId}`);
    await page.getByRole('heading', { level: 1, name: `Incident ${reference}` }).waitFor();
    await page.getByRole('list', { name: 'People involved' }).getByRole('link', { name: 'Pip Pupil: safeguarding file' }).click();
    await page.getByRole('heading', { level: 1, name: 'Safeguarding file: Pip Pupil' }).waitFor();
    const chronology = page.getByRole('region', { name: 'Chronology' });
    await chronology.getByRole('link', { name: reference }).waitFor();
    assert.equal(await chronology.getByRole('link', { name: oldReference }).count(), 1);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download safeguarding file (JSON)' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^safeguarding-file-pip-pupil-\d{4}-\d{2}-\d{2}\.json$/);
    const file = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    assert.equal(file.format, 'tutela.student-file.v1');
    assert.equal(file.student.dateOfBirth, '2013-05-06');
    assert.deepEqual(file.incidents.map((i: { reference: string }) => i.reference).sort(), [reference, oldReference].sort());
    const audit = await h.ctx.db
      .selectFrom('audit_log')
      .select('actor_username')
      .where('action', '=', 'incident.student_file.export')
      .execute();
    assert.deepEqual(audit, [{ actor_username: 'dee.dsl' }]);
    assert.deepEqual(h.pageErrors, []);
  });

  it('runs a retention dry run, then archives with confirmation', async () => {
    const page = await h.newPage();
    await signInWithTotp(h, page, 'dee.dsl', secrets);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Safeguarding incidents' }).click();
    await page.getByRole('link', { name: 'Retention and archived incidents' }).click();
    await page.getByRole('heading', { level: 1, name: 'Retention' }).waitFor();
    await page.getByRole('region', { name: 'Retention periods' }).getByText('6 years after the incident was closed').waitFor();
    await page.getByRole('region', { name: 'Due for archiving' }).getByRole('link', { name: oldReference }).waitFor();

    await page.getByRole('button', { name: 'Dry run' }).click();
    await page.getByRole('heading', { name: 'Dry run: would archive (1)' }).waitFor();
    await page.getByRole('region', { name: 'Would be archived' }).getByRole('link', { name: oldReference }).waitFor();
    await page.getByText('Nothing was changed.').waitFor();
    const untouched = await h.ctx.db.selectFrom('incidents').select('archived_at').where('id', '=', oldId).executeTakeFirstOrThrow();
    assert.equal(untouched.archived_at, null, 'a dry run archives nothing');

    await page.getByRole('button', { name: 'Archive now…' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Yes, archive them' }).click();
    await page.getByRole('heading', { name: 'Archived (1)' }).waitFor();
    const archived = await h.ctx.db.selectFrom('incidents').select('archived_at').where('id', '=', oldId).executeTakeFirstOrThrow();
    assert.ok(archived.archived_at);
    await page.getByRole('region', { name: 'Past runs' }).getByText('dee.dsl').waitFor();
    await page.getByRole('button', { name: 'Show archived incidents' }).click();
    await page.getByRole('list', { name: 'Archived incidents' }).getByRole('link', { name: oldReference }).click();
    // The archived record opens read-only, saying why, and its actions can still be read.
    const note = page.getByRole('note', { name: 'Archived' });
    await note.getByText(/The retention period for this record has passed/).waitFor();
    await page.getByRole('heading', { name: `Incident ${oldReference}` }).waitFor();
    assert.deepEqual(h.pageErrors, []);
  });
});

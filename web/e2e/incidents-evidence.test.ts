import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { insertIncident } from '../../src/safeguarding/response/testing.js';
import { addUser } from '../../src/testing/fixtures.js';
import { signInWithTotp, startHarness, type Harness } from './harness.js';

const PDF = Buffer.from('%PDF-1.4\n% a letter from the police\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('not really an image')]);

describe('incident evidence (browser)', () => {
  let h: Harness;
  const secrets = new Map<string, string>();
  let ordinary = '';
  let csam = '';

  before(async () => {
    h = await startHarness();
    h.ctx.clock.set(new Date());
    const teacher = await addUser(h.ctx, h.schoolId, 'sam.teacher', ['staff']);
    await addUser(h.ctx, h.schoolId, 'dee.dsl', ['staff', 'dsl']);
    const pupil = await addUser(h.ctx, h.schoolId, 'pip.pupil', ['student'], { yearGroup: 8 });
    const incident = (category: string) =>
      insertIncident(h.ctx, {
        schoolId: h.schoolId,
        reportedBy: teacher.personId,
        subjectKind: 'student',
        subjects: [pupil.personId],
        category,
      });
    ordinary = (await incident('cyberbullying')).id;
    csam = (await incident('inappropriate_content')).id;
    await h.ctx.db.updateTable('incidents').set({ suspected_csam: 1 }).where('id', '=', csam).execute();
  });
  after(async () => {
    await h?.close();
  });

  it('lets the DSL add a PDF and see its SHA-256 and chain of custody; a download is recorded', async () => {
    const page = await h.newPage();
    await signInWithTotp(h, page, 'dee.dsl', secrets);
    await page.goto(`/incidents/${ordinary}`);
    const section = page.getByRole('region', { name: 'Evidence' });
    await section.getByText('No evidence files yet.').waitFor();
    const form = section.getByRole('form', { name: 'Add evidence' });
    await form.getByLabel('Evidence file').setInputFiles({ name: 'police letter.pdf', mimeType: 'application/pdf', buffer: PDF });
    await form.getByLabel('Description').fill('Letter confirming the crime reference');
    await form.getByRole('button', { name: 'Add the evidence' }).click();

    const file = section.getByRole('list', { name: 'Evidence files' }).getByRole('listitem', { name: 'police letter.pdf' });
    await file.waitFor();
    const sha256 = createHash('sha256').update(PDF).digest('hex');
    await file.getByText(sha256).waitFor();
    assert.match((await file.textContent()) ?? '', /application\/pdf, 42 bytes\), added by Dee Dsl/);
    await file.getByText('Letter confirming the crime reference').waitFor();
    // The chronology, reloaded, says the evidence was added.
    await page.getByRole('list', { name: 'Chronology' }).getByText(`Evidence added: police letter.pdf (SHA-256 ${sha256})`).waitFor();

    await file.locator('summary', { hasText: 'Chain of custody' }).click();
    const chain = file.getByRole('list', { name: 'Chain of custody of police letter.pdf' });
    await chain.getByText(/^Uploaded by Dee Dsl/).waitFor();

    const [download] = await Promise.all([page.waitForEvent('download'), file.getByRole('link', { name: 'police letter.pdf' }).click()]);
    assert.equal(download.suggestedFilename(), 'police letter.pdf');
    const saved = await download.path();
    assert.deepEqual((await import('node:fs')).readFileSync(saved!), PDF);

    // Closing and opening the custody again shows the view just made.
    await file.locator('summary', { hasText: 'Chain of custody' }).click();
    await file.locator('summary', { hasText: 'Chain of custody' }).click();
    await chain.getByText(/^Viewed by Dee Dsl/).waitFor();
    assert.equal(await chain.getByRole('listitem').count(), 2);
    assert.deepEqual(h.pageErrors, []);
  });

  it('refuses an image on a suspected-CSAM incident and shows why', async () => {
    const page = await h.newPage();
    await signInWithTotp(h, page, 'dee.dsl', secrets);
    await page.goto(`/incidents/${csam}`);
    const section = page.getByRole('region', { name: 'Evidence' });
    const notice = section.getByRole('note', { name: 'Images and video not accepted' });
    await notice.waitFor();
    assert.match((await notice.textContent()) ?? '', /suspected child sexual abuse imagery.*Do not copy, save, print or share it/);
    const form = section.getByRole('form', { name: 'Add evidence' });
    assert.doesNotMatch((await form.getByLabel('Evidence file').getAttribute('accept')) ?? '', /image|video/);
    await form.getByLabel('Evidence file').setInputFiles({ name: 'screenshot.png', mimeType: 'image/png', buffer: PNG });
    await form.getByRole('button', { name: 'Add the evidence' }).click();
    const alert = form.getByRole('alert');
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? '', /images and video are not accepted.*Record the URL and a description.*police/);
    await section.getByText('No evidence files yet.').waitFor();
    const stored = await h.ctx.db.selectFrom('incident_evidence').select('id').where('incident_id', '=', csam).execute();
    assert.equal(stored.length, 0);
    assert.deepEqual(h.pageErrors, []);
  });
});

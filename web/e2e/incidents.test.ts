import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { newId } from '../../src/db/ids.js';
import { addUser } from '../../src/testing/fixtures.js';
import { navLinks, signIn, signInWithTotp, startHarness, type Harness } from './harness.js';

describe('safeguarding incidents (browser)', () => {
  let h: Harness;
  const secrets = new Map<string, string>();
  const REPORT = 'Pip showed me messages in the class group chat calling him names and telling him to leave the school.';
  const CORRECTION = 'The messages were on the Year 8 group chat, not the class one.';
  let reference = '';
  let incidentPath = '';
  let dsl: Awaited<ReturnType<typeof addUser>>;
  let pupil: Awaited<ReturnType<typeof addUser>>;

  before(async () => {
    h = await startHarness();
    // The form's "when" defaults to the browser's now; the server refuses a time in its future.
    h.ctx.clock.set(new Date());
    await addUser(h.ctx, h.schoolId, 'sam.teacher', ['staff']);
    dsl = await addUser(h.ctx, h.schoolId, 'dee.dsl', ['staff', 'dsl']);
    await addUser(h.ctx, h.schoolId, 'gail.governor', ['governor']);
    pupil = await addUser(h.ctx, h.schoolId, 'pip.pupil', ['student'], { yearGroup: 8 });
  });
  after(async () => {
    await h?.close();
  });

  const overflow = async (page: Page) =>
    Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));

  it('lets a teacher on a phone log a cyberbullying concern about a student, then add a correction', async () => {
    const page = await h.newPage({ viewport: { width: 375, height: 667 } });
    await signIn(page, 'sam.teacher');
    await page.getByRole('heading', { level: 1, name: 'Hello, Sam Teacher' }).waitFor();
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Safeguarding incidents' }).click();
    await page.getByRole('heading', { level: 1, name: 'My reports' }).waitFor();
    await page.getByRole('link', { name: 'Log a concern' }).click();

    const form = page.getByRole('form', { name: 'Log a concern' });
    await form.waitFor();
    const submit = form.getByRole('button', { name: 'Log the concern' });
    assert.equal(await submit.isDisabled(), true, 'no one involved, no report');
    assert.equal(await form.getByRole('radio', { name: 'A student' }).isChecked(), true);
    assert.equal(await form.getByRole('radio', { name: 'In school' }).isChecked(), true);
    assert.notEqual(await form.getByLabel('When it happened').inputValue(), '', 'when defaults to now');

    await form.getByLabel('Find a person').fill('pip');
    await form.getByRole('button', { name: 'Add Pip Pupil' }).click();
    assert.equal(await form.getByLabel('Role of Pip Pupil').inputValue(), 'subject');
    await form.getByLabel('Category').selectOption({ label: 'Cyberbullying' });
    await form.getByLabel('What happened').fill(REPORT);
    await form.getByRole('radio', { name: 'High' }).check();
    assert.ok((await overflow(page)) <= 0, 'the form fits a 375px screen');

    // Without anyone the concern is about, the server refuses, says why, and nothing typed is lost.
    await form.getByLabel('Role of Pip Pupil').selectOption({ label: 'Witness' });
    await submit.click();
    await form.getByRole('alert').filter({ hasText: 'Name at least one person the concern is about' }).waitFor();
    assert.equal(await form.getByLabel('What happened').inputValue(), REPORT);
    await form.getByLabel('Role of Pip Pupil').selectOption({ label: 'The concern is about them' });
    await submit.click();

    await page.getByRole('heading', { level: 1, name: 'Concern logged' }).waitFor();
    const confirmation = (await page.locator('.notice-good').textContent()) ?? '';
    reference = /reference (\S+)\./.exec(confirmation)?.[1] ?? '';
    assert.notEqual(reference, '', `a reference in: ${confirmation}`);

    // The reporter reads their own report and corrects it by adding an entry, never by editing.
    await page.getByRole('link', { name: 'See my reports' }).click();
    await page.getByRole('region', { name: 'Incidents' }).getByRole('link', { name: reference }).click();
    await page.getByRole('heading', { level: 1, name: `Incident ${reference}` }).waitFor();
    incidentPath = new URL(page.url()).pathname;
    const chronology = page.getByRole('list', { name: 'Chronology' });
    await chronology.getByText(REPORT).waitFor();
    await page.getByLabel('Your correction').fill(CORRECTION);
    await page.getByRole('button', { name: 'Add the correction' }).click();
    await chronology.getByText(CORRECTION).waitFor();
    await chronology.getByText(REPORT).waitFor();
    assert.equal(await chronology.getByRole('listitem').count(), 2);
    assert.equal(await page.getByRole('heading', { name: 'Actions' }).count(), 0, "the responders' work is not the reporter's to read");
    assert.deepEqual(h.pageErrors, []);
  });

  it('shows the DSL the concern in the list, and opens it with its people and report', async () => {
    assert.ok(reference, 'the teacher logged the concern first');
    // The response side records actions and parent contacts; here they are only shown.
    const incidentId = incidentPath.split('/').pop() ?? '';
    const at = h.ctx.clock().toISOString();
    await h.ctx.db
      .insertInto('incident_actions')
      .values({
        id: newId(),
        incident_id: incidentId,
        action: 'inform_parents',
        status: 'done',
        suggested: 1,
        due_at: null,
        note: 'Mum phoned after school',
        done_by: dsl.personId,
        done_at: at,
        sanction_id: null,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await h.ctx.db
      .insertInto('incident_parent_contacts')
      .values({
        id: newId(),
        incident_id: incidentId,
        student_id: pupil.personId,
        parent_person_id: null,
        parent_name: 'Polly Pupil',
        method: 'phone',
        contacted_at: at,
        contacted_by: dsl.personId,
        note: null,
        created_at: at,
      })
      .execute();
    const page = await h.newPage();
    await signInWithTotp(h, page, 'dee.dsl', secrets);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Safeguarding incidents' }).click();
    const row = page.getByRole('region', { name: 'Incidents' }).getByRole('row').filter({ hasText: reference });
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    assert.match(text, /Cyberbullying/);
    assert.match(text, /Pip Pupil/);
    assert.match(text, /High/);
    await row.getByRole('link', { name: reference }).click();
    await page.getByRole('heading', { level: 1, name: `Incident ${reference}` }).waitFor();
    assert.equal(new URL(page.url()).pathname, incidentPath);
    await page.getByRole('list', { name: 'People involved' }).getByText('Pip Pupil').waitFor();
    const chronology = page.getByRole('list', { name: 'Chronology' });
    await chronology.getByText(REPORT).waitFor();
    await chronology.getByText(CORRECTION).waitFor();
    assert.match((await chronology.getByRole('listitem').first().textContent()) ?? '', /Sam Teacher/);
    const actions = page.getByRole('region', { name: 'Actions' });
    assert.match((await actions.getByRole('row').filter({ hasText: 'Inform parents / carers' }).textContent()) ?? '', /Done.*Mum phoned/);
    await page
      .getByRole('list', { name: 'Parents and carers informed' })
      .getByText(/Polly Pupil, by phone/)
      .waitFor();
    // Only the reporter adds corrections.
    assert.equal(await page.getByRole('form', { name: 'Add a correction' }).count(), 0);
    assert.deepEqual(h.pageErrors, []);
  });

  it('gives a student the simpler form, and their report reaches the DSL', async () => {
    const page = await h.newPage({ viewport: { width: 375, height: 667 } });
    await signIn(page, 'pip.pupil');
    await page.getByRole('heading', { level: 1, name: 'Hello, Pip Pupil' }).waitFor();
    await page.getByRole('button', { name: 'Menu' }).click();
    const links = await navLinks(page);
    assert.equal(links.includes('Report a concern'), true, links.join(', '));
    assert.equal(links.includes('Safeguarding incidents'), false);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Report a concern' }).click();
    const form = page.getByRole('form', { name: 'Report a concern' });
    await form.getByLabel('What happened').fill('Someone keeps sending me horrible messages on a game at night.');
    await form.getByLabel('Who was involved').fill('A boy in Year 9');
    await form.getByRole('radio', { name: 'Out of school (linked to school)' }).check();
    assert.equal(await form.getByLabel('Find a person').count(), 0, 'students name nobody from the directory');
    await form.getByRole('button', { name: 'Send my report' }).click();
    await page.getByRole('heading', { level: 1, name: 'Concern logged' }).waitFor();
    const confirmation = (await page.locator('.notice-good').textContent()) ?? '';
    const studentRef = /reference (\S+)\./.exec(confirmation)?.[1] ?? '';
    assert.notEqual(studentRef, '');
    assert.notEqual(studentRef, reference);

    await page.getByRole('link', { name: 'See my reports' }).click();
    const mine = page.getByRole('region', { name: 'Incidents' });
    await mine.getByRole('link', { name: studentRef }).waitFor();
    assert.equal(await mine.getByRole('link', { name: reference }).count(), 0, 'a reporter sees only their own reports');

    const dsl = await h.newPage();
    await signInWithTotp(h, dsl, 'dee.dsl', secrets);
    await dsl.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Safeguarding incidents' }).click();
    await dsl.getByRole('region', { name: 'Incidents' }).getByRole('link', { name: studentRef }).click();
    await dsl
      .getByRole('list', { name: 'Chronology' })
      .getByText(/horrible messages on a game/)
      .waitFor();
    assert.match((await dsl.locator('.details').textContent()) ?? '', /Out of school/);
    assert.deepEqual(h.pageErrors, []);
  });

  it('never shows a governor the incident, in the page or from the API', async () => {
    assert.ok(incidentPath, 'the teacher opened the incident first');
    const page = await h.newPage();
    await signIn(page, 'gail.governor');
    await page.getByRole('heading', { level: 1, name: 'Hello, Gail Governor' }).waitFor();
    assert.equal((await navLinks(page)).includes('Safeguarding incidents'), false);
    await page.goto(incidentPath);
    await page.getByRole('heading', { name: /^You do not have permission/ }).waitFor();
    assert.equal(await page.getByText(REPORT).count(), 0);
    assert.equal(await page.getByText('Pip Pupil').count(), 0);
    // The server refuses too, as "not found", so a refusal does not reveal the record exists.
    const id = incidentPath.split('/').pop() ?? '';
    const answer = await page.request.get(`/api/incidents/${id}`);
    assert.equal(answer.status(), 404);
    assert.doesNotMatch(await answer.text(), /Pip|group chat/);
  });
});

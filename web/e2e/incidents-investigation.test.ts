import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { addUser, TEST_PASSWORD } from '../../src/testing/fixtures.js';
import { ApiClient } from '../../src/testing/http.js';
import { type Harness, signIn, signInWithTotp, startHarness } from './harness.js';

describe('the investigation form and the illegal-content procedure (browser)', () => {
  let h: Harness;
  const secrets = new Map<string, string>();
  let incidentId = '';
  let reference = '';

  const overflow = async (page: Page) =>
    Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));

  before(async () => {
    h = await startHarness();
    h.ctx.clock.set(new Date());
    await addUser(h.ctx, h.schoolId, 'sam.teacher', ['staff']);
    await addUser(h.ctx, h.schoolId, 'dee.dsl', ['staff', 'dsl']);
    await addUser(h.ctx, h.schoolId, 'hal.head', ['staff', 'head']);
    await addUser(h.ctx, h.schoolId, 'tom.teacher', ['staff']);
    const pupilId = (await addUser(h.ctx, h.schoolId, 'pip.pupil', ['student'], { yearGroup: 8 })).personId;
    const teacher = new ApiClient(h.url);
    assert.equal((await teacher.signIn('sam.teacher', TEST_PASSWORD)).status, 200);
    const created = await teacher.post('/api/incidents', {
      subjectKind: 'student',
      people: [{ personId: pupilId, role: 'subject' }],
      summary: 'Proxy site used to reach a gambling site',
      description: 'Pip used a proxy site in the ICT suite to reach a gambling site.',
      occurredAt: new Date(h.ctx.clock().getTime() - 3600_000).toISOString(),
      location: 'in_school',
      category: 'inappropriate_content',
      urgency: 'medium',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    ({ id: incidentId, reference } = created.body);
  });
  after(async () => {
    await h?.close();
  });

  it('lets the DSL fill in the investigation, add two senior staff, conclude it and print it', async () => {
    const page = await h.newPage();
    await signInWithTotp(h, page, 'dee.dsl', secrets);
    await page.goto(`/incidents/${incidentId}`);
    await page.getByRole('heading', { level: 1, name: `Incident ${reference}` }).waitFor();
    const section = page.getByRole('region', { name: 'Investigation', exact: true });
    await section.waitFor();
    assert.equal(await section.getByRole('note', { name: 'Illegal content procedure' }).count(), 0, 'not an illegal-content incident');

    const form = section.getByRole('form', { name: 'Investigation form' });
    await form.getByLabel('Web addresses (URLs), one per line').fill('https://proxy.example.net/\nbets.example.com');
    await form.getByLabel('Description of the content').fill('A proxy site and <b>an online casino</b>');
    await form.getByLabel('Designated computer').fill('ICT suite PC 14');
    await form.getByRole('button', { name: 'Save the investigation form' }).click();
    await page
      .getByRole('list', { name: 'Chronology' })
      .getByText(/Investigation started/)
      .waitFor();

    // Trying to conclude too early shows the server's reasons.
    const conclude = section.getByRole('form', { name: 'Conclude the investigation' });
    await conclude.getByRole('radio', { name: 'Substantiated', exact: true }).check();
    await conclude.getByLabel('Actions taken').fill('Internet access removed for a week; parents told');
    await conclude.getByRole('button', { name: 'Conclude the investigation' }).click();
    await conclude
      .getByRole('alert')
      .getByText(/at least two senior investigators/)
      .waitFor();

    const finder = section.getByLabel('Add an investigator: type a name');
    await finder.fill('dee');
    await section.getByRole('button', { name: 'Add Dee Dsl' }).click();
    await section.getByRole('list', { name: 'Investigators' }).getByText('Dee Dsl').waitFor();
    await finder.fill('tom');
    await section.getByRole('button', { name: 'Add Tom Teacher' }).click();
    await section.getByRole('list', { name: 'Investigators' }).getByText('Tom Teacher').waitFor();
    assert.match(
      (await section.getByRole('list', { name: 'Investigators' }).textContent()) ?? '',
      /Dee Dsl \(senior\).*Tom Teacher \(not senior\)/,
    );
    await conclude
      .getByRole('note', { name: 'Still needed before a conclusion' })
      .getByText(/1 so far/)
      .waitFor();
    await finder.fill('hal');
    await section.getByRole('button', { name: 'Add Hal Head' }).click();
    await section.getByRole('list', { name: 'Investigators' }).getByText('Hal Head').waitFor();
    await conclude.getByRole('note', { name: 'Still needed before a conclusion' }).waitFor({ state: 'detached' });

    await conclude.getByRole('radio', { name: 'Substantiated', exact: true }).check();
    await conclude.getByRole('button', { name: 'Conclude the investigation' }).click();
    const record = section.getByRole('group', { name: 'Investigation record' });
    await record.getByText(/Concluded substantiated by Dee Dsl/).waitFor();
    // Read-only now: no forms left in the section.
    assert.equal(await section.getByRole('form').count(), 0);
    assert.match((await record.textContent()) ?? '', /A proxy site and <b>an online casino<\/b>/);

    const link = section.getByRole('link', { name: 'Print for signature' });
    const href = await link.getAttribute('href');
    assert.equal(href, `/api/incidents/${incidentId}/investigation/print`);
    const printed = await page.request.get(href!);
    assert.equal(printed.status(), 200);
    const html = await printed.text();
    assert.match(html, /E-safety incident investigation record/);
    assert.match(html, /&#60;b&#62;an online casino&#60;\/b&#62;/);
    assert.equal((html.match(/Signature:/g) ?? []).length, 3);
    assert.deepEqual(h.pageErrors, []);
  });

  it("shows the suspected-CSAM box on the teacher's form, then the illegal procedure notice to the DSL on a phone", async () => {
    const teacherPage = await h.newPage({ viewport: { width: 375, height: 667 } });
    await signIn(teacherPage, 'sam.teacher');
    await teacherPage.getByRole('heading', { level: 1, name: 'Hello, Sam Teacher' }).waitFor();
    await teacherPage.goto('/incidents/new');
    const form = teacherPage.getByRole('form', { name: 'Log a concern' });
    await form.waitFor();
    const box = form.getByRole('checkbox', { name: 'I think this involves sexual images of a child' });
    assert.equal(await box.count(), 0, 'not asked for cyberbullying or before a category');
    await form.getByLabel('Find a person').fill('pip');
    await form.getByRole('button', { name: 'Add Pip Pupil' }).click();
    await form.getByLabel('Category').selectOption({ label: 'Suspected illegal content' });
    await box.check();
    await form
      .getByRole('note', { name: 'Sexual images of a child' })
      .getByText(/Do not view, copy, save, print or share the images/)
      .waitFor();
    await form.getByLabel('What happened').fill('A pupil told me images of another pupil are being passed round.');
    assert.ok((await overflow(teacherPage)) <= 0, 'the form fits a 375px screen');
    await form.getByRole('button', { name: 'Log the concern' }).click();
    await teacherPage.getByText(/Your concern has been logged/).waitFor();
    const flagged = await h.ctx.db
      .selectFrom('incidents')
      .select(['id', 'suspected_csam'])
      .where('category', '=', 'illegal_content')
      .executeTakeFirstOrThrow();
    assert.equal(flagged.suspected_csam, 1);

    const page = await h.newPage({ viewport: { width: 375, height: 667 } });
    await signInWithTotp(h, page, 'dee.dsl', secrets);
    await page.goto(`/incidents/${flagged.id}`);
    const section = page.getByRole('region', { name: 'Investigation', exact: true });
    const notice = section.getByRole('note', { name: 'Illegal content procedure' });
    await notice.waitFor();
    assert.match((await notice.textContent()) ?? '', /Refer to the police now/);
    assert.match((await notice.textContent()) ?? '', /Do not view, copy, save, print or share the images/);
    await section.getByRole('form', { name: 'Police referral' }).getByLabel('Police reference').fill('CR/0001/26');
    // The time on the form is the browser's now; the test server's clock must not lag it.
    h.ctx.clock.set(new Date());
    await section.getByRole('form', { name: 'Police referral' }).getByRole('button', { name: 'Record the police referral' }).click();
    await section.getByText(/Recorded: CR\/0001\/26/).waitFor();
    await section.getByRole('form', { name: 'Device isolation' }).getByRole('button', { name: 'The device has been isolated' }).click();
    await section.getByText(/^Isolated .* by Dee Dsl\.$/).waitFor();
    assert.ok((await overflow(page)) <= 0, 'the investigation fits a 375px screen');
    assert.deepEqual(h.pageErrors, []);
  });
});

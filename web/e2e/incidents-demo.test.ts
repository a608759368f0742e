import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createDemoSchool } from '../../src/demo/demo-school.js';
import { ApiClient } from '../../src/testing/http.js';
import { signIn, startHarness, type Harness } from './harness.js';

/*
 * The "Done when", walked through on the demo school (Riverside Academy) exactly as
 * `tutela start --demo` creates it, less the filter set-up, which fetches category lists and
 * has no part in the incident log. Demo accounts skip two-step sign-in while a demo password
 * is set, as they do on a demonstration server.
 */
const PASSWORD = 'riverside-demo';
const BULLYING_ROW = 'Sending an email, text or message that is regarded as offensive, harassment or of a bullying nature';
// The smallest valid PNG: a 1×1 transparent pixel.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

describe('the incident log on the demo school (browser)', () => {
  let h: Harness;
  let student: { id: string; name: string; givenName: string; familyName: string };
  let guardian: { name: string } | undefined;
  let reference = '';
  let incidentId = '';

  before(async () => {
    h = await startHarness({ seed: false, env: { TUTELA_DEMO_PASSWORD: PASSWORD } });
    // The concern form's "when" defaults to the browser's now; the server refuses its future.
    h.ctx.clock.set(new Date());
    await createDemoSchool(h.ctx, { password: PASSWORD });
    const person = await h.ctx.db
      .selectFrom('accounts')
      .innerJoin('people', 'people.id', 'accounts.person_id')
      .select(['people.id', 'people.given_name', 'people.preferred_name', 'people.family_name', 'people.year_group'])
      .where('accounts.username', '=', 'demo.student10')
      .executeTakeFirstOrThrow();
    assert.equal(person.year_group, 10);
    const givenName = person.preferred_name ?? person.given_name;
    student = { id: person.id, givenName, familyName: person.family_name, name: `${givenName} ${person.family_name}` };
    const first = await h.ctx.db
      .selectFrom('guardians')
      .innerJoin('people', 'people.id', 'guardians.parent_id')
      .select(['people.given_name', 'people.preferred_name', 'people.family_name'])
      .where('guardians.student_id', '=', student.id)
      .orderBy('guardians.priority')
      .orderBy('people.family_name')
      .executeTakeFirst();
    guardian = first ? { name: `${first.preferred_name ?? first.given_name} ${first.family_name}` } : undefined;
  });
  after(async () => {
    await h?.close();
  });

  it('lets demo.teacher log a cyberbullying concern about demo.student10 on a phone', async () => {
    const page = await h.newPage({ viewport: { width: 375, height: 667 } });
    await signIn(page, 'demo.teacher', PASSWORD);
    await page.getByRole('heading', { level: 1, name: /^Hello, / }).waitFor();
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Safeguarding incidents' }).click();
    await page.getByRole('link', { name: 'Log a concern' }).click();
    const form = page.getByRole('form', { name: 'Log a concern' });
    await form.waitFor();
    const opened = performance.now();

    await form.getByLabel('Find a person').fill(student.name);
    await form
      .getByRole('listitem')
      .filter({ hasText: 'Year 10' })
      .getByRole('button', { name: `Add ${student.name}`, exact: true })
      .click();
    await form.getByLabel('Category').selectOption({ label: 'Cyberbullying' });
    await form
      .getByLabel('What happened')
      .fill(`${student.givenName} showed me messages in a group chat calling another student names and telling them to leave.`);
    await form.getByRole('radio', { name: 'High' }).check();
    await form.getByRole('button', { name: 'Log the concern' }).click();
    await page.getByRole('heading', { level: 1, name: 'Concern logged' }).waitFor();
    const seconds = (performance.now() - opened) / 1000;
    // Printed, not asserted: the issue asks for under a minute for a person, not for a script.
    console.log(`demo.teacher logged the concern in ${seconds.toFixed(1)} s from opening the form to the confirmation`);

    const confirmation = (await page.locator('.notice-good').textContent()) ?? '';
    reference = /reference (\S+)\./.exec(confirmation)?.[1] ?? '';
    assert.notEqual(reference, '', `a reference in: ${confirmation}`);
    const stored = await h.ctx.db
      .selectFrom('incidents')
      .select(['id', 'category'])
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    incidentId = stored.id;
    assert.equal(stored.category, 'cyberbullying');
    assert.deepEqual(h.pageErrors, []);
  });

  it('shows demo.dsl the concern at once, in the list and as a notification; triage, an action and parents informed', async () => {
    assert.ok(incidentId, 'the teacher logged the concern first');
    const page = await h.newPage();
    const readsOfIncident: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'GET' && new URL(r.url()).pathname === `/api/incidents/${incidentId}`) readsOfIncident.push(r.url());
    });
    await signIn(page, 'demo.dsl', PASSWORD);
    await page.getByRole('heading', { level: 1, name: /^Hello, / }).waitFor();

    await page.getByRole('link', { name: /^Notifications \(\d+ unread\)/ }).click();
    const note = page
      .getByRole('list', { name: 'Notifications' })
      .getByRole('listitem', { name: `Unread: New safeguarding concern ${reference}` });
    await note.waitFor();
    assert.doesNotMatch((await note.textContent()) ?? '', new RegExp(student.familyName), 'the notification names no one');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Safeguarding incidents' }).click();
    await page.getByRole('list', { name: 'Open incidents' }).getByRole('link', { name: reference }).waitFor();
    await page.getByRole('region', { name: 'Incidents' }).getByRole('link', { name: reference }).click();
    await page.getByRole('heading', { level: 1, name: `Incident ${reference}` }).waitFor();
    await page.getByRole('list', { name: 'People involved' }).getByText(student.name).waitFor();

    const triage = page.getByRole('form', { name: 'Incident type' });
    await triage.getByLabel('Incident type').selectOption({ label: BULLYING_ROW });
    const suggested = triage.getByRole('list', { name: 'Suggested actions' });
    await suggested.getByText('Inform parents / carers').waitFor();
    await triage.getByRole('button', { name: 'Record these actions' }).click();

    const actions = page.getByRole('region', { name: 'Actions' });
    const inform = actions.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Inform parents / carers' }) });
    await inform.getByRole('button', { name: 'Mark Inform parents / carers done' }).click();
    await inform.getByRole('cell', { name: /^Done/ }).waitFor();

    const contact = page.getByRole('form', { name: 'Parents or carers informed' });
    const who = contact.getByLabel('Parent or carer', { exact: true });
    // Every demo student has a parent or carer linked; the first is offered first.
    assert.ok(guardian, 'demo.student10 has a linked parent or carer');
    await who.locator('option', { hasText: guardian.name }).first().waitFor({ state: 'attached' });
    assert.match((await who.locator('option:checked').textContent()) ?? '', new RegExp(`^${guardian.name}`));
    await contact.getByLabel('How').selectOption({ label: 'by phone' });
    // The time on the form is the browser's now; the test server's clock must not lag it.
    h.ctx.clock.set(new Date());
    await contact.getByRole('button', { name: 'Record parents informed' }).click();
    await page
      .getByRole('list', { name: 'Parents and carers informed' })
      .getByText(new RegExp(`${guardian.name}, by phone`))
      .waitFor();

    const done = await h.ctx.db
      .selectFrom('incident_actions')
      .select(['action', 'status'])
      .where('incident_id', '=', incidentId)
      .where('status', '=', 'done')
      .execute();
    assert.deepEqual(done, [{ action: 'inform_parents', status: 'done' }]);

    // Every read of the incident by demo.dsl is in the audit log.
    const audited = await h.ctx.db
      .selectFrom('audit_log')
      .select('seq')
      .where('action', '=', 'incident.read')
      .where('actor_username', '=', 'demo.dsl')
      .where('target_id', '=', incidentId)
      .execute();
    assert.ok(readsOfIncident.length >= 1, 'the page read the incident');
    assert.ok(
      audited.length >= readsOfIncident.length,
      `${readsOfIncident.length} reads by the page, ${audited.length} 'incident.read' audit entries`,
    );
    assert.deepEqual(h.pageErrors, []);
  });

  it('shows demo.governor the incident only as a number on Incident figures', async () => {
    assert.ok(reference, 'the teacher logged the concern first');
    const page = await h.newPage();
    await signIn(page, 'demo.governor', PASSWORD);
    await page.getByRole('heading', { level: 1, name: /^Hello, / }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Incident figures' }).click();
    const categories = page.getByRole('table', { name: 'Incidents by category' });
    const cyberbullying = categories.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Cyberbullying', exact: true }) });
    await cyberbullying.waitFor();
    assert.deepEqual(await cyberbullying.getByRole('cell').allTextContents(), ['1', '0', 'Up 1']);
    const years = page.getByRole('table', { name: /^Incidents about students by year group/ });
    const year10 = years.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Year 10', exact: true }) });
    assert.deepEqual(await year10.getByRole('cell').allTextContents(), ['1', '0', 'Up 1']);
    const text = await page.locator('main').innerText();
    for (const secret of [reference, student.givenName, student.familyName]) {
      assert.doesNotMatch(text, new RegExp(`\\b${secret}\\b`), `the governor's page must not show ${secret}`);
    }
    // Nor can the governor open the record itself.
    assert.equal((await page.request.get(`/api/incidents/${incidentId}`)).status(), 404);
    assert.deepEqual(h.pageErrors, []);
  });

  // Child sexual abuse imagery must never be copied, even into an evidence store: the police handle it.
  it('refuses an image as evidence for a suspected-CSAM concern', async () => {
    const teacher = new ApiClient(h.url);
    assert.equal((await teacher.signIn('demo.teacher', PASSWORD)).status, 200);
    const created = await teacher.post('/api/incidents', {
      subjectKind: 'student',
      people: [{ personId: student.id, role: 'subject' }],
      summary: 'An indecent image may be on a phone',
      description: 'A student told me an indecent image of a child was being passed round. I have not looked at it.',
      occurredAt: new Date(h.ctx.clock().getTime() - 600_000).toISOString(),
      location: 'in_school',
      category: 'illegal_content',
      urgency: 'urgent',
      suspectedCsam: true,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const flagged = await h.ctx.db
      .selectFrom('incidents')
      .select('suspected_csam')
      .where('id', '=', created.body.id)
      .executeTakeFirstOrThrow();
    assert.equal(Number(flagged.suspected_csam), 1, 'the concern form stores suspectedCsam');

    const dsl = new ApiClient(h.url);
    assert.equal((await dsl.signIn('demo.dsl', PASSWORD)).status, 200);
    const upload = await dsl.post(`/api/incidents/${created.body.id}/evidence`, PNG, {
      'content-type': 'image/png',
      'x-filename': 'screenshot.png',
    });
    assert.equal(upload.status, 422, JSON.stringify(upload.body));
    assert.equal(upload.body.error, 'incident.evidence_refused');
    const stored = await h.ctx.db.selectFrom('incident_evidence').select('id').where('incident_id', '=', created.body.id).execute();
    assert.deepEqual(stored, [], 'nothing was kept');
  });
});

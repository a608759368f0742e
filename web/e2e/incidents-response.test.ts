import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addUser, TEST_PASSWORD } from '../../src/testing/fixtures.js';
import { ApiClient } from '../../src/testing/http.js';
import { signInWithTotp, startHarness, type Harness } from './harness.js';

const BULLYING_ROW = 'Sending an email, text or message that is regarded as offensive, harassment or of a bullying nature';

describe('responding to an incident (browser)', () => {
  let h: Harness;
  const secrets = new Map<string, string>();
  let reference = '';
  let incidentId = '';
  let pupilId = '';
  let mumId = '';
  let teacher: ApiClient;

  /** The teacher logs a concern about Pip through the API, as the concern form does. */
  const logConcern = async (summary: string): Promise<{ id: string; reference: string }> => {
    const created = await teacher.post('/api/incidents', {
      subjectKind: 'student',
      people: [{ personId: pupilId, role: 'subject' }],
      summary,
      description: `${summary}: Pip sent messages calling another pupil names.`,
      occurredAt: new Date(h.ctx.clock().getTime() - 3600_000).toISOString(),
      location: 'out_of_school',
      category: 'cyberbullying',
      urgency: 'high',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return { id: created.body.id, reference: created.body.reference };
  };

  before(async () => {
    h = await startHarness();
    h.ctx.clock.set(new Date());
    await addUser(h.ctx, h.schoolId, 'sam.teacher', ['staff']);
    await addUser(h.ctx, h.schoolId, 'dee.dsl', ['staff', 'dsl']);
    pupilId = (await addUser(h.ctx, h.schoolId, 'pip.pupil', ['student'], { yearGroup: 8 })).personId;
    const mum = await addUser(h.ctx, h.schoolId, 'polly.pupil', ['parent']);
    mumId = mum.personId;
    await h.ctx.db
      .insertInto('guardians')
      .values({ parent_id: mum.personId, student_id: pupilId, relationship: 'mother', parental_responsibility: 1, priority: 1 })
      .execute();
    teacher = new ApiClient(h.url);
    assert.equal((await teacher.signIn('sam.teacher', TEST_PASSWORD)).status, 200);
    ({ id: incidentId, reference } = await logConcern('Name-calling in the Year 8 group chat'));
  });
  after(async () => {
    await h?.close();
  });

  it('lets the DSL triage, act, inform the parents, read the letter and the readers, and close', async () => {
    const page = await h.newPage();
    await signInWithTotp(h, page, 'dee.dsl', secrets);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Safeguarding incidents' }).click();
    // The dashboard lists the open concern.
    await page.getByRole('list', { name: 'Open incidents' }).getByRole('link', { name: reference }).waitFor();
    await page.getByRole('region', { name: 'Incidents' }).getByRole('link', { name: reference }).click();
    await page.getByRole('heading', { level: 1, name: `Incident ${reference}` }).waitFor();
    assert.equal(new URL(page.url()).pathname, `/incidents/${incidentId}`);

    // Triage: the matrix row suggests its actions; a first offence is no repeat.
    const triage = page.getByRole('form', { name: 'Incident type' });
    await triage.getByLabel('Incident type').selectOption({ label: BULLYING_ROW });
    const suggested = triage.getByRole('list', { name: 'Suggested actions' });
    await suggested.getByText('Inform parents / carers').waitFor();
    assert.equal(await suggested.getByRole('listitem').count(), 7);
    assert.equal(await triage.getByRole('note', { name: 'Repeat infringement' }).count(), 0);
    await triage.getByRole('button', { name: 'Record these actions' }).click();

    const actions = page.getByRole('region', { name: 'Actions' });
    const informRow = actions.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Inform parents / carers' }) });
    await informRow.waitFor();
    assert.equal(await actions.getByRole('row').count(), 8, 'a header and the seven actions');
    assert.match((await informRow.textContent()) ?? '', /Pending/);
    await informRow.getByLabel('Note for Inform parents / carers').fill('Mum phoned after school');
    await informRow.getByRole('button', { name: 'Mark Inform parents / carers done' }).click();
    await informRow.getByRole('cell', { name: /^Done/ }).waitFor();
    assert.match((await informRow.textContent()) ?? '', /^Inform parents \/ carersDone.*Mum phoned after school/);

    // A sanction given now makes the next concern about Pip a repeat.
    const sanctionRow = actions.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /^Further sanction/ }) });
    await sanctionRow.getByRole('button', { name: /^Mark Further sanction.* done$/ }).click();
    await sanctionRow.getByRole('cell', { name: /^Done/ }).waitFor();

    // Removing internet access asks how long for before it is marked done.
    const removalRow = actions.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Removal of internet access rights' }) });
    await removalRow.getByRole('button', { name: 'Mark Removal of internet access rights done' }).click();
    await removalRow.getByLabel('Internet access removed until').waitFor();
    await removalRow.getByRole('button', { name: 'Cancel' }).click();
    assert.match((await removalRow.textContent()) ?? '', /Pending/);
    await removalRow.getByRole('button', { name: 'Mark Removal of internet access rights done' }).click();
    await removalRow.getByLabel('Internet access removed until').fill('2099-01-31T15:30');
    await removalRow.getByRole('button', { name: 'Remove access until then' }).click();
    await removalRow.getByRole('cell', { name: /^Done/ }).waitFor();
    const removal = await h.ctx.db
      .selectFrom('incident_actions')
      .select('sanction_id')
      .where('incident_id', '=', incidentId)
      .where('action', '=', 'removal_of_internet')
      .executeTakeFirstOrThrow();
    assert.ok(removal.sanction_id, 'the removal became a timed sanction the filter enforces');

    // Parents informed, then the letter template.
    const contact = page.getByRole('form', { name: 'Parents or carers informed' });
    assert.equal(await contact.getByLabel('Student').locator('option:checked').textContent(), 'Pip Pupil');
    // The linked mother is offered first; "someone else" would ask for a name instead.
    const who = contact.getByLabel('Parent or carer', { exact: true });
    await who.locator('option', { hasText: 'Polly Pupil (mother, parental responsibility)' }).waitFor({ state: 'attached' });
    assert.equal(await who.locator('option:checked').textContent(), 'Polly Pupil (mother, parental responsibility)');
    assert.equal(await contact.getByLabel('Name of the parent or carer').count(), 0);
    await who.selectOption({ label: 'Someone else: type a name' });
    await contact.getByLabel('Name of the parent or carer').waitFor();
    await who.selectOption({ label: 'Polly Pupil (mother, parental responsibility)' });
    await contact.getByLabel('How').selectOption({ label: 'by phone' });
    await contact.getByLabel('Note').fill('Will talk to Pip tonight');
    // The form's time is the browser's "now"; the test server's clock stands still, so bring it
    // up to date or a contact made a minute later than the server believes is "in the future".
    h.ctx.clock.set(new Date());
    await contact.getByRole('button', { name: 'Record parents informed' }).click();
    await page
      .getByRole('list', { name: 'Parents and carers informed' })
      .getByText(/Polly Pupil, by phone, .*Will talk to Pip tonight/)
      .waitFor();
    const stored = await h.ctx.db
      .selectFrom('incident_parent_contacts')
      .select('parent_person_id')
      .where('incident_id', '=', incidentId)
      .executeTakeFirstOrThrow();
    assert.equal(stored.parent_person_id, mumId, 'the contact names the linked guardian, not a typed name');
    await contact.getByRole('button', { name: 'Letter template' }).click();
    const letter = page.getByRole('region', { name: 'Letter to parents or carers' });
    await letter.getByText(/Dear parent or carer/).waitFor();
    const letterText = (await letter.textContent()) ?? '';
    assert.match(letterText, /Pip Pupil/);
    assert.match(letterText, new RegExp(`Reference: ${reference}`));

    // The DSL's own reads are in the audit trail shown on the page.
    const readers = page.getByRole('list', { name: 'Who has read this' });
    await readers
      .getByText(/Dee Dsl \(dee\.dsl\) read it/)
      .first()
      .waitFor();

    // Close with an outcome.
    const close = page.getByRole('form', { name: 'Close the incident' });
    await close.getByLabel('Outcome').fill('Apology made; parents spoke with Pip.');
    await close.getByRole('button', { name: 'Close the incident' }).click();
    await page.locator('.details').getByText('Closed: Apology made; parents spoke with Pip.').waitFor();
    assert.equal(await page.getByRole('form', { name: 'Close the incident' }).count(), 0);
    assert.equal(await page.getByRole('form', { name: 'Incident type' }).count(), 0, 'a closed incident is not triaged again');
    assert.deepEqual(h.pageErrors, []);
  });

  it('escalates a repeat to continued infringements and shows the history', async () => {
    assert.ok(reference, 'the first concern was dealt with first');
    const second = await logConcern('More name-calling in the group chat');
    const page = await h.newPage();
    await signInWithTotp(h, page, 'dee.dsl', secrets);
    await page.goto(`/incidents/${second.id}`);
    await page.getByRole('heading', { level: 1, name: `Incident ${second.reference}` }).waitFor();
    const triage = page.getByRole('form', { name: 'Incident type' });
    await triage.getByLabel('Incident type').selectOption({ label: BULLYING_ROW });
    const repeat = triage.getByRole('note', { name: 'Repeat infringement' });
    await repeat.getByText('Repeat: escalated to continued infringements.').waitFor();
    await repeat
      .getByRole('list', { name: 'Earlier warnings or sanctions' })
      .getByText(new RegExp(`^${reference}, Cyberbullying`))
      .waitFor();
    assert.deepEqual(h.pageErrors, []);
  });
});

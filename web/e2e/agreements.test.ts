import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { publishVersion } from '../../src/agreements/service.js';
import { createDemoSchool } from '../../src/demo/demo-school.js';
import { addUser, TEST_PASSWORD } from '../../src/testing/fixtures.js';
import { signIn, startHarness, type Harness } from './harness.js';

/*
 * Acceptable-use agreements in the browser, on the demo school (every demo account but
 * demo.student7 has accepted this year's agreement) with a few people added for the cases.
 */
const PASSWORD = 'riverside-demo';
const longDate = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long' });

/** The CSRF token of the page's session, for calling the API as that page's user. */
async function csrf(page: Page): Promise<string> {
  const view = await (await page.request.get('/api/auth/session')).json();
  return view.csrfToken as string;
}

describe('acceptable-use agreements (browser)', () => {
  let h: Harness;
  let schoolId = '';
  const ids: Record<string, string> = {};

  before(async () => {
    h = await startHarness({ seed: false, env: { TUTELA_DEMO_PASSWORD: PASSWORD } });
    schoolId = (await createDemoSchool(h.ctx, { password: PASSWORD })).schoolId;
    ids.sam = (await addUser(h.ctx, schoolId, 'sam.student', ['student'], { yearGroup: 9 })).personId;
    ids.kit = (await addUser(h.ctx, schoolId, 'kit.small', ['student'], { yearGroup: 1 })).personId;
    ids.otherChild = (await addUser(h.ctx, schoolId, 'ola.other', ['student'], { yearGroup: 1 })).personId;
    const parent = await h.ctx.db
      .selectFrom('accounts')
      .select('person_id')
      .where('username', '=', 'demo.parent')
      .executeTakeFirstOrThrow();
    ids.parent = parent.person_id;
    // A Key Stage 1 child for demo.parent, whose agreement only a parent can accept.
    await h.ctx.db
      .insertInto('guardians')
      .values({ parent_id: ids.parent, student_id: ids.kit, relationship: 'mother', parental_responsibility: 1, priority: 1 })
      .execute();
  });
  after(async () => {
    await h?.close();
  });

  it('lets a student read and accept their agreement on a phone, then shows it accepted with the date', async () => {
    const page = await h.newPage({ viewport: { width: 375, height: 667 } });
    await signIn(page, 'sam.student', TEST_PASSWORD);
    await page.getByRole('heading', { level: 1, name: /^Hello, / }).waitFor();
    await page.goto('/agreements/mine');
    await page.getByRole('heading', { level: 1, name: 'Your agreements' }).waitFor();
    const card = page.getByRole('region', { name: /^Your agreement: / });
    await card.getByText('Not yet accepted.').waitFor();
    await card.getByText(/By clicking Accept I acknowledge that I have read and understood the agreement and will follow it/).waitFor();
    // The default text's Markdown headings sit under the card's own heading.
    assert.ok((await card.getByRole('heading', { level: 3 }).count()) > 0, 'the agreement text has headings');
    const accept = card.getByRole('button', { name: 'Accept', exact: true });
    const box = await accept.boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 375, 'the Accept button is on a phone screen');
    await accept.click();
    await card.getByText(`Accepted on ${longDate.format(h.ctx.clock())} (version 1).`).waitFor();
    await page.getByRole('status').getByText('Agreement accepted').waitFor();
    assert.equal(await card.getByRole('button', { name: 'Accept', exact: true }).count(), 0);

    const stored = await h.ctx.db
      .selectFrom('agreement_acceptances')
      .select(['person_id', 'accepted_by', 'version', 'device'])
      .where('person_id', '=', ids.sam!)
      .execute();
    assert.equal(stored.length, 1);
    assert.equal(stored[0]!.accepted_by, ids.sam);
    assert.ok(stored[0]!.device, 'the device is recorded');
    assert.deepEqual(h.pageErrors, []);
  });

  it('lets demo.parent accept for their children, and shows no other child', async () => {
    const children = await h.ctx.db
      .selectFrom('guardians')
      .innerJoin('people', 'people.id', 'guardians.student_id')
      .select(['people.id', 'people.given_name', 'people.preferred_name', 'people.family_name', 'people.year_group'])
      .where('guardians.parent_id', '=', ids.parent!)
      .execute();
    const names = children.map((c) => `${c.preferred_name ?? c.given_name} ${c.family_name}`).sort();
    assert.ok(names.includes('Kit Small'));
    const student7 = await h.ctx.db
      .selectFrom('accounts')
      .innerJoin('people', 'people.id', 'accounts.person_id')
      .select(['people.id', 'people.given_name', 'people.preferred_name', 'people.family_name'])
      .where('accounts.username', '=', 'demo.student7')
      .executeTakeFirstOrThrow();
    const student7Name = `${student7.preferred_name ?? student7.given_name} ${student7.family_name}`;
    assert.ok(names.includes(student7Name), 'demo.student7 is a child of demo.parent');

    const page = await h.newPage();
    await signIn(page, 'demo.parent', PASSWORD);
    await page.getByRole('heading', { level: 1, name: /^Hello, / }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Agreements' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your agreements' }).waitFor();
    const section = page.getByRole('region', { name: "Your children's agreements" });
    await section.getByRole('heading', { level: 3 }).first().waitFor();
    const shown = (await section.getByRole('heading', { level: 3 }).allTextContents()).map((t) => t.split(':')[0]!.trim()).sort();
    assert.deepEqual(shown, names, 'exactly the parent’s own children');
    assert.equal(await page.getByText('Ola Other').count(), 0);

    const kit = section.getByRole('region', { name: /^Kit Small: / });
    await kit.getByText('Please read this agreement together with Kit Small before you accept it for them.').waitFor();
    await kit.getByRole('button', { name: 'Accept for Kit Small' }).click();
    await kit.getByText(/^Accepted on .* by /).waitFor();

    const seven = section.getByRole('region', { name: new RegExp(`^${student7Name}: `) });
    await seven.getByRole('button', { name: `Accept for ${student7Name}` }).click();
    await seven.getByText(/^Accepted on /).waitFor();
    const stored = await h.ctx.db
      .selectFrom('agreement_acceptances')
      .select(['accepted_by', 'on_behalf'])
      .where('person_id', '=', ids.kit!)
      .executeTakeFirstOrThrow();
    assert.equal(stored.accepted_by, ids.parent);
    assert.equal(Number(stored.on_behalf), 1);

    // Another family's child: the server refuses, whatever the page offers.
    const doc = await h.ctx.db
      .selectFrom('agreement_documents')
      .select('id')
      .where('school_id', '=', schoolId)
      .where('audience', '=', 'ks1')
      .executeTakeFirstOrThrow();
    const refused = await page.request.post('/api/agreements/accept', {
      data: { documentId: doc.id, personId: ids.otherChild },
      headers: { 'x-csrf-token': await csrf(page) },
    });
    assert.equal(refused.status(), 403);
    const none = await h.ctx.db.selectFrom('agreement_acceptances').select('id').where('person_id', '=', ids.otherChild!).execute();
    assert.equal(none.length, 0);
    assert.deepEqual(h.pageErrors, []);
  });

  it('holds a new staff account at the accept screen until it accepts, then lets it in', async () => {
    await addUser(h.ctx, schoolId, 'nina.newstaff', ['staff']);
    const page = await h.newPage();
    await signIn(page, 'nina.newstaff', TEST_PASSWORD);
    await page.getByRole('heading', { level: 1, name: 'Before you start' }).waitFor();
    assert.equal(await page.getByRole('navigation', { name: 'Main' }).count(), 0, 'no navigation past the agreement');
    assert.equal(await page.title(), 'Before you start – Tutela');
    await page.goto('/people');
    await page.getByRole('heading', { level: 1, name: 'Before you start' }).waitFor();
    assert.equal(await page.getByRole('heading', { level: 1, name: 'People' }).count(), 0);
    const blocked = await page.request.get('/api/directory/people');
    assert.equal(blocked.status(), 403);
    assert.equal((await blocked.json()).error, 'agreement.required');

    // Signing out still works from the gate.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await signIn(page, 'nina.newstaff', TEST_PASSWORD);
    await page.getByRole('heading', { level: 1, name: 'Before you start' }).waitFor();

    await page.getByRole('heading', { level: 2, name: /staff/i }).first().waitFor();
    await page.getByRole('button', { name: 'Accept', exact: true }).click();
    // Accepting continues to where the person was going (People, before signing out), then anywhere.
    await page.getByRole('heading', { level: 1, name: 'People' }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).click();
    await page.getByRole('heading', { level: 1, name: /^Hello, / }).waitFor();
    const open = await page.request.get('/api/directory/people');
    assert.notEqual(open.status(), 403);
    assert.deepEqual(h.pageErrors, []);
  });

  it('lets the head publish a new version safely, after which coverage shows the student outstanding again', async () => {
    const page = await h.newPage();
    await signIn(page, 'demo.head', PASSWORD);
    await page.getByRole('heading', { level: 1, name: /^Hello, / }).waitFor();
    await page.goto('/agreements/documents');
    await page.getByRole('heading', { level: 1, name: 'Agreement texts' }).waitFor();
    await page.getByRole('navigation', { name: 'Audiences' }).getByRole('link', { name: 'Secondary students' }).click();
    await page.getByRole('heading', { level: 2, name: 'Secondary students' }).waitFor();
    await page.getByText(/^Version 1, published /).waitFor();

    const form = page.getByRole('form', { name: 'Publish a new version' });
    await form.getByText('everyone in secondary students must accept the agreement again').waitFor();
    await form.getByLabel('Title').fill('Our computer rules, 2026');
    await form
      .getByLabel('Text (Markdown)')
      .fill(
        '# Our rules\n\nI **must** keep my password secret.\n\n- Be kind online\n- Tell an adult\n\n<img src=x onerror="window.__pwned=1">\n\nSee [our website](https://example.org/rules) or [this](javascript:alert(1)).',
      );
    const preview = page.getByRole('region', { name: 'Preview' });
    await preview.locator('strong', { hasText: 'must' }).waitFor();
    await preview.getByText('<img src=x onerror="window.__pwned=1">').waitFor();
    assert.equal(await preview.locator('img').count(), 0, 'HTML in the text is shown, never run');
    assert.equal(await preview.getByRole('link', { name: 'our website' }).getAttribute('href'), 'https://example.org/rules');
    assert.equal(await preview.getByRole('link', { name: 'this' }).count(), 0, 'a script link stays text');
    await preview.getByText('[this](javascript:alert(1))').waitFor();
    await form.getByRole('button', { name: 'Publish version 2' }).click();
    // An empty change note is refused by the form before it is sent.
    assert.equal(await page.getByText(/^Version 2, published /).count(), 0);
    await form.getByLabel('What has changed').fill('Shorter, in plain words');
    await form.getByRole('button', { name: 'Publish version 2' }).click();
    await page.getByText(/^Version 2, published .*: Shorter, in plain words$/).waitFor();
    await page
      .getByRole('article', { name: 'Our computer rules, 2026' })
      .getByRole('listitem')
      .filter({ hasText: 'Be kind online' })
      .waitFor();
    assert.equal(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned), undefined);

    await page.getByRole('button', { name: 'Read version 1' }).click();
    await page.getByRole('article', { name: 'Version 1' }).waitFor();

    await page.goto('/agreements/coverage?audience=secondary');
    await page.getByRole('heading', { level: 1, name: 'Who has accepted' }).waitFor();
    const outstanding = page.getByRole('region', { name: 'People who have not yet accepted' });
    const sam = outstanding.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Sam Student' }) });
    await sam.getByRole('cell', { name: 'Version 1' }).waitFor();
    assert.deepEqual(h.pageErrors, []);
  });

  it('previews crafted agreement text without hanging the page', async () => {
    const page = await h.newPage();
    await signIn(page, 'demo.head', PASSWORD);
    await page.getByRole('heading', { level: 1, name: /^Hello, / }).waitFor();
    await page.goto('/agreements/documents');
    await page.getByRole('navigation', { name: 'Audiences' }).getByRole('link', { name: 'Staff and volunteers' }).click();
    const form = page.getByRole('form', { name: 'Publish a new version' });
    // A heading full of spaces, a run of brackets and of unfinished links: each once took the page minutes or more.
    const crafted = `# Rules${' '.repeat(20_000)}end ##\n\n${'['.repeat(60_000)}\n\n${'[a](b'.repeat(15_000)}\n\n# C#\n\n[home](/agreements/mine) [away](/\\evil.example)`;
    await form.getByLabel('Text (Markdown)').fill(crafted);
    const preview = page.getByRole('region', { name: 'Preview' });
    await preview.getByRole('heading', { level: 5, name: 'C#' }).waitFor();
    const first = await preview.getByRole('heading', { level: 5 }).first().textContent();
    assert.match(first ?? '', /^Rules +end$/);
    assert.equal(await preview.getByRole('link', { name: 'home' }).getAttribute('href'), '/agreements/mine');
    assert.equal(await preview.getByRole('link', { name: 'away' }).count(), 0, 'a backslash makes it another site');
    assert.deepEqual(h.pageErrors, []);
  });

  it('shows the newer text when a version is published while the student is reading the old one', async () => {
    const page = await h.newPage();
    await signIn(page, 'sam.student', TEST_PASSWORD);
    await page.getByRole('heading', { level: 1, name: /^Hello, / }).waitFor();
    await page.goto('/agreements/mine');
    const card = page.getByRole('region', { name: /^Your agreement: / });
    await card.getByText('Secondary students, version 2').waitFor();
    await card.getByText(/^To accept again: version 1 was accepted on /).waitFor();
    await publishVersion(
      h.ctx.db,
      { schoolId, audience: 'secondary', title: 'Our computer rules, version three', bodyMd: 'Be **kind**.', changeNote: 'Shorter' },
      { actor: null, ip: null },
      h.ctx.clock(),
    );
    await card.getByRole('button', { name: 'Accept', exact: true }).click();
    await page
      .getByRole('status')
      .getByText(/newer version/i)
      .waitFor();
    const fresh = page.getByRole('region', { name: 'Your agreement: Our computer rules, version three' });
    await fresh.getByText('Secondary students, version 3').waitFor();
    const stored = await h.ctx.db
      .selectFrom('agreement_acceptances')
      .select('version')
      .where('person_id', '=', ids.sam!)
      .orderBy('version')
      .execute();
    assert.deepEqual(
      stored.map((r) => Number(r.version)),
      [1],
      'nothing is recorded against the version that was replaced',
    );
    await fresh.getByRole('button', { name: 'Accept', exact: true }).click();
    await fresh.getByText(/^Accepted on .* \(version 3\)\.$/).waitFor();
    assert.deepEqual(h.pageErrors, []);
  });

  it('filters coverage by group, sends reminders to it and exports its list', async () => {
    const year9 = await h.ctx.db
      .selectFrom('groups')
      .select(['id', 'name'])
      .where('school_id', '=', schoolId)
      .where('kind', '=', 'year_group')
      .where('year_group', '=', 9)
      .executeTakeFirstOrThrow();
    const inYear9 = await h.ctx.db
      .selectFrom('people')
      .select((e) => e.fn.countAll<number>().as('n'))
      .where('school_id', '=', schoolId)
      .where('kind', '=', 'student')
      .where('status', '=', 'active')
      .where('year_group', '=', 9)
      .executeTakeFirstOrThrow();

    const page = await h.newPage();
    await signIn(page, 'demo.head', PASSWORD);
    await page.getByRole('heading', { level: 1, name: /^Hello, / }).waitFor();
    await page.goto('/agreements/coverage');
    await page.getByRole('heading', { level: 1, name: 'Who has accepted' }).waitFor();
    await page.getByRole('heading', { level: 2, name: /^School year 2026-27$/ }).waitFor();
    const outstanding = page.getByRole('region', { name: 'People who have not yet accepted' });
    await outstanding.getByRole('rowheader', { name: 'Ola Other' }).waitFor();

    await page.getByLabel('Group', { exact: true }).selectOption({ value: year9.id });
    await page.waitForURL(/groupId=/);
    await outstanding.getByRole('rowheader', { name: 'Ola Other' }).waitFor({ state: 'detached' });
    const byGroup = page.getByRole('region', { name: 'Acceptance by group' });
    await byGroup.getByRole('button', { name: year9.name, exact: true }).waitFor();
    assert.equal(await byGroup.getByRole('button', { name: 'Year 7', exact: true }).count(), 0);
    const people = page.locator('.coverage-totals div').filter({ hasText: 'People' }).locator('dd');
    assert.equal(Number(await people.textContent()), Number(inYear9.n), 'the totals count only Year 9');
    // Version 3 of the secondary agreement is new: in Year 9 only Sam has accepted it.
    assert.equal(await outstanding.getByRole('rowheader', { name: 'Sam Student' }).count(), 0);
    const rows = await outstanding.getByRole('row').count();
    assert.equal(rows - 1, Number(inYear9.n) - 1);

    await page.getByRole('button', { name: 'Send reminders' }).click();
    // The test server has no mail server: every reminder is in-app only and counted as without e-mail.
    await page
      .getByText(`Reminders sent: 0. Without an e-mail address: ${rows - 1}`)
      .first()
      .waitFor();

    const href = await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
    assert.ok(href?.includes(`groupId=${year9.id}`));
    const csv = await (await page.request.get(href!)).text();
    const lines = csv.trim().split(/\r\n/);
    assert.equal(lines[0], 'Name,Audience,Group,Last accepted version,School year');
    assert.equal(lines.length, rows, 'one line per outstanding person, after the header');
    assert.doesNotMatch(csv, /Sam Student/);
    assert.doesNotMatch(csv, /Ola Other/);

    // A group that is not there is said plainly, not shown as an empty school.
    await page.goto('/agreements/coverage?groupId=no-such-group');
    await page.getByRole('alert').waitFor();
    assert.equal(await page.getByRole('heading', { level: 2, name: /^School year/ }).count(), 0);

    // The yearly renewal date: only days that come every year are offered.
    await page.goto('/agreements/documents');
    const renewal = page.getByRole('form', { name: 'Renewal date' });
    await page.getByText('Everyone accepts their agreement again each year from 1 September.').waitFor();
    await renewal.getByLabel('Month').selectOption({ label: 'February' });
    assert.equal(await renewal.getByLabel('Day').locator('option').count(), 28);
    await renewal.getByLabel('Month').selectOption({ label: 'August' });
    await renewal.getByLabel('Day').selectOption('15');
    await renewal.getByRole('button', { name: 'Save renewal date' }).click();
    await page.getByText('Everyone accepts their agreement again each year from 15 August.').waitFor();
    const settings = await (await page.request.get('/api/agreements/settings')).json();
    assert.equal(settings.renewOn, '08-15');
    assert.deepEqual(h.pageErrors, []);
  });
});

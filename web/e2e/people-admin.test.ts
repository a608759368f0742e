import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { ensureDerivedGroups } from '../../src/directory/service.js';
import { createPerson } from '../../src/directory/setup.js';
import { addUser, TEST_PASSWORD } from '../../src/testing/fixtures.js';
import { ApiClient } from '../../src/testing/http.js';
import { signIn, signInWithTotp, startHarness, type Harness } from './harness.js';

describe('adding people and groups by hand (browser)', () => {
  let h: Harness;
  let page: Page;
  const secrets = new Map<string, string>();

  before(async () => {
    h = await startHarness();
    const { ctx, schoolId } = h;
    const now = ctx.clock();
    await addUser(ctx, schoolId, 'nina.network', ['staff', 'network_manager']);
    await addUser(ctx, schoolId, 'sam.teacher', ['staff']);
    await createPerson(
      ctx.db,
      { schoolId, kind: 'staff', givenName: 'Rosa', familyName: 'Newcomer', misId: 'S900', roles: ['staff'] },
      now,
    );
    await createPerson(
      ctx.db,
      { schoolId, kind: 'guest', givenName: 'Olga', familyName: 'Oldvisit', expiresAt: '2026-09-01T00:00:00.000Z', roles: ['guest'] },
      now,
    );
    await ensureDerivedGroups(ctx.db, schoolId, [7], now);
    page = await h.newPage();
    // The browser keeps the server's date, so "in the future" and "expired" mean the same to both.
    await page.clock.setFixedTime(h.ctx.clock());
    page.on('dialog', (dialog) => void dialog.accept());
    await signInWithTotp(h, page, 'nina.network', secrets);
  });
  after(async () => {
    await h?.close();
  });

  const nav = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();

  it('adds a guest with an end date, shows when access ends, and creates their account', async () => {
    await nav('People');
    await page.getByRole('link', { name: 'Add person' }).click();
    await page.getByRole('heading', { level: 1, name: 'Add a person' }).waitFor();
    assert.equal(await page.getByLabel('Access ends on').count(), 0, 'staff need no end date');
    await page.getByRole('radio', { name: 'Guest' }).check();
    await page.getByLabel('Given name').fill('Gwen');
    await page.getByLabel('Family name').fill('Visitor');
    await page.getByLabel('Email (optional)').fill('gwen.visitor@example.org');
    assert.equal(
      await page.getByRole('checkbox', { name: 'Guest / community user' }).isChecked(),
      true,
      'a guest starts with the guest role',
    );
    assert.equal(
      await page.getByRole('checkbox', { name: 'Designated safeguarding lead' }).count(),
      0,
      'staff roles are not offered for a guest',
    );
    assert.equal(await page.getByLabel('Access ends on').getAttribute('required'), '');
    await page.getByLabel('Access ends on').fill('2026-12-24');
    await page.getByRole('button', { name: 'Add person' }).click();

    await page.getByRole('heading', { level: 1, name: 'Gwen Visitor' }).waitFor();
    await page.getByText('Access ends 24 December 2026').waitFor();
    assert.equal(await page.getByText('Expired', { exact: true }).count(), 0);
    await page.getByRole('region', { name: 'Roles', exact: true }).getByText('Guest / community user').waitFor();

    const create = page.getByRole('region', { name: 'Create sign-in account' });
    assert.equal(await create.getByLabel('Username', { exact: true }).inputValue(), 'gwen.visitor');
    await create.getByRole('button', { name: 'Create account' }).click();
    const shown = page.getByRole('region', { name: 'Account created: gwen.visitor' });
    await shown.waitFor();
    const password = (await shown.locator('.secret-value').textContent()) ?? '';
    assert.equal((await new ApiClient(h.url).signIn('gwen.visitor', password)).status, 200, 'the guest can sign in');
    await page.getByRole('button', { name: 'I have noted it' }).click();
    await page
      .getByRole('region', { name: 'Sign-in account' })
      .getByRole('definition')
      .filter({ hasText: /^gwen\.visitor$/ })
      .waitFor();
    assert.equal(await page.getByRole('region', { name: 'Create sign-in account' }).count(), 0);
  });

  it('edits details, moving the end date', async () => {
    await page.getByRole('button', { name: 'Edit details' }).click();
    const form = page.getByRole('form', { name: 'Edit details of Gwen Visitor' });
    assert.equal(await form.getByLabel('Access ends on').inputValue(), '2026-12-24');
    await form.getByLabel('Preferred name (optional)').fill('Gwennie');
    await form.getByLabel('Access ends on').fill('2027-01-08');
    await form.getByRole('button', { name: 'Save details' }).click();
    await page.getByRole('status').filter({ hasText: 'Details saved for' }).waitFor();
    await page.getByText('Access ends 8 January 2027').waitFor();
    await page
      .getByRole('definition')
      .filter({ hasText: /^Gwennie$/ })
      .waitFor();
  });

  it('marks a guest whose access has ended', async () => {
    await nav('People');
    await page.getByLabel('Search by name or MIS id').fill('Oldvisit');
    const row = page.getByRole('region', { name: 'People' }).getByRole('row').filter({ hasText: 'Olga Oldvisit' });
    await row.getByText('Expired', { exact: true }).waitFor();
    await page.getByRole('link', { name: 'Olga Oldvisit' }).click();
    await page.getByRole('heading', { level: 1, name: 'Olga Oldvisit' }).waitFor();
    await page.getByText('Access ended 1 September 2026').waitFor();
    await page.getByText('Expired', { exact: true }).waitFor();
  });

  it('creates a custom group, adds two members, removes one and archives it', async () => {
    await nav('Groups');
    await page.getByRole('link', { name: 'New group' }).click();
    await page.getByRole('heading', { level: 1, name: 'New group' }).waitFor();
    assert.equal(await page.getByRole('radio', { name: 'Other group' }).isChecked(), true);
    await page.getByLabel('Name', { exact: true }).fill('Chess Club');
    await page.getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('heading', { level: 1, name: 'Chess Club' }).waitFor();
    await page
      .getByRole('definition')
      .filter({ hasText: /^CHESS-CLUB$/ })
      .waitFor();
    await page.getByText('0 members.', { exact: true }).waitFor();

    const members = page.getByRole('region', { name: 'Members' });
    await page.getByLabel('Find people to add').fill('Newcomer');
    await page.getByLabel('Add as').selectOption({ label: 'Lead' });
    await page.getByRole('button', { name: 'Add Rosa Newcomer' }).click();
    await page.getByRole('status').filter({ hasText: 'Rosa Newcomer added to Chess Club as lead.' }).waitFor();
    const rosa = members.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Rosa Newcomer' }) });
    assert.equal((await rosa.getByRole('cell').nth(1).textContent())?.trim(), 'Lead');

    await page.getByLabel('Find people to add').fill('Teacher');
    await page.getByLabel('Add as').selectOption({ label: 'Member' });
    await page.getByRole('button', { name: 'Add Sam Teacher' }).click();
    await page.getByText('2 members.', { exact: true }).waitFor();
    assert.equal(await members.getByRole('row').count(), 3);

    await page.getByRole('button', { name: 'Remove Sam Teacher' }).click();
    await page.getByText('1 member.', { exact: true }).waitFor();
    assert.equal(await members.getByRole('rowheader', { name: 'Sam Teacher' }).count(), 0);

    await page.getByRole('button', { name: 'Archive group' }).click();
    await page.getByRole('heading', { level: 1, name: 'Groups' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Group archived: Chess Club.' }).waitFor();
    await page.getByRole('link', { name: 'Year 7' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Chess Club' }).count(), 0);
  });

  it('explains that a year group follows students’ year groups, and offers no changes', async () => {
    await page.getByRole('link', { name: 'Year 7' }).click();
    await page.getByRole('heading', { level: 1, name: 'Year 7' }).waitFor();
    await page.getByText(/are the students in its year groups/).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Archive group' }).count(), 0);
    assert.equal(await page.getByLabel('Find people to add').count(), 0);
    assert.deepEqual(h.pageErrors, []);
  });

  it('refuses a teacher: no Add person control, and the API answers 403', async () => {
    const teacher = await h.newPage();
    await signIn(teacher, 'sam.teacher');
    await teacher.getByRole('heading', { level: 1, name: 'Hello, Sam Teacher' }).waitFor();
    await teacher.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'People' }).click();
    await teacher.getByRole('status').filter({ hasText: 'found' }).waitFor();
    assert.equal(await teacher.getByRole('link', { name: 'Add person' }).count(), 0);
    await teacher.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Groups' }).click();
    await teacher.getByRole('heading', { level: 1, name: 'Groups' }).waitFor();
    assert.equal(await teacher.getByRole('link', { name: 'New group' }).count(), 0);
    await teacher.goto('/people/new');
    await teacher.getByRole('heading', { name: 'You do not have permission to add people.' }).waitFor();

    const client = new ApiClient(h.url);
    assert.equal((await client.signIn('sam.teacher', TEST_PASSWORD)).status, 200);
    const refused = await client.post('/api/directory/people', {
      kind: 'guest',
      givenName: 'Sneaky',
      familyName: 'Guest',
      expiresAt: '2026-12-24T00:00:00.000Z',
    });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error, 'forbidden');
    assert.deepEqual(h.pageErrors, []);
  });
});

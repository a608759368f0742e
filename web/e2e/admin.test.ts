import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { recordAudit } from '../../src/audit/service.js';
import { createPerson } from '../../src/directory/setup.js';
import { addUser } from '../../src/testing/fixtures.js';
import { ApiClient } from '../../src/testing/http.js';
import { signInWithTotp, startHarness, type Harness } from './harness.js';

describe('administration pages (browser)', () => {
  let h: Harness;
  let page: Page;
  const secrets = new Map<string, string>();

  before(async () => {
    h = await startHarness();
    await addUser(h.ctx, h.schoolId, 'nina.network', ['staff', 'network_manager']);
    await addUser(h.ctx, h.schoolId, 'sam.teacher', ['staff']);
    await createPerson(
      h.ctx.db,
      { schoolId: h.schoolId, kind: 'staff', givenName: 'Rosa', familyName: 'Newcomer', misId: 'S900', roles: ['staff'] },
      h.ctx.clock(),
    );
    // Enough entries for more than one page of the audit log.
    for (let i = 0; i < 60; i++)
      await recordAudit(h.ctx.db, { action: 'test.filler', schoolId: h.schoolId, details: { i }, at: h.ctx.clock() });
    page = await h.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    await signInWithTotp(h, page, 'nina.network', secrets);
  });
  after(async () => {
    await h?.close();
  });

  const openUsers = async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
    await page.getByRole('region', { name: 'Accounts' }).waitFor();
  };
  const accountRow = (username: string) =>
    page
      .getByRole('region', { name: 'Accounts' })
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: username, exact: true }) });

  it('resets a password and shows the new one once', async () => {
    await openUsers();
    await page.getByRole('button', { name: 'Reset password for sam.teacher' }).click();
    const shown = page.getByRole('region', { name: 'New password for Sam Teacher' });
    await shown.waitFor();
    const password = (await shown.locator('.secret-value').textContent()) ?? '';
    assert.ok(password.length >= 12, 'a generated password is shown');
    const client = new ApiClient(h.url);
    assert.equal((await client.signIn('sam.teacher', password)).status, 200);
    await page.getByRole('button', { name: 'I have noted it' }).click();
    assert.equal(await shown.count(), 0, 'the password is gone once dismissed');
  });

  it('disables and enables an account, with status badges', async () => {
    await openUsers();
    await page.getByRole('button', { name: 'Disable for sam.teacher' }).click();
    await accountRow('sam.teacher').getByText('Disabled', { exact: true }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Account disabled: sam.teacher.' }).waitFor();
    await page.getByRole('button', { name: 'Enable for sam.teacher' }).click();
    await accountRow('sam.teacher').getByText('Active', { exact: true }).waitFor();
  });

  it('creates an account for a person found by search', async () => {
    await openUsers();
    await page.getByLabel('Find the person').fill('Newcomer');
    await page.getByRole('button', { name: 'Choose Rosa Newcomer' }).click();
    assert.equal(await page.getByLabel('Username', { exact: true }).inputValue(), 'rosa.newcomer');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('region', { name: 'Account created: rosa.newcomer' }).waitFor();
    await accountRow('rosa.newcomer').waitFor();
  });

  it("changes a person's roles from their page", async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'People' }).click();
    await page.getByLabel('Search by name or MIS id').fill('Teacher');
    await page.getByRole('link', { name: 'Sam Teacher' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sam Teacher' }).waitFor();
    await page.getByRole('checkbox', { name: 'Guest / community user' }).check();
    await page.getByRole('button', { name: 'Save roles' }).click();
    await page.getByRole('status').filter({ hasText: 'Roles saved for Sam Teacher.' }).waitFor();
    await page.getByRole('region', { name: 'Roles', exact: true }).getByText('Guest / community user').waitFor();
  });

  it('pages through the audit log, filters it and verifies the chain', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
    const table = page.getByRole('region', { name: 'Audit entries' });
    await table.waitFor();
    const firstSeq = async () => Number(await table.getByRole('rowheader').first().textContent());
    const newest = await firstSeq();
    await page.getByRole('button', { name: 'Older entries' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Entries ${newest - 50} to ` })
      .waitFor();
    assert.equal(await firstSeq(), newest - 50);
    await page.getByRole('button', { name: 'Newer entries' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Entries ${newest} to ` })
      .waitFor();

    await page.getByLabel('Action starts with').fill('user.');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('status').filter({ hasText: 'for actions starting “user.”' }).waitFor();
    const actions = await table.locator('tbody td code').allTextContents();
    assert.ok(actions.length >= 3, 'reset, disable, enable and create are logged');
    assert.ok(
      actions.every((a) => a.startsWith('user.')),
      actions.join(', '),
    );

    await page.getByRole('button', { name: 'Verify chain' }).click();
    await page.getByText(/The chain is intact: all \d+ entries check out\./).waitFor();
    assert.deepEqual(h.pageErrors, []);
  });
});

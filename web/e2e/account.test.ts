import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { addUser, TEST_PASSWORD } from '../../src/testing/fixtures.js';
import { ApiClient } from '../../src/testing/http.js';
import { signIn, startHarness, type Harness } from './harness.js';

const NEW_PASSWORD = 'copper-heron-saddle-72';

describe('my account (browser)', () => {
  let h: Harness;

  before(async () => {
    h = await startHarness();
    await addUser(h.ctx, h.schoolId, 'sam.teacher', ['staff']);
  });
  after(async () => {
    await h?.close();
  });

  const openAccount = async (page: Page) => {
    await page.getByRole('banner').getByRole('link', { name: 'My account' }).click();
    await page.getByRole('heading', { level: 1, name: 'My account' }).waitFor();
  };

  const fillChange = async (page: Page, current: string, next: string, confirm = next) => {
    await page.getByLabel('Current password').fill(current);
    await page.getByLabel('New password', { exact: true }).fill(next);
    await page.getByLabel('Confirm new password').fill(confirm);
    await page.getByRole('button', { name: 'Change password' }).click();
  };

  it('shows who is signed in and refuses a wrong current password', async () => {
    const page = await h.newPage();
    await signIn(page, 'sam.teacher');
    await page.getByRole('heading', { level: 1, name: 'Hello, Sam Teacher' }).waitFor();
    await openAccount(page);
    await page
      .getByRole('definition')
      .filter({ hasText: /^sam\.teacher$/ })
      .waitFor();
    await page.getByRole('definition').filter({ hasText: 'Teaching and support staff' }).waitFor();
    await page.getByRole('definition').filter({ hasText: /^Off/ }).waitFor();

    await fillChange(page, TEST_PASSWORD, NEW_PASSWORD, 'copper-heron-saddle-27');
    await page.getByText('The two passwords are not the same.').waitFor();

    await fillChange(page, 'not-my-password', NEW_PASSWORD);
    await page.getByRole('alert').filter({ hasText: 'Your current password is not right.' }).waitFor();
    assert.equal(await page.getByLabel('Current password').inputValue(), '');
    // Still signed in: a wrong password here is not the end of the session.
    await page.getByRole('heading', { level: 1, name: 'My account' }).waitFor();
  });

  it('changes the password, ends other sessions, and then only the new password signs in', async () => {
    const elsewhere = new ApiClient(h.url);
    assert.equal((await elsewhere.signIn('sam.teacher', TEST_PASSWORD)).status, 200);

    const page = await h.newPage();
    await signIn(page, 'sam.teacher');
    await page.getByRole('heading', { level: 1, name: 'Hello, Sam Teacher' }).waitFor();
    await openAccount(page);
    await fillChange(page, TEST_PASSWORD, NEW_PASSWORD);
    await page
      .getByRole('status')
      .filter({ hasText: 'Your password has been changed.' })
      .filter({ hasText: 'has been signed out' })
      .waitFor();
    assert.equal((await elsewhere.get('/api/directory/me')).status, 401, 'the other session has ended');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'People' }).click();
    await page.getByRole('heading', { level: 1, name: 'People' }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('status').filter({ hasText: 'You have signed out.' }).waitFor();
    await signIn(page, 'sam.teacher', NEW_PASSWORD);
    // Back to the page signed out from.
    await page.getByRole('heading', { level: 1, name: 'People' }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('status').filter({ hasText: 'You have signed out.' }).waitFor();
    await signIn(page, 'sam.teacher', TEST_PASSWORD);
    await page.getByRole('alert').filter({ hasText: 'The username or password is not right.' }).waitFor();
    assert.deepEqual(h.pageErrors, []);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { issueSetupToken } from '../../src/setup/service.js';
import { signIn, startHarness, type Harness } from './harness.js';

const ADMIN_PASSWORD = 'lantern-meadow-otter-41';

describe('first-run setup (browser)', () => {
  let h: Harness;
  let token = '';

  before(async () => {
    h = await startHarness({ seed: false });
    token = await issueSetupToken(h.ctx.db);
  });
  after(async () => {
    await h?.close();
  });

  it('refuses a wrong token, then makes the school and its administrator, who signs in and enrols two-step', async () => {
    // On a phone: whoever installs Tutela may well be holding one.
    const page = await h.newPage({ viewport: { width: 375, height: 667 } });
    await page.goto('/people');
    await page.getByRole('heading', { level: 1, name: 'Set up Tutela' }).waitFor();
    await page.getByText(/setup token in the server’s console/).waitFor();
    assert.equal(await page.getByRole('heading', { name: 'Sign in' }).count(), 0);

    await page.getByLabel('Setup token').fill('not-the-token');
    await page.getByLabel('Trust name').fill('Riverbend Learning Trust');
    await page.getByLabel('School name').fill('Riverbend Academy');
    await page.getByLabel('DfE URN (optional)').fill('1234567');
    await page.getByLabel('Phase').selectOption({ label: 'All-through' });
    await page.getByLabel('Given name').fill('Ada');
    await page.getByLabel('Family name').fill('Admin');
    await page.getByLabel('Email (optional)').fill('ada.admin@riverbend.example');
    await page.getByLabel('Username').fill('ada.admin');
    await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
    await page.getByLabel('Confirm password').fill('lantern-meadow-otter-14');
    await page.getByRole('button', { name: 'Set up Tutela' }).click();
    // The two passwords differ: caught in the page, before anything is sent.
    await page.getByText('The two passwords are not the same.').waitFor();
    assert.equal(
      await page.getByLabel('Confirm password').evaluate((el) => el === el.ownerDocument.activeElement),
      true,
      'focus moves to the field at fault',
    );
    assert.equal(await page.getByLabel('Confirm password').getAttribute('aria-invalid'), 'true');

    await page.getByLabel('Confirm password').fill(ADMIN_PASSWORD);
    const refused = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/setup' && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Set up Tutela' }).click();
    assert.equal((await refused).status(), 403);
    await page.getByRole('alert').filter({ hasText: 'That setup token is not right.' }).waitFor();
    assert.equal(await h.ctx.db.selectFrom('schools').select('id').executeTakeFirst(), undefined, 'nothing was made');

    await page.getByLabel('Setup token').fill(token);
    await page.getByRole('button', { name: 'Set up Tutela' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Tutela is set up. Sign in as ada.admin; you will be asked to set up two-step sign-in.' })
      .waitFor();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    assert.equal(await page.getByLabel('Username').inputValue(), 'ada.admin', 'the new username is filled in');

    const school = await h.ctx.db.selectFrom('schools').selectAll().executeTakeFirstOrThrow();
    assert.deepEqual([school.name, school.urn, school.phase], ['Riverbend Academy', '1234567', 'all_through']);

    await signIn(page, 'ada.admin', ADMIN_PASSWORD);
    await page.getByRole('heading', { level: 1, name: 'Set up two-step sign-in' }).waitFor();
    await page.getByLabel('Setup key').waitFor();

    const after = await page.request.get('/api/setup');
    assert.deepEqual(await after.json(), { needed: false });
    const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
    assert.deepEqual(h.pageErrors, []);
  });
});

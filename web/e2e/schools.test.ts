import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { createPerson } from '../../src/directory/setup.js';
import { addUser, seedSchool, TEST_PASSWORD } from '../../src/testing/fixtures.js';
import { ApiClient } from '../../src/testing/http.js';
import { signInWithTotp, startHarness, type Harness } from './harness.js';

describe("a trust administrator's schools (browser)", () => {
  let h: Harness;
  let page: Page;
  let otherTrustSchool = '';
  const secrets = new Map<string, string>();

  before(async () => {
    h = await startHarness();
    const { ctx, schoolId, trustId } = h;
    const now = ctx.clock();
    await addUser(ctx, schoolId, 'tina.trust', ['staff', 'trust_admin']);
    await addUser(ctx, schoolId, 'sam.teacher', ['staff']);
    const second = await seedSchool(ctx, 'Second School', trustId);
    await createPerson(
      ctx.db,
      { schoolId: second.schoolId, kind: 'staff', givenName: 'Zara', familyName: 'Second', roles: ['staff'] },
      now,
    );
    otherTrustSchool = (await seedSchool(ctx, 'Elsewhere Academy')).schoolId;
    page = await h.newPage();
    await signInWithTotp(h, page, 'tina.trust', secrets);
  });
  after(async () => {
    await h?.close();
  });

  const picker = () => page.getByRole('banner').getByLabel('School', { exact: true });
  const nav = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();

  it("switches school in the header and sees that school's people", async () => {
    // The trust's schools load after the page; read the options only once they are there.
    await picker().locator('option', { hasText: 'Second School' }).waitFor({ state: 'attached' });
    assert.deepEqual(await picker().locator('option').allTextContents(), ['Second School', 'Test Academy'], "only the trust's own schools");
    await nav('People');
    await page.getByRole('link', { name: 'Sam Teacher' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Zara Second' }).count(), 0);

    await picker().selectOption({ label: 'Second School' });
    await page.getByRole('link', { name: 'Zara Second' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Sam Teacher' }).count(), 0);
    await page.getByRole('status').filter({ hasText: '1 person found' }).waitFor();

    // The choice outlives a reload of the tab.
    await page.reload();
    await page.getByRole('link', { name: 'Zara Second' }).waitFor();
    assert.equal(
      await picker().inputValue(),
      (await h.ctx.db.selectFrom('schools').select('id').where('name', '=', 'Second School').executeTakeFirstOrThrow()).id,
    );

    await nav('School figures');
    await page
      .getByRole('region', { name: 'People by kind' })
      .getByRole('row')
      .filter({ hasText: 'Staff' })
      .getByText('1', { exact: true })
      .waitFor();

    const elsewhere = await page.request.get(`/api/directory/people?schoolId=${otherTrustSchool}`);
    assert.equal(elsewhere.status(), 403, "another trust's school stays closed");
  });

  it('adds a school to the trust and shows it', async () => {
    await nav('Schools');
    await page.getByRole('heading', { level: 1, name: 'Schools' }).waitFor();
    const table = page.getByRole('region', { name: 'Schools of the trust' });
    await table.getByRole('rowheader', { name: 'Second School' }).waitFor();
    await page.getByLabel('School name').fill('Hillside Primary');
    await page.getByLabel('DfE URN (optional)').fill('654321');
    await page.getByLabel('Phase').selectOption({ label: 'Primary' });
    await page.getByRole('button', { name: 'Add school' }).click();
    await page.getByRole('status').filter({ hasText: 'School added: Hillside Primary.' }).waitFor();
    const row = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Hillside Primary' }) });
    await row.getByRole('cell', { name: '654321' }).waitFor();
    await picker().locator('option', { hasText: 'Hillside Primary' }).waitFor({ state: 'attached' });

    await page.getByRole('button', { name: 'Show Hillside Primary' }).click();
    await row.getByText('Showing').waitFor();
    assert.equal(await picker().locator('option:checked').textContent(), 'Hillside Primary');

    const teacher = new ApiClient(h.url);
    assert.equal((await teacher.signIn('sam.teacher', TEST_PASSWORD)).status, 200);
    const refused = await teacher.post('/api/directory/schools', { name: 'Rogue School', phase: 'primary' });
    assert.equal(refused.status, 403);
    assert.deepEqual(h.pageErrors, []);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addUser } from '../../src/testing/fixtures.js';
import { type Harness, signInWithTotp, startHarness } from './harness.js';

/* The e-safety policy in the browser: the head records the governors' approval on a phone. */
describe('the e-safety policy (browser)', () => {
  let h: Harness;
  const secrets = new Map<string, string>();

  before(async () => {
    h = await startHarness();
    await addUser(h.ctx, h.schoolId, 'hal.head', ['staff', 'head']);
  });
  after(async () => {
    await h?.close();
  });

  it("lets the head record governors' approval of the draft and shows the next review date", async () => {
    const page = await h.newPage({ viewport: { width: 375, height: 667 } });
    await signInWithTotp(h, page, 'hal.head', secrets);
    await page.goto('/governance/policy');
    await page.getByRole('heading', { level: 1, name: 'E-safety policy' }).waitFor();
    await page.getByText('Governors have not approved a version yet.').waitFor();
    await page.getByRole('region', { name: /^User Actions: / }).waitFor();

    const form = page.getByRole('form', { name: "Record governors' approval" });
    await form.getByLabel('Date governors approved it').fill('2026-11-20');
    await form.getByLabel('Approved by').fill('Well-being sub-committee');
    await form.getByLabel('Minute reference').fill('WB 2026/7');
    const submit = form.getByRole('button', { name: 'Record approval' });
    const box = await submit.boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 375, 'the button is on a phone screen');
    await submit.click();

    await page.getByTestId('next-review').getByText('20 November 2027').waitFor();
    await page.getByText('Well-being sub-committee', { exact: true }).waitFor();
    await page.getByText('WB 2026/7', { exact: true }).waitFor();
    const stored = await h.ctx.db.selectFrom('policy_versions').select(['status', 'next_review_on', 'minute_ref']).execute();
    assert.deepEqual(stored, [{ status: 'approved', next_review_on: '2027-11-20', minute_ref: 'WB 2026/7' }]);

    const href = await page.getByRole('link', { name: 'Download PDF' }).getAttribute('href');
    assert.ok(href, 'the PDF link has an address');
    const pdf = await page.request.get(href);
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-');
    assert.deepEqual(h.pageErrors, []);
  });

  it('lets the head change a row of the communication technologies table', async () => {
    const page = await h.newPage({ viewport: { width: 375, height: 667 } });
    await signInWithTotp(h, page, 'hal.head', secrets);
    await page.goto('/governance/policy');
    await page.getByRole('button', { name: 'Edit this table' }).click();
    const form = page.getByRole('form', { name: 'Edit the communication technologies table' });
    await form.getByLabel('Students').first().selectOption('NA');
    await form.getByRole('button', { name: 'Save table' }).click();
    const table = page.getByRole('region', { name: 'Communication technologies' });
    await table.getByRole('row', { name: /^Mobile phones may be brought to school A NA$/ }).waitFor();
    const stored = await h.ctx.db.selectFrom('policy_settings').select('settings').executeTakeFirstOrThrow();
    assert.deepEqual(JSON.parse(stored.settings).communications[0], {
      label: 'Mobile phones may be brought to school',
      staff: 'A',
      students: 'NA',
    });
    assert.deepEqual(h.pageErrors, []);
  });
});

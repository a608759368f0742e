import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { seedTrainingSchool } from '../../src/training/test-support.js';
import { signIn, signInWithTotp, startHarness, type Harness } from './harness.js';

const HEADER = 'person,kind,title,provider,completed,expires,evidence';

describe('training records (browser)', () => {
  let h: Harness;
  const secrets = new Map<string, string>();

  before(async () => {
    h = await startHarness();
    await seedTrainingSchool(h.ctx, { schoolId: h.schoolId, trustId: h.trustId });
  });
  after(async () => {
    await h?.close();
  });

  const total = (page: Page, name: string) => page.locator(`dd[data-total="${name}"]`);
  const personRow = (page: Page, name: string) =>
    page
      .getByRole('table', { name: 'People' })
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name, exact: true }) });

  it('lets the head import a CSV, see the bad row, fix it, and watch the overdue list update', async () => {
    const page = await h.newPage();
    await signInWithTotp(h, page, 'hana.head', secrets);
    await page.goto('/agreements/training');
    await page.getByRole('heading', { level: 2, name: 'Who is overdue' }).waitFor();
    assert.equal(await total(page, 'overdue').textContent(), '4');
    assert.equal(await total(page, 'upToDate').textContent(), '2');
    assert.deepEqual(await personRow(page, 'Nell Noteam').getByRole('cell').allTextContents(), [
      'No team',
      'Overdue',
      'Induction, Annual refresher',
      '—',
    ]);

    const csv = page.getByLabel('Or paste the CSV');
    await csv.fill(
      [
        HEADER,
        'nell.noteam,Induction,Online safety induction,School,02/09/2026,,',
        'nell.noteam,Annual refresher,Online safety refresher,National College,31/09/2026,,cert-9',
      ].join('\n'),
    );
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const rowErrors = page.getByRole('list', { name: 'Row errors' });
    await rowErrors.waitFor();
    assert.match((await rowErrors.textContent()) ?? '', /Line 3: completion date "2026-09-31" is not a real date/);
    assert.match(await page.getByRole('alert').filter({ hasText: 'nothing was imported' }).innerText(), /1 row has a problem/);
    assert.equal(await total(page, 'overdue').textContent(), '4', 'nothing was written');

    await csv.fill((await csv.inputValue()).replace('31/09/2026', '30/09/2026'));
    await page.getByRole('button', { name: 'Check (dry run)' }).click();
    await page.getByText('Dry run: 2 rows read, 2 would be added, 0 already on record.').waitFor();
    assert.equal(await rowErrors.count(), 0);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByText('2 rows read, 2 added, 0 already on record.').waitFor();
    await total(page, 'overdue').filter({ hasText: /^3$/ }).waitFor();
    assert.equal(await total(page, 'upToDate').textContent(), '3');
    assert.deepEqual(await personRow(page, 'Nell Noteam').getByRole('cell').allTextContents(), ['No team', 'Up to date', '—', '—']);

    // Her records, as imported, open from the list.
    await personRow(page, 'Nell Noteam').getByRole('button', { name: 'Nell Noteam' }).click();
    const records = page.getByRole('region', { name: 'Training records' });
    await records.getByRole('rowheader', { name: 'Online safety refresher' }).waitFor();
    assert.match(await records.innerText(), /30 Sept 2026|30 Sep 2026/);
    assert.deepEqual(h.pageErrors, []);
  });

  it('shows a teacher only their own records and status', async () => {
    const page = await h.newPage({ viewport: { width: 375, height: 667 } });
    await signIn(page, 'dora.duesoon');
    await page.locator('nav[aria-label="Main"]').waitFor({ state: 'attached' });
    await page.goto('/agreements/training');
    await page.getByRole('heading', { level: 1, name: 'Your training' }).waitFor();
    const status = page.getByRole('list', { name: 'Required training' });
    await status.waitFor();
    assert.match(await status.innerText(), /Annual refresher\s*Due soon\s*expires 10 Dec 2026/);
    const text = await page.locator('main').innerText();
    assert.doesNotMatch(text, /Who is overdue|Nell Noteam|Mo Missing|Import from a spreadsheet/);
    assert.equal(await page.getByRole('button', { name: /^Edit/ }).count(), 0);
    const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than a 375px phone`);
    assert.deepEqual(h.pageErrors, []);
  });

  it('shows a governor who is overdue, with nothing to change', async () => {
    const page = await h.newPage();
    await signIn(page, 'gil.governor');
    await page.locator('nav[aria-label="Main"]').waitFor({ state: 'attached' });
    await page.goto('/agreements/training');
    await page.getByRole('heading', { level: 2, name: 'Who is overdue' }).waitFor();
    await page.getByRole('table', { name: 'By team' }).getByRole('rowheader', { name: 'Governors' }).waitFor();
    await page.getByLabel('Team', { exact: true }).selectOption({ label: 'Governors' });
    await total(page, 'people').filter({ hasText: /^1$/ }).waitFor();
    assert.deepEqual(await personRow(page, 'Gil Governor').getByRole('cell').allTextContents(), [
      'Governors',
      'Overdue',
      'Annual refresher',
      '—',
    ]);
    for (const name of ['Send reminders', 'Import', 'Save record']) {
      assert.equal(await page.getByRole('button', { name, exact: true }).count(), 0, name);
    }
    assert.deepEqual(h.pageErrors, []);
  });
});

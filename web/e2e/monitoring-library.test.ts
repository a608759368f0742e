import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { currentLibrary } from '../../src/monitor/library/current.js';
import { addUser } from '../../src/testing/fixtures.js';
import { type Harness, signInWithTotp, startHarness } from './harness.js';

const BAD_CSV = ['term,category,severity,language', 'mirror hatred,self_harm,high,en', 'bet the rent,gaming,medium,en'].join('\n');
const GOOD_CSV = ['term,category,severity,language', 'mirror hatred,self_harm,high,en', 'bet the rent,gambling,medium,en'].join('\n');

describe('keyword library (browser)', () => {
  let h: Harness;
  const secrets = new Map<string, string>();

  before(async () => {
    h = await startHarness();
    h.ctx.clock.set(new Date());
    await addUser(h.ctx, h.schoolId, 'dee.dsl', ['staff', 'dsl']);
    await addUser(h.ctx, h.schoolId, 'nat.netman', ['staff', 'network_manager']);
  });
  after(async () => {
    await h?.close();
  });

  const openLibrary = async (page: Page) => {
    await page.goto('/monitoring/library');
    await page.getByRole('heading', { level: 1, name: 'Keyword library' }).waitFor();
    await page.getByRole('region', { name: 'Library entries' }).waitFor();
  };
  const historyRow = (page: Page, version: string) =>
    page
      .getByRole('region', { name: 'Versions' })
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: version, exact: true }) });

  it('lets the DSL add an entry, see the new version, and import a CSV after fixing a bad row', async () => {
    const page = await h.newPage();
    await signInWithTotp(h, page, 'dee.dsl', secrets);
    await openLibrary(page);
    await historyRow(page, '0 (in force)').waitFor();

    await page.getByRole('button', { name: 'Add an entry' }).click();
    const form = page.getByRole('form', { name: 'Add an entry' });
    await form.getByLabel('Word or phrase').fill('hate my reflection');
    await form.getByLabel('Category').selectOption({ label: 'Self-harm' });
    await form.getByLabel('Severity').selectOption({ label: 'High' });
    await form.getByLabel('Exceptions (optional)').fill('hate my reflection in photos');
    await form.getByRole('button', { name: 'Add the entry' }).click();

    const added = historyRow(page, '1 (in force)');
    await added.waitFor();
    assert.match((await added.textContent()) ?? '', /Added 'hate my reflection' \(self_harm, high\)/);
    assert.match((await added.textContent()) ?? '', /by dee\.dsl/);
    await page.getByLabel('Search terms').fill('hate my reflection');
    const row = page
      .getByRole('region', { name: 'Library entries' })
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'hate my reflection' }) });
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /whole word; 1 exception/);
    assert.match((await row.textContent()) ?? '', /No alerts yet/);

    // A file with a bad row: the row is named and nothing is stored.
    const importForm = page.getByRole('form', { name: 'Import a CSV file' });
    await importForm.getByLabel('CSV file').setInputFiles({ name: 'keywords.csv', mimeType: 'text/csv', buffer: Buffer.from(BAD_CSV) });
    await importForm.getByRole('button', { name: 'Check the file' }).click();
    const problems = page.getByRole('list', { name: 'Problems in the file' });
    await problems.waitFor();
    assert.deepEqual(
      (await problems.getByRole('listitem').allTextContents()).map((t) => t.trim()),
      [
        'Row 3: unknown category "gaming"; use one of illegal, bullying, child_exploitation, discrimination, drugs, extremism, gambling, pornography, self_harm, suicide, violence.',
      ],
    );
    assert.equal((await currentLibrary(h.ctx.db, h.schoolId)).version, 1);

    // Fixed: the dry run says what would change, and confirming stores a version.
    await importForm.getByLabel('CSV file').setInputFiles({ name: 'keywords.csv', mimeType: 'text/csv', buffer: Buffer.from(GOOD_CSV) });
    await importForm.getByRole('button', { name: 'Check the file' }).click();
    const preview = page.getByRole('status', { name: 'What the import would do' });
    await preview.getByText('keywords.csv: 2 to add, 0 to change, 0 to remove.').waitFor();
    assert.equal((await currentLibrary(h.ctx.db, h.schoolId)).version, 1, 'a dry run stores nothing');
    await preview.getByRole('button', { name: 'Confirm the import' }).click();
    const imported = historyRow(page, '2 (in force)');
    await imported.waitFor();
    assert.match((await imported.textContent()) ?? '', /Imported 2 entries from keywords\.csv, merged: 2 added, 0 changed, 0 removed/);
    const library = await currentLibrary(h.ctx.db, h.schoolId);
    assert.ok(library.entries.some((e) => e.term === 'bet the rent' && e.category === 'gambling'));

    // Restoring version 1 drops the import again, as a new version.
    await historyRow(page, '1').getByRole('button', { name: 'Restore version 1' }).click();
    await historyRow(page, '1').getByRole('button', { name: 'Confirm restoring version 1' }).click();
    await historyRow(page, '3 (in force)').waitFor();
    assert.ok(!(await currentLibrary(h.ctx.db, h.schoolId)).entries.some((e) => e.term === 'bet the rent'));
    assert.deepEqual(h.pageErrors, []);
  });

  it('shows the network manager the library read-only', async () => {
    const page = await h.newPage();
    await signInWithTotp(h, page, 'nat.netman', secrets);
    await openLibrary(page);
    await historyRow(page, '3 (in force)').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Add an entry' }).count(), 0);
    assert.equal(await page.getByRole('form', { name: 'Import a CSV file' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: /^Edit / }).count(), 0);
    assert.equal(await page.getByRole('button', { name: /^Restore version/ }).count(), 0);
    assert.equal(await page.getByRole('link', { name: 'Export as CSV' }).getAttribute('href'), '/api/monitor/library/export.csv');
    assert.deepEqual(h.pageErrors, []);
  });
});

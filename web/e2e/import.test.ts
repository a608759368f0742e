import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { addUser } from '../../src/testing/fixtures.js';
import { signInWithTotp, startHarness, type Harness } from './harness.js';

// Headings as a MIS export might name them; the test also picks the columns itself, as a
// person would, rather than relying only on the server's guesses.
const HEADER = 'Admission Number,Legal Forename,Legal Surname,Preferred Forename,Year';
const BAD_CSV = [HEADER, 'A0001,Amara,Okafor,,7', 'A0002,Ben,,,banana', 'A0003,Zephyrine,Okonkwo-Smith,Zeph,8'].join('\r\n') + '\r\n';
const CLEAN_CSV = [HEADER, 'A0001,Amara,Okafor,,7', 'A0003,Zephyrine,Okonkwo-Smith,Zeph,8'].join('\r\n') + '\r\n';

const MAPPING_RULES: [RegExp, string][] = [
  [/preferred/i, 'Preferred Forename'],
  [/given|first|fore/i, 'Legal Forename'],
  [/family|surname|last/i, 'Legal Surname'],
  [/mis|upn|admission|adno|\bid\b|identifier/i, 'Admission Number'],
  [/year/i, 'Year'],
];

/** Chooses a column for every field the rules recognise; checks the server's guesses were pre-selected first. */
async function mapColumns(page: Page, suggested: Record<string, string | null>) {
  const selects = page.getByRole('group', { name: 'Columns' }).getByRole('combobox');
  const count = await selects.count();
  assert.equal(count, Object.keys(suggested).length, 'one select per target field');
  for (const [field, header] of Object.entries(suggested)) {
    assert.equal(await page.locator(`#map-${field}`).inputValue(), header ?? '', `the suggestion for ${field} is pre-selected`);
  }
  let mapped = 0;
  for (let i = 0; i < count; i++) {
    const select = selects.nth(i);
    const label = (await page.locator(`label[for="${await select.getAttribute('id')}"]`).textContent()) ?? '';
    const rule = MAPPING_RULES.find(([pattern]) => pattern.test(label));
    if (rule) {
      await select.selectOption(rule[1]);
      mapped++;
    }
  }
  assert.ok(mapped >= 3, `mapped ${mapped} columns`);
}

async function uploadAndMap(page: Page, file: string) {
  await page.getByLabel('CSV file').setInputFiles(file);
  const preview = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/directory/imports/preview');
  await page.getByRole('button', { name: 'Upload and preview' }).click();
  const response = await preview;
  assert.equal(response.status(), 200, `preview answered ${response.status()}: ${await response.text()}`);
  const body = (await response.json()) as { suggestedMapping: Record<string, string | null> };
  await page.getByRole('heading', { name: '3. Match the columns' }).waitFor();
  await mapColumns(page, body.suggestedMapping);
  await page.getByRole('button', { name: 'Check what will change' }).click();
  await page.getByRole('heading', { name: '4. Check what will change' }).waitFor();
}

const count = (page: Page, label: string) =>
  page
    .getByRole('term')
    .filter({ hasText: new RegExp(`^${label}$`) })
    .locator('xpath=following-sibling::dd[1]')
    .textContent();

describe('importing from a MIS export (browser)', () => {
  let h: Harness;
  let dir: string;
  const secrets = new Map<string, string>();

  before(async () => {
    h = await startHarness();
    await addUser(h.ctx, h.schoolId, 'nina.network', ['staff', 'network_manager']);
    dir = mkdtempSync(path.join(tmpdir(), 'tutela-import-'));
    writeFileSync(path.join(dir, 'students-bad.csv'), BAD_CSV);
    writeFileSync(path.join(dir, 'students.csv'), CLEAN_CSV);
  });
  after(async () => {
    await h?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('checks a file with a bad row, then applies a clean one, and the student can be found', async () => {
    const page = await h.newPage();
    await signInWithTotp(h, page, 'nina.network', secrets);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Import' }).click();
    await page.getByRole('heading', { level: 1, name: 'Import from your MIS' }).waitFor();

    await page.getByLabel('Students').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await uploadAndMap(page, path.join(dir, 'students-bad.csv'));

    // Counts, and the bad row with its line in the file (the header is line 1) and the reason.
    await page.getByRole('term').filter({ hasText: 'Rows read' }).waitFor();
    assert.notEqual(await count(page, 'Problems'), '0');
    const problems = page.getByRole('region', { name: 'Problems' });
    const badRow = problems.getByRole('row').filter({ has: page.getByRole('rowheader', { name: '3', exact: true }) });
    assert.ok((await badRow.count()) >= 1, 'the bad row is listed with its line number');
    const reason = (await badRow.first().getByRole('cell').last().textContent())?.trim() ?? '';
    assert.ok(reason.length > 3, `a reason is given: "${reason}"`);

    await page.getByRole('button', { name: 'Choose a different file' }).click();
    await uploadAndMap(page, path.join(dir, 'students.csv'));
    assert.equal(await count(page, 'To create'), '2');
    assert.equal(await count(page, 'Problems'), '0');
    await page.getByRole('button', { name: 'Apply import' }).click();
    await page.getByRole('heading', { name: '5. Import finished' }).waitFor();
    assert.equal(await count(page, 'Created'), '2');

    await page.getByRole('link', { name: 'Go to people' }).click();
    await page.getByLabel('Search by name or MIS id').fill('Okonkwo');
    await page.getByRole('link', { name: /Okonkwo-Smith/ }).click();
    await page.getByRole('heading', { level: 1, name: /Okonkwo-Smith/ }).waitFor();
    await page
      .getByRole('definition')
      .filter({ hasText: /^Year 8$/ })
      .waitFor();
    assert.deepEqual(h.pageErrors, []);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createDemoSchool } from '../../src/demo/demo-school.js';
import { refreshLockedLists } from '../../src/filter/lists/locked.js';
import { TEST_PASSWORD } from '../../src/testing/fixtures.js';
import { signIn, startHarness, type Harness } from './harness.js';

/*
 * The filtering and monitoring review in the browser, on the demo school: last year's review is
 * signed off, and the DSL starts this year's and runs the automatic checks. No category list is
 * loaded, so the locked lists' test entries pass and the ordinary categories fail for want of a list.
 */
describe('filtering and monitoring review (browser)', () => {
  let h: Harness;

  before(async () => {
    h = await startHarness({ seed: false, env: { TUTELA_DEMO_PASSWORD: TEST_PASSWORD } });
    await createDemoSchool(h.ctx, { password: TEST_PASSWORD });
    await refreshLockedLists(h.ctx);
  });
  after(async () => {
    await h?.close();
  });

  it('lets the DSL start a review on a phone, run the automatic checks and see the results with failures first', async () => {
    const page = await h.newPage({ viewport: { width: 375, height: 667 } });
    await signIn(page, 'demo.dsl');
    await page.locator('nav[aria-label="Main"]').waitFor({ state: 'attached' });

    await page.goto('/governance/review');
    await page.getByRole('heading', { level: 1, name: 'Filtering and monitoring review' }).waitFor();
    // Last year's review, signed off on 15 October 2025: the next is due a year later.
    await page.getByText('Next review due:').waitFor();
    assert.match((await page.locator('.review-next-due').textContent()) ?? '', /15 October 2026/);
    const reviews = page.getByRole('table', { name: 'Reviews' });
    assert.match((await reviews.getByRole('row').nth(1).textContent()) ?? '', /Annual review 2025-26.*Signed off/);

    await page.getByLabel('Title').fill('Annual review 2026-27');
    await page.getByRole('button', { name: 'Start review' }).click();
    await page.getByRole('heading', { level: 1, name: 'Annual review 2026-27' }).waitFor();

    await page.getByRole('button', { name: '1. People' }).waitFor();
    await page.getByRole('button', { name: /^Next: Checklist/ }).click();
    await page.getByRole('button', { name: /^Next: Automatic checks/ }).click();
    await page.getByText('The automatic checks have not been run for this review yet.').waitFor();
    const run = page.getByRole('button', { name: 'Run checks now' });
    const box = await run.boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 375, 'the button is on a phone screen');
    await run.click();

    const table = page.getByRole('table', { name: 'Check results, failures first' });
    await table.waitFor();
    const summary = (await page.locator('.review-run-summary').textContent()) ?? '';
    const [, passed, failed] = /(\d+) passed, (\d+) failed/.exec(summary) ?? [];
    assert.ok(Number(passed) > 0 && Number(failed) > 0, summary);

    const rows = table.locator('tbody tr');
    assert.equal(await rows.count(), Number(passed) + Number(failed));
    // Failures first and highlighted: a category with no list loaded fails.
    const first = rows.first();
    assert.equal(await first.getAttribute('class'), 'review-check-failed');
    assert.match((await first.textContent()) ?? '', /Failed.*no list loaded for this category/);
    assert.equal(await table.locator('tbody tr.review-check-failed').count(), Number(failed));
    const locked = table.locator('tbody tr', { hasText: 'iwf-test.tutela.test' });
    assert.equal(await locked.count(), 6, 'one per profile');
    for (const text of await locked.allTextContents()) assert.match(text, /^Passed.*blockblock/);
    assert.equal(await table.locator('tbody tr', { hasText: 'Monitoring' }).filter({ hasText: 'Passed' }).count(), 11);

    const stored = await h.ctx.db.selectFrom('filter_review_checks').select('run_id').distinct().execute();
    assert.equal(stored.length, 2, "last year's run and this one");
    assert.deepEqual(h.pageErrors, []);
  });
});

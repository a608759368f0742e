import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { insertActivity, insertAlert } from '../../src/monitor/reports/testing.js';
import { loadMonitorSettings } from '../../src/monitor/settings.js';
import { addUser } from '../../src/testing/fixtures.js';
import { type Harness, signInWithTotp, startHarness } from './harness.js';

/* The harness clock stands on Tuesday 24 November 2026, so "now" means Monday 23 November. */
describe('monitoring reports and settings (browser)', () => {
  let h: Harness;
  const secrets = new Map<string, string>();
  let alertId = '';

  before(async () => {
    h = await startHarness();
    await addUser(h.ctx, h.schoolId, 'dee.dsl', ['staff', 'dsl']);
    const pupil = await addUser(h.ctx, h.schoolId, 'amy.zephyrine', ['student'], { yearGroup: 8 });
    const base = { schoolId: h.schoolId, personId: pupil.personId };
    await insertActivity(h.ctx, { ...base, at: '2026-11-23T10:00:00.000Z', action: 'block', category: 'gambling' });
    await insertActivity(h.ctx, { ...base, at: '2026-11-23T10:05:00.000Z', action: 'block', category: 'gambling' });
    await insertActivity(h.ctx, { ...base, at: '2026-11-23T11:00:00.000Z', action: 'block', category: 'pornography' });
    await insertActivity(h.ctx, { ...base, at: '2026-11-23T11:30:00.000Z', action: 'allow' });
    alertId = await insertAlert(h.ctx, {
      schoolId: h.schoolId,
      createdAt: '2026-11-23T12:00:00.000Z',
      category: 'self_harm',
      severity: 'high',
      personId: pupil.personId,
      who: 'Amy Zephyrine',
      profile: 'ks3',
    });
  });
  after(async () => {
    await h?.close();
  });

  it('runs the daily summary and shows it with its charts', async () => {
    const page = await h.newPage();
    await signInWithTotp(h, page, 'dee.dsl', secrets);
    await page.goto('/monitoring/reports');
    await page.getByRole('heading', { level: 1, name: 'Reports' }).waitFor();
    await page.getByText('No report has been made yet.').waitFor();

    await page.getByRole('button', { name: 'Run daily summary now' }).click();
    await page.getByRole('heading', { level: 1, name: 'Daily internet-usage summary for Monday 23 November 2026' }).waitFor();
    await page
      .locator('p.notice[role="status"]')
      .getByText(/Daily summary made: e-mailed to 0 people/)
      .waitFor();
    await page.getByRole('button', { name: 'Print' }).waitFor();

    const report = page.frameLocator('iframe.report-frame');
    await report.getByRole('img', { name: 'Top blocked categories' }).waitFor();
    assert.ok((await report.locator('svg[role="img"]').count()) >= 4, 'categories, people, alerts and hours');
    const categories = report.getByRole('table', { name: 'Blocked categories' });
    await categories.getByRole('row', { name: 'Gambling 2' }).waitFor();
    await categories.getByRole('row', { name: 'Pornography 1' }).waitFor();
    await report.getByRole('table', { name: 'People with the most blocks' }).getByRole('row', { name: 'Amy Zephyrine Year 8 3' }).waitFor();
    const link = report.getByRole('table', { name: 'The alerts' }).getByRole('link', { name: 'Self-harm' });
    assert.equal(await link.getAttribute('href'), `/monitoring/alerts/${alertId}`);

    const stored = await h.ctx.db.selectFrom('monitor_reports').selectAll().executeTakeFirstOrThrow();
    assert.equal(page.url(), `${h.url}/monitoring/reports/${stored.id}`);
    assert.equal(stored.period_start, '2026-11-23T00:00:00.000Z');

    await page.getByRole('link', { name: 'Back to the reports' }).click();
    await page.getByRole('link', { name: 'Daily summary, Monday 23 November 2026' }).waitFor();
    assert.deepEqual(h.pageErrors, []);
  });

  it('changes a threshold, showing what is wrong before it saves', async () => {
    const page = await h.newPage();
    await signInWithTotp(h, page, 'dee.dsl', secrets);
    await page.goto('/monitoring/settings');
    await page.getByRole('heading', { level: 1, name: 'Monitoring settings' }).waitFor();
    const ks3 = page.getByRole('group', { name: 'Key stage 3 (Years 7–9)' });
    const threshold = ks3.getByLabel('Threshold');
    assert.equal(await threshold.inputValue(), '3');

    await threshold.fill('1');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page
      .getByRole('alert')
      .getByText(/riskThreshold must be >= 2/)
      .waitFor();
    assert.equal((await loadMonitorSettings(h.ctx.db, h.schoolId)).profiles.ks3.riskThreshold, 3, 'nothing saved');

    await threshold.fill('5');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').getByText('Settings saved.', { exact: true }).waitFor();
    assert.equal((await loadMonitorSettings(h.ctx.db, h.schoolId)).profiles.ks3.riskThreshold, 5);

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Monitoring settings' }).waitFor();
    assert.equal(await page.getByRole('group', { name: 'Key stage 3 (Years 7–9)' }).getByLabel('Threshold').inputValue(), '5');
    assert.deepEqual(h.pageErrors, []);
  });
});

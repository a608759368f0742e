import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addUser } from '../../src/testing/fixtures.js';
import { type Harness, signInWithTotp, startHarness } from './harness.js';

async function capture(url: string, key: string, text: string) {
  const res = await fetch(`${url}/api/monitor/captures`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ events: [{ kind: 'chat', username: 'jane.smith', text }] }),
  });
  return res.status;
}

describe('monitoring sources (browser)', () => {
  let h: Harness;
  const secrets = new Map<string, string>();

  before(async () => {
    h = await startHarness();
    h.ctx.clock.set(new Date());
    await addUser(h.ctx, h.schoolId, 'nat.netman', ['staff', 'network_manager']);
    await addUser(h.ctx, h.schoolId, 'jane.smith', ['student'], { yearGroup: 9 });
  });
  after(async () => {
    await h?.close();
  });

  it('lets the network manager add a capture key shown once, see it used, add a syslog sender and revoke the key', async () => {
    const page = await h.newPage();
    await signInWithTotp(h, page, 'nat.netman', secrets);
    await page.goto('/monitoring/sources');
    await page.getByRole('heading', { level: 1, name: 'Monitoring sources' }).waitFor();
    assert.match((await page.locator('pre').textContent()) ?? '', /curl -X POST http:\/\/127\.0\.0\.1:\d+\/api\/monitor\/captures/);

    const captureForm = page.getByRole('form', { name: 'Add a capture API key' });
    await captureForm.getByLabel('Name of the sending system').fill('Teams chat');
    await captureForm.getByRole('button', { name: 'Add key' }).click();
    const secret = page.getByRole('region', { name: /Capture key for Teams chat/ });
    await secret.waitFor();
    const key = ((await secret.locator('.secret-value').textContent()) ?? '').trim();
    assert.match(key, /^tut_[A-Za-z0-9_-]{43}$/);
    await secret.getByRole('button', { name: 'I have noted it' }).click();
    await secret.waitFor({ state: 'detached' });
    assert.ok(!((await page.content()) ?? '').includes(key), 'the key is gone from the page once dismissed');

    assert.equal(await capture(h.url, key, 'hello from the browser test'), 202);
    await page.reload();
    const row = page
      .getByRole('region', { name: 'Sources' })
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'Teams chat' }) });
    await row.waitFor();
    const rowText = (await row.textContent()) ?? '';
    assert.match(rowText, new RegExp(`${key.slice(0, 10)}…`));
    assert.match(rowText, /Active/);
    const cells = await row.getByRole('cell').allTextContents();
    assert.equal(cells.length, 6);
    assert.notEqual(cells[3]!.trim(), '—', 'the last event time is shown');

    const syslogForm = page.getByRole('form', { name: 'Add a syslog sender' });
    await syslogForm.getByLabel('Name').fill('Squid proxy');
    await syslogForm.getByLabel("Sender's IP address").fill('not an address');
    await syslogForm.getByLabel('What it sends').selectOption('squid');
    await syslogForm.getByRole('button', { name: 'Add sender' }).click();
    await syslogForm.getByRole('alert').waitFor();
    assert.match((await syslogForm.getByRole('alert').textContent()) ?? '', /not an IPv4 or IPv6 address/);
    await syslogForm.getByLabel("Sender's IP address").fill('10.20.0.1');
    await syslogForm.getByRole('button', { name: 'Add sender' }).click();
    await page.getByRole('rowheader', { name: 'Squid proxy' }).waitFor();

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Revoke Teams chat' }).click();
    await row.getByText(/Revoked/).waitFor();
    assert.equal(await capture(h.url, key, 'after revoking'), 401);
    assert.deepEqual(h.pageErrors, []);
  });
});

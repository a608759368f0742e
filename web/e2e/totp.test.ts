import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { totpCodeAt } from '../../src/auth/totp.js';
import { addUser } from '../../src/testing/fixtures.js';
import { navLinks, signIn, startHarness, type Harness } from './harness.js';

describe('two-step sign-in (browser)', () => {
  let h: Harness;
  let secret = '';

  before(async () => {
    h = await startHarness();
    await addUser(h.ctx, h.schoolId, 'dee.dsl', ['staff', 'dsl']);
  });
  after(async () => {
    await h?.close();
  });

  it('takes a DSL through enrolment before anything else', async () => {
    const page = await h.newPage();
    await signIn(page, 'dee.dsl');
    await page.getByRole('heading', { level: 1, name: 'Set up two-step sign-in' }).waitFor();
    assert.equal(await page.getByRole('navigation').count(), 0);
    await page.getByRole('img', { name: /QR code/ }).waitFor();
    secret = await page.getByLabel('Setup key').inputValue();
    assert.match(secret, /^[A-Z2-7]{16,}$/);

    await page.getByLabel('6-digit code').fill('000000');
    await page.getByRole('button', { name: 'Confirm and continue' }).click();
    await page.getByRole('alert').filter({ hasText: 'That code is not right' }).waitFor();

    await page.getByLabel('6-digit code').fill(totpCodeAt(secret, h.ctx.clock()));
    await page.getByRole('button', { name: 'Confirm and continue' }).click();
    await page.getByRole('heading', { level: 1, name: 'Hello, Dee Dsl' }).waitFor();
    assert.deepEqual(await navLinks(page), [
      'Home',
      'People',
      'Groups',
      'School figures',
      'Safeguarding incidents',
      'Incident figures',
      'Monitoring',
      'Filtering',
      'Agreements',
      'Governance',
      'Audit log',
      'My details',
    ]);
  });

  it('asks for the current code at the next sign-in', async () => {
    assert.ok(secret, 'enrolment ran first');
    const page = await h.newPage();
    await signIn(page, 'dee.dsl');
    await page.getByRole('heading', { level: 1, name: 'Two-step sign-in' }).waitFor();
    // The server's clock stands still in tests; a code cannot be used twice, so move to the next one.
    h.ctx.clock.advance(1);
    await page.getByLabel('6-digit code').fill(totpCodeAt(secret, h.ctx.clock()));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { level: 1, name: 'Hello, Dee Dsl' }).waitFor();
    assert.deepEqual(h.pageErrors, []);
  });
});

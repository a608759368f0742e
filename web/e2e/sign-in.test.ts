import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addUser, TEST_PASSWORD } from '../../src/testing/fixtures.js';
import { navLinks, signIn, startHarness, type Harness } from './harness.js';

describe('signing in (browser)', () => {
  let h: Harness;

  before(async () => {
    // A configured provider is only listed here; nothing contacts it.
    h = await startHarness({ env: { TUTELA_OIDC_GOOGLE_CLIENT_ID: 'test-client', TUTELA_OIDC_GOOGLE_CLIENT_SECRET: 'test-secret' } });
    await addUser(h.ctx, h.schoolId, 'sam.teacher', ['staff']);
    await addUser(h.ctx, h.schoolId, 'gail.governor', ['governor']);
  });
  after(async () => {
    await h?.close();
  });

  it('takes a teacher to the home page with their name and only the navigation they may use', async () => {
    const page = await h.newPage();
    await page.goto('/');
    await page.waitForURL(/\/sign-in$/);
    await signIn(page, 'sam.teacher');
    await page.getByRole('heading', { level: 1, name: 'Hello, Sam Teacher' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/');
    assert.deepEqual(await navLinks(page), [
      'Home',
      'People',
      'Groups',
      'School figures',
      'Safeguarding incidents',
      'Filtering',
      'Agreements',
      'Governance',
      'My details',
    ]);
    assert.equal(await page.getByRole('banner').count(), 1);
    assert.equal(await page.getByRole('main').count(), 1);
    await page.getByRole('link', { name: 'People' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'People' }).waitFor();
    await page.getByRole('link', { name: 'Sam Teacher' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('status').filter({ hasText: 'You have signed out.' }).waitFor();
    await page.goto('/people');
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    assert.deepEqual(h.pageErrors, []);
  });

  it('offers single sign-on with each configured provider', async () => {
    const page = await h.newPage();
    await page.goto('/sign-in');
    const link = page.getByRole('link', { name: 'Sign in with Google Workspace' });
    await link.waitFor();
    assert.equal(await link.getAttribute('href'), '/api/auth/oidc/google/start');
  });

  it('shows why a wrong password was refused', async () => {
    const page = await h.newPage();
    await page.goto('/sign-in');
    await signIn(page, 'sam.teacher', 'not-the-right-password');
    const alert = page.getByRole('alert').filter({ hasText: 'The username or password is not right.' });
    await alert.waitFor();
    assert.equal(await page.getByRole('heading', { level: 1, name: 'Sign in' }).count(), 1);
    assert.equal(await page.getByLabel('Password').inputValue(), '');
  });

  it('returns to the page asked for after signing in, and shows an error passed back by single sign-on', async () => {
    const page = await h.newPage();
    await page.goto('/groups?error=oidc_cancelled');
    await page.getByRole('alert').filter({ hasText: 'Sign-in was cancelled at your school account provider.' }).waitFor();
    await signIn(page, 'sam.teacher');
    await page.getByRole('heading', { level: 1, name: 'Groups' }).waitFor();
  });

  it('tells a teacher they may not manage users, because the API said 403', async () => {
    const page = await h.newPage();
    await signIn(page, 'sam.teacher');
    await page.getByRole('heading', { level: 1, name: 'Hello, Sam Teacher' }).waitFor();
    const answer = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/users' && r.request().method() === 'GET');
    await page.goto('/users');
    const response = await answer;
    assert.equal(response.status(), 403);
    assert.equal((await response.json()).error, 'forbidden');
    await page.getByRole('heading', { name: /^You do not have permission/ }).waitFor();
    assert.equal(await page.getByRole('table').count(), 0);
  });

  it('shows a governor figures but never names', async () => {
    const page = await h.newPage();
    await signIn(page, 'gail.governor');
    await page.getByRole('heading', { level: 2, name: 'Your school in figures' }).waitFor();
    assert.deepEqual(await navLinks(page), [
      'Home',
      'School figures',
      'Incident figures',
      'Filtering',
      'Agreements',
      'Governance',
      'My details',
    ]);
    await page.getByRole('region', { name: 'People by kind' }).waitFor();
    assert.equal(await page.getByText('Sam Teacher').count(), 0);
    const answer = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/directory/people');
    await page.goto('/people');
    assert.equal((await answer).status(), 403);
    await page.getByRole('heading', { name: /^You do not have permission/ }).waitFor();
  });

  it('folds the navigation behind a menu button on a 375px phone', async () => {
    const page = await h.newPage({ viewport: { width: 375, height: 667 } });
    await signIn(page, 'sam.teacher');
    await page.getByRole('heading', { level: 1, name: 'Hello, Sam Teacher' }).waitFor();
    const menu = page.getByRole('button', { name: 'Menu' });
    const nav = page.getByRole('navigation', { name: 'Main' });
    assert.equal(await menu.getAttribute('aria-expanded'), 'false');
    assert.equal(await nav.getByRole('link', { name: 'Groups' }).isVisible(), false);
    await menu.click();
    assert.equal(await menu.getAttribute('aria-expanded'), 'true');
    await page.keyboard.press('Escape');
    assert.equal(await menu.getAttribute('aria-expanded'), 'false');
    assert.equal(await menu.evaluate((el) => el === el.ownerDocument.activeElement), true, 'focus returns to the menu button');
    await menu.click();
    await nav.getByRole('link', { name: 'Groups' }).click();
    await page.getByRole('heading', { level: 1, name: 'Groups' }).waitFor();
    assert.equal(await menu.getAttribute('aria-expanded'), 'false');
    assert.equal(await nav.getByRole('link', { name: 'Groups' }).isVisible(), false);
    // Nothing may overflow sideways on a phone: the page itself must not scroll horizontally.
    const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
  });

  it('locks after the server-side idle time and unlocks with the password', async () => {
    const page = await h.newPage();
    await signIn(page, 'sam.teacher');
    await page.getByRole('heading', { level: 1, name: 'Hello, Sam Teacher' }).waitFor();
    // Let the home page's own requests (notification count, figures) finish first: one still in
    // flight when the clock moves would lock the app under the click.
    await page.waitForLoadState('networkidle');
    h.ctx.clock.advance(h.ctx.config.session.idleLockMinutes + 1);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'People' }).click();
    await page.getByRole('heading', { level: 1, name: 'Tutela is locked' }).waitFor();
    assert.equal(await page.getByRole('navigation').count(), 0, 'the lock screen hides the app');
    await page.getByLabel('Password').fill('wrong-password-here');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('alert').filter({ hasText: 'That password is not right.' }).waitFor();
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('heading', { level: 1, name: 'People' }).waitFor();
  });

  it('locks on its own after the idle time without input', async () => {
    const page = await h.newPage();
    await page.clock.install();
    await signIn(page, 'sam.teacher');
    await page.getByRole('heading', { level: 1, name: 'Hello, Sam Teacher' }).waitFor();
    await page.clock.fastForward((h.ctx.config.session.idleLockMinutes + 1) * 60_000);
    await page.getByRole('heading', { level: 1, name: 'Tutela is locked' }).waitFor();
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('heading', { level: 1, name: 'Hello, Sam Teacher' }).waitFor();
    assert.deepEqual(h.pageErrors, []);
  });
});

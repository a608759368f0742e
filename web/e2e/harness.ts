import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { totpCodeAt } from '../../src/auth/totp.js';
import type { MonitorServices } from '../../src/monitor/runtime.js';
import { WEB_DIST } from '../../src/server/app.js';
import { seedSchool, TEST_PASSWORD } from '../../src/testing/fixtures.js';
import { startTestServer } from '../../src/testing/http.js';
import { createTestStore, testContext, type TestStore } from '../../src/testing/store.js';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Harness {
  ctx: ReturnType<typeof testContext>;
  /** The seeded school and its trust; empty when started with `seed: false`. */
  schoolId: string;
  trustId: string;
  url: string;
  browser: Browser;
  /** A fresh browser profile (own cookies) on the test server. */
  newPage(options?: { viewport?: { width: number; height: number } }): Promise<Page>;
  /** Uncaught errors from any page's scripts; a test ends by checking there were none. */
  pageErrors: string[];
  close(): Promise<void>;
}

/**
 * The real server on a fresh database, serving the built front end, and a headless Chromium.
 * The front end must be built first: `npx vite build --config web/vite.config.ts`.
 * `seed: false` leaves the database without any school, as on a first run.
 */
export async function startHarness(
  options: {
    env?: Record<string, string>;
    seed?: boolean;
    /** Runs before the server starts: e.g. a monitor the test shares with a filter it starts itself. */
    services?: (ctx: ReturnType<typeof testContext>) => { monitor?: MonitorServices };
  } = {},
): Promise<Harness> {
  if (!existsSync(path.join(WEB_DIST, 'index.html'))) {
    throw new Error('The front end is not built. Run: npx vite build --config web/vite.config.ts');
  }
  const store: TestStore = await createTestStore();
  const ctx = testContext(store, options.env);
  const { schoolId, trustId } = options.seed === false ? { schoolId: '', trustId: '' } : await seedSchool(ctx);
  const server = await startTestServer(ctx, options.services?.(ctx) ?? {});
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  return {
    ctx,
    schoolId,
    trustId,
    url: server.url,
    browser,
    pageErrors,
    async newPage(options = {}) {
      const context = await browser.newContext({ baseURL: server.url, viewport: options.viewport ?? { width: 1280, height: 900 } });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      page.on('pageerror', (error) => pageErrors.push(error.message));
      return page;
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close();
      await server.close();
      await store.cleanup();
    },
  };
}

/** Fills the sign-in form; the caller checks where it lands. */
export async function signIn(page: Page, username: string, password = TEST_PASSWORD): Promise<void> {
  if (!page.url().includes('/sign-in')) await page.goto('/');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * Signs in a user whose role needs TOTP: enrols on the first sign-in (remembering the secret),
 * answers the challenge after that. The test server's clock stands still, so it is moved on a
 * minute before each challenge: a code cannot be used twice.
 */
export async function signInWithTotp(h: Harness, page: Page, username: string, secrets: Map<string, string>): Promise<void> {
  await signIn(page, username);
  const known = secrets.get(username);
  if (known) {
    h.ctx.clock.advance(1);
    await page.getByLabel('6-digit code').fill(totpCodeAt(known, h.ctx.clock()));
    await page.getByRole('button', { name: 'Continue' }).click();
  } else {
    await page.getByRole('heading', { name: 'Set up two-step sign-in' }).waitFor();
    const secret = await page.getByLabel('Setup key').inputValue();
    secrets.set(username, secret);
    await page.getByLabel('6-digit code').fill(totpCodeAt(secret, h.ctx.clock()));
    await page.getByRole('button', { name: 'Confirm and continue' }).click();
  }
  // Attached rather than visible: on a phone the navigation is folded away.
  await page.locator('nav[aria-label="Main"]').waitFor({ state: 'attached' });
}

/** The link names in the main navigation, in order. */
export async function navLinks(page: Page): Promise<string[]> {
  const links = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
  return links.map((l) => l.trim());
}

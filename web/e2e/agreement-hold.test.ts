import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { InProcessActivityBus } from '../../src/activity/bus.js';
import { createDemoSchool } from '../../src/demo/demo-school.js';
import { setUpDemoFiltering } from '../../src/demo/filtering.js';
import { FilterRuntime, signBlockToken } from '../../src/filter/runtime/index.js';
import { signIn, startHarness, type Harness } from './harness.js';

/*
 * The school's setting for holding people in the web filter until they accept their agreement,
 * on the agreement texts screen, on a phone.
 */
const PASSWORD = 'riverside-demo';

describe('holding people in the web filter (browser)', () => {
  let h: Harness;
  let school: Awaited<ReturnType<typeof createDemoSchool>>;

  before(async () => {
    h = await startHarness({ seed: false, env: { TUTELA_DEMO_PASSWORD: PASSWORD } });
    h.ctx.clock.set(new Date());
    school = await createDemoSchool(h.ctx, { password: PASSWORD });
    await setUpDemoFiltering(h.ctx, school.schoolId, school.trustId);
  });
  after(async () => h?.close());

  it('sends a pupil who has not accepted from the block page to the agreement, and lets them browse once they accept', async () => {
    const runtime = new FilterRuntime(h.ctx, { bus: new InProcessActivityBus() });
    await runtime.start();
    try {
      const student7 = await h.ctx.db
        .selectFrom('accounts')
        .select('person_id')
        .where('username', '=', 'demo.student7')
        .executeTakeFirstOrThrow();
      const ask = () =>
        runtime.decide({ clientAddress: '127.0.0.77', personId: student7.person_id, target: 'www.bbc.co.uk', at: h.ctx.clock() });
      const held = ask();
      assert.equal(held.rule, 'agreement_required', 'the demo pupil who has not accepted is held');

      // The block page a held browser is sent to, as the DNS filter's redirect makes it.
      const page = await h.newPage({ viewport: { width: 375, height: 667 } });
      await page.goto(`/blocked?target=www.bbc.co.uk&token=${signBlockToken(h.ctx.secretKey, held, h.ctx.clock())}`);
      await page.getByRole('heading', { level: 1, name: 'Accept your acceptable use agreement first' }).waitFor();
      await page.getByText('You have not yet accepted your acceptable use agreement for this school year.').waitFor();
      assert.equal(
        await page.getByRole('button', { name: 'This should not be blocked' }).count(),
        0,
        'no report form: the agreement is the way on',
      );
      await page.getByRole('link', { name: 'Read and accept the agreement' }).click();
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      await signIn(page, 'demo.student7', PASSWORD);
      await page.waitForURL(/\/agreements\/mine$/);
      await page.getByRole('button', { name: 'Accept', exact: true }).click();
      await page.getByRole('status').getByText('Agreement accepted').waitFor();

      // Accepting signals this node's filter to reload before it answers.
      const after = ask();
      assert.notEqual(after.rule, 'agreement_required', 'accepting lifts the hold');
      assert.deepEqual(h.pageErrors, []);
    } finally {
      await runtime.stop();
    }
  });

  it('lets the head turn the hold off and on again, on a phone, without touching the renewal date', async () => {
    const page = await h.newPage({ viewport: { width: 375, height: 667 } });
    await signIn(page, 'demo.head', PASSWORD);
    await page.getByRole('heading', { level: 1, name: /^Hello, / }).waitFor();
    await page.goto('/agreements/documents');
    const hold = page.getByRole('checkbox', { name: 'Hold people in the web filter until they accept' });
    await page.getByText(/opens nothing but Tutela to someone who has not accepted/).waitFor();
    assert.equal(await hold.isChecked(), true, 'on by default');

    await hold.uncheck();
    await page.getByText('The web filter does not hold people who have not accepted their agreement.').waitFor();
    assert.equal(await hold.isChecked(), false);
    let settings = await (await page.request.get('/api/agreements/settings')).json();
    assert.deepEqual(settings, { renewOn: '09-01', holdInFilter: false });

    // Saving the renewal date keeps the hold as it is.
    const renewal = page.getByRole('form', { name: 'Renewal date' });
    await renewal.getByLabel('Month').selectOption({ label: 'August' });
    await renewal.getByLabel('Day').selectOption('20');
    await renewal.getByRole('button', { name: 'Save renewal date' }).click();
    await page.getByText('Everyone accepts their agreement again each year from 20 August.').waitFor();
    settings = await (await page.request.get('/api/agreements/settings')).json();
    assert.deepEqual(settings, { renewOn: '08-20', holdInFilter: false });

    await hold.check();
    await page.getByText(/opens nothing but Tutela to someone who has not accepted/).waitFor();
    settings = await (await page.request.get('/api/agreements/settings')).json();
    assert.equal(settings.holdInFilter, true);
    // Nothing on the screen is wider than the phone.
    assert.equal(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), true);
    assert.deepEqual(h.pageErrors, []);
  });
});

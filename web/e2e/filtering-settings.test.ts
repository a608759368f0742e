import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { InProcessActivityBus } from '../../src/activity/bus.js';
import { addListEntry } from '../../src/filter/policy/lists.js';
import { BlockAlerter, FilterRuntime } from '../../src/filter/runtime/index.js';
import { openFiltering, startFilteringHarness } from './filtering-harness.js';
import { signIn, signInWithTotp, type Harness } from './harness.js';

describe('filtering profiles, assignments, settings and notifications (browser)', () => {
  let h: Harness;
  let manager: Page;
  const secrets = new Map<string, string>();
  let pupilId = '';
  const BLOCKED = 'casino-royale.example';

  before(async () => {
    ({ h, manager, pupilId } = await startFilteringHarness(secrets));
  });
  after(async () => {
    await h?.close();
  });

  const logRow = (page: Page, reason: string) => page.getByRole('region', { name: 'Changes' }).getByRole('row').filter({ hasText: reason });

  it('adds a profile with a reason, renames it, assigns a group to it, and logs each change', async () => {
    await openFiltering(manager, 'Profiles');
    await manager.getByRole('button', { name: 'Add a profile' }).click();
    const add = manager.getByRole('form', { name: 'Add a profile' });
    await add.getByLabel('Profile name').fill('Nurture group');
    assert.equal(await add.getByLabel('Key').inputValue(), 'nurture_group', 'the key follows the name');
    await add.getByLabel('Sites in no category').selectOption({ label: 'Blocked' });
    await add.getByLabel('Copy the matrix of').selectOption({ label: 'Key Stage 3' });
    const submit = add.getByRole('button', { name: 'Add profile' });
    assert.equal(await submit.isDisabled(), true, 'no reason, no profile');
    await add.getByLabel('Reason for the change').fill('Nurture group needs a stricter filter');
    await submit.click();
    await manager.getByRole('status').filter({ hasText: 'Profile added: Nurture group.' }).waitFor();
    const profiles = manager.getByRole('region', { name: 'Profiles' });
    const row = profiles.getByRole('row').filter({ has: manager.getByRole('rowheader', { name: 'Nurture group' }) });
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /Blocked/);
    // The new profile opens, with the matrix it copied.
    const matrix = manager.getByRole('region', { name: 'Matrix of Nurture group' });
    await matrix.waitFor();
    assert.equal(await matrix.getByRole('radio', { name: 'Social media: Acceptable at certain times' }).isChecked(), true);

    // A second profile with the same key is refused, and the form keeps what was typed.
    await manager.getByRole('button', { name: 'Add a profile' }).click();
    await add.getByLabel('Profile name').fill('Nurture group two');
    await add.getByLabel('Key').fill('nurture_group');
    await add.getByLabel('Reason for the change').fill('Second nurture group');
    await add.getByRole('button', { name: 'Add profile' }).click();
    await add.getByRole('alert').filter({ hasText: 'already exists' }).waitFor();
    assert.equal(await add.getByLabel('Profile name').inputValue(), 'Nurture group two');
    await add.getByRole('button', { name: 'Cancel' }).click();

    await manager.getByRole('button', { name: 'Rename or change the default of Nurture group' }).click();
    const edit = manager.getByRole('form', { name: 'Change the profile Nurture group' });
    await edit.getByLabel('Profile name').fill('Nurture provision');
    assert.equal(await edit.getByRole('button', { name: 'Save profile' }).isDisabled(), true, 'no reason, no change');
    await edit.getByLabel('Reason for the change').fill('The group is now called nurture provision');
    await edit.getByRole('button', { name: 'Save profile' }).click();
    await manager.getByRole('status').filter({ hasText: 'Profile saved: Nurture provision.' }).waitFor();
    await profiles.getByRole('rowheader', { name: 'Nurture provision' }).waitFor();

    const assign = manager.getByRole('form', { name: 'Assign a profile' });
    await assign.getByLabel('Group').selectOption({ label: '8B History' });
    await assign.getByLabel('Profile to use').selectOption({ label: 'Nurture provision' });
    await assign.getByLabel('Reason for the assignment').fill('8B History joins the nurture provision');
    await assign.getByRole('button', { name: 'Assign profile' }).click();
    const assignments = manager.getByRole('region', { name: 'Profile assignments' });
    const assigned = assignments.getByRole('row').filter({ has: manager.getByRole('rowheader', { name: '8B History' }) });
    await assigned.waitFor();
    assert.match((await assigned.textContent()) ?? '', /Group.*Nurture provision/);

    // A person too, then cleared again with its own reason.
    await assign.getByLabel('Assign to').selectOption({ label: 'A person' });
    await assign.getByLabel('Person').fill('pip');
    await assign.getByRole('button', { name: 'Choose Pip Pupil' }).click();
    await assign.getByLabel('Profile to use').selectOption({ label: 'Key Stage 3' });
    await assign.getByLabel('Reason for the assignment').fill('Pip follows Key Stage 3 while on report');
    await assign.getByRole('button', { name: 'Assign profile' }).click();
    await assignments.getByRole('rowheader', { name: 'Pip Pupil' }).waitFor();
    h.ctx.clock.advance(1);
    await manager.getByRole('button', { name: 'Clear the profile of Pip Pupil' }).click();
    const clear = manager.getByRole('form', { name: 'Clear the profile of Pip Pupil' });
    await clear.getByLabel('Reason to clear').fill('Report finished');
    await clear.getByRole('button', { name: 'Confirm clear' }).click();
    await assignments.getByRole('rowheader', { name: 'Pip Pupil' }).waitFor({ state: 'detached' });
    assert.deepEqual(await assignments.getByRole('rowheader').allTextContents(), ['8B History']);

    await manager.reload();
    await manager.getByRole('region', { name: 'Profile assignments' }).getByRole('rowheader', { name: '8B History' }).waitFor();

    await openFiltering(manager, 'Change-control log');
    for (const reason of [
      'Nurture group needs a stricter filter',
      'The group is now called nurture provision',
      '8B History joins the nurture provision',
      'Report finished',
    ]) {
      await logRow(manager, reason).waitFor();
      assert.equal(await logRow(manager, reason).count(), 1, reason);
    }
    assert.match((await logRow(manager, '8B History joins the nurture provision').textContent()) ?? '', /8B History.*Nurture provision/);
    assert.match((await logRow(manager, 'Report finished').textContent()) ?? '', /Pip Pupil/);
    assert.equal(await logRow(manager, 'Second nurture group').count(), 0, 'a refused change is not logged');
    assert.deepEqual(h.pageErrors, []);
  });

  it('changes the alerting categories with a reason; the locked lists always alert', async () => {
    await openFiltering(manager, 'Profiles');
    await manager.getByRole('link', { name: 'Filtering settings' }).click();
    await manager.getByRole('heading', { level: 1, name: 'Filtering settings' }).waitFor();
    const form = manager.getByRole('form', { name: 'Filtering settings' });
    const csam = form.getByRole('checkbox', { name: /^Child sexual abuse content/ });
    await csam.waitFor();
    assert.equal(await csam.isChecked(), true);
    assert.equal(await csam.isDisabled(), true, 'no one can stop the illegal lists alerting');
    assert.equal(await form.getByRole('checkbox', { name: 'Extremism' }).isChecked(), true, 'the default alerting set');
    const gambling = form.getByRole('checkbox', { name: 'Gambling' });
    assert.equal(await gambling.isChecked(), false);

    // A time zone the server does not know is refused, and nothing is saved.
    await form.getByLabel('Time zone').fill('Europe/Atlantis');
    await form.getByLabel('Reason for the change').fill('Wrong zone');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await form.getByRole('alert').filter({ hasText: 'Unknown time zone' }).waitFor();
    await form.getByLabel('Time zone').fill('Europe/London');

    await gambling.check();
    await form.getByLabel('Reason for the change').fill('Gambling concerns raised by the safeguarding team');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await manager.getByRole('status').filter({ hasText: 'Filtering settings saved.' }).waitFor();
    await manager.reload();
    await manager.getByRole('form', { name: 'Filtering settings' }).getByRole('checkbox', { name: 'Gambling' }).waitFor();
    assert.equal(await manager.getByRole('checkbox', { name: 'Gambling' }).isChecked(), true, 'the change was stored');
    assert.equal(await manager.getByRole('checkbox', { name: 'Extremism' }).isChecked(), true);

    await openFiltering(manager, 'Change-control log');
    await logRow(manager, 'Gambling concerns raised by the safeguarding team').waitFor();
    assert.equal(await logRow(manager, 'Wrong zone').count(), 0, 'a refused change is not logged');
    assert.deepEqual(h.pageErrors, []);
  });

  it('tells the DSL about a block in an alerting category; the DSL marks it read and follows it', async () => {
    const { ctx, schoolId } = h;
    // The school's own block list puts the site in Gambling, which now alerts (above).
    await addListEntry(
      ctx.db,
      { schoolId, trustId: h.trustId, actor: { accountId: null, username: null, personId: null, name: 'Test' }, now: ctx.clock() },
      { scope: 'school', pattern: BLOCKED, action: 'block', category: 'gambling', reason: 'Reported by a parent' },
    );
    // The filter as the DNS server runs it: decisions go on the bus, the alerter tells the DSLs.
    const bus = new InProcessActivityBus();
    const alerter = new BlockAlerter(ctx, bus, null).start();
    const runtime = new FilterRuntime(ctx, { bus, now: ctx.clock });
    try {
      await runtime.start();
      const at = ctx.clock();
      const decision = runtime.decide({ clientAddress: '10.20.0.7', personId: pupilId, target: BLOCKED, at });
      assert.deepEqual([decision.action, decision.category, decision.alert], ['block', 'gambling', true]);
      runtime.record({ source: 'dns', at, clientAddress: '10.20.0.7', decision });
      await alerter.idle();
    } finally {
      await runtime.stop();
      await alerter.close();
    }

    const dsl = await h.newPage();
    await signInWithTotp(h, dsl, 'dee.dsl', secrets);
    await dsl.getByRole('link', { name: 'Notifications (1 unread)' }).click();
    await dsl.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
    const note = dsl.getByRole('listitem', { name: 'Unread: Filter alert: Gambling', exact: true });
    await note.waitFor();
    assert.match((await note.textContent()) ?? '', /Pip Pupil was blocked from casino-royale\.example/);
    await note.getByRole('button', { name: 'Mark as read: Filter alert: Gambling' }).click();
    const read = dsl.getByRole('listitem', { name: 'Read: Filter alert: Gambling', exact: true });
    await read.waitFor();
    assert.equal(await read.getByRole('button', { name: /^Mark as read/ }).count(), 0);
    await dsl.getByRole('link', { name: 'Notifications', exact: true }).waitFor();
    const stored = await ctx.db.selectFrom('notifications').select('read_at').where('kind', '=', 'filter.alert').execute();
    assert.equal(stored.length, 1);
    assert.notEqual(stored[0]!.read_at, null, 'read on the server, not only on the page');

    await read.getByRole('link', { name: 'Open: Filter alert: Gambling' }).click();
    await dsl.getByRole('heading', { level: 1, name: 'Live feed' }).waitFor();
    assert.match(new URL(dsl.url()).pathname, /^\/filtering\/live$/);

    // Someone with nothing to be told sees an empty list, from the same header link.
    const teacher = await h.newPage();
    await signIn(teacher, 'sam.teacher');
    await teacher.getByRole('link', { name: 'Notifications', exact: true }).click();
    await teacher.getByText('You have no notifications.').waitFor();
    assert.deepEqual(h.pageErrors, []);
  });
});

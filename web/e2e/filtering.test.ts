import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { newId } from '../../src/db/ids.js';
import { addUser } from '../../src/testing/fixtures.js';
import { openFiltering, startFilteringHarness } from './filtering-harness.js';
import { signIn, signInWithTotp, type Harness } from './harness.js';

/** A `datetime-local` value in this machine's time zone, which the browser shares. */
const localInput = (d: Date) => {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

describe('filtering (browser)', () => {
  let h: Harness;
  let manager: Page;
  const secrets = new Map<string, string>();
  const BLOCKED = 'casino-royale.example';

  before(async () => {
    ({ h, manager } = await startFilteringHarness(secrets));
    await addUser(h.ctx, h.schoolId, 'gail.governor', ['governor']);
  });
  after(async () => {
    await h?.close();
  });

  it('changes a matrix cell with a reason, and the change shows in the change-control log', async () => {
    await openFiltering(manager, 'Profiles');
    await manager.getByRole('button', { name: 'Edit the matrix of Key Stage 3' }).click();
    const matrix = manager.getByRole('region', { name: 'Matrix of Key Stage 3' });
    const timed = matrix.getByRole('radio', { name: 'Social media: Acceptable at certain times' });
    const banned = matrix.getByRole('radio', { name: 'Social media: Unacceptable', exact: true });
    await timed.waitFor();
    assert.equal(await timed.isChecked(), true, 'the seed policy allows social media at certain times for KS3');

    // The illegal lists are shown, and cannot be touched.
    const csam = matrix.getByRole('radio', { name: 'Child sexual abuse content (IWF list): Acceptable', exact: true });
    assert.equal(await csam.isDisabled(), true);
    assert.equal(await matrix.getByText('Locked: from the national list, no one can allow it').count(), 2);

    await banned.check();
    await manager.getByRole('status').filter({ hasText: '1 unsaved change: Social media.' }).waitFor();
    const save = manager.getByRole('button', { name: 'Save changes' });
    assert.equal(await save.isDisabled(), true, 'no reason, no save');
    // Too short a reason: the server refuses, the page says why and keeps the draft.
    await manager.getByLabel('Reason for the change').fill('ok');
    await save.click();
    await manager.getByRole('alert').filter({ hasText: 'Give a reason' }).waitFor();
    await manager.getByRole('status').filter({ hasText: '1 unsaved change: Social media.' }).waitFor();
    assert.equal(await banned.isChecked(), true);

    await manager.getByLabel('Reason for the change').fill('Year 8 misuse of social media in lessons');
    await save.click();
    await manager.getByRole('status').filter({ hasText: 'Saved 1 change to Key Stage 3.' }).waitFor();
    await manager.getByRole('status').filter({ hasText: 'No unsaved changes.' }).waitFor();

    await manager.reload();
    await manager.getByRole('region', { name: 'Matrix of Key Stage 3' }).waitFor();
    assert.equal(
      await manager.getByRole('radio', { name: 'Social media: Unacceptable', exact: true }).isChecked(),
      true,
      'the change was stored',
    );

    // Online shopping is for nominated users: name a class.
    const shopping = manager.getByRole('group', { name: 'Nominated users (Online shopping and commerce)' });
    await shopping.getByLabel('Add a group').selectOption({ label: '8B History' });
    await shopping.getByText('8B History').waitFor();
    await manager.getByLabel('Reason for the change').fill('Enterprise project buys supplies');
    await manager.getByRole('button', { name: 'Save changes' }).click();
    await manager.getByRole('status').filter({ hasText: 'Saved 1 change to Key Stage 3.' }).waitFor();
    await manager.reload();
    await manager
      .getByRole('group', { name: 'Nominated users (Online shopping and commerce)' })
      .getByRole('button', { name: 'Remove 8B History' })
      .waitFor();

    await openFiltering(manager, 'Change-control log');
    const log = manager.getByRole('region', { name: 'Changes' });
    const row = log.getByRole('row').filter({ hasText: 'Year 8 misuse of social media in lessons' });
    await row.waitFor();
    assert.equal(await row.count(), 1);
    assert.match((await row.textContent()) ?? '', /Nina Network/);
    assert.match((await row.textContent()) ?? '', /social_media|Social media/);
    const csv = await manager.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
    assert.match(csv ?? '', /^\/api\/filter\/changes\.csv/);

    // Governors read the same log, and nothing else of filtering.
    const governor = await h.newPage();
    await signIn(governor, 'gail.governor');
    await governor.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Filtering' }).click();
    await governor
      .getByRole('region', { name: 'Changes' })
      .getByRole('row')
      .filter({ hasText: 'Year 8 misuse of social media in lessons' })
      .waitFor();
    const screens = await governor.getByRole('navigation', { name: 'Filtering' }).getByRole('link').allTextContents();
    assert.deepEqual(screens, ['Change-control log']);
  });

  it('shows why a site is blocked, and a report from the block page reaches the network manager', async () => {
    await openFiltering(manager, 'Local lists');
    const add = manager.getByRole('form', { name: 'Add to this list' });
    await add.getByLabel('Site').fill(BLOCKED);
    await add.getByLabel('Report it as').selectOption({ label: 'Gambling' });
    await add.getByLabel('Reason for the change').fill('Reported by a parent');
    await add.getByRole('button', { name: 'Add to the list' }).click();
    await manager.getByRole('region', { name: 'List entries' }).getByRole('rowheader', { name: BLOCKED }).waitFor();

    // The test screen explains the decision the block page will show.
    await openFiltering(manager, 'Test a URL');
    await manager.getByLabel('Site or address').fill(`${BLOCKED}/slots`);
    await manager.getByLabel('Person').fill('sam');
    await manager.getByRole('button', { name: 'Choose Sam Teacher' }).click();
    await manager.getByRole('button', { name: 'Test', exact: true }).click();
    const result = manager.getByRole('region', { name: /Blocked/ });
    await result.waitFor();
    const explained = (await result.textContent()) ?? '';
    assert.match(explained, /Sam Teacher/);
    assert.match(explained, /Staff/);
    assert.match(explained, /Gambling/);
    assert.match(explained, /school_list/);

    // Someone who is not signed in, on a phone.
    const pupil = await h.newPage({ viewport: { width: 390, height: 800 } });
    await pupil.goto(`/blocked?target=${encodeURIComponent(`http://${BLOCKED}/slots`)}`);
    await pupil.getByRole('heading', { level: 1, name: 'This site is blocked' }).waitFor();
    assert.equal(await pupil.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), true, 'fits a phone');
    const why = pupil.getByRole('region', { name: 'Why' });
    await why.waitFor();
    assert.match((await why.textContent()) ?? '', /Gambling/);
    assert.match((await why.textContent()) ?? '', /school's own list/);
    assert.equal(await pupil.getByRole('link', { name: 'Request an unblock' }).count(), 0, 'only signed-in staff can ask');
    await pupil.getByLabel('Comment (optional)').fill('We need this for a maths lesson on probability');
    await pupil.getByRole('button', { name: 'This should not be blocked' }).click();
    await pupil.getByText('Thank you. Your report has been sent').waitFor();

    await openFiltering(manager, 'Reported sites');
    const reports = manager.getByRole('region', { name: 'Reports' });
    const row = reports.getByRole('row').filter({ hasText: 'maths lesson on probability' });
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /Should not be blocked/);
    assert.match((await row.textContent()) ?? '', /Gambling/);
    await row.getByRole('textbox').fill('Allowed for the maths department instead');
    await row.getByRole('button', { name: /^Resolve the report/ }).click();
    await manager.getByRole('status').filter({ hasText: 'resolved' }).waitFor();
    await manager.getByText('No reports.').waitFor();
    assert.deepEqual(h.pageErrors, []);
  });

  it('shows new decisions in the live feed, newest first, with blocked ones marked', async () => {
    await openFiltering(manager, 'Live feed');
    await manager.getByRole('status').filter({ hasText: 'No decisions yet.' }).waitFor();
    const { ctx, schoolId } = h;
    const base = {
      school_id: schoolId,
      source: 'dns',
      person_id: null,
      device_id: null,
      client_address: '10.20.0.7',
      url: null,
      policy_version: 3,
      profile_id: null,
    };
    const now = ctx.clock().getTime();
    await ctx.db
      .insertInto('activity_events')
      .values([
        {
          ...base,
          id: newId(),
          at: new Date(now + 1_000).toISOString(),
          source: 'proxy',
          host: 'www.google.com',
          url: 'www.google.com/search?q=volcano+facts',
          search_terms: 'volcano facts',
          category: null,
          action: 'allow',
          rule: 'profile_default',
        },
        {
          ...base,
          id: newId(),
          at: new Date(now + 2_000).toISOString(),
          host: BLOCKED,
          search_terms: null,
          category: 'gambling',
          action: 'block',
          rule: 'school_list',
        },
      ])
      .execute();
    // The feed polls; the rows arrive without a reload.
    const feed = manager.getByRole('region', { name: 'Decisions' });
    await feed.getByRole('rowheader', { name: BLOCKED }).waitFor();
    await feed.getByRole('rowheader', { name: 'www.google.com/search?q=volcano+facts' }).waitFor();
    const sites = await feed.getByRole('rowheader').allTextContents();
    assert.deepEqual(sites, [BLOCKED, 'www.google.com/search?q=volcano+facts'], 'newest first');
    const blockedRow = feed.getByRole('row').filter({ has: manager.getByRole('rowheader', { name: BLOCKED }) });
    assert.match((await blockedRow.getAttribute('class')) ?? '', /row-blocked/);
    assert.match((await blockedRow.textContent()) ?? '', /Blocked/);
    assert.match((await feed.textContent()) ?? '', /volcano facts/);
    await manager.getByLabel('Only blocked').check();
    assert.deepEqual(await feed.getByRole('rowheader').allTextContents(), [BLOCKED]);
  });

  it('needs both the network manager and the DSL to approve a teacher’s unblock request', async () => {
    const teacher = await h.newPage();
    await signIn(teacher, 'sam.teacher');
    await teacher.getByRole('heading', { level: 1, name: 'Hello, Sam Teacher' }).waitFor();
    // Signed-in staff on the block page are offered the request form, with the site filled in.
    await teacher.goto(`/blocked?target=${BLOCKED}`);
    await teacher.getByRole('link', { name: 'Request an unblock' }).click();
    await teacher.getByRole('heading', { level: 1, name: 'Request an unblock' }).waitFor();
    assert.equal(await teacher.getByLabel('Site', { exact: true }).inputValue(), BLOCKED);

    await teacher.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Filtering' }).click();
    await teacher.getByRole('link', { name: 'Request an unblock' }).click();
    await teacher.getByLabel('Site', { exact: true }).fill('history-games.example');
    await teacher.getByLabel('Class or group').selectOption({ label: '8B History' });
    // From the server's (test) clock, so the approved exception is in force on it.
    await teacher.getByLabel('From').fill(localInput(h.ctx.clock()));
    await teacher.getByLabel('Until').fill(localInput(new Date(h.ctx.clock().getTime() + 2 * 3_600_000)));
    await teacher.getByLabel('Why the class needs it').fill('Source analysis game for the Tudors topic');
    await teacher.getByRole('button', { name: 'Send for approval' }).click();
    const mine = teacher.getByRole('listitem', { name: 'Unblock request: history-games.example for 8B History' });
    await mine.waitFor();
    await mine.getByText('Waiting for approval').waitFor();
    await mine.getByText('Technical: not yet approved').waitFor();
    await mine.getByText('Safeguarding: not yet approved').waitFor();

    await openFiltering(manager, 'Unblock requests');
    const queued = manager
      .getByRole('region', { name: 'Requests to decide' })
      .getByRole('listitem', { name: 'Unblock request: history-games.example for 8B History' });
    await queued.getByRole('button', { name: 'Approve as technical' }).click();
    await queued.getByText('Technical: approved by Nina Network').waitFor();
    await queued.getByText('Waiting for approval').waitFor();
    assert.equal(await queued.getByRole('button', { name: /^Approve/ }).count(), 0, 'one person gives one approval');

    const dsl = await h.newPage();
    await signInWithTotp(h, dsl, 'dee.dsl', secrets);
    // The DSL reads the matrix but cannot change it.
    await openFiltering(dsl, 'Profiles');
    await dsl.getByRole('button', { name: 'View the matrix of Key Stage 3' }).click();
    const readOnly = dsl.getByRole('region', { name: 'Matrix of Key Stage 3' });
    assert.equal(await readOnly.getByRole('radio', { name: 'Gambling: Acceptable', exact: true }).isDisabled(), true);
    assert.equal(await dsl.getByRole('button', { name: 'Save changes' }).count(), 0);

    await openFiltering(dsl, 'Unblock requests');
    const forDsl = dsl
      .getByRole('region', { name: 'Requests to decide' })
      .getByRole('listitem', { name: 'Unblock request: history-games.example for 8B History' });
    await forDsl.getByRole('button', { name: 'Approve as safeguarding' }).click();
    await forDsl.getByText('Safeguarding: approved by Dee Dsl').waitFor();
    await forDsl.getByText('Approved', { exact: true }).waitFor();

    // The approval made an exception for that class only.
    await manager.reload();
    const exception = manager
      .getByRole('region', { name: 'Exceptions', exact: true })
      .getByRole('row')
      .filter({ has: manager.getByRole('rowheader', { name: 'history-games.example' }) });
    await exception.getByText('8B History').waitFor();
    await exception.getByText('In force').waitFor();

    await teacher.reload();
    await mine.getByText('Approved', { exact: true }).waitFor();
    await mine.getByText('Technical: approved by Nina Network').waitFor();
    await mine.getByText('Safeguarding: approved by Dee Dsl').waitFor();
    assert.deepEqual(h.pageErrors, []);
  });

  it('keeps the school day, subnets, devices and sanctions, each change with its reason', async () => {
    await openFiltering(manager, 'Time windows');
    const windows = manager.getByRole('region', { name: 'Time windows' });
    await windows.waitFor();
    const before = await windows.getByRole('row').count();
    await manager.getByRole('button', { name: 'Add a window' }).click();
    await manager.getByLabel(`Window ${before}: part of the week`).selectOption({ label: 'Evening' });
    await manager.getByRole('form', { name: 'Time windows' }).getByLabel('Reason for the change').fill('Homework club runs late');
    await manager.getByRole('button', { name: 'Save time windows' }).click();
    await manager.getByRole('status').filter({ hasText: 'Time windows saved.' }).waitFor();
    await manager.reload();
    await manager.getByRole('region', { name: 'Time windows' }).waitFor();
    assert.equal(
      await manager.getByRole('region', { name: 'Time windows' }).getByRole('row').count(),
      before + 1,
      'the new window was stored',
    );

    const holiday = manager.getByRole('form', { name: 'Add a holiday' });
    await holiday.getByLabel('Holiday name').fill('Spring half term');
    await holiday.getByLabel('First day').fill('2027-02-15');
    await holiday.getByLabel('Last day').fill('2027-02-19');
    await holiday.getByLabel('Reason for the change').fill('Term dates for 2026-27');
    await holiday.getByRole('button', { name: 'Add holiday' }).click();
    await manager.getByRole('region', { name: 'Holidays' }).getByRole('rowheader', { name: 'Spring half term' }).waitFor();

    await openFiltering(manager, 'Devices and subnets');
    const subnet = manager.getByRole('form', { name: 'Add a subnet' });
    await subnet.getByLabel('Subnet name').fill('Guest Wi-Fi');
    await subnet.getByLabel('Range').fill('10.99.0.0/16');
    await subnet.getByLabel('Profile').selectOption({ label: 'Guests' });
    await subnet.getByLabel('Reason for the change').fill('Visitors get the guest profile');
    await subnet.getByRole('button', { name: 'Add subnet' }).click();
    const subnets = manager.getByRole('region', { name: 'Subnets', exact: true });
    await subnets.getByRole('rowheader', { name: 'Guest Wi-Fi' }).waitFor();
    assert.match((await subnets.textContent()) ?? '', /Guests/);

    const device = manager.getByRole('form', { name: 'Add a device' });
    await device.getByLabel('Device name').fill('Library PC 3');
    await device.getByLabel('IP address').fill('10.20.0.50');
    await device.getByLabel('Profile (when no person)').selectOption({ label: 'Key Stage 3' });
    await device.getByLabel('Reason for the change').fill('New library machine');
    await device.getByRole('button', { name: 'Add device' }).click();
    const devices = manager.getByRole('region', { name: 'Devices', exact: true });
    await devices.getByRole('rowheader', { name: 'Library PC 3' }).waitFor();
    await manager.getByRole('button', { name: 'Remove Library PC 3' }).click();
    const removal = manager.getByRole('form', { name: 'Remove Library PC 3' });
    await removal.getByRole('button', { name: 'Confirm remove' }).waitFor();
    assert.equal(await removal.getByRole('button', { name: 'Confirm remove' }).isDisabled(), true, 'no reason, no removal');
    await removal.getByLabel('Reason to remove').fill('Machine sent for repair');
    await removal.getByRole('button', { name: 'Confirm remove' }).click();
    await manager.getByText('No devices.').waitFor();

    await openFiltering(manager, 'Sanctions');
    await manager.getByLabel('Person').fill('pip');
    await manager.getByRole('button', { name: 'Choose Pip Pupil' }).click();
    await manager.getByLabel('Sites still allowed (optional)').fill('learning.example');
    await manager.getByLabel('Reason for the change').fill('Removal of internet access rights after misuse');
    await manager.getByRole('button', { name: 'Remove internet access' }).click();
    const sanctions = manager.getByRole('region', { name: 'Sanctions' });
    const sanction = sanctions.getByRole('row').filter({ has: manager.getByRole('rowheader', { name: 'Pip Pupil' }) });
    await sanction.waitFor();
    assert.match((await sanction.textContent()) ?? '', /learning\.example/);
    // The test server's clock stands still; move it on so the lift is the newer change.
    h.ctx.clock.advance(1);
    await sanction.getByRole('button', { name: 'Lift the sanction on Pip Pupil' }).click();
    await sanction.getByLabel('Reason to lift').fill('Apology accepted');
    await sanction.getByRole('button', { name: 'Confirm lift' }).click();
    await sanction.getByText(/^Lifted /).waitFor();

    await openFiltering(manager, 'Change-control log');
    await manager.getByLabel('What changed').selectOption({ label: 'Sanctions' });
    await manager.getByRole('button', { name: 'Filter', exact: true }).click();
    const log = manager.getByRole('region', { name: 'Changes' });
    // The unfiltered log already holds the sanction rows, so wait for the other kinds to go.
    await log.getByRole('row').filter({ hasText: 'Machine sent for repair' }).waitFor({ state: 'detached' });
    await log.getByRole('row').filter({ hasText: 'Apology accepted' }).waitFor();
    const reasons = await log.locator('tbody tr td:last-child').allTextContents();
    assert.deepEqual(reasons, ['Apology accepted', 'Removal of internet access rights after misuse'], 'only sanctions, newest first');
    assert.deepEqual(h.pageErrors, []);
  });

  it('opens every screen of the section for the network manager without an error', async () => {
    await manager.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Filtering' }).click();
    const screens = await manager.getByRole('navigation', { name: 'Filtering' }).getByRole('link').allTextContents();
    assert.deepEqual(screens, [
      'Categories and lists',
      'Profiles',
      'Time windows',
      'Local lists',
      'Test a URL',
      'Unblock requests',
      'Reported sites',
      'Change-control log',
      'Live feed',
      'Devices and subnets',
      'Sanctions',
      'Settings',
    ]);
    for (const screen of screens) {
      await manager.getByRole('navigation', { name: 'Filtering' }).getByRole('link', { name: screen }).click();
      await manager.getByRole('heading', { level: 1 }).waitFor();
      // Everything the screen asked for has arrived (or failed) once no "Loading" line is left.
      await manager.waitForFunction("![...document.querySelectorAll('[role=status]')].some((e) => /^Loading/.test(e.textContent ?? ''))");
      assert.equal(await manager.getByRole('alert').count(), 0, `${screen} shows no error`);
    }
    await openFiltering(manager, 'Categories and lists');
    const lists = manager.getByRole('region', { name: 'Category lists' });
    await lists.getByRole('rowheader', { name: /Gambling/ }).waitFor();
    await lists
      .getByRole('rowheader', { name: /Child sexual abuse content/ })
      .getByText('Locked')
      .waitFor();
    assert.deepEqual(h.pageErrors, []);
  });

  it('updates the category lists now, and shows the counts and what the import changed', async () => {
    await openFiltering(manager, 'Categories and lists');
    const lists = manager.getByRole('region', { name: 'Category lists' });
    const gambling = lists.getByRole('row').filter({ has: manager.getByRole('rowheader', { name: 'Gambling' }) });
    await gambling.waitFor();
    const cell = async (n: number) => Number(((await gambling.getByRole('cell').nth(n).textContent()) ?? '').replace(/\D/g, ''));
    const domains = () => cell(0);
    assert.equal(await domains(), 0, 'nothing imported yet');

    await manager
      .getByRole('form', { name: 'Update lists now' })
      .getByLabel('Reason for the change')
      .fill('First import of the category lists');
    await manager.getByRole('button', { name: 'Update lists now' }).click();
    await manager.getByRole('status').filter({ hasText: 'The category lists have been updated.' }).waitFor({ timeout: 60_000 });
    const report = manager.getByRole('region', { name: 'Last import' });
    await report.getByText('Applied').waitFor();
    const changed = manager.getByRole('region', { name: 'Changes in the last import' });
    const added = Number(
      ((await changed.getByRole('row').filter({ hasText: 'Gambling' }).getByRole('cell').first().textContent()) ?? '').replace(/\D/g, ''),
    );
    assert.ok(added > 0, 'the import added gambling domains');
    await manager.waitForFunction(
      "[...document.querySelectorAll('[aria-label=\"Category lists\"] tr')].some((r) => r.querySelector('th')?.textContent?.trim() === 'Gambling' && /[1-9]/.test(r.querySelector('td')?.textContent ?? ''))",
    );
    // The import counts domains and addresses together; the table shows them apart.
    assert.equal((await domains()) + (await cell(1)), added, 'the table shows the lists now in force');
    assert.deepEqual(h.pageErrors, []);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { newId } from '../../src/db/ids.js';
import type { MonitorAlertTable } from '../../src/db/tables.js';
import { addUser, TEST_PASSWORD } from '../../src/testing/fixtures.js';
import { ApiClient } from '../../src/testing/http.js';
import { signIn, signInWithTotp, startHarness, type Harness } from './harness.js';

type Severity = MonitorAlertTable['severity'];

interface SeedAlert {
  personId: string | null;
  who: string;
  profile: MonitorAlertTable['profile'];
  category: string;
  severity: Severity;
  baseSeverity?: Severity;
  /** The excerpt with the matched words in [brackets]; the brackets become the highlight offsets. */
  text: string;
  term: string;
  count?: number;
  minutesAgo: number;
  source?: string;
  kind?: string;
}

describe('the DSL triage queue (browser)', () => {
  let h: Harness;
  const secrets = new Map<string, string>();
  const ids: Record<string, string> = {};
  let pipId = '';
  let adaId = '';

  /** An alert as the analyser would store it: the excerpt with offsets of the match inside it. */
  const seed = async (name: string, a: SeedAlert): Promise<void> => {
    const start = a.text.indexOf('[');
    const end = a.text.indexOf(']') - 1;
    const excerpt = a.text.replace('[', '').replace(']', '');
    const now = h.ctx.clock().getTime();
    const last = new Date(now - a.minutesAgo * 60_000).toISOString();
    const first = new Date(now - (a.minutesAgo + 30) * 60_000).toISOString();
    const id = newId();
    ids[name] = id;
    await h.ctx.db
      .insertInto('monitor_alerts')
      .values({
        id,
        school_id: h.schoolId,
        person_id: a.personId,
        who: a.who,
        profile: a.profile,
        category: a.category,
        severity: a.severity,
        base_severity: a.baseSeverity ?? a.severity,
        risk_raised: a.baseSeverity && a.baseSeverity !== a.severity ? 1 : 0,
        entry_id: `en-${a.category}-${a.term.replace(/\W+/g, '-')}`,
        term: a.term,
        matched: excerpt.slice(start, end),
        source: a.source ?? 'capture:Office 365 mail',
        event_kind: a.kind ?? 'email',
        event_id: null,
        device: 'LAPTOP-0042',
        url: a.kind === 'search' ? 'https://www.google.com/search?q=example' : null,
        excerpt,
        highlight_start: start,
        highlight_end: end,
        fold_key: `${a.personId ?? a.who}|${a.category}|${a.term}`,
        count: a.count ?? 1,
        first_at: first,
        last_at: last,
        status: 'open',
        fp_reason: null,
        resolved_by: null,
        resolved_at: null,
        incident_id: null,
        keywords_version: 1,
        created_at: first,
      })
      .execute();
  };

  const alertRow = async (id: string) => h.ctx.db.selectFrom('monitor_alerts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  const queue = (page: Page) => page.getByRole('table', { name: 'Alerts' });
  const rowWith = (page: Page, text: string) => queue(page).locator('tbody tr').filter({ hasText: text });
  const severities = async (page: Page) =>
    (await queue(page).locator('tbody td[data-label="Severity"]').allTextContents()).map((s) => s.trim());

  before(async () => {
    h = await startHarness();
    h.ctx.clock.set(new Date());
    await addUser(h.ctx, h.schoolId, 'dee.dsl', ['staff', 'dsl']);
    await addUser(h.ctx, h.schoolId, 'sam.teacher', ['staff']);
    pipId = (await addUser(h.ctx, h.schoolId, 'pip.pupil', ['student'], { yearGroup: 8 })).personId;
    adaId = (await addUser(h.ctx, h.schoolId, 'ada.lovelace', ['student'], { yearGroup: 10 })).personId;
    const now = h.ctx.clock().toISOString();
    const tutorGroupId = newId();
    await h.ctx.db
      .insertInto('groups')
      .values({
        id: tutorGroupId,
        school_id: h.schoolId,
        kind: 'tutor_group',
        name: '10L Lovelace',
        code: '10L',
        year_group: 10,
        subject: null,
        status: 'active',
        created_at: now,
        updated_at: now,
      })
      .execute();
    await h.ctx.db.insertInto('group_members').values({ group_id: tutorGroupId, person_id: adaId, member_role: 'member' }).execute();

    // Seeded in an order unlike the queue's, so the sort is the server's and not the insert order.
    await seed('gamblingAda', {
      personId: adaId,
      who: 'Ada Lovelace',
      profile: 'ks4',
      category: 'gambling',
      severity: 'low',
      text: 'anyone know a good [betting site] that takes paypal',
      term: 'betting site',
      minutesAgo: 5,
      kind: 'search',
      source: 'filter:proxy',
    });
    await seed('bullyingAda', {
      personId: adaId,
      who: 'Ada Lovelace',
      profile: 'ks4',
      category: 'bullying',
      severity: 'high',
      baseSeverity: 'medium',
      text: 'honestly [nobody likes you] just leave the group',
      term: 'nobody likes you',
      count: 50,
      minutesAgo: 20,
      kind: 'chat',
      source: 'capture:Teams chat',
    });
    await seed('selfHarmPip', {
      personId: pipId,
      who: 'Pip Pupil',
      profile: 'ks3',
      category: 'self_harm',
      severity: 'critical',
      text: 'i cant do this anymore i want to [kms] tonight',
      term: 'kms',
      minutesAgo: 40,
      kind: 'typed',
      source: 'capture:Typed text',
    });
    await seed('drugsPip', {
      personId: pipId,
      who: 'Pip Pupil',
      profile: 'ks3',
      category: 'drugs',
      severity: 'medium',
      text: 'the history of [opium] wars in china for homework',
      term: 'opium',
      minutesAgo: 10,
      kind: 'search',
      source: 'filter:proxy',
    });
    await seed('gamblingUnknown', {
      personId: null,
      who: '10.20.0.77',
      profile: 'unknown',
      category: 'gambling',
      severity: 'low',
      text: 'free spins [online casino] no deposit',
      term: 'online casino',
      minutesAgo: 15,
      kind: 'search',
      source: 'squid@proxy1',
    });
  });
  after(async () => {
    await h?.close();
  });

  it('shows critical first, filters from the address, and opens an alert with the match highlighted', async () => {
    const page = await h.newPage();
    await signInWithTotp(h, page, 'dee.dsl', secrets);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Monitoring' }).click();
    await page.getByRole('heading', { level: 1, name: 'Alerts' }).waitFor();
    await page.getByRole('status').filter({ hasText: '5 alerts found' }).waitFor();
    assert.deepEqual(await severities(page), ['Critical', 'High', 'Medium', 'Low', 'Low'], 'most serious first, then latest first');
    const low = await queue(page).locator('tbody th[data-label="Who"]').allTextContents();
    assert.equal(low[3], 'Ada Lovelace', 'of the two lows the later comes first');
    assert.match(low[4] ?? '', /^10\.20\.0\.77 \(not identified\)$/, 'an unidentified alert shows the address it came from');
    const folded = rowWith(page, 'nobody likes you').locator('td[data-label="Count"]');
    assert.equal(await folded.locator('[aria-hidden="true"]').textContent(), '×50', 'fifty repeats folded into one alert');
    assert.equal(await folded.locator('.visually-hidden').textContent(), '50 times', 'and read out in words');
    assert.match(await page.getByRole('navigation', { name: 'Monitoring' }).innerText(), /5 open, 1 critical/);

    // Filtering by category narrows the list and is kept in the address.
    await page.getByLabel('Category').selectOption({ label: 'Bullying' });
    await page.getByRole('status').filter({ hasText: '1 alert found' }).waitFor();
    assert.equal(new URL(page.url()).searchParams.get('category'), 'bullying');
    assert.deepEqual(await severities(page), ['High']);
    await page.reload();
    await page.getByRole('status').filter({ hasText: '1 alert found' }).waitFor();
    assert.equal(await page.getByLabel('Category').inputValue(), 'bullying', 'a link reproduces the view');

    // The group filter keeps the alerts of the tutor group's members.
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByLabel('Group').selectOption({ label: '10L Lovelace' });
    await page.getByRole('status').filter({ hasText: '2 alerts found' }).waitFor();
    assert.deepEqual(await severities(page), ['High', 'Low']);

    // The person filter finds Pip by name.
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByLabel('Person').fill('Pip');
    await page.getByRole('list', { name: 'People matching Pip' }).getByRole('button', { name: 'Pip Pupil' }).click();
    await page.getByRole('status').filter({ hasText: '2 alerts found' }).waitFor();
    assert.equal(new URL(page.url()).searchParams.get('person'), pipId);
    assert.deepEqual(await severities(page), ['Critical', 'Medium']);

    await rowWith(page, 'kms').getByRole('link', { name: 'Pip Pupil' }).click();
    await page.getByRole('heading', { level: 1, name: 'Critical alert: Self-harm' }).waitFor();
    assert.equal(new URL(page.url()).pathname, `/monitoring/alerts/${ids.selfHarmPip}`);
    const seen = page.getByLabel('What was seen');
    assert.equal(await seen.locator('mark').innerText(), 'kms', 'only the matched words are marked');
    assert.equal(await seen.innerText(), 'i cant do this anymore i want to kms tonight');
    const details = page.locator('dl.details');
    assert.match(await details.innerText(), /Pip Pupil, Year 8/);
    await page.getByRole('list', { name: 'Related alerts' }).getByRole('link', { name: 'Drugs and substance misuse: “opium”' }).waitFor();

    // A note, added and shown with its author.
    const note = page.getByRole('form', { name: 'Add a note' });
    assert.equal(await note.getByRole('button', { name: 'Add the note' }).isDisabled(), true, 'an empty note cannot be sent');
    await note.getByLabel('Note').fill('Spoke to Pip at break; mum phoned.');
    await note.getByRole('button', { name: 'Add the note' }).click();
    await page.getByRole('list', { name: 'Notes' }).getByText('Spoke to Pip at break; mum phoned.').waitFor();
    assert.match(await page.getByRole('list', { name: 'Notes' }).innerText(), /Dee Dsl/);
    assert.deepEqual(h.pageErrors, []);
  });

  it('marks a false positive with a reason, bulk-closes two and reports what was skipped', async () => {
    const page = await h.newPage();
    await signInWithTotp(h, page, 'dee.dsl', secrets);
    await page.goto(`/monitoring/alerts/${ids.drugsPip}`);
    await page.getByRole('heading', { level: 1, name: 'Medium alert: Drugs and substance misuse' }).waitFor();
    await page.getByRole('button', { name: 'Mark false positive' }).click();
    const fp = page.getByRole('form', { name: 'Mark as a false positive' });
    assert.equal(await fp.getByRole('button', { name: 'Mark false positive' }).isDisabled(), true, 'a reason is required');
    // Too short a reason: the server refuses, the page says so and the alert stays open.
    await fp.getByLabel('Why is this a false positive?').fill('no');
    await fp.getByRole('button', { name: 'Mark false positive' }).click();
    await fp.getByRole('alert').waitFor();
    assert.equal((await alertRow(ids.drugsPip!)).status, 'open');
    await fp.getByLabel('Why is this a false positive?').fill('History homework about the Opium Wars');
    await fp.getByRole('button', { name: 'Mark false positive' }).click();
    await page
      .locator('dl.details')
      .getByText(/False positive by .*: History homework about the Opium Wars/)
      .waitFor();
    const marked = await alertRow(ids.drugsPip!);
    assert.equal(marked.status, 'false_positive');
    assert.equal(marked.fp_reason, 'History homework about the Opium Wars');
    // A resolved alert can only be reopened.
    await page.getByRole('button', { name: 'Reopen' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Escalate to a safeguarding incident' }).count(), 0);

    await page.getByRole('link', { name: 'Back to alerts' }).click();
    await page.getByRole('status').filter({ hasText: '4 alerts found' }).waitFor();
    await rowWith(page, 'betting site').getByRole('checkbox').check();
    await rowWith(page, 'online casino').getByRole('checkbox').check();
    await page.getByText('2 alerts selected').waitFor();
    await page.getByRole('region', { name: 'Act on selected alerts' }).getByRole('button', { name: 'Close' }).click();
    await page.getByRole('region', { name: 'Result of the bulk action' }).getByText('2 alerts closed.').waitFor();
    await page.getByRole('status').filter({ hasText: '2 alerts closed.' }).waitFor();
    await page.getByRole('status').filter({ hasText: '2 alerts found' }).waitFor();
    assert.equal((await alertRow(ids.gamblingAda!)).status, 'closed');
    assert.equal((await alertRow(ids.gamblingUnknown!)).status, 'closed');

    // Closing again from the "all" view: the open one closes, the resolved ones are skipped with a reason.
    await page.getByLabel('Status').selectOption({ label: 'All' });
    await page.getByRole('status').filter({ hasText: '5 alerts found' }).waitFor();
    await rowWith(page, 'nobody likes you').getByRole('checkbox').check();
    await rowWith(page, 'online casino').getByRole('checkbox').check();
    await page.getByRole('region', { name: 'Act on selected alerts' }).getByRole('button', { name: 'Close' }).click();
    const result = page.getByRole('region', { name: 'Result of the bulk action' });
    await result.getByText('1 alert closed.').waitFor();
    const skipped = await result.getByRole('list', { name: 'Skipped alerts' }).innerText();
    assert.match(skipped, /^10\.20\.0\.77, Gambling: \S/, 'the skipped alert is named, with a reason');
    assert.equal((await alertRow(ids.bullyingAda!)).status, 'closed');

    // Bulk reopen brings one back to the queue.
    await rowWith(page, 'nobody likes you').getByRole('checkbox').check();
    await page.getByRole('region', { name: 'Act on selected alerts' }).getByRole('button', { name: 'Reopen' }).click();
    await result.getByText('1 alert reopened.').waitFor();
    assert.equal((await alertRow(ids.bullyingAda!)).status, 'open');

    // Another DSL closes an alert while it is ticked here: it is skipped, and still named after it leaves the queue.
    await page.getByLabel('Status').selectOption({ label: 'Open' });
    await page.getByRole('status').filter({ hasText: '2 alerts found' }).waitFor();
    await rowWith(page, 'nobody likes you').getByRole('checkbox').check();
    await h.ctx.db.updateTable('monitor_alerts').set({ status: 'closed' }).where('id', '=', ids.bullyingAda!).execute();
    await page.getByRole('region', { name: 'Act on selected alerts' }).getByRole('button', { name: 'Close' }).click();
    await result.getByText('0 alerts closed.').waitFor();
    assert.match(await result.getByRole('list', { name: 'Skipped alerts' }).innerText(), /^Ada Lovelace, Bullying: \S/);
    await page.getByRole('status').filter({ hasText: '1 alert found' }).waitFor();
    assert.deepEqual(h.pageErrors, []);
  });

  it('escalates an alert to a safeguarding incident, prefilled, and lands on it', async () => {
    const page = await h.newPage();
    await signInWithTotp(h, page, 'dee.dsl', secrets);
    await page.goto(`/monitoring/alerts/${ids.selfHarmPip}`);
    await page.getByRole('heading', { level: 1, name: 'Critical alert: Self-harm' }).waitFor();
    await page.getByRole('button', { name: 'Escalate to a safeguarding incident' }).click();
    const form = page.getByRole('form', { name: 'Escalate to a safeguarding incident' });
    const summary = form.getByLabel('Summary');
    await summary.waitFor();
    const prefilled = await summary.inputValue();
    assert.ok(prefilled.trim().length > 0, 'the summary is prefilled from the alert');
    assert.ok((await form.getByLabel('What happened').inputValue()).includes('kms'), 'the description carries the words seen');
    assert.equal(await form.getByLabel('Incident category').inputValue(), 'self_harm_suicide');
    await form.getByRole('button', { name: 'Open the incident' }).click();
    await page.waitForURL(/\/incidents\/[^/]+$/);
    await page.getByRole('heading', { level: 1, name: /^Incident / }).waitFor();
    await page.getByText(prefilled, { exact: true }).first().waitFor();
    const incidentId = new URL(page.url()).pathname.split('/').pop();
    const escalated = await alertRow(ids.selfHarmPip!);
    assert.equal(escalated.status, 'escalated');
    assert.equal(escalated.incident_id, incidentId);

    // The escalated alert links to its incident and offers no more actions.
    await page.goto(`/monitoring/alerts/${ids.selfHarmPip}`);
    await page.getByRole('link', { name: 'open the safeguarding incident' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'open the safeguarding incident' }).getAttribute('href'), `/incidents/${incidentId}`);
    assert.equal(await page.getByRole('heading', { name: 'Actions' }).count(), 0);
    assert.deepEqual(h.pageErrors, []);
  });

  it('works on a phone: one card per alert, nothing wider than the screen', async () => {
    const page = await h.newPage({ viewport: { width: 375, height: 740 } });
    await signInWithTotp(h, page, 'dee.dsl', secrets);
    await page.goto('/monitoring/alerts?status=all');
    await page.getByRole('status').filter({ hasText: '5 alerts found' }).waitFor();
    const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
    const card = rowWith(page, 'nobody likes you');
    const box = await card.boundingBox();
    assert.ok(box && box.width <= 375, 'a card fits the screen');
    // Keyboard alone: focus the tick box and press Space.
    await card.getByRole('checkbox').focus();
    await page.keyboard.press('Space');
    await page.getByText('1 alert selected').waitFor();
    await page.getByLabel('Select all on this page').check();
    await page.getByText('5 alerts selected').waitFor();
    assert.deepEqual(h.pageErrors, []);
  });

  it('says plainly when an alert does not exist', async () => {
    const page = await h.newPage();
    await signInWithTotp(h, page, 'dee.dsl', secrets);
    await page.goto(`/monitoring/alerts/${newId()}`);
    await page.getByRole('alert').getByText('This alert does not exist, or you may not read it.').waitFor();
    assert.deepEqual(h.pageErrors, []);
  });

  it('offers no escalation for an unidentified alert, and closes one from its page', async () => {
    await seed('unknownExtremism', {
      personId: null,
      who: 'guest-wifi-17',
      profile: 'unknown',
      category: 'extremism',
      severity: 'high',
      text: 'how to join [national action] uk',
      term: 'national action',
      minutesAgo: 2,
      kind: 'search',
      source: 'squid@proxy1',
    });
    const page = await h.newPage();
    await signInWithTotp(h, page, 'dee.dsl', secrets);
    await page.goto(`/monitoring/alerts/${ids.unknownExtremism}`);
    await page.getByRole('heading', { level: 1, name: 'High alert: Extremism' }).waitFor();
    assert.match(await page.locator('dl.details').innerText(), /guest-wifi-17 \(not identified in the directory\)/);
    assert.equal(await page.getByRole('button', { name: 'Escalate to a safeguarding incident' }).count(), 0);
    assert.equal(await page.getByRole('link', { name: 'log a concern' }).getAttribute('href'), '/incidents/new');

    await page.getByRole('button', { name: 'Close', exact: true }).click();
    const close = page.getByRole('form', { name: 'Close the alert' });
    await close.getByLabel('Note (optional)').fill('Visitor network; passed to the network manager.');
    await close.getByRole('button', { name: 'Close the alert' }).click();
    await page
      .locator('dl.details')
      .getByText(/^Closed by Dee Dsl on /)
      .waitFor();
    assert.equal((await alertRow(ids.unknownExtremism!)).status, 'closed');
    // A closed alert can still turn out a false positive, or be reopened.
    await page.getByRole('button', { name: 'Mark false positive' }).waitFor();
    await page.getByRole('button', { name: 'Reopen' }).click();
    await page.locator('dl.details').getByText('Open', { exact: true }).waitFor();
    assert.equal((await alertRow(ids.unknownExtremism!)).status, 'open');
    assert.deepEqual(h.pageErrors, []);
  });

  it('shows the head only the alerts about staff', async () => {
    const staff = await addUser(h.ctx, h.schoolId, 'tom.teacher', ['staff']);
    await addUser(h.ctx, h.schoolId, 'hana.head', ['staff', 'head']);
    await seed('staffViolence', {
      personId: staff.personId,
      who: 'Tom Teacher',
      profile: 'staff',
      category: 'violence',
      severity: 'high',
      text: 'if he does that again i will [smash his face] in',
      term: 'smash his face',
      minutesAgo: 3,
      kind: 'email',
    });
    const page = await h.newPage();
    await signInWithTotp(h, page, 'hana.head', secrets);
    await page.goto('/monitoring/alerts');
    await page.getByRole('status').filter({ hasText: '1 alert found' }).waitFor();
    assert.deepEqual(await queue(page).locator('tbody th[data-label="Who"]').allTextContents(), ['Tom Teacher']);
    await page.goto(`/monitoring/alerts/${ids.bullyingAda}`);
    await page.getByRole('alert').getByText('This alert does not exist, or you may not read it.').waitFor();
    assert.equal(await page.getByText('nobody likes you').count(), 0, 'no pupil capture reaches the head');
    assert.deepEqual(h.pageErrors, []);
  });

  it('refuses a teacher: no Monitoring screen, and the API answers no', async () => {
    await seed('chatPip', {
      personId: pipId,
      who: 'Pip Pupil',
      profile: 'ks3',
      category: 'violence',
      severity: 'medium',
      text: 'meet me at the gates and [bring a knife]',
      term: 'bring a knife',
      minutesAgo: 1,
      kind: 'chat',
    });
    const page = await h.newPage();
    await signIn(page, 'sam.teacher');
    await page.locator('nav[aria-label="Main"]').waitFor({ state: 'attached' });
    await page.goto('/monitoring/alerts');
    await page.getByRole('heading', { name: 'You do not have permission to use monitoring.' }).waitFor();
    assert.equal(await page.getByRole('table', { name: 'Alerts' }).count(), 0);

    const teacher = new ApiClient(h.url);
    assert.equal((await teacher.signIn('sam.teacher', TEST_PASSWORD)).status, 200);
    const list = await teacher.get('/api/monitor/alerts');
    assert.ok([403, 404].includes(list.status), `the queue answered ${list.status}`);
    assert.ok(!JSON.stringify(list.body).includes('bring a knife'), 'no captured text reaches a teacher');
    const one = await teacher.get(`/api/monitor/alerts/${ids.chatPip}`);
    assert.ok([403, 404].includes(one.status), `an alert answered ${one.status}`);
    assert.ok(!JSON.stringify(one.body).includes('bring a knife'), 'no captured text reaches a teacher');
    const closed = await teacher.post(`/api/monitor/alerts/${ids.chatPip}/close`, {});
    assert.ok([403, 404].includes(closed.status), `closing answered ${closed.status}`);
    assert.equal((await alertRow(ids.chatPip!)).status, 'open');
    assert.deepEqual(h.pageErrors, []);
  });
});

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { addUser, TEST_PASSWORD } from '../../src/testing/fixtures.js';
import { ApiClient } from '../../src/testing/http.js';
import { navLinks, signIn, startHarness, type Harness } from './harness.js';

const NAMES = ['Pip', 'Pupil', 'Nia', 'Nine', 'Sam', 'Teacher'];

describe("the governors' incident figures (browser)", () => {
  let h: Harness;
  const references: string[] = [];

  before(async () => {
    h = await startHarness();
    // The page asks for the twelve months up to the browser's today.
    h.ctx.clock.set(new Date());
    await addUser(h.ctx, h.schoolId, 'sam.teacher', ['staff']);
    await addUser(h.ctx, h.schoolId, 'gail.governor', ['governor']);
    const pip = await addUser(h.ctx, h.schoolId, 'pip.pupil', ['student'], { yearGroup: 8 });
    const nia = await addUser(h.ctx, h.schoolId, 'nia.nine', ['student'], { yearGroup: 9 });
    const teacher = new ApiClient(h.url);
    assert.equal((await teacher.signIn('sam.teacher', TEST_PASSWORD)).status, 200);
    const daysAgo = (n: number) => new Date(h.ctx.clock().getTime() - n * 86_400_000).toISOString();
    const concerns = [
      { about: pip.personId, category: 'cyberbullying', summary: 'Pip Pupil sent unkind messages', when: daysAgo(3) },
      { about: nia.personId, category: 'cyberbullying', summary: 'Nia Nine was named in a group chat', when: daysAgo(20) },
      { about: nia.personId, category: 'inappropriate_content', summary: 'Nia Nine looked at unsuitable videos', when: daysAgo(40) },
    ];
    for (const c of concerns) {
      const res = await teacher.post('/api/incidents', {
        subjectKind: 'student',
        people: [{ personId: c.about, role: 'subject' }],
        summary: c.summary,
        description: `${c.summary}; Sam Teacher saw it happen.`,
        occurredAt: c.when,
        location: 'in_school',
        category: c.category,
        urgency: 'medium',
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      references.push(res.body.reference);
    }
  });
  after(async () => {
    await h?.close();
  });

  const assertNoNames = (text: string, where: string) => {
    // Whole words: "Same" in a trend is not "Sam".
    for (const secret of [...NAMES, ...references]) assert.doesNotMatch(text, new RegExp(`\\b${secret}\\b`), `${where} names ${secret}`);
  };

  it('shows a governor numbers by category, year and outcome with no name or reference, and downloads the anonymised log', async () => {
    const page = await h.newPage();
    await signIn(page, 'gail.governor');
    await page.getByRole('heading', { level: 1, name: 'Hello, Gail Governor' }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Incident figures' }).click();
    await page.getByRole('heading', { level: 1, name: 'Incident figures' }).waitFor();

    const categories = page.getByRole('table', { name: 'Incidents by category' });
    const row = (table: typeof categories, name: string) =>
      table.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) });
    await row(categories, 'Cyberbullying').waitFor();
    assert.deepEqual(await row(categories, 'Cyberbullying').getByRole('cell').allTextContents(), ['2', '0', 'Up 2']);
    assert.deepEqual(await row(categories, 'Inappropriate content').getByRole('cell').allTextContents(), ['1', '0', 'Up 1']);
    const years = page.getByRole('table', { name: /^Incidents about students by year group/ });
    assert.deepEqual(await row(years, 'Year 8').getByRole('cell').allTextContents(), ['1', '0', 'Up 1']);
    assert.deepEqual(await row(years, 'Year 9').getByRole('cell').allTextContents(), ['2', '0', 'Up 2']);
    const outcomes = page.getByRole('table', { name: 'Incidents by status and by investigation conclusion' });
    assert.deepEqual(await row(outcomes, 'Still open').getByRole('cell').allTextContents(), ['3', '0', 'Up 3']);
    assert.deepEqual(await row(outcomes, 'No investigation').getByRole('cell').allTextContents(), ['3', '0', 'Up 3']);
    assert.match((await page.getByRole('status').first().textContent()) ?? '', /^3 incidents from/);
    assertNoNames(await page.locator('body').innerText(), 'the page');
    // On a phone the wide tables scroll inside their own frame; the page itself does not.
    await page.setViewportSize({ width: 375, height: 667 });
    const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than a 375px phone`);
    await page.setViewportSize({ width: 1280, height: 900 });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download the anonymised incident log (CSV)' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^anonymised-incident-log-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await readFile((await download.path())!, 'utf8');
    const lines = csv.trim().split('\n');
    assert.equal(
      lines[0],
      'month,term,category,subject_kind,year_groups,urgency,status,investigation_conclusion,actions_done,parents_informed,internet_sanction,police_referred',
    );
    assert.equal(lines.length, 4, 'a header and one row per incident');
    assert.deepEqual(
      lines
        .slice(1)
        .map((l) => l.split(',')[2])
        .sort(),
      ['cyberbullying', 'cyberbullying', 'inappropriate_content'],
    );
    assertNoNames(csv, 'the CSV');
    assert.ok(!/\d{4}-\d{2}-\d{2}/.test(lines.slice(1).join('\n')), 'months only, never a day');
    const audited = await h.ctx.db.selectFrom('audit_log').select('actor_username').where('action', '=', 'incident.log.export').execute();
    assert.deepEqual(
      audited.map((a) => a.actor_username),
      ['gail.governor'],
    );
    assert.deepEqual(h.pageErrors, []);
  });

  it('gives a teacher neither the navigation item nor the figures: the server refuses', async () => {
    const page = await h.newPage();
    await signIn(page, 'sam.teacher');
    await page.getByRole('heading', { level: 1, name: 'Hello, Sam Teacher' }).waitFor();
    assert.equal((await navLinks(page)).includes('Incident figures'), false);
    await page.goto('/incident-figures');
    await page.getByRole('heading', { name: /^You do not have permission/ }).waitFor();
    assert.equal(await page.getByRole('table').count(), 0);
    assert.equal(await page.getByRole('link', { name: /anonymised incident log/ }).count(), 0);
    assert.equal((await page.request.get('/api/incidents/stats')).status(), 403);
    assert.equal((await page.request.get('/api/incidents/log/anonymised')).status(), 403);
    assert.deepEqual(h.pageErrors, []);
  });
});

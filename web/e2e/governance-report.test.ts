import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { insertAlert } from '../../src/monitor/reports/testing.js';
import { insertIncident } from '../../src/safeguarding/testing.js';
import { addUser } from '../../src/testing/fixtures.js';
import { pdfText } from '../../src/testing/pdf.js';
import { signIn, startHarness, type Harness } from './harness.js';

const NAMES = ['Pip', 'Pupil', 'Sam', 'Teacher'];

describe("the governors' termly report (browser)", () => {
  let h: Harness;
  const references: string[] = [];

  before(async () => {
    h = await startHarness();
    h.ctx.clock.set(new Date('2026-11-24T09:00:00Z'));
    const teacher = await addUser(h.ctx, h.schoolId, 'sam.teacher', ['staff']);
    await addUser(h.ctx, h.schoolId, 'gail.governor', ['governor']);
    const pip = await addUser(h.ctx, h.schoolId, 'pip.pupil', ['student'], { yearGroup: 8 });
    const incident = async (at: string, category: string) => {
      const created = await insertIncident(h.ctx, {
        schoolId: h.schoolId,
        reportedBy: teacher.personId,
        subjectKind: 'student',
        subjects: [pip.personId],
        category,
      });
      references.push(created.reference);
      await h.ctx.db.updateTable('incidents').set({ occurred_at: at }).where('id', '=', created.id).execute();
    };
    await incident('2026-10-01T10:00:00.000Z', 'cyberbullying');
    await incident('2026-11-01T10:00:00.000Z', 'cyberbullying');
    await incident('2026-06-01T10:00:00.000Z', 'cyberbullying');
    await insertAlert(h.ctx, {
      schoolId: h.schoolId,
      createdAt: '2026-10-05T10:00:00.000Z',
      category: 'bullying',
      severity: 'high',
      status: 'false_positive',
      personId: pip.personId,
      who: 'Pip Pupil',
      profile: 'ks3',
    });
  });
  after(async () => {
    await h?.close();
  });

  const assertNoNames = (text: string, where: string) => {
    // Whole words: "Same" in a change is not "Sam".
    for (const secret of [...NAMES, ...references]) assert.doesNotMatch(text, new RegExp(`\\b${secret}\\b`), `${where} names ${secret}`);
  };

  it('lets a governor open the report, read each section, pick a term and download the PDF', async () => {
    const page = await h.newPage();
    await signIn(page, 'gail.governor');
    await page.getByRole('heading', { level: 1, name: 'Hello, Gail Governor' }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Governance' }).click();
    await page.getByRole('navigation', { name: 'Governance' }).getByRole('link', { name: "Governors' termly report" }).click();
    await page.getByRole('heading', { level: 1, name: "Governors' termly report" }).waitFor();

    for (const heading of [
      'E-safety incidents (anonymised)',
      'Filtering change control',
      'Acceptable use agreements',
      'E-safety training',
      'Monitoring alerts',
      'Policy and review',
    ])
      await page.getByRole('heading', { level: 2, name: heading }).waitFor();
    const table = (name: string) => page.getByRole('table', { name, exact: true });
    const row = (name: string, label: string) =>
      table(name)
        .getByRole('row')
        .filter({ has: page.getByRole('rowheader', { name: label, exact: true }) });
    assert.deepEqual(await table('By category').getByRole('columnheader').allTextContents(), [
      'Category',
      'Autumn term 2026',
      'Summer term 2026',
      'Change',
    ]);
    assert.deepEqual(await row('By category', 'Cyberbullying').getByRole('cell').allTextContents(), ['2', '1', 'Up 1']);
    assert.deepEqual(await row('Alerts by outcome', 'False positive').getByRole('cell').allTextContents(), ['1', '0', 'Up 1']);
    assert.deepEqual(await row('Alerts by outcome', 'False-positive rate (of alerts reviewed)').getByRole('cell').allTextContents(), [
      '1 of 1 (100%)',
      '0 of 0',
      'Not comparable',
    ]);
    assert.match((await page.getByRole('status').first().textContent()) ?? '', /^Autumn term 2026: 1 September 2026 to 24 November 2026/);
    assertNoNames(await page.locator('main').innerText(), 'the report');

    // On a phone the tables scroll inside their own frame; the page itself does not.
    await page.setViewportSize({ width: 375, height: 667 });
    const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than a 375px phone`);
    await page.setViewportSize({ width: 1280, height: 900 });

    const link = page.getByRole('link', { name: 'Download PDF' });
    assert.equal(await link.getAttribute('href'), '/api/governance/report.pdf?term=autumn-2026');
    const pdf = await page.request.get((await link.getAttribute('href'))!);
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    const text = pdfText(await pdf.body()).replace(/\s+/g, ' ');
    assert.ok(text.includes("Governors' termly report"), text);
    assert.ok(text.includes('Cyberbullying 2 1 Up 1'), text);
    assertNoNames(text, 'the PDF');

    await page.getByRole('combobox', { name: 'Term' }).selectOption('summer-2026');
    await page.waitForURL(/term=summer-2026/);
    await table('By category').getByRole('columnheader', { name: 'Spring term 2026' }).waitFor();
    assert.deepEqual(await table('By category').getByRole('columnheader').allTextContents(), [
      'Category',
      'Summer term 2026',
      'Spring term 2026',
      'Change',
    ]);
    assert.deepEqual(await row('By category', 'Cyberbullying').getByRole('cell').allTextContents(), ['1', '0', 'Up 1']);
    assert.equal(
      await page.getByRole('link', { name: 'Download PDF' }).getAttribute('href'),
      '/api/governance/report.pdf?term=summer-2026',
    );

    const audited = await h.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('action', 'like', 'governance.report.%')
      .orderBy('seq')
      .execute();
    assert.deepEqual(
      audited.map((a) => a.action),
      ['governance.report.read', 'governance.report.export', 'governance.report.read'],
    );
    assert.deepEqual(h.pageErrors, []);
  });

  it('gives a teacher no report: the server refuses', async () => {
    const page = await h.newPage();
    await signIn(page, 'sam.teacher');
    await page.getByRole('heading', { level: 1, name: 'Hello, Sam Teacher' }).waitFor();
    await page.goto('/governance');
    await page.getByRole('navigation', { name: 'Governance' }).waitFor();
    assert.equal(
      await page.getByRole('navigation', { name: 'Governance' }).getByRole('link', { name: "Governors' termly report" }).count(),
      0,
    );
    await page.goto('/governance/report');
    await page.getByText('This screen is not open to your role').waitFor();
    assert.equal(await page.getByRole('link', { name: 'Download PDF' }).count(), 0);
    assert.equal((await page.request.get('/api/governance/report')).status(), 403);
    assert.equal((await page.request.get('/api/governance/report.pdf')).status(), 403);
    assert.deepEqual(h.pageErrors, []);
  });
});

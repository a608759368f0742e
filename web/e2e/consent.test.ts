import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { createDemoSchool } from '../../src/demo/demo-school.js';
import { type Harness, signIn, startHarness } from './harness.js';

/*
 * The "Done when" for image consent, on the demo school: demo.parent withdraws website
 * photo consent for demo.student7, and demo.teacher, tutor of 7A, sees it on a phone.
 */
const PASSWORD = 'riverside-demo';
const PHONE = { width: 375, height: 667 };

describe('image consent on the demo school (browser)', () => {
  let h: Harness;
  let child = '';
  let classmates: string[] = [];

  before(async () => {
    h = await startHarness({ seed: false, env: { TUTELA_DEMO_PASSWORD: PASSWORD } });
    const demo = await createDemoSchool(h.ctx, { password: PASSWORD });
    const person = (username: string) =>
      h.ctx.db
        .selectFrom('accounts')
        .innerJoin('people', 'people.id', 'accounts.person_id')
        .select(['people.id', 'people.given_name', 'people.preferred_name', 'people.family_name'])
        .where('accounts.username', '=', username)
        .executeTakeFirstOrThrow();
    const student = await person('demo.student7');
    const head = await person('demo.head');
    child = `${student.preferred_name ?? student.given_name} ${student.family_name}`;
    // Every family in 7A returned the paper form saying yes to the website, as the head recorded.
    const tutorGroup = await h.ctx.db
      .selectFrom('groups')
      .select('id')
      .where('school_id', '=', demo.schoolId)
      .where('kind', '=', 'tutor_group')
      .where('code', '=', '7A')
      .executeTakeFirstOrThrow();
    const pupils = await h.ctx.db
      .selectFrom('group_members')
      .innerJoin('people', 'people.id', 'group_members.person_id')
      .select(['people.id', 'people.given_name', 'people.preferred_name', 'people.family_name'])
      .where('group_members.group_id', '=', tutorGroup.id)
      .where('group_members.member_role', '=', 'member')
      .execute();
    assert.ok(
      pupils.some((p) => p.id === student.id),
      'demo.student7 is in 7A',
    );
    classmates = pupils.filter((p) => p.id !== student.id).map((p) => `${p.preferred_name ?? p.given_name} ${p.family_name}`);
    const at = h.ctx.clock().toISOString();
    await h.ctx.db
      .insertInto('image_consents')
      .values(
        pupils.map((p) => ({
          school_id: demo.schoolId,
          student_id: p.id,
          use: 'website' as const,
          granted: 1,
          changed_by: head.id,
          changed_at: at,
        })),
      )
      .execute();
  });
  after(async () => {
    await h?.close();
  });

  const noSideways = async (page: Page) => {
    const width = Number(await page.evaluate('document.documentElement.scrollWidth'));
    assert.ok(width <= PHONE.width, `the page is ${width}px wide on a ${PHONE.width}px screen`);
  };

  const openAsTeacher = async () => {
    const page = await h.newPage({ viewport: PHONE });
    await signIn(page, 'demo.teacher', PASSWORD);
    await page.getByRole('heading', { level: 1, name: /^Hello, / }).waitFor();
    await page.goto('/agreements/consent');
    await page.getByRole('heading', { level: 1, name: 'Image consent' }).waitFor();
    return page;
  };

  it('shows demo.teacher their class on a phone, everyone allowed before any withdrawal', async () => {
    const page = await openAsTeacher();
    // Their own tutor group comes first and is shown at once.
    await page.getByText('Every pupil in Tutor group 7A has a parent’s consent for photos on the school website.').waitFor();
    assert.equal(await page.getByLabel('Class or group').locator('option:checked').textContent(), 'Tutor group 7A');
    assert.equal(
      await page.getByLabel('Where the photo will appear').locator('option:checked').textContent(),
      'Photos on the school website',
    );
    await page.getByRole('heading', { name: `Consent given: ${classmates.length + 1} pupils` }).waitFor();
    await noSideways(page);
  });

  it('lets demo.parent withdraw website consent for demo.student7 on a phone', async () => {
    const page = await h.newPage({ viewport: PHONE });
    await signIn(page, 'demo.parent', PASSWORD);
    await page.getByRole('heading', { level: 1, name: /^Hello, / }).waitFor();
    await page.goto('/agreements/consent');
    const card = page.getByRole('region', { name: new RegExp(`^${child}`) });
    const website = card.getByRole('switch', { name: 'Photos on the school website' });
    await website.waitFor();
    assert.equal(await website.isChecked(), true);
    await website.click();
    await card.getByText(`Saved. Photos on the school website: ${child.split(' ')[0]} will not appear.`).waitFor();
    assert.equal(await website.isChecked(), false);
    // The other uses were never given: a child is not published without a yes.
    assert.equal(await card.getByRole('switch', { name: 'Video of school events' }).isChecked(), false);
    await card.getByText('History of changes (1)').click();
    await card.getByText('Not allowed: Photos on the school website').waitFor();
    await noSideways(page);

    const [row] = await h.ctx.db.selectFrom('image_consent_changes').selectAll().execute();
    assert.equal(row?.use, 'website');
    assert.equal(row?.granted, 0);
  });

  it('then shows the teacher that child at the top, in the do-not-publish list', async () => {
    const page = await openAsTeacher();
    const stop = page.getByRole('region', { name: 'Do not publish photos of: 1 pupil' });
    await stop.waitFor();
    assert.deepEqual(
      (await stop.getByRole('listitem').allTextContents()).map((t) => t.trim()),
      [child],
    );
    const allowed = page.getByRole('region', { name: `Consent given: ${classmates.length} pupils` });
    assert.equal(await allowed.getByText(child, { exact: true }).count(), 0);
    // The warning comes before everything else in the results, where a thumb lands first.
    const stopBox = await stop.boundingBox();
    const allowedBox = await allowed.boundingBox();
    assert.ok(stopBox && allowedBox && stopBox.y < allowedBox.y);
    assert.ok(stopBox.x >= 0 && stopBox.x + stopBox.width <= PHONE.width);
    await noSideways(page);

    // Another use: nobody has given consent for the press, so the whole class is listed.
    await page.getByLabel('Where the photo will appear').selectOption({ label: 'Photos in newspapers and the press' });
    await page.getByRole('region', { name: `Do not publish photos of: ${classmates.length + 1} pupils` }).waitFor();
    assert.deepEqual(h.pageErrors, []);
  });
});

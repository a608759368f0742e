import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newId } from '../../src/db/ids.js';
import { ensureDerivedGroups } from '../../src/directory/service.js';
import { createPerson } from '../../src/directory/setup.js';
import { addUser } from '../../src/testing/fixtures.js';
import { navLinks, signIn, startHarness, type Harness } from './harness.js';

describe('the directory (browser)', () => {
  let h: Harness;

  before(async () => {
    h = await startHarness();
    const { ctx, schoolId } = h;
    const now = ctx.clock();
    await ensureDerivedGroups(ctx.db, schoolId, [7, 8], now);
    const students: string[] = [];
    for (let i = 0; i < 30; i++) {
      students.push(
        await createPerson(
          ctx.db,
          {
            schoolId,
            kind: 'student',
            givenName: `Pupil${String(i).padStart(2, '0')}`,
            familyName: 'Seven',
            yearGroup: 7,
            misId: `P7${i}`,
            roles: ['student'],
          },
          now,
        ),
      );
    }
    await createPerson(
      ctx.db,
      { schoolId, kind: 'student', givenName: 'Olu', familyName: 'Eight', yearGroup: 8, misId: 'P80', roles: ['student'] },
      now,
    );
    const teacher = await addUser(ctx, schoolId, 'sam.teacher', ['staff']);
    const parent = await addUser(ctx, schoolId, 'pat.parent', ['parent']);
    await ctx.db
      .insertInto('guardians')
      .values({ parent_id: parent.personId, student_id: students[0]!, relationship: 'Father', parental_responsibility: 1, priority: 1 })
      .execute();
    const classId = newId();
    const at = now.toISOString();
    await ctx.db
      .insertInto('groups')
      .values({
        id: classId,
        school_id: schoolId,
        kind: 'class',
        name: '7A Maths',
        code: '7A-MA',
        year_group: 7,
        subject: 'Mathematics',
        status: 'active',
        created_at: at,
        updated_at: at,
      })
      .execute();
    await ctx.db
      .insertInto('group_members')
      .values([
        { group_id: classId, person_id: teacher.personId, member_role: 'teacher' },
        ...students.slice(0, 3).map((id) => ({ group_id: classId, person_id: id, member_role: 'member' as const })),
      ])
      .execute();
  });
  after(async () => {
    await h?.close();
  });

  it('filters people by kind and year group, and pages through them', async () => {
    const page = await h.newPage();
    await signIn(page, 'sam.teacher');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'People' }).click();
    await page.getByLabel('Kind').selectOption({ label: 'Student' });
    await page.getByLabel('Year group').selectOption({ label: 'Year 7' });
    await page.getByRole('status').filter({ hasText: '30 people found' }).waitFor();
    const pages = page.getByRole('navigation', { name: 'People pages' });
    await pages.getByText('Showing 1–25 of 30').waitFor();
    await pages.getByRole('button', { name: 'Next page' }).click();
    await pages.getByText('Showing 26–30 of 30').waitFor();
    assert.equal(await page.getByRole('region', { name: 'People' }).getByRole('row').count(), 6);
    assert.match(page.url(), /offset=25/);

    await page.getByLabel('Search by name or MIS id').fill('pupil07');
    await page.getByRole('status').filter({ hasText: '1 person found' }).waitFor();
    await page.getByRole('link', { name: 'Pupil07 Seven' }).waitFor();
  });

  it('browses groups by kind and opens a class with its teacher and members', async () => {
    const page = await h.newPage();
    await signIn(page, 'sam.teacher');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Groups' }).click();
    await page.getByRole('heading', { level: 2, name: 'Year groups' }).waitFor();
    await page.getByLabel('Kind of group').selectOption({ label: 'Classes' });
    await page.getByRole('heading', { level: 2, name: 'Classes' }).waitFor();
    assert.equal(await page.getByRole('heading', { level: 2, name: 'Year groups' }).count(), 0);
    await page.getByRole('link', { name: '7A Maths' }).click();
    await page.getByRole('heading', { level: 1, name: '7A Maths' }).waitFor();
    const members = page.getByRole('region', { name: 'Members' });
    const teacherRow = members.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Sam Teacher' }) });
    assert.equal((await teacherRow.getByRole('cell').nth(1).textContent())?.trim(), 'Teacher');
    assert.equal(await members.getByRole('row').count(), 5);
    await page.getByRole('link', { name: 'Search and filter this group’s members' }).click();
    await page.getByRole('status').filter({ hasText: '4 people found' }).waitFor();
  });

  it('shows a parent their own record with their child, and no directory', async () => {
    const page = await h.newPage();
    await signIn(page, 'pat.parent');
    await page.getByRole('heading', { level: 1, name: 'Hello, Pat Parent' }).waitFor();
    assert.deepEqual(await navLinks(page), ['Home', 'Agreements', 'My details']);
    await page.getByRole('link', { name: 'My details' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Pat Parent' }).waitFor();
    await page.getByRole('region', { name: 'Children' }).getByRole('link', { name: 'Pupil00 Seven' }).click();
    await page.getByRole('heading', { level: 1, name: 'Pupil00 Seven' }).waitFor();
    await page
      .getByRole('definition')
      .filter({ hasText: /^Key Stage 3$/ })
      .waitFor();
    assert.deepEqual(h.pageErrors, []);
  });
});

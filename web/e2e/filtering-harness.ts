import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { newId } from '../../src/db/ids.js';
import { addUser } from '../../src/testing/fixtures.js';
import { signInWithTotp, startHarness } from './harness.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The school both filtering browser suites start from: the category lists from the shared
 * UT1 test copy (as a school's would come from the publisher), a network manager signed in,
 * a DSL, a pupil in Year 8, and a teacher of the class 8B History.
 */
export async function startFilteringHarness(secrets: Map<string, string>) {
  const h = await startHarness({ env: { TUTELA_UT1_SOURCE: path.resolve(REPO_ROOT, '..', 'shared', 'data', 'ut1') } });
  const { ctx, schoolId } = h;
  await addUser(ctx, schoolId, 'nina.network', ['staff', 'network_manager']);
  await addUser(ctx, schoolId, 'dee.dsl', ['staff', 'dsl']);
  const teacher = await addUser(ctx, schoolId, 'sam.teacher', ['staff']);
  const pupil = await addUser(ctx, schoolId, 'pip.pupil', ['student'], { yearGroup: 8 });
  const at = ctx.clock().toISOString();
  const classId = newId();
  await ctx.db
    .insertInto('groups')
    .values({
      id: classId,
      school_id: schoolId,
      kind: 'class',
      name: '8B History',
      code: '8B-HI',
      year_group: 8,
      subject: 'History',
      status: 'active',
      created_at: at,
      updated_at: at,
    })
    .execute();
  await ctx.db.insertInto('group_members').values({ group_id: classId, person_id: teacher.personId, member_role: 'teacher' }).execute();
  const manager = await h.newPage();
  await signInWithTotp(h, manager, 'nina.network', secrets);
  return { h, manager, pupilId: pupil.personId };
}

export async function openFiltering(page: Page, screen: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Filtering' }).click();
  await page.getByRole('navigation', { name: 'Filtering' }).getByRole('link', { name: screen }).click();
}

import type { Role } from '../access/roles.js';
import { newId } from '../db/ids.js';
import type { TrainingKind } from '../db/tables.js';
import { addUser, seedSchool } from '../testing/fixtures.js';
import type { testContext } from '../testing/store.js';

type Ctx = ReturnType<typeof testContext>;

/**
 * A small school whose training is known exactly on 24 November 2026 (the test clock's day):
 * one person up to date, one due soon, and four overdue in different ways and teams.
 */
export async function seedTrainingSchool(ctx: Ctx, existing?: { schoolId: string; trustId: string }) {
  const { schoolId, trustId } = existing ?? (await seedSchool(ctx, 'Training Academy'));
  const now = ctx.clock().toISOString();
  const team = async (teamName: string) => {
    const id = newId();
    await ctx.db
      .insertInto('groups')
      .values({
        id,
        school_id: schoolId,
        kind: 'staff_team',
        name: teamName,
        code: teamName.toUpperCase(),
        year_group: null,
        subject: null,
        status: 'active',
        created_at: now,
        updated_at: now,
      })
      .execute();
    return id;
  };
  const teams = { slt: await team('Senior leadership'), maths: await team('Maths'), english: await team('English') };
  const person = async (username: string, roles: Role[], teamIds: string[], email: string | null) => {
    const user = await addUser(ctx, schoolId, username, roles);
    if (email)
      await ctx.db
        .updateTable('people')
        .set({ email, mis_id: `MIS-${username}` })
        .where('id', '=', user.personId)
        .execute();
    for (const groupId of teamIds) {
      await ctx.db.insertInto('group_members').values({ group_id: groupId, person_id: user.personId, member_role: 'member' }).execute();
    }
    return user;
  };
  const people = {
    head: await person('hana.head', ['staff', 'head'], [teams.slt], 'hana.head@school.example'),
    upToDate: await person('una.uptodate', ['staff'], [teams.maths], 'una@school.example'),
    dueSoon: await person('dora.duesoon', ['staff'], [teams.maths], 'dora@school.example'),
    refresherMissing: await person('mo.missing', ['staff'], [teams.maths, teams.english], 'mo@school.example'),
    dsl: await person('dee.dsl', ['staff', 'dsl'], [teams.slt], 'dee@school.example'),
    governor: await person('gil.governor', ['governor'], [], 'gil@school.example'),
    noTeam: await person('nell.noteam', ['staff'], [], null),
    student: await person('stu.student', ['student'], [], null),
    parent: await person('pat.parent', ['parent'], [], null),
  };
  const record = async (personId: string, kind: TrainingKind, completed: string, expires: string | null = null) => {
    await ctx.db
      .insertInto('training_records')
      .values({
        id: newId(),
        school_id: schoolId,
        person_id: personId,
        kind,
        title: `${kind} course`,
        provider: 'Local authority',
        completed_on: completed,
        expires_on: expires,
        evidence: null,
        created_at: now,
        created_by: null,
        import_id: null,
      })
      .execute();
  };
  // Each of these is up to date unless said otherwise.
  for (const p of [people.head, people.upToDate, people.dueSoon, people.refresherMissing, people.dsl, people.governor]) {
    await record(p.personId, 'induction', '2021-09-01');
  }
  await record(people.head.personId, 'annual_refresher', '2026-09-02');
  await record(people.upToDate.personId, 'annual_refresher', '2026-09-02');
  await record(people.upToDate.personId, 'external', '2026-03-01');
  await record(people.dueSoon.personId, 'annual_refresher', '2025-12-10'); // lapses in 16 days
  await record(people.dsl.personId, 'annual_refresher', '2026-09-02');
  await record(people.dsl.personId, 'dsl', '2024-11-24'); // lapses today
  await record(people.governor.personId, 'annual_refresher', '2025-11-24'); // lapses today
  // The head is a head, not a DSL, so needs no DSL training.
  return { schoolId, trustId, teams, people };
}

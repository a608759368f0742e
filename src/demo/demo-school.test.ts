import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verifyAuditChain } from '../audit/service.js';
import { verifyPassword } from '../auth/passwords.js';
import { AppError } from '../errors/errors.js';
import { createTestStore, testContext, type TestStore } from '../testing/store.js';
import { overdueReport } from '../training/overdue.js';
import { schoolToday } from '../training/rules.js';
import { buildDemoPlan, createDemoSchool, DEFAULT_DEMO_SEED, hasDemoSchool, type DemoResult } from './demo-school.js';

const PASSWORD = 'riverside-demo';

const DEMO_ROLES: Record<string, string[]> = {
  'demo.dsl': ['dsl', 'staff'],
  'demo.head': ['head', 'staff'],
  'demo.netman': ['network_manager', 'staff'],
  'demo.teacher': ['staff'],
  'demo.governor': ['governor'],
  'demo.student7': ['student'],
  'demo.student10': ['student'],
  'demo.student12': ['student'],
  'demo.parent': ['parent'],
};

type Ctx = ReturnType<typeof testContext>;

async function personByUsername(ctx: Ctx, username: string) {
  return ctx.db
    .selectFrom('accounts')
    .innerJoin('people', 'people.id', 'accounts.person_id')
    .select(['people.id', 'people.kind', 'people.year_group', 'people.job_title', 'accounts.password_hash', 'accounts.is_demo'])
    .where('accounts.username', '=', username)
    .executeTakeFirstOrThrow();
}

describe('the demo school', () => {
  let t: TestStore;
  let ctx: Ctx;
  let demo: DemoResult;

  before(async () => {
    t = await createTestStore();
    ctx = testContext(t);
    demo = await createDemoSchool(ctx, { password: PASSWORD });
  });
  after(() => t.cleanup());

  it('creates Riverside Academy with about 1,200 students, 120 staff, parents, governors and a guest', async () => {
    const school = await ctx.db
      .selectFrom('schools')
      .innerJoin('trusts', 'trusts.id', 'schools.trust_id')
      .select(['schools.id', 'schools.name', 'schools.phase', 'schools.urn', 'trusts.name as trust'])
      .execute();
    assert.deepEqual(school, [
      { id: demo.schoolId, name: 'Riverside Academy', phase: 'secondary', urn: '999901', trust: 'Riverside Learning Trust' },
    ]);
    assert.equal(await hasDemoSchool(ctx.db), true);

    const byKind = await ctx.db
      .selectFrom('people')
      .select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('kind')
      .execute();
    const kinds = Object.fromEntries(byKind.map((r) => [r.kind, Number(r.n)]));
    assert.deepEqual(kinds, {
      student: demo.counts.students,
      staff: demo.counts.staff,
      parent: demo.counts.parents,
      governor: demo.counts.governors,
      guest: 1,
    });
    assert.ok(kinds.student! >= 1150 && kinds.student! <= 1250, `students: ${kinds.student}`);
    assert.ok(kinds.staff! >= 110 && kinds.staff! <= 130, `staff: ${kinds.staff}`);
    assert.ok(kinds.parent! >= kinds.student! && kinds.parent! <= 2 * kinds.student!, `parents: ${kinds.parent}`);
    assert.ok(kinds.governor! >= 8 && kinds.governor! <= 12, `governors: ${kinds.governor}`);

    const governors = await ctx.db.selectFrom('people').select('job_title').where('kind', '=', 'governor').execute();
    assert.equal(governors.filter((g) => /e-safety/i.test(g.job_title ?? '')).length, 1);
    const guest = await ctx.db.selectFrom('people').select(['expires_at']).where('kind', '=', 'guest').executeTakeFirstOrThrow();
    assert.equal(guest.expires_at, new Date(ctx.clock().getTime() + 30 * 86_400_000).toISOString());
  });

  it('spreads students over Years 7–13 only, with dates of birth for their year and unique UPNs', async () => {
    const students = await ctx.db
      .selectFrom('people')
      .select(['year_group', 'date_of_birth', 'mis_id', 'email', 'given_name', 'family_name'])
      .where('kind', '=', 'student')
      .execute();
    const perYear = new Map<number, number>();
    for (const s of students) perYear.set(s.year_group!, (perYear.get(s.year_group!) ?? 0) + 1);
    assert.deepEqual(
      [...perYear.keys()].sort((a, b) => a - b),
      [7, 8, 9, 10, 11, 12, 13],
    );
    for (const [year, n] of perYear) {
      const [lo, hi] = year <= 11 ? [175, 205] : [105, 135];
      assert.ok(n >= lo && n <= hi, `Year ${year}: ${n} students`);
    }
    // The test clock is in the 2026/27 school year: Year 7 were born September 2014 to August 2015.
    for (const s of students) {
      const from = `${2026 - s.year_group! - 5}-09-01`;
      const to = `${2026 - s.year_group! - 4}-08-31`;
      assert.ok(
        s.date_of_birth! >= from && s.date_of_birth! <= to,
        `${s.given_name} ${s.family_name}, Year ${s.year_group}, born ${s.date_of_birth}`,
      );
      assert.match(s.mis_id!, /^[A-Z]\d{12}$/);
      assert.match(s.email!, /^\d\d[a-z]+\d*@students\.riversideacademy\.example$/);
    }
    assert.equal(new Set(students.map((s) => s.mis_id)).size, students.length);
    assert.equal(new Set(students.map((s) => s.email)).size, students.length);
    // Names as diverse as a modern classroom: apostrophes and accents survive the round trip.
    const names = students.map((s) => `${s.given_name} ${s.family_name}`);
    assert.ok(
      names.some((n) => n.includes("'")),
      'a name with an apostrophe',
    );
    assert.ok(
      names.some((n) => /[^ -~]/.test(n)),
      'a name with an accent',
    );
  });

  it('gives every student at least one guardian, and only parents are guardians', async () => {
    const orphans = await ctx.db
      .selectFrom('people')
      .select('id')
      .where('kind', '=', 'student')
      .where('id', 'not in', (eb) => eb.selectFrom('guardians').select('student_id'))
      .execute();
    assert.equal(orphans.length, 0);
    const links = await ctx.db
      .selectFrom('guardians')
      .innerJoin('people as parent', 'parent.id', 'guardians.parent_id')
      .innerJoin('people as student', 'student.id', 'guardians.student_id')
      .select([
        'parent.kind as parentKind',
        'student.kind as studentKind',
        'guardians.relationship',
        'guardians.priority',
        'guardians.student_id',
      ])
      .execute();
    assert.ok(links.every((l) => l.parentKind === 'parent' && l.studentKind === 'student'));
    assert.deepEqual(new Set(links.map((l) => l.relationship)), new Set(['Mother', 'Father', 'Carer', 'Grandparent', 'Step-parent']));
    assert.ok(links.every((l) => l.priority === 1 || l.priority === 2));
    const perStudent = new Map<string, number>();
    for (const l of links) perStudent.set(l.student_id, (perStudent.get(l.student_id) ?? 0) + 1);
    assert.ok([...perStudent.values()].every((n) => n >= 1 && n <= 2));
    // Siblings share parents.
    const children = await ctx.db
      .selectFrom('guardians')
      .select(['parent_id', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('parent_id')
      .execute();
    assert.ok(children.filter((c) => Number(c.n) > 1).length > 100);
    const parentRoles = await ctx.db
      .selectFrom('person_roles')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('role', '=', 'parent')
      .executeTakeFirstOrThrow();
    assert.equal(Number(parentRoles.n), demo.counts.parents);
  });

  it('puts every student in one tutor group of their year, about seven per year, each with a tutor', async () => {
    const groups = await ctx.db.selectFrom('groups').select(['id', 'code', 'year_group']).where('kind', '=', 'tutor_group').execute();
    assert.equal(groups.length, demo.counts.tutorGroups);
    for (const year of [7, 8, 9, 10, 11, 12, 13]) {
      const n = groups.filter((g) => g.year_group === year).length;
      assert.ok(n >= 5 && n <= 8, `Year ${year}: ${n} tutor groups`);
    }
    assert.ok(groups.some((g) => g.code === '7A'));
    const members = await ctx.db
      .selectFrom('group_members')
      .innerJoin('groups', 'groups.id', 'group_members.group_id')
      .innerJoin('people', 'people.id', 'group_members.person_id')
      .select([
        'groups.id as groupId',
        'groups.year_group as groupYear',
        'people.id as personId',
        'people.kind',
        'people.year_group',
        'group_members.member_role',
      ])
      .where('groups.kind', '=', 'tutor_group')
      .execute();
    for (const g of groups) {
      const tutors = members.filter((m) => m.groupId === g.id && m.member_role === 'tutor');
      assert.equal(tutors.length, 1, `${g.code} has one tutor`);
      assert.equal(tutors[0]!.kind, 'staff');
    }
    const tutees = members.filter((m) => m.member_role === 'member');
    assert.ok(tutees.every((m) => m.kind === 'student' && m.year_group === m.groupYear));
    assert.equal(tutees.length, demo.counts.students);
    assert.equal(new Set(tutees.map((m) => m.personId)).size, demo.counts.students);
  });

  it('gives every class exactly one teacher and students of its year', async () => {
    const classes = await ctx.db.selectFrom('groups').select(['id', 'code', 'year_group', 'subject']).where('kind', '=', 'class').execute();
    assert.equal(classes.length, demo.counts.classes);
    assert.ok(classes.length >= 200, `${classes.length} classes`);
    const subjects = new Set(classes.map((c) => c.subject));
    for (const s of ['Mathematics', 'English', 'Science', 'Computing', 'PSHE']) assert.ok(subjects.has(s), s);
    const members = await ctx.db
      .selectFrom('group_members')
      .innerJoin('groups', 'groups.id', 'group_members.group_id')
      .innerJoin('people', 'people.id', 'group_members.person_id')
      .select(['groups.id as groupId', 'groups.year_group as groupYear', 'people.kind', 'people.year_group', 'group_members.member_role'])
      .where('groups.kind', '=', 'class')
      .execute();
    const byClass = new Map<string, typeof members>();
    for (const m of members) byClass.set(m.groupId, [...(byClass.get(m.groupId) ?? []), m]);
    for (const c of classes) {
      const list = byClass.get(c.id) ?? [];
      const teachers = list.filter((m) => m.member_role === 'teacher');
      assert.equal(teachers.length, 1, `${c.code} has one teacher`);
      assert.equal(teachers[0]!.kind, 'staff');
      const students = list.filter((m) => m.member_role === 'member');
      assert.ok(students.length > 0, `${c.code} has students`);
      assert.ok(
        students.every((m) => m.kind === 'student' && m.year_group === c.year_group),
        `${c.code} holds Year ${c.year_group} only`,
      );
    }
  });

  it('organises staff into teams and gives leadership roles to the right people', async () => {
    const teams = await ctx.db.selectFrom('groups').select(['id', 'code']).where('kind', '=', 'staff_team').execute();
    const codes = new Set(teams.map((t) => t.code));
    for (const code of ['SLT', 'SAFEGUARDING', 'IT', 'MAT', 'ENG', 'SCI', 'CMP']) assert.ok(codes.has(code), code);
    const leads = await ctx.db
      .selectFrom('group_members')
      .innerJoin('groups', 'groups.id', 'group_members.group_id')
      .select(['groups.code', 'group_members.person_id'])
      .where('groups.kind', '=', 'staff_team')
      .where('member_role', '=', 'lead')
      .execute();
    assert.equal(leads.length, teams.length, 'every team has one lead');

    const holders = async (role: string) =>
      ctx.db
        .selectFrom('person_roles')
        .innerJoin('people', 'people.id', 'person_roles.person_id')
        .select(['people.id', 'people.kind', 'people.job_title'])
        .where('person_roles.role', '=', role)
        .execute();
    const dsl = await holders('dsl');
    assert.ok(dsl.length >= 3 && dsl.every((p) => p.kind === 'staff' && /Designated Safeguarding Lead/.test(p.job_title ?? '')));
    assert.deepEqual(
      (await holders('head')).map((p) => p.job_title),
      ['Headteacher'],
    );
    assert.deepEqual(
      (await holders('network_manager')).map((p) => p.job_title),
      ['Network Manager'],
    );
    assert.deepEqual(
      (await holders('hr')).map((p) => p.job_title),
      ['HR Officer'],
    );
    const staffRoles = await holders('staff');
    assert.equal(staffRoles.length, demo.counts.staff);
    const safeguardingLead = leads.find((l) => l.code === 'SAFEGUARDING')!;
    assert.equal(safeguardingLead.person_id, (await personByUsername(ctx, 'demo.dsl')).id);
  });

  it('creates the year and key stage groups and records the demo in the audit log', async () => {
    const derived = await ctx.db
      .selectFrom('groups')
      .select('code')
      .where('kind', 'in', ['year_group', 'key_stage'])
      .orderBy('code')
      .execute();
    assert.deepEqual(
      derived.map((g) => g.code),
      ['KS3', 'KS4', 'KS5', 'Y10', 'Y11', 'Y12', 'Y13', 'Y7', 'Y8', 'Y9'],
    );
    const entry = await ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'demo.created').executeTakeFirstOrThrow();
    assert.equal(entry.school_id, demo.schoolId);
    assert.deepEqual(JSON.parse(entry.details), { seed: DEFAULT_DEMO_SEED, counts: demo.counts });
    assert.equal((await verifyAuditChain(ctx.db)).ok, true);
  });

  it('creates the nine demo accounts, with the demo password and the right roles, and no others', async () => {
    assert.equal(demo.password, PASSWORD);
    assert.deepEqual(
      demo.accounts.map((a) => a.username),
      Object.keys(DEMO_ROLES),
    );
    const all = await ctx.db.selectFrom('accounts').select('username').orderBy('username').execute();
    assert.deepEqual(
      all.map((a) => a.username),
      Object.keys(DEMO_ROLES).sort(),
    );
    for (const [username, roles] of Object.entries(DEMO_ROLES)) {
      const person = await personByUsername(ctx, username);
      assert.equal(person.is_demo, 1);
      const held = await ctx.db.selectFrom('person_roles').select('role').where('person_id', '=', person.id).orderBy('role').execute();
      assert.deepEqual(
        held.map((r) => r.role),
        roles,
        username,
      );
      assert.equal(await verifyPassword(person.password_hash!, PASSWORD), true, username);
    }
    assert.equal((await personByUsername(ctx, 'demo.student7')).year_group, 7);
    assert.equal((await personByUsername(ctx, 'demo.student10')).year_group, 10);
    assert.equal((await personByUsername(ctx, 'demo.student12')).year_group, 12);
    assert.equal((await personByUsername(ctx, 'demo.governor')).job_title, 'Safeguarding and E-Safety Governor');
  });

  it('links demo.parent to demo.student7, who is in 7A, tutored by demo.teacher, who also teaches classes', async () => {
    const parent = await personByUsername(ctx, 'demo.parent');
    const student = await personByUsername(ctx, 'demo.student7');
    const teacher = await personByUsername(ctx, 'demo.teacher');
    assert.equal(parent.kind, 'parent');
    const link = await ctx.db
      .selectFrom('guardians')
      .selectAll()
      .where('parent_id', '=', parent.id)
      .where('student_id', '=', student.id)
      .executeTakeFirstOrThrow();
    assert.equal(link.parental_responsibility, 1);
    const tutorGroup = await ctx.db
      .selectFrom('groups')
      .select('id')
      .where('kind', '=', 'tutor_group')
      .where('code', '=', '7A')
      .executeTakeFirstOrThrow();
    const roles = await ctx.db
      .selectFrom('group_members')
      .select(['person_id', 'member_role'])
      .where('group_id', '=', tutorGroup.id)
      .where('person_id', 'in', [student.id, teacher.id])
      .orderBy('member_role')
      .execute();
    assert.deepEqual(roles, [
      { person_id: student.id, member_role: 'member' },
      { person_id: teacher.id, member_role: 'tutor' },
    ]);
    const taught = await ctx.db
      .selectFrom('group_members')
      .innerJoin('groups', 'groups.id', 'group_members.group_id')
      .select(['groups.code', 'groups.subject'])
      .where('person_id', '=', teacher.id)
      .where('member_role', '=', 'teacher')
      .execute();
    assert.ok(taught.filter((c) => c.subject === 'Computing').length >= 3);
  });

  it('gives staff and governors training records: most up to date, a few overdue or due soon, the demo accounts clean', async () => {
    const report = await overdueReport(ctx.db, demo.schoolId, schoolToday(ctx.clock()));
    const { people, upToDate, dueSoon, overdue } = report.totals;
    assert.ok(people > 100, `${people} people must hold training`);
    assert.ok(upToDate / people > 0.75 && upToDate / people < 0.95, `${upToDate} of ${people} up to date`);
    assert.ok(overdue > 0 && dueSoon > 0, `${overdue} overdue, ${dueSoon} due soon`);
    const demoAccounts = await ctx.db
      .selectFrom('accounts')
      .select('person_id')
      .where('username', 'in', ['demo.dsl', 'demo.head', 'demo.teacher', 'demo.governor'])
      .execute();
    const states = new Map(report.people.map((p) => [p.personId, p.state]));
    for (const { person_id } of demoAccounts) assert.equal(states.get(person_id), 'up_to_date');
  });

  it('refuses to run on a database that already has a school', async () => {
    await assert.rejects(createDemoSchool(ctx, { password: PASSWORD }), (e: unknown) => e instanceof AppError && e.id === 'conflict');
    const schools = await ctx.db
      .selectFrom('schools')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(schools.n), 1);
  });
});

describe('the demo school from a seed', () => {
  /** Everything but the generated ids, in a stable order. */
  async function snapshot(ctx: Ctx) {
    const people = await ctx.db
      .selectFrom('people')
      .select(['kind', 'mis_id', 'given_name', 'family_name', 'preferred_name', 'email', 'year_group', 'date_of_birth', 'job_title'])
      .orderBy('kind')
      .orderBy('mis_id')
      .orderBy('email')
      .execute();
    const guardians = await ctx.db
      .selectFrom('guardians')
      .innerJoin('people as parent', 'parent.id', 'guardians.parent_id')
      .innerJoin('people as student', 'student.id', 'guardians.student_id')
      .select(['parent.mis_id as parent', 'student.mis_id as student', 'guardians.relationship', 'guardians.priority'])
      .orderBy('parent.mis_id')
      .orderBy('student.mis_id')
      .execute();
    const members = await ctx.db
      .selectFrom('group_members')
      .innerJoin('groups', 'groups.id', 'group_members.group_id')
      .innerJoin('people', 'people.id', 'group_members.person_id')
      .select(['groups.kind', 'groups.code', 'people.email', 'group_members.member_role'])
      .orderBy('groups.kind')
      .orderBy('groups.code')
      .orderBy('people.email')
      .execute();
    const accounts = await ctx.db
      .selectFrom('accounts')
      .innerJoin('people', 'people.id', 'accounts.person_id')
      .select(['accounts.username', 'people.email'])
      .orderBy('accounts.username')
      .execute();
    return { people, guardians, members, accounts };
  }

  it('builds the same school from the same seed in two fresh databases', async () => {
    const runs = [];
    for (const password of [PASSWORD, undefined]) {
      const t = await createTestStore();
      try {
        const ctx = testContext(t);
        const demo = await createDemoSchool(ctx, { password, seed: 42 });
        const dsl = await personByUsername(ctx, 'demo.dsl');
        assert.equal(await verifyPassword(dsl.password_hash!, demo.password), true);
        runs.push({ demo, data: await snapshot(ctx) });
      } finally {
        await t.cleanup();
      }
    }
    const [a, b] = runs as [(typeof runs)[0], (typeof runs)[0]];
    assert.ok(a.data.people.length > 2500);
    assert.deepEqual(b.data, a.data);
    assert.deepEqual(b.demo.accounts, a.demo.accounts);
    assert.deepEqual(b.demo.counts, a.demo.counts);
    // Without a password given, one is generated (and shown once by the caller).
    assert.match(b.demo.password, /^[a-z]+(-[a-z]+){3}-\d{2}$/);
  });

  it('builds a different school from a different seed', () => {
    const now = new Date('2026-11-24T09:00:00Z');
    const names = (seed: number) => buildDemoPlan(seed, now).people.map((p) => `${p.givenName} ${p.familyName}`);
    assert.deepEqual(names(7), names(7));
    assert.notDeepEqual(names(7), names(8));
  });

  it('refuses a seed that is not a whole number, writing nothing', async () => {
    const t = await createTestStore();
    try {
      await assert.rejects(
        createDemoSchool(testContext(t), { seed: Number.NaN }),
        (e: unknown) => e instanceof AppError && e.id === 'validation_failed',
      );
      assert.equal(await hasDemoSchool(t.store.db), false);
    } finally {
      await t.cleanup();
    }
  });
});

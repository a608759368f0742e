import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RetentionConfig } from '../../config/config.js';
import { createTestStore, testContext } from '../../testing/store.js';
import { insertIncident } from '../response/testing.js';
import { type SafeguardingWorld, safeguardingWorld } from '../testing.js';
import { runRetention, SCHEDULE_RUNNER } from './job.js';
import { isDue, type RetentionFacts, retentionDecision } from './rules.js';
import { startRetentionSchedule } from './schedule.js';

const RULES: RetentionConfig = { studentYearsAfterBirth: 25, misuseYearsAfterClose: 6, staffYearsAfterClose: 10, jobHours: 24 };
const closed = (facts: Partial<RetentionFacts>): RetentionFacts => ({
  subjectKind: 'student',
  category: 'cyberbullying',
  status: 'closed',
  closedAt: '2020-03-01T10:00:00.000Z',
  archivedAt: null,
  studentSubjectBirthDates: [],
  ...facts,
});

describe('retention rules', () => {
  it('keeps student safeguarding records until 25 years after the youngest subject was born', () => {
    const d = retentionDecision(closed({ studentSubjectBirthDates: ['2008-09-01', '2010-02-14', null] }), RULES);
    assert.equal(d.recordType, 'student_safeguarding');
    assert.equal(d.basis, 'date_of_birth');
    assert.equal(d.dueAt, '2035-02-14T00:00:00.000Z');
    assert.match(d.reason, /^student safeguarding record: kept until 25 years after the student's date of birth \(2035-02-14\)$/);
    assert.equal(isDue({ archivedAt: null }, d, new Date('2035-02-13T23:59:59Z')), false);
    assert.equal(isDue({ archivedAt: null }, d, new Date('2035-02-14T00:00:00Z')), true);
  });

  it('counts from the closing date when no date of birth is known, never earlier than the birth rule', () => {
    const d = retentionDecision(closed({ studentSubjectBirthDates: [null, 'not a date'] }), RULES);
    assert.equal(d.basis, 'closed_at');
    assert.equal(d.dueAt, '2045-03-01T10:00:00.000Z');
    assert.match(d.reason, /no date of birth on record/);
  });

  it('keeps misuse records 6 years and staff records 10 years after closing', () => {
    for (const category of ['misuse_of_systems', 'filter_circumvention', 'account_misuse', 'copyright']) {
      const d = retentionDecision(closed({ category, studentSubjectBirthDates: ['2010-01-01'] }), RULES);
      assert.deepEqual([d.recordType, d.dueAt], ['student_misuse', '2026-03-01T10:00:00.000Z'], category);
    }
    const staff = retentionDecision(closed({ subjectKind: 'staff', category: 'misuse_of_systems' }), RULES);
    assert.deepEqual([staff.recordType, staff.dueAt], ['staff', '2030-03-01T10:00:00.000Z'], 'staff misuse is a staff record');
  });

  it('never archives an open incident or one already archived', () => {
    const open = retentionDecision(closed({ status: 'open', closedAt: null, studentSubjectBirthDates: ['1990-01-01'] }), RULES);
    assert.equal(open.dueAt, null);
    assert.equal(isDue({ archivedAt: null }, open, new Date('2100-01-01')), false);
    const old = retentionDecision(closed({ subjectKind: 'staff', closedAt: '2000-01-01T00:00:00Z' }), RULES);
    assert.equal(isDue({ archivedAt: '2011-01-01T00:00:00Z' }, old, new Date('2100-01-01')), false);
  });

  it('moves a 29 February birthday to 1 March', () => {
    const d = retentionDecision(closed({ studentSubjectBirthDates: ['2008-02-29'] }), RULES);
    assert.equal(d.dueAt, '2033-03-01T00:00:00.000Z');
  });
});

describe('the retention job, its routes and archived incidents', () => {
  let w: SafeguardingWorld;
  const ids: Record<string, string> = {};
  const refs: Record<string, string> = {};

  const incident = async (
    name: string,
    options: { kind: 'student' | 'staff'; subject: string; category?: string; closedAt: string | null; school?: string; reporter?: string },
  ) => {
    const created = await insertIncident(w.ctx, {
      schoolId: options.school ?? w.schoolId,
      reportedBy: options.reporter ?? w.people.teacher.personId,
      subjectKind: options.kind,
      subjects: [options.subject],
      category: options.category,
    });
    if (options.closedAt) {
      await w.ctx.db
        .updateTable('incidents')
        .set({ status: 'closed', closed_at: options.closedAt, outcome: 'Dealt with' })
        .where('id', '=', created.id)
        .execute();
    }
    ids[name] = created.id;
    refs[name] = created.reference;
  };
  const row = (name: string) => w.ctx.db.selectFrom('incidents').selectAll().where('id', '=', ids[name]!).executeTakeFirstOrThrow();
  const archivedEntries = () =>
    w.ctx.db.selectFrom('incident_entries').select(['incident_id', 'body']).where('kind', '=', 'archived').execute();

  before(async () => {
    w = await safeguardingWorld();
    const { student, witness, colleague, otherStudent, otherDsl } = w.people;
    // Born 1 June 2001: 25 on 1 June 2026, before the world's clock (24 November 2026).
    await w.ctx.db.updateTable('people').set({ date_of_birth: '2001-06-01' }).where('id', '=', student.personId).execute();
    await w.ctx.db.updateTable('people').set({ date_of_birth: '2012-06-01' }).where('id', '=', witness.personId).execute();
    await incident('safeguardingDue', { kind: 'student', subject: student.personId, closedAt: '2015-05-01T09:00:00.000Z' });
    await incident('safeguardingYoung', { kind: 'student', subject: witness.personId, closedAt: '2015-05-01T09:00:00.000Z' });
    await incident('misuseDue', {
      kind: 'student',
      subject: witness.personId,
      category: 'filter_circumvention',
      closedAt: '2020-01-01T09:00:00.000Z',
    });
    await incident('misuseRecent', {
      kind: 'student',
      subject: witness.personId,
      category: 'copyright',
      closedAt: '2024-01-01T09:00:00.000Z',
    });
    await incident('staffDue', { kind: 'staff', subject: colleague.personId, closedAt: '2016-01-01T09:00:00.000Z' });
    await incident('staffOpen', { kind: 'staff', subject: colleague.personId, closedAt: null });
    await w.ctx.db.updateTable('incidents').set({ created_at: '2001-01-01T09:00:00.000Z' }).where('id', '=', ids.staffOpen!).execute();
    await incident('otherSchool', {
      kind: 'staff',
      subject: otherDsl.personId,
      closedAt: '2001-01-01T09:00:00.000Z',
      school: w.otherSchoolId,
      reporter: otherStudent.personId,
    });
  });
  after(async () => w.close());

  it('shows the periods in force and what is due, to the DSL and the head only', async () => {
    const res = await (await w.as('dee.dsl')).get('/api/incidents/retention');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.rules, { studentYearsAfterBirth: 25, misuseYearsAfterClose: 6, staffYearsAfterClose: 10, jobHours: 24 });
    assert.deepEqual(
      res.body.due.map((d: { reference: string; recordType: string }) => [d.reference, d.recordType]),
      [
        [refs.safeguardingDue, 'student_safeguarding'],
        [refs.misuseDue, 'student_misuse'],
      ],
      'oldest closed first; the staff incident is not for the DSL to see',
    );
    assert.deepEqual(res.body.dueCounts, { student_safeguarding: 1, student_misuse: 1, staff: 1 }, 'but it is counted');
    assert.deepEqual(res.body.runs, []);
    assert.equal(res.body.archivedCount, 0);
    const head = await (await w.as('hal.head')).get('/api/incidents/retention');
    assert.equal(head.status, 200);
    assert.deepEqual(
      head.body.due.map((d: { reference: string }) => d.reference),
      [refs.safeguardingDue, refs.staffDue, refs.misuseDue],
    );
    for (const username of ['tia.teacher', 'gil.governor', 'hana.hr', 'pat.parent', 'sam.student']) {
      const refused = await (await w.as(username)).get('/api/incidents/retention');
      assert.equal(refused.status, 403, username);
      const run = await (await w.as(username)).post('/api/incidents/retention/run', { dryRun: true });
      assert.equal(run.status, 403, username);
    }
    const other = await (await w.as('oda.dsl')).get('/api/incidents/retention');
    assert.deepEqual(other.body.due, []);
    assert.deepEqual(other.body.dueCounts, { student_safeguarding: 0, student_misuse: 0, staff: 1 }, 'each school sees only its own');
  });

  it('changes nothing on a dry run', async () => {
    const res = await (await w.as('dee.dsl')).post('/api/incidents/retention/run', { dryRun: true });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.dryRun, true);
    assert.equal(res.body.runId, null);
    assert.deepEqual(res.body.counts, { student_safeguarding: 1, student_misuse: 1, staff: 1 });
    assert.deepEqual(
      res.body.incidents.map((i: { id: string }) => i.id).sort(),
      [ids.safeguardingDue, ids.misuseDue].sort(),
      'the DSL is not shown the staff incident, only its count',
    );
    const archived = await w.ctx.db.selectFrom('incidents').select('id').where('archived_at', 'is not', null).execute();
    assert.deepEqual(archived, []);
    assert.deepEqual(await archivedEntries(), []);
    assert.deepEqual(await w.ctx.db.selectFrom('retention_runs').selectAll().execute(), []);
  });

  it('archives what is due in the school, with an entry, an audit entry and a run record, deleting nothing', async () => {
    const before = await w.ctx.db.selectFrom('incident_entries').select('id').execute();
    const res = await (await w.as('dee.dsl')).post('/api/incidents/retention/run', {});
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.counts, { student_safeguarding: 1, student_misuse: 1, staff: 1 });

    const safeguarding = await row('safeguardingDue');
    assert.equal(safeguarding.archived_at, '2026-11-24T09:00:00.000Z');
    assert.match(
      safeguarding.archive_reason ?? '',
      /^student safeguarding record: kept until 25 years after the student's date of birth \(2026-06-01\)/,
    );
    assert.match((await row('misuseDue')).archive_reason ?? '', /^student misuse record: kept until 6 years after closing \(2026-01-01\)/);
    assert.match((await row('staffDue')).archive_reason ?? '', /^staff incident record: kept until 10 years after closing/);
    for (const untouched of ['safeguardingYoung', 'misuseRecent', 'staffOpen', 'otherSchool']) {
      assert.equal((await row(untouched)).archived_at, null, untouched);
    }
    const entries = await archivedEntries();
    assert.deepEqual(entries.map((e) => e.incident_id).sort(), [ids.safeguardingDue, ids.misuseDue, ids.staffDue].sort());
    assert.ok(entries.every((e) => /^Archived by dee\.dsl: .*Nothing was deleted\.$/.test(e.body)));
    const after = await w.ctx.db.selectFrom('incident_entries').select('id').execute();
    assert.equal(after.length, before.length + 3, 'entries are only added');
    const audits = await w.ctx.db
      .selectFrom('audit_log')
      .select(['target_id', 'actor_username'])
      .where('action', '=', 'incident.archived')
      .execute();
    assert.deepEqual(audits.map((a) => a.target_id).sort(), [ids.safeguardingDue, ids.misuseDue, ids.staffDue].sort());
    assert.ok(audits.every((a) => a.actor_username === 'dee.dsl'));
    const runs = await w.ctx.db.selectFrom('retention_runs').selectAll().execute();
    assert.equal(runs.length, 1);
    assert.deepEqual([runs[0]!.school_id, runs[0]!.ran_by, runs[0]!.archived], [w.schoolId, 'dee.dsl', 3]);
    assert.deepEqual(JSON.parse(runs[0]!.details).counts, { student_safeguarding: 1, student_misuse: 1, staff: 1 });

    const status = await (await w.as('dee.dsl')).get('/api/incidents/retention');
    assert.deepEqual(status.body.due, []);
    assert.equal(status.body.archivedCount, 3);
    assert.equal(status.body.runs[0].ranBy, 'dee.dsl');
  });

  it('keeps an archived incident readable (audited) but refuses every change', async () => {
    const dsl = await w.as('dee.dsl');
    const id = ids.safeguardingDue!;
    const read = await dsl.get(`/api/incidents/${id}`);
    assert.equal(read.status, 200);
    const readAudit = await w.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'actor_username'])
      .where('target_id', '=', id)
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    assert.deepEqual(readAudit, { action: 'incident.read', actor_username: 'dee.dsl' });
    const close = await dsl.post(`/api/incidents/${id}/close`, { outcome: 'again' });
    assert.equal(close.status, 409);
    assert.equal(close.body.error, 'incident.archived');
    const action = await dsl.post(`/api/incidents/${id}/actions`, { action: 'warning' });
    assert.equal(action.status, 409);
    assert.equal(action.body.error, 'incident.archived');
    const note = await dsl.post(`/api/incidents/${id}/entries`, { kind: 'note', body: 'too late' });
    assert.equal(note.status, 409, 'no new notes on an archived incident');
    assert.equal(note.body.error, 'incident.archived');
    for (const path of ['actions', 'readers']) {
      const reading = await dsl.get(`/api/incidents/${id}/${path}`);
      assert.equal(reading.status, 200, `responders still read ${path} of an archived incident`);
    }
    const staff = await (await w.as('hal.head')).get(`/api/incidents/${ids.staffDue}`);
    assert.equal(staff.status, 200, 'the head still reads the archived staff incident');
    const teacher = await (await w.as('tia.teacher')).post(`/api/incidents/${id}/close`, { outcome: 'x' });
    assert.equal(teacher.status, 404, 'a refusal still reads as "not found"');
  });

  it('leaves archived incidents out of the working list; the archived list is for retention managers', async () => {
    const dsl = await w.as('dee.dsl');
    const list = await dsl.get('/api/incidents');
    const listed = list.body.map((i: { id: string }) => i.id);
    assert.ok(!listed.includes(ids.safeguardingDue) && !listed.includes(ids.misuseDue));
    assert.ok(listed.includes(ids.safeguardingYoung));
    const archived = await dsl.get('/api/incidents?archived=1');
    assert.equal(archived.status, 200);
    assert.deepEqual(archived.body.map((i: { id: string }) => i.id).sort(), [ids.safeguardingDue, ids.misuseDue].sort());
    const head = await (await w.as('hal.head')).get('/api/incidents?archived=1');
    assert.ok(head.body.some((i: { id: string }) => i.id === ids.staffDue));
    for (const username of ['tia.teacher', 'hana.hr', 'gil.governor']) {
      const refused = await (await w.as(username)).get('/api/incidents?archived=1');
      assert.equal(refused.status, 403, username);
    }
    const teacherList = await (await w.as('tia.teacher')).get('/api/incidents?mine=1');
    assert.ok(!teacherList.body.some((i: { id: string }) => i.id === ids.safeguardingDue), 'the reporter no longer sees it in their list');
  });

  it('skips what is archived and counts from the clock: the recent misuse record falls due in 2030', async () => {
    const dsl = { username: 'dee.dsl', accountId: w.people.dsl.accountId, personId: w.people.dsl.personId };
    const now = w.ctx.clock();
    try {
      w.ctx.clock.set(new Date('2029-12-31T23:59:00Z'));
      let dry = await runRetention(w.ctx, { schoolId: w.schoolId, by: dsl, dryRun: true });
      assert.deepEqual(
        dry.schools[0]!.archived.map((a) => a.id),
        [],
      );
      w.ctx.clock.set(new Date('2030-01-01T09:00:00Z'));
      dry = await runRetention(w.ctx, { schoolId: w.schoolId, by: dsl, dryRun: true });
      assert.deepEqual(
        dry.schools[0]!.archived.map((a) => a.id),
        [ids.misuseRecent],
      );
      w.ctx.clock.set(new Date('2037-06-01T00:00:00Z'));
      dry = await runRetention(w.ctx, { schoolId: w.schoolId, by: dsl, dryRun: true });
      assert.deepEqual(dry.schools[0]!.archived.map((a) => a.id).sort(), [ids.misuseRecent, ids.safeguardingYoung].sort());
      assert.equal((await row('staffOpen')).archived_at, null);
    } finally {
      w.ctx.clock.set(now);
    }
  });

  it('runs on a schedule for every school as retention-job', async () => {
    const logged: string[] = [];
    const log = {
      info: (_o: object, m?: string) => logged.push(`info ${m}`),
      error: (_o: object, m?: string) => logged.push(`error ${m}`),
    };
    const schedule = startRetentionSchedule(w.ctx, log, { firstRunDelayMs: 0 });
    await schedule.firstRun;
    schedule.stop();
    assert.deepEqual(logged, ['info retention job ran']);
    assert.ok((await row('otherSchool')).archived_at, "the other school's due incident is archived");
    const runs = await w.ctx.db
      .selectFrom('retention_runs')
      .select(['school_id', 'archived'])
      .where('ran_by', '=', 'retention-job')
      .execute();
    assert.deepEqual(
      runs.map((r) => [r.school_id, r.archived]).sort(),
      [
        [w.schoolId, 0],
        [w.otherSchoolId, 1],
      ].sort(),
    );
    const audit = await w.ctx.db
      .selectFrom('audit_log')
      .select(['actor_username', 'details'])
      .where('action', '=', 'incident.archived')
      .where('target_id', '=', ids.otherSchool!)
      .executeTakeFirstOrThrow();
    assert.equal(audit.actor_username, null);
    assert.equal(JSON.parse(audit.details).ranBy, SCHEDULE_RUNNER.username);
  });
});

describe('the retention schedule', () => {
  it('logs a failed run instead of throwing', async () => {
    const store = await createTestStore();
    const ctx = testContext(store);
    await store.cleanup();
    const logged: string[] = [];
    const schedule = startRetentionSchedule(
      ctx,
      { info: (_o, m) => logged.push(`info ${m}`), error: (_o, m) => logged.push(`error ${m}`) },
      { firstRunDelayMs: 0 },
    );
    // The schedule's timers never hold the process open; with the store closed, nothing else does.
    const keepAlive = setInterval(() => {}, 1000);
    try {
      await schedule.firstRun;
    } finally {
      clearInterval(keepAlive);
      schedule.stop();
    }
    assert.deepEqual(logged, ['error retention job failed; it will try again at the next run']);
  });

  it('does not run when jobHours is 0', async () => {
    const store = await createTestStore();
    try {
      const ctx = testContext(store, { TUTELA_RETENTION_JOB_HOURS: '0' });
      const logged: string[] = [];
      const schedule = startRetentionSchedule(
        ctx,
        { info: () => logged.push('info'), error: () => logged.push('error') },
        { firstRunDelayMs: 0 },
      );
      await schedule.firstRun;
      schedule.stop();
      assert.deepEqual(logged, []);
      assert.deepEqual(await ctx.db.selectFrom('retention_runs').selectAll().execute(), []);
    } finally {
      await store.cleanup();
    }
  });
});

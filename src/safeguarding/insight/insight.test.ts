import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Insertable } from 'kysely';
import { newId } from '../../db/ids.js';
import type { IncidentInvestigationTable } from '../../db/tables.js';
import { ensureFilterPolicy } from '../../filter/policy/ensure.js';
import { insertIncident, type ResponseWorld, responseWorld } from '../response/testing.js';
import { conclusionOf, termOf } from './stats.js';

const NOW = new Date('2026-11-24T09:00:00Z');

/** An investigation row as the investigation routes store it, with the columns a test cares about. */
function investigation(incidentId: string, values: Partial<Insertable<IncidentInvestigationTable>> = {}) {
  return {
    incident_id: incidentId,
    procedure: 'standard' as const,
    urls: '[]',
    content_description: 'Screenshots of the messages',
    designated_computer: null,
    police_referred_at: null,
    police_reference: null,
    police_referred_by: null,
    device_isolated_at: null,
    device_isolated_by: null,
    conclusion: null,
    actions_taken: null,
    concluded_at: null,
    concluded_by: null,
    created_at: NOW.toISOString(),
    updated_at: NOW.toISOString(),
    ...values,
  };
}

describe("governors' anonymised incident counts", () => {
  let w: ResponseWorld;
  const secrets: string[] = [];
  before(async () => {
    w = await responseWorld();
    const { student, witness, colleague, teacher } = w.people;
    const at = (iso: string) => w.ctx.clock.set(new Date(iso));
    at('2026-10-05T10:00:00Z');
    const bullying = await insertIncident(w.ctx, {
      schoolId: w.schoolId,
      reportedBy: teacher.personId,
      subjectKind: 'student',
      subjects: [student.personId, witness.personId],
    });
    at('2026-11-02T10:00:00Z');
    const conduct = await insertIncident(w.ctx, {
      schoolId: w.schoolId,
      reportedBy: teacher.personId,
      subjectKind: 'staff',
      subjects: [colleague.personId],
      category: 'staff_conduct',
    });
    await w.ctx.db.updateTable('incidents').set({ status: 'closed' }).where('id', '=', conduct.id).execute();
    await w.ctx.db
      .insertInto('incident_investigations')
      .values(investigation(conduct.id, { conclusion: 'substantiated', content_description: 'Messages Col Colleague sent' }))
      .execute();
    at('2026-05-10T10:00:00Z');
    const earlier = await insertIncident(w.ctx, {
      schoolId: w.schoolId,
      reportedBy: teacher.personId,
      subjectKind: 'student',
      subjects: [student.personId],
      category: 'inappropriate_content',
    });
    w.ctx.clock.set(NOW);
    secrets.push(
      ...[bullying, conduct, earlier].flatMap((i) => [i.id, i.reference]),
      ...[student, witness, colleague, teacher].map((p) => p.personId),
      'Sam',
      'Wendy',
      'Col',
      'Colleague',
      'Tia',
      'Unkind messages',
    );
  });
  after(async () => w.close());

  it('gives a governor single-dimension counts and the previous period, with nothing that names anyone', async () => {
    const governor = await w.as('gil.governor');
    const res = await governor.get('/api/incidents/stats?from=2026-09-01T00:00:00Z&to=2026-12-01T00:00:00Z');
    assert.equal(res.status, 200);
    const { current, previous } = res.body;
    assert.equal(current.total, 2);
    assert.deepEqual(current.byCategory, { cyberbullying: 1, staff_conduct: 1 });
    assert.deepEqual(current.bySubjectKind, { student: 1, staff: 1 });
    assert.deepEqual(current.byYearGroup, { '8': 1 }, 'two Year 8 subjects of one incident count once');
    assert.deepEqual(current.byOutcome, { open: 1, closed: 1 });
    assert.deepEqual(current.byConclusion, { substantiated: 1, not_substantiated: 0, under_investigation: 0, no_investigation: 1 });
    assert.deepEqual(current.byTerm, { '2026-27 autumn': 2 });
    assert.equal(res.body.previousPeriod.from, '2026-06-02T00:00:00.000Z');
    assert.equal(previous.total, 0, 'the May incident is before the previous period of equal length');

    const year = await governor.get('/api/incidents/stats?from=2025-12-01T00:00:00Z&to=2026-12-01T00:00:00Z');
    assert.equal(year.body.current.total, 3);
    assert.deepEqual(year.body.current.byTerm, { '2025-26 summer': 1, '2026-27 autumn': 2 });
    assert.deepEqual(year.body.current.byCategory, { cyberbullying: 1, staff_conduct: 1, inappropriate_content: 1 });

    const trend = await governor.get('/api/incidents/stats?from=2026-12-01T00:00:00Z&to=2027-12-01T00:00:00Z');
    assert.equal(trend.body.current.total, 0);
    assert.equal(trend.body.previous.total, 3);

    for (const body of [res.body, year.body, trend.body].map((b) => JSON.stringify(b))) {
      for (const secret of secrets) assert.ok(!body.includes(secret), `the answer must not contain ${secret}`);
    }
    const audit = await w.ctx.db.selectFrom('audit_log').select(['actor_username']).where('action', '=', 'incident.stats').execute();
    assert.equal(audit.filter((a) => a.actor_username === 'gil.governor').length, 3);
  });

  it('defaults to the last year and refuses impossible periods', async () => {
    const dsl = await w.as('dee.dsl');
    const res = await dsl.get('/api/incidents/stats');
    assert.equal(res.status, 200);
    assert.equal(res.body.period.to, NOW.toISOString());
    assert.equal(res.body.current.total, 3);
    const bad = await dsl.get('/api/incidents/stats?from=yesterday');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error, 'validation_failed');
    const reversed = await dsl.get('/api/incidents/stats?from=2026-12-01T00:00:00Z&to=2026-01-01T00:00:00Z');
    assert.equal(reversed.status, 400);
  });

  it('refuses teachers, parents and students', async () => {
    for (const username of ['tia.teacher', 'pat.parent', 'sam.student']) {
      const res = await (await w.as(username)).get('/api/incidents/stats');
      assert.equal(res.status, 403, username);
    }
  });
});

describe('the term an incident falls in', () => {
  it("follows England's calendar, so the first hour of September in summer time is autumn", () => {
    assert.equal(termOf(new Date('2026-08-31T23:30:00Z')), '2026-27 autumn');
    assert.equal(termOf(new Date('2026-08-31T22:30:00Z')), '2025-26 summer');
    assert.equal(termOf(new Date('2027-01-01T00:10:00Z')), '2026-27 spring');
    assert.equal(termOf(new Date('2027-03-31T23:30:00Z')), '2026-27 summer');
  });
});

describe('the outcome of an investigation as governors see it', () => {
  it('tells no investigation, one under way and each conclusion apart', () => {
    assert.equal(conclusionOf({ investigation_id: null, conclusion: null }), 'no_investigation');
    assert.equal(conclusionOf({ investigation_id: 'i', conclusion: null }), 'under_investigation');
    assert.equal(conclusionOf({ investigation_id: 'i', conclusion: 'substantiated' }), 'substantiated');
    assert.equal(conclusionOf({ investigation_id: 'i', conclusion: 'not_substantiated' }), 'not_substantiated');
  });
});

describe("a student's chronology", () => {
  let w: ResponseWorld;
  let path: string;
  const refs: Record<string, string> = {};
  before(async () => {
    w = await responseWorld();
    const { student, witness, colleague, teacher, dsl } = w.people;
    await ensureFilterPolicy(w.ctx.db, w.schoolId, w.ctx.clock);
    const at = (iso: string) => w.ctx.clock.set(new Date(iso));
    at('2026-10-01T10:00:00Z');
    const subject = await insertIncident(w.ctx, {
      schoolId: w.schoolId,
      reportedBy: teacher.personId,
      subjectKind: 'student',
      subjects: [student.personId],
    });
    refs.subject = subject.reference;
    await w.ctx.db
      .insertInto('incident_actions')
      .values({
        id: newId(),
        incident_id: subject.id,
        action: 'warning',
        status: 'done',
        suggested: 1,
        due_at: null,
        note: null,
        done_by: dsl.personId,
        done_at: '2026-10-02T10:00:00.000Z',
        sanction_id: null,
        created_at: '2026-10-01T11:00:00.000Z',
        updated_at: '2026-10-02T10:00:00.000Z',
      })
      .execute();
    await w.ctx.db
      .insertInto('filter_sanctions')
      .values({
        id: newId(),
        school_id: w.schoolId,
        person_id: student.personId,
        kind: 'no_internet',
        from_at: '2026-10-03T08:00:00.000Z',
        until_at: '2026-10-10T16:00:00.000Z',
        still_allowed: '[]',
        reason: 'Removal of internet access rights',
        source: 'incident',
        source_id: subject.id,
        created_by: dsl.personId,
        created_at: '2026-10-03T08:00:00.000Z',
        lifted_at: null,
        lifted_by: null,
      })
      .execute();
    at('2026-10-20T10:00:00Z');
    const staff = await insertIncident(w.ctx, {
      schoolId: w.schoolId,
      reportedBy: teacher.personId,
      subjectKind: 'staff',
      subjects: [colleague.personId],
      witnesses: [student.personId],
      category: 'staff_conduct',
    });
    refs.staff = staff.reference;
    at('2026-11-01T10:00:00Z');
    const witnessed = await insertIncident(w.ctx, {
      schoolId: w.schoolId,
      reportedBy: teacher.personId,
      subjectKind: 'student',
      subjects: [witness.personId],
      witnesses: [student.personId],
    });
    refs.witnessed = witnessed.reference;
    const event = (person: string, atIso: string, action: 'allow' | 'block', category: string) => ({
      id: newId(),
      school_id: w.schoolId,
      at: atIso,
      source: 'dns',
      person_id: person,
      device_id: null,
      client_address: null,
      host: `${category}.example`,
      url: null,
      search_terms: null,
      category,
      action,
      rule: null,
      policy_version: 1,
      profile_id: null,
    });
    await w.ctx.db
      .insertInto('activity_events')
      .values([
        event(student.personId, '2026-11-10T12:00:00.000Z', 'block', 'self_harm'),
        event(student.personId, '2026-11-11T12:00:00.000Z', 'block', 'gambling'),
        event(student.personId, '2026-11-12T12:00:00.000Z', 'allow', 'self_harm'),
        event(student.personId, '2026-07-01T12:00:00.000Z', 'block', 'self_harm'),
        event(witness.personId, '2026-11-13T12:00:00.000Z', 'block', 'self_harm'),
      ])
      .execute();
    w.ctx.clock.set(NOW);
    path = `/api/incidents/students/${student.personId}/chronology`;
  });
  after(async () => w.close());

  it('gives the DSL one time-ordered list of incidents, actions, sanctions and recent alerting blocks', async () => {
    const res = await (await w.as('dee.dsl')).get(path);
    assert.equal(res.status, 200);
    assert.equal(res.body.student.personId, w.people.student.personId);
    const lines = res.body.items.map((i: Record<string, unknown>) => [i.kind, i.at, i.reference ?? i.host ?? i.until]);
    assert.deepEqual(lines, [
      ['incident', '2026-10-01T10:00:00.000Z', refs.subject],
      ['action', '2026-10-02T10:00:00.000Z', refs.subject],
      ['sanction', '2026-10-03T08:00:00.000Z', '2026-10-10T16:00:00.000Z'],
      ['incident', '2026-11-01T10:00:00.000Z', refs.witnessed],
      ['filter_alert', '2026-11-10T12:00:00.000Z', 'self_harm.example'],
    ]);
    const [first, action, , witnessed] = res.body.items;
    assert.equal(first.role, 'subject');
    assert.equal(first.category, 'cyberbullying');
    assert.equal(action.action, 'warning');
    assert.equal(action.status, 'done');
    assert.equal(witnessed.role, 'witness');
    assert.ok(!JSON.stringify(res.body).includes(refs.staff!), 'the staff incident is for the head and HR, not the DSL');
  });

  it('shows the head the staff incident the DSL may not read, and audits each read naming the student', async () => {
    const res = await (await w.as('hal.head')).get(path);
    assert.equal(res.status, 200);
    const incidents = res.body.items.filter((i: { kind: string }) => i.kind === 'incident');
    assert.deepEqual(
      incidents.map((i: { reference: string }) => i.reference),
      [refs.subject, refs.staff, refs.witnessed],
    );
    const audit = await w.ctx.db
      .selectFrom('audit_log')
      .select(['actor_username', 'target_id'])
      .where('action', '=', 'incident.chronology')
      .execute();
    assert.deepEqual(audit.map((a) => a.actor_username).sort(), ['dee.dsl', 'hal.head']);
    assert.ok(audit.every((a) => a.target_id === w.people.student.personId));
  });

  it('refuses a teacher and a governor, and answers 404 for someone who is not a student here', async () => {
    for (const username of ['tia.teacher', 'gil.governor', 'hana.hr']) {
      assert.equal((await (await w.as(username)).get(path)).status, 403, username);
    }
    const other = await (await w.as('oda.dsl')).get(path);
    assert.equal(other.status, 404);
    const staff = await (await w.as('dee.dsl')).get(`/api/incidents/students/${w.people.teacher.personId}/chronology`);
    assert.equal(staff.status, 404);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newId } from '../../db/ids.js';
import { addUser } from '../../testing/fixtures.js';
import { type SafeguardingWorld, safeguardingWorld } from '../testing.js';

const NOW = new Date('2026-11-24T09:00:00Z');
const PATH = '/api/incidents/log/anonymised';

describe('the anonymised incident log export', () => {
  let w: SafeguardingWorld;
  let ninaId = '';
  const ids: Record<string, string> = {};
  const refs: Record<string, string> = {};
  const secrets: string[] = [];

  /** Logs a concern through the API at a given time, with the students' names in its words. */
  const logAt = async (
    username: string,
    iso: string,
    body: { subjectKind: 'student' | 'staff'; subjects: string[]; category: string; urgency: string; summary: string },
  ) => {
    w.ctx.clock.set(new Date(iso));
    // Signed in afresh at each time: a session from another month would have timed out.
    const res = await (await w.as(username, { fresh: true })).post('/api/incidents', {
      subjectKind: body.subjectKind,
      people: body.subjects.map((personId) => ({ personId, role: 'subject' })),
      summary: body.summary,
      description: `${body.summary}. Reported at 10:00 on the day, see the screenshots.`,
      occurredAt: iso,
      location: 'in_school',
      category: body.category,
      urgency: body.urgency,
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return { id: res.body.id as string, reference: res.body.reference as string };
  };

  before(async () => {
    w = await safeguardingWorld();
    const { student, witness, colleague, dsl, otherStudent } = w.people;
    const nina = await addUser(w.ctx, w.schoolId, 'nina.nine', ['student'], { yearGroup: 9, isDemo: true });
    ninaId = nina.personId;
    await addUser(w.ctx, w.otherSchoolId, 'ola.governor', ['governor'], { isDemo: true });

    const bullying = await logAt('tia.teacher', '2026-10-05T10:00:00Z', {
      subjectKind: 'student',
      subjects: [student.personId, ninaId],
      category: 'cyberbullying',
      urgency: 'high',
      summary: 'Sam Student and Nina Nine posted about Wendy Witness',
    });
    const conduct = await logAt('tia.teacher', '2026-11-02T10:00:00Z', {
      subjectKind: 'staff',
      subjects: [colleague.personId],
      category: 'staff_conduct',
      urgency: 'medium',
      summary: 'Col Colleague messaged Sam Student at night',
    });
    const earlier = await logAt('tia.teacher', '2026-05-10T10:00:00Z', {
      subjectKind: 'student',
      subjects: [witness.personId],
      category: 'inappropriate_content',
      urgency: 'low',
      summary: 'Wendy Witness looked at unsuitable videos',
    });
    const elsewhere = await logAt('oda.dsl', '2026-10-20T10:00:00Z', {
      subjectKind: 'student',
      subjects: [otherStudent.personId],
      category: 'grooming_contact',
      urgency: 'urgent',
      summary: 'Ozzy Student was contacted by a stranger',
    });
    Object.assign(ids, { bullying: bullying.id, conduct: conduct.id, earlier: earlier.id, elsewhere: elsewhere.id });
    Object.assign(refs, { bullying: bullying.reference, conduct: conduct.reference, elsewhere: elsewhere.reference });
    w.ctx.clock.set(NOW);
    const at = NOW.toISOString();

    // The bullying incident: two actions done, one pending, parents informed, internet removed,
    // an investigation that found it substantiated and referred it to the police.
    const action = (incidentId: string, name: string, status: 'done' | 'pending') => ({
      id: newId(),
      incident_id: incidentId,
      action: name,
      status,
      suggested: 1,
      due_at: null,
      note: `Spoke to Sam Student about ${name}`,
      done_by: status === 'done' ? dsl.personId : null,
      done_at: status === 'done' ? at : null,
      sanction_id: null,
      created_at: at,
      updated_at: at,
    });
    await w.ctx.db
      .insertInto('incident_actions')
      .values([
        action(bullying.id, 'warning', 'done'),
        action(bullying.id, 'refer_head_of_year', 'done'),
        action(bullying.id, 'further_sanction', 'pending'),
        action(conduct.id, 'refer_headteacher', 'done'),
      ])
      .execute();
    await w.ctx.db
      .insertInto('incident_parent_contacts')
      .values({
        id: newId(),
        incident_id: bullying.id,
        student_id: student.personId,
        parent_person_id: w.people.parent.personId,
        parent_name: 'Pat Parent',
        method: 'phone',
        contacted_at: at,
        contacted_by: dsl.personId,
        note: 'Pat Parent will talk to Sam',
        created_at: at,
      })
      .execute();
    await w.ctx.db
      .insertInto('filter_sanctions')
      .values({
        id: newId(),
        school_id: w.schoolId,
        person_id: student.personId,
        kind: 'no_internet',
        from_at: at,
        until_at: '2026-12-01T16:00:00.000Z',
        still_allowed: '[]',
        reason: `Incident ${bullying.reference}: removal of internet access rights`,
        source: 'incident',
        source_id: bullying.id,
        created_by: dsl.personId,
        created_at: at,
        lifted_at: null,
        lifted_by: null,
      })
      .execute();
    await w.ctx.db
      .insertInto('incident_investigations')
      .values({
        incident_id: bullying.id,
        procedure: 'standard',
        urls: '["https://chat.example/sam-student"]',
        content_description: 'Messages from Sam Student to Wendy Witness',
        designated_computer: null,
        police_referred_at: at,
        police_reference: 'POL-42-SECRET',
        police_referred_by: dsl.personId,
        device_isolated_at: null,
        device_isolated_by: null,
        conclusion: 'substantiated',
        actions_taken: 'Sam Student apologised',
        concluded_at: at,
        concluded_by: dsl.personId,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await w.ctx.db
      .updateTable('incidents')
      .set({ status: 'closed', outcome: 'Col Colleague was warned', closed_by: w.people.head.personId, closed_at: at })
      .where('id', '=', conduct.id)
      .execute();

    secrets.push(
      ...Object.values(ids),
      ...Object.values(refs),
      refs.bullying!.slice(0, 8),
      ...Object.values(w.people).map((p) => p.personId),
      ninaId,
      ...['Sam', 'Student', 'Nina', 'Nine', 'Wendy', 'Witness', 'Colleague', 'Tia', 'Teacher', 'Pat', 'Ozzy'],
      ...['screenshots', 'posted', 'messaged', 'apologised', 'warned', 'Spoke', 'POL-42', 'chat.example'],
      ...['2026-10-05', '2026-11-02', '2026-05-10', '10:00'],
    );
  });
  after(async () => w.close());

  const assertNothingNamed = (text: string, what: string) => {
    for (const secret of secrets) assert.ok(!text.includes(secret), `the ${what} must not contain "${secret}"`);
  };

  it('gives the governor one row per incident: the month, values from fixed lists, and no name, reference or free text', async () => {
    const governor = await w.as('gil.governor');
    const json = await governor.get(`${PATH}?from=2026-09-01&to=2026-12-01&format=json`);
    assert.equal(json.status, 200, JSON.stringify(json.body));
    assert.deepEqual(json.body, [
      {
        month: '2026-10',
        term: '2026-27 autumn',
        category: 'cyberbullying',
        subjectKind: 'student',
        yearGroups: ['8', '9'],
        urgency: 'high',
        status: 'open',
        conclusion: 'substantiated',
        actionsDone: ['refer_head_of_year', 'warning'],
        parentsInformed: true,
        internetSanction: true,
        policeReferred: true,
      },
      {
        month: '2026-11',
        term: '2026-27 autumn',
        category: 'staff_conduct',
        subjectKind: 'staff',
        yearGroups: [],
        urgency: 'medium',
        status: 'closed',
        conclusion: 'no_investigation',
        actionsDone: ['refer_headteacher'],
        parentsInformed: false,
        internetSanction: false,
        policeReferred: false,
      },
    ]);
    assertNothingNamed(JSON.stringify(json.body), 'JSON export');

    const csv = await governor.get(`${PATH}?from=2026-09-01&to=2026-12-01`);
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
    assert.match(csv.headers.get('content-disposition') ?? '', /attachment; filename="anonymised-incident-log-2026-11-24\.csv"/);
    assert.equal(
      csv.body,
      [
        'month,term,category,subject_kind,year_groups,urgency,status,investigation_conclusion,actions_done,parents_informed,internet_sanction,police_referred',
        '2026-10,2026-27 autumn,cyberbullying,student,8;9,high,open,substantiated,refer_head_of_year;warning,yes,yes,yes',
        '2026-11,2026-27 autumn,staff_conduct,staff,,medium,closed,no_investigation,refer_headteacher,no,no,no',
        '',
      ].join('\n'),
    );
    assertNothingNamed(csv.body, 'CSV export');
  });

  it('covers the last year by default and writes every export to the audit log', async () => {
    const dsl = await w.as('dee.dsl');
    const year = await dsl.get(`${PATH}?format=json`);
    assert.equal(year.status, 200);
    assert.deepEqual(
      year.body.map((r: { month: string; category: string }) => `${r.month} ${r.category}`),
      ['2026-05 inappropriate_content', '2026-10 cyberbullying', '2026-11 staff_conduct'],
    );
    assert.equal(year.body[0].conclusion, 'no_investigation');
    assertNothingNamed(JSON.stringify(year.body), 'JSON export');

    const audit = await w.ctx.db
      .selectFrom('audit_log')
      .select(['actor_username', 'details', 'school_id'])
      .where('action', '=', 'incident.log.export')
      .orderBy('seq')
      .execute();
    assert.deepEqual(
      audit.map((a) => [a.actor_username, a.school_id]),
      [
        ['gil.governor', w.schoolId],
        ['gil.governor', w.schoolId],
        ['dee.dsl', w.schoolId],
      ],
    );
    const last = JSON.parse(String(audit.at(-1)!.details));
    assert.deepEqual(last, { from: '2025-11-24T09:00:00.000Z', to: NOW.toISOString(), format: 'json', rows: 3 });
  });

  it("shows another school's governor and DSL only their own school's incidents", async () => {
    for (const username of ['ola.governor', 'oda.dsl']) {
      const res = await (await w.as(username, { fresh: true })).get(`${PATH}?from=2026-01-01&to=2026-12-01&format=json`);
      assert.equal(res.status, 200, username);
      assert.deepEqual(
        res.body.map((r: { category: string; yearGroups: string[] }) => [r.category, r.yearGroups]),
        [['grooming_contact', ['8']]],
        username,
      );
    }
  });

  it('refuses teachers, the reporter, a member of staff the log mentions, HR, students and parents', async () => {
    for (const username of ['tia.teacher', 'col.colleague', 'hana.hr', 'sam.student', 'pat.parent']) {
      const res = await (await w.as(username, { fresh: true })).get(`${PATH}?format=json`);
      assert.equal(res.status, 403, username);
      assert.equal(res.body.error, 'forbidden', username);
      assertNothingNamed(JSON.stringify(res.body), 'refusal');
    }
  });

  it('refuses impossible periods and formats with a clear 400', async () => {
    const governor = await w.as('gil.governor');
    const cases: [string, RegExp][] = [
      ['from=yesterday', /from must be a date/],
      ['from=2026-02-31', /from must be a date/],
      ['to=2026-13-01', /to must be a date/],
      ['from=2026-12-01&to=2026-01-01', /from must be before to/],
      ['format=xlsx', /format/],
    ];
    for (const [query, message] of cases) {
      const res = await governor.get(`${PATH}?${query}`);
      assert.equal(res.status, 400, query);
      assert.equal(res.body.error, 'validation_failed', query);
      assert.match(res.body.message, message, query);
    }
  });
});

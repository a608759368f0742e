import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addUser } from '../../testing/fixtures.js';
import { INCIDENT_CATEGORY_IDS } from '../categories.js';
import { type ConcernsWorld, concernsWorld } from './testing.js';

describe('safeguarding concerns: logging, reading, corrections, readers', () => {
  let w: ConcernsWorld;
  before(async () => {
    w = await concernsWorld();
  });
  after(async () => w.close());

  const studentConcern = (overrides: Record<string, unknown> = {}) => ({
    subjectKind: 'student',
    people: [
      { personId: w.people.student.personId, role: 'subject' },
      { personId: w.people.witness.personId, role: 'witness' },
    ],
    summary: 'Unkind messages in the Year 8 group chat',
    description: 'Sam has been sending unkind messages about another student in the group chat.',
    occurredAt: '2026-11-24T08:30:00Z',
    location: 'out_of_school',
    category: 'cyberbullying',
    urgency: 'high',
    ...overrides,
  });

  const notificationsOf = (personId: string) =>
    w.ctx.db
      .selectFrom('notifications')
      .selectAll()
      .where('recipient_person_id', '=', personId)
      .where('kind', '=', 'incident.new')
      .execute();
  const count = async (table: 'incidents' | 'incident_people' | 'incident_entries' | 'incident_links') =>
    Number(
      (
        await w.ctx.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const auditOf = (action: string, targetId?: string) => {
    let q = w.ctx.db.selectFrom('audit_log').select(['actor_username', 'details']).where('action', '=', action);
    if (targetId) q = q.where('target_id', '=', targetId);
    return q.orderBy('seq').execute();
  };

  let studentIncidentId = '';

  it('logs a concern about a student; the DSL is told in the app and by e-mail, without the name', async () => {
    const teacher = await w.as('tia.teacher');
    const categories = await teacher.get('/api/incidents/categories');
    assert.deepEqual(
      categories.body.map((c: { id: string }) => c.id),
      [...INCIDENT_CATEGORY_IDS],
    );
    const picker = await teacher.get('/api/incidents/people?q=sam');
    assert.equal(picker.status, 200);
    assert.deepEqual(
      picker.body.map((p: { id: string; kind: string; yearGroup: number }) => [p.id, p.kind, p.yearGroup]),
      [[w.people.student.personId, 'student', 8]],
    );

    const created = await teacher.post('/api/incidents', studentConcern());
    assert.equal(created.status, 201, JSON.stringify(created.body));
    studentIncidentId = created.body.id;
    assert.equal(created.body.reference, 'INC-2026-0001');
    assert.equal(created.body.status, 'open');
    assert.equal(created.body.reporter.id, w.people.teacher.personId);
    assert.deepEqual(created.body.people.map((p: { role: string }) => p.role).sort(), ['subject', 'witness']);
    assert.equal(created.body.entries.length, 1);
    assert.equal(created.body.entries[0].kind, 'report');
    assert.match(created.body.entries[0].body, /unkind messages about another student/);

    const dslNotes = await notificationsOf(w.people.dsl.personId);
    assert.equal(dslNotes.length, 1);
    assert.equal(dslNotes[0]!.link, `/incidents/${studentIncidentId}`);
    assert.doesNotMatch(`${dslNotes[0]!.title} ${dslNotes[0]!.body}`, /Sam|Student|Wendy/);
    assert.equal((await notificationsOf(w.people.teacher.personId)).length, 0);
    assert.equal((await notificationsOf(w.people.student.personId)).length, 0);

    const toDsl = w.mail.filter((m) => m.to.includes('dsl@school.example'));
    assert.equal(toDsl.length, 1);
    assert.match(toDsl[0]!.data, /Subject: \[Tutela\] New safeguarding concern INC-2026-0001/);
    assert.doesNotMatch(toDsl[0]!.data, /URGENT|Sam|Wendy/);
    assert.equal(w.mail.filter((m) => m.to.includes('colleague@school.example')).length, 0);

    const urgent = await teacher.post('/api/incidents', studentConcern({ urgency: 'urgent', category: 'self_harm_suicide' }));
    assert.equal(urgent.status, 201);
    assert.equal(urgent.body.reference, 'INC-2026-0002');
    const urgentMail = w.mail.filter((m) => m.to.includes('dsl@school.example') && m.data.includes('INC-2026-0002'));
    assert.equal(urgentMail.length, 1);
    assert.match(urgentMail[0]!.data, /Subject: \[Tutela\] URGENT: New safeguarding concern INC-2026-0002/);
  });

  it('lets the DSL and the head read it, and refuses everyone else with an audited 404', async () => {
    for (const username of ['dee.dsl', 'hal.head']) {
      const read = await (await w.as(username)).get(`/api/incidents/${studentIncidentId}`);
      assert.equal(read.status, 200, username);
      assert.equal(read.body.id, studentIncidentId);
    }
    const refused = ['col.colleague', 'gil.governor', 'pat.parent', 'sam.student', 'wendy.witness', 'hana.hr', 'oda.dsl'];
    for (const username of refused) {
      const read = await (await w.as(username)).get(`/api/incidents/${studentIncidentId}`);
      assert.equal(read.status, 404, username);
      assert.equal(read.body.error, 'not_found');
    }
    const refusals = await auditOf('incident.read_refused', studentIncidentId);
    assert.deepEqual(refusals.map((r) => r.actor_username).sort(), [...refused].sort());
    const reads = await auditOf('incident.read', studentIncidentId);
    assert.ok(reads.some((r) => r.actor_username === 'dee.dsl'));
    assert.ok(reads.some((r) => r.actor_username === 'hal.head'));

    const before = (await auditOf('incident.list')).length;
    const list = await (await w.as('dee.dsl')).get('/api/incidents?status=open');
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.map((i: { reference: string }) => i.reference).sort(), ['INC-2026-0001', 'INC-2026-0002']);
    assert.equal((await auditOf('incident.list')).length, before + 1, 'one audit entry per listing');
    for (const username of ['col.colleague', 'gil.governor', 'hana.hr', 'oda.dsl', 'sam.student']) {
      const other = await (await w.as(username)).get('/api/incidents');
      assert.equal(other.status === 403 ? 0 : other.body.length, 0, username);
    }
  });

  it('lets the reporter read their own report and add a correction, but never change it', async () => {
    const teacher = await w.as('tia.teacher');
    const own = await teacher.get(`/api/incidents/${studentIncidentId}`);
    assert.equal(own.status, 200);
    const reportEntry = own.body.entries[0];
    const mine = await teacher.get('/api/incidents?mine=1');
    assert.equal(mine.body.length, 2);

    const correction = await teacher.post(`/api/incidents/${studentIncidentId}/entries`, {
      kind: 'correction',
      body: 'It happened on Sunday evening, not this morning.',
    });
    assert.equal(correction.status, 201);
    w.ctx.clock.advance(1);
    const note = await teacher.post(`/api/incidents/${studentIncidentId}/entries`, { kind: 'note', body: 'I am not a responder' });
    assert.equal(note.status, 403);
    const dslNote = await (await w.as('dee.dsl')).post(`/api/incidents/${studentIncidentId}/entries`, {
      kind: 'note',
      body: 'Spoke to Sam.',
    });
    assert.equal(dslNote.status, 201);
    const dslCorrection = await (await w.as('dee.dsl')).post(`/api/incidents/${studentIncidentId}/entries`, {
      kind: 'correction',
      body: 'x',
    });
    assert.equal(dslCorrection.status, 403, 'only the reporter corrects a report');

    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      for (const path of [`/api/incidents/${studentIncidentId}`, `/api/incidents/${studentIncidentId}/entries/${reportEntry.id}`]) {
        const res = await teacher.request(method, path, { body: 'rewritten' });
        assert.equal(res.status, 404, `${method} ${path}`);
      }
    }
    const after = await teacher.get(`/api/incidents/${studentIncidentId}`);
    assert.deepEqual(
      after.body.entries.map((e: { kind: string }) => e.kind),
      ['report', 'correction'],
      'the reporter sees the report and corrections, not the responders’ notes',
    );
    assert.equal(after.body.entries[0].body, reportEntry.body);
    const dslView = await (await w.as('dee.dsl')).get(`/api/incidents/${studentIncidentId}`);
    assert.deepEqual(
      dslView.body.entries.map((e: { kind: string }) => e.kind),
      ['report', 'correction', 'note'],
    );
    assert.equal(dslView.body.entries[1].author.name, 'Tia Teacher');
  });

  it('keeps a concern about a member of staff to the head and HR, never the DSL or the person concerned', async () => {
    const teacher = await w.as('tia.teacher');
    const mailBefore = w.mail.length;
    const created = await teacher.post(
      '/api/incidents',
      studentConcern({
        subjectKind: 'staff',
        people: [{ personId: w.people.colleague.personId, role: 'subject' }],
        summary: 'Inappropriate messages to a student',
        category: 'staff_conduct',
      }),
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.id;
    for (const username of ['hal.head', 'hana.hr'])
      assert.equal((await (await w.as(username)).get(`/api/incidents/${id}`)).status, 200, username);
    for (const username of ['dee.dsl', 'col.colleague'])
      assert.equal((await (await w.as(username)).get(`/api/incidents/${id}`)).status, 404, username);

    const notified = (personId: string) => notificationsOf(personId).then((n) => n.some((x) => x.link === `/incidents/${id}`));
    assert.equal(await notified(w.people.head.personId), true);
    assert.equal(await notified(w.people.hr.personId), true);
    assert.equal(await notified(w.people.dsl.personId), false);
    assert.equal(await notified(w.people.colleague.personId), false);
    const sent = w.mail.slice(mailBefore).flatMap((m) => m.to);
    assert.deepEqual(sent.sort(), ['head@school.example', 'hr@school.example']);

    const dslList = await (await w.as('dee.dsl')).get('/api/incidents');
    assert.ok(!dslList.body.some((i: { id: string }) => i.id === id));
  });

  it('shows responders every read of the incident, newest first, with names', async () => {
    const dsl = await w.as('dee.dsl');
    const readers = await dsl.get(`/api/incidents/${studentIncidentId}/readers`);
    assert.equal(readers.status, 200);
    assert.equal(readers.body[0].who, 'Dee Dsl', 'the readers request itself is the newest read');
    assert.equal(readers.body[0].action, 'incident.respond');
    const who = new Set(readers.body.map((r: { who: string }) => r.who));
    for (const name of ['Hal Head', 'Tia Teacher', 'Col Colleague']) assert.ok(who.has(name), name);
    assert.ok(readers.body.some((r: { who: string; action: string }) => r.who === 'Gil Governor' && r.action === 'incident.read_refused'));
    const times = readers.body.map((r: { at: string }) => r.at);
    assert.deepEqual(times, [...times].sort().reverse());
    assert.equal(
      (await (await w.as('tia.teacher')).get(`/api/incidents/${studentIncidentId}/readers`)).status,
      404,
      'not for the reporter',
    );
  });

  it("takes a student's simpler report and tells the DSL", async () => {
    const student = await w.as('wendy.witness');
    const refused = await student.get('/api/incidents/people?q=sam');
    assert.equal(refused.status, 403, 'students do not search the directory');
    const before = (await notificationsOf(w.people.dsl.personId)).length;
    const report = await student.post('/api/incidents/student-report', {
      what: 'Someone posted a photo of me without asking\nIt is on the class group.',
      who: 'A boy in my tutor group',
      where: 'out_of_school',
    });
    assert.equal(report.status, 201, JSON.stringify(report.body));
    assert.match(report.body.reference, /^INC-2026-\d{4}$/);
    const row = await w.ctx.db.selectFrom('incidents').selectAll().where('reference', '=', report.body.reference).executeTakeFirstOrThrow();
    assert.equal(row.reporter_kind, 'student');
    assert.equal(row.category, 'other');
    assert.equal(row.urgency, 'medium');
    assert.equal(row.subject_kind, 'student');
    assert.equal(row.summary, 'Someone posted a photo of me without asking');
    assert.equal((await notificationsOf(w.people.dsl.personId)).length, before + 1);
    const mine = await student.get('/api/incidents');
    assert.deepEqual(
      mine.body.map((i: { reference: string }) => i.reference),
      [report.body.reference],
    );
    const own = await student.get(`/api/incidents/${row.id}`);
    assert.equal(own.status, 200);
    assert.match(own.body.entries[0].body, /A boy in my tutor group/);
    const staffForm = await student.post('/api/incidents', studentConcern());
    assert.equal(staffForm.status, 403);
  });

  it('refuses bad input with a clear 400 and stores nothing', async () => {
    const teacher = await w.as('tia.teacher');
    const tables = ['incidents', 'incident_people', 'incident_entries', 'incident_links'] as const;
    const counts = async () => Promise.all(tables.map(count));
    const before = await counts();
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['unknown person', { people: [{ personId: 'no-such-person', role: 'subject' }] }, /Unknown person/],
      ['person of another school', { people: [{ personId: w.people.otherStudent.personId, role: 'subject' }] }, /Unknown person/],
      ['future date', { occurredAt: '2026-11-24T09:30:00Z' }, /future/],
      ['invalid date', { occurredAt: 'yesterday-ish' }, /occurredAt/],
      ['impossible time', { occurredAt: '2026-02-20T25:00:00Z' }, /occurredAt/],
      ['impossible day', { occurredAt: '2026-02-31T10:00:00Z' }, /occurredAt/],
      ['unknown category', { category: 'gossip' }, /Unknown category/],
      ['empty summary', { summary: '' }, /summary/],
      ['blank summary', { summary: '   ' }, /summary/],
      ['staff concern about a student', { subjectKind: 'staff' }, /staff subjects/],
      ['no subject', { people: [{ personId: w.people.witness.personId, role: 'witness' }] }, /subject/],
      ['unknown filter event', { links: [{ kind: 'filter_event', refId: 'nope' }] }, /filter event/],
      ['unknown urgency', { urgency: 'whenever' }, /urgency/],
    ];
    for (const [name, overrides, message] of cases) {
      const res = await teacher.post('/api/incidents', studentConcern(overrides));
      assert.equal(res.status, 400, name);
      assert.equal(res.body.error, 'validation_failed', name);
      assert.match(JSON.stringify(res.body), message, name);
    }
    const studentBad = await (await w.as('sam.student')).post('/api/incidents/student-report', { what: '  ' });
    assert.equal(studentBad.status, 400);
    const studentWhen = await (await w.as('sam.student')).post('/api/incidents/student-report', { what: 'x', when: 'next week' });
    assert.equal(studentWhen.status, 400);
    assert.deepEqual(await counts(), before, 'nothing stored');
    // Within five minutes of now is clock skew, not the future.
    const skewed = await teacher.post('/api/incidents', studentConcern({ occurredAt: '2026-11-24T09:04:00Z' }));
    assert.equal(skewed.status, 201);
  });
});

describe('urgent concerns reach the head as well as the whole DSL team', () => {
  let w: ConcernsWorld;
  let deputyId = '';
  before(async () => {
    w = await concernsWorld();
    const deputy = await addUser(w.ctx, w.schoolId, 'dan.deputy', ['staff', 'dsl'], { isDemo: true });
    deputyId = deputy.personId;
    await w.ctx.db.updateTable('people').set({ email: 'deputy@school.example' }).where('id', '=', deputyId).execute();
  });
  after(async () => w.close());

  const concern = (urgency: string, subjectKind: 'student' | 'staff' = 'student') => ({
    subjectKind,
    people: [{ personId: subjectKind === 'student' ? w.people.student.personId : w.people.colleague.personId, role: 'subject' }],
    summary: 'Sam said he does not want to be alive',
    description: 'Sam Student told me at break that he has been hurting himself and does not want to be alive.',
    occurredAt: '2026-11-24T08:30:00Z',
    location: 'in_school',
    category: subjectKind === 'student' ? 'self_harm_suicide' : 'staff_conduct',
    urgency,
  });
  /** Who was told of one incident, in the app and by e-mail. */
  const told = async (incidentId: string, reference: string) => {
    const notes = await w.ctx.db
      .selectFrom('notifications')
      .select(['recipient_person_id', 'title', 'body'])
      .where('link', '=', `/incidents/${incidentId}`)
      .execute();
    const mails = w.mail.filter((m) => m.data.includes(reference));
    return {
      inApp: notes.map((n) => n.recipient_person_id).sort(),
      emailed: mails.flatMap((m) => m.to).sort(),
      text: [...notes.flatMap((n) => [n.title, n.body]), ...mails.map((m) => m.data)].join('\n'),
    };
  };

  it('tells the DSL, every deputy and the head of an urgent concern about a student at once, never the student', async () => {
    const created = await (await w.as('tia.teacher')).post('/api/incidents', concern('urgent'));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const { inApp, emailed, text } = await told(created.body.id, created.body.reference);
    assert.deepEqual(inApp, [w.people.dsl.personId, deputyId, w.people.head.personId].sort());
    assert.deepEqual(emailed, ['deputy@school.example', 'dsl@school.example', 'head@school.example']);
    assert.ok(!inApp.includes(w.people.student.personId), 'the student the concern is about is never told');
    assert.match(text, /URGENT: New safeguarding concern/);
    assert.doesNotMatch(text, /Sam|Student|alive|hurting/, 'no name and no words of the report');
  });

  it('keeps a concern that is not urgent to the DSL team', async () => {
    const created = await (await w.as('tia.teacher')).post('/api/incidents', concern('high'));
    assert.equal(created.status, 201);
    const { inApp, emailed } = await told(created.body.id, created.body.reference);
    assert.deepEqual(inApp, [w.people.dsl.personId, deputyId].sort());
    assert.deepEqual(emailed, ['deputy@school.example', 'dsl@school.example']);
  });

  it('keeps an urgent concern about a member of staff to the head and HR, never the DSL team or the person', async () => {
    const created = await (await w.as('tia.teacher')).post('/api/incidents', concern('urgent', 'staff'));
    assert.equal(created.status, 201);
    const { inApp, emailed } = await told(created.body.id, created.body.reference);
    assert.deepEqual(inApp, [w.people.head.personId, w.people.hr.personId].sort());
    assert.deepEqual(emailed, ['head@school.example', 'hr@school.example']);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_STAFF_MATRIX, DEFAULT_STUDENT_MATRIX } from './catalogue.js';
import { insertIncident, type ResponseWorld, responseWorld } from './testing.js';

const STUDENT_TYPES = (id: string) => DEFAULT_STUDENT_MATRIX.find((r) => r.incidentType === id)!;

describe('responding to incidents: matrix, triage, actions, parents, dashboard', () => {
  let w: ResponseWorld;
  before(async () => {
    w = await responseWorld();
  });
  after(async () => w.close());

  const studentIncident = (options: Parameters<ResponseWorld['studentIncident']>[0] = {}) => w.studentIncident(options);

  it("serves the school's copy of both seed matrices", async () => {
    const dsl = await w.as('dee.dsl');
    const students = await dsl.get('/api/incidents/matrix?audience=student');
    assert.equal(students.status, 200);
    assert.equal(students.body.length, DEFAULT_STUDENT_MATRIX.length);
    const byType = new Map(students.body.map((r: { incidentType: string; actions: string[] }) => [r.incidentType, r.actions]));
    assert.deepEqual(byType.get('downloading_uploading'), ['refer_class_teacher', 'warning']);
    assert.deepEqual(byType.get('sharing_credentials'), ['refer_head_of_year', 'refer_technical', 'removal_of_internet']);
    assert.deepEqual(byType.get('accidental_porn_not_reported'), ['refer_head_of_year', 'inform_parents', 'warning']);
    const staff = await dsl.get('/api/incidents/matrix?audience=staff');
    assert.equal(staff.body.length, DEFAULT_STAFF_MATRIX.length);
    const staffRow = staff.body.find((r: { incidentType: string }) => r.incidentType === 'breach_data_protection_security');
    assert.deepEqual(staffRow.actions, ['refer_headteacher', 'refer_technical', 'suspension', 'disciplinary_action']);
    const catalogue = await dsl.get('/api/incidents/actions/catalogue');
    assert.deepEqual(
      catalogue.body.staff.map((a: { id: string }) => a.id),
      [
        'refer_line_manager',
        'refer_headteacher',
        'refer_la_hr',
        'refer_police',
        'refer_technical',
        'warning',
        'suspension',
        'disciplinary_action',
      ],
    );
    assert.equal((await (await w.as('tia.teacher')).get('/api/incidents/matrix?audience=student')).status, 403);
  });

  it('lets the DSL edit a row, which changes suggestions; refuses a teacher and unknown actions', async () => {
    const incident = await studentIncident();
    const dsl = await w.as('dee.dsl');
    const teacher = await w.as('tia.teacher');
    const path = '/api/incidents/matrix/student/proxy_subversion';
    const refused = await teacher.put(path, { actions: ['warning'] });
    assert.equal(refused.status, 403);
    const bad = await dsl.put(path, { actions: ['warning', 'suspension'] });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error, 'validation_failed');
    const unknown = await dsl.put('/api/incidents/matrix/student/no_such_row', { actions: ['warning'] });
    assert.equal(unknown.status, 404);
    let suggestion = await dsl.get(`/api/incidents/${incident.id}/suggestions?incidentType=proxy_subversion`);
    assert.deepEqual(suggestion.body.actions, ['refer_head_of_year', 'refer_technical'], 'unchanged after the refused edits');

    const edited = await dsl.put(path, { actions: ['refer_technical', 'inform_parents', 'refer_technical'] });
    assert.equal(edited.status, 200);
    assert.deepEqual(edited.body.actions, ['refer_technical', 'inform_parents']);
    suggestion = await dsl.get(`/api/incidents/${incident.id}/suggestions?incidentType=proxy_subversion`);
    assert.deepEqual(suggestion.body.actions, ['refer_technical', 'inform_parents']);
    assert.equal(suggestion.body.repeat, false);
    const audit = await w.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'actor_username'])
      .where('action', '=', 'incident.matrix.update')
      .execute();
    assert.deepEqual(audit, [{ action: 'incident.matrix.update', actor_username: 'dee.dsl' }]);
    const otherSchool = await (await w.as('oda.dsl')).get('/api/incidents/matrix?audience=student');
    const theirs = otherSchool.body.find((r: { incidentType: string }) => r.incidentType === 'proxy_subversion');
    assert.deepEqual(theirs.actions, ['refer_head_of_year', 'refer_technical'], 'another school keeps the default');
  });

  it('triage creates the pending actions of the row with due dates, and an entry', async () => {
    const incident = await studentIncident({ urgency: 'high' });
    const dsl = await w.as('dee.dsl');
    const triaged = await dsl.post(`/api/incidents/${incident.id}/triage`, { incidentType: 'using_staff_account' });
    assert.equal(triaged.status, 200);
    const actions = triaged.body.actions as { action: string; status: string; suggested: boolean; dueAt: string }[];
    assert.deepEqual(actions.map((a) => a.action).sort(), [...STUDENT_TYPES('using_staff_account').actions].sort());
    assert.ok(actions.every((a) => a.status === 'pending' && a.suggested));
    assert.ok(
      actions.every((a) => a.dueAt === '2026-11-26T09:00:00.000Z'),
      'high urgency: two days',
    );
    const again = await dsl.post(`/api/incidents/${incident.id}/triage`, { incidentType: 'using_staff_account' });
    assert.equal(again.body.actions.length, actions.length, 'triaging twice does not duplicate actions');
    const row = await w.ctx.db.selectFrom('incidents').select('incident_type').where('id', '=', incident.id).executeTakeFirstOrThrow();
    assert.equal(row.incident_type, 'using_staff_account');
    const entries = await w.ctx.db.selectFrom('incident_entries').select('kind').where('incident_id', '=', incident.id).execute();
    assert.equal(entries.filter((e) => e.kind === 'status').length, 2);
    const unknown = await dsl.post(`/api/incidents/${incident.id}/triage`, { incidentType: 'suspension_of_disbelief' });
    assert.equal(unknown.status, 400);
    const staffAction = await dsl.post(`/api/incidents/${incident.id}/actions`, { action: 'suspension' });
    assert.equal(staffAction.status, 400, 'a staff action on a student incident is refused');
  });

  it('escalates to "continued infringements" after an earlier warning was given', async () => {
    const dsl = await w.as('dee.dsl');
    const first = await studentIncident();
    const other = await studentIncident();
    const triaged = await dsl.post(`/api/incidents/${first.id}/triage`, { incidentType: 'downloading_uploading' });
    const warning = triaged.body.actions.find((a: { action: string }) => a.action === 'warning');
    // A warning that was only suggested does not make a repeat.
    let suggestion = await dsl.get(`/api/incidents/${other.id}/suggestions?incidentType=mobile_device`);
    assert.equal(suggestion.body.repeat, false, 'a pending warning is not a previous warning');
    const done = await dsl.put(`/api/incidents/${first.id}/actions/${warning.id}`, { status: 'done', note: 'Spoken to' });
    assert.equal(done.status, 200);
    assert.equal(done.body.doneBy, w.people.dsl.personId, 'who did it is stored as a person, not a name that can change');

    w.ctx.clock.advance(1);
    const repeat = await studentIncident();
    suggestion = await dsl.get(`/api/incidents/${repeat.id}/suggestions?incidentType=mobile_device`);
    assert.equal(suggestion.status, 200);
    assert.equal(suggestion.body.repeat, true);
    assert.equal(suggestion.body.incidentType, 'continued_infringements');
    assert.equal(suggestion.body.escalatedFrom, 'mobile_device');
    assert.deepEqual(
      suggestion.body.history.map((h: { reference: string }) => h.reference),
      [first.reference],
    );
    const union = new Set([...STUDENT_TYPES('mobile_device').actions, ...STUDENT_TYPES('continued_infringements').actions]);
    assert.deepEqual(new Set(suggestion.body.actions), union);
    assert.ok(suggestion.body.actions.includes('refer_class_teacher'), 'keeps the chosen row as well');
    const triage = await dsl.post(`/api/incidents/${repeat.id}/triage`, { incidentType: 'mobile_device' });
    assert.equal(triage.body.actions.length, union.size);
  });

  it('removal of internet access needs an end date and creates a filter sanction the filter enforces', async () => {
    const dsl = await w.as('dee.dsl');
    const incident = await studentIncident();
    const triaged = await dsl.post(`/api/incidents/${incident.id}/triage`, { incidentType: 'sharing_credentials' });
    const removal = triaged.body.actions.find((a: { action: string }) => a.action === 'removal_of_internet');
    const missing = await dsl.put(`/api/incidents/${incident.id}/actions/${removal.id}`, { status: 'done' });
    assert.equal(missing.status, 400);
    assert.equal(await w.ctx.db.selectFrom('filter_sanctions').select('id').executeTakeFirst(), undefined, 'nothing applied');
    const past = await dsl.put(`/api/incidents/${incident.id}/actions/${removal.id}`, {
      status: 'done',
      sanctionUntil: '2026-01-01T00:00:00Z',
    });
    assert.equal(past.status, 400);

    const done = await dsl.put(`/api/incidents/${incident.id}/actions/${removal.id}`, {
      status: 'done',
      sanctionUntil: '2026-12-01T16:00:00Z',
    });
    assert.equal(done.status, 200);
    const sanctions = await w.ctx.db.selectFrom('filter_sanctions').selectAll().execute();
    assert.equal(sanctions.length, 1);
    const sanction = sanctions[0]!;
    assert.equal(done.body.sanctionId, sanction.id);
    assert.equal(sanction.person_id, w.people.student.personId, 'the subject, never the witness');
    assert.equal(sanction.source, 'incident');
    assert.equal(sanction.source_id, incident.id);
    assert.equal(sanction.until_at, '2026-12-01T16:00:00.000Z');
    const twice = await dsl.put(`/api/incidents/${incident.id}/actions/${removal.id}`, {
      status: 'done',
      sanctionUntil: '2026-12-01T16:00:00Z',
    });
    assert.equal(twice.status, 409);

    const decided = await dsl.get(
      `/api/filter/test?target=${encodeURIComponent('https://www.bbc.co.uk/')}&personId=${w.people.student.personId}`,
    );
    assert.equal(decided.status, 200, JSON.stringify(decided.body));
    assert.equal(decided.body.decision.action, 'block');
    assert.equal(decided.body.decision.rule, 'sanction');
    const witness = await dsl.get(
      `/api/filter/test?target=${encodeURIComponent('https://www.bbc.co.uk/')}&personId=${w.people.witness.personId}`,
    );
    assert.notEqual(witness.body.decision.rule, 'sanction');

    // Taking the removal back gives access back.
    const undone = await dsl.put(`/api/incidents/${incident.id}/actions/${removal.id}`, {
      status: 'not_needed',
      note: 'Decided on a warning instead',
    });
    assert.equal(undone.status, 200);
    const lifted = await w.ctx.db
      .selectFrom('filter_sanctions')
      .select(['lifted_at', 'lifted_by'])
      .where('id', '=', sanction.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(lifted, { lifted_at: w.ctx.clock().toISOString(), lifted_by: 'Dee Dsl' });
    const restored = await dsl.get(
      `/api/filter/test?target=${encodeURIComponent('https://www.bbc.co.uk/')}&personId=${w.people.student.personId}`,
    );
    assert.equal(restored.status, 200);
    assert.notEqual(restored.body.decision.rule, 'sanction');
  });

  it('records parents informed and writes a neutral letter', async () => {
    const dsl = await w.as('dee.dsl');
    const incident = await studentIncident({ category: 'cyberbullying' });
    await w.ctx.db
      .insertInto('guardians')
      .values({
        parent_id: w.people.parent.personId,
        student_id: w.people.student.personId,
        relationship: 'mother',
        parental_responsibility: 1,
        priority: 1,
      })
      .execute();
    const guardians = await dsl.get(`/api/incidents/${incident.id}/guardians?studentId=${w.people.student.personId}`);
    assert.equal(guardians.status, 200);
    assert.deepEqual(guardians.body, [
      { id: w.people.parent.personId, name: 'Pat Parent', relationship: 'mother', parentalResponsibility: true },
    ]);
    const bystander = await dsl.get(`/api/incidents/${incident.id}/guardians?studentId=${w.people.witness.personId}`);
    assert.equal(bystander.status, 400, 'only the subjects of the incident have their guardians offered');
    const teacher = await w.as('tia.teacher');
    const refused = await teacher.get(`/api/incidents/${incident.id}/guardians?studentId=${w.people.student.personId}`);
    assert.equal(refused.status, 404, 'a teacher who did not report it is not told the guardians');
    const url = `/api/incidents/${incident.id}/parents-informed`;
    const wrongParent = await dsl.post(url, {
      studentId: w.people.student.personId,
      parentPersonId: w.people.teacher.personId,
      method: 'phone',
      contactedAt: '2026-11-24T08:30:00Z',
    });
    assert.equal(wrongParent.status, 400);
    const notSubject = await dsl.post(url, {
      studentId: w.people.witness.personId,
      parentName: 'Someone',
      method: 'phone',
      contactedAt: '2026-11-24T08:30:00Z',
    });
    assert.equal(notSubject.status, 400);
    const told = await dsl.post(url, {
      studentId: w.people.student.personId,
      parentPersonId: w.people.parent.personId,
      method: 'phone',
      contactedAt: '2026-11-24T08:30:00Z',
      note: 'Mum will talk to Sam tonight',
    });
    assert.equal(told.status, 201);
    assert.equal(told.body.parentName, 'Pat Parent');
    assert.equal(told.body.contactedBy, w.people.dsl.personId);
    const stored = await w.ctx.db.selectFrom('incident_parent_contacts').selectAll().where('incident_id', '=', incident.id).execute();
    assert.equal(stored.length, 1);
    const entries = await w.ctx.db.selectFrom('incident_entries').select('kind').where('incident_id', '=', incident.id).execute();
    assert.deepEqual(
      entries.map((e) => e.kind),
      ['parents_informed'],
    );

    const letter = await dsl.get(`/api/incidents/${incident.id}/parent-letter?studentId=${w.people.student.personId}`);
    assert.equal(letter.status, 200);
    assert.match(letter.body.subject, /Milford Haven School/);
    assert.match(letter.body.body, /Sam Student/);
    assert.match(letter.body.body, /Cyberbullying/);
    assert.match(letter.body.body, /24 November 2026/);
    assert.doesNotMatch(letter.body.body, /Wendy|Witness/, 'no other pupil is named');
  });

  it('shows overdue actions on the dashboard once the due date passes, and closes with an outcome', async () => {
    const incident = await studentIncident({ urgency: 'urgent' });
    const dsl = await w.as('dee.dsl');
    // This pupil already had a warning, so the actions are the escalated set.
    const triaged = await dsl.post(`/api/incidents/${incident.id}/triage`, { incidentType: 'downloading_uploading' });
    const created = triaged.body.actions.map((a: { action: string }) => a.action).sort();
    assert.ok(created.length > 2);
    let board = await dsl.get('/api/incidents/dashboard');
    const seen = await w.ctx.db
      .selectFrom('audit_log')
      .select(['actor_username', 'details'])
      .where('action', '=', 'incident.dashboard')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    assert.equal(seen.actor_username, 'dee.dsl');
    assert.ok(JSON.parse(seen.details ?? '{}').ids.includes(incident.id), 'the dashboard read is audited with what it showed');
    assert.equal(board.status, 200);
    assert.ok(board.body.urgent.some((i: { id: string }) => i.id === incident.id));
    assert.ok(!board.body.overdueActions.some((a: { incidentId: string }) => a.incidentId === incident.id));

    w.ctx.clock.advance(3 * 24 * 60);
    const fresh = await w.as('dee.dsl', { fresh: true });
    board = await fresh.get('/api/incidents/dashboard');
    const overdue = board.body.overdueActions.filter((a: { incidentId: string }) => a.incidentId === incident.id);
    assert.deepEqual(overdue.map((a: { action: string }) => a.action).sort(), created);
    assert.equal(overdue[0].reference, incident.reference);

    const empty = await fresh.post(`/api/incidents/${incident.id}/close`, { outcome: '  ' });
    assert.equal(empty.status, 400);
    const closed = await fresh.post(`/api/incidents/${incident.id}/close`, { outcome: 'Warning given; parents met' });
    assert.equal(closed.status, 200);
    board = await fresh.get('/api/incidents/dashboard');
    assert.ok(!board.body.open.some((i: { id: string }) => i.id === incident.id));
    const late = await fresh.post(`/api/incidents/${incident.id}/actions`, { action: 'warning' });
    assert.equal(late.status, 409);
  });

  it('refuses the teacher, the governor, another school and the staff member an incident is about', async () => {
    // Earlier tests moved the clock past the idle lock: sign everyone in afresh.
    const as = (username: string) => w.as(username, { fresh: true });
    const incident = await studentIncident();
    const staffIncident = await insertIncident(w.ctx, {
      schoolId: w.schoolId,
      reportedBy: w.people.dsl.personId,
      subjectKind: 'staff',
      subjects: [w.people.colleague.personId],
    });
    for (const username of ['tia.teacher', 'gil.governor', 'oda.dsl']) {
      const client = await as(username);
      const res = await client.post(`/api/incidents/${incident.id}/triage`, { incidentType: 'mobile_device' });
      assert.equal(res.status, 404, `${username} cannot triage`);
      assert.equal((await client.get(`/api/incidents/${incident.id}/suggestions?incidentType=mobile_device`)).status, 404, username);
      const board = await client.get('/api/incidents/dashboard');
      if (username === 'oda.dsl') assert.ok(!board.body.open.some((i: { id: string }) => i.id === incident.id), 'not on their dashboard');
      else assert.equal(board.status, 403, username);
    }
    // A staff incident: the head and HR respond; the DSL and the colleague it is about do not.
    const colleague = await as('col.colleague');
    assert.equal((await colleague.get(`/api/incidents/${staffIncident.id}/suggestions?incidentType=personal_use`)).status, 404);
    assert.equal((await (await as('dee.dsl')).get(`/api/incidents/${staffIncident.id}/suggestions?incidentType=personal_use`)).status, 404);
    const head = await as('hal.head');
    const triaged = await head.post(`/api/incidents/${staffIncident.id}/triage`, { incidentType: 'personal_use' });
    assert.equal(triaged.status, 200);
    assert.deepEqual(triaged.body.actions.map((a: { action: string }) => a.action).sort(), [
      'refer_headteacher',
      'refer_line_manager',
      'warning',
    ]);
    const hrBoard = await (await as('hana.hr')).get('/api/incidents/dashboard');
    assert.ok(hrBoard.body.open.some((i: { id: string }) => i.id === staffIncident.id));
    assert.ok(!hrBoard.body.open.some((i: { id: string }) => i.id === incident.id), 'HR does not respond to student incidents');
    const refusals = await w.ctx.db
      .selectFrom('audit_log')
      .select('actor_username')
      .where('action', '=', 'incident.read_refused')
      .where('target_id', '=', incident.id)
      .execute();
    assert.ok(refusals.length >= 3, 'refusals are audited');
  });
});

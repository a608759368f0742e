import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newId } from '../../db/ids.js';
import { type SafeguardingWorld, safeguardingWorld } from '../testing.js';
import { AMBIGUOUS_NAME, personLabel, Redactor } from './redaction.js';

/** Third-party names as the directory spells them (the test world makes "Wendy Witness" of wendy.witness). */
const THIRD_PARTY_NAMES = ['Wendy', 'Witness', 'Tia', 'Teacher', 'Col', 'Colleague', 'Pat', 'Parent', 'Dee', 'Dsl'];
const mentions = (text: string, name: string) => new RegExp(`(?<![A-Za-z])${name}(?![A-Za-z])`).test(text);

describe('moving-school and subject-access exports', () => {
  let w: SafeguardingWorld;
  let studentIncident = '';
  let staffIncident = '';

  before(async () => {
    w = await safeguardingWorld();
    const { student, witness, colleague } = w.people;
    await w.ctx.db
      .updateTable('people')
      .set({ date_of_birth: '2013-04-05', mis_id: 'A123456789012' })
      .where('id', '=', student.personId)
      .execute();
    const teacher = await w.as('tia.teacher');
    const created = await teacher.post('/api/incidents', {
      subjectKind: 'student',
      people: [
        { personId: student.personId, role: 'subject' },
        { personId: witness.personId, role: 'witness' },
      ],
      summary: 'Sam posted unkind messages about Wendy',
      description: 'Wendy Witness told me (Tia) that Sam sent the messages. Mrs Teacher saw the screen too. <b>bold</b>',
      occurredAt: '2026-11-23T14:00:00Z',
      location: 'in_school',
      category: 'cyberbullying',
      urgency: 'medium',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    studentIncident = created.body.id;
    const dsl = await w.as('dee.dsl');
    const note = await dsl.post(`/api/incidents/${studentIncident}/entries`, {
      kind: 'note',
      body: 'Spoke to wendy and to Col Colleague. <script>alert("x")</script>',
    });
    assert.equal(note.status, 201, JSON.stringify(note.body));
    // Entries written in the same instant have no order between them: keep them apart.
    w.ctx.clock.advance(1);
    const told = await dsl.post(`/api/incidents/${studentIncident}/parents-informed`, {
      studentId: student.personId,
      parentName: 'Pat Parent',
      method: 'phone',
      contactedAt: '2026-11-24T08:30:00Z',
      note: 'Pat Parent was upset',
    });
    assert.equal(told.status, 201, JSON.stringify(told.body));
    const now = w.ctx.clock().toISOString();
    await w.ctx.db
      .insertInto('incident_investigations')
      .values({
        incident_id: studentIncident,
        procedure: 'standard',
        urls: JSON.stringify(['https://chat.example/room']),
        content_description: 'Messages naming Wendy',
        created_at: now,
        updated_at: now,
      })
      .execute();
    await w.ctx.db
      .insertInto('incident_evidence')
      .values({
        id: newId(),
        incident_id: studentIncident,
        school_id: w.schoolId,
        filename: 'screenshot-wendy.png',
        media_type: 'image/png',
        size_bytes: 2048,
        sha256: 'ab'.repeat(32),
        storage_name: 'secret-storage-name',
        key_id: 'k1',
        iv: 'iv',
        auth_tag: 'tag',
        uploaded_by: w.people.dsl.personId,
        uploaded_at: now,
      })
      .execute();
    await w.ctx.db
      .insertInto('filter_sanctions')
      .values({
        id: newId(),
        school_id: w.schoolId,
        person_id: student.personId,
        kind: 'no_internet',
        from_at: '2026-11-24T09:00:00.000Z',
        until_at: '2026-11-25T09:00:00.000Z',
        still_allowed: '[]',
        reason: 'Messages about Wendy',
        source: 'manual',
        source_id: null,
        created_by: w.people.dsl.personId,
        created_at: now,
        lifted_at: null,
        lifted_by: null,
      })
      .execute();
    // About a member of staff, with the student harmed: for the head and HR, not the DSL.
    const staff = await teacher.post('/api/incidents', {
      subjectKind: 'staff',
      people: [
        { personId: colleague.personId, role: 'subject' },
        { personId: student.personId, role: 'harmed' },
      ],
      summary: 'A member of staff messaged a student privately',
      description: 'Private messages on a personal account.',
      occurredAt: '2026-11-22T14:00:00Z',
      location: 'out_of_school',
      category: 'staff_conduct',
      urgency: 'high',
    });
    assert.equal(staff.status, 201, JSON.stringify(staff.body));
    staffIncident = staff.body.id;
  });
  after(async () => w.close());

  const audits = (action: string) =>
    w.ctx.db
      .selectFrom('audit_log')
      .select(['actor_username', 'target_id', 'details'])
      .where('action', '=', action)
      .orderBy('seq')
      .execute();

  it("gives the DSL the student's file as versioned JSON, with only the incidents they may read", async () => {
    const dsl = await w.as('dee.dsl');
    const res = await dsl.get(`/api/incidents/students/${w.people.student.personId}/file`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.match(res.headers.get('content-disposition') ?? '', /^attachment; filename="safeguarding-file-sam-student-2026-11-24\.json"$/);
    const file = res.body;
    assert.equal(file.format, 'tutela.student-file.v1');
    assert.deepEqual(file.student, {
      id: w.people.student.personId,
      givenName: 'Sam',
      familyName: 'Student',
      preferredName: null,
      dateOfBirth: '2013-04-05',
      yearGroup: 8,
      misId: 'A123456789012',
    });
    assert.equal(file.school.name, 'Milford Haven School');
    assert.equal(file.exportedBy.username, 'dee.dsl');
    assert.equal(file.incidents.length, 1, 'the staff incident is for the head and HR only');
    const [incident] = file.incidents;
    assert.deepEqual(incident.studentRoles, ['subject']);
    assert.deepEqual(incident.people.map((p: { name: string; role: string }) => [p.name, p.role]).sort(), [
      ['Sam Student', 'subject'],
      ['Wendy Witness', 'witness'],
    ]);
    assert.equal(incident.reportedBy, 'Tia Teacher');
    assert.deepEqual(
      incident.entries.map((e: { kind: string }) => e.kind),
      ['report', 'note', 'parents_informed'],
    );
    assert.equal(incident.parentContacts[0].parentName, 'Pat Parent');
    assert.equal(incident.investigation.contentDescription, 'Messages naming Wendy');
    assert.deepEqual(incident.investigation.urls, ['https://chat.example/room']);
    assert.deepEqual(incident.evidence, [
      {
        filename: 'screenshot-wendy.png',
        mediaType: 'image/png',
        sizeBytes: 2048,
        sha256: 'ab'.repeat(32),
        description: null,
        uploadedAt: '2026-11-24T09:01:00.000Z',
        uploadedBy: 'Dee Dsl',
      },
    ]);
    assert.ok(!JSON.stringify(file).includes('secret-storage-name'), 'where the file is stored never leaves');
    assert.equal(file.internetSanctions.length, 1);
    assert.equal(file.internetSanctions[0].reason, 'Messages about Wendy');

    const exportAudit = (await audits('incident.student_file.export')).at(-1)!;
    assert.equal(exportAudit.actor_username, 'dee.dsl');
    assert.equal(exportAudit.target_id, w.people.student.personId);
    assert.deepEqual(JSON.parse(exportAudit.details).incidents, [studentIncident]);
    const reads = (await audits('incident.read')).filter((a) => JSON.parse(a.details).via === 'incident.student_file.export');
    assert.deepEqual(
      reads.map((r) => r.target_id),
      [studentIncident],
      "the incident's readers list shows the export",
    );
  });

  it('gives HR the staff incident the student was harmed in, and not the student incident', async () => {
    const hr = await w.as('hana.hr');
    const res = await hr.get(`/api/incidents/students/${w.people.student.personId}/file`);
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.body.incidents.map((i: { studentRoles: string[]; subjectKind: string }) => [i.subjectKind, i.studentRoles]),
      [['staff', ['harmed']]],
    );
    const audit = (await audits('incident.student_file.export')).at(-1)!;
    assert.deepEqual(JSON.parse(audit.details).incidents, [staffIncident]);
  });

  it('prints the file as escaped HTML with the transfer-and-receipt section', async () => {
    const dsl = await w.as('dee.dsl');
    const res = await dsl.get(`/api/incidents/students/${w.people.student.personId}/file?format=html`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.match(res.headers.get('content-disposition') ?? '', /filename="safeguarding-file-sam-student-2026-11-24\.html"/);
    const html: string = res.body;
    assert.ok(!html.includes('<script>'), 'free text cannot inject markup');
    assert.ok(html.includes('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;'));
    assert.ok(html.includes('&#60;b&#62;bold&#60;/b&#62;'));
    assert.match(html, /<h2>Transfer and receipt<\/h2>/);
    assert.match(html, /Sending DSL.*Receiving DSL/s);
    assert.match(html, /within 5 school days/);
    assert.match(html, /Wendy Witness/);
  });

  it('refuses the file to those without the export role, and to another school', async () => {
    const path = `/api/incidents/students/${w.people.student.personId}/file`;
    for (const username of ['tia.teacher', 'gil.governor', 'pat.parent', 'sam.student', 'col.colleague']) {
      const res = await (await w.as(username)).get(path);
      assert.equal(res.status, 403, username);
      assert.equal(res.body.error, 'forbidden');
    }
    const other = await (await w.as('oda.dsl')).get(path);
    assert.equal(other.status, 404, "another school's DSL cannot tell the student exists");
    const sar = await (await w.as('oda.dsl')).get(`/api/incidents/subject-access/${w.people.student.personId}`);
    assert.equal(sar.status, 404);
    for (const username of ['tia.teacher', 'gil.governor', 'pat.parent', 'sam.student']) {
      const res = await (await w.as(username)).get(`/api/incidents/subject-access/${w.people.student.personId}`);
      assert.equal(res.status, 403, username);
    }
  });

  it('answers clearly for an unknown person and for a member of staff', async () => {
    const dsl = await w.as('dee.dsl');
    const unknown = await dsl.get('/api/incidents/students/no-such-person/file');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error, 'not_found');
    const staff = await dsl.get(`/api/incidents/students/${w.people.colleague.personId}/file`);
    assert.equal(staff.status, 400);
    assert.equal(staff.body.error, 'validation_failed');
    assert.match(staff.body.message, /not a student/);
    const badFormat = await dsl.get(`/api/incidents/students/${w.people.student.personId}/file?format=pdf`);
    assert.equal(badFormat.status, 400);
  });

  it('redacts every third party from the subject-access export, inside free text too', async () => {
    const dsl = await w.as('dee.dsl');
    const res = await dsl.get(`/api/incidents/subject-access/${w.people.student.personId}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const sar = res.body;
    assert.equal(sar.format, 'tutela.subject-access.v1');
    assert.match(sar.notice, /^For review by the data protection lead before release/);
    assert.equal(sar.subject.name, 'Sam Student');
    assert.equal(sar.incidents.length, 1);
    const text = JSON.stringify(sar);
    for (const name of THIRD_PARTY_NAMES) assert.ok(!mentions(text, name), `${name} is redacted`);
    const [incident] = sar.incidents;
    assert.deepEqual(
      incident.people.map((p: { name: string; role: string }) => [p.name, p.role]),
      [
        ['Sam Student', 'subject'],
        ['Person A', 'witness'],
      ],
    );
    assert.equal(incident.reportedBy, 'member of staff');
    assert.equal(incident.summary, 'Sam posted unkind messages about Person A');
    const [report, note] = incident.entries as { kind: string; author: string; body: string }[];
    assert.deepEqual([report!.kind, note!.kind], ['report', 'note']);
    assert.equal(report!.author, 'member of staff');
    assert.equal(report!.body, 'Person A told me (Person B) that Sam sent the messages. Mrs Person B saw the screen too. <b>bold</b>');
    assert.match(note!.body, /^Spoke to Person A and to Person [C-Z]\./);
    assert.equal(incident.parentContacts[0].note, `${incident.parentContacts[0].parent} was upset`);
    assert.equal(incident.evidence[0].filename, 'screenshot-Person A.png');
    assert.equal(incident.investigation.contentDescription, 'Messages naming Person A');
    assert.equal(sar.internetSanctions[0].reason, 'Messages about Person A');
    const audit = (await audits('incident.subject_access.export')).at(-1)!;
    assert.equal(audit.actor_username, 'dee.dsl');
    assert.deepEqual(JSON.parse(audit.details).incidents, [studentIncident]);

    const html = await dsl.get(`/api/incidents/subject-access/${w.people.student.personId}?format=html`);
    assert.equal(html.status, 200);
    assert.match(html.body, /For review by the data protection lead before release/);
    for (const name of ['Wendy', 'Tia', 'Col Colleague', 'Pat Parent', 'Dee'])
      assert.ok(!mentions(html.body, name), `${name} is redacted from the HTML`);
    assert.ok(!html.body.includes('<script>'));
  });

  it('gives the subject-access export of a member of staff to HR, with the student they harmed redacted', async () => {
    const hr = await w.as('hana.hr');
    const res = await hr.get(`/api/incidents/subject-access/${w.people.colleague.personId}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.incidents.length, 1);
    const text = JSON.stringify(res.body);
    assert.ok(!mentions(text, 'Sam') && !mentions(text, 'Student'), 'the student is a third party here');
    assert.deepEqual(
      res.body.incidents[0].people.map((p: { name: string; role: string }) => [p.name, p.role]),
      [
        ['Col Colleague', 'subject'],
        ['Person A', 'harmed'],
      ],
    );
  });
});

describe('the subject-access redactor', () => {
  const person = (id: string, given: string, family: string, kind: 'student' | 'staff' = 'student') => ({
    id,
    kind,
    given_name: given,
    family_name: family,
    preferred_name: null,
    date_of_birth: null,
    year_group: null,
    mis_id: null,
  });

  it('labels Person A to Z, then Person AA', () => {
    assert.deepEqual(
      [personLabel(0), personLabel(25), personLabel(26), personLabel(27)],
      ['Person A', 'Person Z', 'Person AA', 'Person AB'],
    );
  });

  it('keeps the subject, labels others, and removes a name two people share', () => {
    const subject = person('s', 'Amy', 'Jones');
    const people = new Map([
      ['s', subject],
      ['a', person('a', 'Ben', 'Smith')],
      ['b', person('b', 'Cara', 'Smith', 'staff')],
    ]);
    const directory = [person('d', 'Will', 'Turner')];
    const r = new Redactor(subject, people, directory);
    r.prepare(['a', 'b']);
    assert.equal(r.label('a'), 'Person A');
    assert.equal(r.kind('b', 'someone'), 'member of staff');
    assert.equal(r.kind('s', 'someone'), 'Amy Jones');
    assert.equal(
      r.text('Amy told BEN SMITH and cara that Smith-family will ask Will Turner.'),
      `Amy told Person A and Person B that ${AMBIGUOUS_NAME}-family will ask Person C.`,
    );
  });
});

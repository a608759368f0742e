import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { publishDefaultAgreements } from '../agreements/service.js';
import { newId } from '../db/ids.js';
import type { AgreementAudience, TrainingKind } from '../db/tables.js';
import { recordFilterChange } from '../filter/change-log.js';
import { insertActivity, insertAlert } from '../monitor/reports/testing.js';
import { insertIncident, type SafeguardingWorld, safeguardingWorld } from '../safeguarding/testing.js';
import { addUser } from '../testing/fixtures.js';
import { pdfText } from '../testing/pdf.js';
import { previousTerm, recentTerms, termAt, termById } from './terms.js';
import { changeText, figureText, type TermlyReport } from './wire.js';

/*
 * A school with records in the autumn term 2026 (the test clock's term, to date), the summer
 * term before it, and the spring term before that, plus another school's records in the same
 * term. Everything that could identify someone carries a distinctive word, so a test can prove
 * none of it reaches the report.
 */
const SECRET = {
  name: 'Zanzibar Quixote',
  username: 'zanzibar.quixote',
  summary: 'Marmalade-heron summary',
  changeSummary: 'Exception for Zanzibar Quixote on pelican-games.example',
  reason: 'Quokka reason given',
  host: 'albatross-secret.example',
  courseTitle: 'Tangerine refresher course',
  alertWho: 'Zanzibar Quixote (zanzibar.quixote)',
  decisionNote: 'Walrus decision note',
  comment: 'Narwhal comment',
};

let w: SafeguardingWorld;
let networkManager: { username: string; personId: string };
let pupil: { personId: string };
const references: string[] = [];

async function incident(
  at: string,
  options: { school?: string; category?: string; subjectKind?: 'student' | 'staff'; closed?: boolean } = {},
) {
  const school = options.school ?? w.schoolId;
  const subjects =
    school !== w.schoolId
      ? [w.people.otherStudent.personId]
      : options.subjectKind === 'staff'
        ? [w.people.colleague.personId]
        : [pupil.personId];
  const created = await insertIncident(w.ctx, {
    schoolId: school,
    reportedBy: school === w.schoolId ? w.people.teacher.personId : w.people.otherDsl.personId,
    subjectKind: options.subjectKind ?? 'student',
    subjects,
    ...(options.category ? { category: options.category } : {}),
  });
  references.push(created.reference);
  await w.ctx.db
    .updateTable('incidents')
    .set({
      occurred_at: at,
      summary: SECRET.summary,
      status: options.closed ? 'closed' : 'open',
      outcome: options.closed ? SECRET.summary : null,
    })
    .where('id', '=', created.id)
    .execute();
}

async function change(at: string, entity: string, school: string | null = w.schoolId) {
  await recordFilterChange(w.ctx.db, {
    trustId: w.trustId,
    schoolId: school,
    actor: { accountId: null, name: SECRET.name },
    entity,
    entityId: SECRET.username,
    change: 'create',
    summary: SECRET.changeSummary,
    before: null,
    after: { target: SECRET.host, person: SECRET.name },
    reason: SECRET.reason,
    at: new Date(at),
  });
}

async function unblock(createdAt: string, status: 'pending' | 'approved' | 'rejected', decidedAt: string | null, groupId: string) {
  await w.ctx.db
    .insertInto('filter_unblock_requests')
    .values({
      id: newId(),
      school_id: w.schoolId,
      requested_by: w.people.teacher.personId,
      target_kind: 'pattern',
      target: SECRET.host,
      group_id: groupId,
      from_at: createdAt,
      until_at: '2027-01-01T00:00:00.000Z',
      reason: SECRET.reason,
      status,
      network_approved_by: null,
      network_approved_at: null,
      dsl_approved_by: null,
      dsl_approved_at: null,
      decided_by: decidedAt ? w.people.dsl.personId : null,
      decided_at: decidedAt,
      decision_note: decidedAt ? SECRET.decisionNote : null,
      exception_id: null,
      created_at: createdAt,
      updated_at: decidedAt ?? createdAt,
    })
    .execute();
}

async function siteReport(at: string, kind: 'overblocked' | 'underblocked') {
  await w.ctx.db
    .insertInto('filter_reports')
    .values({
      id: newId(),
      school_id: w.schoolId,
      kind,
      target: SECRET.host,
      category: null,
      rule: null,
      reported_by: pupil.personId,
      client_address: '10.9.8.7',
      comment: SECRET.comment,
      status: 'open',
      resolved_by: null,
      resolved_at: null,
      resolution_note: null,
      created_at: at,
    })
    .execute();
}

async function training(personId: string, kind: TrainingKind, completedOn: string) {
  await w.ctx.db
    .insertInto('training_records')
    .values({
      id: newId(),
      school_id: w.schoolId,
      person_id: personId,
      kind,
      title: SECRET.courseTitle,
      provider: SECRET.name,
      completed_on: completedOn,
      expires_on: null,
      evidence: SECRET.comment,
      created_at: '2026-11-01T00:00:00.000Z',
      created_by: null,
      import_id: null,
    })
    .execute();
}

async function accept(personId: string, audience: AgreementAudience, at: string, schoolYear: string) {
  const doc = await w.ctx.db
    .selectFrom('agreement_documents')
    .select(['id', 'version'])
    .where('school_id', '=', w.schoolId)
    .where('audience', '=', audience)
    .orderBy('version', 'desc')
    .executeTakeFirstOrThrow();
  await w.ctx.db
    .insertInto('agreement_acceptances')
    .values({
      id: newId(),
      school_id: w.schoolId,
      document_id: doc.id,
      audience,
      version: doc.version,
      person_id: personId,
      accepted_by: personId,
      on_behalf: 0,
      accepted_at: at,
      address: '10.9.8.7',
      device: SECRET.name,
      school_year: schoolYear,
    })
    .execute();
}

async function alert(
  at: string,
  category: string,
  severity: 'low' | 'medium' | 'high' | 'critical',
  status: 'open' | 'closed' | 'false_positive' | 'escalated',
  options: { personId?: string; school?: string } = {},
) {
  await insertAlert(w.ctx, {
    schoolId: options.school ?? w.schoolId,
    createdAt: at,
    category,
    severity,
    status,
    personId: options.personId ?? pupil.personId,
    who: SECRET.alertWho,
    profile: 'ks3',
  });
}

async function seed() {
  w = await safeguardingWorld();
  const user = (username: string, roles: Parameters<typeof addUser>[3], options: { yearGroup?: number } = {}) =>
    addUser(w.ctx, w.schoolId, username, roles, { ...options, isDemo: true });
  networkManager = await user('nia.network', ['staff', 'network_manager']);
  pupil = await user(SECRET.username, ['student'], { yearGroup: 9 });
  const db = w.ctx.db;

  // Incidents: autumn 2026 (to date) and summer 2026, one in spring, one at another school.
  await incident('2026-10-05T10:00:00.000Z', { category: 'cyberbullying' });
  await incident('2026-11-02T10:00:00.000Z', { category: 'cyberbullying', closed: true });
  await incident('2026-11-10T10:00:00.000Z', { category: 'staff_conduct', subjectKind: 'staff' });
  // 00:30 on 1 September in London: the autumn term, though still 31 August in UTC.
  await incident('2026-08-31T23:30:00.000Z', { category: 'self_harm_suicide' });
  await incident('2026-06-15T10:00:00.000Z', { category: 'inappropriate_content', closed: true });
  await incident('2026-03-15T10:00:00.000Z', { category: 'copyright' });
  await incident('2026-10-05T10:00:00.000Z', { school: w.otherSchoolId, category: 'grooming_contact' });

  // Filtering change control.
  await change('2026-09-10T10:00:00.000Z', 'list_entry');
  await change('2026-10-10T10:00:00.000Z', 'list_entry');
  await change('2026-10-11T10:00:00.000Z', 'exception');
  await change('2026-10-12T10:00:00.000Z', 'category_lists', null);
  // A kind of change the report does not know yet counts as other, never under its internal name.
  await change('2026-10-14T10:00:00.000Z', 'future_kind');
  await change('2026-07-01T10:00:00.000Z', 'profile');
  await change('2026-10-13T10:00:00.000Z', 'profile', w.otherSchoolId);
  const groupId = newId();
  await db
    .insertInto('groups')
    .values({
      id: groupId,
      school_id: w.schoolId,
      kind: 'class',
      name: '9Q/Cs',
      code: '9QCS',
      year_group: 9,
      subject: null,
      status: 'active',
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
    })
    .execute();
  await unblock('2026-09-20T10:00:00.000Z', 'approved', '2026-09-21T10:00:00.000Z', groupId);
  await unblock('2026-10-20T10:00:00.000Z', 'rejected', '2026-10-21T10:00:00.000Z', groupId);
  await unblock('2026-11-20T10:00:00.000Z', 'pending', null, groupId);
  // Made in summer, decided in autumn: made counts in summer, the approval in autumn.
  await unblock('2026-08-20T10:00:00.000Z', 'approved', '2026-09-02T10:00:00.000Z', groupId);
  await siteReport('2026-10-01T10:00:00.000Z', 'overblocked');
  await siteReport('2026-05-01T10:00:00.000Z', 'underblocked');

  // Agreements: all published in the spring; the staff agreement's people are the world's
  // six members of staff, the governor and the network manager.
  w.ctx.clock.set(new Date('2026-03-01T09:00:00Z'));
  await publishDefaultAgreements(db, w.schoolId, w.ctx.clock());
  w.ctx.clock.set(new Date('2026-11-24T09:00:00Z'));
  await accept(w.people.dsl.personId, 'staff', '2026-09-05T10:00:00.000Z', '2026-27');
  await accept(w.people.head.personId, 'staff', '2026-09-06T10:00:00.000Z', '2026-27');
  await accept(w.people.governor.personId, 'staff', '2026-10-06T10:00:00.000Z', '2026-27');
  await accept(w.people.teacher.personId, 'staff', '2026-06-06T10:00:00.000Z', '2025-26');
  await accept(pupil.personId, 'secondary', '2026-09-07T10:00:00.000Z', '2026-27');

  // Training, as at 24 November 2026 and as at 31 August 2026.
  for (const p of [w.people.head, w.people.teacher, w.people.dsl, w.people.governor]) await training(p.personId, 'induction', '2021-09-01');
  await training(w.people.head.personId, 'annual_refresher', '2026-09-10'); // up to date now; missing in August
  await training(w.people.teacher.personId, 'annual_refresher', '2025-12-10'); // due soon now; up to date in August
  await training(w.people.dsl.personId, 'annual_refresher', '2026-01-10');
  await training(w.people.dsl.personId, 'dsl', '2025-06-01');
  await training(w.people.governor.personId, 'annual_refresher', '2026-10-01'); // up to date now; missing in August

  // Monitoring alerts and alerting blocks.
  await alert('2026-09-15T10:00:00.000Z', 'bullying', 'high', 'open');
  await alert('2026-09-16T10:00:00.000Z', 'violence', 'critical', 'false_positive');
  await alert('2026-10-16T10:00:00.000Z', 'bullying', 'low', 'closed');
  await alert('2026-11-16T10:00:00.000Z', 'self_harm', 'medium', 'escalated');
  await alert('2026-11-17T10:00:00.000Z', 'drugs', 'low', 'open', { personId: w.people.dsl.personId });
  await alert('2026-07-16T10:00:00.000Z', 'bullying', 'high', 'false_positive');
  await alert('2026-10-16T10:00:00.000Z', 'bullying', 'high', 'open', {
    school: w.otherSchoolId,
    personId: w.people.otherStudent.personId,
  });
  const block = (at: string, category: string, options: { action?: 'block' | 'allow'; school?: string } = {}) =>
    insertActivity(w.ctx, {
      schoolId: options.school ?? w.schoolId,
      at,
      action: options.action ?? 'block',
      category,
      personId: options.school ? null : pupil.personId,
      host: SECRET.host,
    });
  await block('2026-10-01T10:00:00.000Z', 'self_harm');
  await block('2026-10-02T10:00:00.000Z', 'self_harm');
  await block('2026-10-03T10:00:00.000Z', 'extremism');
  await block('2026-10-04T10:00:00.000Z', 'gambling');
  await block('2026-10-05T10:00:00.000Z', 'self_harm', { action: 'allow' });
  await block('2026-06-01T10:00:00.000Z', 'self_harm');
  await block('2026-10-01T10:00:00.000Z', 'self_harm', { school: w.otherSchoolId });

  // The policy in force and the last signed-off review.
  const policy = (version: number, status: 'draft' | 'approved') => ({
    id: newId(),
    school_id: w.schoolId,
    version,
    title: `${SECRET.name} policy`,
    body_md: SECRET.summary,
    change_note: SECRET.reason,
    status,
    created_at: '2026-05-01T00:00:00.000Z',
    created_by: w.people.head.personId,
    monitoring_cycle: 'termly',
    review_months: 12,
    approved_on: status === 'approved' ? '2026-05-20' : null,
    approved_by_body: status === 'approved' ? 'Full governing board' : null,
    minute_ref: status === 'approved' ? 'Minute 7.2' : null,
    approval_recorded_by: null,
    approval_recorded_at: null,
    next_review_on: status === 'approved' ? '2027-05-20' : null,
    approved_tables: null,
    due_reminder_for: null,
    overdue_reminder_for: null,
  });
  await db
    .insertInto('policy_versions')
    .values([policy(1, 'approved'), policy(2, 'approved'), policy(3, 'draft')])
    .execute();
  await db
    .updateTable('policy_versions')
    .set({ approved_on: '2025-05-01', next_review_on: '2026-05-01' })
    .where('version', '=', 1)
    .execute();
  await db
    .insertInto('filter_reviews')
    .values({
      id: newId(),
      school_id: w.schoolId,
      title: `${SECRET.name} review`,
      status: 'signed_off',
      slt_person_id: w.people.head.personId,
      governor_person_id: w.people.governor.personId,
      dsl_person_id: w.people.dsl.personId,
      it_lead_person_id: networkManager.personId,
      checklist: '[]',
      decisions: SECRET.summary,
      actions: '[]',
      started_at: '2025-09-01T09:00:00.000Z',
      started_by: null,
      updated_at: '2025-10-01T09:00:00.000Z',
      signed_off_at: '2025-10-01T09:00:00.000Z',
      signed_off_by: w.people.governor.personId,
      signoff_note: SECRET.comment,
    })
    .execute();
}

const section = (report: TermlyReport, id: string) => {
  const found = report.sections.find((s) => s.id === id);
  assert.ok(found, `the report has a ${id} section`);
  return found;
};

/** [this term, last term] as the report words them, for one row of one table. */
function row(report: TermlyReport, sectionId: string, caption: string, label: string): [string, string, string] {
  const table = section(report, sectionId).tables.find((t) => t.caption === caption);
  assert.ok(table, `${sectionId} has a table "${caption}"`);
  const found = table.rows.find((r) => r.label === label);
  assert.ok(found, `"${caption}" has a row "${label}"; rows: ${table.rows.map((r) => r.label).join(', ')}`);
  return [figureText(found.current), figureText(found.previous), changeText(found)];
}

const labels = (report: TermlyReport, sectionId: string, caption: string) =>
  section(report, sectionId)
    .tables.find((t) => t.caption === caption)
    ?.rows.map((r) => r.label);

describe("the governors' termly report", () => {
  before(seed);
  after(() => w.close());

  it('names terms by the months the incident figures use, cut at London midnight', () => {
    const now = new Date('2026-11-24T09:00:00Z');
    const autumn = termById('autumn-2026', now);
    assert.equal(autumn.start.toISOString(), '2026-08-31T23:00:00.000Z');
    assert.equal(autumn.end.toISOString(), '2027-01-01T00:00:00.000Z');
    assert.equal(autumn.academicName, '2026-27 autumn');
    assert.deepEqual([autumn.firstDay, autumn.lastDay], ['2026-09-01', '2026-12-31']);
    assert.equal(termAt(new Date('2026-08-31T23:30:00Z')).id, 'autumn-2026');
    assert.equal(termAt(new Date('2026-08-31T22:30:00Z')).id, 'summer-2026');
    assert.equal(termById('spring-2026', now).lastDay, '2026-03-31');
    assert.equal(termById('summer-2026', now).end.toISOString(), '2026-08-31T23:00:00.000Z');
    assert.equal(previousTerm(autumn).id, 'summer-2026');
    assert.equal(previousTerm(termById('spring-2026', now)).id, 'autumn-2025');
    assert.deepEqual(
      recentTerms(now, 4).map((t) => t.id),
      ['autumn-2026', 'summer-2026', 'spring-2026', 'autumn-2025'],
    );
    for (const bad of ['winter-2026', 'autumn-26', 'Autumn-2026', 'autumn-2026x', 'autumn-1999', ''])
      assert.throws(() => termById(bad, now), /such as autumn-2026/, bad);
    assert.throws(() => termById('spring-2027', now), /has not started yet/);
  });

  it('counts the incidents of the term one way at a time, beside the previous term, never another school’s', async () => {
    const governor = await w.as('gil.governor');
    const res = await governor.get<TermlyReport>('/api/governance/report');
    assert.equal(res.status, 200);
    const r = res.body;
    assert.deepEqual(r.term, {
      id: 'autumn-2026',
      label: 'Autumn term 2026',
      firstDay: '2026-09-01',
      lastDay: '2026-12-31',
      throughDay: '2026-11-24',
      toDate: true,
    });
    assert.equal(r.previousTerm.id, 'summer-2026');
    assert.equal(r.schoolName, 'Milford Haven School');
    assert.deepEqual(
      r.sections.map((s) => s.id),
      ['incidents', 'filtering', 'agreements', 'training', 'alerts', 'policy'],
    );
    assert.deepEqual(row(r, 'incidents', 'Incidents recorded', 'All incidents'), ['4', '1', 'Up 3']);
    assert.deepEqual(row(r, 'incidents', 'By category', 'Cyberbullying'), ['2', '0', 'Up 2']);
    assert.deepEqual(row(r, 'incidents', 'By category', 'Self-harm or suicide'), ['1', '0', 'Up 1']);
    assert.deepEqual(row(r, 'incidents', 'By category', 'Inappropriate content'), ['0', '1', 'Down 1']);
    assert.deepEqual(labels(r, 'incidents', 'By category'), [
      'Cyberbullying',
      'Inappropriate content',
      'Self-harm or suicide',
      'Staff conduct',
    ]);
    assert.deepEqual(row(r, 'incidents', 'By who it was about', 'Students'), ['3', '1', 'Up 2']);
    assert.deepEqual(row(r, 'incidents', 'By who it was about', 'Staff'), ['1', '0', 'Up 1']);
    assert.deepEqual(row(r, 'incidents', 'By year group', 'Year 9'), ['3', '1', 'Up 2']);
    assert.deepEqual(row(r, 'incidents', 'By outcome', 'Still open'), ['3', '0', 'Up 3']);
    assert.deepEqual(row(r, 'incidents', 'By outcome', 'Closed'), ['1', '1', 'Same']);
    assert.deepEqual(row(r, 'incidents', 'By investigation conclusion', 'No investigation needed'), ['4', '1', 'Up 3']);
  });

  it('summarises filtering change control, unblock requests, reported sites and list updates', async () => {
    const r = (await (await w.as('gil.governor')).get<TermlyReport>('/api/governance/report')).body;
    assert.deepEqual(row(r, 'filtering', 'Changes to filtering, by kind', 'All changes'), ['4', '1', 'Up 3']);
    assert.deepEqual(row(r, 'filtering', 'Changes to filtering, by kind', 'Other filtering changes'), ['1', '0', 'Up 1']);
    assert.deepEqual(row(r, 'filtering', 'Changes to filtering, by kind', 'Local allow and block lists'), ['2', '0', 'Up 2']);
    assert.deepEqual(row(r, 'filtering', 'Changes to filtering, by kind', 'Exceptions (temporary unblocks)'), ['1', '0', 'Up 1']);
    assert.deepEqual(row(r, 'filtering', 'Changes to filtering, by kind', 'Filtering profiles'), ['0', '1', 'Down 1']);
    assert.deepEqual(row(r, 'filtering', 'Unblock requests', 'Requests made'), ['3', '1', 'Up 2']);
    assert.deepEqual(row(r, 'filtering', 'Unblock requests', 'Approved'), ['2', '0', 'Up 2']);
    assert.deepEqual(row(r, 'filtering', 'Unblock requests', 'Declined'), ['1', '0', 'Up 1']);
    assert.deepEqual(row(r, 'filtering', 'Sites reported by staff and pupils', 'Blocked but needed'), ['1', '0', 'Up 1']);
    assert.deepEqual(row(r, 'filtering', 'Sites reported by staff and pupils', 'Not blocked but should be'), ['0', '1', 'Down 1']);
    assert.deepEqual(row(r, 'filtering', 'Block list updates', 'Category block lists updated'), ['1', '0', 'Up 1']);
  });

  it('shows agreement and training coverage as at the end of each term', async () => {
    const r = (await (await w.as('gil.governor')).get<TermlyReport>('/api/governance/report')).body;
    // Staff agreement: dee, hal, hana, tia, col, the governor and the network manager.
    assert.deepEqual(row(r, 'agreements', 'Agreement coverage', 'Staff and volunteers'), ['3 of 7 (43%)', '1 of 7 (14%)', 'Up 29 points']);
    assert.deepEqual(row(r, 'agreements', 'Agreement coverage', 'Secondary students'), ['1 of 3 (33%)', '0 of 3 (0%)', 'Up 33 points']);
    // Six members of staff: the head and the DSL up to date now, the teacher due soon.
    assert.deepEqual(row(r, 'training', 'Staff', 'Up to date'), ['2 of 6 (33%)', '2 of 6 (33%)', 'Same']);
    assert.deepEqual(row(r, 'training', 'Staff', 'Due within 30 days'), ['1 of 6 (17%)', '0 of 6 (0%)', 'Up 17 points']);
    assert.deepEqual(row(r, 'training', 'Staff', 'Overdue'), ['3 of 6 (50%)', '4 of 6 (67%)', 'Down 17 points']);
    assert.deepEqual(row(r, 'training', 'Governors', 'Up to date'), ['1 of 1 (100%)', '0 of 1 (0%)', 'Up 100 points']);
    assert.deepEqual(row(r, 'training', 'Designated safeguarding leads', 'DSL training in date'), [
      '1 of 1 (100%)',
      '1 of 1 (100%)',
      'Same',
    ]);
  });

  it('counts monitoring alerts and alerting blocks, leaving out those about the reader', async () => {
    const governor = (await (await w.as('gil.governor')).get<TermlyReport>('/api/governance/report')).body;
    assert.deepEqual(row(governor, 'alerts', 'Alerts by category', 'All alerts'), ['5', '1', 'Up 4']);
    assert.deepEqual(row(governor, 'alerts', 'Alerts by category', 'Bullying'), ['2', '1', 'Up 1']);
    assert.deepEqual(row(governor, 'alerts', 'Alerts by category', 'Drugs and substance misuse'), ['1', '0', 'Up 1']);
    assert.deepEqual(row(governor, 'alerts', 'Alerts by severity', 'Critical'), ['1', '0', 'Up 1']);
    assert.deepEqual(row(governor, 'alerts', 'Alerts by severity', 'Low'), ['2', '0', 'Up 2']);
    assert.deepEqual(row(governor, 'alerts', 'Alerts by outcome', 'Still open'), ['2', '0', 'Up 2']);
    assert.deepEqual(row(governor, 'alerts', 'Alerts by outcome', 'False positive'), ['1', '1', 'Same']);
    assert.deepEqual(row(governor, 'alerts', 'Alerts by outcome', 'Escalated to an incident'), ['1', '0', 'Up 1']);
    assert.deepEqual(row(governor, 'alerts', 'Alerts by outcome', 'False-positive rate (of alerts reviewed)'), [
      '1 of 3 (33%)',
      '1 of 1 (100%)',
      'Down 67 points',
    ]);
    assert.deepEqual(row(governor, 'alerts', 'Filter blocks that alerted the DSL', 'All alerting blocks'), ['3', '1', 'Up 2']);
    assert.deepEqual(row(governor, 'alerts', 'Filter blocks that alerted the DSL', 'Self-harm, suicide and eating disorders'), [
      '2',
      '1',
      'Up 1',
    ]);
    const dsl = (await (await w.as('dee.dsl')).get<TermlyReport>('/api/governance/report')).body;
    assert.deepEqual(row(dsl, 'alerts', 'Alerts by category', 'All alerts'), ['4', '1', 'Up 3']);
    assert.equal(labels(dsl, 'alerts', 'Alerts by category')?.includes('Drugs and substance misuse'), false);
  });

  it('states the policy in force and when the filtering and monitoring review is next due', async () => {
    const r = (await (await w.as('hal.head')).get<TermlyReport>('/api/governance/report')).body;
    assert.deepEqual(section(r, 'policy').facts, [
      { label: 'E-safety policy in force', value: 'Version 2' },
      { label: 'Approved by governors on', value: '20 May 2026' },
      { label: 'Policy review due', value: '20 May 2027' },
      { label: 'Filtering and monitoring review signed off', value: '1 October 2025' },
      { label: 'Next filtering and monitoring review due', value: '1 October 2026 (overdue)' },
    ]);
  });

  it('reports an earlier term whole, beside the term before it', async () => {
    const res = await (await w.as('gil.governor')).get<TermlyReport>('/api/governance/report?term=summer-2026');
    assert.equal(res.status, 200);
    assert.deepEqual(
      [res.body.term.id, res.body.term.throughDay, res.body.term.toDate, res.body.previousTerm.id],
      ['summer-2026', '2026-08-31', false, 'spring-2026'],
    );
    assert.deepEqual(row(res.body, 'incidents', 'Incidents recorded', 'All incidents'), ['1', '1', 'Same']);
    assert.deepEqual(row(res.body, 'incidents', 'By category', 'Copyright'), ['0', '1', 'Down 1']);
    assert.deepEqual(row(res.body, 'training', 'Governors', 'Overdue'), ['1 of 1 (100%)', '1 of 1 (100%)', 'Same']);
  });

  it('never shows a name, username, reference or anything anyone wrote, on screen, in HTML or in the PDF', async () => {
    const governor = await w.as('gil.governor');
    const json = await governor.get('/api/governance/report');
    const html = await governor.get('/api/governance/report.html');
    const pdf = await fetch(`${governor.baseUrl}/api/governance/report.pdf`, { headers: { cookie: governor.cookie! } });
    const outputs = {
      json: JSON.stringify(json.body),
      html: String(html.body),
      pdf: pdfText(Buffer.from(await pdf.arrayBuffer())),
    };
    const usernames = (await w.ctx.db.selectFrom('accounts').select('username').execute()).map((a) => a.username);
    const forbidden = [
      ...Object.values(SECRET),
      'future_kind',
      'Zanzibar',
      'Quixote',
      'pelican',
      'albatross',
      '9Q/Cs',
      ...references,
      ...usernames,
    ];
    for (const [where, text] of Object.entries(outputs)) {
      assert.ok(text.includes('Cyberbullying'), `the ${where} output holds the figures`);
      for (const secret of forbidden) assert.ok(!text.includes(secret), `the ${where} output does not contain "${secret}"`);
    }
  });

  it('writes a PDF and an HTML page an independent reader can read, each with a filename', async () => {
    const governor = await w.as('gil.governor');
    const res = await fetch(`${governor.baseUrl}/api/governance/report.pdf?term=autumn-2026`, { headers: { cookie: governor.cookie! } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/pdf');
    assert.equal(res.headers.get('content-disposition'), 'attachment; filename="governors-termly-report-autumn-2026.pdf"');
    // Confidential to the board: not kept in a shared computer's browser cache.
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const pdf = Buffer.from(await res.arrayBuffer());
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    const text = pdfText(pdf).replace(/\s+/g, ' ');
    for (const expected of [
      "Governors' termly report",
      'Milford Haven School: Autumn term 2026',
      'E-safety incidents (anonymised)',
      'Filtering change control',
      'Acceptable use agreements',
      'E-safety training',
      'Monitoring alerts',
      'Policy and review',
      'Cyberbullying 2 0 Up 2',
      '3 of 7 (43%) 1 of 7 (14%) Up 29 points',
      '1 October 2026 (overdue)',
    ])
      assert.ok(text.includes(expected), `the PDF says "${expected}"`);
    const html = await governor.get('/api/governance/report.html?term=summer-2026');
    assert.equal(html.status, 200);
    assert.match(html.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(html.headers.get('content-disposition'), 'inline; filename="governors-termly-report-summer-2026.html"');
    assert.equal(html.headers.get('cache-control'), 'no-store');
    assert.match(html.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    assert.ok(String(html.body).includes('<th scope="row">Copyright</th><td>0</td><td>1</td><td>Down 1</td>'));
  });

  it('is open to governors, the head and the DSL, refused to everyone else, and audits every read and export', async () => {
    for (const username of ['tia.teacher', 'nia.network', 'pat.parent', 'sam.student', 'hana.hr']) {
      const client = await w.as(username);
      for (const path of ['/api/governance/report', '/api/governance/report.pdf', '/api/governance/report.html'])
        assert.equal((await client.get(path)).status, 403, `${username} is refused ${path}`);
    }
    const audits = async (action: string) =>
      (
        await w.ctx.db
          .selectFrom('audit_log')
          .select(['details', 'actor_username', 'school_id'])
          .where('action', '=', action)
          .orderBy('seq')
          .execute()
      ).map((a) => ({ ...a, details: typeof a.details === 'string' ? JSON.parse(a.details) : a.details }));
    const readsBefore = (await audits('governance.report.read')).length;
    const exportsBefore = (await audits('governance.report.export')).length;
    for (const username of ['gil.governor', 'hal.head', 'dee.dsl']) {
      const client = await w.as(username);
      assert.equal((await client.get('/api/governance/report?term=spring-2026')).status, 200, username);
      assert.equal((await client.get('/api/governance/report.html?term=spring-2026')).status, 200, username);
      assert.equal((await client.get('/api/governance/report.pdf?term=spring-2026')).status, 200, username);
    }
    const reads = await audits('governance.report.read');
    const exports = await audits('governance.report.export');
    assert.equal(reads.length - readsBefore, 3);
    assert.equal(exports.length - exportsBefore, 6);
    assert.deepEqual(
      reads.slice(-3).map((a) => [a.actor_username, a.details, a.school_id]),
      [
        ['gil.governor', { term: 'spring-2026' }, w.schoolId],
        ['hal.head', { term: 'spring-2026' }, w.schoolId],
        ['dee.dsl', { term: 'spring-2026' }, w.schoolId],
      ],
    );
    assert.deepEqual(
      exports.slice(-2).map((a) => a.details),
      [
        { term: 'spring-2026', format: 'html' },
        { term: 'spring-2026', format: 'pdf' },
      ],
    );
  });

  it('refuses a term that is malformed or has not started, saying what a term looks like', async () => {
    const governor = await w.as('gil.governor');
    for (const term of ['winter-2026', 'autumn-26', 'autumn%002026', '', 'spring-2027']) {
      const res = await governor.get(`/api/governance/report?term=${term}`);
      assert.equal(res.status, 400, `term=${term}`);
      assert.equal(res.body.error, 'validation_failed', JSON.stringify(res.body));
    }
    const res = await governor.get('/api/governance/report.pdf?term=winter-2026');
    assert.equal(res.status, 400);
    assert.match(JSON.stringify(res.body), /such as autumn-2026/);
    assert.match(
      JSON.stringify((await governor.get('/api/governance/report?term=spring-2027')).body),
      /spring term 2027 has not started yet/,
    );
  });
});

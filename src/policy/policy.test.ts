import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CATEGORIES, LOCKED_CATEGORIES } from '../filter/categories.js';
import { loadFilterPolicy } from '../filter/policy/load.js';
import { type PolicyWorld, policyWorld } from '../filter/policy/testing.js';
import { startSmtpSink } from '../notify/test-support.js';
import { smtpMailer } from '../notify/mailer.js';
import { listMatrix } from '../safeguarding/response/matrix.js';
import { seedSchool } from '../testing/fixtures.js';
import { pdfText } from '../testing/pdf.js';
import { approveDemoPolicy } from './demo.js';
import { sendPolicyReminders } from './reminders.js';
import { addMonths, ensurePolicy, listVersions } from './service.js';
import type { CommunicationRow, PolicyOverview, PolicyTables, UserActionLevel } from './wire.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SEEDS = path.resolve(REPO_ROOT, '..', 'shared', 'seeds');

/** Seed 002's communication technologies table: each row's label and the marked column of each audience. */
function seedCommunications(): { columns: string[]; rows: CommunicationRow[] } {
  const file = readdirSync(SEEDS).find((f) => f.startsWith('002_'));
  assert.ok(file, 'seed 002 is present');
  const lines = readFileSync(path.join(SEEDS, file), 'utf8').split('\n');
  const start = lines.findIndex((l) => l.startsWith('Communication Technologies\t'));
  assert.ok(start > 0, 'the seed has the communication technologies table');
  const columns = lines[start + 1]!.split('\t').slice(1, 9);
  const rows: CommunicationRow[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.includes('\t')) break;
    const [label, ...cells] = line.split('\t');
    const marked = cells.flatMap((c, i) => (c.trim() === 'X' ? [i] : []));
    assert.equal(marked.length, 2, `one mark per audience in "${label}"`);
    rows.push({
      label: label!.trim(),
      staff: columns[marked[0]!] as CommunicationRow['staff'],
      students: columns[marked[1]!] as CommunicationRow['students'],
    });
  }
  return { columns, rows };
}

/** The level the filter enforces for a category in a profile, read straight from its configuration. */
function enforcedLevel(profile: Awaited<ReturnType<typeof loadFilterPolicy>>['profiles'][number], category: string): UserActionLevel {
  if ((LOCKED_CATEGORIES as readonly string[]).includes(category)) return 'illegal';
  const cell = profile.matrix[category as keyof typeof profile.matrix];
  return cell ? cell.level : profile.defaultAction === 'allow' ? 'acceptable' : 'unacceptable';
}

/** The rows of one table of an HTML export, found by the start of its caption. */
function htmlTableRows(html: string, captionStart: string): string[][] {
  const table = html.split('<table>').find((t) => t.startsWith(`<caption>${captionStart}`));
  assert.ok(table, `the HTML has a table captioned "${captionStart}…"`);
  const body = table.slice(table.indexOf('<tbody>'), table.indexOf('</tbody>'));
  return body
    .split('<tr>')
    .slice(1)
    .map((tr) => [...tr.matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map((m) => m[1]!));
}

const count = (text: string, needle: string) => text.split(needle).length - 1;

describe('the e-safety policy', () => {
  let w: PolicyWorld;
  before(async () => {
    w = await policyWorld();
  });
  after(async () => w.close());

  const overview = async (username = 'hal.head') => (await (await w.as(username)).get<PolicyOverview>('/api/policy')).body;
  const audits = (action: string) => w.ctx.db.selectFrom('audit_log').select(['action', 'details']).where('action', '=', action).execute();

  it('starts a school on the default text as a draft, editable until governors approve it', async () => {
    const head = await w.as('hal.head');
    const first = await overview();
    assert.equal(first.current, null, 'no policy is in force before governors approve one');
    assert.equal(first.draft?.version, 1);
    assert.equal(first.review.state, 'not_approved');
    assert.ok(first.draft.bodyMd.includes('{{user-actions}}'));
    assert.equal((await overview()).versions.length, 1, 'reading again makes no second version');

    const id = first.draft.id;
    const edited = await head.request('PATCH', `/api/policy/versions/${id}`, {
      bodyMd: `${first.draft.bodyMd}\n\nAdded by the head.`,
      changeNote: 'Local words',
    });
    assert.equal(edited.status, 200);
    assert.ok(edited.body.bodyMd.endsWith('Added by the head.'));
    assert.equal((await head.request('PATCH', `/api/policy/versions/${id}`, { bodyMd: '   ' })).status, 400);
    assert.equal((await head.request('PATCH', `/api/policy/versions/${id}`, { title: 'bad\u0000title' })).status, 400);
    assert.equal((await head.request('PATCH', `/api/policy/versions/${id}`, { reviewMonths: 0 })).status, 400);
    const teacher = await w.as('tia.teacher');
    assert.equal((await teacher.request('PATCH', `/api/policy/versions/${id}`, { changeNote: 'mine' })).status, 403);
    assert.equal((await (await w.as('gil.governor')).request('PATCH', `/api/policy/versions/${id}`, { changeNote: 'mine' })).status, 403);
    assert.equal(
      (await teacher.post(`/api/policy/versions/${id}/approve`, { approvedOn: '2026-11-20', approvedByBody: 'FGB', minuteRef: '1' }))
        .status,
      403,
    );

    const html = await teacher.get(`/api/policy/versions/${id}/document.html`);
    assert.equal(html.status, 200, 'staff may read the draft');
    assert.match(String(html.body), /<title>DRAFT: E-safety policy<\/title>/);
  });

  it('records governors’ approval with a real date, computes the next review and freezes the version', async () => {
    const governor = await w.as('gil.governor');
    const id = (await overview()).draft!.id;
    const approve = (body: object) => governor.post(`/api/policy/versions/${id}/approve`, body);
    const valid = { approvedByBody: 'Full governing body', minuteRef: 'FGB 2026/31' };
    for (const approvedOn of ['2026-02-30', 'not a date', '2026-11-25', '2026-13-01', '']) {
      const res = await approve({ ...valid, approvedOn });
      assert.equal(res.status, 400, `approvedOn "${approvedOn}" is refused`);
    }
    assert.equal((await approve({ approvedOn: '2026-11-20', approvedByBody: ' ', minuteRef: 'x' })).status, 400);
    assert.equal((await approve({ ...valid, approvedOn: '2026-11-20', nextReviewOn: '2026-11-19' })).status, 400);
    // A review date decades away would silence the reminders: three years is the longest period.
    assert.equal((await approve({ ...valid, approvedOn: '2026-11-20', nextReviewOn: '9999-12-31' })).status, 400);
    assert.equal((await approve({ ...valid, approvedOn: '2026-11-20', nextReviewOn: '2029-11-21' })).status, 400);
    assert.equal((await approve({ ...valid, approvedOn: '2026-11-20', extra: 1 })).status, 400);

    // Two people recording the same approval at once: one wins, the other is told, nothing breaks.
    const head = await w.as('hal.head');
    const results = await Promise.all([
      approve({ ...valid, approvedOn: '2026-11-20' }),
      head.post(`/api/policy/versions/${id}/approve`, { ...valid, approvedOn: '2026-11-20' }),
    ]);
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 409]);
    const approved = results.find((r) => r.status === 200)!.body;
    assert.equal(approved.status, 'approved');
    assert.equal(approved.nextReviewOn, '2027-11-20');

    assert.equal((await head.request('PATCH', `/api/policy/versions/${id}`, { changeNote: 'late' })).status, 409);
    assert.equal((await approve({ ...valid, approvedOn: '2026-11-21' })).status, 409);
    const now = await overview('tia.teacher');
    assert.equal(now.current?.id, id);
    assert.equal(now.current?.minuteRef, 'FGB 2026/31');
    assert.equal(now.review.state, 'ok');
    assert.deepEqual(now.drift?.changed, []);
    assert.equal(now.canManage, false);
    assert.equal(now.canApprove, false);
    assert.equal((await audits('policy.version.approved')).length, 1);

    assert.equal(addMonths('2026-01-31', 1), '2026-02-28');
    assert.equal(addMonths('2027-11-30', 3), '2028-02-29');
  });

  it('starts one new draft at a time from the policy in force', async () => {
    const head = await w.as('hal.head');
    assert.equal((await (await w.as('tia.teacher')).post('/api/policy/versions', {})).status, 403);
    const created = await head.post('/api/policy/versions', { changeNote: 'Annual review' });
    assert.equal(created.status, 201);
    assert.equal(created.body.version, 2);
    assert.equal(created.body.status, 'draft');
    const current = (await overview()).current!;
    assert.equal(created.body.bodyMd, current.bodyMd);
    assert.equal((await head.post('/api/policy/versions', {})).status, 409);
    // Without its sanctions marker, the sanctions tables still print, at the end.
    const body = current.bodyMd.replace('{{sanctions}}', '');
    assert.equal((await head.request('PATCH', `/api/policy/versions/${created.body.id}`, { bodyMd: body })).status, 200);
    const html = String((await head.get(`/api/policy/versions/${created.body.id}/document.html`)).body);
    const tail = html.slice(html.indexOf('Tables generated from the live configuration'));
    assert.ok(html.includes('Tables generated from the live configuration'));
    assert.ok(tail.includes('Actions and sanctions: students') && tail.includes('Actions and sanctions: staff'));
    assert.ok(!tail.includes('User Actions: '), 'tables whose markers are present stay where they are');
  });

  it('prints each table once however often the text repeats its marker', async () => {
    const head = await w.as('hal.head');
    const draft = (await overview()).draft!;
    const profiles = (await head.get<PolicyTables>('/api/policy/tables')).body.userActions.length;
    const repeated = `${draft.bodyMd}\n\n${'{{user-actions}}\n'.repeat(200)}`;
    assert.equal((await head.request('PATCH', `/api/policy/versions/${draft.id}`, { bodyMd: repeated })).status, 200);
    try {
      const html = String((await head.get(`/api/policy/versions/${draft.id}/document.html`)).body);
      assert.equal(count(html, '<caption>User Actions: '), profiles, 'one table per profile, not one per marker');
      assert.ok(!html.includes('{{user-actions}}'), 'no marker is printed as text');
    } finally {
      await head.request('PATCH', `/api/policy/versions/${draft.id}`, { bodyMd: draft.bodyMd });
    }
  });

  it('keeps versions to their school and to staff and governors', async () => {
    const mine = (await overview()).versions[0]!.id;
    for (const username of ['sue.student', 'pat.parent']) {
      const client = await w.as(username);
      for (const p of [
        '/api/policy',
        `/api/policy/versions/${mine}`,
        `/api/policy/versions/${mine}/document.pdf`,
        '/api/policy/tables',
        '/api/policy/communications',
      ]) {
        assert.equal((await client.get(p)).status, 403, `${username} cannot read ${p}`);
      }
    }
    const other = await seedSchool(w.ctx, 'Other Academy');
    await ensurePolicy(w.ctx.db, other.schoolId, w.ctx.clock());
    const theirs = (await listVersions(w.ctx.db, other.schoolId))[0]!.id;
    const head = await w.as('hal.head');
    assert.equal((await head.get(`/api/policy/versions/${theirs}`)).status, 404);
    assert.equal((await head.get(`/api/policy/versions/${theirs}/document.html`)).status, 404);
    assert.equal((await head.request('PATCH', `/api/policy/versions/${theirs}`, { changeNote: 'x' })).status, 404);
    assert.equal(
      (await head.post(`/api/policy/versions/${theirs}/approve`, { approvedOn: '2026-11-20', approvedByBody: 'x', minuteRef: 'y' })).status,
      404,
    );
  });

  it('prints the User Actions table cell for cell from the filter configuration, and follows a change to it', async () => {
    const teacher = await w.as('tia.teacher');
    const policy = await loadFilterPolicy(w.ctx.db, w.schoolId, w.ctx.clock());
    const tables = (await teacher.get<PolicyTables>('/api/policy/tables')).body;
    assert.equal(tables.userActions.length, policy.profiles.length, 'one table per profile');
    for (const profile of policy.profiles) {
      const table = tables.userActions.find((t) => t.profileId === profile.id);
      assert.ok(table, `a table for ${profile.name}`);
      assert.deepEqual(
        table.rows.map((r) => r.category),
        CATEGORIES.map((c) => c.id),
      );
      for (const row of table.rows) assert.equal(row.level, enforcedLevel(profile, row.category), `${profile.name}: ${row.category}`);
    }

    const current = (await overview()).current!;
    const htmlBefore = String((await teacher.get(`/api/policy/versions/${current.id}/document.html`)).body);
    const pdfBefore = pdfText(
      Buffer.from(
        await (
          await fetch(`${w.server.url}/api/policy/versions/${current.id}/document.pdf`, { headers: { cookie: teacher.cookie! } })
        ).arrayBuffer(),
      ),
    );

    // The network manager changes one cell through the filter's own API.
    const ks3 = policy.profiles.find((p) => p.key === 'ks3')!;
    assert.notEqual(enforcedLevel(ks3, 'shopping'), 'at_certain_times');
    const netman = await w.as('nat.netman');
    const changed = await netman.put(`/api/filter/profiles/${ks3.id}/matrix/shopping`, {
      level: 'at_certain_times',
      windows: ['weekend'],
      reason: 'Shopping for the Year 9 enterprise project at weekends only',
    });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));

    const after = (await teacher.get<PolicyTables>('/api/policy/tables')).body.userActions.find((t) => t.profileId === ks3.id)!;
    assert.deepEqual(
      after.rows.find((r) => r.category === 'shopping'),
      { category: 'shopping', label: 'Online shopping and commerce', level: 'at_certain_times', detail: 'weekends' },
    );

    const html = await teacher.get(`/api/policy/versions/${current.id}/document.html`);
    assert.match(html.headers.get('content-type') ?? '', /^text\/html/);
    const row = htmlTableRows(String(html.body), `User Actions: ${ks3.name} (`).find((r) => r[0] === 'Online shopping and commerce')!;
    assert.deepEqual(row, ['Online shopping and commerce', '', 'X (weekends)', '', '', '']);
    assert.equal(count(String(html.body), 'X (weekends)'), count(htmlBefore, 'X (weekends)') + 1);

    const pdfRes = await fetch(`${w.server.url}/api/policy/versions/${current.id}/document.pdf`, { headers: { cookie: teacher.cookie! } });
    assert.equal(pdfRes.headers.get('content-type'), 'application/pdf');
    const pdf = pdfText(Buffer.from(await pdfRes.arrayBuffer()));
    assert.equal(count(pdf, 'X (weekends)'), count(pdfBefore, 'X (weekends)') + 1, 'the PDF shows the new mark');
    const flat = pdf.replace(/\s+/g, ' ');
    assert.ok(flat.includes('Changed since governors approved this version on 20 November 2026: User Actions.'), 'the PDF says what moved');
    assert.ok(flat.includes('FGB 2026/31'));

    const drift = (await overview()).drift!;
    assert.deepEqual(drift.changed, ['userActions']);
    assert.equal(drift.version, current.version);
    assert.ok((await audits('policy.export')).length >= 4, 'every download is audited');
  });

  it('defaults the communication technologies table to seed 002 and validates edits', async () => {
    const seed = seedCommunications();
    assert.deepEqual(seed.columns, ['A', 'CT', 'SS', 'NA', 'A', 'CT', 'SP', 'NA']);
    const teacher = await w.as('tia.teacher');
    const res = await teacher.get('/api/policy/communications');
    assert.equal(res.status, 200);
    assert.equal(res.body.rows.length, 11);
    assert.deepEqual(res.body.rows, seed.rows);

    const head = await w.as('hal.head');
    const rows = [...seed.rows, { label: 'Use of AI chatbots', staff: 'SS', students: 'SP' }];
    const bad: [string, unknown][] = [
      ['a student level for staff', [{ label: 'x', staff: 'SP', students: 'A' }]],
      ['a staff level for students', [{ label: 'x', staff: 'A', students: 'SS' }]],
      ['an empty label', [{ label: '', staff: 'A', students: 'A' }]],
      ['a blank label', [{ label: '   ', staff: 'A', students: 'A' }]],
      ['a long label', [{ label: 'x'.repeat(201), staff: 'A', students: 'A' }]],
      ['a NUL', [{ label: 'a\u0000b', staff: 'A', students: 'A' }]],
      [
        'the same row twice',
        [
          { label: 'Blogs', staff: 'A', students: 'A' },
          { label: ' blogs ', staff: 'NA', students: 'NA' },
        ],
      ],
      ['too many rows', Array.from({ length: 51 }, (_, i) => ({ label: `Row ${i}`, staff: 'A', students: 'A' }))],
    ];
    for (const [what, body] of bad) assert.equal((await head.put('/api/policy/communications', { rows: body })).status, 400, what);
    assert.equal((await teacher.put('/api/policy/communications', { rows })).status, 403);
    assert.equal((await (await w.as('gil.governor')).put('/api/policy/communications', { rows })).status, 403);
    const saved = await head.put('/api/policy/communications', { rows });
    assert.equal(saved.status, 200);
    assert.deepEqual(saved.body.rows, rows);
    assert.deepEqual((await teacher.get<PolicyTables>('/api/policy/tables')).body.communications, rows);
    assert.equal((await audits('policy.communications.updated')).length, 1);
    assert.deepEqual((await overview()).drift?.changed, ['userActions', 'communications']);
  });

  it('prints the actions-and-sanctions tables from the live response matrix', async () => {
    const dsl = await w.as('dee.dsl');
    const edit = await dsl.put('/api/incidents/matrix/student/downloading_uploading', {
      actions: ['refer_head_of_year', 'inform_parents'],
    });
    assert.equal(edit.status, 200, JSON.stringify(edit.body));
    const tables = (await (await w.as('tia.teacher')).get<PolicyTables>('/api/policy/tables')).body.sanctions;
    for (const audience of ['student', 'staff'] as const) {
      const live = await listMatrix(w.ctx.db, w.schoolId, audience, w.ctx.clock());
      const table = tables.find((t) => t.audience === audience)!;
      assert.deepEqual(
        table.rows,
        live.map((r) => ({ incidentType: r.incidentType, label: r.label, actions: r.actions })),
      );
    }
    const row = tables[0]!.rows.find((r) => r.incidentType === 'downloading_uploading')!;
    assert.deepEqual(row.actions, ['refer_head_of_year', 'inform_parents']);
    const current = (await overview()).current!;
    const html = String((await dsl.get(`/api/policy/versions/${current.id}/document.html`)).body);
    const printed = htmlTableRows(html, 'Actions and sanctions: students').find((r) => r[0] === row.label)!;
    const columns = tables[0]!.columns.map((c) => c.id);
    assert.deepEqual(
      printed.slice(1),
      columns.map((c) => (row.actions.includes(c) ? 'X' : '')),
    );
    assert.deepEqual((await overview()).drift?.changed, ['userActions', 'communications', 'sanctions']);
  });

  it('reminds heads and governors once when the review is due, and once more when it is overdue', async () => {
    const sink = await startSmtpSink();
    const mailer = smtpMailer({ url: sink.url, from: 'Tutela <tutela@school.example>' });
    try {
      const head = await w.as('hal.head');
      const draft = (await overview()).draft!;
      const approval = { approvedByBody: 'Well-being sub-committee', minuteRef: 'WB 26/4', nextReviewOn: '2026-12-10' };
      const early = await head.post(`/api/policy/versions/${draft.id}/approve`, { ...approval, approvedOn: '2026-11-19' });
      assert.equal(early.status, 400, 'not before the approval of the version in force');
      // Governors asked to look at it again within the month.
      const approved = await head.post(`/api/policy/versions/${draft.id}/approve`, { ...approval, approvedOn: '2026-11-24' });
      assert.equal(approved.status, 200);
      assert.equal(approved.body.nextReviewOn, '2026-12-10');
      assert.equal((await overview()).review.state, 'due_soon');
      await w.ctx.db.updateTable('people').set({ email: 'hal@school.example' }).where('id', '=', w.people.head.personId).execute();
      await w.ctx.db.updateTable('people').set({ email: 'tia@school.example' }).where('id', '=', w.people.teacher.personId).execute();

      const notes = async () =>
        w.ctx.db.selectFrom('notifications').select(['recipient_person_id', 'title']).where('kind', '=', 'policy.review').execute();
      const due = await sendPolicyReminders(w.ctx, w.ctx.clock(), { mailer });
      assert.equal(due.length, 1);
      assert.equal(due[0]!.kind, 'due');
      assert.equal(due[0]!.emailed, 1);
      const recipients = (await notes()).map((n) => n.recipient_person_id).sort();
      assert.deepEqual(recipients, [w.people.head.personId, w.people.governor.personId].sort(), 'heads and governors only');
      assert.deepEqual(
        sink.messages.flatMap((m) => m.to),
        ['hal@school.example'],
      );
      assert.deepEqual(await sendPolicyReminders(w.ctx, w.ctx.clock(), { mailer }), [], 'once per review date');

      w.ctx.clock.set(new Date('2026-12-11T09:00:00Z'));
      // Sessions lapse over a fortnight, so a new one for the new day.
      const later = await w.as('hal.head', { fresh: true });
      assert.equal((await later.get<PolicyOverview>('/api/policy')).body.review.state, 'overdue');
      const overdue = await sendPolicyReminders(w.ctx, w.ctx.clock(), { mailer });
      assert.deepEqual(
        overdue.map((r) => r.kind),
        ['overdue'],
      );
      assert.deepEqual(await sendPolicyReminders(w.ctx, w.ctx.clock(), { mailer }), []);
      const titles = (await notes()).filter((n) => n.recipient_person_id === w.people.head.personId).map((n) => n.title);
      assert.deepEqual(titles.sort(), ['The e-safety policy review is due soon', 'The e-safety policy review is overdue']);
      assert.equal((await audits('policy.reminder')).length, 2);
    } finally {
      w.ctx.clock.set(new Date('2026-11-24T09:00:00Z'));
      mailer?.close();
      await sink.close();
    }
  });

  it('marks a version governors have since replaced, so an old copy never passes for the policy in force', async () => {
    const head = await w.as('hal.head');
    const { current, versions } = await overview();
    const older = versions.find((v) => v.status === 'approved' && v.id !== current!.id)!;
    const old = String((await head.get(`/api/policy/versions/${older.id}/document.html`)).body);
    assert.ok(old.includes(`<title>REPLACED: ${current!.title}</title>`), 'the title says so');
    assert.ok(old.includes(`This version is no longer in force: governors approved version ${current!.version} on 24 November 2026`));
    const pdf = await fetch(`${w.server.url}/api/policy/versions/${older.id}/document.pdf`, { headers: { cookie: head.cookie! } });
    assert.match(pdfText(Buffer.from(await pdf.arrayBuffer())), /no longer in force/);
    const now = String((await head.get(`/api/policy/versions/${current!.id}/document.html`)).body);
    assert.ok(!now.includes('REPLACED') && !now.includes('no longer in force'));
  });

  it('gives the demo school a policy approved by the full governing body in May 2026', async () => {
    const demo = await seedSchool(w.ctx, 'Demo Policy Academy');
    await approveDemoPolicy(w.ctx.db, demo.schoolId, w.ctx.clock());
    const [v1, ...rest] = await listVersions(w.ctx.db, demo.schoolId);
    assert.equal(rest.length, 0);
    assert.equal(v1!.status, 'approved');
    assert.deepEqual(
      [v1!.approved_on, v1!.approved_by_body, v1!.minute_ref, v1!.next_review_on],
      ['2026-05-21', 'Full governing body', 'FGB 2026/14', '2027-05-21'],
    );
    assert.ok(v1!.approved_tables?.includes('"userActions"'));
  });
});

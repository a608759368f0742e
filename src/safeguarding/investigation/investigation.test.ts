import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { insertIncident, type SafeguardingWorld, safeguardingWorld } from '../testing.js';

describe('the investigation form and the illegal-content procedure', () => {
  let w: SafeguardingWorld;
  before(async () => {
    w = await safeguardingWorld();
  });
  after(async () => w.close());

  const studentIncident = (category?: string) => w.studentIncident({ category });
  const path = (id: string, rest = '') => `/api/incidents/${id}/investigation${rest}`;
  const form = (overrides: Record<string, unknown> = {}) => ({
    urls: ['https://example.com/page', 'chat.example.org'],
    contentDescription: 'Screenshots of unkind messages posted in a group chat',
    designatedComputer: 'ICT suite PC 14',
    ...overrides,
  });
  const auditCount = async (action: string, targetId: string) =>
    (await w.ctx.db.selectFrom('audit_log').select('seq').where('action', '=', action).where('target_id', '=', targetId).execute()).length;
  const entriesOf = (id: string) =>
    w.ctx.db
      .selectFrom('incident_entries')
      .select(['body', 'details'])
      .where('incident_id', '=', id)
      .where('kind', '=', 'investigation')
      .orderBy('created_at')
      .execute();
  const suspectedCsam = async (id: string) =>
    (await w.ctx.db.selectFrom('incidents').select('suspected_csam').where('id', '=', id).executeTakeFirstOrThrow()).suspected_csam;

  it('refuses the reporter, another teacher, the governor and the other school on every route, as not found', async () => {
    const incident = await studentIncident();
    for (const username of ['tia.teacher', 'col.colleague', 'gil.governor', 'oda.dsl']) {
      const client = await w.as(username);
      const results = [
        await client.get(path(incident.id)),
        await client.put(path(incident.id), form()),
        await client.post(path(incident.id, '/investigators'), { personId: w.people.dsl.personId }),
        await client.post(path(incident.id, '/police'), { reference: 'CR/1', referredAt: '2026-11-24T08:00:00Z' }),
        await client.post(path(incident.id, '/device-isolated'), {}),
        await client.post(path(incident.id, '/conclude'), { conclusion: 'substantiated', actionsTaken: 'x' }),
        await client.get(path(incident.id, '/print')),
      ];
      for (const res of results) assert.equal(res.status, 404, `${username}: ${JSON.stringify(res.body)}`);
    }
    const row = await w.ctx.db.selectFrom('incident_investigations').selectAll().where('incident_id', '=', incident.id).executeTakeFirst();
    assert.equal(row, undefined, 'nothing was written by a refused request');
    assert.ok((await auditCount('incident.read_refused', incident.id)) >= 28, 'every refusal is audited');
    assert.equal(await auditCount('incident.investigation.read', incident.id), 0);
  });

  it('refuses the member of staff a staff incident is about, and the DSL, while the head responds', async () => {
    const incident = await insertIncident(w.ctx, {
      schoolId: w.schoolId,
      reportedBy: w.people.hr.personId,
      subjectKind: 'staff',
      subjects: [w.people.colleague.personId],
    });
    for (const username of ['col.colleague', 'dee.dsl']) {
      const client = await w.as(username);
      assert.equal((await client.get(path(incident.id))).status, 404, username);
      assert.equal((await client.put(path(incident.id), form())).status, 404, username);
      assert.equal((await client.get(path(incident.id, '/print'))).status, 404, username);
      assert.equal((await client.post(path(incident.id, '/conclude'), { conclusion: 'substantiated', actionsTaken: 'x' })).status, 404);
    }
    const head = await w.as('hal.head');
    assert.equal((await head.put(path(incident.id), form())).status, 200);
    const subject = await head.post(path(incident.id, '/investigators'), { personId: w.people.colleague.personId });
    assert.equal(subject.status, 400, 'the person it is about cannot investigate it');
    assert.match(subject.body.message, /about cannot investigate/);
    assert.equal((await head.post(path(incident.id, '/investigators'), { personId: w.people.hr.personId })).status, 201);
  });

  it('is empty until saved, and every read is audited', async () => {
    const incident = await studentIncident();
    const dsl = await w.as('dee.dsl');
    const first = await dsl.get(path(incident.id));
    assert.equal(first.status, 200);
    assert.equal(first.body.investigation, null);
    assert.equal(first.body.procedure, 'standard');
    assert.deepEqual(first.body.investigators, []);
    assert.ok(first.body.missing.some((m: string) => /two senior/.test(m)));
    await dsl.get(path(incident.id));
    assert.equal(await auditCount('incident.investigation.read', incident.id), 2);
  });

  it('refuses a conclusion with one senior investigator and allows it with two; then it is read-only', async () => {
    const incident = await studentIncident();
    const dsl = await w.as('dee.dsl');
    const saved = await dsl.put(path(incident.id), form());
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    assert.deepEqual(saved.body.investigation.urls, ['https://example.com/page', 'chat.example.org']);
    assert.equal(saved.body.investigation.designatedComputer, 'ICT suite PC 14');

    const added = await dsl.post(path(incident.id, '/investigators'), { personId: w.people.dsl.personId });
    assert.equal(added.status, 201);
    const teacher = await dsl.post(path(incident.id, '/investigators'), { personId: w.people.teacher.personId });
    assert.equal(teacher.status, 201);
    assert.deepEqual(
      teacher.body.investigators.map((i: { name: string; senior: boolean }) => [i.name, i.senior]),
      [
        ['Dee Dsl', true],
        ['Tia Teacher', false],
      ],
    );
    const twice = await dsl.post(path(incident.id, '/investigators'), { personId: w.people.teacher.personId });
    assert.equal(twice.status, 409);

    const early = await dsl.post(path(incident.id, '/conclude'), { conclusion: 'substantiated', actionsTaken: 'Warning given' });
    assert.equal(early.status, 409);
    assert.equal(early.body.error, 'incident.not_ready');
    assert.match(early.body.message, /at least two senior investigators/);
    assert.match(early.body.message, /1 so far/);
    assert.equal(early.body.details.missing.length, 1);

    assert.equal((await dsl.post(path(incident.id, '/investigators'), { personId: w.people.head.personId })).status, 201);
    const noActions = await dsl.post(path(incident.id, '/conclude'), { conclusion: 'substantiated', actionsTaken: '  ' });
    assert.equal(noActions.status, 409);
    assert.match(noActions.body.message, /actions taken/);
    const done = await dsl.post(path(incident.id, '/conclude'), {
      conclusion: 'substantiated',
      actionsTaken: 'Warning given; parents told',
    });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.equal(done.body.investigation.conclusion, 'substantiated');
    assert.equal(done.body.investigation.concludedBy.name, 'Dee Dsl');
    assert.deepEqual(done.body.missing, []);

    const edit = await dsl.put(path(incident.id), form({ contentDescription: 'changed' }));
    assert.equal(edit.status, 409);
    assert.match(edit.body.message, /concluded/);
    assert.equal((await dsl.post(path(incident.id, '/investigators'), { personId: w.people.hr.personId })).status, 409);
    assert.equal((await dsl.post(path(incident.id, '/device-isolated'), {})).status, 409);
    assert.equal((await dsl.post(path(incident.id, '/conclude'), { conclusion: 'not_substantiated', actionsTaken: 'x' })).status, 409);
    const after = await dsl.get(path(incident.id));
    assert.equal(after.body.investigation.contentDescription, 'Screenshots of unkind messages posted in a group chat');
    assert.equal(after.body.investigators.length, 3);

    const entries = await entriesOf(incident.id);
    assert.deepEqual(
      entries.map((e) => JSON.parse(e.details!).change),
      ['start', 'investigator', 'investigator', 'investigator', 'conclude'],
    );
    assert.match(entries[1]!.body, /Dee Dsl added as a senior investigator/);
    assert.match(entries[4]!.body, /substantiated/);
    assert.equal(await auditCount('incident.investigation.conclude', incident.id), 1);
    assert.equal(await auditCount('incident.investigation.investigator', incident.id), 3);
  });

  it('follows the illegal procedure for the illegal-content category: police and isolation before a conclusion', async () => {
    const incident = await studentIncident('illegal_content');
    const dsl = await w.as('dee.dsl');
    assert.equal((await dsl.get(path(incident.id))).body.procedure, 'illegal');
    // Police first, even before the form is filled in.
    const future = await dsl.post(path(incident.id, '/police'), { reference: 'CR/123/26', referredAt: '2026-11-25T09:00:00Z' });
    assert.equal(future.status, 400);
    assert.match(future.body.message, /future/);
    const nonsense = await dsl.post(path(incident.id, '/police'), { reference: 'CR/123/26', referredAt: 'yesterday-ish' });
    assert.equal(nonsense.status, 400);
    assert.equal(nonsense.body.error, 'validation_failed');

    await dsl.put(path(incident.id), form({ suspectedIllegal: false }));
    for (const p of [w.people.dsl, w.people.head]) await dsl.post(path(incident.id, '/investigators'), { personId: p.personId });
    const refused = await dsl.post(path(incident.id, '/conclude'), { conclusion: 'substantiated', actionsTaken: 'Reported' });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error, 'incident.not_ready');
    assert.match(refused.body.message, /police referral/);
    assert.match(refused.body.message, /device isolated/);
    assert.equal((await dsl.get(path(incident.id))).body.investigation.procedure, 'illegal');

    const police = await dsl.post(path(incident.id, '/police'), { reference: 'CR/123/26', referredAt: '2026-11-24T08:45:00Z' });
    assert.equal(police.status, 200, JSON.stringify(police.body));
    assert.equal(police.body.investigation.policeReference, 'CR/123/26');
    assert.equal(police.body.investigation.policeReferredAt, '2026-11-24T08:45:00.000Z');
    const stillRefused = await dsl.post(path(incident.id, '/conclude'), { conclusion: 'substantiated', actionsTaken: 'Reported' });
    assert.equal(stillRefused.status, 409);
    assert.doesNotMatch(stillRefused.body.message, /police referral/);
    assert.match(stillRefused.body.message, /device isolated/);

    const isolated = await dsl.post(path(incident.id, '/device-isolated'), { note: 'Unplugged from the network, locked in the office' });
    assert.equal(isolated.status, 200);
    assert.equal(isolated.body.investigation.deviceIsolatedAt, '2026-11-24T09:00:00.000Z');
    assert.equal(isolated.body.investigation.deviceIsolatedBy.name, 'Dee Dsl');
    assert.equal((await dsl.post(path(incident.id, '/device-isolated'), {})).status, 409, 'recorded once');
    const done = await dsl.post(path(incident.id, '/conclude'), { conclusion: 'substantiated', actionsTaken: 'Reported to police' });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    const bodies = (await entriesOf(incident.id)).map((e) => e.body).join('\n');
    assert.match(bodies, /Referred to the police: reference CR\/123\/26/);
    assert.match(bodies, /Device isolated \(ICT suite PC 14\): Unplugged/);
  });

  it('switches to the illegal procedure on a flag, never back, and sets suspected CSAM for good', async () => {
    const incident = await studentIncident();
    const dsl = await w.as('dee.dsl');
    assert.equal((await dsl.put(path(incident.id), form())).body.procedure, 'standard');
    const illegal = await dsl.put(path(incident.id), form({ suspectedIllegal: true }));
    assert.equal(illegal.body.investigation.procedure, 'illegal');
    assert.ok(illegal.body.missing.some((m: string) => /police/.test(m)));
    const back = await dsl.put(path(incident.id), form({ suspectedIllegal: false }));
    assert.equal(back.body.investigation.procedure, 'illegal', 'once illegal it never goes back');
    assert.equal(await suspectedCsam(incident.id), 0, 'illegal is not the same as CSAM');

    const other = await studentIncident();
    const csam = await dsl.put(path(other.id), form({ suspectedCsam: true }));
    assert.equal(csam.body.investigation.procedure, 'illegal');
    assert.equal(await suspectedCsam(other.id), 1);
    await dsl.put(path(other.id), form({ suspectedCsam: false }));
    assert.equal(await suspectedCsam(other.id), 1, 'never cleared');
    const detail = await dsl.get(`/api/incidents/${other.id}`);
    assert.equal(detail.body.suspectedCsam, true);
    assert.equal(detail.body.archivedAt, null);
    assert.match((await entriesOf(other.id))[0]!.body, /child sexual abuse imagery suspected/);

    // Suspected at logging: the illegal procedure applies from the start.
    const flagged = await studentIncident();
    await w.ctx.db.updateTable('incidents').set({ suspected_csam: 1 }).where('id', '=', flagged.id).execute();
    assert.equal((await dsl.get(path(flagged.id))).body.procedure, 'illegal');
  });

  it('takes suspected CSAM on the staff concern form', async () => {
    const teacher = await w.as('tia.teacher');
    const body = {
      subjectKind: 'student',
      people: [{ personId: w.people.student.personId, role: 'subject' }],
      summary: 'Images shared in a group chat',
      description: 'A student says images of a pupil are being shared.',
      occurredAt: '2026-11-24T08:30:00Z',
      location: 'out_of_school',
      category: 'sexting_nudes',
      urgency: 'urgent',
    };
    const flagged = await teacher.post('/api/incidents', { ...body, suspectedCsam: true });
    assert.equal(flagged.status, 201, JSON.stringify(flagged.body));
    assert.equal(flagged.body.suspectedCsam, true);
    assert.equal(await suspectedCsam(flagged.body.id), 1);
    const plain = await teacher.post('/api/incidents', body);
    assert.equal(plain.body.suspectedCsam, false);
    assert.equal((await teacher.post('/api/incidents', { ...body, suspectedCsam: 'yes' })).status, 400);
    assert.equal((await (await w.as('dee.dsl')).get(path(flagged.body.id))).body.procedure, 'illegal');
  });

  it('refuses bad input with clear messages', async () => {
    const incident = await studentIncident();
    const dsl = await w.as('dee.dsl');
    for (const url of ['javascript:alert(1)', 'not a url', 'ftp://example.com/file', 'http://']) {
      const res = await dsl.put(path(incident.id), form({ urls: [url] }));
      assert.equal(res.status, 400, url);
      assert.equal(res.body.error, 'validation_failed');
    }
    const many = await dsl.put(path(incident.id), form({ urls: Array.from({ length: 51 }, (_, i) => `site${i}.example.com`) }));
    assert.equal(many.status, 400);
    const cases: [string, RegExp][] = [
      ['no-such-person', /Unknown person/],
      [w.people.student.personId, /Only members of staff/],
      [w.people.governor.personId, /Only members of staff/],
      [w.people.otherDsl.personId, /not on the staff of this school/],
    ];
    for (const [personId, message] of cases) {
      const res = await dsl.post(path(incident.id, '/investigators'), { personId });
      assert.equal(res.status, 400, personId);
      assert.match(res.body.message, message);
    }
    assert.equal((await dsl.post(path(incident.id, '/police'), { reference: '   ', referredAt: '2026-11-24T08:00:00Z' })).status, 400);
    const bad = await dsl.post(path(incident.id, '/conclude'), { conclusion: 'maybe', actionsTaken: 'x' });
    assert.equal(bad.status, 400);
    assert.equal(
      (await w.ctx.db.selectFrom('incident_investigators').selectAll().where('incident_id', '=', incident.id).execute()).length,
      0,
    );
  });

  it('keeps an archived incident as it was: readable, never changed', async () => {
    const incident = await studentIncident();
    const dsl = await w.as('dee.dsl');
    assert.equal((await dsl.put(path(incident.id), form())).status, 200);
    await w.ctx.db
      .updateTable('incidents')
      .set({ archived_at: '2026-11-24T08:59:00.000Z', archive_reason: 'retention' })
      .where('id', '=', incident.id)
      .execute();
    const changed = await dsl.put(path(incident.id), form({ contentDescription: 'changed' }));
    assert.equal(changed.status, 409);
    assert.equal(changed.body.error, 'incident.archived');
    assert.equal((await dsl.post(path(incident.id, '/investigators'), { personId: w.people.head.personId })).status, 409);
    const read = await dsl.get(path(incident.id));
    assert.equal(read.status, 200);
    assert.equal(read.body.investigation.contentDescription, 'Screenshots of unkind messages posted in a group chat');
    assert.equal((await dsl.get(path(incident.id, '/print'))).status, 200);
  });

  it('prints an escaped, image-free record with signature lines, audited as an export', async () => {
    const incident = await studentIncident();
    const dsl = await w.as('dee.dsl');
    await dsl.put(
      path(incident.id),
      form({ contentDescription: '<script>alert("x")</script> & <img src=x onerror=alert(1)>', designatedComputer: '<b>PC</b>' }),
    );
    for (const p of [w.people.dsl, w.people.head]) await dsl.post(path(incident.id, '/investigators'), { personId: p.personId });
    const printed = await dsl.get(path(incident.id, '/print'));
    assert.equal(printed.status, 200);
    assert.match(printed.headers.get('content-type') ?? '', /text\/html/);
    assert.equal(printed.headers.get('cache-control'), 'no-store');
    const html = String(printed.body);
    assert.match(html, /E-safety incident investigation record/);
    assert.match(html, /Milford Haven School/);
    assert.match(html, new RegExp(incident.reference));
    assert.match(html, /&#60;script&#62;alert\(&#34;x&#34;\)&#60;\/script&#62; &#38; &#60;img/);
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /<img/i);
    assert.match(html, /&#60;b&#62;PC&#60;\/b&#62;/);
    assert.match(html, /https:\/\/example\.com\/page/);
    assert.equal((html.match(/Signature:/g) ?? []).length, 2, 'one signature line per investigator');
    assert.match(html, /Dee Dsl \(senior\)/);
    assert.equal(await auditCount('incident.investigation.export', incident.id), 1);
  });
});

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ApiClient, startTestServer } from '../../testing/http.js';
import { insertIncident, type SafeguardingWorld, safeguardingWorld } from '../testing.js';
import { evidenceKey } from './key.js';
import { storagePath } from './storage.js';
import { verifyEvidence } from './verify.js';

const MARKER = 'PLAINTEXT-MARKER-7f3c';
const PDF = Buffer.from(`%PDF-1.4\n% ${MARKER}\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n`);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), Buffer.from('IHDR-not-really')]);
const MP4 = Buffer.from('\x00\x00\x00\x18ftypmp42isom', 'latin1');

describe('incident evidence: encrypted files with a chain of custody', () => {
  let w: SafeguardingWorld;
  before(async () => {
    w = await safeguardingWorld();
  });
  after(async () => w.close());

  const studentIncident = (category?: string) => w.studentIncident({ category });

  const upload = (client: ApiClient, incidentId: string, bytes: Buffer, type: string, filename: string, description?: string) =>
    client.post(`/api/incidents/${incidentId}/evidence`, bytes, {
      'content-type': type,
      'x-filename': encodeURIComponent(filename),
      ...(description ? { 'x-description': encodeURIComponent(description) } : {}),
    });

  /** The raw bytes of a download, which the JSON-minded client would mangle. */
  async function download(client: ApiClient, url: string, base = client.baseUrl) {
    const res = await fetch(base + url, { headers: { cookie: client.cookie! } });
    const bytes = Buffer.from(await res.arrayBuffer());
    return { status: res.status, headers: res.headers, bytes, json: () => JSON.parse(bytes.toString('utf8')) };
  }

  const custodyRows = (evidenceId: string) =>
    w.ctx.db.selectFrom('evidence_custody').selectAll().where('evidence_id', '=', evidenceId).orderBy('seq').execute();
  const auditActions = async (incidentId: string) =>
    (
      await w.ctx.db
        .selectFrom('audit_log')
        .select(['action', 'actor_username'])
        .where('target_id', '=', incidentId)
        .where('action', 'like', 'incident.evidence.%')
        .orderBy('seq')
        .execute()
    ).map((a) => `${a.action} ${a.actor_username}`);
  const store = () => ({ db: w.ctx.db, dataDir: w.ctx.config.dataDir, key: evidenceKey(w.ctx.config.evidence.key, w.ctx.secretKey) });

  it('stores only ciphertext, lists, views and exports the same bytes, with custody and audit for each', async () => {
    const incident = await studentIncident();
    const dsl = await w.as('dee.dsl');
    const created = await upload(dsl, incident.id, PDF, 'application/pdf', 'Screenshot log.pdf', 'Messages Sam sent on Monday');
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.filename, 'Screenshot log.pdf');
    assert.equal(created.body.sizeBytes, PDF.length);
    assert.equal(created.body.sha256, (await import('node:crypto')).createHash('sha256').update(PDF).digest('hex'));
    assert.equal(created.body.uploadedBy.name, 'Dee Dsl');

    const row = await w.ctx.db.selectFrom('incident_evidence').selectAll().where('id', '=', created.body.id).executeTakeFirstOrThrow();
    assert.match(row.storage_name, new RegExp(`^${w.schoolId}/[0-9a-f]{32}\\.bin$`));
    assert.equal(row.key_id, store().key.id);
    assert.equal(Buffer.from(row.iv, 'base64').length, 12);
    const onDisk = readFileSync(storagePath(w.ctx.config.dataDir, row.storage_name));
    assert.equal(onDisk.length, PDF.length, 'GCM: ciphertext as long as the plaintext');
    assert.notDeepEqual(onDisk, PDF);
    assert.equal(onDisk.includes(MARKER), false, 'the marker is not on disk');
    assert.equal(onDisk.includes('%PDF'), false);
    const folder = readdirSync(path.dirname(storagePath(w.ctx.config.dataDir, row.storage_name)));
    assert.ok(
      folder.every((name) => name.endsWith('.bin')),
      'no temporary or plaintext file left behind',
    );

    const list = await dsl.get(`/api/incidents/${incident.id}/evidence`);
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.body.map((f: { filename: string; description: string; mediaType: string }) => [f.filename, f.description, f.mediaType]),
      [['Screenshot log.pdf', 'Messages Sam sent on Monday', 'application/pdf']],
    );

    const view = await download(dsl, `/api/incidents/${incident.id}/evidence/${created.body.id}`);
    assert.equal(view.status, 200);
    assert.deepEqual(view.bytes, PDF);
    assert.equal(view.headers.get('content-type'), 'application/pdf');
    assert.equal(
      view.headers.get('content-disposition'),
      `attachment; filename="Screenshot log.pdf"; filename*=UTF-8''Screenshot%20log.pdf`,
    );
    assert.equal(view.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(view.headers.get('cache-control'), 'no-store');

    const exported = await download(
      dsl,
      `/api/incidents/${incident.id}/evidence/${created.body.id}/export?recipient=${encodeURIComponent('PC Jones, ref 44/123')}`,
    );
    assert.equal(exported.status, 200);
    assert.deepEqual(exported.bytes, PDF);
    assert.equal(exported.headers.get('x-evidence-sha256'), created.body.sha256);

    const custody = await dsl.get(`/api/incidents/${incident.id}/evidence/${created.body.id}/custody`);
    assert.equal(custody.status, 200);
    assert.deepEqual(
      custody.body.map((c: { seq: number; event: string; by: string; sha256Seen: string }) => [c.seq, c.event, c.by, c.sha256Seen]),
      [
        [1, 'upload', 'Dee Dsl', created.body.sha256],
        [2, 'view', 'Dee Dsl', created.body.sha256],
        [3, 'export', 'Dee Dsl', created.body.sha256],
      ],
    );
    assert.deepEqual(custody.body[2].details, { recipient: 'PC Jones, ref 44/123' });
    assert.equal(custody.body[0].ip, '127.0.0.1');
    const rows = await custodyRows(created.body.id);
    assert.equal(rows[0]!.prev_hash, '0'.repeat(64));
    assert.equal(rows[1]!.prev_hash, rows[0]!.hash);

    assert.deepEqual(await auditActions(incident.id), [
      'incident.evidence.upload dee.dsl',
      'incident.evidence.list dee.dsl',
      'incident.evidence.view dee.dsl',
      'incident.evidence.export dee.dsl',
      'incident.evidence.custody dee.dsl',
    ]);
    const entries = await w.ctx.db.selectFrom('incident_entries').select(['kind', 'body']).where('incident_id', '=', incident.id).execute();
    assert.deepEqual(entries, [{ kind: 'evidence', body: `Evidence added: Screenshot log.pdf (SHA-256 ${created.body.sha256})` }]);

    // Views at the same moment still make one unbroken chain.
    const together = await Promise.all([1, 2, 3].map(() => download(dsl, `/api/incidents/${incident.id}/evidence/${created.body.id}`)));
    assert.deepEqual(
      together.map((r) => r.status),
      [200, 200, 200],
    );
    assert.deepEqual(
      (await custodyRows(created.body.id)).map((r) => r.seq),
      [1, 2, 3, 4, 5, 6],
    );
    const report = await verifyEvidence(store(), { incidentReference: incident.reference }, w.ctx.clock());
    assert.deepEqual([report.checked, report.failed], [1, 0]);
    assert.equal((await custodyRows(created.body.id)).at(-1)!.event, 'verify');
  });

  it('refuses a tampered ciphertext on view and in verify; the refusal is audited', async () => {
    const incident = await studentIncident();
    const dsl = await w.as('dee.dsl');
    const created = await upload(dsl, incident.id, PDF, 'application/pdf', 'evidence.pdf');
    const row = await w.ctx.db.selectFrom('incident_evidence').selectAll().where('id', '=', created.body.id).executeTakeFirstOrThrow();
    const file = storagePath(w.ctx.config.dataDir, row.storage_name);
    const bytes = readFileSync(file);
    bytes[10] = bytes[10]! ^ 0x01;
    writeFileSync(file, bytes);
    const view = await download(dsl, `/api/incidents/${incident.id}/evidence/${created.body.id}`);
    assert.equal(view.status, 500);
    assert.equal(view.json().error, 'internal');
    assert.match(view.json().message, /evidence\.pdf cannot be opened.*altered/);
    assert.equal((await custodyRows(created.body.id)).length, 1, 'no view recorded');
    assert.deepEqual((await auditActions(incident.id)).at(-1), 'incident.evidence.integrity_failed dee.dsl');
    const report = await verifyEvidence(store(), { incidentReference: incident.reference }, w.ctx.clock());
    assert.equal(report.failed, 1);
    assert.deepEqual(
      report.files[0]!.problems.map((p) => p.kind),
      ['tampered'],
    );
  });

  it('verify finds a deleted or edited custody event, and tells a wrong key from tampering', async () => {
    const incident = await studentIncident();
    const dsl = await w.as('dee.dsl');
    const created = await upload(dsl, incident.id, PDF, 'application/pdf', 'chain.pdf');
    for (let i = 0; i < 2; i++)
      assert.equal((await download(dsl, `/api/incidents/${incident.id}/evidence/${created.body.id}`)).status, 200);
    const scope = { incidentReference: incident.reference };
    assert.equal((await verifyEvidence(store(), scope, w.ctx.clock())).failed, 0);

    const wrongKey = { ...store(), key: evidenceKey('cd'.repeat(32), w.ctx.secretKey) };
    const wrong = await verifyEvidence(wrongKey, scope, w.ctx.clock());
    assert.deepEqual(
      wrong.files[0]!.problems.map((p) => p.kind),
      ['wrong_key'],
    );
    assert.match(wrong.files[0]!.problems[0]!.message, /another evidence key/);

    const rows = await custodyRows(created.body.id);
    await w.ctx.db.updateTable('evidence_custody').set({ actor_username: 'someone.else' }).where('id', '=', rows[1]!.id).execute();
    let report = await verifyEvidence(store(), scope, w.ctx.clock());
    assert.deepEqual(
      report.files[0]!.problems.map((p) => p.kind),
      ['custody'],
    );
    assert.match(report.files[0]!.problems[0]!.message, /event 2 has been altered/);
    await w.ctx.db.updateTable('evidence_custody').set({ actor_username: 'dee.dsl' }).where('id', '=', rows[1]!.id).execute();
    assert.equal((await verifyEvidence(store(), scope, w.ctx.clock())).failed, 0, 'restored, it passes again');

    await w.ctx.db.deleteFrom('evidence_custody').where('id', '=', rows[1]!.id).execute();
    report = await verifyEvidence(store(), scope, w.ctx.clock());
    assert.match(report.files[0]!.problems[0]!.message, /event 2 is missing/);
  });

  it('a server with another key refuses to serve the file and says the key is wrong', async () => {
    const incident = await studentIncident();
    const dsl = await w.as('dee.dsl');
    const created = await upload(dsl, incident.id, PDF, 'application/pdf', 'keyed.pdf');
    const other = await startTestServer({
      ...w.ctx,
      config: { ...w.ctx.config, evidence: { ...w.ctx.config.evidence, key: 'ef'.repeat(32) } },
    });
    try {
      const view = await download(dsl, `/api/incidents/${incident.id}/evidence/${created.body.id}`, other.url);
      assert.equal(view.status, 500);
      assert.match(view.json().message, /another evidence key/);
    } finally {
      await other.close();
    }
  });

  it('enforces the size limit, the accepted types and the content sniffing', async () => {
    const incident = await studentIncident();
    const dsl = await w.as('dee.dsl');
    const small = await startTestServer({ ...w.ctx, config: { ...w.ctx.config, evidence: { ...w.ctx.config.evidence, maxBytes: 2048 } } });
    try {
      const client = new ApiClient(small.url);
      client.cookie = dsl.cookie;
      client.csrf = dsl.csrf;
      const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2048, 0x41)]);
      const tooBig = await upload(client, incident.id, big, 'application/pdf', 'big.pdf');
      assert.equal(tooBig.status, 413);
      assert.equal(tooBig.body.error, 'payload_too_large');
      assert.match(tooBig.body.message, /2 KB \(2048 bytes\)/);
      assert.equal((await upload(client, incident.id, big.subarray(0, 2048), 'application/pdf', 'fits.pdf')).status, 201);
      const json = await client.post(`/api/incidents/${incident.id}/triage`, { incidentType: 'no_such_row' });
      assert.equal(json.status, 400, 'JSON routes still parse JSON');
      assert.equal(json.body.error, 'validation_failed');
    } finally {
      await small.close();
    }
    const type = await upload(dsl, incident.id, Buffer.from('PK\x03\x04'), 'application/zip', 'files.zip');
    assert.equal(type.status, 415);
    assert.match(type.body.message, /application\/zip .*Accepted: image\/png, .*text\/csv/);
    const empty = await upload(dsl, incident.id, Buffer.alloc(0), 'application/pdf', 'empty.pdf');
    assert.equal(empty.status, 400);
    assert.match(empty.body.message, /empty/);
    const disguised = await upload(dsl, incident.id, PNG, 'text/plain', 'notes.txt');
    assert.equal(disguised.status, 415);
    assert.match(disguised.body.message, /PNG image, not text\/plain/);
    const asPdf = await upload(dsl, incident.id, PNG, 'application/pdf', 'report.pdf');
    assert.equal(asPdf.status, 415);
    const noName = await dsl.post(`/api/incidents/${incident.id}/evidence`, PDF, { 'content-type': 'application/pdf' });
    assert.equal(noName.status, 400);
    assert.match(noName.body.message, /x-filename/);
    const longName = await upload(dsl, incident.id, PDF, 'application/pdf', `${'a'.repeat(197)}.pdf`);
    assert.equal(longName.status, 400);
    assert.match(longName.body.message, /200 characters/);
    const pathName = await upload(dsl, incident.id, Buffer.from('a, b\n1, 2\n'), 'text/csv', '../../etc/list.csv');
    assert.equal(pathName.status, 201);
    assert.equal(pathName.body.filename, 'list.csv');
    const image = await upload(dsl, incident.id, PNG, 'image/png', 'photo.png');
    assert.equal(image.status, 201, 'images are accepted on an ordinary incident');
    const files = await w.ctx.db
      .selectFrom('incident_evidence')
      .select('filename')
      .where('incident_id', '=', incident.id)
      .orderBy('filename')
      .execute();
    assert.deepEqual(
      files.map((f) => f.filename),
      ['fits.pdf', 'list.csv', 'photo.png'],
    );
  });

  it('refuses images and video on CSAM, nudes and illegal-procedure incidents (audited, nothing stored), but keeps documents', async () => {
    const dsl = await w.as('dee.dsl');
    const csam = await studentIncident('inappropriate_content');
    await w.ctx.db.updateTable('incidents').set({ suspected_csam: 1 }).where('id', '=', csam.id).execute();
    const nudes = await studentIncident('sexting_nudes');
    const illegal = await studentIncident('illegal_content');
    const now = w.ctx.clock().toISOString();
    await w.ctx.db
      .insertInto('incident_investigations')
      .values({
        incident_id: illegal.id,
        procedure: 'illegal',
        urls: '[]',
        content_description: 'A site',
        created_at: now,
        updated_at: now,
      })
      .execute();
    for (const [incident, reason, pattern] of [
      [csam, 'suspected_csam', /suspected child sexual abuse imagery/],
      [nudes, 'nudes_and_semi_nudes', /UKCIS/],
      [illegal, 'illegal_procedure', /illegal-content procedure/],
    ] as const) {
      for (const [bytes, type, name] of [
        [PNG, 'image/png', 'photo.png'],
        [MP4, 'video/mp4', 'clip.mp4'],
        [PNG, 'application/pdf', 'disguised.pdf'],
      ] as const) {
        const refused = await upload(dsl, incident.id, bytes, type, name);
        assert.equal(refused.status, 422, `${name} on ${reason}`);
        assert.equal(refused.body.error, 'incident.evidence_refused');
        assert.match(refused.body.message, pattern);
        assert.match(refused.body.message, /Do not copy, save, print or share it.*URL and a description.*isolate the device.*police/);
      }
      const audits = await w.ctx.db
        .selectFrom('audit_log')
        .select('details')
        .where('target_id', '=', incident.id)
        .where('action', '=', 'incident.evidence.refused')
        .execute();
      assert.equal(audits.length, 3);
      assert.equal(JSON.parse(audits[0]!.details).reason, reason);
      const document = await upload(dsl, incident.id, PDF, 'application/pdf', 'police-letter.pdf');
      assert.equal(document.status, 201, 'a document is still accepted');
      const rules = await dsl.get(`/api/incidents/${incident.id}/evidence/rules`);
      assert.equal(rules.body.imagesAndVideoRefused.reason, reason);
    }
    const stored = await w.ctx.db
      .selectFrom('incident_evidence')
      .select('media_type')
      .where('incident_id', 'in', [csam.id, nudes.id, illegal.id])
      .execute();
    assert.deepEqual(
      stored.map((s) => s.media_type),
      ['application/pdf', 'application/pdf', 'application/pdf'],
    );
    const onDisk = readdirSync(path.join(w.ctx.config.dataDir, 'evidence', w.schoolId));
    assert.equal(onDisk.filter((f) => !f.endsWith('.bin')).length, 0);
  });

  it('refuses uploads to an archived incident, whose evidence stays readable', async () => {
    const incident = await studentIncident();
    const kept = await upload(await w.as('dee.dsl'), incident.id, PDF, 'application/pdf', 'kept.pdf');
    await w.ctx.db
      .updateTable('incidents')
      .set({ archived_at: w.ctx.clock().toISOString(), archive_reason: 'retention' })
      .where('id', '=', incident.id)
      .execute();
    const refused = await upload(await w.as('dee.dsl'), incident.id, PDF, 'application/pdf', 'late.pdf');
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error, 'incident.archived');
    const rules = await (await w.as('dee.dsl')).get(`/api/incidents/${incident.id}/evidence/rules`);
    assert.equal(rules.body.archived, true, JSON.stringify(rules.body));
    const view = await download(await w.as('dee.dsl'), `/api/incidents/${incident.id}/evidence/${kept.body.id}`);
    assert.equal(view.status, 200);
    assert.deepEqual(view.bytes, PDF);
  });

  it('refuses the teacher, the reporter, a staff subject, a governor and another school on every route', async () => {
    const incident = await studentIncident();
    const staffIncident = await insertIncident(w.ctx, {
      schoolId: w.schoolId,
      reportedBy: w.people.teacher.personId,
      subjectKind: 'staff',
      subjects: [w.people.colleague.personId],
    });
    const studentFile = (await upload(await w.as('dee.dsl'), incident.id, PDF, 'application/pdf', 'a.pdf')).body.id as string;
    const staffFile = (await upload(await w.as('hana.hr'), staffIncident.id, PDF, 'application/pdf', 'b.pdf')).body.id as string;
    assert.ok(studentFile && staffFile);
    const routes = (id: string, file: string) => [
      ['GET', `/api/incidents/${id}/evidence`],
      ['GET', `/api/incidents/${id}/evidence/rules`],
      ['GET', `/api/incidents/${id}/evidence/${file}`],
      ['GET', `/api/incidents/${id}/evidence/${file}/export`],
      ['GET', `/api/incidents/${id}/evidence/${file}/custody`],
      ['POST', `/api/incidents/${id}/evidence`],
    ];
    const cases = [
      ['tia.teacher', incident.id, studentFile],
      ['tia.teacher', staffIncident.id, staffFile], // the reporter of both
      ['col.colleague', staffIncident.id, staffFile], // the staff member it is about
      ['dee.dsl', staffIncident.id, staffFile], // the DSL does not respond to staff incidents
      ['gil.governor', incident.id, studentFile],
      ['sam.student', incident.id, studentFile],
      ['oda.dsl', incident.id, studentFile],
    ] as const;
    const before = await w.ctx.db.selectFrom('incident_evidence').select('id').execute();
    for (const [username, id, file] of cases) {
      const client = await w.as(username);
      for (const [method, url] of routes(id, file)) {
        const res = method === 'POST' ? await upload(client, id, PDF, 'application/pdf', 'sneaky.pdf') : await download(client, url!);
        assert.equal(res.status, 404, `${username} ${method} ${url}`);
      }
    }
    assert.equal((await w.ctx.db.selectFrom('incident_evidence').select('id').execute()).length, before.length, 'nothing stored');
    for (const file of [studentFile, staffFile]) {
      assert.deepEqual(
        (await custodyRows(file)).map((r) => r.event),
        ['upload'],
        'no view or export recorded',
      );
    }
    const refusals = await w.ctx.db
      .selectFrom('audit_log')
      .select('actor_username')
      .where('action', '=', 'incident.read_refused')
      .where('target_id', 'in', [incident.id, staffIncident.id])
      .execute();
    assert.equal(refusals.length, cases.length * 6, 'every refusal is audited');
    // The head responds to both kinds of incident.
    const head = await w.as('hal.head');
    assert.equal((await head.get(`/api/incidents/${staffIncident.id}/evidence`)).status, 200);
    assert.equal((await download(head, `/api/incidents/${incident.id}/evidence/${studentFile}`)).status, 200);
    const mismatched = await download(head, `/api/incidents/${incident.id}/evidence/${staffFile}`);
    assert.equal(mismatched.status, 404, 'a file is only found under its own incident');
  });
});

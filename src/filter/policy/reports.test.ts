import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiClient } from '../../testing/http.js';
import { loadFilterPolicy } from './load.js';
import { applyInternetSanction } from './sanctions.js';
import { policyVersion, policyWorld, type PolicyWorld } from './testing.js';
import { REPORTS_PER_MINUTE } from './routes-requests.js';

describe('sanctions and over/under-blocking reports', () => {
  let w: PolicyWorld;
  before(async () => {
    w = await policyWorld();
  });
  after(async () => w.close());

  it('removes and restores internet access, through the API and the incident hook', async () => {
    const dsl = await w.as('dee.dsl');
    const v0 = await policyVersion(w);
    const created = await dsl.post('/api/filter/sanctions', {
      personId: w.people.student.personId,
      from: '2026-11-24T09:00:00Z',
      until: '2026-12-01T09:00:00Z',
      stillAllowed: ['https://VLE.Example.org/'],
      reason: 'Removal of internet access after misuse',
    });
    assert.equal(created.status, 201);
    assert.equal(created.body.status, 'active');
    assert.equal(created.body.personName, 'Sue Student');
    assert.deepEqual(created.body.stillAllowed, ['vle.example.org']);
    assert.equal(await policyVersion(w), v0 + 1);
    let policy = await loadFilterPolicy(w.ctx.db, w.schoolId, w.ctx.clock());
    assert.deepEqual(
      policy.sanctions.map((s) => [s.personId, s.stillAllowed]),
      [[w.people.student.personId, ['vle.example.org']]],
    );
    const teacher = await w.as('tia.teacher');
    assert.equal((await teacher.post(`/api/filter/sanctions/${created.body.id}/lift`, { reason: 'Served' })).status, 403);
    const lifted = await dsl.post(`/api/filter/sanctions/${created.body.id}/lift`, { reason: 'Agreed with parents' });
    assert.equal(lifted.status, 200);
    assert.equal(lifted.body.status, 'lifted');
    assert.equal((await dsl.post(`/api/filter/sanctions/${created.body.id}/lift`, { reason: 'Again' })).status, 409);
    policy = await loadFilterPolicy(w.ctx.db, w.schoolId, w.ctx.clock());
    assert.equal(policy.sanctions.length, 0);

    const id = await applyInternetSanction(w.ctx.db, {
      schoolId: w.schoolId,
      trustId: w.trustId,
      personId: w.people.student.personId,
      from: new Date('2026-11-25T00:00:00Z'),
      until: new Date('2026-11-26T00:00:00Z'),
      reason: 'Incident outcome',
      source: 'incident',
      sourceId: 'incident-7',
      actor: { accountId: w.people.dsl.accountId, name: 'Dee Dsl' },
      now: w.ctx.clock(),
    });
    const row = await w.ctx.db.selectFrom('filter_sanctions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.source, 'incident');
    assert.equal(row.source_id, 'incident-7');
    const listed = (await dsl.get('/api/filter/sanctions')).body;
    assert.equal(listed.find((s: { id: string }) => s.id === id).status, 'scheduled');
    const log = await w.ctx.db
      .selectFrom('filter_change_log')
      .select(['change', 'reason'])
      .where('entity', '=', 'sanction')
      .orderBy('at')
      .execute();
    assert.deepEqual(
      log.map((l) => l.change),
      ['create', 'lift', 'create'],
    );
    await assert.rejects(
      applyInternetSanction(w.ctx.db, {
        schoolId: w.schoolId,
        trustId: w.trustId,
        personId: w.people.student.personId,
        from: new Date('2026-11-26T00:00:00Z'),
        until: new Date('2026-11-25T00:00:00Z'),
        reason: 'Backwards',
        source: 'incident',
        actor: { accountId: null, name: 'Incident log' },
        now: w.ctx.clock(),
      }),
      /until must be after from/,
    );
  });

  it('takes a report without sign-in, queues it for the network manager, and resolves it', async () => {
    const anonymous = new ApiClient(w.server.url);
    const res = await anonymous.post('/api/filter/reports', {
      kind: 'overblocked',
      target: 'maths-games.example',
      category: 'games',
      rule: 'matrix',
      comment: 'We use this in maths',
    });
    assert.equal(res.status, 201);
    assert.equal(res.body.reportedBy, null);
    assert.equal(res.body.clientAddress, '127.0.0.1');
    const student = await w.as('sue.student');
    const named = await student.post('/api/filter/reports', { kind: 'underblocked', target: 'bad.example' });
    assert.equal(named.status, 201);
    assert.equal(named.body.reportedBy.name, 'Sue Student');
    assert.equal(named.body.clientAddress, null);

    assert.equal((await student.get('/api/filter/reports')).status, 403);
    const netman = await w.as('nat.netman');
    const queue = (await netman.get('/api/filter/reports?status=open')).body;
    assert.deepEqual(queue.map((r: { target: string }) => r.target).sort(), ['bad.example', 'maths-games.example']);
    const note = await w.ctx.db.selectFrom('notifications').select('recipient_person_id').where('kind', '=', 'filter.report').execute();
    assert.ok(note.some((n) => n.recipient_person_id === w.people.netman.personId));
    const resolved = await netman.post(`/api/filter/reports/${named.body.id}/resolve`, {
      status: 'resolved',
      note: 'Added to the school block list',
    });
    assert.equal(resolved.status, 200);
    assert.equal(resolved.body.status, 'resolved');
    assert.equal(resolved.body.resolvedBy, 'Nat Netman');
    const again = await netman.post(`/api/filter/reports/${named.body.id}/resolve`, { status: 'dismissed', note: 'x' });
    assert.equal(again.status, 409);
    const open = (await netman.get('/api/filter/reports?status=open')).body;
    assert.deepEqual(
      open.map((r: { target: string }) => r.target),
      ['maths-games.example'],
    );
    const told = await w.ctx.db
      .selectFrom('notifications')
      .select('kind')
      .where('recipient_person_id', '=', w.people.student.personId)
      .execute();
    assert.deepEqual(
      told.map((t) => t.kind),
      ['filter.report_closed'],
    );
  });

  it('limits reports from one address', async () => {
    const anonymous = new ApiClient(w.server.url);
    w.ctx.clock.advance(5);
    const statuses: number[] = [];
    for (let i = 0; i < REPORTS_PER_MINUTE + 1; i++) {
      statuses.push((await anonymous.post('/api/filter/reports', { kind: 'overblocked', target: `site${i}.example` })).status);
    }
    assert.deepEqual(statuses.slice(0, REPORTS_PER_MINUTE), Array(REPORTS_PER_MINUTE).fill(201));
    assert.equal(statuses.at(-1), 429);
    const bad = await anonymous.post('/api/filter/reports', { kind: 'sideways', target: 'x.example' });
    assert.equal(bad.status, 400);
  });
});

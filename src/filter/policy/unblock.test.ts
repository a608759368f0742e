import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { newId } from '../../db/ids.js';
import { loadFilterPolicy } from './load.js';
import { policyWorld, type PolicyWorld } from './testing.js';

describe('temporary unblock requests: the network manager and the DSL both approve', () => {
  let w: PolicyWorld;
  let classId: string;
  let otherClassId: string;
  const FROM = '2026-11-24T09:00:00.000Z';
  const UNTIL = '2026-11-27T16:00:00.000Z';

  before(async () => {
    w = await policyWorld();
    const at = w.ctx.clock().toISOString();
    classId = newId();
    otherClassId = newId();
    for (const [id, code] of [
      [classId, '8X/Sc'],
      [otherClassId, '8Y/Sc'],
    ] as const) {
      await w.ctx.db
        .insertInto('groups')
        .values({
          id,
          school_id: w.schoolId,
          kind: 'class',
          name: code,
          code,
          year_group: 8,
          subject: 'Science',
          status: 'active',
          created_at: at,
          updated_at: at,
        })
        .execute();
    }
    await w.ctx.db
      .insertInto('group_members')
      .values([
        { group_id: classId, person_id: w.people.teacher.personId, member_role: 'teacher' },
        { group_id: classId, person_id: w.people.student.personId, member_role: 'member' },
      ])
      .execute();
  });
  after(async () => w.close());

  let versionAtStart = 0;
  beforeEach(async () => {
    w.ctx.clock.set(new Date('2026-11-24T09:00:00Z'));
    versionAtStart = (await loadFilterPolicy(w.ctx.db, w.schoolId, w.ctx.clock())).version;
  });

  const ask = async (body: Record<string, unknown> = {}) => {
    const teacher = await w.as('tia.teacher');
    return teacher.post('/api/filter/unblock-requests', {
      targetKind: 'pattern',
      target: 'https://www.virtual-lab.example/dissection',
      groupId: classId,
      from: FROM,
      until: UNTIL,
      reason: 'Virtual dissection for the biology unit',
      ...body,
    });
  };

  it('needs both approvals before the exception exists, and then applies to the class only', async () => {
    const created = await ask();
    assert.equal(created.status, 201);
    assert.equal(created.body.status, 'pending');
    assert.equal(created.body.target, 'www.virtual-lab.example/dissection');
    const id = created.body.id;
    const notes = await w.ctx.db
      .selectFrom('notifications')
      .select('recipient_person_id')
      .where('kind', '=', 'filter.unblock_requested')
      .execute();
    assert.deepEqual(
      notes.map((n) => n.recipient_person_id).sort(),
      [w.people.netman.personId, w.people.dsl.personId, w.people.both.personId].sort(),
    );

    const netman = await w.as('nat.netman');
    const queue = (await netman.get('/api/filter/unblock-requests?status=pending')).body;
    assert.deepEqual(queue.find((r: { id: string }) => r.id === id).canApproveAs, ['technical']);
    const first = await netman.post(`/api/filter/unblock-requests/${id}/approve`, {});
    assert.equal(first.status, 200);
    assert.equal(first.body.status, 'pending');
    assert.equal(first.body.technicalApproval.by, 'Nat Netman');
    assert.equal(first.body.safeguardingApproval, null);
    let policy = await loadFilterPolicy(w.ctx.db, w.schoolId, w.ctx.clock());
    assert.equal(policy.exceptions.length, 0, 'not in force after one approval');

    const again = await netman.post(`/api/filter/unblock-requests/${id}/approve`, {});
    assert.equal(again.status, 409);

    const dsl = await w.as('dee.dsl');
    const second = await dsl.post(`/api/filter/unblock-requests/${id}/approve`, { note: 'Content checked' });
    assert.equal(second.status, 200);
    assert.equal(second.body.status, 'approved');
    assert.equal(second.body.safeguardingApproval.by, 'Dee Dsl');
    policy = await loadFilterPolicy(w.ctx.db, w.schoolId, w.ctx.clock());
    assert.equal(policy.exceptions.length, 1);
    const exception = policy.exceptions[0]!;
    assert.equal(exception.id, second.body.exceptionId);
    assert.deepEqual(exception.target, { kind: 'pattern', pattern: 'www.virtual-lab.example/dissection' });
    assert.deepEqual(exception.appliesTo, { kind: 'group', groupId: classId });
    assert.equal(exception.from, FROM);
    assert.equal(exception.until, UNTIL);
    assert.ok(policy.version > versionAtStart);
    const told = await w.ctx.db
      .selectFrom('notifications')
      .select('kind')
      .where('recipient_person_id', '=', w.people.teacher.personId)
      .where('kind', '=', 'filter.unblock_approved')
      .execute();
    assert.equal(told.length, 1);
    const log = await w.ctx.db
      .selectFrom('filter_change_log')
      .select(['change', 'reason'])
      .where('entity_id', '=', id)
      .orderBy('at')
      .execute();
    assert.deepEqual(
      log.map((l) => l.change),
      ['create', 'approve', 'approve'],
    );

    // It expires by itself: the listing says so once the period is over.
    w.ctx.clock.set(new Date('2026-11-28T09:00:00Z'));
    const later = (await (await w.as('nat.netman', { fresh: true })).get('/api/filter/unblock-requests?status=expired')).body;
    assert.deepEqual(
      later.map((r: { id: string }) => r.id),
      [id],
    );
    policy = await loadFilterPolicy(w.ctx.db, w.schoolId, w.ctx.clock());
    assert.equal(policy.exceptions.length, 0);
  });

  it('never lets one person give both approvals, nor the requester approve', async () => {
    const both = await w.as('bo.both');
    const id = (await ask()).body.id;
    const listed = (await both.get('/api/filter/unblock-requests?status=pending')).body.find((r: { id: string }) => r.id === id);
    assert.deepEqual(listed.canApproveAs, ['technical', 'safeguarding']);
    const first = await both.post(`/api/filter/unblock-requests/${id}/approve`, {});
    assert.equal(first.status, 200);
    assert.equal(first.body.status, 'pending');
    const second = await both.post(`/api/filter/unblock-requests/${id}/approve`, {});
    assert.equal(second.status, 409);
    assert.match(second.body.message, /someone else/);

    // A network manager's own request: they cannot approve it.
    const netman = await w.as('nat.netman');
    const own = await netman.post('/api/filter/unblock-requests', {
      targetKind: 'pattern',
      target: 'tools.example',
      groupId: classId,
      from: FROM,
      until: UNTIL,
      reason: 'Network tools demo',
    });
    assert.equal(own.status, 201);
    const self = await netman.post(`/api/filter/unblock-requests/${own.body.id}/approve`, {});
    assert.equal(self.status, 403);
    const teacher = await w.as('tia.teacher');
    const byTeacher = await teacher.post(`/api/filter/unblock-requests/${id}/approve`, {});
    assert.equal(byTeacher.status, 403);
  });

  it('makes exactly one exception when both approvers act at the same moment', async () => {
    const id = (await ask({ target: 'race.example' })).body.id;
    const [netman, dsl] = await Promise.all([w.as('nat.netman'), w.as('dee.dsl')]);
    const results = await Promise.all([
      netman.post(`/api/filter/unblock-requests/${id}/approve`, {}),
      dsl.post(`/api/filter/unblock-requests/${id}/approve`, {}),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      [200, 200],
    );
    const exceptions = await w.ctx.db.selectFrom('filter_exceptions').select('id').where('request_id', '=', id).execute();
    assert.equal(exceptions.length, 1);
    const row = await w.ctx.db.selectFrom('filter_unblock_requests').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'approved');
    assert.equal(row.exception_id, exceptions[0]!.id);
  });

  it('rejects, withdraws, and refuses bad requests', async () => {
    const dsl = await w.as('dee.dsl');
    const teacher = await w.as('tia.teacher');
    const rejected = (await ask()).body.id;
    const noNote = await dsl.post(`/api/filter/unblock-requests/${rejected}/reject`, { note: '' });
    assert.equal(noNote.status, 400);
    const res = await dsl.post(`/api/filter/unblock-requests/${rejected}/reject`, { note: 'Use the textbook video instead' });
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'rejected');
    assert.equal(res.body.decisionNote, 'Use the textbook video instead');
    assert.equal((await (await w.as('nat.netman')).post(`/api/filter/unblock-requests/${rejected}/approve`, {})).status, 409);

    const withdrawn = (await ask()).body.id;
    assert.equal((await dsl.post(`/api/filter/unblock-requests/${withdrawn}/withdraw`, {})).status, 403);
    const w1 = await teacher.post(`/api/filter/unblock-requests/${withdrawn}/withdraw`, {});
    assert.equal(w1.status, 200);
    assert.equal(w1.body.status, 'withdrawn');

    const mine = (await teacher.get('/api/filter/unblock-requests')).body;
    assert.ok(mine.every((r: { requestedBy: { id: string } }) => r.requestedBy.id === w.people.teacher.personId));

    const locked = await ask({ targetKind: 'category', target: 'illegal_csam' });
    assert.equal(locked.status, 403);
    assert.equal(locked.body.error, 'filter.locked');
    const illegal = await ask({ targetKind: 'category', target: 'piracy' });
    assert.equal(illegal.body.error, 'filter.locked');
    const category = await ask({ targetKind: 'category', target: 'video_streaming' });
    assert.equal(category.status, 201);
    const notTheirs = await ask({ groupId: otherClassId });
    assert.equal(notTheirs.status, 403);
    const wholeYear = await ask({
      groupId: (await w.ctx.db.selectFrom('groups').select('id').where('code', '=', 'Y8').executeTakeFirstOrThrow()).id,
    });
    assert.equal(wholeYear.status, 400);
    const tooLong = await ask({ until: '2027-06-01T00:00:00Z' });
    assert.equal(tooLong.status, 400);
    const backwards = await ask({ from: UNTIL, until: FROM });
    assert.equal(backwards.status, 400);
    const badTarget = await ask({ target: 'http://' });
    assert.equal(badTarget.body.error, 'filter.invalid_target');
    const student = await w.as('sue.student');
    assert.equal(
      (
        await student.post('/api/filter/unblock-requests', {
          targetKind: 'pattern',
          target: 'x.example',
          groupId: classId,
          from: FROM,
          until: UNTIL,
          reason: 'please',
        })
      ).status,
      403,
    );
  });
});

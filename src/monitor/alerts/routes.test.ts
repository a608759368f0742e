import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Role } from '../../access/roles.js';
import { addUser, seedSchool, TEST_PASSWORD } from '../../testing/fixtures.js';
import { sessionPool, startTestServer } from '../../testing/http.js';
import { createTestStore, type TestStore, testContext } from '../../testing/store.js';
import type { MonitorEvent } from '../model.js';
import { AlertAnalyser } from './analyser.js';
import { falsePositiveRates } from '../library/false-positives.js';

describe('the triage API', () => {
  let store: TestStore;
  let ctx: ReturnType<typeof testContext>;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let as: ReturnType<typeof sessionPool>;
  let schoolId: string;
  let analyser: AlertAnalyser;
  const people: Record<string, { personId: string }> = {};

  before(async () => {
    store = await createTestStore();
    ctx = testContext(store, { TUTELA_DEMO_PASSWORD: TEST_PASSWORD });
    ({ schoolId } = await seedSchool(ctx, 'Triage Academy'));
    const other = await seedSchool(ctx, 'Other School');
    const user = (username: string, roles: Role[], options: { yearGroup?: number } = {}, school = schoolId) =>
      addUser(ctx, school, username, roles, { ...options, isDemo: true });
    people.dsl = await user('dee.dsl', ['staff', 'dsl']);
    people.deputy = await user('dan.deputy', ['staff', 'dsl']);
    people.head = await user('hal.head', ['staff', 'head']);
    people.teacher = await user('tia.teacher', ['staff']);
    people.netman = await user('nev.netman', ['staff', 'network_manager']);
    people.governor = await user('gil.governor', ['governor']);
    people.student = await user('sam.student', ['student'], { yearGroup: 8 });
    people.pupil = await user('pip.pupil', ['student'], { yearGroup: 10 });
    people.parent = await user('pat.parent', ['parent']);
    people.otherDsl = await user('oda.dsl', ['staff', 'dsl'], {}, other.schoolId);
    server = await startTestServer(ctx);
    as = sessionPool(server.url, TEST_PASSWORD);
    analyser = new AlertAnalyser(ctx, { mailer: null, cacheMs: 0 });
  });

  after(async () => {
    await server.close();
    await store.cleanup();
  });

  let second = 0;
  async function raise(personKey: string | null, text: string, extra: Partial<MonitorEvent> = {}): Promise<string> {
    second += 1;
    const at = new Date(Date.UTC(2026, 10, 24, 8, 0, second));
    await analyser.analyse([
      {
        id: randomUUID(),
        schoolId,
        at,
        receivedAt: at,
        sourceId: null,
        source: 'filter:proxy',
        kind: 'search',
        personId: personKey ? people[personKey]!.personId : null,
        username: personKey ?? 'guest07',
        clientAddress: '10.1.2.3',
        device: 'PC-12',
        host: 'www.google.com',
        url: 'https://www.google.com/search?q=x',
        searchTerms: text,
        text: null,
        blocked: false,
        ...extra,
      },
    ]);
    // Every call here must raise (or fold into) an alert: a text that matched nothing fails loudly.
    const row = await ctx.db.selectFrom('monitor_alerts').select('id').where('last_at', '=', at.toISOString()).executeTakeFirstOrThrow();
    return row.id;
  }

  const refusedRoles = ['tia.teacher', 'nev.netman', 'gil.governor', 'sam.student', 'pat.parent'];

  it('lists the queue for the DSL: critical first, then newest, with the capture highlighted', async () => {
    const high = await raise('student', 'how to self harm');
    const critical = await raise('pupil', 'kms');
    const medium = await raise('student', 'suicide');
    const dsl = await as('dee.dsl');
    const res = await dsl.get('/api/monitor/alerts');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(
      res.body.alerts.map((a: { id: string }) => a.id),
      [critical, high, medium],
    );
    assert.equal(res.body.total, 3);
    const first = res.body.alerts[0];
    assert.equal(first.excerpt.slice(first.highlightStart, first.highlightEnd), 'kms');
    assert.equal(first.riskRaised, false);
    assert.equal(first.status, 'open');
    assert.equal(first.who, 'Pip Pupil');
    // The view is audited, naming what was shown.
    const audit = await ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'monitor.alert.list')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    assert.deepEqual(JSON.parse(audit.details).ids, [critical, high, medium]);
    assert.equal(audit.actor_username, 'dee.dsl');

    const filtered = await dsl.get('/api/monitor/alerts?category=self_harm');
    assert.deepEqual(
      filtered.body.alerts.map((a: { id: string }) => a.id),
      [high],
    );
    const bySeverity = await dsl.get('/api/monitor/alerts?severity=critical');
    assert.deepEqual(
      bySeverity.body.alerts.map((a: { id: string }) => a.id),
      [critical],
    );
    const byPerson = await dsl.get(`/api/monitor/alerts?personId=${people.student!.personId}`);
    assert.equal(byPerson.body.total, 2);
    const paged = await dsl.get('/api/monitor/alerts?limit=1&offset=1');
    assert.deepEqual(
      paged.body.alerts.map((a: { id: string }) => a.id),
      [high],
    );
    assert.equal(paged.body.total, 3);
    assert.equal((await dsl.get('/api/monitor/alerts?limit=500')).status, 400);
    assert.equal((await dsl.get('/api/monitor/alerts?status=nonsense')).status, 400);
    assert.equal((await dsl.get('/api/monitor/alerts?category=knitting')).status, 400);

    const counts = await dsl.get('/api/monitor/alerts/counts');
    assert.deepEqual(counts.body, { open: { critical: 1, high: 1, medium: 1, low: 0 } });
  });

  it('filters by directory group, derived year groups included', async () => {
    const dsl = await as('dee.dsl');
    const year8 = await ctx.db
      .selectFrom('groups')
      .select('id')
      .where('school_id', '=', schoolId)
      .where('kind', '=', 'year_group')
      .where('year_group', '=', 8)
      .executeTakeFirst();
    let groupId = year8?.id;
    if (!groupId) {
      groupId = randomUUID();
      const at = ctx.clock().toISOString();
      await ctx.db
        .insertInto('groups')
        .values({
          id: groupId,
          school_id: schoolId,
          kind: 'year_group',
          name: 'Year 8',
          code: 'Y8',
          year_group: 8,
          subject: null,
          status: 'active',
          created_at: at,
          updated_at: at,
        })
        .execute();
    }
    const res = await dsl.get(`/api/monitor/alerts?groupId=${groupId}`);
    assert.equal(res.status, 200);
    assert.ok(res.body.alerts.length > 0);
    assert.ok(res.body.alerts.every((a: { personId: string }) => a.personId === people.student!.personId));
    const klass = randomUUID();
    const at = ctx.clock().toISOString();
    await ctx.db
      .insertInto('groups')
      .values({
        id: klass,
        school_id: schoolId,
        kind: 'class',
        name: '10X/Ma',
        code: '10X',
        year_group: null,
        subject: 'Maths',
        status: 'active',
        created_at: at,
        updated_at: at,
      })
      .execute();
    await ctx.db
      .insertInto('group_members')
      .values({ group_id: klass, person_id: people.pupil!.personId, member_role: 'member' })
      .execute();
    const byClass = await dsl.get(`/api/monitor/alerts?groupId=${klass}`);
    assert.ok(byClass.body.alerts.length > 0);
    assert.ok(byClass.body.alerts.every((a: { personId: string }) => a.personId === people.pupil!.personId));
    assert.equal((await dsl.get(`/api/monitor/alerts?groupId=${randomUUID()}`)).status, 404);
    const detail = await dsl.get(`/api/monitor/alerts/${byClass.body.alerts[0].id}`);
    assert.ok(detail.body.person.groups.includes('10X/Ma'));
  });

  it('shows the detail with the person, notes and related alerts, and audits every read', async () => {
    const id = await raise('student', 'how to cut myself');
    const dsl = await as('dee.dsl');
    const res = await dsl.get(`/api/monitor/alerts/${id}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.person.name, 'Sam Student');
    assert.equal(res.body.person.yearGroup, 8);
    assert.equal(res.body.device, 'PC-12');
    assert.equal(res.body.keywordsVersion, 0);
    assert.ok(res.body.related.length >= 1);
    assert.ok(res.body.related.every((r: { personId: string; id: string }) => r.personId === people.student!.personId && r.id !== id));
    const reads = await ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'monitor.alert.read')
      .where('target_id', '=', id)
      .execute();
    assert.equal(reads.length, 1);
    assert.equal(reads[0]!.actor_username, 'dee.dsl');
    // The related alerts beside it show captured text too, so their ids are audited as well.
    const relatedShown = await ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'monitor.alert.list')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    assert.deepEqual(JSON.parse(relatedShown.details), {
      ids: res.body.related.map((r: { id: string }) => r.id),
      relatedTo: id,
    });

    const noted = await dsl.post(`/api/monitor/alerts/${id}/notes`, { text: 'Spoke to form tutor.' });
    assert.equal(noted.status, 200);
    assert.deepEqual(
      noted.body.notes.map((n: { authorName: string; text: string }) => [n.authorName, n.text]),
      [['Dee Dsl', 'Spoke to form tutor.']],
    );
    assert.equal((await dsl.post(`/api/monitor/alerts/${id}/notes`, { text: '' })).status, 400);
    assert.equal((await dsl.post(`/api/monitor/alerts/${id}/notes`, { text: 'x'.repeat(4001) })).status, 400);
    assert.equal((await dsl.post(`/api/monitor/alerts/${id}/notes`, { text: '   ' })).status, 400);
    assert.equal((await dsl.get(`/api/monitor/alerts/${randomUUID()}`)).status, 404);
  });

  it('marks false positives with a reason, closes and reopens, and refuses what no longer applies', async () => {
    const id = await raise('student', 'loser');
    const dsl = await as('dee.dsl');
    assert.equal((await dsl.post(`/api/monitor/alerts/${id}/false-positive`, {})).status, 400);
    assert.equal((await dsl.post(`/api/monitor/alerts/${id}/false-positive`, { reason: 'no' })).status, 400);
    const fp = await dsl.post(`/api/monitor/alerts/${id}/false-positive`, { reason: 'Talking about a board game' });
    assert.equal(fp.status, 200);
    assert.equal(fp.body.status, 'false_positive');
    assert.equal(fp.body.fpReason, 'Talking about a board game');
    assert.equal(fp.body.resolvedBy, 'Dee Dsl');
    assert.ok(fp.body.resolvedAt);
    const again = await dsl.post(`/api/monitor/alerts/${id}/close`, {});
    assert.equal(again.status, 409);
    assert.equal(again.body.error, 'monitor.alert_resolved');
    const reopened = await dsl.post(`/api/monitor/alerts/${id}/reopen`, {});
    assert.equal(reopened.status, 200);
    assert.equal(reopened.body.status, 'open');
    assert.equal(reopened.body.fpReason, null);
    assert.equal((await dsl.post(`/api/monitor/alerts/${id}/reopen`, {})).status, 409);
    const closed = await dsl.post(`/api/monitor/alerts/${id}/close`, { note: 'No further action.' });
    assert.equal(closed.body.status, 'closed');
    assert.equal(closed.body.notes.at(-1).text, 'No further action.');
    const audit = await ctx.db.selectFrom('audit_log').select('action').where('target_id', '=', id).orderBy('seq').execute();
    assert.deepEqual(
      audit.map((a) => a.action),
      ['monitor.alert.false_positive', 'monitor.alert.reopen', 'monitor.alert.close'],
    );

    const rates = await falsePositiveRates(ctx.db, schoolId);
    const loser = [...rates.entries()].find(([entry]) => entry.includes('loser'));
    assert.deepEqual(loser?.[1], { alerts: 1, falsePositives: 0, resolved: 1, rate: 0 });
  });

  it('computes the false-positive rate per entry over triaged alerts only', async () => {
    const a = await raise('student', 'gambling sites');
    const b = await raise('pupil', 'gambling sites');
    await raise(null, 'gambling sites', { username: 'guest09' });
    const dsl = await as('dee.dsl');
    await dsl.post(`/api/monitor/alerts/${a}/false-positive`, { reason: 'Maths lesson on probability' });
    await dsl.post(`/api/monitor/alerts/${b}/close`, {});
    const row = await ctx.db.selectFrom('monitor_alerts').select('entry_id').where('id', '=', a).executeTakeFirstOrThrow();
    const rate = (await falsePositiveRates(ctx.db, schoolId)).get(row.entry_id);
    // The unattributed guest's alert is still open: it counts as raised, not as decided.
    assert.deepEqual(rate, { alerts: 3, falsePositives: 1, resolved: 2, rate: 0.5 });
  });

  it('escalates to an incident the DSL can read, prefilled from the alert', async () => {
    const id = await raise('student', 'i want to self harm tonight');
    const dsl = await as('dee.dsl');
    const draft = await dsl.get(`/api/monitor/alerts/${id}/escalation-draft`);
    assert.equal(draft.status, 200);
    assert.equal(draft.body.category, 'self_harm_suicide');
    assert.deepEqual(draft.body.subjectPersonIds, [people.student!.personId]);
    assert.match(draft.body.description, /self harm/);
    assert.match(draft.body.description, /filter:proxy/);
    assert.equal((await dsl.post(`/api/monitor/alerts/${id}/escalate`, { ...draft.body, category: 'knitting' })).status, 400);
    assert.equal(
      (await ctx.db.selectFrom('monitor_alerts').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status,
      'open',
    );
    const res = await dsl.post(`/api/monitor/alerts/${id}/escalate`, {
      category: draft.body.category,
      summary: draft.body.summary,
      description: draft.body.description,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.alert.status, 'escalated');
    assert.equal(res.body.alert.incidentId, res.body.incidentId);
    const incident = await dsl.get(`/api/incidents/${res.body.incidentId}`);
    assert.equal(incident.status, 200);
    assert.equal(incident.body.category, 'self_harm_suicide');
    assert.equal(incident.body.entries[0].body, draft.body.description);
    // Escalated: it belongs to the incident now.
    for (const [path, body] of [
      ['false-positive', { reason: 'Changed my mind' }],
      ['close', {}],
      ['reopen', {}],
      ['escalate', draft.body],
    ] as const) {
      const refused = await dsl.post(`/api/monitor/alerts/${id}/${path}`, body);
      assert.equal(refused.status, 409, path);
      assert.equal(refused.body.error, 'monitor.alert_resolved');
    }
    const audit = await ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', id)
      .where('action', '=', 'monitor.alert.escalate')
      .execute();
    assert.equal(audit.length, 1);
  });

  it('refuses to escalate an alert no person is tied to', async () => {
    const id = await raise(null, 'how to self harm', { username: 'kiosk-3' });
    const dsl = await as('dee.dsl');
    const draft = await dsl.get(`/api/monitor/alerts/${id}/escalation-draft`);
    assert.deepEqual(draft.body.subjectPersonIds, []);
    const res = await dsl.post(`/api/monitor/alerts/${id}/escalate`, draft.body);
    assert.equal(res.status, 400);
    assert.match(res.body.message, /not tied to a person/);
  });

  it('refuses NUL bytes, control characters and out-of-range paging as bad requests', async () => {
    const id = await raise('student', 'how to self harm');
    const dsl = await as('dee.dsl');
    for (const path of [
      '/api/monitor/alerts?offset=1e300',
      '/api/monitor/alerts?offset=99999999999999999999',
      '/api/monitor/alerts?personId=a%00b',
      '/api/monitor/alerts?groupId=a%00b',
      '/api/monitor/alerts/a%00b',
      '/api/monitor/alerts/a%0Ab/escalation-draft',
    ]) {
      assert.equal((await dsl.get(path)).status, 400, path);
    }
    assert.equal((await dsl.post('/api/monitor/alerts/bulk', { ids: ['a\u0000b'], action: 'close' })).status, 400);
    assert.equal((await dsl.post(`/api/monitor/alerts/${id}/notes`, { text: 'spoke\u0000to tutor' })).status, 400);
    assert.equal((await dsl.post(`/api/monitor/alerts/${id}/false-positive`, { reason: 'homework\u0000' })).status, 400);
    assert.equal((await dsl.post(`/api/monitor/alerts/${id}/close`, { note: '\u0000' })).status, 400);
    const escalate = { category: 'self_harm_suicide', summary: 'Self-harm search', description: 'Searched\u0000' };
    assert.equal((await dsl.post(`/api/monitor/alerts/${id}/escalate`, escalate)).status, 400);
    const row = await ctx.db.selectFrom('monitor_alerts').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'open');
    // Multi-line notes are still fine: only NUL is refused.
    assert.equal((await dsl.post(`/api/monitor/alerts/${id}/notes`, { text: 'Line one.\nLine two.' })).status, 200);
  });

  it('applies bulk actions alert by alert', async () => {
    const a = await raise('student', 'betting odds');
    const b = await raise('pupil', 'betting odds');
    const own = await raise('dsl', 'kms');
    const dsl = await as('dee.dsl');
    assert.equal((await dsl.post('/api/monitor/alerts/bulk', { ids: [a], action: 'false_positive' })).status, 400);
    assert.equal((await dsl.post('/api/monitor/alerts/bulk', { ids: [], action: 'close' })).status, 400);
    assert.equal((await dsl.post('/api/monitor/alerts/bulk', { ids: [a], action: 'delete' })).status, 400);
    const missing = randomUUID();
    const res = await dsl.post('/api/monitor/alerts/bulk', { ids: [a, b, own, missing], action: 'close' });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.updated, [a, b]);
    assert.deepEqual(res.body.skipped, [
      { id: own, reason: 'not found' },
      { id: missing, reason: 'not found' },
    ]);
    const again = await dsl.post('/api/monitor/alerts/bulk', { ids: [a], action: 'close' });
    assert.deepEqual(again.body.updated, []);
    assert.equal(again.body.skipped[0].id, a);
    const fp = await dsl.post('/api/monitor/alerts/bulk', { ids: [a, b], action: 'false_positive', reason: 'Maths homework' });
    assert.deepEqual(fp.body.updated, [a, b]);
  });

  describe('refusals', () => {
    let studentAlert: string;
    let dslAlert: string;
    let staffAlert: string;

    before(async () => {
      studentAlert = await raise('student', 'how to hurt myself');
      dslAlert = await raise('dsl', 'want to die');
      staffAlert = await raise('teacher', 'how to self harm');
    });

    const tryEverything = async (username: string, id: string) => {
      const client = await as(username);
      return {
        detail: (await client.get(`/api/monitor/alerts/${id}`)).status,
        notes: (await client.post(`/api/monitor/alerts/${id}/notes`, { text: 'looking' })).status,
        fp: (await client.post(`/api/monitor/alerts/${id}/false-positive`, { reason: 'a reason' })).status,
        close: (await client.post(`/api/monitor/alerts/${id}/close`, {})).status,
        draft: (await client.get(`/api/monitor/alerts/${id}/escalation-draft`)).status,
        escalate: (await client.post(`/api/monitor/alerts/${id}/escalate`, { category: 'other', summary: 's', description: 'd' })).status,
      };
    };
    const allNotFound = { detail: 404, notes: 404, fp: 404, close: 404, draft: 404, escalate: 404 };

    it('refuses every role outside the DSL team the list, the counts, each alert and bulk', async () => {
      for (const username of refusedRoles) {
        const client = await as(username);
        assert.equal((await client.get('/api/monitor/alerts')).status, 403, username);
        assert.equal((await client.get('/api/monitor/alerts/counts')).status, 403, username);
        assert.deepEqual(await tryEverything(username, studentAlert), allNotFound, username);
        assert.deepEqual(await tryEverything(username, staffAlert), allNotFound, username);
        const bulk = await client.post('/api/monitor/alerts/bulk', { ids: [studentAlert], action: 'close' });
        assert.equal(bulk.status, 403, username);
      }
      const still = await ctx.db.selectFrom('monitor_alerts').select('status').where('id', 'in', [studentAlert, staffAlert]).execute();
      assert.ok(still.every((r) => r.status === 'open'));
      const notes = await ctx.db
        .selectFrom('monitor_alert_notes')
        .select('id')
        .where('alert_id', 'in', [studentAlert, staffAlert])
        .execute();
      assert.equal(notes.length, 0);
      const refusals = await ctx.db
        .selectFrom('audit_log')
        .select('actor_username')
        .where('action', '=', 'monitor.alert.read_refused')
        .execute();
      assert.ok(refusals.some((r) => r.actor_username === 'tia.teacher'));
    });

    it('shows the head alerts about staff only', async () => {
      const head = await as('hal.head');
      const list = await head.get('/api/monitor/alerts?status=all');
      assert.equal(list.status, 200);
      const ids = list.body.alerts.map((a: { id: string }) => a.id);
      assert.ok(ids.includes(staffAlert) && ids.includes(dslAlert));
      assert.ok(list.body.alerts.every((a: { profile: string }) => a.profile === 'staff'));
      assert.equal(list.body.total, ids.length);
      assert.deepEqual(await tryEverything('hal.head', studentAlert), allNotFound);
      const bulk = await head.post('/api/monitor/alerts/bulk', { ids: [studentAlert], action: 'close' });
      assert.deepEqual(bulk.body, { updated: [], skipped: [{ id: studentAlert, reason: 'not found' }] });
      assert.equal((await head.get(`/api/monitor/alerts/${staffAlert}`)).status, 200);
    });

    it('never shows the DSL an alert about themselves; a colleague sees it', async () => {
      const dsl = await as('dee.dsl');
      const list = await dsl.get('/api/monitor/alerts?status=all&limit=200');
      assert.ok(!list.body.alerts.some((a: { personId: string }) => a.personId === people.dsl!.personId));
      assert.deepEqual(await tryEverything('dee.dsl', dslAlert), allNotFound);
      const bulk = await dsl.post('/api/monitor/alerts/bulk', { ids: [dslAlert], action: 'close' });
      assert.deepEqual(bulk.body.skipped, [{ id: dslAlert, reason: 'not found' }]);
      const deputy = await as('dan.deputy');
      assert.equal((await deputy.get(`/api/monitor/alerts/${dslAlert}`)).status, 200);
    });

    it("refuses another school's DSL everything about this school's alerts", async () => {
      const other = await as('oda.dsl');
      const list = await other.get('/api/monitor/alerts?status=all');
      assert.equal(list.status, 200);
      assert.deepEqual(list.body, { alerts: [], total: 0 });
      assert.deepEqual((await other.get('/api/monitor/alerts/counts')).body, { open: { critical: 0, high: 0, medium: 0, low: 0 } });
      assert.deepEqual(await tryEverything('oda.dsl', studentAlert), allNotFound);
      const bulk = await other.post('/api/monitor/alerts/bulk', { ids: [studentAlert], action: 'close' });
      assert.deepEqual(bulk.body.skipped, [{ id: studentAlert, reason: 'not found' }]);
      assert.equal(
        (await ctx.db.selectFrom('monitor_alerts').select('status').where('id', '=', studentAlert).executeTakeFirstOrThrow()).status,
        'open',
      );
    });
  });
});

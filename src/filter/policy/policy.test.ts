import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { CATEGORY_IDS } from '../categories.js';
import { DEFAULT_PROFILES } from './defaults.js';
import { ensureFilterPolicy } from './ensure.js';
import { loadFilterPolicy, policyVersions } from './load.js';
import { defaultMatrixMarkdown } from './matrix-doc.js';
import { policyVersion, policyWorld, type PolicyWorld } from './testing.js';

describe('filtering policy: defaults, resolution, change control', () => {
  let w: PolicyWorld;
  before(async () => {
    w = await policyWorld();
  });
  after(async () => w.close());

  const profileId = async (key: string) => {
    const policy = await loadFilterPolicy(w.ctx.db, w.schoolId, w.ctx.clock());
    return policy.profiles.find((p) => p.key === key)!.id;
  };

  it('starts every school with six profiles, each with a full matrix, once', async () => {
    // Several first requests at once must still leave exactly one set of defaults.
    await Promise.all([1, 2, 3].map(() => ensureFilterPolicy(w.ctx.db, w.schoolId, w.ctx.clock)));
    await ensureFilterPolicy(w.ctx.db, w.schoolId, w.ctx.clock);
    const count = await w.ctx.db.selectFrom('filter_profiles').select('id').where('school_id', '=', w.schoolId).execute();
    assert.equal(count.length, DEFAULT_PROFILES.length);
    const netman = await w.as('nat.netman');
    const res = await netman.get('/api/filter/profiles');
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.body.map((p: { key: string }) => p.key),
      DEFAULT_PROFILES.map((p) => p.key),
    );
    for (const profile of res.body) assert.deepEqual(Object.keys(profile.matrix).sort(), [...CATEGORY_IDS].sort());
    const windows = (await netman.get('/api/filter/calendar')).body.windows;
    assert.equal(windows.length, 7);
    assert.deepEqual(
      windows.find((x: { kind: string }) => x.kind === 'lunch'),
      {
        id: windows.find((x: { kind: string }) => x.kind === 'lunch').id,
        kind: 'lunch',
        days: [1, 2, 3, 4, 5],
        startMinute: 13 * 60,
        endMinute: 13 * 60 + 45,
      },
    );
  });

  it('matches seed 002 for Key Stage 3 and differs by age', async () => {
    const netman = await w.as('nat.netman');
    const profiles = (await netman.get('/api/filter/profiles')).body as {
      key: string;
      matrix: Record<string, { level: string; windows: string[] }>;
    }[];
    const m = (key: string) => profiles.find((p) => p.key === key)!.matrix;
    const ks3 = m('ks3');
    assert.equal(ks3.gambling!.level, 'unacceptable');
    assert.equal(ks3.social_media!.level, 'at_certain_times');
    assert.deepEqual(ks3.social_media!.windows, ['break', 'lunch', 'after_school']);
    assert.equal(ks3.messaging_chat!.level, 'at_certain_times');
    assert.equal(ks3.shopping!.level, 'nominated_users');
    assert.equal(ks3.video_streaming!.level, 'acceptable');
    assert.equal(ks3.file_sharing!.level, 'acceptable');
    assert.equal(ks3.piracy!.level, 'illegal');
    assert.equal(ks3.malware_hacking!.level, 'illegal');
    assert.equal(ks3.pornography!.level, 'unacceptable');
    assert.equal(ks3.circumvention!.level, 'unacceptable');
    assert.equal(ks3.games!.level, 'unacceptable');
    assert.equal(ks3.educational_games!.level, 'at_certain_times');
    assert.equal(m('primary').social_media!.level, 'unacceptable');
    assert.equal(m('primary').video_streaming!.level, 'acceptable');
    assert.equal(m('staff').social_media!.level, 'acceptable');
    assert.equal(m('staff').pornography!.level, 'unacceptable');
    assert.equal(m('guest').file_sharing!.level, 'unacceptable');
    for (const p of profiles) assert.equal(p.matrix.illegal_csam!.level, 'illegal');
  });

  it('documents the default matrix exactly as the code sets it', () => {
    const doc = readFileSync(
      path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'docs', 'filtering', 'policy.md'),
      'utf8',
    );
    assert.ok(doc.includes(defaultMatrixMarkdown()), 'docs/filtering/policy.md: paste the output of defaultMatrixMarkdown()');
  });

  it('resolves profiles by year, then group, then person, and includes derived year groups', async () => {
    const db = w.ctx.db;
    const y8 = await db
      .selectFrom('groups')
      .select('id')
      .where('school_id', '=', w.schoolId)
      .where('code', '=', 'Y8')
      .executeTakeFirstOrThrow();
    const ks3 = await db
      .selectFrom('groups')
      .select('id')
      .where('school_id', '=', w.schoolId)
      .where('code', '=', 'KS3')
      .executeTakeFirstOrThrow();
    let policy = await loadFilterPolicy(db, w.schoolId, w.ctx.clock());
    const sue = () => policy.people.find((p) => p.id === w.people.student.personId)!;
    const key = (id: string) => policy.profiles.find((p) => p.id === id)!.key;
    assert.equal(key(sue().profileId), 'ks3');
    assert.equal(sue().username, 'sue.student');
    assert.equal(sue().isStaff, false);
    assert.ok(sue().groupIds.includes(y8.id), 'derived year group membership');
    assert.ok(sue().groupIds.includes(ks3.id), 'derived key stage membership');
    const teacher = policy.people.find((p) => p.id === w.people.teacher.personId)!;
    assert.equal(key(teacher.profileId), 'staff');
    assert.equal(teacher.isStaff, true);
    assert.equal(key(policy.people.find((p) => p.id === w.people.governor.personId)!.profileId), 'staff');
    assert.equal(key(policy.people.find((p) => p.id === w.people.parent.personId)!.profileId), 'guest');
    assert.equal(key(policy.fallbackProfileId), 'guest');

    const netman = await w.as('nat.netman');
    const viaGroup = await netman.put('/api/filter/assignments', {
      subjectKind: 'group',
      subjectId: y8.id,
      profileId: await profileId('ks4'),
      reason: 'Year 8 trial of the KS4 profile',
    });
    assert.equal(viaGroup.status, 200);
    policy = await loadFilterPolicy(db, w.schoolId, w.ctx.clock());
    assert.equal(key(sue().profileId), 'ks4');
    await netman.put('/api/filter/assignments', {
      subjectKind: 'person',
      subjectId: w.people.student.personId,
      profileId: await profileId('primary'),
      reason: 'Support plan asks for the primary profile',
    });
    policy = await loadFilterPolicy(db, w.schoolId, w.ctx.clock());
    assert.equal(key(sue().profileId), 'primary');
    const listed = (await netman.get('/api/filter/assignments')).body;
    assert.deepEqual(listed.map((a: { subjectName: string }) => a.subjectName).sort(), ['Sue Student', 'Year 8']);
    await netman.put('/api/filter/assignments', {
      subjectKind: 'person',
      subjectId: w.people.student.personId,
      profileId: null,
      reason: 'Plan ended',
    });
    policy = await loadFilterPolicy(db, w.schoolId, w.ctx.clock());
    assert.equal(key(sue().profileId), 'ks4');
  });

  it('refuses every write to students, parents, staff and governors', async () => {
    const ks3 = await profileId('ks3');
    const writes: [string, string, unknown][] = [
      ['POST', '/api/filter/profiles', { key: 'year_7', name: 'Year 7', defaultAction: 'allow', reason: 'new intake' }],
      ['PUT', `/api/filter/profiles/${ks3}`, { name: 'KS3', reason: 'rename' }],
      ['PUT', `/api/filter/profiles/${ks3}/matrix/gambling`, { level: 'acceptable', reason: 'no' }],
      ['PUT', '/api/filter/assignments', { subjectKind: 'person', subjectId: w.people.student.personId, profileId: ks3, reason: 'x y z' }],
      ['PUT', '/api/filter/calendar/windows', { windows: [], reason: 'no school day' }],
      ['POST', '/api/filter/calendar/holidays', { name: 'Xmas', from: '2026-12-21', to: '2027-01-01', reason: 'holiday' }],
      ['POST', '/api/filter/list-entries', { scope: 'school', pattern: 'example.com', action: 'allow', reason: 'because' }],
      [
        'POST',
        '/api/filter/exceptions',
        {
          target: { kind: 'pattern', pattern: 'example.com' },
          appliesTo: { kind: 'school' },
          from: '2026-11-24T09:00:00Z',
          until: '2026-11-25T09:00:00Z',
          reason: 'because',
        },
      ],
      [
        'POST',
        '/api/filter/sanctions',
        { personId: w.people.student.personId, from: '2026-11-24T09:00:00Z', until: '2026-11-25T09:00:00Z', reason: 'because' },
      ],
      ['POST', '/api/filter/devices', { name: 'Lab PC', address: '10.0.0.5', reason: 'because' }],
      ['POST', '/api/filter/subnets', { name: 'Guest Wi-Fi', cidr: '10.9.0.0/16', profileId: ks3, reason: 'because' }],
      ['PUT', '/api/filter/settings', { timeZone: 'Europe/Paris', reason: 'because' }],
      // Removals are refused before anything is looked up, so the id does not matter.
      ['POST', '/api/filter/calendar/holidays/some-id/delete', { reason: 'because' }],
      ['POST', '/api/filter/list-entries/some-id/delete', { reason: 'because' }],
      ['POST', '/api/filter/exceptions/some-id/revoke', { reason: 'because' }],
      ['POST', '/api/filter/sanctions/some-id/lift', { reason: 'because' }],
      ['POST', '/api/filter/devices/some-id/delete', { reason: 'because' }],
      ['POST', '/api/filter/subnets/some-id/delete', { reason: 'because' }],
      ['POST', '/api/filter/reports/some-id/resolve', { status: 'dismissed', note: 'because' }],
    ];
    const versionBefore = await policyVersion(w);
    for (const username of ['sue.student', 'pat.parent', 'tia.teacher', 'gil.governor']) {
      const client = await w.as(username);
      for (const [method, path, body] of writes) {
        const res = await client.request(method, path, body);
        assert.equal(res.status, 403, `${username} ${method} ${path}`);
        assert.equal(res.body.error, 'forbidden');
      }
    }
    assert.equal(await policyVersion(w), versionBefore);
    // Reading the policy is for the network manager, DSL, head; the governor reads only the log.
    const governor = await w.as('gil.governor');
    assert.equal((await governor.get('/api/filter/profiles')).status, 403);
    assert.equal((await governor.get('/api/filter/changes')).status, 200);
    assert.equal((await (await w.as('sue.student')).get('/api/filter/changes')).status, 403);
  });

  it('requires a reason, logs before and after, and bumps the policy version', async () => {
    const netman = await w.as('nat.netman');
    const ks3 = await profileId('ks3');
    const v0 = await policyVersion(w);
    const noReason = await netman.put(`/api/filter/profiles/${ks3}/matrix/shopping`, { level: 'acceptable', reason: '  ' });
    assert.equal(noReason.status, 400);
    assert.equal(noReason.body.error, 'filter.reason_required');
    assert.equal(await policyVersion(w), v0);
    const res = await netman.put(`/api/filter/profiles/${ks3}/matrix/shopping`, { level: 'acceptable', reason: 'Enterprise week' });
    assert.equal(res.status, 200);
    assert.equal(res.body.matrix.shopping.level, 'acceptable');
    assert.equal(res.body.version, 2);
    assert.equal(await policyVersion(w), v0 + 1);
    const log = (await netman.get('/api/filter/changes?entity=matrix')).body;
    assert.equal(log[0].reason, 'Enterprise week');
    assert.equal(log[0].actorName, 'Nat Netman');
    assert.equal(log[0].before.level, 'nominated_users');
    assert.equal(log[0].after.level, 'acceptable');
    const audit = await w.ctx.db.selectFrom('audit_log').select('action').where('action', '=', 'filter.matrix.update').execute();
    assert.equal(audit.length, 1);
    const versions = await policyVersions(w.ctx.db);
    assert.equal(versions.get(w.schoolId), v0 + 1);
  });

  it('refuses to move a locked category off illegal, and bad input, without changing anything', async () => {
    const netman = await w.as('nat.netman');
    const staff = await profileId('staff');
    const v0 = await policyVersion(w);
    for (const category of ['illegal_csam', 'illegal_terrorism']) {
      const res = await netman.put(`/api/filter/profiles/${staff}/matrix/${category}`, { level: 'unacceptable', reason: 'try it' });
      assert.equal(res.status, 403);
      assert.equal(res.body.error, 'filter.locked');
    }
    const badCategory = await netman.put(`/api/filter/profiles/${staff}/matrix/knitting`, { level: 'acceptable', reason: 'try it' });
    assert.equal(badCategory.status, 400);
    const badEntry = await netman.post('/api/filter/list-entries', {
      scope: 'school',
      pattern: 'not a host!',
      action: 'block',
      reason: 'try it',
    });
    assert.equal(badEntry.status, 400);
    assert.equal(badEntry.body.error, 'filter.invalid_target');
    const lockedAllow = await netman.post('/api/filter/list-entries', {
      scope: 'school',
      pattern: 'example.org',
      action: 'allow',
      category: 'illegal_csam',
      reason: 'try it',
    });
    assert.equal(lockedAllow.body.error, 'filter.locked');
    const lockedException = await netman.post('/api/filter/exceptions', {
      target: { kind: 'category', category: 'illegal_terrorism' },
      appliesTo: { kind: 'school' },
      from: '2026-11-24T09:00:00Z',
      until: '2026-11-25T09:00:00Z',
      reason: 'research',
    });
    assert.equal(lockedException.body.error, 'filter.locked');
    const illegalException = await netman.post('/api/filter/exceptions', {
      target: { kind: 'category', category: 'piracy' },
      appliesTo: { kind: 'school' },
      from: '2026-11-24T09:00:00Z',
      until: '2026-11-25T09:00:00Z',
      reason: 'film club',
    });
    assert.equal(illegalException.body.error, 'filter.locked');
    const badWindow = await netman.put('/api/filter/calendar/windows', {
      windows: [{ kind: 'lunch', days: [1], startMinute: 800, endMinute: 700 }],
      reason: 'oops',
    });
    assert.equal(badWindow.status, 400);
    assert.equal(await policyVersion(w), v0);
    assert.equal((await w.ctx.db.selectFrom('filter_windows').select('id').where('school_id', '=', w.schoolId).execute()).length, 7);
  });

  it('manages local lists, exceptions, devices and subnets, all visible to the engine', async () => {
    const netman = await w.as('nat.netman');
    const entry = await netman.post('/api/filter/list-entries', {
      scope: 'school',
      pattern: 'HTTPS://Games.Example.COM./',
      action: 'block',
      category: 'games',
      reason: 'Distracting',
    });
    assert.equal(entry.status, 201);
    assert.equal(entry.body.pattern, 'games.example.com');
    assert.equal(entry.body.scopeName, 'Test Academy');
    const dup = await netman.post('/api/filter/list-entries', {
      scope: 'school',
      pattern: 'games.example.com',
      action: 'allow',
      reason: 'Again',
    });
    assert.equal(dup.status, 409);
    const trustWide = await netman.post('/api/filter/list-entries', {
      scope: 'trust',
      pattern: 'trust.example',
      action: 'block',
      reason: 'Trust policy',
    });
    assert.equal(trustWide.status, 403);
    const exception = await netman.post('/api/filter/exceptions', {
      target: { kind: 'pattern', pattern: 'science.example.com' },
      appliesTo: { kind: 'person', id: w.people.student.personId },
      from: '2026-11-24T08:00:00Z',
      until: '2026-11-26T08:00:00Z',
      reason: 'Science project',
    });
    assert.equal(exception.status, 201);
    assert.equal(exception.body.status, 'active');
    assert.equal(exception.body.appliesTo.name, 'Sue Student');
    const device = await netman.post('/api/filter/devices', {
      name: 'Library PC 1',
      address: '10.1.2.3',
      personId: w.people.teacher.personId,
      reason: 'Assigned PC',
    });
    assert.equal(device.status, 201);
    const badDevice = await netman.post('/api/filter/devices', { name: 'Bad', address: '10.1.2', reason: 'Assigned PC' });
    assert.equal(badDevice.status, 400);
    const subnet = await netman.post('/api/filter/subnets', {
      name: 'Guest Wi-Fi',
      cidr: '10.50.0.0/16',
      profileId: await profileId('guest'),
      reason: 'Guest network',
    });
    assert.equal(subnet.status, 201);
    const badSubnet = await netman.post('/api/filter/subnets', {
      name: 'Bad',
      cidr: '10.50.0.0/40',
      profileId: await profileId('guest'),
      reason: 'Guest network',
    });
    assert.equal(badSubnet.status, 400);
    let policy = await loadFilterPolicy(w.ctx.db, w.schoolId, w.ctx.clock());
    assert.deepEqual(
      policy.lists.map((l) => [l.scope, l.pattern, l.action, l.category]),
      [['school', 'games.example.com', 'block', 'games']],
    );
    assert.deepEqual(policy.exceptions[0]!.appliesTo, { kind: 'person', personId: w.people.student.personId });
    assert.equal(policy.devices[0]!.address, '10.1.2.3');
    assert.equal(policy.subnets[0]!.cidr, '10.50.0.0/16');
    await netman.post(`/api/filter/exceptions/${exception.body.id}/revoke`, { reason: 'Project finished' });
    await netman.post(`/api/filter/list-entries/${entry.body.id}/delete`, { reason: 'No longer needed' });
    policy = await loadFilterPolicy(w.ctx.db, w.schoolId, w.ctx.clock());
    assert.equal(policy.exceptions.length, 0);
    assert.equal(policy.lists.length, 0);
  });

  it('lets a trust administrator act on another school of the trust, and nobody else', async () => {
    const { addUser, seedSchool } = await import('../../testing/fixtures.js');
    const sister = (await seedSchool(w.ctx, 'Sister School', w.trustId)).schoolId;
    const stranger = (await seedSchool(w.ctx, 'Stranger School')).schoolId;
    await addUser(w.ctx, w.schoolId, 'tom.trust', ['staff', 'trust_admin'], { isDemo: true });
    const trust = await w.as('tom.trust');
    const sisterVersion = (await loadFilterPolicy(w.ctx.db, sister, w.ctx.clock())).version;
    const entry = await trust.post('/api/filter/list-entries', {
      scope: 'trust',
      pattern: 'trust-blocked.example',
      action: 'block',
      reason: 'Trust-wide decision',
    });
    assert.equal(entry.status, 201);
    const sisterPolicy = await loadFilterPolicy(w.ctx.db, sister, w.ctx.clock());
    assert.deepEqual(
      sisterPolicy.lists.map((l) => [l.scope, l.pattern]),
      [['trust', 'trust-blocked.example']],
    );
    assert.equal(sisterPolicy.version, sisterVersion + 1);
    const strangerPolicy = await loadFilterPolicy(w.ctx.db, stranger, w.ctx.clock());
    assert.equal(strangerPolicy.lists.length, 0);
    const there = await trust.get(`/api/filter/profiles?schoolId=${sister}`);
    assert.equal(there.status, 200);
    assert.equal(there.body.length, 6);
    assert.equal((await trust.get(`/api/filter/profiles?schoolId=${stranger}`)).status, 403);
    const netman = await w.as('nat.netman');
    assert.equal((await netman.get(`/api/filter/profiles?schoolId=${sister}`)).status, 403);
    assert.equal((await netman.post(`/api/filter/list-entries/${entry.body.id}/delete`, { reason: 'Not mine to remove' })).status, 403);
    assert.equal((await trust.post(`/api/filter/list-entries/${entry.body.id}/delete`, { reason: 'Decision reversed' })).status, 200);
    // Anyone signed in may read the categories (staff pick one when asking for an unblock).
    const categories = (await (await w.as('tia.teacher')).get('/api/filter/categories')).body;
    assert.deepEqual(
      categories.filter((c: { locked: boolean }) => c.locked).map((c: { id: string }) => c.id),
      ['illegal_csam', 'illegal_terrorism'],
    );
  });

  it('adds and edits profiles, settings, the school day and holidays', async () => {
    const netman = await w.as('nat.netman');
    const ks3 = await profileId('ks3');
    const copy = await netman.post('/api/filter/profiles', {
      key: 'year_7_start',
      name: 'Year 7 first term',
      defaultAction: 'allow',
      copyFromProfileId: ks3,
      reason: 'Gentler start',
    });
    assert.equal(copy.status, 201);
    const original = (await netman.get('/api/filter/profiles')).body.find((p: { id: string }) => p.id === ks3);
    assert.deepEqual(copy.body.matrix, original.matrix);
    assert.equal(copy.body.position, 6);
    const closed = await netman.post('/api/filter/profiles', {
      key: 'exams',
      name: 'Exam room',
      defaultAction: 'block',
      reason: 'Exam season',
    });
    assert.equal(closed.body.matrix.video_streaming.level, 'unacceptable');
    assert.equal(closed.body.matrix.illegal_csam.level, 'illegal');
    const clash = await netman.post('/api/filter/profiles', {
      key: 'exams',
      name: 'Exams again',
      defaultAction: 'block',
      reason: 'Exam season',
    });
    assert.equal(clash.status, 409);
    const badKey = await netman.post('/api/filter/profiles', {
      key: 'Exam Room!',
      name: 'x',
      defaultAction: 'block',
      reason: 'Exam season',
    });
    assert.equal(badKey.status, 400);
    const renamed = await netman.put(`/api/filter/profiles/${closed.body.id}`, {
      name: 'Exam hall',
      defaultAction: 'allow',
      reason: 'Wider use',
    });
    assert.equal(renamed.body.name, 'Exam hall');
    assert.equal(renamed.body.defaultAction, 'allow');
    assert.equal(renamed.body.version, 2);

    const nominated = await netman.put(`/api/filter/profiles/${ks3}/matrix/shopping`, {
      level: 'nominated_users',
      nominatedPersonIds: [w.people.student.personId],
      reason: 'Enterprise prefect',
    });
    assert.deepEqual(nominated.body.matrix.shopping.nominatedPersonIds, [w.people.student.personId]);
    const stranger = await netman.put(`/api/filter/profiles/${ks3}/matrix/shopping`, {
      level: 'nominated_users',
      nominatedPersonIds: ['nobody'],
      reason: 'Typo',
    });
    assert.equal(stranger.status, 400);

    const badZone = await netman.put('/api/filter/settings', { timeZone: 'Mars/Olympus', reason: 'Space school' });
    assert.equal(badZone.status, 400);
    const settings = await netman.put('/api/filter/settings', {
      fallbackProfileId: closed.body.id,
      alertingCategories: ['self_harm', 'extremism'],
      reason: 'Unknown devices get the closed profile',
    });
    assert.equal(settings.status, 200);
    assert.deepEqual(settings.body.alertingCategories, ['self_harm', 'extremism']);

    const windows = [
      { kind: 'lessons', days: [1, 2, 3, 4, 5], startMinute: 540, endMinute: 900 },
      { kind: 'weekend', days: [6, 7], startMinute: 0, endMinute: 1440 },
    ];
    assert.equal((await netman.put('/api/filter/calendar/windows', { windows, reason: 'New timetable' })).status, 200);
    const holiday = await netman.post('/api/filter/calendar/holidays', {
      name: 'Christmas',
      from: '2026-12-19',
      to: '2027-01-04',
      reason: 'Term dates',
    });
    assert.equal(holiday.status, 201);
    assert.equal(
      (await netman.post('/api/filter/calendar/holidays', { name: 'Odd', from: '2027-01-04', to: '2026-12-19', reason: 'Term dates' }))
        .status,
      400,
    );
    let policy = await loadFilterPolicy(w.ctx.db, w.schoolId, w.ctx.clock());
    assert.equal(policy.fallbackProfileId, closed.body.id);
    assert.deepEqual(policy.alertingCategories, ['self_harm', 'extremism']);
    assert.deepEqual(policy.calendar.windows.map((x) => x.kind).sort(), ['lessons', 'weekend']);
    assert.deepEqual(policy.calendar.holidays, [{ from: '2026-12-19', to: '2027-01-04', name: 'Christmas' }]);
    assert.equal(policy.profiles.find((p) => p.id === ks3)!.matrix.shopping!.nominatedPersonIds![0], w.people.student.personId);
    await netman.post(`/api/filter/calendar/holidays/${holiday.body.id}/delete`, { reason: 'Entered twice' });
    policy = await loadFilterPolicy(w.ctx.db, w.schoolId, w.ctx.clock());
    assert.equal(policy.calendar.holidays.length, 0);
  });

  it('exports the change log as CSV that parses back', async () => {
    const governor = await w.as('gil.governor');
    const json = (await governor.get('/api/filter/changes')).body;
    assert.equal((await governor.get('/api/filter/changes?from=yesterday')).status, 400);
    assert.deepEqual((await governor.get('/api/filter/changes?from=2030-01-01')).body, []);
    const matrixOnly = (await governor.get('/api/filter/changes?entity=matrix')).body;
    assert.ok(matrixOnly.length > 0 && matrixOnly.every((c: { entity: string }) => c.entity === 'matrix'));
    const res = await governor.request('GET', '/api/filter/changes.csv');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/csv/);
    const rows = parse(res.body as string, { columns: true }) as Record<string, string>[];
    assert.deepEqual(Object.keys(rows[0]!), ['time', 'who', 'entity', 'change', 'summary', 'before', 'after', 'reason']);
    assert.equal(rows.length, json.length);
    const matrix = rows.find((r) => r.entity === 'matrix' && r.reason === 'Enterprise week')!;
    assert.equal(matrix.reason, 'Enterprise week');
    assert.equal(JSON.parse(matrix.before!).level, 'nominated_users');
    assert.equal(JSON.parse(matrix.after!).level, 'acceptable');
  });
});

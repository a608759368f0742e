import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { FilterPolicy, FilterRequest, ListEntry } from '../model.js';
import { decide } from './decide.js';
import { compileLists } from './lists.js';
import { compilePolicy } from './snapshot.js';
import { SCHOOL_ID, TRUST_ID, testPolicy } from './test-policy.js';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

const lists = compileLists(
  [
    { category: 'gambling', domains: ['bet.example', 'mixed.example'], urls: [] },
    { category: 'social_media', domains: ['social.example', 'mixed.example'], urls: [] },
    { category: 'games', domains: ['games.example'], urls: [] },
    { category: 'video_streaming', domains: ['video.example', 'mixed2.example'], urls: [] },
    { category: 'educational_games', domains: ['edu.example', 'mixed2.example', 'locked.example'], urls: [] },
    { category: 'extremism', domains: ['extreme.example'], urls: [] },
    { category: 'shopping', domains: ['shop.example'], urls: [] },
  ],
  [
    { category: 'illegal_csam', source: 'IWF', plain: ['locked.example'], sha256: [] },
    { category: 'illegal_terrorism', source: 'CTIRU', plain: [], sha256: [sha('hashed-locked.example')] },
  ],
);

/** Tuesday 24 November 2026 (GMT): 12:40 is lunch, 13:40 lessons. */
const LUNCH = new Date('2026-11-24T12:40:00Z');
const LESSONS = new Date('2026-11-24T13:40:00Z');
/** Tuesday 16 June 2026 (BST, UTC+1): 11:40Z is 12:40 local, lunch; 12:40Z is 13:40 local, lessons. */
const BST_LUNCH = new Date('2026-06-16T11:40:00Z');
const BST_LESSONS = new Date('2026-06-16T12:40:00Z');
const HOLIDAY = new Date('2026-12-22T12:40:00Z');
const SATURDAY = new Date('2026-11-28T12:40:00Z');
const EVENING = new Date('2026-11-24T19:00:00Z');

const entry = (
  scope: ListEntry['scope'],
  scopeId: string,
  pattern: string,
  action: 'allow' | 'block',
  category: ListEntry['category'] = null,
): ListEntry => ({
  id: `${scope}-${scopeId}-${pattern}-${action}`,
  scope,
  scopeId,
  pattern,
  action,
  category,
});

const snap = (overrides: Partial<FilterPolicy> = {}) => compilePolicy(testPolicy(overrides), lists);
const ask = (policy: ReturnType<typeof snap>, target: string, extra: Partial<FilterRequest> = {}) =>
  decide(policy, { clientAddress: '192.0.2.1', personId: 'person-pupil', target, at: LUNCH, ...extra });

describe('decide: locked lists win over everything', () => {
  const everythingAllows = snap({
    profiles: testPolicy().profiles.map((p) => ({
      ...p,
      matrix: { ...p.matrix, illegal_csam: { level: 'acceptable' }, illegal_terrorism: { level: 'acceptable' } },
    })),
    sanctions: [
      {
        id: 's',
        personId: 'person-pupil',
        kind: 'no_internet',
        from: '2026-01-01T00:00:00Z',
        until: '2027-01-01T00:00:00Z',
        stillAllowed: ['locked.example', 'hashed-locked.example'],
      },
    ],
    exceptions: ['locked.example', 'hashed-locked.example'].map((pattern) => ({
      id: `e-${pattern}`,
      schoolId: SCHOOL_ID,
      target: { kind: 'pattern' as const, pattern },
      appliesTo: { kind: 'school' as const },
      from: '2026-01-01T00:00:00Z',
      until: '2027-01-01T00:00:00Z',
    })),
    lists: ['locked.example', 'hashed-locked.example'].flatMap((pattern) => [
      entry('person', 'person-pupil', pattern, 'allow'),
      entry('group', 'group-7a', pattern, 'allow'),
      entry('school', SCHOOL_ID, pattern, 'allow'),
      entry('trust', TRUST_ID, pattern, 'allow'),
    ]),
  });

  it('blocks a plain locked entry (and subdomains) despite sanction allowance, exception, every list and an acceptable cell', () => {
    for (const target of ['locked.example', 'https://www.locked.example/page']) {
      const d = ask(everythingAllows, target);
      assert.equal(d.action, 'block', target);
      assert.equal(d.rule, 'locked_list');
      assert.equal(d.category, 'illegal_csam');
      assert.equal(d.alert, true);
    }
  });

  it('blocks a SHA-256 locked entry the same way', () => {
    const d = ask(everythingAllows, 'cdn.hashed-locked.example');
    assert.deepEqual([d.action, d.rule, d.category, d.alert], ['block', 'locked_list', 'illegal_terrorism', true]);
  });

  it('without the locked list the same policy allows the site', () => {
    const unlocked = compilePolicy(
      testPolicy(),
      compileLists([{ category: 'educational_games', domains: ['locked.example'], urls: [] }], []),
    );
    assert.equal(ask(unlocked, 'locked.example').action, 'allow');
  });
});

describe('decide: sanctions', () => {
  const sanctioned = snap({
    sanctions: [
      {
        id: 's',
        personId: 'person-pupil',
        kind: 'no_internet',
        from: '2026-11-20T00:00:00Z',
        until: '2026-11-27T00:00:00Z',
        stillAllowed: ['vle.example'],
      },
    ],
    exceptions: [
      {
        id: 'e',
        schoolId: SCHOOL_ID,
        target: { kind: 'pattern', pattern: 'edu.example' },
        appliesTo: { kind: 'school' },
        from: '2026-01-01T00:00:00Z',
        until: '2027-01-01T00:00:00Z',
      },
    ],
    lists: [entry('person', 'person-pupil', 'social.example', 'allow')],
  });

  it('blocks everything for the person, beating an exception and a person allow entry', () => {
    for (const target of ['edu.example', 'social.example', 'unlisted.example']) {
      const d = ask(sanctioned, target);
      assert.deepEqual([d.action, d.rule], ['block', 'sanction'], target);
    }
    assert.equal(ask(sanctioned, 'edu.example').category, 'educational_games', 'the site category is reported');
    assert.equal(ask(sanctioned, 'unlisted.example').category, null);
  });

  it('leaves stillAllowed hosts (and their subdomains) to the rest of the policy', () => {
    const d = ask(sanctioned, 'www.vle.example');
    assert.equal(d.action, 'allow');
    assert.notEqual(d.rule, 'sanction');
    assert.equal(ask(sanctioned, 'notvle.example').rule, 'sanction');
  });

  it('applies only to that person and only while active', () => {
    assert.equal(ask(sanctioned, 'edu.example', { personId: 'person-gamer' }).rule, 'exception');
    assert.equal(ask(sanctioned, 'edu.example', { at: new Date('2026-11-27T00:00:00Z') }).rule, 'exception');
  });
});

describe('decide: exceptions', () => {
  const policy = snap({
    lists: [entry('person', 'person-pupil', 'social.example', 'block')],
    exceptions: [
      {
        id: 'e1',
        schoolId: SCHOOL_ID,
        target: { kind: 'pattern', pattern: 'social.example' },
        appliesTo: { kind: 'group', groupId: 'group-7a' },
        from: '2026-11-24T00:00:00Z',
        until: '2026-11-25T00:00:00Z',
      },
      {
        id: 'e2',
        schoolId: SCHOOL_ID,
        target: { kind: 'category', category: 'games' },
        appliesTo: { kind: 'person', personId: 'person-pupil' },
        from: '2026-11-24T00:00:00Z',
        until: '2026-11-25T00:00:00Z',
      },
      {
        id: 'e3',
        schoolId: SCHOOL_ID,
        target: { kind: 'pattern', pattern: 'bet.example/maths' },
        appliesTo: { kind: 'school' },
        from: '2026-11-24T00:00:00Z',
        until: '2026-11-25T00:00:00Z',
      },
    ],
  });

  it('a pattern exception for the person’s group beats a person block entry', () => {
    const d = ask(policy, 'www.social.example', { at: LESSONS });
    assert.deepEqual([d.action, d.rule], ['allow', 'exception']);
    assert.match(d.detail, /social\.example/);
  });

  it('a category exception allows the category, for that person only', () => {
    assert.deepEqual([ask(policy, 'games.example').rule, ask(policy, 'games.example').category], ['exception', 'games']);
    const other = ask(policy, 'games.example', { personId: 'person-clubber' });
    assert.equal(other.rule, 'matrix', 'someone else falls to the matrix');
  });

  it('a URL-prefix exception covers that path only', () => {
    assert.equal(ask(policy, 'bet.example/maths/probability').action, 'allow');
    assert.equal(ask(policy, 'bet.example/poker').rule, 'matrix');
  });

  it('is in force from `from` up to, not including, `until`', () => {
    assert.equal(ask(policy, 'games.example', { at: new Date('2026-11-25T00:00:00Z') }).rule, 'matrix');
    assert.equal(ask(policy, 'games.example', { at: new Date('2026-11-23T23:59:59Z') }).rule, 'matrix');
    assert.equal(ask(policy, 'games.example', { at: new Date('2026-11-24T00:00:00Z') }).rule, 'exception');
  });
});

describe('decide: local lists', () => {
  it('person beats group beats school beats trust beats the matrix', () => {
    const levels: ListEntry[] = [
      entry('trust', TRUST_ID, 'bet.example', 'allow'),
      entry('school', SCHOOL_ID, 'bet.example', 'block', 'gambling'),
      entry('group', 'group-7a', 'bet.example', 'allow'),
      entry('person', 'person-pupil', 'bet.example', 'block', 'gambling'),
    ];
    const expected = [
      ['block', 'person_list'],
      ['allow', 'group_list'],
      ['block', 'school_list'],
      ['allow', 'trust_list'],
    ];
    for (let i = 0; i < levels.length; i += 1) {
      const d = ask(snap({ lists: levels.slice(0, levels.length - i) }), 'bet.example');
      assert.deepEqual([d.action, d.rule], expected[i], `with ${levels.length - i} levels`);
    }
    assert.equal(ask(snap(), 'bet.example').rule, 'matrix');
  });

  it('reports a block entry’s category, or null', () => {
    const d = ask(snap({ lists: [entry('school', SCHOOL_ID, 'shop.example', 'block', 'extremism')] }), 'shop.example');
    assert.deepEqual([d.category, d.alert, d.detail], ['extremism', true, 'school block list entry shop.example']);
    assert.equal(ask(snap({ lists: [entry('school', SCHOOL_ID, 'shop.example', 'block')] }), 'shop.example').category, null);
  });

  it('within a level, the most specific entry wins and on a tie block beats allow', () => {
    const policy = snap({
      lists: [
        entry('school', SCHOOL_ID, 'example.org', 'allow'),
        entry('school', SCHOOL_ID, 'ads.example.org', 'block'),
        entry('school', SCHOOL_ID, 'video.example', 'block'),
        entry('school', SCHOOL_ID, 'video.example/lessons', 'allow'),
        entry('school', SCHOOL_ID, 'video.example/lessons/private', 'block'),
        entry('school', SCHOOL_ID, 'tie.example', 'allow'),
        entry('school', SCHOOL_ID, 'TIE.example.', 'block'),
      ],
    });
    assert.equal(ask(policy, 'www.example.org').action, 'allow');
    assert.equal(ask(policy, 'x.ads.example.org').action, 'block');
    assert.equal(ask(policy, 'video.example').action, 'block');
    assert.equal(ask(policy, 'video.example/lessons/maths').action, 'allow');
    assert.equal(ask(policy, 'video.example/lessonsplan').action, 'block', 'a path prefix stops at a segment boundary');
    assert.equal(ask(policy, 'video.example/lessons/private/x').action, 'block');
    assert.equal(ask(policy, 'tie.example').action, 'block');
  });

  it('group and person entries apply only to their members; foreign school and trust entries are ignored', () => {
    const policy = snap({
      lists: [
        entry('group', 'group-7b', 'shop.example', 'block'),
        entry('person', 'person-gamer', 'edu.example', 'block'),
        entry('school', 'another-school', 'social.example', 'allow'),
        entry('trust', 'another-trust', 'social.example', 'allow'),
      ],
    });
    assert.equal(ask(policy, 'shop.example').rule, 'profile_default');
    assert.equal(ask(policy, 'shop.example', { personId: 'person-gamer' }).rule, 'group_list');
    assert.equal(ask(policy, 'edu.example').rule, 'matrix');
    assert.equal(ask(policy, 'social.example', { at: LESSONS }).action, 'block');
  });
});

describe('decide: the matrix', () => {
  const policy = snap();

  it('blocks an unacceptable category, explaining which cell', () => {
    const d = ask(policy, 'www.bet.example');
    assert.deepEqual([d.action, d.rule, d.category, d.alert], ['block', 'matrix', 'gambling', false]);
    assert.equal(d.detail, 'Gambling is unacceptable for KS3');
  });

  it('alerts on a block in an alerting category', () => {
    assert.equal(ask(policy, 'extreme.example').alert, true);
  });

  it('allows at_certain_times only inside the windows, in local time (GMT and BST)', () => {
    const at = (when: Date) => ask(policy, 'social.example', { at: when });
    assert.equal(at(LUNCH).action, 'allow');
    assert.equal(at(LUNCH).detail, 'Social media is allowed for KS3 at lunch, after school; now: lunch');
    assert.equal(at(LESSONS).action, 'block');
    assert.match(at(LESSONS).detail, /now: lessons$/);
    assert.equal(at(BST_LUNCH).action, 'allow', '11:40Z in June is 12:40 BST');
    assert.equal(at(BST_LESSONS).action, 'block', '12:40Z in June is 13:40 BST');
    assert.match(at(BST_LESSONS).detail, /now: lessons$/);
  });

  it('knows holidays, weekends and evenings', () => {
    const kindAt = (when: Date) => /now: (.*)$/.exec(ask(policy, 'social.example', { at: when }).detail)?.[1];
    assert.equal(kindAt(HOLIDAY), 'holiday');
    assert.equal(kindAt(SATURDAY), 'weekend');
    assert.equal(kindAt(EVENING), 'evening');
    const weekendOnly = snap({
      profiles: testPolicy().profiles.map((p) =>
        p.key === 'ks3' ? { ...p, matrix: { social_media: { level: 'at_certain_times', windows: ['weekend', 'holiday'] } } } : p,
      ),
    });
    assert.equal(ask(weekendOnly, 'social.example', { at: SATURDAY }).action, 'allow');
    assert.equal(ask(weekendOnly, 'social.example', { at: HOLIDAY }).action, 'allow');
    assert.equal(ask(weekendOnly, 'social.example', { at: LUNCH }).action, 'block');
  });

  it('allows nominated_users to nominated people and groups only', () => {
    assert.equal(ask(policy, 'games.example', { personId: 'person-gamer' }).action, 'allow');
    assert.equal(ask(policy, 'games.example', { personId: 'person-clubber' }).action, 'allow');
    const d = ask(policy, 'games.example');
    assert.deepEqual([d.action, d.detail], ['block', 'Online games (non-educational) is only for nominated users for KS3']);
  });

  it('warns when the cell says so', () => {
    const d = ask(policy, 'video.example');
    assert.deepEqual([d.action, d.rule, d.category], ['warn', 'matrix', 'video_streaming']);
  });

  it('takes the most restrictive result across the site’s categories', () => {
    const blocked = ask(policy, 'mixed.example');
    assert.deepEqual([blocked.action, blocked.category], ['block', 'gambling']);
    const warned = ask(policy, 'mixed2.example');
    assert.deepEqual([warned.action, warned.category], ['warn', 'video_streaming']);
    assert.equal(ask(policy, 'edu.example').action, 'allow');
  });

  it('falls to the profile default for a site in no covered category', () => {
    const d = ask(policy, 'shop.example');
    assert.deepEqual([d.action, d.rule, d.category], ['allow', 'profile_default', 'shopping']);
    const unlisted = ask(policy, 'unlisted.example');
    assert.deepEqual([unlisted.action, unlisted.rule, unlisted.category], ['allow', 'profile_default', null]);
    const guest = ask(policy, 'shop.example', { personId: null });
    assert.deepEqual([guest.action, guest.profileId], ['block', 'profile-guest']);
  });
});

describe('decide: who is asking', () => {
  const policy = snap({
    devices: [
      { id: 'dev-pupil', schoolId: SCHOOL_ID, name: 'Pupil laptop', address: '10.20.1.7', personId: 'person-pupil', profileId: null },
      {
        id: 'dev-staffroom',
        schoolId: SCHOOL_ID,
        name: 'Staff room PC',
        address: '2001:db8::10',
        personId: null,
        profileId: 'profile-staff',
      },
      { id: 'dev-mac', schoolId: SCHOOL_ID, name: 'By MAC', address: '00:11:22:33:44:55', personId: null, profileId: 'profile-staff' },
    ],
    subnets: [
      { id: 'net-school', schoolId: SCHOOL_ID, cidr: '10.20.0.0/16', profileId: 'profile-ks3' },
      { id: 'net-guest', schoolId: SCHOOL_ID, cidr: '10.20.99.0/24', profileId: 'profile-guest' },
      { id: 'net-v6', schoolId: SCHOOL_ID, cidr: 'fd00:1::/32', profileId: 'profile-staff' },
      { id: 'net-bad', schoolId: SCHOOL_ID, cidr: '10.0.0.0/33', profileId: 'profile-staff' },
    ],
    signIns: [
      { address: '10.20.5.5', personId: 'person-teacher', until: '2026-11-24T13:00:00Z' },
      { address: '10.20.1.7', personId: 'person-gamer', until: '2026-11-24T13:00:00Z' },
    ],
  });
  const from = (clientAddress: string, at = LUNCH, personId: string | null = null) =>
    decide(policy, { clientAddress, personId, target: 'social.example', at });

  it('a device’s person, with the device reported', () => {
    const d = from('::ffff:10.20.1.7', LESSONS);
    assert.deepEqual([d.personId, d.profileId, d.deviceId], ['person-pupil', 'profile-ks3', 'dev-pupil']);
  });

  it('an active sign-in beats the device’s person; a given person beats both', () => {
    assert.equal(from('10.20.1.7').personId, 'person-gamer');
    assert.equal(from('10.20.1.7', LUNCH, 'person-clubber').personId, 'person-clubber');
    const teacher = from('10.20.5.5');
    assert.deepEqual([teacher.personId, teacher.profileId], ['person-teacher', 'profile-staff']);
    const expired = from('10.20.5.5', new Date('2026-11-24T13:00:00Z'));
    assert.deepEqual([expired.personId, expired.profileId], [null, 'profile-ks3'], 'after `until` the subnet applies');
  });

  it('a device’s profile when no person is known', () => {
    const d = from('[2001:DB8:0::10]');
    assert.deepEqual([d.personId, d.profileId, d.deviceId], [null, 'profile-staff', 'dev-staffroom']);
  });

  it('the most specific subnet, IPv4 and IPv6, then the fallback', () => {
    assert.equal(from('10.20.3.3').profileId, 'profile-ks3');
    assert.equal(from('10.20.99.3').profileId, 'profile-guest');
    assert.equal(from('fd00:1:2::3').profileId, 'profile-staff');
    assert.equal(from('192.0.2.50').profileId, 'profile-guest');
    assert.equal(from('not an address').profileId, 'profile-guest');
  });
});

describe('snapshots', () => {
  const policy = snap({
    devices: [{ id: 'd', schoolId: SCHOOL_ID, name: 'PC', address: '10.0.0.9', personId: null, profileId: 'profile-staff' }],
    subnets: [{ id: 'n', schoolId: SCHOOL_ID, cidr: '172.16.0.0/12', profileId: 'profile-ks3' }],
    signIns: [{ address: '192.0.2.77', personId: 'person-pupil', until: '2026-11-24T13:00:00Z' }],
    lists: [entry('school', SCHOOL_ID, 'not a pattern', 'block'), entry('school', SCHOOL_ID, 'fine.example', 'block')],
  });

  it('say which people and addresses are theirs', async () => {
    const { snapshotClaimsAddress, snapshotInfo, snapshotKnowsPerson } = await import('./snapshot.js');
    assert.equal(snapshotKnowsPerson(policy, 'person-pupil'), true);
    assert.equal(snapshotKnowsPerson(policy, 'someone-else'), false);
    assert.equal(snapshotClaimsAddress(policy, '10.0.0.9', LUNCH), true);
    assert.equal(snapshotClaimsAddress(policy, '172.20.1.1', LUNCH), true);
    assert.equal(snapshotClaimsAddress(policy, '192.0.2.77', LUNCH), true);
    assert.equal(snapshotClaimsAddress(policy, '192.0.2.77', LESSONS), false, 'the sign-in has ended');
    assert.equal(snapshotClaimsAddress(policy, '192.0.2.78', LUNCH), false);
    const info = snapshotInfo(policy);
    assert.deepEqual(
      [
        info.schoolId,
        info.trustId,
        info.policyVersion,
        info.personCount,
        info.deviceCount,
        info.subnetCount,
        info.listEntryCount,
        info.skipped,
      ],
      [SCHOOL_ID, TRUST_ID, 7, 4, 1, 1, 1, 1],
    );
  });

  it('refuse a policy whose fallback profile is missing', () => {
    assert.throws(
      () => snap({ fallbackProfileId: 'nope' }),
      (e: any) => e.id === 'validation_failed',
    );
  });

  it('decide blocks a target that is not a host, and reports the policy version', () => {
    const d = ask(policy, 'not a host');
    assert.deepEqual([d.action, d.rule, d.policyVersion, d.schoolId], ['block', 'profile_default', 7, SCHOOL_ID]);
  });

  it('decide is pure: interleaved snapshots and repeated requests give the same answers', () => {
    const other = snap({ lists: [entry('school', SCHOOL_ID, 'bet.example', 'allow')] });
    const first = ask(policy, 'https://www.bet.example/x?y');
    ask(other, 'bet.example');
    ask(other, 'a.b.c.d.e.f.example');
    assert.deepEqual(ask(policy, 'https://www.bet.example/x?y'), first);
    assert.deepEqual([first.host, first.url], ['www.bet.example', 'www.bet.example/x']);
    assert.equal(ask(other, 'bet.example').action, 'allow');
  });
});

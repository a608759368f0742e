import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FilterPolicy, FilterRequest } from '../model.js';
import { decide } from './decide.js';
import { compileLists } from './lists.js';
import { compilePolicy, snapshotInfo } from './snapshot.js';
import { SCHOOL_ID, testPolicy } from './test-policy.js';

const lists = compileLists(
  [
    { category: 'educational_games', domains: ['edu.example', 'locked.example'], urls: [] },
    { category: 'self_harm', domains: ['harm.example'], urls: [] },
  ],
  [{ category: 'illegal_csam', source: 'IWF', plain: ['locked.example'], sha256: [] }],
);

/** Tuesday 24 November 2026, lunch in London. */
const AT = new Date('2026-11-24T12:40:00Z');
const TUTELA = 'tutela.school.example';

const snap = (overrides: Partial<FilterPolicy> = {}, openHosts: string[] = [TUTELA]) =>
  compilePolicy(testPolicy({ heldPersonIds: ['person-pupil'], ...overrides }), lists, { openHosts });
const ask = (snapshot: ReturnType<typeof snap>, target: string, extra: Partial<FilterRequest> = {}) =>
  decide(snapshot, { clientAddress: '192.0.2.1', personId: 'person-pupil', target, at: AT, ...extra });

describe('decide: a person held at the acceptable-use agreement', () => {
  it('is blocked everywhere with its own rule, and the detail says why and where to accept', () => {
    const snapshot = snap();
    for (const target of ['edu.example', 'uncategorised.example', 'https://edu.example/lesson?id=3']) {
      const d = ask(snapshot, target);
      assert.equal(d.action, 'block', target);
      assert.equal(d.rule, 'agreement_required', target);
      assert.equal(d.personId, 'person-pupil');
      assert.match(d.detail, /not accepted .*acceptable use agreement/);
      assert.match(d.detail, /\/agreements\/mine/);
    }
    assert.equal(ask(snapshot, 'edu.example').category, 'educational_games');
  });

  it('still reaches Tutela itself, by name or web address, but not a name under it or one that only ends like it', () => {
    const snapshot = snap();
    assert.notEqual(ask(snapshot, TUTELA).rule, 'agreement_required');
    assert.equal(ask(snapshot, TUTELA).action, 'allow');
    assert.equal(ask(snapshot, `https://${TUTELA}/agreements/mine`).action, 'allow');
    assert.equal(ask(snapshot, `other.${TUTELA}`).rule, 'agreement_required');
    assert.equal(ask(snapshot, `not${TUTELA}`).rule, 'agreement_required');
    // Tutela's name elsewhere in an address does not make it Tutela's.
    for (const trick of [
      `http://${TUTELA}@evil.example/`,
      `http://evil.example/${TUTELA}`,
      `http://evil.example/?next=${TUTELA}`,
      `${TUTELA}.evil.example`,
    ])
      assert.equal(ask(snapshot, trick).rule, 'agreement_required', trick);
    // Without Tutela's names the hold leaves nothing open at all.
    assert.equal(ask(snap({}, []), TUTELA).rule, 'agreement_required');
  });

  it('comes after the locked illegal lists: illegal content keeps its own block and alert', () => {
    const d = ask(snap(), 'locked.example');
    assert.equal(d.rule, 'locked_list');
    assert.equal(d.alert, true);
  });

  it('comes before sanctions, exceptions and allow lists', () => {
    const snapshot = snap({
      sanctions: [
        {
          id: 's',
          personId: 'person-pupil',
          kind: 'no_internet',
          from: '2026-01-01T00:00:00Z',
          until: '2027-01-01T00:00:00Z',
          stillAllowed: ['edu.example'],
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
      lists: [{ id: 'l', scope: 'person', scopeId: 'person-pupil', pattern: 'edu.example', action: 'allow', category: null }],
    });
    assert.equal(ask(snapshot, 'edu.example').rule, 'agreement_required');
  });

  it('is found however the filter identifies them: given, signed in at the block page, or owning the device', () => {
    const snapshot = snap({
      devices: [{ id: 'd1', schoolId: SCHOOL_ID, name: 'Laptop', address: '10.0.0.5', personId: 'person-pupil', profileId: null }],
      signIns: [{ address: '10.0.0.9', personId: 'person-pupil', until: '2026-11-24T15:00:00Z' }],
    });
    assert.equal(ask(snapshot, 'edu.example', { personId: null, clientAddress: '10.0.0.5' }).rule, 'agreement_required');
    assert.equal(ask(snapshot, 'edu.example', { personId: null, clientAddress: '10.0.0.9' }).rule, 'agreement_required');
    // The sign-in has run out: the address is nobody's, so nobody is held.
    const later = ask(snapshot, 'edu.example', { personId: null, clientAddress: '10.0.0.9', at: new Date('2026-11-24T16:00:00Z') });
    assert.notEqual(later.rule, 'agreement_required');
  });

  it('leaves everyone else as they were: another person, an unknown device, a school that holds nobody', () => {
    const snapshot = snap();
    const teacher = ask(snapshot, 'edu.example', { personId: 'person-teacher' });
    assert.equal(teacher.action, 'allow');
    assert.equal(teacher.rule, 'profile_default');
    const nobody = ask(snapshot, 'edu.example', { personId: null });
    assert.notEqual(nobody.rule, 'agreement_required');
    for (const policy of [{ heldPersonIds: [] }, { heldPersonIds: undefined }]) {
      const d = ask(snap(policy), 'edu.example');
      assert.equal(d.rule, 'matrix');
      assert.equal(d.action, 'allow');
    }
  });

  it('keeps only people the school knows, and counts them', () => {
    const snapshot = snap({ heldPersonIds: ['person-pupil', 'person-gone'] });
    assert.equal(snapshotInfo(snapshot).heldCount, 1);
    assert.equal(snapshotInfo(snap({ heldPersonIds: [] })).heldCount, 0);
  });
});

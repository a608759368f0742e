import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultProfileKey } from './resolve.js';

describe('the default profile from kind, year and roles', () => {
  it('follows the key stages for students', () => {
    const student = (yearGroup: number | null, phase = 'secondary') =>
      defaultProfileKey({ kind: 'student', yearGroup, roles: ['student'] }, phase);
    assert.deepEqual(
      [0, 1, 6, 7, 9, 10, 11, 12, 13].map((y) => student(y)),
      ['primary', 'primary', 'primary', 'ks3', 'ks3', 'ks4', 'ks4', 'sixth_form', 'sixth_form'],
    );
    assert.equal(student(null), 'ks3');
    assert.equal(student(null, 'primary'), 'primary');
  });

  it('gives staff, governors and staff-side roles the staff profile, everyone else the guest one', () => {
    const key = (kind: 'staff' | 'governor' | 'parent' | 'guest' | 'community', roles: string[] = []) =>
      defaultProfileKey({ kind, yearGroup: null, roles }, 'secondary');
    assert.equal(key('staff'), 'staff');
    assert.equal(key('governor'), 'staff');
    assert.equal(key('parent'), 'guest');
    assert.equal(key('guest'), 'guest');
    assert.equal(key('community'), 'guest');
    assert.equal(key('community', ['dsl']), 'staff');
    // A student who also holds a role is still filtered as a student.
    assert.equal(defaultProfileKey({ kind: 'student', yearGroup: 8, roles: ['staff'] }, 'secondary'), 'ks3');
  });
});

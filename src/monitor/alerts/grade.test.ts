import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_MONITOR_SETTINGS } from '../settings.js';
import { gradeMatch, raiseOneStep, withRisk } from './grade.js';

const { primary, ks3, sixth_form: sixthForm, staff } = DEFAULT_MONITOR_SETTINGS.profiles;

describe('gradeMatch', () => {
  it("takes the profile's severity for the category over the library's", () => {
    assert.equal(gradeMatch({ category: 'pornography', severity: 'medium' }, primary), 'high');
    assert.equal(gradeMatch({ category: 'pornography', severity: 'medium' }, ks3), 'medium');
    assert.equal(gradeMatch({ category: 'violence', severity: 'low' }, primary), 'medium');
  });

  it("drops matches below the profile's minimum", () => {
    assert.equal(gradeMatch({ category: 'drugs', severity: 'low' }, sixthForm), null);
    assert.equal(gradeMatch({ category: 'drugs', severity: 'low' }, staff), null);
    assert.equal(gradeMatch({ category: 'drugs', severity: 'low' }, ks3), 'low');
    assert.equal(gradeMatch({ category: 'drugs', severity: 'medium' }, sixthForm), 'medium');
  });

  it('lets an override lift a match over the minimum, or push it under', () => {
    const profile = { ...sixthForm, categorySeverity: { gambling: 'high' as const, drugs: 'low' as const } };
    assert.equal(gradeMatch({ category: 'gambling', severity: 'low' }, profile), 'high');
    assert.equal(gradeMatch({ category: 'drugs', severity: 'critical' }, profile), null);
  });
});

describe('risk accumulation', () => {
  it('raises one step at the threshold and not before', () => {
    assert.equal(ks3.riskThreshold, 3);
    assert.deepEqual(withRisk('medium', 1, ks3), { severity: 'medium', raised: false });
    assert.deepEqual(withRisk('medium', 2, ks3), { severity: 'medium', raised: false });
    assert.deepEqual(withRisk('medium', 3, ks3), { severity: 'high', raised: true });
    assert.deepEqual(withRisk('medium', 40, ks3), { severity: 'high', raised: true });
    assert.deepEqual(withRisk('low', 2, primary), { severity: 'medium', raised: true });
  });

  it('never goes above critical', () => {
    assert.equal(raiseOneStep('critical'), 'critical');
    assert.equal(raiseOneStep('high'), 'critical');
    assert.equal(raiseOneStep('low'), 'medium');
    assert.deepEqual(withRisk('critical', 10, ks3), { severity: 'critical', raised: false });
  });
});

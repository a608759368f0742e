import { RULES } from '../../../../src/access/policy';
import type { Me } from '../../types';

type Rule = keyof typeof RULES;
const hasRole = (me: Me, rule: Rule) => (RULES[rule].roles as readonly string[]).some((role) => me.roles.includes(role));

/**
 * The screens of the Governance section, each shown when the server's rule would let the person
 * in; the server still decides every request.
 */
export const GOVERNANCE_SECTIONS = [
  { path: 'policy', label: 'E-safety policy', show: (me: Me) => hasRole(me, 'policy.read') },
  { path: 'review', label: 'Filtering and monitoring review', show: (me: Me) => hasRole(me, 'review.read') },
  { path: 'report', label: "Governors' termly report", show: (me: Me) => hasRole(me, 'governance.report') },
] as const;

export type GovernancePath = (typeof GOVERNANCE_SECTIONS)[number]['path'];

export const governanceSectionsFor = (me: Me) => GOVERNANCE_SECTIONS.filter((s) => s.show(me));

export const canSeeGovernance = (me: Me) => governanceSectionsFor(me).length > 0;

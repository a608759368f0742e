import { RULES } from '../../../../src/access/policy';
import type { Me } from '../../types';

type Rule = keyof typeof RULES;
const hasRole = (me: Me, rule: Rule) => (RULES[rule].roles as readonly string[]).some((role) => me.roles.includes(role));

/**
 * The screens of the Agreements section, each shown when the server's rule would let the person
 * in; the server still decides every request.
 */
export const AGREEMENT_SECTIONS = [
  // Everyone has agreements of their own; parents also accept for young children.
  { path: 'mine', label: 'Your agreements', show: (_me: Me) => true },
  { path: 'coverage', label: 'Who has accepted', show: (me: Me) => hasRole(me, 'agreement.coverage') },
  { path: 'documents', label: 'Agreement texts', show: (me: Me) => hasRole(me, 'agreement.manage') || hasRole(me, 'agreement.coverage') },
  { path: 'consent', label: 'Image consent', show: (me: Me) => hasRole(me, 'consent.read') || me.roles.includes('parent') },
  {
    path: 'training',
    label: 'Training',
    show: (me: Me) => hasRole(me, 'training.read') || me.roles.some((r) => ['staff', 'governor'].includes(r)),
  },
] as const;

export type AgreementPath = (typeof AGREEMENT_SECTIONS)[number]['path'];

export const agreementSectionsFor = (me: Me) => AGREEMENT_SECTIONS.filter((s) => s.show(me));

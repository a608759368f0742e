import { RULES } from '../../../../src/access/policy';
import type { Me } from '../../types';

export type MonitorRule = Extract<keyof typeof RULES, `monitor.${string}`>;

/**
 * Mirrors the server's rules for showing a screen; the server still decides every request.
 * Alerts have no role list (the grant is per alert): the DSL team sees the queue, and the head
 * sees it for alerts about staff.
 */
export const mayDo = (me: Me, rule: MonitorRule): boolean => {
  if (rule === 'monitor.alert.read' || rule === 'monitor.alert.triage') return me.roles.includes('dsl') || me.roles.includes('head');
  return (RULES[rule].roles as readonly string[]).some((role) => me.roles.includes(role));
};

/** The screens of the Monitoring section, each with the rule that opens it. */
export const MONITORING_SECTIONS = [
  { path: 'alerts', label: 'Alerts', rule: 'monitor.alert.read' },
  { path: 'library', label: 'Keyword library', rule: 'monitor.keywords.read' },
  { path: 'reports', label: 'Reports', rule: 'monitor.report.read' },
  { path: 'sources', label: 'Sources', rule: 'monitor.sources.manage' },
  { path: 'settings', label: 'Settings', rule: 'monitor.settings.manage' },
] as const satisfies readonly { path: string; label: string; rule: MonitorRule }[];

export type MonitoringPath = (typeof MONITORING_SECTIONS)[number]['path'];

export const monitoringSectionsFor = (me: Me) => MONITORING_SECTIONS.filter((s) => mayDo(me, s.rule));

export const canSeeMonitoring = (me: Me): boolean => monitoringSectionsFor(me).length > 0;

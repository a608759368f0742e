import type { Me } from '../../types';
import { type FilterRule, mayDo } from './labels';

/** The screens of the Filtering section, each with the rule that opens it. */
export const FILTERING_SECTIONS = [
  { path: 'overview', label: 'Categories and lists', rule: 'filter.read' },
  { path: 'profiles', label: 'Profiles', rule: 'filter.read' },
  { path: 'times', label: 'Time windows', rule: 'filter.read' },
  { path: 'lists', label: 'Local lists', rule: 'filter.read' },
  { path: 'test', label: 'Test a URL', rule: 'filter.read' },
  { path: 'unblock-requests', label: 'Unblock requests', rule: 'filter.unblock.request' },
  { path: 'reports', label: 'Reported sites', rule: 'filter.reports.manage' },
  { path: 'changes', label: 'Change-control log', rule: 'filter.changelog.read' },
  { path: 'live', label: 'Live feed', rule: 'filter.activity.read' },
  { path: 'devices', label: 'Devices and subnets', rule: 'filter.read' },
  { path: 'sanctions', label: 'Sanctions', rule: 'filter.sanction.manage' },
  { path: 'settings', label: 'Settings', rule: 'filter.read' },
] as const satisfies readonly { path: string; label: string; rule: FilterRule }[];

export type FilteringPath = (typeof FILTERING_SECTIONS)[number]['path'];

export const filteringSectionsFor = (me: Me) => FILTERING_SECTIONS.filter((s) => mayDo(me, s.rule));

/** Anyone with any part of filtering sees the section: staff to ask for unblocks, governors to read the log. */
export const canSeeFiltering = (me: Me): boolean => filteringSectionsFor(me).length > 0;

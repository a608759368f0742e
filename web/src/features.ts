import { canSeeFiltering } from './pages/filtering/access';
import { canSeeGovernance } from './pages/governance/access';
import { canSeeMonitoring } from './pages/monitoring/access';
import { usesStudentForm, mayReport } from './pages/incidents/labels';
import type { Me } from './types';

/** A destination in the navigation; `show` mirrors what the server will allow, the server still decides. */
export interface NavItem {
  to: string;
  label: string;
  description: string;
  show: (me: Me) => boolean;
  comingSoon?: boolean;
}

const hasAny = (me: Me, roles: readonly string[]) => me.roles.some((r) => roles.includes(r));

export interface Upcoming {
  key: string;
  path: string;
  title: string;
  /** The roles that will use it; others are not shown it. */
  roles: readonly string[];
  summary: string;
}

/** Features on their way, shown as "coming soon" to the roles that will use them. None are waiting now. */
export const UPCOMING: readonly Upcoming[] = [];

export const upcomingFor = (me: Me) => UPCOMING.filter((u) => hasAny(me, u.roles));

/** Filtering is built: it sits in the navigation where its "coming soon" entry stood. */
const FILTERING: NavItem = {
  to: '/filtering',
  label: 'Filtering',
  description:
    'What is allowed by age, group and time of day, temporary unblock requests, reported sites, the live feed and the change-control log.',
  show: canSeeFiltering,
};

/** Monitoring is built: alerts, the keyword library, reports, sources and settings. */
const MONITORING: NavItem = {
  to: '/monitoring',
  label: 'Monitoring',
  description:
    'Alerts raised when online activity matches the keyword libraries, graded by severity; the library itself; the daily and weekly reports.',
  show: canSeeMonitoring,
};

/** The incident log is built: staff see the log, students the simpler way to report a concern. */
const INCIDENTS: readonly NavItem[] = [
  {
    to: '/incidents',
    label: 'Safeguarding incidents',
    description: 'Log a concern in under a minute, and follow the incidents you may read with their chronology and actions.',
    show: (me) => mayReport(me) && !usesStudentForm(me),
  },
  {
    to: '/incidents',
    label: 'Report a concern',
    description: 'Tell a trusted member of staff about bullying, abuse, misuse or something upsetting online.',
    show: (me) => usesStudentForm(me),
  },
  {
    to: '/incident-figures',
    label: 'Incident figures',
    description: 'Anonymised incident counts by category, year group, outcome and term, and the anonymised log: numbers, never names.',
    show: (me) => hasAny(me, ['dsl', 'head', 'governor', 'trust_admin']),
  },
];

export const NAV: readonly NavItem[] = [
  { to: '/', label: 'Home', description: 'Your overview.', show: () => true },
  { to: '/people', label: 'People', description: 'Find students, staff, parents and carers.', show: (me) => me.can.browseDirectory },
  {
    to: '/groups',
    label: 'Groups',
    description: 'Key stages, year groups, classes, tutor groups and staff teams.',
    show: (me) => me.can.browseDirectory,
  },
  {
    to: '/figures',
    label: 'School figures',
    description: 'How many people and groups the school has, without names.',
    show: (me) => me.can.seeStats,
  },
  ...INCIDENTS,
  MONITORING,
  FILTERING,
  {
    to: '/agreements',
    label: 'Agreements',
    description: 'Your acceptable-use agreements (and your children’s), image consent, who has accepted, and e-safety training records.',
    show: () => true,
  },
  {
    to: '/governance',
    label: 'Governance',
    description:
      "The e-safety policy with its generated tables and governors' approval, the annual filtering and monitoring review, and the governors' termly report.",
    show: canSeeGovernance,
  },
  ...UPCOMING.map(
    (u): NavItem => ({ to: u.path, label: u.title, description: u.summary, show: (me: Me) => hasAny(me, u.roles), comingSoon: true }),
  ),
  {
    to: '/import',
    label: 'Import',
    description: 'Bring in students, staff, parents and classes from your MIS.',
    show: (me) => me.can.importData,
  },
  { to: '/schools', label: 'Schools', description: "The trust's schools, and adding a new one.", show: (me) => me.can.manageTrust },
  {
    to: '/users',
    label: 'Users',
    description: 'Create sign-in accounts, reset passwords and two-step sign-in.',
    show: (me) => me.can.manageUsers,
  },
  { to: '/audit', label: 'Audit log', description: 'Who did what and when, in a tamper-evident log.', show: (me) => me.can.readAudit },
];

export const navFor = (me: Me): NavItem[] => [
  ...NAV.filter((item) => item.show(me)),
  {
    to: `/people/${me.personId}`,
    label: 'My details',
    description: 'Your own record, and your children if you are a parent or carer.',
    show: () => true,
  },
];

import { AppError } from '../errors/errors.js';
import { isRole, ROLES, type Role } from './roles.js';

/** Who is asking: built once per request from the session, trusted everywhere after. */
export interface Actor {
  accountId: string;
  username: string;
  personId: string;
  displayName: string;
  schoolId: string;
  trustId: string;
  roles: ReadonlySet<Role>;
  /** Students this person is a parent/carer of. */
  childIds: readonly string[];
}

/** A record the actor wants to act on. Every record carries its school so scope can be checked. */
export type Resource =
  | { type: 'school'; schoolId: string; trustId: string }
  | { type: 'person'; schoolId: string; trustId: string; personId: string }
  | { type: 'account'; schoolId: string; trustId: string; personId: string; roles: readonly Role[] }
  | {
      type: 'incident';
      schoolId: string;
      trustId: string;
      /** Whether the incident is about students or about staff: it decides who may see it. */
      subjectKind: 'student' | 'staff';
      reporterPersonId: string;
      subjectPersonIds: readonly string[];
    }
  | {
      type: 'monitor_alert';
      schoolId: string;
      trustId: string;
      /** Who the alert is about; null when the event could not be tied to a person. */
      personId: string | null;
      /** Alerts about staff go to the head as well; never to the member of staff themselves. */
      aboutStaff: boolean;
    };

interface Rule {
  summary: string;
  roles: readonly Role[];
  /** Extra record-level grant beyond the roles, e.g. "your own record". */
  alsoAllowed?: { summary: string; test: (actor: Actor, resource: Resource) => boolean };
  /** Extra record-level refusal that applies even to the roles above. */
  unless?: { summary: string; test: (actor: Actor, resource: Resource) => boolean };
}

const STAFF_SIDE: readonly Role[] = ['staff', 'dsl', 'network_manager', 'head', 'hr', 'trust_admin'];
const ADMINS: readonly Role[] = ['network_manager', 'head', 'trust_admin'];

const isSelf = (actor: Actor, r: Resource) => 'personId' in r && r.personId === actor.personId;
const isOwnChild = (actor: Actor, r: Resource) => 'personId' in r && r.personId !== null && actor.childIds.includes(r.personId);

/**
 * Who responds to an incident: the DSL team and the head for incidents about students; the
 * head and HR for incidents about staff. Never a member of staff the incident is about.
 */
const respondsTo = (a: Actor, r: Resource): boolean => {
  if (r.type !== 'incident') return a.roles.has('dsl') || a.roles.has('head') || a.roles.has('hr');
  if (r.subjectPersonIds.includes(a.personId)) return false;
  return r.subjectKind === 'student' ? a.roles.has('dsl') || a.roles.has('head') : a.roles.has('head') || a.roles.has('hr');
};
/**
 * Who sees a monitoring alert: the DSL team; for alerts about staff, the head too. Never the
 * person the alert is about, so a DSL's own searches reach a colleague instead.
 */
const seesAlert = (a: Actor, r: Resource): boolean => {
  if (r.type !== 'monitor_alert') return a.roles.has('dsl');
  if (r.personId !== null && r.personId === a.personId) return false;
  return a.roles.has('dsl') || (r.aboutStaff && a.roles.has('head'));
};
/** The record-level grant of everything a responder does, stated once so the rules cannot drift apart. */
const RESPONDERS = {
  summary:
    'the DSL team and the head for incidents about students; the head and HR for incidents about staff, never the member of staff it is about',
  test: respondsTo,
};
const isReporter = (a: Actor, r: Resource): boolean => r.type === 'incident' && r.reporterPersonId === a.personId;

/**
 * The single table of who may do what. Routes call `authorize`; docs/AUTHORISATION.md is
 * generated from this table and a test keeps the two equal.
 */
export const RULES = {
  'directory.browse': {
    summary: 'List and search people and groups, with names',
    roles: STAFF_SIDE,
  },
  'directory.stats': {
    summary: 'See counts of people and groups, without names',
    roles: [...STAFF_SIDE, 'governor'],
  },
  'person.read': {
    summary: "Read a person's record",
    roles: STAFF_SIDE,
    alsoAllowed: {
      summary: 'anyone may read their own record; a parent/carer may read their linked children',
      test: (a, r) => isSelf(a, r) || isOwnChild(a, r),
    },
  },
  'person.manage': {
    summary: 'Create and edit people, groups and role assignments',
    roles: ADMINS,
  },
  'user.admin': {
    summary: 'Create sign-in accounts, reset passwords and TOTP, disable accounts',
    roles: ADMINS,
    unless: {
      summary:
        "only a headteacher or trust administrator may act on a headteacher's account, and only a trust administrator on a trust administrator's",
      test: (a, r) =>
        r.type === 'account' &&
        ((r.roles.includes('trust_admin') && !a.roles.has('trust_admin')) ||
          (r.roles.includes('head') && !a.roles.has('head') && !a.roles.has('trust_admin'))),
    },
  },
  'directory.import': {
    summary: 'Import people, parent links and classes from MIS CSV exports',
    roles: ADMINS,
  },
  'audit.read': {
    summary: 'Read the audit log',
    roles: ['dsl', 'head', 'network_manager', 'trust_admin'],
  },
  'trust.manage': {
    summary: 'Add schools to the trust',
    roles: ['trust_admin'],
  },
  'school.manage': {
    summary: "Change the school's settings",
    roles: ['head', 'trust_admin'],
  },
  'incident.report': {
    summary: 'Log a safeguarding concern (students with a simpler form)',
    roles: ['student', 'staff', 'dsl', 'network_manager', 'head', 'hr', 'trust_admin'],
  },
  'incident.read': {
    summary: 'Read a safeguarding incident, its actions and its chronology (every read is audited)',
    roles: [],
    alsoAllowed: {
      summary:
        'the DSL team and the head for incidents about students; the head and HR for incidents about staff, never the member of staff it is about; the reporter reads their own report',
      test: (a, r) => respondsTo(a, r) || (isReporter(a, r) && !(r.type === 'incident' && r.subjectPersonIds.includes(a.personId))),
    },
  },
  'incident.respond': {
    summary: 'Triage an incident: record actions, sanctions, parents informed, corrections and the outcome',
    roles: [],
    alsoAllowed: RESPONDERS,
  },
  'incident.evidence': {
    summary: 'Upload, view and export evidence files of an incident (every one is in the chain of custody)',
    roles: [],
    alsoAllowed: RESPONDERS,
  },
  'incident.export': {
    summary:
      "Export a student's safeguarding file for a new school, or a person's subject-access export (only incidents the exporter may read; audited)",
    roles: ['dsl', 'head', 'hr'],
  },
  'incident.chronology': {
    summary: "See a student's chronology: their incidents, actions, internet sanctions and alerting blocks on one page",
    roles: ['dsl', 'head'],
  },
  'incident.retention.manage': {
    summary: 'Run the retention job and see archived incidents and past runs',
    roles: ['dsl', 'head'],
  },
  'incident.log.export': {
    summary: 'Export the anonymised incident log (no names, no free text) that the e-safety governor reviews',
    roles: ['dsl', 'head', 'governor', 'trust_admin'],
  },
  'incident.matrix.manage': {
    summary: "Edit the school's actions-and-sanctions matrix",
    roles: ['dsl', 'head'],
  },
  'incident.stats': {
    summary: 'See anonymised incident counts by category, year group, outcome and term',
    roles: ['dsl', 'head', 'governor', 'trust_admin'],
  },
  'filter.read': {
    summary: 'See the filtering policy: categories, lists, profiles and their matrix, time windows; test a URL as a person',
    roles: ['network_manager', 'dsl', 'head', 'trust_admin'],
  },
  'filter.manage': {
    summary: 'Change the filtering policy, local lists, devices and subnets; import category lists',
    roles: ['network_manager', 'trust_admin'],
  },
  'filter.changelog.read': {
    summary: 'Read and export the filtering change-control log',
    roles: ['network_manager', 'dsl', 'head', 'governor', 'trust_admin'],
  },
  'filter.unblock.request': {
    summary: 'Ask for a temporary unblock of a site or category for a class',
    roles: ['staff', 'dsl', 'network_manager', 'head', 'trust_admin'],
  },
  'filter.unblock.approve_technical': {
    summary: 'Approve or refuse an unblock request as the technical approver',
    roles: ['network_manager', 'trust_admin'],
  },
  'filter.unblock.approve_safeguarding': {
    summary: 'Approve or refuse an unblock request as the safeguarding approver',
    roles: ['dsl'],
  },
  'filter.reports.manage': {
    summary: 'Work the queue of over- and under-blocking reports',
    roles: ['network_manager', 'trust_admin'],
  },
  'filter.sanction.manage': {
    summary: "Remove or restore a person's internet access (a timed sanction)",
    roles: ['dsl', 'network_manager', 'head', 'trust_admin'],
  },
  'monitor.alert.read': {
    summary: 'See monitoring alerts and the captured text behind them (every view is audited)',
    roles: [],
    alsoAllowed: {
      summary:
        'the DSL team for alerts about students and unidentified users; the DSL team and the head for alerts about staff; never the person the alert is about',
      test: (a, r) => seesAlert(a, r),
    },
  },
  'monitor.alert.triage': {
    summary: 'Triage monitoring alerts: false positives, notes, closing, escalation to a safeguarding incident',
    roles: [],
    alsoAllowed: {
      summary: 'whoever may see the alert',
      test: (a, r) => seesAlert(a, r),
    },
  },
  'monitor.keywords.read': {
    summary: "See the keyword library, its versions and each entry's false-positive rate",
    roles: ['dsl', 'network_manager', 'head'],
  },
  'monitor.keywords.manage': {
    summary: 'Edit, import and export the keyword library (each change is a new version)',
    roles: ['dsl'],
  },
  'monitor.sources.manage': {
    summary: 'Add and revoke monitoring sources: capture API keys, syslog senders',
    roles: ['dsl', 'network_manager', 'trust_admin'],
  },
  'monitor.settings.manage': {
    summary:
      'Set alert thresholds and severities per age profile, report times and how long activity and alerts are kept; run the retention purge',
    roles: ['dsl', 'head'],
  },
  'monitor.report.read': {
    summary: 'Read the daily internet-usage summary and the weekly monitoring report',
    roles: ['dsl', 'head'],
  },
  'agreement.accept': {
    summary: 'Read and accept an acceptable-use agreement: your own, or as a parent on behalf of your child',
    roles: [],
    alsoAllowed: { summary: 'the person themselves, or their parent or carer', test: (a, r) => isSelf(a, r) || isOwnChild(a, r) },
  },
  'agreement.manage': {
    summary: 'Write new versions of the acceptable-use agreements and set the yearly renewal',
    roles: ['head', 'trust_admin'],
  },
  'agreement.coverage': {
    summary: 'See who has not accepted the current agreement, by group and class; send reminders; export the list',
    roles: ['head', 'dsl', 'hr', 'trust_admin'],
  },
  'consent.read': {
    summary: "Look up pupils' image consent before publishing a photo (parents: their own children's)",
    roles: ['staff', 'dsl', 'network_manager', 'head', 'hr', 'trust_admin'],
    alsoAllowed: { summary: 'a parent or carer, for their own child', test: isOwnChild },
  },
  'consent.manage': {
    summary: 'Give or withdraw consent to images of a child, per use (every change is logged)',
    roles: ['head', 'trust_admin'],
    alsoAllowed: { summary: 'a parent or carer, for their own child', test: isOwnChild },
  },
  'training.read': {
    summary: 'See e-safety training records and who is overdue',
    roles: ['head', 'hr', 'dsl', 'governor', 'trust_admin'],
    alsoAllowed: { summary: 'a member of staff or governor, their own record', test: isSelf },
  },
  'training.manage': {
    summary: 'Record, import and correct training records; send reminders',
    roles: ['head', 'hr', 'trust_admin'],
  },
  'policy.read': {
    summary: 'Read the e-safety policy, its versions and its generated tables, and download it as HTML or PDF',
    roles: [...STAFF_SIDE, 'governor'],
  },
  'policy.manage': {
    summary: 'Write new versions of the e-safety policy, edit the communication technologies tables and the review schedule',
    roles: ['head', 'trust_admin'],
  },
  'policy.approve': {
    summary: "Record the governors' approval of a policy version (date and minute reference)",
    roles: ['head', 'governor', 'trust_admin'],
  },
  'review.read': {
    summary: 'Read the annual filtering and monitoring reviews and their check results',
    roles: ['head', 'dsl', 'network_manager', 'governor', 'trust_admin'],
  },
  'review.manage': {
    summary:
      'Carry out the annual filtering and monitoring review: name those responsible, record checks, run the automatic checks, record decisions',
    roles: ['head', 'dsl', 'network_manager', 'trust_admin'],
  },
  'review.signoff': {
    summary: 'Sign off the annual filtering and monitoring review',
    roles: ['head', 'governor', 'trust_admin'],
  },
  'governance.report': {
    summary: "Read and download the governors' termly report: anonymised figures, no names",
    roles: ['governor', 'head', 'dsl', 'trust_admin'],
  },
  'filter.activity.read': {
    summary: 'Watch the live decision feed and search filter activity',
    roles: ['network_manager', 'dsl', 'trust_admin'],
  },
} satisfies Record<string, Rule>;

export type Action = keyof typeof RULES;

function inScope(actor: Actor, resource: Resource): boolean {
  if (resource.schoolId === actor.schoolId) return true;
  return actor.roles.has('trust_admin') && resource.trustId === actor.trustId;
}

/**
 * True when the actor may take the action on the resource. School scope always applies: a
 * record of another school is refused unless the actor is that school's trust administrator.
 *
 * @example
 *   if (can(actor, 'person.read', { type: 'person', schoolId, trustId, personId })) ...
 */
export function can(actor: Actor, action: Action, resource: Resource): boolean {
  if (!inScope(actor, resource)) return false;
  const rule: Rule = RULES[action];
  if (rule.unless?.test(actor, resource)) return false;
  if (rule.roles.some((role) => actor.roles.has(role))) return true;
  return rule.alsoAllowed?.test(actor, resource) ?? false;
}

/** Throws `forbidden` unless `can` says yes. */
export function authorize(actor: Actor, action: Action, resource: Resource): void {
  if (!can(actor, action, resource)) {
    throw new AppError('forbidden', `Your role does not allow this (${action})`);
  }
}

/** The actor's own school as a resource, for school-wide actions. */
export const ownSchool = (actor: Actor): Resource => ({ type: 'school', schoolId: actor.schoolId, trustId: actor.trustId });

/** Markdown table of RULES, for docs/AUTHORISATION.md. */
export function rulesAsMarkdown(): string {
  const lines = ['| action | what it allows | roles | record-level rules |', '|---|---|---|---|'];
  for (const [action, rule] of Object.entries(RULES) as [Action, Rule][]) {
    const extra = [rule.alsoAllowed && `also: ${rule.alsoAllowed.summary}`, rule.unless && `except: ${rule.unless.summary}`]
      .filter(Boolean)
      .join('; ');
    const roles = ROLES.filter((r) => rule.roles.includes(r))
      .map((r) => `\`${r}\``)
      .join(', ');
    lines.push(`| \`${action}\` | ${rule.summary} | ${roles} | ${extra || '—'} |`);
  }
  return lines.join('\n');
}

/** Checks a list of role ids from a request; an unknown one is refused by name. */
export function parseRoles(values: readonly string[]): Role[] {
  const unknown = values.filter((r) => !isRole(r));
  if (unknown.length) throw new AppError('validation_failed', `Unknown role: ${unknown.join(', ')}. Roles are ${ROLES.join(', ')}.`);
  return [...new Set(values)] as Role[];
}

/**
 * Roles this actor may hand to someone in their own school: the `user.admin` rule asked role by
 * role. The import, the /me answer and the web forms all use this, so none keeps a copy of the rule.
 */
export function grantableRoles(actor: Actor): Role[] {
  return ROLES.filter((role) =>
    can(actor, 'user.admin', { type: 'account', schoolId: actor.schoolId, trustId: actor.trustId, personId: '', roles: [role] }),
  );
}

/**
 * The governors' termly report: what the e-safety policy asks the monitoring group to give the
 * governing board each term, built from the live records of one school. Every figure is a count
 * under a fixed label: no name, username, reference, address, site or anything anyone wrote.
 */
import type { Kysely } from 'kysely';
import { type Actor, authorize, ownSchool } from '../access/policy.js';
import { agreementCoverage } from '../agreements/coverage.js';
import { currentDocuments } from '../agreements/service.js';
import { recordAudit } from '../audit/service.js';
import { AGREEMENT_AUDIENCES, type AgreementAudience, type DB } from '../db/tables.js';
import { notFound } from '../errors/errors.js';
import { DEFAULT_ALERTING_CATEGORIES } from '../filter/categories.js';
import { filterCategoryLabel, monitorCategoryLabel } from '../monitor/reports/daily.js';
import { localDate, SCHOOL_TIME_ZONE } from '../monitor/reports/period.js';
import { MONITOR_CATEGORIES, SEVERITIES } from '../monitor/keywords/types.js';
import { INCIDENT_CATEGORIES } from '../safeguarding/categories.js';
import { type Conclusion, countsFor, type IncidentCounts } from '../safeguarding/insight/stats.js';
import { overdueReport } from '../training/overdue.js';
import { addYears } from '../training/rules.js';
import { previousTerm, recentTerms, type SchoolTerm, termAt, termById } from './terms.js';
import {
  dayText,
  type FigureRow,
  type FigureTable,
  type ReportFact,
  type ReportSection,
  type TermlyReport,
  type TermView,
} from './wire.js';

/** A stretch of time the figures cover, and the moment the standing figures (coverage) are read at. */
interface Span {
  start: Date;
  end: Date;
  asAt: Date;
  /** The school's local date of asAt. */
  asAtDay: string;
}

interface Scope {
  db: Kysely<DB>;
  schoolId: string;
  trustId: string;
  /** The reader: alerts and blocks about them are left out, as in every monitoring view. */
  readerPersonId: string;
  current: Span;
  previous: Span;
}

const count = (value: unknown) => Number(value ?? 0);

function spanOf(term: SchoolTerm, now: Date): Span {
  const end = term.end < now ? term.end : now;
  const asAt = new Date(end.getTime() - 1);
  return { start: term.start, end, asAt, asAtDay: localDate(asAt, SCHOOL_TIME_ZONE) };
}

/** Rows in a fixed order from two keyed counts, keeping a row that is zero in both only when asked. */
function rowsOf(
  keys: readonly string[],
  label: (key: string) => string,
  current: Record<string, number>,
  previous: Record<string, number>,
  keepZero = false,
): FigureRow[] {
  return keys
    .filter((k) => keepZero || (current[k] ?? 0) + (previous[k] ?? 0) > 0)
    .map((k) => ({ label: label(k), current: { count: current[k] ?? 0 }, previous: { count: previous[k] ?? 0 } }));
}

/** Keys known to a fixed list first, in its order, then any others sorted, so nothing counted is dropped. */
const orderedKeys = (known: readonly string[], ...records: Record<string, number>[]) => {
  const seen = new Set(records.flatMap((r) => Object.keys(r)));
  return [...known, ...[...seen].filter((k) => !known.includes(k)).sort()];
};

const total = (label: string, current: number, previous: number): FigureRow => ({
  label,
  current: { count: current },
  previous: { count: previous },
});

// Incidents ---------------------------------------------------------------------------------

const CONCLUSION_LABELS: Record<Conclusion, string> = {
  substantiated: 'Substantiated',
  not_substantiated: 'Not substantiated',
  under_investigation: 'Investigation under way',
  no_investigation: 'No investigation needed',
};
const INCIDENT_CATEGORY_LABELS = new Map<string, string>(INCIDENT_CATEGORIES.map((c) => [c.id, c.label]));
const yearGroupLabel = (key: string) => (key === 'unknown' ? 'Year not recorded' : key === '0' ? 'Reception' : `Year ${key}`);
const yearKeys = (...records: Record<string, number>[]) =>
  [...new Set(records.flatMap((r) => Object.keys(r)))].sort(
    (a, b) => (a === 'unknown' ? 99 : Number(a)) - (b === 'unknown' ? 99 : Number(b)),
  );

async function incidentSection(s: Scope): Promise<ReportSection> {
  const now: IncidentCounts = await countsFor(s.db, s.schoolId, s.current.start, s.current.end);
  const before: IncidentCounts = await countsFor(s.db, s.schoolId, s.previous.start, s.previous.end);
  const conclusions = Object.keys(CONCLUSION_LABELS) as Conclusion[];
  const tables: FigureTable[] = [
    { caption: 'Incidents recorded', rowHeading: 'Incidents', rows: [total('All incidents', now.total, before.total)] },
    {
      caption: 'By category',
      rowHeading: 'Category',
      rows: rowsOf(
        orderedKeys(
          INCIDENT_CATEGORIES.map((c) => c.id),
          now.byCategory,
          before.byCategory,
        ),
        (k) => INCIDENT_CATEGORY_LABELS.get(k) ?? k,
        now.byCategory,
        before.byCategory,
      ),
    },
    {
      caption: 'By who it was about',
      rowHeading: 'About',
      rows: rowsOf(['student', 'staff'], (k) => (k === 'student' ? 'Students' : 'Staff'), now.bySubjectKind, before.bySubjectKind, true),
    },
    {
      caption: 'By year group',
      rowHeading: 'Year group',
      rows: rowsOf(yearKeys(now.byYearGroup, before.byYearGroup), yearGroupLabel, now.byYearGroup, before.byYearGroup),
      note: 'Incidents about students only. An incident about students of two year groups counts once in each.',
    },
    {
      caption: 'By outcome',
      rowHeading: 'Outcome',
      rows: rowsOf(['open', 'closed'], (k) => (k === 'open' ? 'Still open' : 'Closed'), now.byOutcome, before.byOutcome, true),
    },
    {
      caption: 'By investigation conclusion',
      rowHeading: 'Conclusion',
      rows: rowsOf(conclusions, (k) => CONCLUSION_LABELS[k as Conclusion], now.byConclusion, before.byConclusion, true),
    },
  ];
  return {
    id: 'incidents',
    title: 'E-safety incidents (anonymised)',
    about:
      'Incidents recorded in the incident log that happened in the term, counted one way at a time. No names, references or descriptions.',
    facts: [],
    tables,
  };
}

// Filtering change control ------------------------------------------------------------------

const LIST_UPDATE_ENTITIES: Record<string, string> = {
  category_lists: 'Category block lists updated',
  locked_list: 'Locked lists refreshed (illegal content and terrorism)',
};
const CHANGE_KIND_LABELS: Record<string, string> = {
  settings: 'Filter settings',
  profile: 'Filtering profiles',
  matrix: 'Category rules of a profile',
  assignment: 'Who a profile applies to',
  calendar: 'School day times',
  holiday: 'Holidays',
  list_entry: 'Local allow and block lists',
  exception: 'Exceptions (temporary unblocks)',
  unblock_request: 'Unblock request decisions',
  sanction: 'Internet sanctions',
  device: 'Devices',
  subnet: 'Networks',
};
const UNBLOCK_ROWS = ['made', 'approved', 'declined', 'withdrawn'] as const;
const UNBLOCK_LABELS: Record<(typeof UNBLOCK_ROWS)[number], string> = {
  made: 'Requests made',
  approved: 'Approved',
  declined: 'Declined',
  withdrawn: 'Withdrawn by the requester',
};

async function changesIn(s: Scope, span: Span): Promise<Record<string, number>> {
  const rows = await s.db
    .selectFrom('filter_change_log')
    .select((eb) => ['entity', eb.fn.countAll().as('n')])
    .where('trust_id', '=', s.trustId)
    // The school's own changes and the trust- or installation-wide ones that also apply to it.
    .where((eb) => eb.or([eb('school_id', '=', s.schoolId), eb('school_id', 'is', null)]))
    .where('at', '>=', span.start.toISOString())
    .where('at', '<', span.end.toISOString())
    .groupBy('entity')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.entity, count(r.n)]));
}

async function unblocksIn(s: Scope, span: Span): Promise<Record<string, number>> {
  const [from, to] = [span.start.toISOString(), span.end.toISOString()];
  const made = await s.db
    .selectFrom('filter_unblock_requests')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('school_id', '=', s.schoolId)
    .where('created_at', '>=', from)
    .where('created_at', '<', to)
    .executeTakeFirst();
  const decided = await s.db
    .selectFrom('filter_unblock_requests')
    .select((eb) => ['status', eb.fn.countAll().as('n')])
    .where('school_id', '=', s.schoolId)
    .where('decided_at', '>=', from)
    .where('decided_at', '<', to)
    .groupBy('status')
    .execute();
  const of = (...statuses: string[]) => decided.filter((d) => statuses.includes(d.status)).reduce((sum, d) => sum + count(d.n), 0);
  // An approved request whose time has run out is still one that was approved.
  return { made: count(made?.n), approved: of('approved', 'expired'), declined: of('rejected'), withdrawn: of('withdrawn') };
}

async function siteReportsIn(s: Scope, span: Span): Promise<Record<string, number>> {
  const rows = await s.db
    .selectFrom('filter_reports')
    .select((eb) => ['kind', eb.fn.countAll().as('n')])
    .where('school_id', '=', s.schoolId)
    .where('created_at', '>=', span.start.toISOString())
    .where('created_at', '<', span.end.toISOString())
    .groupBy('kind')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.kind, count(r.n)]));
}

async function filteringSection(s: Scope): Promise<ReportSection> {
  const [changesNow, changesBefore] = [await changesIn(s, s.current), await changesIn(s, s.previous)];
  // Kinds added to the log later are counted together rather than shown by their internal names.
  const policyChanges = (r: Record<string, number>) => {
    const out: Record<string, number> = {};
    for (const [entity, n] of Object.entries(r)) {
      if (entity in LIST_UPDATE_ENTITIES) continue;
      const kind = entity in CHANGE_KIND_LABELS ? entity : 'other';
      out[kind] = (out[kind] ?? 0) + n;
    }
    return out;
  };
  const [policyNow, policyBefore] = [policyChanges(changesNow), policyChanges(changesBefore)];
  const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
  const [unblockNow, unblockBefore] = [await unblocksIn(s, s.current), await unblocksIn(s, s.previous)];
  const [reportsNow, reportsBefore] = [await siteReportsIn(s, s.current), await siteReportsIn(s, s.previous)];
  return {
    id: 'filtering',
    title: 'Filtering change control',
    about:
      'From the filtering change-control log, where every change is recorded with who made it, when and why. Counts only: the log itself is open to the e-safety governor in Filtering.',
    facts: [],
    tables: [
      {
        caption: 'Changes to filtering, by kind',
        rowHeading: 'What changed',
        rows: [
          total('All changes', sum(policyNow), sum(policyBefore)),
          ...rowsOf(
            [...Object.keys(CHANGE_KIND_LABELS), 'other'],
            (k) => CHANGE_KIND_LABELS[k] ?? 'Other filtering changes',
            policyNow,
            policyBefore,
          ),
        ],
      },
      {
        caption: 'Unblock requests',
        rowHeading: 'Requests',
        rows: rowsOf(UNBLOCK_ROWS, (k) => UNBLOCK_LABELS[k as (typeof UNBLOCK_ROWS)[number]], unblockNow, unblockBefore, true),
        note: 'Approved, declined and withdrawn count the decisions made in the term, whenever the request was made.',
      },
      {
        caption: 'Sites reported by staff and pupils',
        rowHeading: 'Report',
        rows: rowsOf(
          ['overblocked', 'underblocked'],
          (k) => (k === 'overblocked' ? 'Blocked but needed' : 'Not blocked but should be'),
          reportsNow,
          reportsBefore,
          true,
        ),
      },
      {
        caption: 'Block list updates',
        rowHeading: 'Update',
        rows: rowsOf(Object.keys(LIST_UPDATE_ENTITIES), (k) => LIST_UPDATE_ENTITIES[k]!, changesNow, changesBefore, true),
      },
    ],
  };
}

// Agreement coverage ------------------------------------------------------------------------

const AUDIENCE_LABELS: Record<AgreementAudience, string> = {
  ks1: 'Key stage 1 pupils',
  ks2: 'Key stage 2 pupils',
  secondary: 'Secondary students',
  staff: 'Staff and volunteers',
  parent: 'Parents and carers',
  community: 'Community users and guests',
};

async function agreementSection(s: Scope): Promise<ReportSection> {
  const published = await currentDocuments(s.db, s.schoolId);
  const coverage = async (audience: AgreementAudience, span: Span) => {
    const c = await agreementCoverage(s.db, s.schoolId, { audience, acceptedBy: span.asAt }, span.asAt);
    return { count: c.totals.accepted, of: c.totals.people };
  };
  const rows: FigureRow[] = [];
  for (const audience of AGREEMENT_AUDIENCES) {
    if (!published.has(audience)) continue;
    rows.push({
      label: AUDIENCE_LABELS[audience],
      current: await coverage(audience, s.current),
      previous: await coverage(audience, s.previous),
    });
  }
  return {
    id: 'agreements',
    title: 'Acceptable use agreements',
    about:
      "Of the people each agreement is for, how many have accepted its current version in the school year, as at the term's last day (today while the term runs).",
    facts: [],
    tables: [
      {
        caption: 'Agreement coverage',
        rowHeading: 'Agreement for',
        rows,
        note:
          rows.length === 0
            ? 'The school has not published an acceptable use agreement yet.'
            : "Last term's figure counts acceptances of the agreement in force now, made by the end of last term, among the people on roll now.",
      },
    ],
  };
}

// Training coverage -------------------------------------------------------------------------

async function trainingFigures(s: Scope, span: Span) {
  const all = await overdueReport(s.db, s.schoolId, span.asAtDay, { completedBy: span.asAtDay });
  const dsl = await overdueReport(s.db, s.schoolId, span.asAtDay, { kind: 'dsl', completedBy: span.asAtDay });
  const states = (kind: 'staff' | 'governor') => {
    const people = all.people.filter((p) => p.kind === kind);
    const n = (state: string) => people.filter((p) => p.state === state).length;
    return { people: people.length, up_to_date: n('up_to_date'), due_soon: n('due_soon'), overdue: n('overdue') };
  };
  return {
    staff: states('staff'),
    governor: states('governor'),
    dsl: { people: dsl.totals.people, inDate: dsl.totals.upToDate + dsl.totals.dueSoon },
  };
}

async function trainingSection(s: Scope): Promise<ReportSection> {
  const [now, before] = [await trainingFigures(s, s.current), await trainingFigures(s, s.previous)];
  const stateRows = (kind: 'staff' | 'governor'): FigureRow[] =>
    (
      [
        ['up_to_date', 'Up to date'],
        ['due_soon', 'Due within 30 days'],
        ['overdue', 'Overdue'],
      ] as const
    ).map(([state, label]) => ({
      label,
      current: { count: now[kind][state], of: now[kind].people },
      previous: { count: before[kind][state], of: before[kind].people },
    }));
  return {
    id: 'training',
    title: 'E-safety training',
    about:
      "Staff and governors against the training they must hold (an induction and a yearly refresher; DSL training every two years for a DSL), as at the term's last day (today while the term runs).",
    facts: [],
    tables: [
      { caption: 'Staff', rowHeading: 'Training', rows: stateRows('staff') },
      { caption: 'Governors', rowHeading: 'Training', rows: stateRows('governor') },
      {
        caption: 'Designated safeguarding leads',
        rowHeading: 'Training',
        rows: [
          {
            label: 'DSL training in date',
            current: { count: now.dsl.inDate, of: now.dsl.people },
            previous: { count: before.dsl.inDate, of: before.dsl.people },
          },
        ],
      },
    ],
  };
}

// Alert volumes -----------------------------------------------------------------------------

const OUTCOMES = ['open', 'closed', 'false_positive', 'escalated'] as const;
const OUTCOME_LABELS: Record<string, string> = {
  open: 'Still open',
  closed: 'Closed after review',
  false_positive: 'False positive',
  escalated: 'Escalated to an incident',
};
const SEVERITY_LABELS: Record<string, string> = { low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' };

async function alertsIn(s: Scope, span: Span) {
  const rows = await s.db
    .selectFrom('monitor_alerts')
    .select((eb) => ['category', 'severity', 'status', eb.fn.countAll().as('n')])
    .where('school_id', '=', s.schoolId)
    // Raised in the term, as the monitoring reports count them.
    .where('created_at', '>=', span.start.toISOString())
    .where('created_at', '<', span.end.toISOString())
    .where((eb) => eb.or([eb('person_id', 'is', null), eb('person_id', '!=', s.readerPersonId)]))
    .groupBy(['category', 'severity', 'status'])
    .execute();
  const by = (pick: (r: (typeof rows)[number]) => string) => {
    const out: Record<string, number> = {};
    for (const r of rows) out[pick(r)] = (out[pick(r)] ?? 0) + count(r.n);
    return out;
  };
  return {
    total: rows.reduce((a, r) => a + count(r.n), 0),
    category: by((r) => r.category),
    severity: by((r) => r.severity),
    status: by((r) => r.status),
  };
}

async function alertingBlocksIn(s: Scope, span: Span, alerting: string[]): Promise<Record<string, number>> {
  if (alerting.length === 0) return {};
  const rows = await s.db
    .selectFrom('activity_events')
    .select((eb) => ['category', eb.fn.countAll().as('n')])
    .where('school_id', '=', s.schoolId)
    .where('at', '>=', span.start.toISOString())
    .where('at', '<', span.end.toISOString())
    .where('action', '=', 'block')
    .where('category', 'in', alerting)
    .where((eb) => eb.or([eb('person_id', 'is', null), eb('person_id', '!=', s.readerPersonId)]))
    .groupBy('category')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.category ?? 'none', count(r.n)]));
}

async function alertingCategories(s: Scope): Promise<string[]> {
  const row = await s.db.selectFrom('filter_settings').select('alerting_categories').where('school_id', '=', s.schoolId).executeTakeFirst();
  // A school whose filter policy was never opened gets the default alerting categories when it is.
  const parsed: unknown = row ? JSON.parse(row.alerting_categories) : DEFAULT_ALERTING_CATEGORIES;
  return Array.isArray(parsed) ? parsed.filter((c): c is string => typeof c === 'string') : [];
}

async function alertSection(s: Scope): Promise<ReportSection> {
  const [now, before] = [await alertsIn(s, s.current), await alertsIn(s, s.previous)];
  const triaged = (a: typeof now) => (a.status.false_positive ?? 0) + (a.status.closed ?? 0) + (a.status.escalated ?? 0);
  const alerting = await alertingCategories(s);
  const [blocksNow, blocksBefore] = [await alertingBlocksIn(s, s.current, alerting), await alertingBlocksIn(s, s.previous, alerting)];
  const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
  return {
    id: 'alerts',
    title: 'Monitoring alerts',
    about:
      'Alerts the monitoring raised for the DSL team in the term, with where they stand now, and the filter blocks in the categories that alert the DSL. Alerts about the reader are left out, as in every monitoring view.',
    facts: [],
    tables: [
      {
        caption: 'Alerts by category',
        rowHeading: 'Category',
        rows: [
          total('All alerts', now.total, before.total),
          ...rowsOf(orderedKeys(MONITOR_CATEGORIES, now.category, before.category), monitorCategoryLabel, now.category, before.category),
        ],
      },
      {
        caption: 'Alerts by severity',
        rowHeading: 'Severity',
        rows: rowsOf(SEVERITIES, (k) => SEVERITY_LABELS[k] ?? k, now.severity, before.severity, true),
      },
      {
        caption: 'Alerts by outcome',
        rowHeading: 'Outcome',
        rows: [
          ...rowsOf(OUTCOMES, (k) => OUTCOME_LABELS[k] ?? k, now.status, before.status, true),
          {
            label: 'False-positive rate (of alerts reviewed)',
            current: { count: now.status.false_positive ?? 0, of: triaged(now) },
            previous: { count: before.status.false_positive ?? 0, of: triaged(before) },
          },
        ],
      },
      {
        caption: 'Filter blocks that alerted the DSL',
        rowHeading: 'Category',
        rows: [
          total('All alerting blocks', sum(blocksNow), sum(blocksBefore)),
          ...rowsOf(orderedKeys(alerting, blocksNow, blocksBefore), filterCategoryLabel, blocksNow, blocksBefore),
        ],
        note: 'Blocked requests in the categories the school marks as alerting, counted request by request.',
      },
    ],
  };
}

// Policy and review status ------------------------------------------------------------------

async function policySection(s: Scope, today: string): Promise<ReportSection> {
  const policy = await s.db
    .selectFrom('policy_versions')
    .select(['version', 'approved_on', 'next_review_on'])
    .where('school_id', '=', s.schoolId)
    .where('status', '=', 'approved')
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  const review = await s.db
    .selectFrom('filter_reviews')
    .select(['signed_off_at'])
    .where('school_id', '=', s.schoolId)
    .where('status', '=', 'signed_off')
    .where('signed_off_at', 'is not', null)
    .orderBy('signed_off_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const due = (day: string) => `${dayText(day)}${day < today ? ' (overdue)' : ''}`;
  const facts: ReportFact[] = [];
  if (policy) {
    facts.push({ label: 'E-safety policy in force', value: `Version ${policy.version}` });
    facts.push({ label: 'Approved by governors on', value: policy.approved_on ? dayText(policy.approved_on) : 'Not recorded' });
    facts.push({ label: 'Policy review due', value: policy.next_review_on ? due(policy.next_review_on) : 'Not set' });
  } else facts.push({ label: 'E-safety policy in force', value: 'No version approved by governors yet' });
  if (review?.signed_off_at) {
    const signedOn = localDate(new Date(review.signed_off_at), SCHOOL_TIME_ZONE);
    facts.push({ label: 'Filtering and monitoring review signed off', value: dayText(signedOn) });
    facts.push({ label: 'Next filtering and monitoring review due', value: due(addYears(signedOn, 1)) });
  } else facts.push({ label: 'Filtering and monitoring review signed off', value: 'No review signed off yet' });
  return {
    id: 'policy',
    title: 'Policy and review',
    about: 'The e-safety policy the governors approved last, and the yearly filtering and monitoring review, as they stand today.',
    facts,
    tables: [],
  };
}

// The report --------------------------------------------------------------------------------

const termView = (t: SchoolTerm): TermView => ({ id: t.id, label: t.label, firstDay: t.firstDay, lastDay: t.lastDay });

/**
 * The report for one term of the actor's own school (the current term to date when none is
 * named), each figure beside the previous term's. Audited as a read, or as an export when it
 * is being downloaded.
 *
 * @example
 *   const report = await termlyReport(db, actor, { termId: 'autumn-2026' }, { ip, export: null }, now);
 */
export async function termlyReport(
  db: Kysely<DB>,
  actor: Actor,
  query: { termId?: string },
  client: { ip: string | null; export: 'pdf' | 'html' | null },
  now: Date,
): Promise<TermlyReport> {
  authorize(actor, 'governance.report', ownSchool(actor));
  const term = query.termId === undefined ? termAt(now) : termById(query.termId, now);
  const before = previousTerm(term);
  const school = await db.selectFrom('schools').select('name').where('id', '=', actor.schoolId).executeTakeFirst();
  if (!school) throw notFound('School');
  const scope: Scope = {
    db,
    schoolId: actor.schoolId,
    trustId: actor.trustId,
    readerPersonId: actor.personId,
    current: spanOf(term, now),
    previous: spanOf(before, now),
  };
  const today = localDate(now, SCHOOL_TIME_ZONE);
  const sections = [
    await incidentSection(scope),
    await filteringSection(scope),
    await agreementSection(scope),
    await trainingSection(scope),
    await alertSection(scope),
    await policySection(scope, today),
  ];
  await recordAudit(db, {
    action: client.export ? 'governance.report.export' : 'governance.report.read',
    actor: { accountId: actor.accountId, username: actor.username },
    targetType: 'school',
    targetId: actor.schoolId,
    schoolId: actor.schoolId,
    ip: client.ip,
    details: client.export ? { term: term.id, format: client.export } : { term: term.id },
    at: now,
  });
  return {
    schoolName: school.name,
    term: { ...termView(term), throughDay: scope.current.asAtDay, toDate: term.end > now },
    previousTerm: termView(before),
    generatedAt: now.toISOString(),
    sections,
    terms: recentTerms(now).map(termView),
  };
}

/**
 * The DSL's triage queue: loading one alert for an actor, the list, the counts, the alert page
 * and the false-positive rate per entry. Every alert is authorised on its own record through
 * the `monitor.alert.*` rules, and every read of captured text is written to the audit log.
 */
import type { ExpressionBuilder, Kysely, Selectable } from 'kysely';
import { type Actor, can, type Resource } from '../../access/policy.js';
import { recordAudit } from '../../audit/service.js';
import type { DB, MonitorAlertTable } from '../../db/tables.js';
import { KEY_STAGE_YEARS, type KeyStage, keyStageOf } from '../../directory/key-stage.js';
import { forbidden, notFound } from '../../errors/errors.js';
import type { MonitorCategory, Severity } from '../keywords/types.js';
import type { AlertDetail, AlertStatus, AlertSummary } from './wire.js';
import { personName } from '../../directory/names.js';

export type { AlertDetail, AlertStatus, AlertSummary };

export type AlertRow = Selectable<MonitorAlertTable>;
export type AlertAction = 'monitor.alert.read' | 'monitor.alert.triage';
export type Client = { ip: string | null };

export const summaryOf = (r: AlertRow): AlertSummary => ({
  id: r.id,
  personId: r.person_id,
  who: r.who,
  profile: r.profile,
  category: r.category as MonitorCategory,
  severity: r.severity,
  baseSeverity: r.base_severity,
  riskRaised: Boolean(r.risk_raised),
  entryId: r.entry_id,
  term: r.term,
  matched: r.matched,
  source: r.source,
  eventKind: r.event_kind,
  excerpt: r.excerpt,
  highlightStart: Number(r.highlight_start),
  highlightEnd: Number(r.highlight_end),
  count: Number(r.count),
  firstAt: r.first_at,
  lastAt: r.last_at,
  status: r.status,
  incidentId: r.incident_id,
});

const actorRef = (actor: Actor) => ({ accountId: actor.accountId, username: actor.username });

async function trustIdOf(db: Kysely<DB>, schoolId: string): Promise<string> {
  const school = await db.selectFrom('schools').select('trust_id').where('id', '=', schoolId).executeTakeFirst();
  return school?.trust_id ?? '';
}

/** The alert as the authorisation table sees it. */
export const alertResource = (row: Pick<AlertRow, 'school_id' | 'person_id' | 'profile'>, trustId: string): Resource => ({
  type: 'monitor_alert',
  schoolId: row.school_id,
  trustId,
  personId: row.person_id,
  aboutStaff: row.profile === 'staff',
});

/**
 * Loads an alert for an actor: refuses as "not found" (so a refusal does not reveal that the
 * alert exists) unless the rule allows the action on this very alert. With `audit` the read
 * is written to the audit log; a refusal always is.
 *
 * @example
 *   const row = await loadAlertFor(ctx.db, actor, id, 'monitor.alert.read', { ip }, now, true);
 */
export async function loadAlertFor(
  db: Kysely<DB>,
  actor: Actor,
  id: string,
  action: AlertAction,
  client: Client,
  at: Date,
  audit: boolean,
): Promise<AlertRow> {
  const row = await db.selectFrom('monitor_alerts').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Alert');
  if (!can(actor, action, alertResource(row, await trustIdOf(db, row.school_id)))) {
    await recordAudit(db, {
      action: 'monitor.alert.read_refused',
      actor: actorRef(actor),
      targetType: 'monitor_alert',
      targetId: id,
      schoolId: row.school_id,
      ip: client.ip,
      details: { wanted: action },
      at,
    });
    throw notFound('Alert');
  }
  if (audit) {
    await recordAudit(db, {
      action: 'monitor.alert.read',
      actor: actorRef(actor),
      targetType: 'monitor_alert',
      targetId: id,
      schoolId: row.school_id,
      ip: client.ip,
      at,
    });
  }
  return row;
}

export interface AlertQuery {
  status: AlertStatus | 'all';
  category?: string;
  severity?: Severity;
  groupId?: string;
  personId?: string;
  limit: number;
  offset: number;
}

/** Refuses roles that see no alert at all (the DSL team does; the head sees alerts about staff). */
export function assertSeesAlerts(actor: Actor): void {
  const anyStaffAlert: Resource = {
    type: 'monitor_alert',
    schoolId: actor.schoolId,
    trustId: actor.trustId,
    personId: null,
    aboutStaff: true,
  };
  if (!can(actor, 'monitor.alert.read', anyStaffAlert)) throw forbidden('Only the DSL team sees monitoring alerts');
}

/**
 * The alerts of the actor's school the actor may see, narrowed in SQL the way the
 * `monitor.alert.read` rule reads (so totals and pages are right), then asked of the rule row
 * by row as well. Refused outright for roles that see no alerts at all.
 */
function visibleAlerts(db: Kysely<DB>, actor: Actor) {
  assertSeesAlerts(actor);
  let query = db
    .selectFrom('monitor_alerts')
    .where('monitor_alerts.school_id', '=', actor.schoolId)
    .where((eb) => eb.or([eb('monitor_alerts.person_id', 'is', null), eb('monitor_alerts.person_id', '!=', actor.personId)]));
  if (!actor.roles.has('dsl')) query = query.where('monitor_alerts.profile', '=', 'staff');
  return query;
}

async function groupMembersFilter(db: Kysely<DB>, schoolId: string, groupId: string) {
  const group = await db.selectFrom('groups').selectAll().where('id', '=', groupId).executeTakeFirst();
  if (!group || group.school_id !== schoolId) throw notFound('Group');
  const years: [number, number] | null =
    group.kind === 'year_group' && group.year_group !== null
      ? [group.year_group, group.year_group]
      : group.kind === 'key_stage'
        ? (KEY_STAGE_YEARS[group.code as KeyStage] ?? null)
        : null;
  // Year groups and key stages are derived from the people's year, as the directory does.
  if (years) {
    return db
      .selectFrom('people')
      .select('id')
      .where('school_id', '=', schoolId)
      .where('kind', '=', 'student')
      .where('year_group', '>=', years[0])
      .where('year_group', '<=', years[1]);
  }
  return db.selectFrom('group_members').select('person_id as id').where('group_id', '=', groupId);
}

const severityOrder = (eb: ExpressionBuilder<DB, 'monitor_alerts'>) =>
  eb
    .case()
    .when('monitor_alerts.severity', '=', 'critical')
    .then(0)
    .when('monitor_alerts.severity', '=', 'high')
    .then(1)
    .when('monitor_alerts.severity', '=', 'medium')
    .then(2)
    .else(3)
    .end();

/**
 * The queue: critical first, then the most recent. One audit entry names every alert shown.
 *
 * @example
 *   const { alerts, total } = await listAlerts(db, actor, { status: 'open', limit: 50, offset: 0 }, { ip }, now);
 */
export async function listAlerts(
  db: Kysely<DB>,
  actor: Actor,
  q: AlertQuery,
  client: Client,
  at: Date,
): Promise<{ alerts: AlertSummary[]; total: number }> {
  let query = visibleAlerts(db, actor);
  if (q.status !== 'all') query = query.where('monitor_alerts.status', '=', q.status);
  if (q.category) query = query.where('monitor_alerts.category', '=', q.category);
  if (q.severity) query = query.where('monitor_alerts.severity', '=', q.severity);
  if (q.personId) query = query.where('monitor_alerts.person_id', '=', q.personId);
  if (q.groupId) {
    const members = await groupMembersFilter(db, actor.schoolId, q.groupId);
    query = query.where('monitor_alerts.person_id', 'in', members);
  }
  const counted = await query.select((eb) => eb.fn.countAll<number | string>().as('total')).executeTakeFirst();
  const rows = await query
    .selectAll('monitor_alerts')
    .orderBy(severityOrder)
    .orderBy('monitor_alerts.last_at', 'desc')
    .orderBy('monitor_alerts.id')
    .limit(q.limit)
    .offset(q.offset)
    .execute();
  const trustId = await trustIdOf(db, actor.schoolId);
  const shown = rows.filter((r) => can(actor, 'monitor.alert.read', alertResource(r, trustId)));
  await recordAudit(db, {
    action: 'monitor.alert.list',
    actor: actorRef(actor),
    targetType: 'monitor_alert',
    schoolId: actor.schoolId,
    ip: client.ip,
    details: { ids: shown.map((r) => r.id), filter: { ...q } },
    at,
  });
  return { alerts: shown.map(summaryOf), total: Number(counted?.total ?? 0) };
}

/** Open alerts by severity, for the badge in the navigation: counts only, so not audited. */
export async function openCounts(db: Kysely<DB>, actor: Actor): Promise<Record<Severity, number>> {
  const rows = await visibleAlerts(db, actor)
    .where('monitor_alerts.status', '=', 'open')
    .select(['monitor_alerts.severity', (eb) => eb.fn.countAll<number | string>().as('n')])
    .groupBy('monitor_alerts.severity')
    .execute();
  const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const r of rows) counts[r.severity] = Number(r.n);
  return counts;
}

async function personOf(db: Kysely<DB>, schoolId: string, personId: string): Promise<AlertDetail['person']> {
  const person = await db.selectFrom('people').selectAll().where('id', '=', personId).where('school_id', '=', schoolId).executeTakeFirst();
  if (!person) return null;
  const member = await db
    .selectFrom('group_members')
    .innerJoin('groups', 'groups.id', 'group_members.group_id')
    .select('groups.name')
    .where('group_members.person_id', '=', personId)
    .where('groups.status', '=', 'active')
    .orderBy('groups.name')
    .execute();
  const stage = person.kind === 'student' ? keyStageOf(person.year_group) : null;
  const derived =
    person.kind === 'student' && person.year_group !== null
      ? await db
          .selectFrom('groups')
          .select('name')
          .where('school_id', '=', schoolId)
          .where('status', '=', 'active')
          .where((eb) =>
            eb.or([
              eb.and([eb('kind', '=', 'year_group'), eb('year_group', '=', person.year_group)]),
              eb.and([eb('kind', '=', 'key_stage'), eb('code', '=', stage ?? '')]),
            ]),
          )
          .orderBy('name')
          .execute()
      : [];
  return {
    id: person.id,
    name: personName(person),
    yearGroup: person.year_group,
    groups: [...derived, ...member].map((g) => g.name),
  };
}

/**
 * Everything the alert page shows. The caller has authorised and audited the read of the alert
 * itself; the related alerts shown beside it carry captured text too, so their ids are audited here.
 */
export async function alertDetail(db: Kysely<DB>, actor: Actor, row: AlertRow, client: Client, at: Date): Promise<AlertDetail> {
  const notes = await db.selectFrom('monitor_alert_notes').selectAll().where('alert_id', '=', row.id).orderBy('at').orderBy('id').execute();
  const resolver = row.resolved_by
    ? await db
        .selectFrom('people')
        .select(['given_name', 'preferred_name', 'family_name'])
        .where('id', '=', row.resolved_by)
        .executeTakeFirst()
    : undefined;
  let related = db.selectFrom('monitor_alerts').selectAll().where('school_id', '=', row.school_id).where('id', '!=', row.id);
  related = row.person_id
    ? related.where('person_id', '=', row.person_id)
    : related.where('person_id', 'is', null).where('who', '=', row.who);
  const trustId = await trustIdOf(db, row.school_id);
  const relatedRows = (await related.orderBy('last_at', 'desc').orderBy('id').limit(10).execute()).filter((r) =>
    can(actor, 'monitor.alert.read', alertResource(r, trustId)),
  );
  if (relatedRows.length > 0) {
    await recordAudit(db, {
      action: 'monitor.alert.list',
      actor: actorRef(actor),
      targetType: 'monitor_alert',
      schoolId: row.school_id,
      ip: client.ip,
      details: { ids: relatedRows.map((r) => r.id), relatedTo: row.id },
      at,
    });
  }
  return {
    ...summaryOf(row),
    device: row.device,
    url: row.url,
    fpReason: row.fp_reason,
    resolvedBy: resolver ? personName(resolver) : null,
    resolvedAt: row.resolved_at,
    keywordsVersion: Number(row.keywords_version),
    person: row.person_id ? await personOf(db, row.school_id, row.person_id) : null,
    notes: notes.map((n) => ({ id: n.id, authorName: n.author_name, at: n.at, text: n.text })),
    related: relatedRows.map(summaryOf),
  };
}

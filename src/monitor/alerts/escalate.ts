/**
 * Escalation: an alert becomes a safeguarding incident through the incident module's own
 * service, so its checks, reference numbers, audit and notifications all apply.
 */
import type { Kysely } from 'kysely';
import type { Actor } from '../../access/policy.js';
import { recordAudit } from '../../audit/service.js';
import type { DB } from '../../db/tables.js';
import { AppError } from '../../errors/errors.js';
import type { Mailer } from '../../notify/mailer.js';
import type { IncidentCategory, Urgency } from '../../safeguarding/categories.js';
import { createConcern, notifyNewConcern } from '../../safeguarding/concerns/index.js';
import type { MonitorCategory, Severity } from '../keywords/types.js';
import { CATEGORY_NAMES } from './critical.js';
import type { AlertRow, Client } from './service.js';

/** The nearest incident category for each monitoring category. */
export const INCIDENT_CATEGORY_FOR: Record<MonitorCategory, IncidentCategory> = {
  illegal: 'illegal_content',
  bullying: 'cyberbullying',
  child_exploitation: 'grooming_contact',
  discrimination: 'inappropriate_content',
  drugs: 'inappropriate_content',
  extremism: 'radicalisation',
  gambling: 'inappropriate_content',
  pornography: 'inappropriate_content',
  self_harm: 'self_harm_suicide',
  suicide: 'self_harm_suicide',
  violence: 'inappropriate_content',
};

const URGENCY_FOR: Record<Severity, Urgency> = { critical: 'urgent', high: 'high', medium: 'medium', low: 'low' };

export interface EscalationDraft {
  category: IncidentCategory;
  summary: string;
  description: string;
  subjectPersonIds: string[];
}

/**
 * The incident form, filled in from the alert: what matched, the excerpt, where and when, how
 * often. The DSL edits it before escalating.
 */
export function escalationDraft(row: AlertRow): EscalationDraft {
  const category = row.category as MonitorCategory;
  const name = CATEGORY_NAMES[category] ?? row.category;
  const times = Number(row.count) === 1 ? 'once' : `${row.count} times`;
  const description = [
    `Raised by monitoring (${name}, ${row.severity} severity${row.risk_raised ? `, raised from ${row.base_severity} by repeated alerts` : ''}).`,
    `Matched "${row.matched}" (library entry "${row.term}").`,
    `Excerpt: "${row.excerpt}"`,
    `Source: ${row.source} (${row.event_kind})${row.device ? ` on ${row.device}` : ''}.`,
    `First seen ${row.first_at}, last seen ${row.last_at}, ${times}.`,
  ].join('\n');
  return {
    category: INCIDENT_CATEGORY_FOR[category] ?? 'other',
    summary: `Monitoring alert: ${name} – "${row.matched}"`.slice(0, 200),
    description,
    subjectPersonIds: row.person_id ? [row.person_id] : [],
  };
}

/**
 * Creates the incident about the alert's person, reported by the actor, and links the alert
 * to it. The alert is claimed first (open → escalated), so two DSLs escalating at once make
 * one incident; if the incident cannot be created the claim is undone.
 *
 * @example
 *   const { incidentId } = await escalateAlert(db, mailer, actor, row, body, { ip }, now, log);
 */
export async function escalateAlert(
  db: Kysely<DB>,
  mailer: Mailer | null,
  actor: Actor,
  row: AlertRow,
  form: { category: string; summary: string; description: string },
  client: Client,
  now: Date,
  onMailError: (error: unknown) => void,
): Promise<{ incidentId: string }> {
  if (row.status !== 'open') {
    throw new AppError('monitor.alert_resolved', `Only an open alert can be escalated; this one is ${row.status.replace('_', ' ')}`);
  }
  if (!row.person_id) {
    throw new AppError(
      'validation_failed',
      'This alert is not tied to a person in the directory, and an incident must name who it is about. Log a concern by hand instead.',
    );
  }
  const person = await db
    .selectFrom('people')
    .select(['kind'])
    .where('id', '=', row.person_id)
    .where('school_id', '=', row.school_id)
    .executeTakeFirst();
  if (!person || (person.kind !== 'student' && person.kind !== 'staff')) {
    throw new AppError('validation_failed', 'An incident can only be about a student or a member of staff');
  }
  const claimed = await db
    .updateTable('monitor_alerts')
    .set({ status: 'escalated', resolved_by: actor.personId, resolved_at: now.toISOString() })
    .where('id', '=', row.id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) throw new AppError('monitor.alert_resolved', 'Someone else changed this alert a moment ago');

  let created: Awaited<ReturnType<typeof createConcern>>;
  try {
    // The sender's clock may run ahead; the incident module refuses times in the future.
    const occurredAt = row.first_at < now.toISOString() ? row.first_at : now.toISOString();
    created = await createConcern(
      db,
      actor,
      {
        subjectKind: person.kind,
        people: [{ personId: row.person_id, role: 'subject' }],
        summary: form.summary,
        description: form.description,
        occurredAt,
        location: 'in_school',
        category: form.category,
        urgency: URGENCY_FOR[row.severity],
      },
      client,
      now,
    );
  } catch (error) {
    await db
      .updateTable('monitor_alerts')
      .set({ status: 'open', resolved_by: null, resolved_at: null })
      .where('id', '=', row.id)
      .where('status', '=', 'escalated')
      .where('incident_id', 'is', null)
      .execute();
    throw error;
  }
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('monitor_alerts').set({ incident_id: created.id }).where('id', '=', row.id).execute();
    await recordAudit(trx, {
      action: 'monitor.alert.escalate',
      actor: { accountId: actor.accountId, username: actor.username },
      targetType: 'monitor_alert',
      targetId: row.id,
      schoolId: row.school_id,
      ip: client.ip,
      details: { incidentId: created.id, reference: created.reference, category: form.category },
      at: now,
    });
  });
  await notifyNewConcern(db, mailer, { ...created, category: form.category }, now, onMailError);
  return { incidentId: created.id };
}

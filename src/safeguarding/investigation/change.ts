import type { Kysely, Transaction } from 'kysely';
import type { Actor } from '../../access/policy.js';
import { recordAudit } from '../../audit/service.js';
import type { DB, IncidentInvestigationTable } from '../../db/tables.js';
import { AppError } from '../../errors/errors.js';
import type { IncidentRow } from '../access.js';
import { appendEntry } from '../response/entries.js';
import { type InvestigationRow, illegalSuspected, investigatorsOf, missingSteps, type Procedure, SENIOR_ROLES } from './view.js';

export interface ChangeContext {
  actor: Actor;
  ip: string | null;
  now: Date;
}

export const MAX_URLS = 50;

const HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}(?::\d{1,5})?(?:[/?#]\S*)?$/i;

/**
 * The addresses of the content: a full http(s) URL or a bare host such as example.com. Only
 * the address is kept, never the content, so nothing illegal is ever copied.
 */
export function checkUrls(urls: readonly string[]): string[] {
  if (urls.length > MAX_URLS) throw new AppError('validation_failed', `At most ${MAX_URLS} web addresses`);
  const clean: string[] = [];
  for (const raw of urls) {
    const url = raw.trim();
    if (!url) continue;
    let ok = false;
    if (/^[a-z][a-z0-9+.-]*:/i.test(url)) {
      try {
        const parsed = new URL(url);
        ok = (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '';
      } catch {
        ok = false;
      }
    } else {
      ok = HOST.test(url);
    }
    if (!ok)
      throw new AppError('validation_failed', `"${url.slice(0, 100)}" is not a web address (e.g. https://example.com/page or example.com)`);
    if (!clean.includes(url)) clean.push(url);
  }
  return clean;
}

/** The row as it is inside the transaction, refused once concluded: a conclusion is final. */
async function openRow(trx: Transaction<DB>, incidentId: string): Promise<InvestigationRow | undefined> {
  const row = await trx.selectFrom('incident_investigations').selectAll().where('incident_id', '=', incidentId).executeTakeFirst();
  if (row?.concluded_at) {
    throw new AppError('conflict', `This investigation was concluded on ${row.concluded_at.slice(0, 10)} and can no longer be changed`);
  }
  return row;
}

/** Police referral and isolation may come before the form is filled in, so they start a blank one. */
async function ensureRow(trx: Transaction<DB>, incident: IncidentRow, now: Date): Promise<InvestigationRow> {
  const row = await openRow(trx, incident.id);
  if (row) return row;
  const at = now.toISOString();
  const values: InvestigationRow = {
    incident_id: incident.id,
    procedure: illegalSuspected(incident) ? 'illegal' : 'standard',
    urls: '[]',
    content_description: '',
    designated_computer: null,
    police_referred_at: null,
    police_reference: null,
    police_referred_by: null,
    device_isolated_at: null,
    device_isolated_by: null,
    conclusion: null,
    actions_taken: null,
    concluded_at: null,
    concluded_by: null,
    created_at: at,
    updated_at: at,
  };
  await trx.insertInto('incident_investigations').values(values).execute();
  return values;
}

/** One change: the chronology line and the audit entry go in the same transaction as the change. */
async function record(
  trx: Transaction<DB>,
  incident: IncidentRow,
  c: ChangeContext,
  change: { action: string; body: string; details: Record<string, unknown> },
): Promise<void> {
  await appendEntry(trx, {
    incidentId: incident.id,
    kind: 'investigation',
    body: change.body,
    details: { change: change.action, ...change.details },
    authorPersonId: c.actor.personId,
    at: c.now,
  });
  await recordAudit(trx, {
    action: `incident.investigation.${change.action}`,
    actor: { accountId: c.actor.accountId, username: c.actor.username },
    targetType: 'incident',
    targetId: incident.id,
    schoolId: incident.school_id,
    ip: c.ip,
    details: change.details,
    at: c.now,
  });
}

export interface InvestigationForm {
  urls: readonly string[];
  contentDescription: string;
  designatedComputer?: string;
  suspectedIllegal?: boolean;
  suspectedCsam?: boolean;
}

/** Creates or updates the form; the procedure only ever moves from standard to illegal. */
export async function saveInvestigation(db: Kysely<DB>, incident: IncidentRow, form: InvestigationForm, c: ChangeContext): Promise<void> {
  const urls = checkUrls(form.urls);
  const description = form.contentDescription.trim();
  const computer = form.designatedComputer?.trim() || null;
  await db.transaction().execute(async (trx) => {
    const row = await openRow(trx, incident.id);
    const csam = Boolean(form.suspectedCsam) || incident.suspected_csam === 1;
    const procedure: Procedure =
      row?.procedure === 'illegal' || form.suspectedIllegal || csam || illegalSuspected(incident) ? 'illegal' : 'standard';
    const at = c.now.toISOString();
    const values: Partial<IncidentInvestigationTable> = {
      procedure,
      urls: JSON.stringify(urls),
      content_description: description,
      designated_computer: computer,
      updated_at: at,
    };
    if (!row) await ensureRow(trx, incident, c.now);
    await trx.updateTable('incident_investigations').set(values).where('incident_id', '=', incident.id).execute();
    // Never cleared: once someone has suspected child abuse imagery, evidence uploads must keep
    // refusing images, and un-suspecting it would let a copy be stored by the school.
    if (form.suspectedCsam && incident.suspected_csam !== 1) {
      await trx.updateTable('incidents').set({ suspected_csam: 1, updated_at: at }).where('id', '=', incident.id).execute();
    }
    const changes: string[] = [row ? 'Investigation form updated' : 'Investigation started'];
    if (procedure === 'illegal' && row?.procedure !== 'illegal') changes.push('illegal-content procedure now applies');
    if (form.suspectedCsam && incident.suspected_csam !== 1) changes.push('child sexual abuse imagery suspected');
    changes.push(`${urls.length} web address${urls.length === 1 ? '' : 'es'} recorded`);
    await record(trx, incident, c, {
      action: row ? 'update' : 'start',
      body: `${changes.join('; ')}.`,
      details: { procedure, urls, designatedComputer: computer, suspectedCsam: csam },
    });
  });
}

/** A member of staff of the incident's school; `senior` is fixed from the roles they hold today. */
export async function addInvestigator(db: Kysely<DB>, incident: IncidentRow, personId: string, c: ChangeContext): Promise<void> {
  const person = await db
    .selectFrom('people')
    .select(['id', 'school_id', 'kind', 'status', 'given_name', 'preferred_name', 'family_name'])
    .where('id', '=', personId)
    .executeTakeFirst();
  if (!person) throw new AppError('validation_failed', 'Unknown person: pick a member of staff from the list');
  if (person.school_id !== incident.school_id) throw new AppError('validation_failed', 'That person is not on the staff of this school');
  if (person.kind !== 'staff') throw new AppError('validation_failed', 'Only members of staff can investigate an incident');
  if (person.status !== 'active') throw new AppError('validation_failed', 'That member of staff has left the school');
  const subject = await db
    .selectFrom('incident_people')
    .select('person_id')
    .where('incident_id', '=', incident.id)
    .where('person_id', '=', personId)
    .where('role', '=', 'subject')
    .executeTakeFirst();
  if (subject) throw new AppError('validation_failed', 'A person this incident is about cannot investigate it');
  const roles = await db.selectFrom('person_roles').select('role').where('person_id', '=', personId).execute();
  const senior = roles.some((r) => (SENIOR_ROLES as readonly string[]).includes(r.role));
  const name = `${person.preferred_name ?? person.given_name} ${person.family_name}`;
  await db.transaction().execute(async (trx) => {
    await ensureRow(trx, incident, c.now);
    const already = await trx
      .selectFrom('incident_investigators')
      .select('person_id')
      .where('incident_id', '=', incident.id)
      .where('person_id', '=', personId)
      .executeTakeFirst();
    if (already) throw new AppError('conflict', `${name} is already an investigator`);
    await trx
      .insertInto('incident_investigators')
      .values({
        incident_id: incident.id,
        person_id: personId,
        senior: senior ? 1 : 0,
        added_by: c.actor.personId,
        added_at: c.now.toISOString(),
      })
      .execute();
    await trx
      .updateTable('incident_investigations')
      .set({ updated_at: c.now.toISOString() })
      .where('incident_id', '=', incident.id)
      .execute();
    await record(trx, incident, c, {
      action: 'investigator',
      body: `${name} added as ${senior ? 'a senior' : 'an'} investigator.`,
      details: { personId, senior },
    });
  });
}

/** Seed 002: illegal content is referred to the police at once; the reference is the proof. */
export async function recordPoliceReferral(
  db: Kysely<DB>,
  incident: IncidentRow,
  input: { reference: string; referredAt: Date },
  c: ChangeContext,
): Promise<void> {
  const reference = input.reference.trim();
  if (!reference) throw new AppError('validation_failed', 'Give the police reference (crime or incident number)');
  if (input.referredAt.getTime() > c.now.getTime()) throw new AppError('validation_failed', 'The referral cannot be in the future');
  await db.transaction().execute(async (trx) => {
    const row = await ensureRow(trx, incident, c.now);
    const at = input.referredAt.toISOString();
    await trx
      .updateTable('incident_investigations')
      .set({ police_reference: reference, police_referred_at: at, police_referred_by: c.actor.personId, updated_at: c.now.toISOString() })
      .where('incident_id', '=', incident.id)
      .execute();
    await record(trx, incident, c, {
      action: 'police',
      body: `${row.police_referred_at ? 'Police referral corrected' : 'Referred to the police'}: reference ${reference}, at ${at}.`,
      details: { reference, referredAt: at },
    });
  });
}

/** Seed 002: "any change to its state may hinder a later police investigation" — recorded once. */
export async function recordDeviceIsolated(
  db: Kysely<DB>,
  incident: IncidentRow,
  note: string | undefined,
  c: ChangeContext,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await ensureRow(trx, incident, c.now);
    if (row.device_isolated_at) throw new AppError('conflict', `The device was already recorded as isolated at ${row.device_isolated_at}`);
    const at = c.now.toISOString();
    await trx
      .updateTable('incident_investigations')
      .set({ device_isolated_at: at, device_isolated_by: c.actor.personId, updated_at: at })
      .where('incident_id', '=', incident.id)
      .execute();
    const text = note?.trim() || null;
    await record(trx, incident, c, {
      action: 'device_isolated',
      body: `Device isolated${row.designated_computer ? ` (${row.designated_computer})` : ''}${text ? `: ${text}` : ''}.`,
      details: { note: text },
    });
  });
}

/** The conclusion is refused until every step is done, and once made the form is final. */
export async function concludeInvestigation(
  db: Kysely<DB>,
  incident: IncidentRow,
  input: { conclusion: 'substantiated' | 'not_substantiated'; actionsTaken: string },
  c: ChangeContext,
): Promise<void> {
  const actionsTaken = input.actionsTaken.trim();
  await db.transaction().execute(async (trx) => {
    const row = await openRow(trx, incident.id);
    const investigators = await investigatorsOf(trx, incident.id);
    const procedure: Procedure = row?.procedure === 'illegal' || illegalSuspected(incident) ? 'illegal' : 'standard';
    const missing = missingSteps(row, procedure, investigators);
    if (!actionsTaken) missing.push('the actions taken');
    if (missing.length)
      throw new AppError('incident.not_ready', `Not ready to conclude. Still needed: ${missing.join('; ')}.`, { missing });
    const at = c.now.toISOString();
    await trx
      .updateTable('incident_investigations')
      .set({ conclusion: input.conclusion, actions_taken: actionsTaken, concluded_at: at, concluded_by: c.actor.personId, updated_at: at })
      .where('incident_id', '=', incident.id)
      .execute();
    await record(trx, incident, c, {
      action: 'conclude',
      body: `Investigation concluded: ${input.conclusion === 'substantiated' ? 'substantiated' : 'not substantiated'}. Actions taken: ${actionsTaken}`,
      details: { conclusion: input.conclusion },
    });
  });
}

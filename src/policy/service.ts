import type { Kysely, Selectable } from 'kysely';
import type { Actor } from '../access/policy.js';
import { recordAudit } from '../audit/service.js';
import { isUniqueViolation } from '../db/errors.js';
import { newId } from '../db/ids.js';
import type { DB, PolicyVersionTable } from '../db/tables.js';
import { AppError, notFound } from '../errors/errors.js';
import { isCalendarDate, schoolToday } from '../training/rules.js';
import { DEFAULT_MONITORING_CYCLE, DEFAULT_POLICY_MD, DEFAULT_POLICY_TITLE, DEFAULT_REVIEW_MONTHS, MAX_REVIEW_MONTHS } from './defaults.js';
import { changedTables } from './tables.js';
import type { PolicyDrift, PolicyTables, PolicyVersionSummary, PolicyVersionView, ReviewState } from './wire.js';

export type PolicyVersionRow = Selectable<PolicyVersionTable>;

/** The largest policy text a school may store, in bytes of UTF-8. */
export const MAX_POLICY_BYTES = 200 * 1024;

/** Reminders start this many days before the review date. */
export const REVIEW_DUE_DAYS = 30;

interface Who {
  actor: Actor | null;
  ip: string | null;
  now: Date;
}

const conflict = (message: string) => new AppError('conflict', message);

/** `YYYY-MM-DD` plus whole months, kept inside the month: 31 January plus one month is 28 or 29 February. */
export function addMonths(isoDate: string, months: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, lastDay));
  return first.toISOString().slice(0, 10);
}

const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** Where the review of the policy in force stands on `today`. */
export function reviewStatus(
  nextReviewOn: string | null,
  today: string,
): { state: ReviewState; nextReviewOn: string | null; daysLeft: number | null } {
  if (!nextReviewOn) return { state: 'not_approved', nextReviewOn: null, daysLeft: null };
  const daysLeft = daysBetween(today, nextReviewOn);
  const state: ReviewState = daysLeft < 0 ? 'overdue' : daysLeft <= REVIEW_DUE_DAYS ? 'due_soon' : 'ok';
  return { state, nextReviewOn, daysLeft };
}

export function summaryOf(r: PolicyVersionRow): PolicyVersionSummary {
  return {
    id: r.id,
    version: Number(r.version),
    status: r.status,
    changeNote: r.change_note,
    createdAt: r.created_at,
    approvedOn: r.approved_on,
    approvedByBody: r.approved_by_body,
    minuteRef: r.minute_ref,
    nextReviewOn: r.next_review_on,
  };
}

export function viewOf(r: PolicyVersionRow): PolicyVersionView {
  return {
    ...summaryOf(r),
    title: r.title,
    bodyMd: r.body_md,
    monitoringCycle: r.monitoring_cycle,
    reviewMonths: Number(r.review_months),
    createdBy: r.created_by,
    approvalRecordedAt: r.approval_recorded_at,
  };
}

async function audit(db: Kysely<DB>, action: string, schoolId: string, row: { id: string; version: number }, who: Who, details: object) {
  await recordAudit(db, {
    action,
    actor: who.actor,
    targetType: 'policy_version',
    targetId: row.id,
    schoolId,
    ip: who.ip,
    details: { version: row.version, ...details },
    at: who.now,
  });
}

/**
 * Gives a school that has no policy yet version 1 of the default text, as a draft for the head
 * to adapt and governors to approve. Two first reads may race; the unique version keeps one.
 */
export async function ensurePolicy(db: Kysely<DB>, schoolId: string, now: Date): Promise<void> {
  const any = await db.selectFrom('policy_versions').select('id').where('school_id', '=', schoolId).limit(1).executeTakeFirst();
  if (any) return;
  const row = draftRow(schoolId, 1, { title: DEFAULT_POLICY_TITLE, body_md: DEFAULT_POLICY_MD }, 'The default policy', null, now);
  await db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('policy_versions')
      .values(row)
      .onConflict((oc) => oc.columns(['school_id', 'version']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0)
      await audit(trx, 'policy.version.created', schoolId, row, { actor: null, ip: null, now }, { default: true });
  });
}

function draftRow(
  schoolId: string,
  version: number,
  from: Pick<PolicyVersionRow, 'title' | 'body_md'> & Partial<Pick<PolicyVersionRow, 'monitoring_cycle' | 'review_months'>>,
  changeNote: string,
  createdBy: string | null,
  now: Date,
): PolicyVersionRow {
  return {
    id: newId(),
    school_id: schoolId,
    version,
    title: from.title,
    body_md: from.body_md,
    change_note: changeNote,
    status: 'draft',
    created_at: now.toISOString(),
    created_by: createdBy,
    monitoring_cycle: from.monitoring_cycle ?? DEFAULT_MONITORING_CYCLE,
    review_months: Number(from.review_months ?? DEFAULT_REVIEW_MONTHS),
    approved_on: null,
    approved_by_body: null,
    minute_ref: null,
    approval_recorded_by: null,
    approval_recorded_at: null,
    next_review_on: null,
    approved_tables: null,
    due_reminder_for: null,
    overdue_reminder_for: null,
  };
}

export async function listVersions(db: Kysely<DB>, schoolId: string): Promise<PolicyVersionRow[]> {
  return db.selectFrom('policy_versions').selectAll().where('school_id', '=', schoolId).orderBy('version', 'desc').execute();
}

/** The latest approved version: the policy in force. */
export const currentOf = (versions: readonly PolicyVersionRow[]) => versions.find((v) => v.status === 'approved') ?? null;
/** The draft being written: a draft newer than the policy in force. */
export const draftOf = (versions: readonly PolicyVersionRow[]) => {
  const latest = versions[0];
  return latest?.status === 'draft' ? latest : null;
};

/** One of the school's versions; another school's is "not found", so ids cannot be probed. */
export async function loadVersion(db: Kysely<DB>, schoolId: string, id: string): Promise<PolicyVersionRow> {
  const row = await db.selectFrom('policy_versions').selectAll().where('id', '=', id).where('school_id', '=', schoolId).executeTakeFirst();
  if (!row) throw notFound('Policy version');
  return row;
}

/** Which generated tables differ from what governors approved with this version. */
export function driftOf(row: PolicyVersionRow, live: PolicyTables): PolicyDrift | null {
  if (row.status !== 'approved' || !row.approved_tables || !row.approved_on) return null;
  return {
    versionId: row.id,
    version: Number(row.version),
    approvedOn: row.approved_on,
    changed: changedTables(JSON.parse(row.approved_tables) as PolicyTables, live),
  };
}

function checkBody(bodyMd: string) {
  if (!bodyMd.trim()) throw new AppError('validation_failed', 'Invalid request: the policy text must not be empty');
  if (Buffer.byteLength(bodyMd, 'utf8') > MAX_POLICY_BYTES)
    throw new AppError('payload_too_large', 'The policy text is longer than 200 KB');
}

/**
 * Starts a new draft from the policy in force (or the latest version when none is approved
 * yet). One draft at a time: a second would fork the text.
 */
export async function createDraft(db: Kysely<DB>, schoolId: string, changeNote: string, who: Who): Promise<PolicyVersionRow> {
  await ensurePolicy(db, schoolId, who.now);
  const versions = await listVersions(db, schoolId);
  if (draftOf(versions)) throw conflict('A draft is already being written: edit it, or have governors approve it first');
  const from = currentOf(versions) ?? versions[0]!;
  const row = draftRow(schoolId, Number(versions[0]!.version) + 1, from, changeNote.trim(), who.actor?.personId ?? null, who.now);
  try {
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('policy_versions').values(row).execute();
      await audit(trx, 'policy.version.created', schoolId, row, who, { from: Number(from.version), changeNote: row.change_note });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('Someone else started a new version at the same moment: reload and edit theirs');
    throw error;
  }
  return row;
}

export interface DraftChanges {
  title?: string;
  bodyMd?: string;
  changeNote?: string;
  monitoringCycle?: string;
  reviewMonths?: number;
}

/** Changes a draft. An approved version is what governors approved, so it never changes (409). */
export async function updateDraft(db: Kysely<DB>, row: PolicyVersionRow, changes: DraftChanges, who: Who): Promise<PolicyVersionRow> {
  if (row.status !== 'draft') throw conflict('This version has been approved by governors and cannot change: start a new version');
  if (changes.bodyMd !== undefined) checkBody(changes.bodyMd);
  const trimmed = (value: string | undefined, what: string) => {
    if (value === undefined) return undefined;
    const t = value.trim();
    if (!t) throw new AppError('validation_failed', `Invalid request: the ${what} must not be empty`);
    return t;
  };
  const set = {
    title: trimmed(changes.title, 'title') ?? row.title,
    body_md: changes.bodyMd ?? row.body_md,
    change_note: changes.changeNote?.trim() ?? row.change_note,
    monitoring_cycle: trimmed(changes.monitoringCycle, 'monitoring cycle') ?? row.monitoring_cycle,
    review_months: changes.reviewMonths ?? Number(row.review_months),
  };
  return db.transaction().execute(async (trx) => {
    // Approval may have landed since the row was read: only a row still in draft is changed.
    const updated = await trx
      .updateTable('policy_versions')
      .set(set)
      .where('id', '=', row.id)
      .where('status', '=', 'draft')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) throw conflict('This version was approved meanwhile and can no longer change');
    const changed = Object.keys(changes).filter((k) => changes[k as keyof DraftChanges] !== undefined);
    await audit(trx, 'policy.version.updated', row.school_id, { id: row.id, version: Number(row.version) }, who, { changed });
    return { ...row, ...set };
  });
}

export interface Approval {
  approvedOn: string;
  approvedByBody: string;
  minuteRef: string;
  nextReviewOn?: string;
}

/**
 * Records that governors approved a draft: when, which body, and the minute. The version and
 * the tables as they stood become the approved policy; the next review falls `review_months`
 * after approval unless governors set a date.
 */
export async function approveVersion(
  db: Kysely<DB>,
  row: PolicyVersionRow,
  approval: Approval,
  tables: PolicyTables,
  who: Who,
): Promise<PolicyVersionRow> {
  if (row.status !== 'draft') throw conflict('This version has already been approved');
  const today = schoolToday(who.now);
  if (!isCalendarDate(approval.approvedOn)) {
    throw new AppError('validation_failed', `Invalid request: approvedOn "${approval.approvedOn}" is not a real date (use YYYY-MM-DD)`);
  }
  if (approval.approvedOn > today)
    throw new AppError('validation_failed', `Invalid request: approvedOn ${approval.approvedOn} is in the future`);
  const inForce = currentOf(await listVersions(db, row.school_id));
  if (inForce?.approved_on && approval.approvedOn < inForce.approved_on) {
    throw new AppError(
      'validation_failed',
      `Invalid request: version ${inForce.version} was approved on ${inForce.approved_on}; a later version cannot have been approved before it`,
    );
  }
  const body = approval.approvedByBody.trim();
  const minute = approval.minuteRef.trim();
  if (!body || !minute)
    throw new AppError('validation_failed', 'Invalid request: say which body approved it and give the minute reference');
  let nextReviewOn = addMonths(approval.approvedOn, Number(row.review_months));
  if (approval.nextReviewOn !== undefined) {
    if (!isCalendarDate(approval.nextReviewOn)) {
      throw new AppError(
        'validation_failed',
        `Invalid request: nextReviewOn "${approval.nextReviewOn}" is not a real date (use YYYY-MM-DD)`,
      );
    }
    if (approval.nextReviewOn <= approval.approvedOn) {
      throw new AppError('validation_failed', 'Invalid request: the next review must fall after the approval');
    }
    // The longest review period a draft may set: a later date would silence the review reminders.
    if (approval.nextReviewOn > addMonths(approval.approvedOn, MAX_REVIEW_MONTHS)) {
      throw new AppError(
        'validation_failed',
        `Invalid request: the next review must fall within ${MAX_REVIEW_MONTHS} months of the approval`,
      );
    }
    nextReviewOn = approval.nextReviewOn;
  }
  const set = {
    status: 'approved' as const,
    approved_on: approval.approvedOn,
    approved_by_body: body,
    minute_ref: minute,
    approval_recorded_by: who.actor?.personId ?? null,
    approval_recorded_at: who.now.toISOString(),
    next_review_on: nextReviewOn,
    approved_tables: JSON.stringify(tables),
  };
  return db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('policy_versions')
      .set(set)
      .where('id', '=', row.id)
      .where('status', '=', 'draft')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) throw conflict('This version was approved by someone else meanwhile');
    await audit(trx, 'policy.version.approved', row.school_id, { id: row.id, version: Number(row.version) }, who, {
      approvedOn: set.approved_on,
      approvedByBody: body,
      minuteRef: minute,
      nextReviewOn,
    });
    return { ...row, ...set };
  });
}

import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/service.js';
import type { DB, FilterReviewTable } from '../db/tables.js';
import { newId } from '../db/ids.js';
import { AppError, notFound } from '../errors/errors.js';
import { addDays, addYears, isCalendarDate, schoolToday } from '../training/rules.js';
import {
  type ChecklistItemId,
  CHECKLIST_IDS,
  isChecklistId,
  REVIEW_SLOTS,
  type ReviewReason,
  type ReviewSlot,
  SLOT_LABELS,
} from './checklist.js';
import { ReviewPeople } from './people.js';
import { hasRun, runResults, runSummaries } from './runs.js';
import type { ChecklistAnswer, ReviewAction, ReviewDetail, ReviewEdit, ReviewList, ReviewSummary } from './wire.js';

/** The stored checklist column: why the review is held, and the answers by item id. */
interface StoredChecklist {
  reason: ReviewReason;
  items: Partial<Record<ChecklistItemId, ChecklistAnswer>>;
}

export interface Who {
  actor: { accountId: string; username: string; personId: string };
  ip: string | null;
  now: Date;
}

const SLOT_COLUMNS: Record<ReviewSlot, 'slt_person_id' | 'governor_person_id' | 'dsl_person_id' | 'it_lead_person_id'> = {
  slt: 'slt_person_id',
  governor: 'governor_person_id',
  dsl: 'dsl_person_id',
  itLead: 'it_lead_person_id',
};

export const checklistOf = (row: FilterReviewTable): StoredChecklist => {
  const parsed = JSON.parse(row.checklist) as Partial<StoredChecklist>;
  return { reason: parsed.reason ?? 'annual', items: parsed.items ?? {} };
};
export const actionsOf = (row: FilterReviewTable): ReviewAction[] => JSON.parse(row.actions) as ReviewAction[];

/** The school-local date a time falls on. */
const dayOf = (iso: string) => schoolToday(new Date(iso));

export async function loadReview(db: Kysely<DB>, id: string): Promise<FilterReviewTable> {
  const row = await db.selectFrom('filter_reviews').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Review');
  return row;
}

function summaryOf(row: FilterReviewTable, people: ReviewPeople): ReviewSummary {
  return {
    id: row.id,
    title: row.title,
    reason: checklistOf(row).reason,
    status: row.status,
    startedAt: row.started_at,
    signedOffAt: row.signed_off_at,
    signedOffByName: people.name(row.signed_off_by),
  };
}

/** The school's reviews, newest first, and when the next one is due: a year after the last sign-off. */
export async function listReviews(db: Kysely<DB>, schoolId: string): Promise<ReviewList> {
  const [rows, people] = await Promise.all([
    db.selectFrom('filter_reviews').selectAll().where('school_id', '=', schoolId).orderBy('started_at', 'desc').orderBy('id').execute(),
    ReviewPeople.load(db, schoolId),
  ]);
  await people.alsoNaming(
    db,
    rows.map((r) => r.signed_off_by),
  );
  const signed = rows.map((r) => r.signed_off_at).filter((at): at is string => at !== null);
  const last = signed.sort().at(-1) ?? null;
  return {
    reviews: rows.map((r) => summaryOf(r, people)),
    lastSignedOffAt: last,
    nextDue: last === null ? null : addYears(dayOf(last), 1),
  };
}

/** What still stops sign-off, in words for the person signing. */
export function missingForSignOff(row: FilterReviewTable, anyRun: boolean): string[] {
  const missing: string[] = [];
  for (const slot of REVIEW_SLOTS) if (row[SLOT_COLUMNS[slot]] === null) missing.push(`name the ${SLOT_LABELS[slot].toLowerCase()}`);
  const items = checklistOf(row).items;
  const unanswered = CHECKLIST_IDS.filter((id) => !items[id]).length;
  if (unanswered > 0) missing.push(`answer ${unanswered} more checklist ${unanswered === 1 ? 'item' : 'items'}`);
  if (!anyRun) missing.push('run the automatic checks at least once');
  return missing;
}

/** The whole record: people, answers with who checked them, the latest check run and the history of runs. */
export async function reviewDetail(db: Kysely<DB>, row: FilterReviewTable): Promise<ReviewDetail> {
  const stored = checklistOf(row);
  const runners = await db.selectFrom('filter_review_checks').select('run_by').distinct().where('review_id', '=', row.id).execute();
  const people = await (await ReviewPeople.load(db, row.school_id)).alsoNaming(db, [
    ...REVIEW_SLOTS.map((slot) => row[SLOT_COLUMNS[slot]]),
    ...Object.values(stored.items).map((answer) => answer.checkedBy),
    ...actionsOf(row).map((action) => action.ownerId),
    row.signed_off_by,
    ...runners.map((r) => r.run_by),
  ]);
  const runs = await runSummaries(db, row.id, (id) => people.name(id));
  const named = (id: string) => people.name(id) ?? 'someone who has left';
  const checklist: ReviewDetail['checklist'] = {};
  for (const id of CHECKLIST_IDS) {
    const answer = stored.items[id];
    if (answer) checklist[id] = { ...answer, checkedByName: named(answer.checkedBy) };
  }
  return {
    ...summaryOf(row, people),
    people: {
      slt: people.ref(row.slt_person_id),
      governor: people.ref(row.governor_person_id),
      dsl: people.ref(row.dsl_person_id),
      itLead: people.ref(row.it_lead_person_id),
    },
    checklist,
    decisions: row.decisions,
    actions: actionsOf(row).map((a) => ({ ...a, ownerName: named(a.ownerId) })),
    signOff:
      row.signed_off_at && row.signed_off_by
        ? { at: row.signed_off_at, by: { id: row.signed_off_by, name: named(row.signed_off_by) }, note: row.signoff_note ?? '' }
        : null,
    latestRun: runs[0] ? await runResults(db, runs[0]) : null,
    runs,
    missing: row.status === 'open' ? missingForSignOff(row, runs.length > 0) : [],
    candidates: people.candidates(),
  };
}

const clean = (text: string) => text.trim();

export async function startReview(db: Kysely<DB>, schoolId: string, input: { title: string; reason: ReviewReason }, who: Who) {
  const title = clean(input.title);
  if (!title) throw new AppError('validation_failed', 'A review needs a title, e.g. "Annual review 2026-27".');
  const at = who.now.toISOString();
  const row: FilterReviewTable = {
    id: newId(),
    school_id: schoolId,
    title,
    status: 'open',
    slt_person_id: null,
    governor_person_id: null,
    dsl_person_id: null,
    it_lead_person_id: null,
    checklist: JSON.stringify({ reason: input.reason, items: {} } satisfies StoredChecklist),
    decisions: '',
    actions: '[]',
    started_at: at,
    started_by: who.actor.personId,
    updated_at: at,
    signed_off_at: null,
    signed_off_by: null,
    signoff_note: null,
  };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('filter_reviews').values(row).execute();
    await recordAudit(trx, {
      action: 'review.start',
      actor: who.actor,
      targetType: 'filter_review',
      targetId: row.id,
      schoolId,
      ip: who.ip,
      details: { title, reason: input.reason },
      at: who.now,
    });
  });
  return row;
}

export function assertOpen(row: FilterReviewTable): void {
  if (row.status !== 'open')
    throw new AppError('conflict', 'This review has been signed off and can no longer change. Start a new review instead.');
}

function checkDate(value: string, field: string): void {
  if (!isCalendarDate(value)) throw new AppError('validation_failed', `${field}: "${value}" is not a real date (use YYYY-MM-DD).`);
}

/** Applies an edit to an open review; people, dates and item ids are checked before anything is written. */
export async function updateReview(db: Kysely<DB>, row: FilterReviewTable, edit: ReviewEdit, who: Who): Promise<FilterReviewTable> {
  assertOpen(row);
  const people = await ReviewPeople.load(db, row.school_id);
  const changes: Partial<FilterReviewTable> = {};
  const changed: string[] = [];
  const stored = checklistOf(row);

  if (edit.title !== undefined) {
    const title = clean(edit.title);
    if (!title) throw new AppError('validation_failed', 'A review needs a title.');
    changes.title = title;
    changed.push('title');
  }
  for (const slot of REVIEW_SLOTS) {
    const id = edit.people?.[slot];
    if (id === undefined) continue;
    if (id !== null) people.requireFor(slot, id);
    changes[SLOT_COLUMNS[slot]] = id;
    changed.push(slot);
  }
  if (edit.checklist !== undefined || edit.reason !== undefined) {
    const items = { ...stored.items };
    const latest = addDays(schoolToday(who.now), 1);
    for (const [id, answer] of Object.entries(edit.checklist ?? {})) {
      if (!isChecklistId(id)) throw new AppError('validation_failed', `There is no checklist item "${id}".`);
      if (answer === null || answer === undefined) {
        delete items[id];
        continue;
      }
      const field = `Checklist "${id}"`;
      people.require(answer.checkedBy, `${field}, checked by`);
      checkDate(answer.checkedOn, `${field}, checked on`);
      if (answer.checkedOn > latest) throw new AppError('validation_failed', `${field}: checked on ${answer.checkedOn} is in the future.`);
      items[id] = { status: answer.status, checkedBy: answer.checkedBy, checkedOn: answer.checkedOn, notes: clean(answer.notes) };
    }
    changes.checklist = JSON.stringify({ reason: edit.reason ?? stored.reason, items } satisfies StoredChecklist);
    if (edit.reason !== undefined) changed.push('reason');
    if (edit.checklist !== undefined) changed.push(...Object.keys(edit.checklist).map((id) => `checklist.${id}`));
  }
  if (edit.decisions !== undefined) {
    changes.decisions = edit.decisions.trim();
    changed.push('decisions');
  }
  if (edit.actions !== undefined) {
    const actions = edit.actions.map((a, i) => {
      const field = `Action ${i + 1}`;
      const what = clean(a.what);
      if (!what) throw new AppError('validation_failed', `${field}: say what is to be done.`);
      people.require(a.ownerId, `${field}, owner`);
      checkDate(a.due, `${field}, due date`);
      return { what, ownerId: a.ownerId, due: a.due };
    });
    changes.actions = JSON.stringify(actions);
    changed.push('actions');
  }
  if (changed.length === 0) return row;
  changes.updated_at = who.now.toISOString();
  await db.transaction().execute(async (trx) => {
    // Guarded on status, so a sign-off that lands first wins and this edit changes nothing.
    const result = await trx
      .updateTable('filter_reviews')
      .set(changes)
      .where('id', '=', row.id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) assertOpen({ ...row, status: 'signed_off' });
    await recordAudit(trx, {
      action: 'review.update',
      actor: who.actor,
      targetType: 'filter_review',
      targetId: row.id,
      schoolId: row.school_id,
      ip: who.ip,
      details: { changed },
      at: who.now,
    });
  });
  return { ...row, ...changes };
}

/** Signs a complete review off; from then on it never changes. */
export async function signOffReview(db: Kysely<DB>, row: FilterReviewTable, note: string, who: Who): Promise<FilterReviewTable> {
  assertOpen(row);
  const missing = missingForSignOff(row, await hasRun(db, row.id));
  if (missing.length > 0) throw new AppError('conflict', `This review cannot be signed off yet: ${missing.join('; ')}.`, { missing });
  const changes = {
    status: 'signed_off' as const,
    signed_off_at: who.now.toISOString(),
    signed_off_by: who.actor.personId,
    signoff_note: note.trim(),
    updated_at: who.now.toISOString(),
  };
  let signed: FilterReviewTable = { ...row, ...changes };
  await db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('filter_reviews')
      .set(changes)
      .where('id', '=', row.id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) assertOpen({ ...row, status: 'signed_off' });
    // The record as it is now, not as it was read: an edit that landed in between (a person
    // cleared, an answer withdrawn) must not be signed. The row is ours until this commits.
    signed = await trx.selectFrom('filter_reviews').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
    const stillMissing = missingForSignOff({ ...signed, status: 'open' }, true);
    if (stillMissing.length > 0)
      throw new AppError('conflict', `The review changed while it was being signed off: ${stillMissing.join('; ')}.`, {
        missing: stillMissing,
      });
    await recordAudit(trx, {
      action: 'review.sign_off',
      actor: who.actor,
      targetType: 'filter_review',
      targetId: row.id,
      schoolId: row.school_id,
      ip: who.ip,
      details: { note: changes.signoff_note },
      at: who.now,
    });
  });
  return signed;
}

import { sql, type Kysely } from 'kysely';
import { newId } from '../../db/ids.js';
import type { DB, FilterUnblockRequestTable } from '../../db/tables.js';
import { AppError, forbidden, notFound } from '../../errors/errors.js';
import { exceptionTarget, insertException, MAX_EXCEPTION_DAYS } from './exceptions.js';
import { ensureFilterPolicy } from './ensure.js';
import { createNotifications, peopleInRoles } from '../../notify/service.js';
import { personName } from './rows.js';
import { requireSpan } from './target.js';
import { policyWrite, type WriteScope } from './write.js';

/*
 * Temporary unblock requests, as the Kingsmead policy describes them: a member of staff asks
 * for a site or a category for one class, for a period of study, with a reason; the senior
 * ICT professional (technical) and the DSL (safeguarding) must both approve, and never the
 * same person. The second approval creates the exception that applies to that class only.
 */

export type ApprovalRole = 'technical' | 'safeguarding';
export type UnblockStatus = FilterUnblockRequestTable['status'];

/** What the route worked out about the person acting, from the authorisation rules. */
export interface Approver {
  personId: string;
  mayApproveTechnical: boolean;
  mayApproveSafeguarding: boolean;
}

export interface UnblockView {
  id: string;
  requestedBy: { id: string; name: string };
  targetKind: 'pattern' | 'category';
  target: string;
  group: { id: string; name: string };
  from: string;
  until: string;
  reason: string;
  status: UnblockStatus;
  technicalApproval: { by: string; at: string } | null;
  safeguardingApproval: { by: string; at: string } | null;
  decidedBy: string | null;
  decisionNote: string | null;
  exceptionId: string | null;
  canApproveAs: ApprovalRole[];
}

const GROUP_KINDS_FOR_UNBLOCK = ['class', 'tutor_group', 'custom'] as const;
const TEACHING_ROLES = ['teacher', 'tutor', 'lead'] as const;

function requestRows(db: Kysely<DB>, schoolId: string) {
  return db
    .selectFrom('filter_unblock_requests as r')
    .innerJoin('people as req', 'req.id', 'r.requested_by')
    .innerJoin('groups as g', 'g.id', 'r.group_id')
    .leftJoin('people as tech', 'tech.id', 'r.network_approved_by')
    .leftJoin('people as dsl', 'dsl.id', 'r.dsl_approved_by')
    .leftJoin('people as dec', 'dec.id', 'r.decided_by')
    .selectAll('r')
    .select([
      sql<string>`req.given_name`.as('req_given'),
      sql<string | null>`req.preferred_name`.as('req_preferred'),
      sql<string>`req.family_name`.as('req_family'),
      'g.name as group_name',
      sql<string | null>`tech.given_name`.as('tech_given'),
      sql<string | null>`tech.preferred_name`.as('tech_preferred'),
      sql<string | null>`tech.family_name`.as('tech_family'),
      sql<string | null>`dsl.given_name`.as('dsl_given'),
      sql<string | null>`dsl.preferred_name`.as('dsl_preferred'),
      sql<string | null>`dsl.family_name`.as('dsl_family'),
      sql<string | null>`dec.given_name`.as('dec_given'),
      sql<string | null>`dec.preferred_name`.as('dec_preferred'),
      sql<string | null>`dec.family_name`.as('dec_family'),
    ])
    .where('r.school_id', '=', schoolId);
}

type RequestRow = Awaited<ReturnType<ReturnType<typeof requestRows>['execute']>>[number];

const nameOf = (given: string | null, preferred: string | null, family: string | null): string | null =>
  given !== null && family !== null ? personName({ given_name: given, preferred_name: preferred, family_name: family }) : null;

/** The approvals this person could give now; empty when they cannot act on the request. */
export function approvalsOpenTo(
  row: Pick<RequestRow, 'status' | 'requested_by' | 'network_approved_by' | 'dsl_approved_by'>,
  who: Approver,
): ApprovalRole[] {
  if (row.status !== 'pending' || row.requested_by === who.personId) return [];
  const open: ApprovalRole[] = [];
  if (who.mayApproveTechnical && !row.network_approved_by && row.dsl_approved_by !== who.personId) open.push('technical');
  if (who.mayApproveSafeguarding && !row.dsl_approved_by && row.network_approved_by !== who.personId) open.push('safeguarding');
  return open;
}

function viewOf(r: RequestRow, now: string, viewer: Approver | null): UnblockView {
  const approval = (by: string | null, at: string | null, name: string | null) => (by && at ? { by: name ?? by, at } : null);
  return {
    id: r.id,
    requestedBy: { id: r.requested_by, name: nameOf(r.req_given, r.req_preferred, r.req_family) ?? '' },
    targetKind: r.target_kind,
    target: r.target,
    group: { id: r.group_id, name: r.group_name },
    from: r.from_at,
    until: r.until_at,
    reason: r.reason,
    status: r.status === 'approved' && r.until_at <= now ? 'expired' : r.status,
    technicalApproval: approval(r.network_approved_by, r.network_approved_at, nameOf(r.tech_given, r.tech_preferred, r.tech_family)),
    safeguardingApproval: approval(r.dsl_approved_by, r.dsl_approved_at, nameOf(r.dsl_given, r.dsl_preferred, r.dsl_family)),
    decidedBy: r.decided_by ? (nameOf(r.dec_given, r.dec_preferred, r.dec_family) ?? r.decided_by) : null,
    decisionNote: r.decision_note,
    exceptionId: r.exception_id,
    canApproveAs: viewer ? approvalsOpenTo(r, viewer) : [],
  };
}

/**
 * Requests of the school, newest first. `onlyRequestedBy` narrows to one requester (a teacher
 * sees their own); status `expired` means approved and past its end.
 */
export async function listUnblockRequests(
  db: Kysely<DB>,
  schoolId: string,
  filter: { status?: UnblockStatus; onlyRequestedBy?: string },
  viewer: Approver | null,
  now: Date,
): Promise<UnblockView[]> {
  await ensureFilterPolicy(db, schoolId, () => now);
  const at = now.toISOString();
  let query = requestRows(db, schoolId);
  if (filter.onlyRequestedBy) query = query.where('r.requested_by', '=', filter.onlyRequestedBy);
  if (filter.status === 'expired') query = query.where('r.status', '=', 'approved').where('r.until_at', '<=', at);
  else if (filter.status === 'approved') query = query.where('r.status', '=', 'approved').where('r.until_at', '>', at);
  else if (filter.status) query = query.where('r.status', '=', filter.status);
  const rows = await query.orderBy('r.created_at', 'desc').limit(500).execute();
  return rows.map((r) => viewOf(r, at, viewer));
}

export async function getUnblockRequest(
  db: Kysely<DB>,
  schoolId: string,
  id: string,
  viewer: Approver | null,
  now: Date,
): Promise<UnblockView> {
  const row = await requestRows(db, schoolId).where('r.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Unblock request');
  return viewOf(row, now.toISOString(), viewer);
}

const rawRequest = async (db: Kysely<DB>, schoolId: string, id: string) => {
  const row = await db
    .selectFrom('filter_unblock_requests')
    .selectAll()
    .where('id', '=', id)
    .where('school_id', '=', schoolId)
    .executeTakeFirst();
  if (!row) throw notFound('Unblock request');
  return row;
};

const LINK = (id: string) => `/filtering/unblock-requests/${id}`;

export async function createUnblockRequest(
  db: Kysely<DB>,
  scope: WriteScope,
  input: { targetKind: 'pattern' | 'category'; target: string; groupId: string; from: string; until: string; reason: string },
  options: { mayManage: boolean },
): Promise<UnblockView> {
  const requester = scope.actor.personId;
  if (!requester) throw forbidden('Only a signed-in member of staff can ask for an unblock');
  const span = requireSpan(input.from, input.until, MAX_EXCEPTION_DAYS);
  if (span.until <= scope.now) throw new AppError('validation_failed', 'The period asked for has already ended');
  const id = await policyWrite(db, scope, input.reason, async (trx) => {
    const target = await exceptionTarget(
      trx,
      scope.schoolId,
      input.targetKind === 'pattern' ? { kind: 'pattern', pattern: input.target } : { kind: 'category', category: input.target },
      'An unblock request',
    );
    const group = await trx
      .selectFrom('groups')
      .selectAll()
      .where('id', '=', input.groupId)
      .where('school_id', '=', scope.schoolId)
      .executeTakeFirst();
    if (!group) throw notFound('Group');
    if (!(GROUP_KINDS_FOR_UNBLOCK as readonly string[]).includes(group.kind)) {
      throw new AppError('validation_failed', 'An unblock is for one class, tutor group or custom group, not a whole year or key stage');
    }
    if (!options.mayManage) {
      const teaches = await trx
        .selectFrom('group_members')
        .select('member_role')
        .where('group_id', '=', group.id)
        .where('person_id', '=', requester)
        .where('member_role', 'in', [...TEACHING_ROLES])
        .executeTakeFirst();
      if (!teaches) throw forbidden('You can ask for an unblock only for a group you teach or lead');
    }
    const id = newId();
    const at = scope.now.toISOString();
    await trx
      .insertInto('filter_unblock_requests')
      .values({
        id,
        school_id: scope.schoolId,
        requested_by: requester,
        target_kind: target.kind,
        target: target.value,
        group_id: group.id,
        from_at: span.from.toISOString(),
        until_at: span.until.toISOString(),
        reason: input.reason.trim(),
        status: 'pending',
        network_approved_by: null,
        network_approved_at: null,
        dsl_approved_by: null,
        dsl_approved_at: null,
        decided_by: null,
        decided_at: null,
        decision_note: null,
        exception_id: null,
        created_at: at,
        updated_at: at,
      })
      .execute();
    const approvers = (await peopleInRoles(trx, scope.schoolId, ['network_manager', 'dsl']))
      .map((p) => p.id)
      .filter((p) => p !== requester);
    await createNotifications(trx, {
      schoolId: scope.schoolId,
      recipientIds: approvers,
      kind: 'filter.unblock_requested',
      title: `Unblock request: ${target.value} for ${group.name}`,
      body: `${scope.actor.name} asks to unblock ${target.value} for ${group.name} from ${span.from.toISOString()} to ${span.until.toISOString()}: ${input.reason.trim()}`,
      link: LINK(id),
      at: scope.now,
    });
    const after = await rawRequest(trx, scope.schoolId, id);
    return {
      result: id,
      entity: 'unblock_request',
      entityId: id,
      change: 'create',
      summary: `${scope.actor.name} asked to unblock ${target.value} for ${group.name}`,
      before: null,
      after,
    };
  });
  return getUnblockRequest(db, scope.schoolId, id, null, scope.now);
}

/**
 * Gives the actor's approval in the first role they hold and have not yet given. The second
 * approval makes the exception, in the same transaction.
 */
export async function approveUnblockRequest(
  db: Kysely<DB>,
  scope: WriteScope,
  id: string,
  approver: Approver,
  note: string | undefined,
): Promise<UnblockView> {
  const current = await rawRequest(db, scope.schoolId, id);
  if (current.requested_by === approver.personId) throw forbidden('You cannot approve your own request');
  if (!approver.mayApproveTechnical && !approver.mayApproveSafeguarding) throw forbidden('Only the network manager or the DSL can approve');
  if (current.status !== 'pending') throw new AppError('conflict', `This request is ${current.status}`);
  const role = approvalsOpenTo(current, approver)[0];
  if (!role) {
    const gaveOne = current.network_approved_by === approver.personId || current.dsl_approved_by === approver.personId;
    throw new AppError(
      'conflict',
      gaveOne
        ? 'You have already approved this request: the other approval must come from someone else'
        : 'That approval has already been given',
    );
  }
  const why = note?.trim() || `Approved as the ${role} approver`;
  await policyWrite(db, scope, why, async (trx) => {
    const at = scope.now.toISOString();
    const column =
      role === 'technical'
        ? { network_approved_by: approver.personId, network_approved_at: at }
        : { dsl_approved_by: approver.personId, dsl_approved_at: at };
    // Conditional on the approval still being open: a concurrent approver waits on the row and
    // then re-reads it, so exactly one of two simultaneous second approvals makes the exception.
    const updated = await trx
      .updateTable('filter_unblock_requests')
      .set({ ...column, updated_at: at })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where(role === 'technical' ? 'network_approved_by' : 'dsl_approved_by', 'is', null)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw new AppError('conflict', 'Someone else has just acted on this request; reload it');
    const before = current;
    let row = await rawRequest(trx, scope.schoolId, id);
    let summary = `${scope.actor.name} gave the ${role} approval for ${row.target}`;
    if (row.network_approved_by && row.dsl_approved_by) {
      if (row.until_at <= at) throw new AppError('conflict', 'The period asked for has already ended');
      const exceptionId = await insertException(trx, scope, {
        targetKind: row.target_kind,
        target: row.target,
        appliesKind: 'group',
        appliesId: row.group_id,
        from: new Date(row.from_at),
        until: new Date(row.until_at),
        requestId: id,
      });
      await trx
        .updateTable('filter_unblock_requests')
        .set({
          status: 'approved',
          exception_id: exceptionId,
          decided_by: approver.personId,
          decided_at: at,
          decision_note: note?.trim() || null,
        })
        .where('id', '=', id)
        .execute();
      row = await rawRequest(trx, scope.schoolId, id);
      summary = `${row.target} is unblocked for the group until ${row.until_at}: both approvals given`;
      await createNotifications(trx, {
        schoolId: scope.schoolId,
        recipientIds: [row.requested_by],
        kind: 'filter.unblock_approved',
        title: `Unblock approved: ${row.target}`,
        body: summary,
        link: LINK(id),
        at: scope.now,
      });
    }
    return { result: null, entity: 'unblock_request', entityId: id, change: 'approve', summary, before, after: row };
  });
  return getUnblockRequest(db, scope.schoolId, id, approver, scope.now);
}

export async function rejectUnblockRequest(
  db: Kysely<DB>,
  scope: WriteScope,
  id: string,
  approver: Approver,
  note: string,
): Promise<UnblockView> {
  if (!approver.mayApproveTechnical && !approver.mayApproveSafeguarding)
    throw forbidden('Only the network manager or the DSL can refuse a request');
  await policyWrite(db, scope, note, async (trx) => {
    const before = await rawRequest(trx, scope.schoolId, id);
    if (before.status !== 'pending') throw new AppError('conflict', `This request is ${before.status}`);
    const at = scope.now.toISOString();
    await trx
      .updateTable('filter_unblock_requests')
      .set({ status: 'rejected', decided_by: approver.personId, decided_at: at, decision_note: note.trim(), updated_at: at })
      .where('id', '=', id)
      .execute();
    const after = await rawRequest(trx, scope.schoolId, id);
    await createNotifications(trx, {
      schoolId: scope.schoolId,
      recipientIds: [before.requested_by],
      kind: 'filter.unblock_rejected',
      title: `Unblock refused: ${before.target}`,
      body: note.trim(),
      link: LINK(id),
      at: scope.now,
    });
    return {
      result: null,
      entity: 'unblock_request',
      entityId: id,
      change: 'reject',
      summary: `${scope.actor.name} refused the unblock of ${before.target}`,
      before,
      after,
    };
  });
  return getUnblockRequest(db, scope.schoolId, id, approver, scope.now);
}

export async function withdrawUnblockRequest(db: Kysely<DB>, scope: WriteScope, id: string): Promise<UnblockView> {
  await policyWrite(db, scope, 'Withdrawn by the requester', async (trx) => {
    const before = await rawRequest(trx, scope.schoolId, id);
    if (before.requested_by !== scope.actor.personId) throw forbidden('Only the person who asked can withdraw a request');
    if (before.status !== 'pending') throw new AppError('conflict', `This request is ${before.status}`);
    const at = scope.now.toISOString();
    await trx
      .updateTable('filter_unblock_requests')
      .set({ status: 'withdrawn', decided_by: scope.actor.personId, decided_at: at, updated_at: at })
      .where('id', '=', id)
      .execute();
    const after = await rawRequest(trx, scope.schoolId, id);
    return {
      result: null,
      entity: 'unblock_request',
      entityId: id,
      change: 'withdraw',
      summary: `${scope.actor.name} withdrew the request to unblock ${before.target}`,
      before,
      after,
    };
  });
  return getUnblockRequest(db, scope.schoolId, id, null, scope.now);
}

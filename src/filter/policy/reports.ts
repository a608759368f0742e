import type { Kysely } from 'kysely';
import { recordAudit } from '../../audit/service.js';
import { newId } from '../../db/ids.js';
import type { DB, FilterReportTable } from '../../db/tables.js';
import { AppError, notFound } from '../../errors/errors.js';
import { isCategoryId } from '../categories.js';
import { createNotifications, peopleInRoles } from '../../notify/service.js';
import type { PolicyActor } from './write.js';

/*
 * "This should not be blocked" / "this should be blocked" reports from the block page and
 * the app. They are not policy changes: they land in the network manager's queue, and
 * whatever the network manager then changes goes through the change-control log.
 */

export type ReportStatus = FilterReportTable['status'];

export interface ReportView {
  id: string;
  kind: 'overblocked' | 'underblocked';
  target: string;
  category: string | null;
  rule: string | null;
  reportedBy: { id: string; name: string } | null;
  clientAddress: string | null;
  comment: string | null;
  status: ReportStatus;
  resolvedBy: string | null;
  resolvedAt: string | null;
  resolutionNote: string | null;
  createdAt: string;
}

export interface NewReport {
  kind: 'overblocked' | 'underblocked';
  target: string;
  category?: string;
  rule?: string;
  comment?: string;
}

export async function createReport(
  db: Kysely<DB>,
  input: NewReport & { schoolId: string; reporterPersonId: string | null; clientAddress: string | null; now: Date },
): Promise<ReportView> {
  const target = input.target.trim();
  if (!target) throw new AppError('validation_failed', 'Say which site the report is about');
  const category = input.category && isCategoryId(input.category) ? input.category : null;
  const id = newId();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('filter_reports')
      .values({
        id,
        school_id: input.schoolId,
        kind: input.kind,
        target,
        category,
        rule: input.rule?.trim() || null,
        reported_by: input.reporterPersonId,
        // The address stands in for the reporter only when nobody is signed in.
        client_address: input.reporterPersonId ? null : input.clientAddress,
        comment: input.comment?.trim() || null,
        status: 'open',
        resolved_by: null,
        resolved_at: null,
        resolution_note: null,
        created_at: input.now.toISOString(),
      })
      .execute();
    const managers = (await peopleInRoles(trx, input.schoolId, ['network_manager'])).map((p) => p.id);
    await createNotifications(trx, {
      schoolId: input.schoolId,
      recipientIds: managers,
      kind: 'filter.report',
      title: input.kind === 'overblocked' ? `Reported as wrongly blocked: ${target}` : `Reported as should be blocked: ${target}`,
      body: input.comment?.trim() || 'No comment given.',
      link: `/filtering/reports/${id}`,
      at: input.now,
    });
  });
  return getReport(db, input.schoolId, id);
}

function reportRows(db: Kysely<DB>, schoolId: string) {
  return db
    .selectFrom('filter_reports as r')
    .leftJoin('people', 'people.id', 'r.reported_by')
    .selectAll('r')
    .select(['people.given_name', 'people.preferred_name', 'people.family_name'])
    .where('r.school_id', '=', schoolId);
}

type ReportRow = Awaited<ReturnType<ReturnType<typeof reportRows>['execute']>>[number];

const viewOf = (r: ReportRow): ReportView => ({
  id: r.id,
  kind: r.kind,
  target: r.target,
  category: r.category,
  rule: r.rule,
  reportedBy:
    r.reported_by && r.given_name !== null && r.family_name !== null
      ? { id: r.reported_by, name: `${r.preferred_name ?? r.given_name} ${r.family_name}` }
      : null,
  clientAddress: r.client_address,
  comment: r.comment,
  status: r.status,
  resolvedBy: r.resolved_by,
  resolvedAt: r.resolved_at,
  resolutionNote: r.resolution_note,
  createdAt: r.created_at,
});

export async function listReports(db: Kysely<DB>, schoolId: string, status?: ReportStatus): Promise<ReportView[]> {
  let query = reportRows(db, schoolId);
  if (status) query = query.where('r.status', '=', status);
  return (await query.orderBy('r.created_at', 'desc').limit(500).execute()).map(viewOf);
}

export async function getReport(db: Kysely<DB>, schoolId: string, id: string): Promise<ReportView> {
  const row = await reportRows(db, schoolId).where('r.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Report');
  return viewOf(row);
}

export async function resolveReport(
  db: Kysely<DB>,
  scope: { schoolId: string; actor: PolicyActor; now: Date; ip?: string | null },
  id: string,
  input: { status: 'resolved' | 'dismissed'; note: string },
): Promise<ReportView> {
  const note = input.note.trim();
  if (!note) throw new AppError('validation_failed', 'Say what was done about the report');
  await db.transaction().execute(async (trx) => {
    const before = await getReport(trx, scope.schoolId, id);
    if (before.status !== 'open') throw new AppError('conflict', `This report is already ${before.status}`);
    await trx
      .updateTable('filter_reports')
      .set({ status: input.status, resolved_by: scope.actor.name, resolved_at: scope.now.toISOString(), resolution_note: note })
      .where('id', '=', id)
      .execute();
    await recordAudit(trx, {
      action: `filter.report.${input.status}`,
      actor: scope.actor.accountId ? { accountId: scope.actor.accountId, username: scope.actor.username ?? scope.actor.name } : null,
      targetType: 'filter_report',
      targetId: id,
      schoolId: scope.schoolId,
      ip: scope.ip ?? null,
      details: { note },
      at: scope.now,
    });
    if (before.reportedBy) {
      await createNotifications(trx, {
        schoolId: scope.schoolId,
        recipientIds: [before.reportedBy.id],
        kind: 'filter.report_closed',
        title: `Your report about ${before.target} was ${input.status}`,
        body: note,
        link: null,
        at: scope.now,
      });
    }
  });
  return getReport(db, scope.schoolId, id);
}

/**
 * The school an anonymous report belongs to: the one its address is signed in to or is a
 * device of, else the only school of the installation.
 */
export async function schoolForAddress(db: Kysely<DB>, address: string, now: Date): Promise<string | null> {
  const signIn = await db
    .selectFrom('filter_address_signins')
    .select('school_id')
    .where('address', '=', address)
    .where('until_at', '>', now.toISOString())
    .executeTakeFirst();
  if (signIn) return signIn.school_id;
  const device = await db.selectFrom('filter_devices').select('school_id').where('address', '=', address).executeTakeFirst();
  if (device) return device.school_id;
  const schools = await db.selectFrom('schools').select('id').limit(2).execute();
  return schools.length === 1 ? schools[0]!.id : null;
}

import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { can } from '../../access/policy.js';
import { AddressRateLimiter } from '../../auth/rate-limit.js';
import { AppError } from '../../errors/errors.js';
import type { AppContext } from '../../server/context.js';
import { CategorySchema, DateTime, IdParams, Reason, SchoolQuery, approverOf, scoped } from './http.js';
import { createReport, listReports, resolveReport, schoolForAddress } from './reports.js';
import {
  approveUnblockRequest,
  createUnblockRequest,
  listUnblockRequests,
  rejectUnblockRequest,
  withdrawUnblockRequest,
  type UnblockStatus,
} from './unblock.js';

const tags = ['filtering'];
const UnblockStatusSchema = Type.Union(['pending', 'approved', 'rejected', 'withdrawn', 'expired'].map((s) => Type.Literal(s)));
const ReportStatusSchema = Type.Union([Type.Literal('open'), Type.Literal('resolved'), Type.Literal('dismissed')]);

/** Reports a minute from one address: enough for a class, too few to flood the queue. */
export const REPORTS_PER_MINUTE = 10;

/** Unblock requests (staff ask, the network manager and the DSL approve) and block-page reports. */
export function requestRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  const reportLimiter = new AddressRateLimiter(REPORTS_PER_MINUTE, 60_000);

  return async (app) => {
    app.get(
      '/unblock-requests',
      {
        schema: {
          tags,
          summary: 'Unblock requests: all of them for approvers, your own for staff',
          querystring: Type.Object({ schoolId: Type.Optional(Type.String()), status: Type.Optional(UnblockStatusSchema) }),
        },
      },
      async (request) => {
        const s = await scoped(ctx, request, 'filter.unblock.request');
        const approver = approverOf(s);
        const here = { type: 'school', schoolId: s.schoolId, trustId: s.trustId } as const;
        const seesAll = approver.mayApproveTechnical || approver.mayApproveSafeguarding || can(s.actor, 'filter.read', here);
        return listUnblockRequests(
          ctx.db,
          s.schoolId,
          { status: request.query.status as UnblockStatus | undefined, onlyRequestedBy: seesAll ? undefined : s.actor.personId },
          approver,
          ctx.clock(),
        );
      },
    );

    app.post(
      '/unblock-requests',
      {
        schema: {
          tags,
          summary: 'Ask for a site or category to be unblocked for a class for a while',
          querystring: SchoolQuery,
          body: Type.Object({
            targetKind: Type.Union([Type.Literal('pattern'), Type.Literal('category')]),
            target: Type.String({ minLength: 1, maxLength: 2000 }),
            groupId: Type.String({ maxLength: 64 }),
            from: DateTime,
            until: DateTime,
            reason: Reason,
          }),
        },
      },
      async (request, reply) => {
        const s = await scoped(ctx, request, 'filter.unblock.request');
        const mayManage = can(s.actor, 'filter.manage', { type: 'school', schoolId: s.schoolId, trustId: s.trustId });
        reply.status(201);
        return createUnblockRequest(ctx.db, s.write, request.body, { mayManage });
      },
    );

    app.post(
      '/unblock-requests/:id/approve',
      {
        schema: {
          tags,
          summary: 'Approve in the role you hold (technical or safeguarding)',
          querystring: SchoolQuery,
          params: IdParams,
          body: Type.Object({ note: Type.Optional(Type.String({ maxLength: 2000 })) }),
        },
      },
      async (request) => {
        // Every approver role may also ask; the service checks the approval roles themselves.
        const s = await scoped(ctx, request, 'filter.unblock.request');
        return approveUnblockRequest(ctx.db, s.write, request.params.id, approverOf(s), request.body.note);
      },
    );

    app.post(
      '/unblock-requests/:id/reject',
      { schema: { tags, summary: 'Refuse a request', querystring: SchoolQuery, params: IdParams, body: Type.Object({ note: Reason }) } },
      async (request) => {
        // Every approver role may also ask; the service checks the approval roles themselves.
        const s = await scoped(ctx, request, 'filter.unblock.request');
        return rejectUnblockRequest(ctx.db, s.write, request.params.id, approverOf(s), request.body.note);
      },
    );

    app.post(
      '/unblock-requests/:id/withdraw',
      { schema: { tags, summary: 'Withdraw your own pending request', querystring: SchoolQuery, params: IdParams, body: Type.Object({}) } },
      async (request) => {
        const s = await scoped(ctx, request, 'filter.unblock.request');
        return withdrawUnblockRequest(ctx.db, s.write, request.params.id);
      },
    );

    app.get(
      '/reports',
      {
        schema: {
          tags,
          summary: 'Over- and under-blocking reports',
          querystring: Type.Object({ schoolId: Type.Optional(Type.String()), status: Type.Optional(ReportStatusSchema) }),
        },
      },
      async (request) => {
        const s = await scoped(ctx, request, 'filter.reports.manage');
        return listReports(ctx.db, s.schoolId, request.query.status);
      },
    );

    app.post(
      '/reports',
      {
        config: { auth: 'public' },
        schema: {
          tags,
          summary: 'Report a site as wrongly blocked or as one that should be blocked (no sign-in needed)',
          body: Type.Object({
            kind: Type.Union([Type.Literal('overblocked'), Type.Literal('underblocked')]),
            target: Type.String({ minLength: 1, maxLength: 2000 }),
            category: Type.Optional(CategorySchema),
            rule: Type.Optional(Type.String({ maxLength: 100 })),
            comment: Type.Optional(Type.String({ maxLength: 2000 })),
            schoolId: Type.Optional(Type.String({ maxLength: 64 })),
          }),
        },
      },
      async (request, reply) => {
        const now = ctx.clock();
        const wait = reportLimiter.hit(request.ip, now.getTime());
        if (wait > 0) {
          reply.header('retry-after', String(wait));
          throw new AppError('rate_limited', `Too many reports from this address. Try again in ${wait} seconds.`);
        }
        // A signed-in reporter is named and reports to their own school; otherwise the address speaks.
        const person = request.account
          ? await ctx.db.selectFrom('people').select(['id', 'school_id']).where('id', '=', request.account.person_id).executeTakeFirst()
          : undefined;
        let schoolId = person?.school_id ?? (await schoolForAddress(ctx.db, request.ip, now));
        if (!person && request.body.schoolId) {
          const named = await ctx.db.selectFrom('schools').select('id').where('id', '=', request.body.schoolId).executeTakeFirst();
          schoolId = named?.id ?? null;
        }
        if (!schoolId) throw new AppError('validation_failed', 'Say which school the report is for (schoolId)');
        const { schoolId: _ignored, ...report } = request.body;
        reply.status(201);
        return createReport(ctx.db, { ...report, schoolId, reporterPersonId: person?.id ?? null, clientAddress: request.ip, now });
      },
    );

    app.post(
      '/reports/:id/resolve',
      {
        schema: {
          tags,
          summary: 'Close a report as resolved or dismissed',
          querystring: SchoolQuery,
          params: IdParams,
          body: Type.Object({
            status: Type.Union([Type.Literal('resolved'), Type.Literal('dismissed')]),
            note: Type.String({ minLength: 1, maxLength: 2000 }),
          }),
        },
      },
      async (request) => {
        const s = await scoped(ctx, request, 'filter.reports.manage');
        return resolveReport(ctx.db, s.write, request.params.id, request.body);
      },
    );
  };
}

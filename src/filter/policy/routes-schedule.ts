import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../server/context.js';
import { WINDOW_KINDS, type WindowKind } from '../model.js';
import { addHoliday, deleteHoliday, getCalendar, setWindows } from './calendar.js';
import { createException, listExceptions, revokeException } from './exceptions.js';
import { CategorySchema, DateTime, IdParams, Reason, ReasonBody, SchoolQuery, scoped } from './http.js';
import { applyInternetSanction, getSanction, liftSanction, listSanctions } from './sanctions.js';
import { requireSpan } from './target.js';

const tags = ['filtering'];
const WindowKindSchema = Type.Union(WINDOW_KINDS.map((k) => Type.Literal(k)));

/** The school day and holidays, temporary exceptions and sanctions: everything with a time. */
export function scheduleRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/calendar', { schema: { tags, summary: 'Time windows and holidays', querystring: SchoolQuery } }, async (request) => {
      const s = await scoped(ctx, request, 'filter.read');
      return getCalendar(ctx.db, s.schoolId, ctx.clock());
    });

    app.put(
      '/calendar/windows',
      {
        schema: {
          tags,
          summary: 'Replace the time windows of the school day',
          querystring: SchoolQuery,
          body: Type.Object({
            windows: Type.Array(
              Type.Object({
                kind: WindowKindSchema,
                days: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { minItems: 1, maxItems: 7 }),
                startMinute: Type.Integer({ minimum: 0, maximum: 1440 }),
                endMinute: Type.Integer({ minimum: 0, maximum: 1440 }),
              }),
              { maxItems: 100 },
            ),
            reason: Reason,
          }),
        },
      },
      async (request) => {
        const s = await scoped(ctx, request, 'filter.manage');
        const windows = request.body.windows.map((w) => ({ ...w, kind: w.kind as WindowKind }));
        return setWindows(ctx.db, s.write, windows, request.body.reason);
      },
    );

    app.post(
      '/calendar/holidays',
      {
        schema: {
          tags,
          summary: 'Add a holiday',
          querystring: SchoolQuery,
          body: Type.Object({
            name: Type.String({ minLength: 1, maxLength: 100 }),
            from: Type.String({ maxLength: 10 }),
            to: Type.String({ maxLength: 10 }),
            reason: Reason,
          }),
        },
      },
      async (request, reply) => {
        const s = await scoped(ctx, request, 'filter.manage');
        reply.status(201);
        return addHoliday(ctx.db, s.write, request.body);
      },
    );

    app.post(
      '/calendar/holidays/:id/delete',
      { schema: { tags, summary: 'Remove a holiday', querystring: SchoolQuery, params: IdParams, body: ReasonBody } },
      async (request) => {
        const s = await scoped(ctx, request, 'filter.manage');
        await deleteHoliday(ctx.db, s.write, request.params.id, request.body.reason);
        return { ok: true };
      },
    );

    app.get('/exceptions', { schema: { tags, summary: 'Temporary exceptions', querystring: SchoolQuery } }, async (request) => {
      const s = await scoped(ctx, request, 'filter.read');
      return listExceptions(ctx.db, s.schoolId, ctx.clock());
    });

    app.post(
      '/exceptions',
      {
        schema: {
          tags,
          summary: 'Allow a site or category for a while',
          querystring: SchoolQuery,
          body: Type.Object({
            target: Type.Union([
              Type.Object({ kind: Type.Literal('pattern'), pattern: Type.String({ minLength: 1, maxLength: 2000 }) }),
              Type.Object({ kind: Type.Literal('category'), category: CategorySchema }),
            ]),
            appliesTo: Type.Object({
              kind: Type.Union([Type.Literal('school'), Type.Literal('group'), Type.Literal('person')]),
              id: Type.Optional(Type.String({ maxLength: 64 })),
            }),
            from: DateTime,
            until: DateTime,
            reason: Reason,
          }),
        },
      },
      async (request, reply) => {
        const s = await scoped(ctx, request, 'filter.manage');
        reply.status(201);
        return createException(ctx.db, s.write, request.body);
      },
    );

    app.post(
      '/exceptions/:id/revoke',
      { schema: { tags, summary: 'End an exception now', querystring: SchoolQuery, params: IdParams, body: ReasonBody } },
      async (request) => {
        const s = await scoped(ctx, request, 'filter.manage');
        return revokeException(ctx.db, s.write, request.params.id, request.body.reason);
      },
    );

    app.get('/sanctions', { schema: { tags, summary: 'Internet sanctions', querystring: SchoolQuery } }, async (request) => {
      const s = await scoped(ctx, request, 'filter.sanction.manage');
      return listSanctions(ctx.db, s.schoolId, ctx.clock());
    });

    app.post(
      '/sanctions',
      {
        schema: {
          tags,
          summary: "Remove a person's internet access for a time",
          querystring: SchoolQuery,
          body: Type.Object({
            personId: Type.String({ maxLength: 64 }),
            from: DateTime,
            until: DateTime,
            stillAllowed: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 2000 }), { maxItems: 50 })),
            reason: Reason,
          }),
        },
      },
      async (request, reply) => {
        const s = await scoped(ctx, request, 'filter.sanction.manage');
        const span = requireSpan(request.body.from, request.body.until);
        const id = await applyInternetSanction(ctx.db, {
          schoolId: s.schoolId,
          trustId: s.trustId,
          personId: request.body.personId,
          ...span,
          reason: request.body.reason,
          source: 'manual',
          stillAllowed: request.body.stillAllowed,
          actor: { accountId: s.actor.accountId, name: s.actor.displayName },
          now: s.write.now,
        });
        reply.status(201);
        return getSanction(ctx.db, s.schoolId, id, s.write.now);
      },
    );

    app.post(
      '/sanctions/:id/lift',
      { schema: { tags, summary: 'Restore internet access now', querystring: SchoolQuery, params: IdParams, body: ReasonBody } },
      async (request) => {
        const s = await scoped(ctx, request, 'filter.sanction.manage');
        return liftSanction(ctx.db, {
          schoolId: s.schoolId,
          trustId: s.trustId,
          sanctionId: request.params.id,
          reason: request.body.reason,
          actor: { accountId: s.actor.accountId, username: s.actor.username, name: s.actor.displayName },
          now: s.write.now,
        });
      },
    );
  };
}

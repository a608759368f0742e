import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../server/context.js';
import { actorOf } from '../server/http.js';
import { listNotifications, markNotificationRead } from './service.js';

/** The signed-in person's own notifications (mounted at /api/notifications). */
export function notificationRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/',
      {
        schema: {
          tags: ['notifications'],
          summary: 'My notifications, unread first',
          querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }) }),
        },
      },
      async (request) => listNotifications(ctx.db, actorOf(request).personId, request.query.limit),
    );

    app.post(
      '/:id/read',
      {
        schema: {
          tags: ['notifications'],
          summary: 'Mark one of my notifications read',
          params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
          body: Type.Object({}),
        },
      },
      async (request) => markNotificationRead(ctx.db, actorOf(request).personId, request.params.id, ctx.clock()),
    );
  };
}

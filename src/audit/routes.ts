import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { authorize, ownSchool } from '../access/policy.js';
import type { AppContext } from '../server/context.js';
import { actorOf } from '../server/http.js';
import { listAudit, verifyAuditChain } from './service.js';

export function auditRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/',
      {
        schema: {
          tags: ['audit'],
          summary: 'Audit log entries, newest first',
          querystring: Type.Object({
            action: Type.Optional(Type.String({ maxLength: 100 })),
            targetId: Type.Optional(Type.String({ maxLength: 100 })),
            actorAccountId: Type.Optional(Type.String({ maxLength: 100 })),
            before: Type.Optional(Type.Integer({ minimum: 1 })),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
          }),
        },
      },
      async (request) => {
        const actor = actorOf(request);
        authorize(actor, 'audit.read', ownSchool(actor));
        const rows = await listAudit(ctx.db, { ...request.query, schoolId: actor.schoolId });
        return rows.map((r) => ({
          seq: r.seq,
          at: r.at,
          actor: r.actor_username,
          action: r.action,
          targetType: r.target_type,
          targetId: r.target_id,
          ip: r.ip,
          details: JSON.parse(r.details) as unknown,
        }));
      },
    );

    app.get('/verify', { schema: { tags: ['audit'], summary: 'Check the hash chain of the whole log' } }, async (request) => {
      const actor = actorOf(request);
      authorize(actor, 'audit.read', ownSchool(actor));
      return verifyAuditChain(ctx.db);
    });
  };
}

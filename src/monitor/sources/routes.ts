import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { authorize, ownSchool } from '../../access/policy.js';
import type { AppContext } from '../../server/context.js';
import { actorOf } from '../../server/http.js';
import { createCaptureSource, createSyslogSource, listSources, loadSource, revokeSource } from './service.js';

const tags = ['monitoring'];
// PostgreSQL text cannot hold NUL: one in a name or an id is a bad request, not a server error.
const Name = Type.String({ minLength: 1, maxLength: 100, pattern: '^[^\\u0000]*[^\\u0000\\s][^\\u0000]*$' });

const NewSource = Type.Union([
  Type.Object({ kind: Type.Literal('capture'), name: Name }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('syslog'),
      name: Name,
      address: Type.String({ minLength: 2, maxLength: 64 }),
      format: Type.Union([Type.Literal('squid'), Type.Literal('e2guardian'), Type.Literal('text')]),
    },
    { additionalProperties: false },
  ),
]);

/** Monitoring sources, mounted at /api/monitor/sources: capture API keys and syslog senders. */
export function sourceRoutes(ctx: AppContext): FastifyPluginAsync {
  const plugin: FastifyPluginAsyncTypebox = async (app) => {
    const by = (request: FastifyRequest) => ({ actor: actorOf(request), ip: request.ip ?? null, now: ctx.clock() });

    app.get(
      '/',
      { schema: { tags, summary: "The school's capture API keys and syslog senders (never the keys themselves)" } },
      async (request) => {
        const actor = actorOf(request);
        authorize(actor, 'monitor.sources.manage', ownSchool(actor));
        return listSources(ctx.db, actor.schoolId);
      },
    );

    app.post(
      '/',
      {
        schema: {
          tags,
          summary: 'Add a capture API key (shown once, in this answer) or register a syslog sender',
          body: NewSource,
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        authorize(actor, 'monitor.sources.manage', ownSchool(actor));
        const body = request.body;
        reply.status(201);
        if (body.kind === 'capture') return createCaptureSource(ctx.db, actor.schoolId, body.name, by(request));
        return { source: await createSyslogSource(ctx.db, actor.schoolId, body, by(request)) };
      },
    );

    app.post(
      '/:id/revoke',
      {
        schema: {
          tags,
          summary: 'Revoke a source: its key stops working at once',
          params: Type.Object({ id: Type.String({ maxLength: 64, pattern: '^[^\\u0000]*$' }) }),
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const source = await loadSource(ctx.db, request.params.id);
        authorize(actor, 'monitor.sources.manage', { type: 'school', schoolId: source.school_id, trustId: source.trust_id });
        return revokeSource(ctx.db, source.id, by(request));
      },
    );
  };
  return plugin as FastifyPluginAsync;
}

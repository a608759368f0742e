import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { authorize, ownSchool } from '../../access/policy.js';
import type { AppContext } from '../../server/context.js';
import { actorOf } from '../../server/http.js';
import { anonymisedLog, anonymisedLogCsv } from './anonymised-log.js';
import { studentChronology } from './chronology.js';
import { periodOf } from './period.js';
import { incidentStats } from './stats.js';

const tags = ['incidents'];
const PeriodQuery = {
  from: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  to: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
};

/**
 * Read-only views across the incident log, mounted at /api/incidents: the governors'
 * anonymised counts and anonymised log, and a student's chronology for the DSL team and the head.
 */
export function incidentInsightRoutes(ctx: AppContext): FastifyPluginAsync {
  const plugin: FastifyPluginAsyncTypebox = async (app) => {
    app.get(
      '/stats',
      {
        schema: {
          tags,
          summary: 'Anonymised incident counts by category, subject kind, year group, outcome and term, with the previous period',
          querystring: Type.Object(PeriodQuery),
        },
      },
      async (request) => {
        const actor = actorOf(request);
        authorize(actor, 'incident.stats', ownSchool(actor));
        const period = periodOf(request.query, ctx.clock());
        return incidentStats(ctx.db, actor, period, { ip: request.ip ?? null }, ctx.clock());
      },
    );

    app.get(
      '/log/anonymised',
      {
        schema: {
          tags,
          summary: 'The anonymised incident log the e-safety governor reviews: one row per incident, month not day, no names or free text',
          querystring: Type.Object({
            ...PeriodQuery,
            format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('json')])),
          }),
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        authorize(actor, 'incident.log.export', ownSchool(actor));
        const period = periodOf(request.query, ctx.clock());
        const format = request.query.format ?? 'csv';
        const rows = await anonymisedLog(ctx.db, actor, period, { ip: request.ip ?? null, format }, ctx.clock());
        if (format === 'json') return rows;
        const day = ctx.clock().toISOString().slice(0, 10);
        reply.header('content-type', 'text/csv; charset=utf-8');
        reply.header('content-disposition', `attachment; filename="anonymised-incident-log-${day}.csv"`);
        return anonymisedLogCsv(rows);
      },
    );

    app.get(
      '/students/:personId/chronology',
      {
        schema: {
          tags,
          summary: "A student's incidents, actions, internet sanctions and alerting blocks, oldest first",
          params: Type.Object({ personId: Type.String({ maxLength: 64 }) }),
        },
      },
      async (request) => {
        const actor = actorOf(request);
        return studentChronology(ctx.db, actor, request.params.personId, { ip: request.ip ?? null }, ctx.clock());
      },
    );
  };
  return plugin as FastifyPluginAsync;
}

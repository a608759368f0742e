import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { authorize, ownSchool } from '../../access/policy.js';
import { AppError } from '../../errors/errors.js';
import type { AppContext } from '../../server/context.js';
import { actorOf } from '../../server/http.js';
import { studentChronology } from './chronology.js';
import { incidentStats } from './stats.js';

const tags = ['incidents'];
const DEFAULT_PERIOD_DAYS = 365;

/** A date from the request; typebox checked the shape, this refuses impossible dates. */
function dateOf(value: string, field: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new AppError('validation_failed', `${field} is not a date`);
  return d;
}

/**
 * Read-only views across the incident log, mounted at /api/incidents: the governors'
 * anonymised counts and a student's chronology for the DSL team and the head.
 */
export function incidentInsightRoutes(ctx: AppContext): FastifyPluginAsync {
  const plugin: FastifyPluginAsyncTypebox = async (app) => {
    app.get(
      '/stats',
      {
        schema: {
          tags,
          summary: 'Anonymised incident counts by category, subject kind, year group, outcome and term, with the previous period',
          querystring: Type.Object({
            from: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
            to: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
          }),
        },
      },
      async (request) => {
        const actor = actorOf(request);
        authorize(actor, 'incident.stats', ownSchool(actor));
        const to = request.query.to ? dateOf(request.query.to, 'to') : ctx.clock();
        const from = request.query.from ? dateOf(request.query.from, 'from') : new Date(to.getTime() - DEFAULT_PERIOD_DAYS * 86_400_000);
        if (from >= to) throw new AppError('validation_failed', 'from must be before to');
        return incidentStats(ctx.db, actor, { from, to }, { ip: request.ip ?? null }, ctx.clock());
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

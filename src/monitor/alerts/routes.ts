import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../../server/context.js';

/** The DSL's triage queue, mounted at /api/monitor/alerts. */
export function alertRoutes(ctx: AppContext): FastifyPluginAsync {
  void ctx;
  return async () => {};
}

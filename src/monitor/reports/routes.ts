import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../../server/context.js';

/** Reports, settings and retention, mounted at /api/monitor. */
export function monitorReportRoutes(ctx: AppContext): FastifyPluginAsync {
  void ctx;
  return async () => {};
}

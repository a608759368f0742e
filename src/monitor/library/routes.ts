import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../../server/context.js';

/** The keyword library, mounted at /api/monitor/library: versions, edits, CSV import and export. */
export function libraryRoutes(ctx: AppContext): FastifyPluginAsync {
  void ctx;
  return async () => {};
}

import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../server/context.js';

/** Training records, mounted at /api/training. */
export function trainingRoutes(ctx: AppContext): FastifyPluginAsync {
  void ctx;
  return async () => {};
}

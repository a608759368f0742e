import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../server/context.js';

/** Acceptable-use agreements, mounted at /api/agreements. */
export function agreementRoutes(ctx: AppContext): FastifyPluginAsync {
  void ctx;
  return async () => {};
}

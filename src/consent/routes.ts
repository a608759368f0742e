import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../server/context.js';

/** Image consent, mounted at /api/consent. */
export function consentRoutes(ctx: AppContext): FastifyPluginAsync {
  void ctx;
  return async () => {};
}

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../server/context.js';

/** The annual filtering and monitoring review, mounted at /api/reviews. */
export function reviewRoutes(_ctx: AppContext): FastifyPluginAsync {
  const plugin: FastifyPluginAsyncTypebox = async () => {};
  return plugin as FastifyPluginAsync;
}

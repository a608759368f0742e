import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../server/context.js';

/** The governors' termly report, mounted at /api/governance. */
export function governanceRoutes(_ctx: AppContext): FastifyPluginAsync {
  const plugin: FastifyPluginAsyncTypebox = async () => {};
  return plugin as FastifyPluginAsync;
}

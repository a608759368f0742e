import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../server/context.js';

/** The e-safety policy, mounted at /api/policy. */
export function policyRoutes(_ctx: AppContext): FastifyPluginAsync {
  const plugin: FastifyPluginAsyncTypebox = async () => {};
  return plugin as FastifyPluginAsync;
}

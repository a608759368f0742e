import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../server/context.js';

export function importRoutes(_ctx: AppContext): FastifyPluginAsyncTypebox {
  return async () => {};
}

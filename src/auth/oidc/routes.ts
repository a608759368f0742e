import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../server/context.js';

export function oidcRoutes(_ctx: AppContext): FastifyPluginAsyncTypebox {
  return async () => {};
}

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../../server/context.js';

/** Evidence files, encrypted at rest, with their chain of custody, mounted at /api/incidents. */
export function incidentEvidenceRoutes(_ctx: AppContext): FastifyPluginAsync {
  const plugin: FastifyPluginAsyncTypebox = async () => {};
  return plugin as FastifyPluginAsync;
}

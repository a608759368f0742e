import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../../server/context.js';

/** Exports (moving school, subject access) and retention, mounted at /api/incidents. */
export function incidentRecordsRoutes(_ctx: AppContext): FastifyPluginAsync {
  const plugin: FastifyPluginAsyncTypebox = async () => {};
  return plugin as FastifyPluginAsync;
}

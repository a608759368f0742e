import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../../server/context.js';

/** Monitoring sources, mounted at /api/monitor/sources: capture API keys and syslog senders. */
export function sourceRoutes(ctx: AppContext): FastifyPluginAsync {
  void ctx;
  return async () => {};
}

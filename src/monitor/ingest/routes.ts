import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../../server/context.js';
import type { MonitorServices } from '../runtime.js';
/** The capture API, mounted at /api/monitor: text captures from other systems, with a key per source. */
export function captureRoutes(ctx: AppContext, monitor: MonitorServices): FastifyPluginAsync {
  void ctx;
  void monitor;
  return async () => {};
}

import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../../server/context.js';
import { policyRoutes } from './routes-policy.js';
import { requestRoutes } from './routes-requests.js';
import { scheduleRoutes } from './routes-schedule.js';

/**
 * The filtering policy API, mounted at /api/filter: categories, profiles and their matrix,
 * assignments, the school day, local lists, exceptions, sanctions, devices and subnets,
 * settings, the change-control log, unblock requests and reports.
 */
export function filterPolicyRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    await app.register(policyRoutes(ctx));
    await app.register(scheduleRoutes(ctx));
    await app.register(requestRoutes(ctx));
  };
}

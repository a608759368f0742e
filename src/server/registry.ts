import type { FastifyPluginAsync } from 'fastify';
import { importRoutes } from '../directory/import/routes.js';
import { oidcRoutes } from '../auth/oidc/routes.js';
import { setupRoutes } from '../setup/routes.js';
import type { AppContext } from './context.js';

/** Route plugins of modules beyond the core, with their prefixes. */
export function extraRoutes(ctx: AppContext): [string, FastifyPluginAsync][] {
  return [
    ['/api/directory/imports', importRoutes(ctx)],
    ['/api/auth/oidc', oidcRoutes(ctx)],
    ['/api/setup', setupRoutes(ctx)],
  ];
}

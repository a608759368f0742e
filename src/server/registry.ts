import type { FastifyPluginAsync } from 'fastify';
import { agreementRoutes } from '../agreements/routes.js';
import { oidcRoutes } from '../auth/oidc/routes.js';
import { consentRoutes } from '../consent/routes.js';
import { governanceRoutes } from '../governance/routes.js';
import { importRoutes } from '../directory/import/routes.js';
import { listRoutes } from '../filter/lists/index.js';
import { filterPolicyRoutes } from '../filter/policy/routes.js';
import { filterRuntimeRoutes, type RuntimeSource } from '../filter/runtime/index.js';
import { alertRoutes } from '../monitor/alerts/routes.js';
import { captureRoutes } from '../monitor/ingest/routes.js';
import { libraryRoutes } from '../monitor/library/routes.js';
import { monitorReportRoutes } from '../monitor/reports/routes.js';
import type { MonitorServices } from '../monitor/runtime.js';
import { sourceRoutes } from '../monitor/sources/routes.js';
import { notificationRoutes } from '../notify/routes.js';
import { incidentEvidenceRoutes } from '../safeguarding/evidence/routes.js';
import { incidentInsightRoutes } from '../safeguarding/insight/routes.js';
import { incidentInvestigationRoutes } from '../safeguarding/investigation/routes.js';
import { incidentRecordsRoutes } from '../safeguarding/records/routes.js';
import { incidentResponseRoutes } from '../safeguarding/response/routes.js';
import { incidentRoutes } from '../safeguarding/routes.js';
import { setupRoutes } from '../setup/routes.js';
import { policyRoutes } from '../policy/routes.js';
import { reviewRoutes } from '../review/routes.js';
import { trainingRoutes } from '../training/routes.js';
import type { AppContext } from './context.js';

/** What route plugins may need beyond the context: services that live as long as the process. */
export interface RouteServices {
  /** The filter runtime the block page and the test tool decide with. */
  filterRuntime: RuntimeSource;
  /** The running monitor the capture API writes to. */
  monitor: MonitorServices;
}

/** Route plugins of modules beyond the core, with their prefixes. */
export function extraRoutes(ctx: AppContext, services: RouteServices): [string, FastifyPluginAsync][] {
  return [
    ['/api/directory/imports', importRoutes(ctx)],
    ['/api/auth/oidc', oidcRoutes(ctx)],
    ['/api/setup', setupRoutes(ctx)],
    ['/api/filter/lists', listRoutes(ctx)],
    ['/api/filter', filterPolicyRoutes(ctx)],
    ['/api/filter', filterRuntimeRoutes(ctx, services.filterRuntime)],
    ['/api/notifications', notificationRoutes(ctx)],
    ['/api/incidents', incidentRoutes(ctx)],
    ['/api/incidents', incidentResponseRoutes(ctx)],
    ['/api/incidents', incidentInsightRoutes(ctx)],
    ['/api/incidents', incidentInvestigationRoutes(ctx)],
    ['/api/incidents', incidentEvidenceRoutes(ctx)],
    ['/api/incidents', incidentRecordsRoutes(ctx)],
    ['/api/monitor', captureRoutes(ctx, services.monitor)],
    ['/api/monitor/sources', sourceRoutes(ctx)],
    ['/api/monitor/alerts', alertRoutes(ctx)],
    ['/api/monitor/library', libraryRoutes(ctx)],
    ['/api/monitor', monitorReportRoutes(ctx)],
    ['/api/agreements', agreementRoutes(ctx)],
    ['/api/consent', consentRoutes(ctx)],
    ['/api/training', trainingRoutes(ctx)],
    ['/api/policy', policyRoutes(ctx)],
    ['/api/reviews', reviewRoutes(ctx, services.filterRuntime)],
    ['/api/governance', governanceRoutes(ctx)],
  ];
}

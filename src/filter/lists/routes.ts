import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { authorize, ownSchool } from '../../access/policy.js';
import { AppError } from '../../errors/errors.js';
import type { AppContext } from '../../server/context.js';
import { actorOf } from '../../server/http.js';
import { isHttpUrl } from './download.js';
import { importUt1 } from './import.js';
import { listImports, listStatus } from './status.js';

/**
 * Category lists: their status, a manual UT1 import and the import history. Mounted at
 * /api/filter/lists. There is deliberately no route that edits or deletes list rows: the UT1
 * lists change only by a whole import, and the locked lists only from their configured source.
 */
export function listRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/',
      { schema: { tags: ['filter'], summary: 'Entry counts, sources and last update of every category, and the last import' } },
      async (request) => {
        const actor = actorOf(request);
        authorize(actor, 'filter.read', ownSchool(actor));
        return listStatus(ctx.db);
      },
    );

    app.post(
      '/import',
      {
        schema: {
          tags: ['filter'],
          summary: 'Import UT1 lists now, from the configured source or an http(s) URL of a .tar.gz',
          description:
            'All or nothing. A refused or failed import answers 422 filter.list_import_failed with the report in `details`; the lists in force are kept.',
          body: Type.Object({
            source: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
            reason: Type.String({ minLength: 3, maxLength: 500 }),
          }),
        },
      },
      async (request) => {
        const actor = actorOf(request);
        authorize(actor, 'filter.manage', ownSchool(actor));
        const configured = ctx.config.filter.ut1Source;
        const source = request.body.source ?? configured;
        // A folder on the server is read only when an administrator configured it; through the
        // API, anything else must be a URL, so the API cannot be used to read the server's files.
        if (source !== configured && !isHttpUrl(source)) {
          throw new AppError(
            'bad_request',
            'Give an http(s) URL of a .tar.gz; a folder on the server is imported with `tutela lists import --source`.',
          );
        }
        const report = await importUt1(ctx, {
          source,
          actor: { accountId: actor.accountId, name: actor.displayName },
          reason: request.body.reason,
        });
        if (report.status === 'rejected' || report.status === 'failed') {
          throw new AppError('filter.list_import_failed', report.error ?? 'The import failed; the lists in force are kept.', report);
        }
        return report;
      },
    );

    app.get(
      '/imports',
      {
        schema: {
          tags: ['filter'],
          summary: 'Past list imports and locked list refreshes, newest first',
          querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }) }),
        },
      },
      async (request) => {
        const actor = actorOf(request);
        authorize(actor, 'filter.read', ownSchool(actor));
        return listImports(ctx.db, { limit: request.query.limit });
      },
    );
  };
}

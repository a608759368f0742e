import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { authorize, grantableRoles, ownSchool, type Actor } from '../../access/policy.js';
import { schoolFor, trustOf } from '../scope.js';
import { AppError } from '../../errors/errors.js';
import type { AppContext } from '../../server/context.js';
import { actorOf } from '../../server/http.js';
import { IMPORT_KINDS } from './kinds.js';
import { assertWithinUploadLimit, listImportRuns, previewImport, runImport } from './service.js';

const Kind = Type.Union(IMPORT_KINDS.map((k) => Type.Literal(k)));
const Upload = {
  kind: Kind,
  fileName: Type.String({ minLength: 1, maxLength: 255 }),
  contentBase64: Type.String(),
};

/** MIS CSV imports: preview a file's columns, run (or dry-run) an import, and list past runs. */
export function importRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  // Files travel base64-encoded in JSON, which is a third larger, plus room for the other fields.
  const bodyLimit = Math.ceil((ctx.config.uploadLimitBytes * 4) / 3) + 4096;
  const decodeUpload = (base64: string) => {
    const compact = base64.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) throw new AppError('bad_request', 'contentBase64 is not valid base64.');
    const content = Buffer.from(compact, 'base64');
    assertWithinUploadLimit(content, ctx.config.uploadLimitBytes);
    return content;
  };

  /** The school to import into: your own, or (for a trust administrator) another of the trust's. */
  const authorizeSchool = async (actor: Actor, wanted: string | undefined) => {
    const schoolId = await schoolFor(ctx.db, actor, wanted);
    authorize(actor, 'directory.import', { type: 'school', schoolId, trustId: await trustOf(ctx.db, schoolId) });
    return schoolId;
  };

  return async (app) => {
    app.post(
      '/preview',
      {
        bodyLimit,
        schema: { tags: ['import'], summary: "A file's encoding, columns, suggested mapping and first rows", body: Type.Object(Upload) },
      },
      async (request) => {
        const actor = actorOf(request);
        authorize(actor, 'directory.import', ownSchool(actor));
        return previewImport(decodeUpload(request.body.contentBase64), request.body.kind);
      },
    );

    app.post(
      '/',
      {
        bodyLimit,
        schema: {
          tags: ['import'],
          summary: 'Import (or dry-run) a students, staff, parent links or classes CSV',
          description: 'All or nothing: any bad row rejects the file with 422 and the full report in `details`.',
          body: Type.Object({
            ...Upload,
            mapping: Type.Optional(Type.Record(Type.String(), Type.String({ maxLength: 255 }))),
            dryRun: Type.Boolean(),
            markLeavers: Type.Optional(Type.Boolean()),
            schoolId: Type.Optional(Type.String()),
          }),
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const { kind, fileName, contentBase64, mapping, dryRun, markLeavers } = request.body;
        const schoolId = await authorizeSchool(actor, request.body.schoolId);
        const report = await runImport(ctx, {
          schoolId,
          kind,
          fileName,
          content: decodeUpload(contentBase64),
          mapping,
          dryRun,
          markLeavers,
          actor: { accountId: actor.accountId, username: actor.username },
          ip: request.ip,
          grantableRoles: grantableRoles(actor),
        });
        if (report.status === 'rejected') {
          const n = report.errorCount;
          throw new AppError('invalid_csv', `The file has ${n} ${n === 1 ? 'problem' : 'problems'}; nothing was imported`, report);
        }
        return report;
      },
    );

    app.get(
      '/',
      {
        schema: {
          tags: ['import'],
          summary: "Recent imports of the user's school",
          querystring: Type.Object({
            limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
            schoolId: Type.Optional(Type.String()),
          }),
        },
      },
      async (request) => {
        const actor = actorOf(request);
        return listImportRuns(ctx.db, await authorizeSchool(actor, request.query.schoolId), request.query.limit);
      },
    );
  };
}

import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { authorize, ownSchool } from '../../access/policy.js';
import type { AppContext } from '../../server/context.js';
import { actorOf } from '../../server/http.js';
import { studentFileHtml, subjectAccessHtml } from './html.js';
import { readableBy, retentionStatus, runRetention } from './job.js';
import { exportStudentFile } from './student-file.js';
import { exportSubjectAccess } from './subject-access.js';

const tags = ['incidents'];
const PersonParams = Type.Object({ personId: Type.String({ maxLength: 64 }) });
const FormatQuery = Type.Object({ format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('html')])) });

/** File names carry the student's name only as letters, so no header can be broken by it. */
const fileSafe = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase() || 'person';

/** Exports hold whole safeguarding records: never cached, always a named download or page. */
function sendExport(reply: FastifyReply, format: 'json' | 'html', filename: string, json: unknown, html: () => string) {
  reply.header('cache-control', 'no-store');
  if (format === 'html') {
    reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
    reply.header('content-disposition', `inline; filename="${filename}.html"`);
    return reply.type('text/html; charset=utf-8').send(html());
  }
  reply.header('content-disposition', `attachment; filename="${filename}.json"`);
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(json, null, 2));
}

/** Exports (moving school, subject access) and retention, mounted at /api/incidents. */
export function incidentRecordsRoutes(ctx: AppContext): FastifyPluginAsync {
  const plugin: FastifyPluginAsyncTypebox = async (app) => {
    app.get(
      '/students/:personId/file',
      {
        schema: {
          tags,
          summary: "A student's safeguarding file for their new school (JSON, or printable HTML with a receipt section)",
          params: PersonParams,
          querystring: FormatQuery,
        },
      },
      async (request, reply) => {
        const file = await exportStudentFile(ctx.db, actorOf(request), request.params.personId, { ip: request.ip ?? null }, ctx.clock());
        const day = file.exportedAt.slice(0, 10);
        const name = fileSafe(`${file.student.givenName} ${file.student.familyName}`);
        return sendExport(reply, request.query.format ?? 'json', `safeguarding-file-${name}-${day}`, file, () => studentFileHtml(file));
      },
    );

    app.get(
      '/subject-access/:personId',
      {
        schema: {
          tags,
          summary: "A person's subject-access export with third parties redacted, for the data protection lead to review",
          params: PersonParams,
          querystring: FormatQuery,
        },
      },
      async (request, reply) => {
        const sar = await exportSubjectAccess(ctx.db, actorOf(request), request.params.personId, { ip: request.ip ?? null }, ctx.clock());
        const day = sar.exportedAt.slice(0, 10);
        const name = fileSafe(sar.subject.name);
        return sendExport(reply, request.query.format ?? 'json', `subject-access-${name}-${day}`, sar, () => subjectAccessHtml(sar));
      },
    );

    app.get(
      '/retention',
      { schema: { tags, summary: 'The retention periods in force, what is due for archiving now, and past runs' } },
      async (request) => {
        const actor = actorOf(request);
        authorize(actor, 'incident.retention.manage', ownSchool(actor));
        return retentionStatus(ctx, actor.schoolId, actor);
      },
    );

    app.post(
      '/retention/run',
      {
        schema: {
          tags,
          summary: 'Archive the incidents past their retention date (dryRun: only say which); nothing is ever deleted',
          body: Type.Object({ dryRun: Type.Optional(Type.Boolean()) }),
        },
      },
      async (request) => {
        const actor = actorOf(request);
        authorize(actor, 'incident.retention.manage', ownSchool(actor));
        const result = await runRetention(ctx, {
          schoolId: actor.schoolId,
          by: { username: actor.username, accountId: actor.accountId, personId: actor.personId },
          dryRun: request.body.dryRun ?? false,
        });
        const school = result.schools[0];
        return {
          dryRun: result.dryRun,
          ranAt: result.ranAt,
          runId: school?.runId ?? null,
          counts: school?.counts,
          incidents: await readableBy(ctx.db, actor, school?.archived ?? []),
        };
      },
    );
  };
  return plugin as FastifyPluginAsync;
}

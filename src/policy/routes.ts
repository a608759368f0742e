import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { type Actor, authorize, can, ownSchool } from '../access/policy.js';
import { recordAudit } from '../audit/service.js';
import { documentHtml } from '../export/html-document.js';
import { documentPdf } from '../export/pdf.js';
import type { AppContext } from '../server/context.js';
import { actorOf } from '../server/http.js';
import { schoolToday } from '../training/rules.js';
import { MAX_REVIEW_MONTHS } from './defaults.js';
import { policyDocument } from './document.js';
import { livePolicyTables } from './live.js';
import {
  approveVersion,
  createDraft,
  currentOf,
  draftOf,
  driftOf,
  ensurePolicy,
  listVersions,
  loadVersion,
  MAX_POLICY_BYTES,
  reviewStatus,
  summaryOf,
  updateDraft,
  viewOf,
} from './service.js';
import { loadCommunications, saveCommunications } from './settings.js';
import { MAX_COMMUNICATION_ROWS, type PolicyOverview, STAFF_COMMUNICATION_LEVELS, STUDENT_COMMUNICATION_LEVELS } from './wire.js';

const tags = ['policy'];
// PostgreSQL text cannot hold NUL: one in an id or a field is a bad request, not a server error.
const NO_NUL = '^[^\\u0000]*$';
const Id = Type.String({ minLength: 1, maxLength: 64, pattern: NO_NUL });
const IdParams = Type.Object({ id: Id });
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD, a real calendar date' });
const Text = (maxLength: number, minLength = 0) => Type.String({ minLength, maxLength, pattern: NO_NUL });
const CommunicationRowSchema = Type.Object(
  {
    label: Text(200, 1),
    staff: Type.Union(STAFF_COMMUNICATION_LEVELS.map((l) => Type.Literal(l))),
    students: Type.Union(STUDENT_COMMUNICATION_LEVELS.map((l) => Type.Literal(l))),
  },
  { additionalProperties: false },
);

/** The e-safety policy, mounted at /api/policy. */
export function policyRoutes(ctx: AppContext): FastifyPluginAsync {
  const plugin: FastifyPluginAsyncTypebox = async (app) => {
    const who = (request: FastifyRequest, actor: Actor) => ({ actor, ip: request.ip ?? null, now: ctx.clock() });
    const allowed = (request: FastifyRequest, rule: 'policy.read' | 'policy.manage' | 'policy.approve') => {
      const actor = actorOf(request);
      authorize(actor, rule, ownSchool(actor));
      return actor;
    };

    app.get(
      '/',
      { schema: { tags, summary: 'The policy in force, the draft, every version, drift since approval and the review date' } },
      async (request) => {
        const actor = allowed(request, 'policy.read');
        const now = ctx.clock();
        await ensurePolicy(ctx.db, actor.schoolId, now);
        const versions = await listVersions(ctx.db, actor.schoolId);
        const current = currentOf(versions);
        const draft = draftOf(versions);
        const drift = current ? driftOf(current, await livePolicyTables(ctx.db, actor.schoolId, now)) : null;
        const overview: PolicyOverview = {
          current: current ? viewOf(current) : null,
          draft: draft ? viewOf(draft) : null,
          versions: versions.map(summaryOf),
          drift,
          review: reviewStatus(current?.next_review_on ?? null, schoolToday(now)),
          today: schoolToday(now),
          canManage: can(actor, 'policy.manage', ownSchool(actor)),
          canApprove: can(actor, 'policy.approve', ownSchool(actor)),
        };
        return overview;
      },
    );

    app.get('/versions/:id', { schema: { tags, summary: 'One version, with its text', params: IdParams } }, async (request) => {
      const actor = allowed(request, 'policy.read');
      return viewOf(await loadVersion(ctx.db, actor.schoolId, request.params.id));
    });

    app.post(
      '/versions',
      {
        schema: {
          tags,
          summary: 'Start a new draft from the policy in force',
          body: Type.Object({ changeNote: Type.Optional(Text(2000)) }, { additionalProperties: false }),
        },
      },
      async (request, reply) => {
        const actor = allowed(request, 'policy.manage');
        const row = await createDraft(ctx.db, actor.schoolId, request.body.changeNote ?? '', who(request, actor));
        return reply.status(201).send(viewOf(row));
      },
    );

    app.patch(
      '/versions/:id',
      {
        // The body schema caps characters; the service caps bytes.
        bodyLimit: MAX_POLICY_BYTES * 2,
        schema: {
          tags,
          summary: 'Edit a draft (an approved version never changes)',
          params: IdParams,
          body: Type.Object(
            {
              title: Type.Optional(Text(200, 1)),
              bodyMd: Type.Optional(Text(MAX_POLICY_BYTES, 1)),
              changeNote: Type.Optional(Text(2000)),
              monitoringCycle: Type.Optional(Text(1000, 1)),
              reviewMonths: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_REVIEW_MONTHS })),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (request) => {
        const actor = allowed(request, 'policy.manage');
        const row = await loadVersion(ctx.db, actor.schoolId, request.params.id);
        return viewOf(await updateDraft(ctx.db, row, request.body, who(request, actor)));
      },
    );

    app.post(
      '/versions/:id/approve',
      {
        schema: {
          tags,
          summary: "Record the governors' approval of a draft: date, body and minute reference",
          params: IdParams,
          body: Type.Object(
            {
              approvedOn: IsoDate,
              approvedByBody: Text(200, 1),
              minuteRef: Text(100, 1),
              nextReviewOn: Type.Optional(IsoDate),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (request) => {
        const actor = allowed(request, 'policy.approve');
        const row = await loadVersion(ctx.db, actor.schoolId, request.params.id);
        const tables = await livePolicyTables(ctx.db, actor.schoolId, ctx.clock());
        return viewOf(await approveVersion(ctx.db, row, request.body, tables, who(request, actor)));
      },
    );

    const printable = async (request: FastifyRequest, id: string, format: 'html' | 'pdf') => {
      const actor = allowed(request, 'policy.read');
      const now = ctx.clock();
      const row = await loadVersion(ctx.db, actor.schoolId, id);
      const tables = await livePolicyTables(ctx.db, actor.schoolId, now);
      const school = await ctx.db.selectFrom('schools').select('name').where('id', '=', actor.schoolId).executeTakeFirstOrThrow();
      const current = currentOf(await listVersions(ctx.db, actor.schoolId));
      const replacedBy = row.status === 'approved' && current && current.id !== row.id ? current : null;
      const doc = policyDocument(row, tables, driftOf(row, tables), { schoolName: school.name, generatedAt: now, replacedBy });
      await recordAudit(ctx.db, {
        action: 'policy.export',
        actor,
        targetType: 'policy_version',
        targetId: row.id,
        schoolId: actor.schoolId,
        ip: request.ip,
        details: { version: Number(row.version), status: row.status, format },
        at: now,
      });
      return { doc, now, name: `e-safety-policy-v${row.version}${row.status === 'draft' ? '-draft' : ''}` };
    };

    app.get(
      '/versions/:id/document.html',
      { schema: { tags, summary: 'The version as a standalone web page', params: IdParams } },
      async (request, reply) => {
        const { doc } = await printable(request, request.params.id, 'html');
        return reply
          .header('content-type', 'text/html; charset=utf-8')
          .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
          .send(documentHtml(doc));
      },
    );

    app.get(
      '/versions/:id/document.pdf',
      { schema: { tags, summary: 'The version as a PDF', params: IdParams } },
      async (request, reply) => {
        const { doc, now, name } = await printable(request, request.params.id, 'pdf');
        return reply
          .header('content-type', 'application/pdf')
          .header('content-disposition', `attachment; filename="${name}.pdf"`)
          .send(await documentPdf(doc, now));
      },
    );

    app.get('/tables', { schema: { tags, summary: 'The generated tables as the live configuration stands' } }, async (request) => {
      const actor = allowed(request, 'policy.read');
      return livePolicyTables(ctx.db, actor.schoolId, ctx.clock());
    });

    app.get('/communications', { schema: { tags, summary: 'The communication technologies table' } }, async (request) => {
      const actor = allowed(request, 'policy.read');
      return { rows: await loadCommunications(ctx.db, actor.schoolId) };
    });

    app.put(
      '/communications',
      {
        schema: {
          tags,
          summary: 'Replace the communication technologies table',
          body: Type.Object(
            { rows: Type.Array(CommunicationRowSchema, { maxItems: MAX_COMMUNICATION_ROWS }) },
            { additionalProperties: false },
          ),
        },
      },
      async (request) => {
        const actor = allowed(request, 'policy.manage');
        return { rows: await saveCommunications(ctx.db, actor, request.body.rows, { ip: request.ip, now: ctx.clock() }) };
      },
    );
  };
  return plugin as FastifyPluginAsync;
}

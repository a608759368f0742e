import { type Static, Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { type Action, type Actor, authorize, ownSchool } from '../access/policy.js';
import { recordAudit } from '../audit/service.js';
import type { FilterReviewTable } from '../db/tables.js';
import { schoolOf } from '../directory/service.js';
import { documentHtml } from '../export/html-document.js';
import { documentPdf } from '../export/pdf.js';
import type { RuntimeSource } from '../filter/runtime/routes.js';
import type { AppContext } from '../server/context.js';
import { actorOf } from '../server/http.js';
import { ANSWER_STATUSES, CHECKLIST_IDS, REVIEW_REASONS } from './checklist.js';
import { runChecks } from './checks.js';
import { reviewDocument } from './document.js';
import { ReviewPeople } from './people.js';
import { runResults, runSummaries } from './runs.js';
import { assertOpen, listReviews, loadReview, reviewDetail, signOffReview, startReview, updateReview, type Who } from './service.js';

const tags = ['review'];
// PostgreSQL text cannot hold NUL: one in an id or a field is a bad request, not a server error.
const NO_NUL = '^[^\\u0000]*$';
const Id = Type.String({ minLength: 1, maxLength: 64, pattern: NO_NUL });
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
const Title = Type.String({ minLength: 1, maxLength: 200, pattern: NO_NUL });
const Reason = Type.Union(REVIEW_REASONS.map((r) => Type.Literal(r)));
const PersonSlot = Type.Optional(Type.Union([Id, Type.Null()]));
const Answer = Type.Object({
  status: Type.Union(ANSWER_STATUSES.map((s) => Type.Literal(s))),
  checkedBy: Id,
  checkedOn: IsoDate,
  notes: Type.String({ maxLength: 4000, pattern: NO_NUL }),
});
const Edit = Type.Object({
  title: Type.Optional(Title),
  reason: Type.Optional(Reason),
  people: Type.Optional(Type.Object({ slt: PersonSlot, governor: PersonSlot, dsl: PersonSlot, itLead: PersonSlot })),
  checklist: Type.Optional(
    Type.Record(Type.String({ maxLength: 64, pattern: NO_NUL }), Type.Union([Answer, Type.Null()]), {
      maxProperties: CHECKLIST_IDS.length,
    }),
  ),
  decisions: Type.Optional(Type.String({ maxLength: 20_000, pattern: NO_NUL })),
  actions: Type.Optional(
    Type.Array(Type.Object({ what: Type.String({ minLength: 1, maxLength: 1000, pattern: NO_NUL }), ownerId: Id, due: IsoDate }), {
      maxItems: 100,
    }),
  ),
});
const Params = Type.Object({ id: Id });

/**
 * The annual filtering and monitoring review, mounted at /api/reviews: start one, fill in the
 * guided record, run the automatic checks against the live filter, sign it off, and print it.
 * Every route authorises on the review's own school.
 */
export function reviewRoutes(ctx: AppContext, runtimeOf: RuntimeSource): FastifyPluginAsync {
  const plugin: FastifyPluginAsyncTypebox = async (app) => {
    const who = (request: FastifyRequest, actor: Actor): Who => ({
      actor: { accountId: actor.accountId, username: actor.username, personId: actor.personId },
      ip: request.ip ?? null,
      now: ctx.clock(),
    });
    const reviewFor = async (actor: Actor, id: string, action: Action) => {
      const review = await loadReview(ctx.db, id);
      const school = await schoolOf(ctx.db, review.school_id);
      authorize(actor, action, { type: 'school', schoolId: school.id, trustId: school.trust_id });
      return { review, school };
    };
    /** Reads of a review name people and record the school's safeguarding set-up: each one is on the record. */
    const auditRead = (request: FastifyRequest, actor: Actor, review: FilterReviewTable, action: string, details = {}) =>
      recordAudit(ctx.db, {
        action,
        actor: { accountId: actor.accountId, username: actor.username },
        targetType: 'filter_review',
        targetId: review.id,
        schoolId: review.school_id,
        ip: request.ip ?? null,
        details,
        at: ctx.clock(),
      });

    app.get('/', { schema: { tags, summary: 'The reviews of your school, newest first, and when the next is due' } }, async (request) => {
      const actor = actorOf(request);
      authorize(actor, 'review.read', ownSchool(actor));
      return listReviews(ctx.db, actor.schoolId);
    });

    app.post('/', { schema: { tags, summary: 'Start a review', body: Type.Object({ title: Title, reason: Reason }) } }, async (request) => {
      const actor = actorOf(request);
      authorize(actor, 'review.manage', ownSchool(actor));
      const review = await startReview(ctx.db, actor.schoolId, request.body, who(request, actor));
      return reviewDetail(ctx.db, review);
    });

    app.get(
      '/:id',
      { schema: { tags, summary: 'The whole record, the latest check run grouped by profile, and every run', params: Params } },
      async (request) => {
        const actor = actorOf(request);
        const { review } = await reviewFor(actor, request.params.id, 'review.read');
        await auditRead(request, actor, review, 'review.read');
        return reviewDetail(ctx.db, review);
      },
    );

    app.patch(
      '/:id',
      {
        schema: {
          tags,
          summary: 'Name the people, answer checklist items, record decisions and actions (an open review only)',
          params: Params,
          body: Edit,
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const { review } = await reviewFor(actor, request.params.id, 'review.manage');
        return reviewDetail(ctx.db, await updateReview(ctx.db, review, request.body, who(request, actor)));
      },
    );

    app.post(
      '/:id/checks',
      { schema: { tags, summary: 'Run the automatic checks against the live filter and the keyword library', params: Params } },
      async (request) => {
        const actor = actorOf(request);
        const { review } = await reviewFor(actor, request.params.id, 'review.manage');
        assertOpen(review);
        const { runId } = await runChecks(ctx.db, runtimeOf, review, who(request, actor));
        const people = await (await ReviewPeople.load(ctx.db, review.school_id)).alsoNaming(ctx.db, [actor.personId]);
        const summary = (await runSummaries(ctx.db, review.id, (id) => people.name(id))).find((r) => r.runId === runId)!;
        const run = await runResults(ctx.db, summary);
        return { ...run, failures: run.results.filter((r) => !r.passed) };
      },
    );

    app.post(
      '/:id/sign-off',
      {
        schema: {
          tags,
          summary: 'Sign the review off: refused until the four people are named, every item is answered and the checks have run',
          params: Params,
          body: Type.Object({ note: Type.String({ maxLength: 4000, pattern: NO_NUL }) }),
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const { review } = await reviewFor(actor, request.params.id, 'review.signoff');
        return reviewDetail(ctx.db, await signOffReview(ctx.db, review, request.body.note, who(request, actor)));
      },
    );

    const exportRoute = (format: 'html' | 'pdf') =>
      app.get(
        `/:id/document.${format}`,
        { schema: { tags, summary: `The whole review as ${format === 'html' ? 'a standalone web page' : 'an A4 PDF'}`, params: Params } },
        async (request, reply: FastifyReply) => {
          const actor = actorOf(request);
          // A route built in a loop loses the schema's inferred types; the schema has still validated it.
          const { id } = request.params as Static<typeof Params>;
          const { review, school } = await reviewFor(actor, id, 'review.read');
          const now = ctx.clock();
          const doc = reviewDocument(await reviewDetail(ctx.db, review), school.name, now);
          await auditRead(request, actor, review, 'review.export', { format });
          reply.header('cache-control', 'no-store');
          const name = `filtering-monitoring-review-${review.started_at.slice(0, 10)}.${format}`;
          if (format === 'html') {
            reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
            return reply.type('text/html; charset=utf-8').send(documentHtml(doc));
          }
          reply.header('content-disposition', `attachment; filename="${name}"`);
          return reply.type('application/pdf').send(await documentPdf(doc, now));
        },
      );
    exportRoute('html');
    exportRoute('pdf');
  };
  return plugin as FastifyPluginAsync;
}

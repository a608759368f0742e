import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { authorize, ownSchool } from '../access/policy.js';
import { IMAGE_USES } from '../db/tables.js';
import type { AppContext } from '../server/context.js';
import { actorOf } from '../server/http.js';
import { groupConsent, groupOptions, myChildren, setConsent, studentConsent, studentFor } from './service.js';

const tags = ['consent'];
// PostgreSQL text cannot hold NUL: one in an id or a note is a bad request, not a server error.
const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[^\\u0000]*$' });
const Use = Type.Union(IMAGE_USES.map((u) => Type.Literal(u)));

const Change = Type.Object(
  {
    use: Use,
    granted: Type.Boolean(),
    /** E.g. "paper form returned 3 September"; kept in the change log. */
    note: Type.Optional(Type.String({ maxLength: 500, pattern: '^[^\\u0000]*$' })),
  },
  { additionalProperties: false },
);

/** Image consent, mounted at /api/consent. */
export function consentRoutes(ctx: AppContext): FastifyPluginAsync {
  const plugin: FastifyPluginAsyncTypebox = async (app) => {
    const by = (request: FastifyRequest) => ({ actor: actorOf(request), ip: request.ip ?? null, now: ctx.clock() });

    app.get(
      '/mine',
      { schema: { tags, summary: "A parent's children, each with their image consent per use and its history" } },
      async (request) => ({ children: await myChildren(ctx.db, actorOf(request)) }),
    );

    app.get(
      '/students/:id',
      { schema: { tags, summary: "One student's image consent per use, with every change", params: Type.Object({ id: Id }) } },
      async (request) => {
        const student = await studentFor(ctx.db, actorOf(request), 'consent.read', request.params.id);
        return studentConsent(ctx.db, student);
      },
    );

    app.put(
      '/students/:id',
      {
        schema: {
          tags,
          summary: "Give or withdraw consent for one use (the student's parent or carer, or the head recording a paper form)",
          params: Type.Object({ id: Id }),
          body: Change,
        },
      },
      async (request) => {
        const student = await studentFor(ctx.db, actorOf(request), 'consent.manage', request.params.id);
        const { changed } = await setConsent(ctx.db, student, request.body, by(request));
        return { ...(await studentConsent(ctx.db, student)), changed };
      },
    );

    app.get(
      '/groups',
      { schema: { tags, summary: 'Groups to look up: the ones the member of staff teaches or tutors first, then every class' } },
      async (request) => {
        const actor = actorOf(request);
        authorize(actor, 'consent.read', ownSchool(actor));
        return { groups: await groupOptions(ctx.db, actor) };
      },
    );

    app.get(
      '/groups/:groupId',
      {
        schema: {
          tags,
          summary: "A group's pupils with their consent for one use, those who must not appear first (audited)",
          params: Type.Object({ groupId: Id }),
          querystring: Type.Object({ use: Type.Optional(Use) }, { additionalProperties: false }),
        },
      },
      async (request) => {
        const actor = actorOf(request);
        // Checked on the actor's own school first, so a parent learns nothing about which groups exist.
        authorize(actor, 'consent.read', ownSchool(actor));
        return groupConsent(ctx.db, actor, request.params.groupId, request.query.use ?? 'website', request.ip ?? null, ctx.clock());
      },
    );
  };
  return plugin as FastifyPluginAsync;
}

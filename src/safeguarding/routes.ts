import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { type Actor, authorize, can, ownSchool } from '../access/policy.js';
import { AppError } from '../errors/errors.js';
import { smtpMailer } from '../notify/mailer.js';
import type { AppContext } from '../server/context.js';
import { actorOf } from '../server/http.js';
import { loadIncidentFor } from './access.js';
import { INCIDENT_CATEGORIES } from './categories.js';
import {
  appendConcernEntry,
  type CreatedConcern,
  concernFromStudentReport,
  concernView,
  createConcern,
  listConcerns,
  notifyNewConcern,
  readersOf,
  searchPeople,
} from './concerns/index.js';

const tags = ['incidents'];
const Id = Type.String({ maxLength: 64 });
const IdParams = Type.Object({ id: Id });
const Location = Type.Union([Type.Literal('in_school'), Type.Literal('out_of_school')]);
const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength });

const ConcernBody = Type.Object({
  subjectKind: Type.Union([Type.Literal('student'), Type.Literal('staff')]),
  people: Type.Array(
    Type.Object({
      personId: Id,
      role: Type.Union([Type.Literal('subject'), Type.Literal('harmed'), Type.Literal('witness'), Type.Literal('other')]),
    }),
    { minItems: 1, maxItems: 50 },
  ),
  summary: Text(200),
  description: Text(20_000),
  occurredAt: Text(40),
  location: Location,
  category: Text(40),
  urgency: Type.Union([Type.Literal('low'), Type.Literal('medium'), Type.Literal('high'), Type.Literal('urgent')]),
  links: Type.Optional(Type.Array(Type.Object({ kind: Type.Literal('filter_event'), refId: Id }), { maxItems: 50 })),
  suspectedCsam: Type.Optional(Type.Boolean()),
});

/**
 * The staff form names people from the directory, so it is for those who may browse it;
 * students use the simpler form, which names nobody by id.
 */
function authorizeStaffReporter(actor: Actor): void {
  authorize(actor, 'incident.report', ownSchool(actor));
  if (!can(actor, 'directory.browse', ownSchool(actor))) {
    throw new AppError('forbidden', 'Please use the student report form');
  }
}

/**
 * Logging and reading safeguarding concerns, mounted at /api/incidents beside the response
 * routes. Every route that shows one incident loads it through loadIncidentFor, which
 * authorises on the record and writes the read to the audit log. There is deliberately no
 * route that changes or deletes a report or an entry: corrections are new entries.
 */
export function incidentRoutes(ctx: AppContext): FastifyPluginAsync {
  const plugin: FastifyPluginAsyncTypebox = async (app) => {
    const mailer = smtpMailer(ctx.config.smtp);
    app.addHook('onClose', async () => mailer?.close());
    const client = (request: FastifyRequest) => ({ ip: request.ip ?? null });
    const announce = (request: FastifyRequest, created: CreatedConcern, category: string) =>
      notifyNewConcern(ctx.db, mailer, { ...created, category }, ctx.clock(), (err) =>
        request.log.error({ err }, 'could not e-mail a new-concern notification'),
      );

    app.get('/categories', { schema: { tags, summary: 'The incident categories, with stable ids' } }, async (request) => {
      const actor = actorOf(request);
      authorize(actor, 'incident.report', ownSchool(actor));
      return INCIDENT_CATEGORIES.map((c) => ({ id: c.id, label: c.label }));
    });

    app.get(
      '/people',
      {
        schema: {
          tags,
          summary: 'Students and staff matching a typed name, for the "people involved" picker',
          querystring: Type.Object({ q: Type.String({ maxLength: 100 }) }),
        },
      },
      async (request) => {
        const actor = actorOf(request);
        authorizeStaffReporter(actor);
        return searchPeople(ctx.db, actor.schoolId, request.query.q);
      },
    );

    app.post('/', { schema: { tags, summary: 'Log a concern (staff form)', body: ConcernBody } }, async (request, reply) => {
      const actor = actorOf(request);
      authorizeStaffReporter(actor);
      const created = await createConcern(ctx.db, actor, request.body, client(request), ctx.clock());
      await announce(request, created, request.body.category);
      // The reporter wrote it a moment ago: logging it is audited, showing it back is not a read.
      const incident = await ctx.db.selectFrom('incidents').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
      reply.status(201);
      return concernView(ctx.db, actor, incident);
    });

    app.post(
      '/student-report',
      {
        schema: {
          tags,
          summary: "Report abuse, misuse or something upsetting (students' simpler form)",
          body: Type.Object({
            what: Text(5000),
            who: Type.Optional(Type.String({ maxLength: 500 })),
            when: Type.Optional(Type.String({ maxLength: 40 })),
            where: Type.Optional(Location),
          }),
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        authorize(actor, 'incident.report', ownSchool(actor));
        const concern = concernFromStudentReport(request.body, ctx.clock());
        const reporterKind = actor.roles.has('student') ? 'student' : 'staff';
        const created = await createConcern(ctx.db, actor, concern, client(request), ctx.clock(), reporterKind);
        await announce(request, created, concern.category);
        reply.status(201);
        return { reference: created.reference };
      },
    );

    app.get(
      '/',
      {
        schema: {
          tags,
          summary: 'The incidents you may read (reporters: your own reports)',
          querystring: Type.Object({
            status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')])),
            mine: Type.Optional(Type.Union([Type.Literal('1'), Type.Literal('0')])),
            archived: Type.Optional(Type.Union([Type.Literal('1'), Type.Literal('0')])),
          }),
        },
      },
      async (request) => {
        const actor = actorOf(request);
        authorize(actor, 'incident.report', ownSchool(actor));
        return listConcerns(
          ctx.db,
          actor,
          { status: request.query.status, mine: request.query.mine === '1', archived: request.query.archived === '1' },
          client(request),
          ctx.clock(),
        );
      },
    );

    app.get('/:id', { schema: { tags, summary: 'One incident (every read is audited)', params: IdParams } }, async (request) => {
      const actor = actorOf(request);
      const incident = await loadIncidentFor(ctx.db, actor, request.params.id, 'incident.read', client(request), ctx.clock());
      return concernView(ctx.db, actor, incident);
    });

    app.post(
      '/:id/entries',
      {
        schema: {
          tags,
          summary: 'Add a correction (the reporter) or a note (responders); entries are never edited',
          params: IdParams,
          body: Type.Object({ kind: Type.Union([Type.Literal('correction'), Type.Literal('note')]), body: Text(20_000) }),
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const incident = await loadIncidentFor(ctx.db, actor, request.params.id, 'incident.read', client(request), ctx.clock());
        const entry = await appendConcernEntry(ctx.db, actor, incident, request.body, client(request), ctx.clock());
        reply.status(201);
        return entry;
      },
    );

    app.get('/:id/readers', { schema: { tags, summary: 'Who read the incident, newest first', params: IdParams } }, async (request) => {
      const actor = actorOf(request);
      const incident = await loadIncidentFor(ctx.db, actor, request.params.id, 'incident.respond', client(request), ctx.clock(), 'read');
      return readersOf(ctx.db, incident.id);
    });
  };
  return plugin as FastifyPluginAsync;
}

import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { authorize, ownSchool } from '../../access/policy.js';
import { AppError } from '../../errors/errors.js';
import type { AppContext } from '../../server/context.js';
import { actorOf } from '../../server/http.js';
import { loadIncidentFor } from '../access.js';
import { addAction, closeIncident, listActions, triageIncident, updateAction } from './actions.js';
import { STAFF_ACTIONS, STUDENT_ACTIONS } from './catalogue.js';
import { responderDashboard } from './dashboard.js';
import { listMatrix, updateMatrixRow } from './matrix.js';
import { CONTACT_METHODS, guardiansOf, parentLetter, recordParentsInformed } from './parents.js';
import { suggestActions } from './suggestions.js';

const tags = ['incidents'];
const Id = Type.String({ maxLength: 64 });
const IdParams = Type.Object({ id: Id });
const Audience = Type.Union([Type.Literal('student'), Type.Literal('staff')]);
const IncidentType = Type.String({ minLength: 1, maxLength: 80 });
const Note = Type.String({ maxLength: 4000 });
const DateTime = Type.String({ minLength: 1, maxLength: 40 });

/** A date from the request; typebox checked the shape, this refuses impossible dates. */
function dateOf(value: string, field: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new AppError('validation_failed', `${field} is not a date`);
  return d;
}

/**
 * Responding to incidents, mounted at /api/incidents beside the concerns routes: the
 * actions-and-sanctions matrix, suggestions and triage, actions, parents informed, closing,
 * and the responders' dashboard. Every per-incident route loads the incident through
 * loadIncidentFor, which authorises on the record and audits the access.
 */
export function incidentResponseRoutes(ctx: AppContext): FastifyPluginAsync {
  const plugin: FastifyPluginAsyncTypebox = async (app) => {
    const respond = (request: FastifyRequest, id: string) =>
      loadIncidentFor(ctx.db, actorOf(request), id, 'incident.respond', { ip: request.ip ?? null }, ctx.clock());
    // The responders' reads: still open to them once the incident is archived.
    const respondRead = (request: FastifyRequest, id: string) =>
      loadIncidentFor(ctx.db, actorOf(request), id, 'incident.respond', { ip: request.ip ?? null }, ctx.clock(), 'read');

    app.get('/actions/catalogue', { schema: { tags, summary: 'The actions a school may take, per audience' } }, async (request) => {
      authorize(actorOf(request), 'incident.respond', ownSchool(actorOf(request)));
      return { student: STUDENT_ACTIONS, staff: STAFF_ACTIONS };
    });

    app.get(
      '/matrix',
      { schema: { tags, summary: "The school's actions-and-sanctions matrix", querystring: Type.Object({ audience: Audience }) } },
      async (request) => {
        const actor = actorOf(request);
        authorize(actor, 'incident.respond', ownSchool(actor));
        return listMatrix(ctx.db, actor.schoolId, request.query.audience, ctx.clock());
      },
    );

    app.put(
      '/matrix/:audience/:incidentType',
      {
        schema: {
          tags,
          summary: 'Change the actions (and label) of one matrix row',
          params: Type.Object({ audience: Audience, incidentType: IncidentType }),
          body: Type.Object({
            label: Type.Optional(Type.String({ maxLength: 400 })),
            actions: Type.Array(Type.String({ maxLength: 40 }), { maxItems: 20 }),
          }),
        },
      },
      async (request) => {
        const actor = actorOf(request);
        authorize(actor, 'incident.matrix.manage', ownSchool(actor));
        return updateMatrixRow(ctx.db, {
          schoolId: actor.schoolId,
          audience: request.params.audience,
          incidentType: request.params.incidentType,
          label: request.body.label,
          actions: request.body.actions,
          actor: { accountId: actor.accountId, username: actor.username },
          ip: request.ip ?? null,
          now: ctx.clock(),
        });
      },
    );

    app.get(
      '/dashboard',
      { schema: { tags, summary: 'Open and urgent incidents and overdue actions you respond to' } },
      async (request) => {
        const actor = actorOf(request);
        authorize(actor, 'incident.respond', ownSchool(actor));
        return responderDashboard(ctx.db, actor, { ip: request.ip ?? null }, ctx.clock());
      },
    );

    app.get(
      '/:id/suggestions',
      {
        schema: {
          tags,
          summary: "The matrix's actions for this incident as a type, escalated on a repeat",
          params: IdParams,
          querystring: Type.Object({ incidentType: IncidentType }),
        },
      },
      async (request) => {
        const incident = await respondRead(request, request.params.id);
        return suggestActions(ctx.db, incident, request.query.incidentType, ctx.clock());
      },
    );

    app.post(
      '/:id/triage',
      {
        schema: {
          tags,
          summary: 'Choose the incident type and create its actions',
          params: IdParams,
          body: Type.Object({ incidentType: IncidentType }),
        },
      },
      async (request) => {
        const incident = await respond(request, request.params.id);
        return triageIncident(ctx.db, incident, request.body.incidentType, actorOf(request), ctx.clock());
      },
    );

    app.get('/:id/actions', { schema: { tags, summary: "The incident's actions", params: IdParams } }, async (request) => {
      const incident = await respondRead(request, request.params.id);
      return listActions(ctx.db, incident.id);
    });

    app.post(
      '/:id/actions',
      {
        schema: {
          tags,
          summary: 'Add an action',
          params: IdParams,
          body: Type.Object({ action: Type.String({ maxLength: 40 }), note: Type.Optional(Note), dueAt: Type.Optional(DateTime) }),
        },
      },
      async (request, reply) => {
        const incident = await respond(request, request.params.id);
        const { action, note, dueAt } = request.body;
        const view = await addAction(
          ctx.db,
          incident,
          { action, note, dueAt: dueAt ? dateOf(dueAt, 'dueAt') : undefined },
          actorOf(request),
          ctx.clock(),
        );
        reply.status(201);
        return view;
      },
    );

    app.put(
      '/:id/actions/:actionId',
      {
        schema: {
          tags,
          summary: 'Mark an action pending, done or not needed',
          params: Type.Object({ id: Id, actionId: Id }),
          body: Type.Object({
            status: Type.Union([Type.Literal('pending'), Type.Literal('done'), Type.Literal('not_needed')]),
            note: Type.Optional(Note),
            sanctionUntil: Type.Optional(DateTime),
          }),
        },
      },
      async (request) => {
        const incident = await respond(request, request.params.id);
        const { status, note, sanctionUntil } = request.body;
        return updateAction(
          ctx.db,
          incident,
          request.params.actionId,
          { status, note, sanctionUntil: sanctionUntil ? dateOf(sanctionUntil, 'sanctionUntil') : undefined },
          actorOf(request),
          ctx.clock(),
        );
      },
    );

    app.post(
      '/:id/parents-informed',
      {
        schema: {
          tags,
          summary: "Record that a student's parent or carer was told",
          params: IdParams,
          body: Type.Object({
            studentId: Id,
            parentPersonId: Type.Optional(Id),
            parentName: Type.Optional(Type.String({ maxLength: 200 })),
            method: Type.Union(CONTACT_METHODS.map((m) => Type.Literal(m))),
            contactedAt: DateTime,
            note: Type.Optional(Note),
          }),
        },
      },
      async (request, reply) => {
        const incident = await respond(request, request.params.id);
        const body = request.body;
        const view = await recordParentsInformed(
          ctx.db,
          incident,
          { ...body, contactedAt: dateOf(body.contactedAt, 'contactedAt') },
          actorOf(request),
          ctx.clock(),
        );
        reply.status(201);
        return view;
      },
    );

    app.get(
      '/:id/guardians',
      {
        schema: {
          tags,
          summary: 'The parents and carers linked to a student of the incident, first contact first',
          params: IdParams,
          querystring: Type.Object({ studentId: Id }),
        },
      },
      async (request) => {
        const incident = await respondRead(request, request.params.id);
        return guardiansOf(ctx.db, incident, request.query.studentId);
      },
    );

    app.get(
      '/:id/parent-letter',
      {
        schema: {
          tags,
          summary: 'A plain-text letter to the parents of a student',
          params: IdParams,
          querystring: Type.Object({ studentId: Id }),
        },
      },
      async (request) => {
        const incident = await respondRead(request, request.params.id);
        return parentLetter(ctx.db, incident, request.query.studentId, actorOf(request), ctx.clock());
      },
    );

    app.post(
      '/:id/close',
      {
        schema: {
          tags,
          summary: 'Close the incident with its outcome',
          params: IdParams,
          body: Type.Object({ outcome: Type.String({ maxLength: 4000 }) }),
        },
      },
      async (request) => {
        const incident = await respond(request, request.params.id);
        await closeIncident(ctx.db, incident, request.body.outcome, actorOf(request), ctx.clock());
        return { id: incident.id, status: 'closed' };
      },
    );
  };
  return plugin as FastifyPluginAsync;
}

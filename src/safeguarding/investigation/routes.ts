import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { recordAudit } from '../../audit/service.js';
import { AppError } from '../../errors/errors.js';
import type { AppContext } from '../../server/context.js';
import { actorOf } from '../../server/http.js';
import { loadIncidentFor } from '../access.js';
import {
  addInvestigator,
  type ChangeContext,
  concludeInvestigation,
  MAX_URLS,
  recordDeviceIsolated,
  recordPoliceReferral,
  saveInvestigation,
} from './change.js';
import { investigationHtml } from './print.js';
import { investigationView } from './view.js';

const tags = ['incidents'];
const Id = Type.String({ maxLength: 64 });
const IdParams = Type.Object({ id: Id });

/** A date from the request; typebox checked the shape, this refuses impossible dates. */
function dateOf(value: string, field: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new AppError('validation_failed', `${field} is not a valid date and time`);
  return d;
}

/**
 * The investigation form of seed 002 and its illegal-content procedure, mounted at
 * /api/incidents. Only responders to the incident reach it, through loadIncidentFor, which
 * authorises on the record and audits the access; every change also lands in the chronology.
 */
export function incidentInvestigationRoutes(ctx: AppContext): FastifyPluginAsync {
  const plugin: FastifyPluginAsyncTypebox = async (app) => {
    const load = (request: FastifyRequest, id: string, purpose: 'read' | 'change') =>
      loadIncidentFor(ctx.db, actorOf(request), id, 'incident.respond', { ip: request.ip ?? null }, ctx.clock(), purpose);
    const change = (request: FastifyRequest): ChangeContext => ({ actor: actorOf(request), ip: request.ip ?? null, now: ctx.clock() });
    const audit = (request: FastifyRequest, action: string, incident: { id: string; school_id: string }) =>
      recordAudit(ctx.db, {
        action,
        actor: { accountId: actorOf(request).accountId, username: actorOf(request).username },
        targetType: 'incident',
        targetId: incident.id,
        schoolId: incident.school_id,
        ip: request.ip ?? null,
        at: ctx.clock(),
      });
    // After a change the request is already authorised and audited; only the row is read again,
    // because saving the form may have set the suspected-CSAM flag.
    const current = async (id: string) =>
      investigationView(ctx.db, await ctx.db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirstOrThrow());

    app.get(
      '/:id/investigation',
      { schema: { tags, summary: 'The investigation form, its investigators and what is still needed', params: IdParams } },
      async (request) => {
        const incident = await load(request, request.params.id, 'read');
        await audit(request, 'incident.investigation.read', incident);
        return investigationView(ctx.db, incident);
      },
    );

    app.put(
      '/:id/investigation',
      {
        schema: {
          tags,
          summary: 'Create or update the investigation form until it is concluded',
          params: IdParams,
          body: Type.Object({
            urls: Type.Array(Type.String({ maxLength: 2000 }), { maxItems: MAX_URLS }),
            contentDescription: Type.String({ maxLength: 10_000 }),
            designatedComputer: Type.Optional(Type.String({ maxLength: 200 })),
            suspectedIllegal: Type.Optional(Type.Boolean()),
            suspectedCsam: Type.Optional(Type.Boolean()),
          }),
        },
      },
      async (request) => {
        const incident = await load(request, request.params.id, 'change');
        await saveInvestigation(ctx.db, incident, request.body, change(request));
        return current(incident.id);
      },
    );

    app.post(
      '/:id/investigation/investigators',
      {
        schema: {
          tags,
          summary: 'Add a member of staff of the school as an investigator',
          params: IdParams,
          body: Type.Object({ personId: Id }),
        },
      },
      async (request, reply) => {
        const incident = await load(request, request.params.id, 'change');
        await addInvestigator(ctx.db, incident, request.body.personId, change(request));
        reply.status(201);
        return current(incident.id);
      },
    );

    app.post(
      '/:id/investigation/police',
      {
        schema: {
          tags,
          summary: 'Record the police referral: reference and time',
          params: IdParams,
          body: Type.Object({
            reference: Type.String({ minLength: 1, maxLength: 100 }),
            referredAt: Type.String({ minLength: 1, maxLength: 40 }),
          }),
        },
      },
      async (request) => {
        const incident = await load(request, request.params.id, 'change');
        const referredAt = dateOf(request.body.referredAt, 'referredAt');
        await recordPoliceReferral(ctx.db, incident, { reference: request.body.reference, referredAt }, change(request));
        return current(incident.id);
      },
    );

    app.post(
      '/:id/investigation/device-isolated',
      {
        schema: {
          tags,
          summary: 'Record that the device was isolated, when and by whom',
          params: IdParams,
          body: Type.Object({ note: Type.Optional(Type.String({ maxLength: 2000 })) }),
        },
      },
      async (request) => {
        const incident = await load(request, request.params.id, 'change');
        await recordDeviceIsolated(ctx.db, incident, request.body.note, change(request));
        return current(incident.id);
      },
    );

    app.post(
      '/:id/investigation/conclude',
      {
        schema: {
          tags,
          summary: 'Conclude the investigation (refused until every step of the procedure is done)',
          params: IdParams,
          body: Type.Object({
            conclusion: Type.Union([Type.Literal('substantiated'), Type.Literal('not_substantiated')]),
            actionsTaken: Type.String({ maxLength: 10_000 }),
          }),
        },
      },
      async (request) => {
        const incident = await load(request, request.params.id, 'change');
        await concludeInvestigation(ctx.db, incident, request.body, change(request));
        return current(incident.id);
      },
    );

    app.get(
      '/:id/investigation/print',
      { schema: { tags, summary: 'The investigation record as a printable page with signature lines', params: IdParams } },
      async (request, reply) => {
        const incident = await load(request, request.params.id, 'read');
        const view = await investigationView(ctx.db, incident);
        await audit(request, 'incident.investigation.export', incident);
        reply.header('cache-control', 'no-store');
        reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
        return reply.type('text/html; charset=utf-8').send(await investigationHtml(ctx.db, incident, view, ctx.clock()));
      },
    );
  };
  return plugin as FastifyPluginAsync;
}

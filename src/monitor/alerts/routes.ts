import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { authorize, ownSchool } from '../../access/policy.js';
import { AppError } from '../../errors/errors.js';
import { smtpMailer } from '../../notify/mailer.js';
import type { AppContext } from '../../server/context.js';
import { actorOf } from '../../server/http.js';
import { MONITOR_CATEGORIES, SEVERITIES } from '../keywords/types.js';
import { escalateAlert, escalationDraft } from './escalate.js';
import { type AlertAction, alertDetail, assertSeesAlerts, listAlerts, loadAlertFor, openCounts } from './service.js';
import { addAlertNote, bulkChange, changeAlertStatus, type StatusChange } from './changes.js';

const tags = ['monitoring'];
/** PostgreSQL text cannot hold NUL: one in a parameter is a bad request, not a server error. */
const NO_NUL = '^[^\\u0000]*$';
const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[^\\u0000-\\u001f]+$' });
const IdParams = Type.Object({ id: Id });
const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Status = literals(['open', 'false_positive', 'escalated', 'closed', 'all'] as const);
const Reason = Type.String({ minLength: 3, maxLength: 500, pattern: NO_NUL });

/**
 * The DSL's triage queue, mounted at /api/monitor/alerts. Every route that touches one alert
 * loads it through `loadAlertFor`, which authorises on the record (a refusal is "not found")
 * and audits the read; the list audits the ids it showed.
 */
export function alertRoutes(ctx: AppContext): FastifyPluginAsync {
  const plugin: FastifyPluginAsyncTypebox = async (app) => {
    const mailer = smtpMailer(ctx.config.smtp);
    app.addHook('onClose', async () => mailer?.close());
    const client = (request: FastifyRequest) => ({ ip: request.ip ?? null });
    const load = (request: FastifyRequest, id: string, action: AlertAction, audit = false) =>
      loadAlertFor(ctx.db, actorOf(request), id, action, client(request), ctx.clock(), audit);
    const detail = async (request: FastifyRequest, id: string) => {
      const row = await ctx.db.selectFrom('monitor_alerts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      return alertDetail(ctx.db, actorOf(request), row, client(request), ctx.clock());
    };
    const change = async (request: FastifyRequest, id: string, what: StatusChange) => {
      const row = await load(request, id, 'monitor.alert.triage');
      await changeAlertStatus(ctx.db, actorOf(request), row, what, client(request), ctx.clock());
      return detail(request, id);
    };

    app.get(
      '/',
      {
        schema: {
          tags,
          summary: 'The triage queue: critical first, then newest (the ids shown are audited)',
          querystring: Type.Object({
            status: Type.Optional(Status),
            category: Type.Optional(literals(MONITOR_CATEGORIES)),
            severity: Type.Optional(literals(SEVERITIES)),
            groupId: Type.Optional(Id),
            personId: Type.Optional(Id),
            limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
            offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
          }),
        },
      },
      async (request) => {
        const { status = 'open', ...rest } = request.query;
        return listAlerts(ctx.db, actorOf(request), { status, ...rest }, client(request), ctx.clock());
      },
    );

    app.get('/counts', { schema: { tags, summary: 'Open alerts by severity, for the navigation badge' } }, async (request) => ({
      open: await openCounts(ctx.db, actorOf(request)),
    }));

    app.get(
      '/:id',
      { schema: { tags, summary: 'One alert with its capture (every read is audited)', params: IdParams } },
      async (request) => {
        const row = await load(request, request.params.id, 'monitor.alert.read', true);
        return alertDetail(ctx.db, actorOf(request), row, client(request), ctx.clock());
      },
    );

    app.post(
      '/:id/notes',
      {
        schema: {
          tags,
          summary: 'Add a note',
          params: IdParams,
          body: Type.Object({ text: Type.String({ minLength: 1, maxLength: 4000, pattern: NO_NUL }) }),
        },
      },
      async (request) => {
        const row = await load(request, request.params.id, 'monitor.alert.triage');
        await addAlertNote(ctx.db, actorOf(request), row, request.body.text, client(request), ctx.clock());
        return detail(request, row.id);
      },
    );

    app.post(
      '/:id/false-positive',
      { schema: { tags, summary: 'Mark a false positive, with the reason', params: IdParams, body: Type.Object({ reason: Reason }) } },
      async (request) => change(request, request.params.id, { action: 'false_positive', reason: request.body.reason }),
    );

    app.post(
      '/:id/close',
      {
        schema: {
          tags,
          summary: 'Close the alert (no further action), optionally with a note',
          params: IdParams,
          body: Type.Object({ note: Type.Optional(Type.String({ maxLength: 4000, pattern: NO_NUL })) }),
        },
      },
      async (request) => change(request, request.params.id, { action: 'close', note: request.body.note }),
    );

    app.post(
      '/:id/reopen',
      { schema: { tags, summary: 'Reopen a closed or false-positive alert', params: IdParams, body: Type.Object({}) } },
      async (request) => change(request, request.params.id, { action: 'reopen' }),
    );

    app.get(
      '/:id/escalation-draft',
      { schema: { tags, summary: 'The incident form prefilled from the alert', params: IdParams } },
      async (request) => escalationDraft(await load(request, request.params.id, 'monitor.alert.triage', true)),
    );

    app.post(
      '/:id/escalate',
      {
        schema: {
          tags,
          summary: 'Escalate to a safeguarding incident about the person, reported by you',
          params: IdParams,
          body: Type.Object({
            category: Type.String({ minLength: 1, maxLength: 40, pattern: NO_NUL }),
            summary: Type.String({ minLength: 1, maxLength: 200, pattern: NO_NUL }),
            description: Type.String({ minLength: 1, maxLength: 20_000, pattern: NO_NUL }),
          }),
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const row = await load(request, request.params.id, 'monitor.alert.triage');
        authorize(actor, 'incident.report', ownSchool(actor));
        const { incidentId } = await escalateAlert(ctx.db, mailer, actor, row, request.body, client(request), ctx.clock(), (err) =>
          request.log.error({ err }, 'could not e-mail a new-concern notification'),
        );
        return { alert: await detail(request, row.id), incidentId };
      },
    );

    app.post(
      '/bulk',
      {
        schema: {
          tags,
          summary: 'Mark many alerts false positives, close or reopen them; each is authorised on its own',
          body: Type.Object({
            ids: Type.Array(Id, { minItems: 1, maxItems: 200 }),
            action: literals(['false_positive', 'close', 'reopen'] as const),
            reason: Type.Optional(Reason),
          }),
        },
      },
      async (request) => {
        const actor = actorOf(request);
        assertSeesAlerts(actor);
        const { ids, action, reason } = request.body;
        let what: StatusChange;
        if (action === 'false_positive') {
          if (!reason) throw new AppError('validation_failed', 'A reason is needed to mark false positives');
          what = { action, reason };
        } else what = { action };
        return bulkChange(ctx.db, actor, ids, what, client(request), ctx.clock());
      },
    );
  };
  return plugin as FastifyPluginAsync;
}

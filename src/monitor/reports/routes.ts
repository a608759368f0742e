import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { type Actor, authorize, can, ownSchool } from '../../access/policy.js';
import { recordAudit } from '../../audit/service.js';
import { AppError, notFound } from '../../errors/errors.js';
import { smtpMailer } from '../../notify/mailer.js';
import type { AppContext } from '../../server/context.js';
import { actorOf } from '../../server/http.js';
import { MONITOR_CATEGORIES } from '../keywords/types.js';
import { purgeSchool, purgeStatus } from '../retention/purge.js';
import { loadMonitorSettings, type MonitorSettings, MonitorSettingsSchema, saveMonitorSettings } from '../settings.js';
import { renderReportHtml } from './render.js';
import { listReports, loadReport, runReport, type StoredReport } from './store.js';
import { withoutAlertsAbout } from './reader.js';
import type { ReportAlert, ReportData } from './types.js';

const tags = ['monitoring'];
// PostgreSQL text cannot hold NUL: an id with one is a bad request, not a server error.
const IdParams = Type.Object({ id: Type.String({ maxLength: 64, pattern: '^[^\\u0000]*$' }) });

/** The settings as flat paths, so the audit entry can say exactly what changed. */
function flatten(value: unknown, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) for (const [p, leaf] of flatten(v, prefix ? `${prefix}.${k}` : k)) out.set(p, leaf);
  } else out.set(prefix, value);
  return out;
}

function changedPaths(before: MonitorSettings, after: MonitorSettings): { path: string; from: unknown; to: unknown }[] {
  const a = flatten(before);
  const b = flatten(after);
  return [...new Set([...a.keys(), ...b.keys()])]
    .filter((p) => a.get(p) !== b.get(p))
    .sort()
    .map((path) => ({ path, from: a.get(path) ?? null, to: b.get(path) ?? null }));
}

/**
 * The schema leaves the per-category overrides open (a partial object), so a misspelt
 * category would be stored and silently never apply: refuse it by name instead.
 */
function rejectUnknownCategories(settings: MonitorSettings): void {
  const known = new Set<string>(MONITOR_CATEGORIES);
  for (const [profile, p] of Object.entries(settings.profiles)) {
    const unknown = Object.keys(p.categorySeverity).filter((c) => !known.has(c));
    if (unknown.length > 0) {
      throw new AppError(
        'validation_failed',
        `Invalid request: profiles.${profile}.categorySeverity names unknown categories (${unknown.join(', ')}); the categories are ${MONITOR_CATEGORIES.join(', ')}`,
      );
    }
  }
}

/**
 * The report as this reader may see it: alerts about them taken out of every figure, and the
 * remaining alert lines authorised one by one, as in the queue (the head sees lines only for
 * alerts about staff). The week before's alert list is only for that arithmetic and never leaves.
 */
function reportFor(actor: Actor, report: StoredReport, trustId: string): { data: ReportData; visible: ReportAlert[] } {
  const data = withoutAlertsAbout(report.data, actor.personId);
  const visible = data.alerts.items.filter((a) =>
    can(actor, 'monitor.alert.read', {
      type: 'monitor_alert',
      schoolId: report.schoolId,
      trustId,
      personId: a.personId,
      aboutStaff: a.profile === 'staff',
    }),
  );
  const shown = { ...data, alerts: { ...data.alerts, items: visible } } as ReportData;
  if (shown.kind === 'weekly') shown.previousAlerts = [];
  return { data: shown, visible };
}

/** Reports, settings and retention, mounted at /api/monitor. */
export function monitorReportRoutes(ctx: AppContext): FastifyPluginAsync {
  const plugin: FastifyPluginAsyncTypebox = async (app) => {
    const mailer = smtpMailer(ctx.config.smtp);
    app.addHook('onClose', async () => mailer?.close());

    app.get(
      '/reports',
      { schema: { tags, summary: 'Daily summaries and weekly reports of the school, newest first' } },
      async (request) => {
        const actor = actorOf(request);
        authorize(actor, 'monitor.report.read', ownSchool(actor));
        return listReports(ctx, actor.schoolId);
      },
    );

    app.get(
      '/reports/:id',
      {
        schema: {
          tags,
          summary: 'One report with its figures (JSON), or ?format=html for the printable page with charts; every read is audited',
          params: IdParams,
          querystring: Type.Object({ format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('html')])) }),
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const report = await loadReport(ctx, request.params.id);
        if (!report) throw notFound('Report');
        const school = await ctx.db.selectFrom('schools').select('trust_id').where('id', '=', report.schoolId).executeTakeFirstOrThrow();
        authorize(actor, 'monitor.report.read', { type: 'school', schoolId: report.schoolId, trustId: school.trust_id });
        const format = request.query.format ?? 'json';
        const { data, visible } = reportFor(actor, report, school.trust_id);
        // Reports name pupils and staff: who read which one is on the record.
        await recordAudit(ctx.db, {
          action: 'monitor.report.read',
          actor: { accountId: actor.accountId, username: actor.username },
          targetType: 'monitor_report',
          targetId: report.id,
          schoolId: report.schoolId,
          ip: request.ip ?? null,
          details: { kind: report.kind, format },
          at: ctx.clock(),
        });
        reply.header('cache-control', 'no-store');
        if (format === 'html') {
          reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
          return reply
            .type('text/html; charset=utf-8')
            .send(renderReportHtml(data, { audience: 'app', reportUrl: null, visibleAlerts: visible }));
        }
        return { ...report, data };
      },
    );

    app.post(
      '/reports/run',
      {
        schema: {
          tags,
          summary:
            'Make the daily summary or weekly report now (the last complete day or week, or the one holding `date`) and send it unless send is false',
          body: Type.Object(
            {
              kind: Type.Union([Type.Literal('daily'), Type.Literal('weekly')]),
              date: Type.Optional(Type.String({ maxLength: 40 })),
              send: Type.Optional(Type.Boolean()),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        authorize(actor, 'monitor.report.read', ownSchool(actor));
        const { report, created } = await runReport(ctx, mailer, {
          schoolId: actor.schoolId,
          kind: request.body.kind,
          date: request.body.date,
          send: request.body.send ?? true,
          by: { username: actor.username, accountId: actor.accountId },
          log: request.log,
        });
        reply.status(created ? 201 : 200);
        const { data: _data, ...summary } = report;
        return { ...summary, created };
      },
    );

    app.get('/settings', { schema: { tags, summary: "The school's monitoring settings (defaults until changed)" } }, async (request) => {
      const actor = actorOf(request);
      authorize(actor, 'monitor.settings.manage', ownSchool(actor));
      return loadMonitorSettings(ctx.db, actor.schoolId);
    });

    app.put(
      '/settings',
      {
        schema: {
          tags,
          summary: 'Replace the monitoring settings: thresholds and severities per profile, fold window, retention and report times',
          body: MonitorSettingsSchema,
        },
      },
      async (request) => {
        const actor = actorOf(request);
        authorize(actor, 'monitor.settings.manage', ownSchool(actor));
        const settings = request.body as unknown as MonitorSettings;
        rejectUnknownCategories(settings);
        const before = await loadMonitorSettings(ctx.db, actor.schoolId);
        const now = ctx.clock();
        await ctx.db.transaction().execute(async (trx) => {
          await saveMonitorSettings(trx, actor.schoolId, settings, actor.username, now);
          await recordAudit(trx, {
            action: 'monitor.settings.update',
            actor: { accountId: actor.accountId, username: actor.username },
            targetType: 'monitor_settings',
            targetId: actor.schoolId,
            schoolId: actor.schoolId,
            ip: request.ip ?? null,
            details: { changes: changedPaths(before, settings) },
            at: now,
          });
        });
        return loadMonitorSettings(ctx.db, actor.schoolId);
      },
    );

    app.get(
      '/retention',
      { schema: { tags, summary: 'How long activity and alerts are kept, the last purges and when the next is due' } },
      async (request) => {
        const actor = actorOf(request);
        authorize(actor, 'monitor.settings.manage', ownSchool(actor));
        return purgeStatus(ctx, actor.schoolId);
      },
    );

    app.post(
      '/retention/run',
      {
        schema: {
          tags,
          summary:
            'Delete activity and resolved alerts past their retention now (dryRun: only count them); open and escalated alerts are kept',
          body: Type.Object({ dryRun: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        },
      },
      async (request) => {
        const actor = actorOf(request);
        authorize(actor, 'monitor.settings.manage', ownSchool(actor));
        return purgeSchool(ctx, actor.schoolId, {
          by: { username: actor.username, accountId: actor.accountId },
          dryRun: request.body.dryRun ?? false,
        });
      },
    );
  };
  return plugin as FastifyPluginAsync;
}

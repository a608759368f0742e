/**
 * Sends a stored report to the school's designated safeguarding leads: a notification in the
 * app for each of them, and an e-mail to each with an address when SMTP is configured. The
 * e-mail carries counts and charts but no names; the notification links to the full report.
 */
import type { Mailer } from '../../notify/mailer.js';
import { createNotifications, peopleInRoles } from '../../notify/service.js';
import type { AppContext } from '../../server/context.js';
import { withoutAlertsAbout } from './reader.js';
import { renderReportHtml, renderReportText, reportTitle } from './render.js';
import type { StoredReport } from './store.js';

export interface SendLog {
  error(o: object, m?: string): void;
}

/** The report's page in the app: absolute when the server's public address is configured. */
export function reportLink(ctx: AppContext, id: string): { path: string; url: string | null } {
  const path = `/monitoring/reports/${encodeURIComponent(id)}`;
  const base = ctx.config.web.publicUrl?.replace(/\/+$/, '');
  return { path, url: base ? `${base}${path}` : null };
}

/**
 * @example
 *   const { emailed } = await sendReport(ctx, mailer, report);
 */
export async function sendReport(
  ctx: AppContext,
  mailer: Mailer | null,
  report: StoredReport,
  log?: SendLog,
): Promise<{ notified: number; emailed: number }> {
  const recipients = await peopleInRoles(ctx.db, report.schoolId, ['dsl']);
  const title = reportTitle(report.data);
  const { path, url } = reportLink(ctx, report.id);
  let notified = 0;
  for (const r of recipients) {
    const t = withoutAlertsAbout(report.data, r.id).totals;
    notified += await createNotifications(ctx.db, {
      schoolId: report.schoolId,
      recipientIds: [r.id],
      kind: `monitor.report.${report.kind}`,
      title,
      body: `${t.requests.toLocaleString('en-GB')} requests seen, ${t.blocked.toLocaleString('en-GB')} blocked, ${t.alerts.toLocaleString('en-GB')} new alerts.`,
      link: path,
      at: ctx.clock(),
    });
  }
  let emailed = 0;
  if (mailer) {
    for (const r of recipients) {
      if (!r.email) continue;
      // Each DSL's copy leaves out alerts about that DSL, down to the counts.
      const data = withoutAlertsAbout(report.data, r.id);
      const text = renderReportText(data, url);
      const html = renderReportHtml(data, { audience: 'email', reportUrl: url });
      try {
        await mailer.send({ to: r.email, subject: `[Tutela] ${title}`, text, html });
        emailed += 1;
      } catch (error) {
        // One unreachable mailbox must not keep the report from the others; the app has it anyway.
        log?.error({ err: error, reportId: report.id }, 'could not e-mail a monitoring report');
      }
    }
  }
  if (emailed > 0) await ctx.db.updateTable('monitor_reports').set({ emailed_to: emailed }).where('id', '=', report.id).execute();
  return { notified, emailed };
}

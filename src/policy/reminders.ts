import { dayText } from '../export/dates.js';
import { recordAudit } from '../audit/service.js';
import type { Mailer } from '../notify/mailer.js';
import { createNotifications } from '../notify/service.js';
import type { AppContext } from '../server/context.js';
import { schoolToday } from '../training/rules.js';
import { reviewStatus } from './service.js';

export interface PolicyReminder {
  schoolId: string;
  versionId: string;
  kind: 'due' | 'overdue';
  nextReviewOn: string;
  /** People told in the app; `emailed` of them also by e-mail. */
  notified: number;
  emailed: number;
}

/**
 * Tells the head(s) and governors of each school whose policy review is due within 30 days,
 * once per review date, and once more when it becomes overdue. The reminder is claimed on the
 * version row before anything is sent, so two nodes running this at once send it once. A
 * failure in one school is handed to `onError` and the others go on.
 *
 * @example
 *   const sent = await sendPolicyReminders(ctx, ctx.clock(), { mailer });
 */
export async function sendPolicyReminders(
  ctx: AppContext,
  now: Date,
  options: { mailer?: Mailer | null; onError?: (err: unknown) => void } = {},
): Promise<PolicyReminder[]> {
  const today = schoolToday(now);
  const versions = await ctx.db
    .selectFrom('policy_versions as v')
    .select(['v.id', 'v.school_id', 'v.version', 'v.next_review_on', 'v.due_reminder_for', 'v.overdue_reminder_for'])
    .where('v.status', '=', 'approved')
    // The policy in force: no later approved version in the same school.
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('policy_versions as later')
            .select('later.id')
            .whereRef('later.school_id', '=', 'v.school_id')
            .where('later.status', '=', 'approved')
            .whereRef('later.version', '>', 'v.version'),
        ),
      ),
    )
    .execute();
  const base = ctx.config.web.publicUrl?.replace(/\/$/, '') ?? '';
  const link = `${base}/governance/policy`;
  const sent: PolicyReminder[] = [];
  for (const v of versions) {
    const status = reviewStatus(v.next_review_on, today);
    const next = v.next_review_on;
    if (!next || (status.state !== 'due_soon' && status.state !== 'overdue')) continue;
    const kind = status.state === 'overdue' ? 'overdue' : 'due';
    const column = kind === 'overdue' ? 'overdue_reminder_for' : 'due_reminder_for';
    if (v[column] === next) continue;
    const title = kind === 'overdue' ? 'The e-safety policy review is overdue' : 'The e-safety policy review is due soon';
    const body =
      kind === 'overdue'
        ? `The e-safety policy was due for review by governors on ${dayText(next)}. Please take it to the next governors' meeting and record their approval in Tutela.`
        : `The e-safety policy is due for review by governors by ${dayText(next)}. Please put it on the agenda and record their approval in Tutela.`;
    try {
      // Claiming the reminder, the notifications and the audit entry commit together: a failure
      // leaves the reminder unclaimed for the next run, and a second node finds it claimed.
      const recipients = await ctx.db.transaction().execute(async (trx) => {
        const claimed = await trx
          .updateTable('policy_versions')
          .set(kind === 'overdue' ? { overdue_reminder_for: next } : { due_reminder_for: next })
          .where('id', '=', v.id)
          .where((eb) => eb.or([eb(column, 'is', null), eb(column, '!=', next)]))
          .executeTakeFirst();
        if (Number(claimed.numUpdatedRows) === 0) return null;
        const people = await trx
          .selectFrom('people')
          .innerJoin('person_roles', 'person_roles.person_id', 'people.id')
          .select(['people.id', 'people.email', 'people.given_name', 'people.preferred_name'])
          .where('people.school_id', '=', v.school_id)
          .where('people.status', '=', 'active')
          .where('person_roles.role', 'in', ['head', 'governor'])
          .distinct()
          .execute();
        const unique = [...new Map(people.map((p) => [p.id, p])).values()];
        await createNotifications(trx, {
          schoolId: v.school_id,
          recipientIds: unique.map((p) => p.id),
          kind: 'policy.review',
          title,
          body,
          link,
          at: now,
        });
        await recordAudit(trx, {
          action: 'policy.reminder',
          actor: null,
          targetType: 'policy_version',
          targetId: v.id,
          schoolId: v.school_id,
          ip: null,
          details: { version: Number(v.version), kind, nextReviewOn: next, notified: unique.length },
          at: now,
        });
        return unique;
      });
      if (!recipients) continue;
      let emailed = 0;
      for (const r of recipients) {
        if (!options.mailer || !r.email) continue;
        try {
          await options.mailer.send({
            to: r.email,
            subject: `[Tutela] ${title}`,
            text: `Dear ${r.preferred_name ?? r.given_name},\n\n${body}\n\n${link}`,
          });
          emailed += 1;
        } catch (err) {
          options.onError?.(err);
        }
      }
      sent.push({ schoolId: v.school_id, versionId: v.id, kind, nextReviewOn: next, notified: recipients.length, emailed });
    } catch (err) {
      options.onError?.(err);
    }
  }
  return sent;
}

/** Twice a day is plenty for a yearly review date, and a restart soon catches up. */
const INTERVAL_MS = 12 * 3_600_000;
const FIRST_RUN_DELAY_MS = 90_000;

/**
 * Runs `sendPolicyReminders` beside the other schedules of `tutela start`. Never throws: a
 * failed run is logged and the next one tries again.
 *
 * @example
 *   const policy = startPolicyReminders(ctx, mailer, log);
 *   stops.push(() => policy.stop());
 */
export function startPolicyReminders(
  ctx: AppContext,
  mailer: Mailer | null,
  log: { info(o: object, m?: string): void; error(o: object, m?: string): void },
): { stop(): void } {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      const sent = await sendPolicyReminders(ctx, ctx.clock(), {
        mailer,
        onError: (err) => log.error({ err }, 'a policy review reminder failed'),
      });
      if (sent.length > 0) log.info({ reminders: sent.length }, 'policy review reminders sent');
    } catch (error) {
      log.error({ err: error }, 'policy review reminders failed; they will be tried again at the next run');
    } finally {
      running = false;
    }
  };
  const first = setTimeout(() => void run(), FIRST_RUN_DELAY_MS);
  first.unref();
  const timer = setInterval(() => void run(), INTERVAL_MS);
  timer.unref();
  return {
    stop() {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}

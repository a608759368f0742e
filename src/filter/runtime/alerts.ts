import type { ActivityBus } from '../../activity/bus.js';
import type { ActivityEvent } from '../../activity/event.js';
import type { Mailer } from '../../notify/mailer.js';
import { createNotifications, peopleInRoles } from '../../notify/service.js';
import type { AppContext } from '../../server/context.js';
import { categoryLabel } from '../categories.js';
import { personName } from '../policy/rows.js';

/** The same person (or address) and category alert the DSL at most once in this time. */
export const ALERT_THROTTLE_MS = 10 * 60_000;

export interface AlerterLog {
  error(o: object, m?: string): void;
}

/**
 * Tells a school's DSLs about blocks in the categories the school marks as alerting (illegal
 * content, extremism, self-harm by default): an in-app notification each, and an e-mail when
 * SMTP is set up. A pupil who keeps retrying a blocked site raises one alert per ten minutes,
 * not one per DNS query.
 *
 * @example
 *   const alerter = new BlockAlerter(ctx, bus, smtpMailer(ctx.config.smtp)).start();
 */
export class BlockAlerter {
  private readonly lastAlert = new Map<string, number>();
  private readonly inFlight = new Set<Promise<void>>();
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly ctx: AppContext,
    private readonly bus: ActivityBus,
    private readonly mailer: Mailer | null,
    private readonly log?: AlerterLog,
  ) {}

  start(): this {
    this.unsubscribe ??= this.bus.subscribe((event) => this.consider(event));
    return this;
  }

  /** Stops listening and waits for alerts already being written and sent. */
  async close(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    await this.idle();
  }

  /** Resolves when every alert started so far is written (and its e-mail handed over). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private consider(event: ActivityEvent): void {
    if (!event.alert || event.action !== 'block' || !event.schoolId) return;
    const who = event.personId ?? `address:${event.clientAddress ?? '?'}`;
    const key = `${event.schoolId}|${who}|${event.category ?? '-'}`;
    const at = event.at.getTime();
    const last = this.lastAlert.get(key);
    if (last !== undefined && at - last < ALERT_THROTTLE_MS && at >= last) return;
    this.lastAlert.set(key, at);
    if (this.lastAlert.size > 10_000) this.prune(at);
    const work = this.send(event)
      .catch((error) => this.log?.error({ err: error }, 'could not raise a filter alert'))
      .finally(() => this.inFlight.delete(work));
    this.inFlight.add(work);
  }

  private async send(event: ActivityEvent): Promise<void> {
    const { db } = this.ctx;
    const dsls = await peopleInRoles(db, event.schoolId, ['dsl']);
    if (dsls.length === 0) return;
    const person = event.personId
      ? await db
          .selectFrom('people')
          .select(['given_name', 'preferred_name', 'family_name'])
          .where('id', '=', event.personId)
          .executeTakeFirst()
      : undefined;
    const who = person ? personName(person) : `An unidentified device at ${event.clientAddress ?? 'an unknown address'}`;
    const what = event.category ? categoryLabel(event.category) : 'a blocked site';
    const title = `Filter alert: ${what}`;
    const lines = [
      `${who} was blocked from ${event.host ?? 'a site'} (${what}) at ${event.at.toISOString().replace('T', ' ').slice(0, 16)} UTC.`,
      event.searchTerms ? `They searched for: "${event.searchTerms}".` : null,
      `Source: ${event.source === 'dns' ? 'DNS filter' : event.source === 'proxy' ? 'web proxy' : 'block page'}, rule: ${event.rule}.`,
      'Further attempts in the next ten minutes are in the activity log but raise no new alert.',
    ].filter((l): l is string => l !== null);
    const body = lines.join('\n');
    const link = event.personId ? `/filtering/live?personId=${encodeURIComponent(event.personId)}` : '/filtering/live';
    await createNotifications(db, {
      schoolId: event.schoolId,
      recipientIds: dsls.map((d) => d.id),
      kind: 'filter.alert',
      title,
      body,
      link,
      at: event.at,
    });
    if (!this.mailer) return;
    for (const dsl of dsls) {
      if (!dsl.email) continue;
      try {
        await this.mailer.send({ to: dsl.email, subject: `[Tutela] ${title}`, text: `${body}\n\nOpen Tutela to see the activity log.` });
      } catch (error) {
        // The in-app notification is written; one failed e-mail must not stop the others.
        this.log?.error({ err: error }, 'could not e-mail a filter alert');
      }
    }
  }

  private prune(now: number): void {
    for (const [key, at] of this.lastAlert) if (now - at >= ALERT_THROTTLE_MS) this.lastAlert.delete(key);
  }
}

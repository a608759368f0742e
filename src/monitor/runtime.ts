/**
 * Monitoring as one running service: the durable intake that front ends write to, and the
 * analyser that every committed event passes through on its way to the DSL's queue.
 */
import type { Mailer } from '../notify/mailer.js';
import type { AppContext } from '../server/context.js';
import { AlertAnalyser } from './alerts/analyser.js';
import type { EventIntake } from './ingest/intake.js';
import { EventSink } from './ingest/sink.js';

export interface MonitorServices {
  intake: EventIntake;
  analyser: AlertAnalyser;
}

export interface MonitorRuntime extends MonitorServices {
  /** Commits what is queued, then waits for the alerts it raises. */
  close(): Promise<void>;
}

export interface MonitorOptions {
  mailer: Mailer | null;
  log?: { error(o: object, m?: string): void };
  webBase?: string;
}

/**
 * @example
 *   const monitor = startMonitor(ctx, { mailer: smtpMailer(ctx.config.smtp) });
 *   await monitor.intake.accept(events); // committed; alerts follow
 */
export function startMonitor(ctx: AppContext, options: MonitorOptions): MonitorRuntime {
  const analyser = new AlertAnalyser(ctx, options);
  const pending = new Set<Promise<void>>();
  const intake = new EventSink(ctx.store, {
    batchSize: ctx.config.monitor.batchSize,
    maxPending: ctx.config.monitor.maxPendingEvents,
    log: options.log,
    onCommitted: (events) => {
      const work = analyser
        .analyse(events)
        .catch((error) => options.log?.error({ err: error }, 'could not analyse monitoring events'))
        .finally(() => pending.delete(work));
      pending.add(work);
    },
  });
  return {
    intake,
    analyser,
    async close() {
      await intake.close();
      while (pending.size > 0) await Promise.all([...pending]);
      await analyser.idle();
    },
  };
}

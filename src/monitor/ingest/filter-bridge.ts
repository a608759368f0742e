/**
 * The school's own filter as a monitoring source. Its decisions are already stored in
 * `activity_events` by the activity writer, so they go straight to the analyser to be scanned,
 * never through the intake: storing them twice would double every report.
 */
import type { ActivityBus } from '../../activity/bus.js';
import type { ActivityEvent } from '../../activity/event.js';
import type { EventAnalyser, MonitorEvent } from '../model.js';

export interface FilterBridgeOptions {
  /** How long events are collected before a batch goes to the analyser. */
  intervalMs?: number;
  /** Events held while the analyser is slow; beyond it the newest are dropped and counted. */
  maxQueued?: number;
  log?: { error(o: object, m?: string): void };
}

export interface FilterBridge {
  /** Stops listening and waits for what was collected to be analysed. */
  (): Promise<void>;
  stats(): { analysed: number; skipped: number; dropped: number };
}

/**
 * A filter decision as a monitoring event: searches and pages are scanned; a DNS lookup (a
 * host and nothing more) says nothing a keyword could match and is left out (null).
 */
export function activityToMonitorEvent(event: ActivityEvent): MonitorEvent | null {
  if (!event.searchTerms && !event.url) return null;
  return {
    id: event.id,
    schoolId: event.schoolId,
    at: event.at,
    receivedAt: event.at,
    sourceId: null,
    source: `filter:${event.source}`,
    kind: event.searchTerms ? 'search' : 'web',
    personId: event.personId,
    username: null,
    clientAddress: event.clientAddress,
    // The filter knows the device by id only; the analyser looks its name up for the few that match.
    device: null,
    deviceId: event.deviceId,
    host: event.host,
    url: event.url,
    searchTerms: event.searchTerms,
    text: null,
    blocked: event.action === 'block',
  };
}

/**
 * @example
 *   const stopBridge = bridgeFilterEvents(bus, monitor.analyser, { log });
 *   ...
 *   await stopBridge(); // before monitor.close()
 */
export function bridgeFilterEvents(bus: ActivityBus, analyser: EventAnalyser, options: FilterBridgeOptions = {}): FilterBridge {
  const intervalMs = options.intervalMs ?? 50;
  const maxQueued = options.maxQueued ?? 50_000;
  const counts = { analysed: 0, skipped: 0, dropped: 0 };
  let queue: MonitorEvent[] = [];
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = false;

  // Runs on the DNS and proxy hot paths: only queue, and never let anything escape to the publisher.
  const unsubscribe = bus.subscribe((activity) => {
    try {
      const event = activityToMonitorEvent(activity);
      if (!event) {
        counts.skipped++;
        return;
      }
      if (queue.length >= maxQueued) {
        counts.dropped++;
        return;
      }
      queue.push(event);
      timer ??= setTimeout(flush, intervalMs);
    } catch (error) {
      try {
        options.log?.error({ err: error }, 'could not pass a filter event to monitoring');
      } catch {
        // Logging must not fail the publisher either.
      }
    }
  });

  function flush(): void {
    timer = null;
    if (running) {
      // The analyser is still busy with the last batch; this one follows it.
      timer = setTimeout(flush, intervalMs);
      return;
    }
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    running = analyse(batch).finally(() => {
      running = null;
    });
  }

  async function analyse(batch: MonitorEvent[]): Promise<void> {
    try {
      await analyser.analyse(batch);
      counts.analysed += batch.length;
    } catch (error) {
      options.log?.error({ err: error, events: batch.length }, 'could not analyse filter events');
    }
  }

  const stop = (async () => {
    if (stopped) return;
    stopped = true;
    unsubscribe();
    if (timer) clearTimeout(timer);
    timer = null;
    while (running) await running;
    if (queue.length > 0) {
      const batch = queue;
      queue = [];
      await analyse(batch);
    }
  }) as FilterBridge;
  stop.stats = () => ({ ...counts });
  return stop;
}

import type { Kysely } from 'kysely';
import type { DB } from '../db/tables.js';
import type { ActivityBus } from './bus.js';
import type { ActivityEvent } from './event.js';

const MAX_ATTEMPTS = 20;

export interface ActivityWriterOptions {
  /** Most events held in memory; beyond it, new events are counted as dropped. */
  maxQueue?: number;
  /** Rows per INSERT; also the queue length that triggers an early flush. */
  batchSize?: number;
  flushIntervalMs?: number;
  log?: { error(o: object, m?: string): void };
}

export interface ActivityWriterStats {
  written: number;
  /** Events refused because the queue was full (the database could not keep up). */
  dropped: number;
  /** Batches whose INSERT failed; their events are put back and tried again. */
  failedBatches: number;
  pending: number;
}

/**
 * Stores activity events from the bus in batches: a multi-row INSERT every flush interval or
 * as soon as a batch is full. The queue is bounded, so a database outage or a burst costs a
 * counted number of dropped events, never the server's memory or the filter's speed.
 *
 * @example
 *   const writer = new ActivityWriter(db, bus);
 *   writer.start();
 *   ... await writer.close(); // flushes what is left
 */
export class ActivityWriter {
  private queue: ActivityEvent[] = [];
  private readonly maxQueue: number;
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private running: Promise<void> | null = null;
  private earlyFlushQueued = false;
  private readonly counts = { written: 0, dropped: 0, failedBatches: 0 };
  private failuresInARow = 0;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly bus: ActivityBus,
    private readonly options: ActivityWriterOptions = {},
  ) {
    this.maxQueue = options.maxQueue ?? 200_000;
    this.batchSize = options.batchSize ?? 500;
    this.flushIntervalMs = options.flushIntervalMs ?? 250;
  }

  /** Subscribes to the bus and starts the flush timer. */
  start(): this {
    if (this.unsubscribe) return this;
    this.unsubscribe = this.bus.subscribe((event) => this.enqueue(event));
    this.timer = setInterval(() => void this.flush(), this.flushIntervalMs);
    this.timer.unref();
    return this;
  }

  stats(): ActivityWriterStats {
    return { ...this.counts, pending: this.queue.length };
  }

  /** Writes everything queued so far. Concurrent calls share one run. */
  flush(): Promise<void> {
    this.running ??= this.drain().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Stops listening, then writes what is left. */
  async close(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    await this.flush();
  }

  private enqueue(event: ActivityEvent): void {
    if (this.queue.length >= this.maxQueue) {
      this.counts.dropped++;
      return;
    }
    this.queue.push(event);
    if (this.queue.length >= this.batchSize && !this.earlyFlushQueued && this.unsubscribe) {
      // Not now: publish() runs on the filter's hot path, so the flush starts on a later tick.
      this.earlyFlushQueued = true;
      setImmediate(() => {
        this.earlyFlushQueued = false;
        void this.flush();
      });
    }
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.batchSize);
      try {
        await this.db.insertInto('activity_events').values(batch.map(toRow)).execute();
        this.counts.written += batch.length;
        this.failuresInARow = 0;
      } catch (error) {
        this.counts.failedBatches++;
        this.failuresInARow++;
        this.options.log?.error({ err: error, events: batch.length }, 'could not store activity events; will retry');
        // A batch the database keeps refusing would hold up every event behind it.
        if (this.failuresInARow >= MAX_ATTEMPTS) {
          this.counts.dropped += batch.length;
          this.failuresInARow = 0;
          return;
        }
        // Back to the front, within the bound; the timer tries again on its next tick.
        const room = Math.max(0, this.maxQueue - this.queue.length);
        this.counts.dropped += batch.length - Math.min(room, batch.length);
        this.queue.unshift(...batch.slice(0, room));
        return;
      }
    }
  }
}

function toRow(e: ActivityEvent) {
  return {
    id: e.id,
    school_id: e.schoolId,
    at: e.at.toISOString(),
    source: e.source,
    person_id: e.personId,
    device_id: e.deviceId,
    client_address: e.clientAddress,
    host: e.host,
    url: e.url,
    search_terms: e.searchTerms,
    category: e.category,
    action: e.action,
    rule: e.rule,
    policy_version: e.policyVersion,
    profile_id: e.profileId,
  };
}

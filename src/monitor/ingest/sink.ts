import type { Store } from '../../db/database.js';
import type { MonitorEvent } from '../model.js';
import type { EventIntake, IntakeStats, TailPosition } from './intake.js';

export interface EventSinkOptions {
  batchSize?: number;
  maxPending?: number;
  flushIntervalMs?: number;
  /** Called with each committed batch, after the commit; must not throw. */
  onCommitted?: (events: readonly MonitorEvent[]) => void;
  log?: { error(o: object, m?: string): void };
}

/** Placeholder with the final signature; the durable batched writer replaces it. */
export class EventSink implements EventIntake {
  constructor(
    private readonly store: Store,
    private readonly options: EventSinkOptions = {},
  ) {}
  async accept(events: readonly MonitorEvent[], options?: { tailPosition?: TailPosition }): Promise<void> {
    void this.store;
    void options;
    this.options.onCommitted?.(events);
  }
  async whenReady(): Promise<void> {}
  stats(): IntakeStats {
    return { committed: 0, pending: 0, refused: 0, failedBatches: 0 };
  }
  async close(): Promise<void> {}
}

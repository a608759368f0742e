/**
 * The contract between the ingestion front ends (capture API, syslog, tailed files) and the
 * durable store behind them. Implemented by `EventSink` in `sink.ts`.
 */
import type { MonitorEvent } from '../model.js';

/** Where a tailed file has been read to; committed in the same transaction as its events. */
export interface TailPosition {
  path: string;
  /** `<dev>:<ino>` of the file, so a rotated file is told apart from the one read before. */
  fileId: string;
  /** Bytes of the file consumed once these events are committed. */
  offset: number;
}

export interface IntakeStats {
  /** Events committed since start. */
  committed: number;
  /** Events waiting for their batch to commit. */
  pending: number;
  /** Requests refused because the queue was full (the sender was told to retry). */
  refused: number;
  /** Batches whose commit failed; their senders got an error, never an acknowledgement. */
  failedBatches: number;
}

export interface EventIntake {
  /**
   * Queues the events and resolves once all of them are committed to the database: only then
   * may the sender be told they were received. Rejects with AppError `monitor.busy` at once
   * when the queue is full, and with the database's error when the commit fails.
   */
  accept(events: readonly MonitorEvent[], options?: { tailPosition?: TailPosition }): Promise<void>;
  /** Resolves when the queue has room again: for readers that pause (TCP, files) instead of refusing. */
  whenReady(): Promise<void>;
  stats(): IntakeStats;
  /** Commits what is queued, then refuses new events. */
  close(): Promise<void>;
}

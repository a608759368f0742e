import { sql } from 'kysely';
import type { Store } from '../../db/database.js';
import { AppError } from '../../errors/errors.js';
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

/** One accept() call: it is answered once every batch holding its events has committed. */
interface Ticket {
  /** Events of this call not yet taken into a batch. */
  unbatched: number;
  /** Batches holding its events that have not committed yet. */
  inFlight: number;
  tailPosition: TailPosition | undefined;
  settled: boolean;
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface Segment {
  events: readonly MonitorEvent[];
  /** How many of `events` earlier batches already took. */
  taken: number;
  ticket: Ticket;
}

interface Batch {
  events: MonitorEvent[];
  tickets: Set<Ticket>;
  /** The newest position of each tailed file whose last events are in this batch. */
  tailPositions: Map<string, TailPosition>;
}

const COLUMNS = [
  'id',
  'school_id',
  'at',
  'received_at',
  'source_id',
  'source',
  'kind',
  'person_id',
  'username',
  'client_address',
  'device',
  'host',
  'url',
  'search_terms',
  'text',
  'blocked',
] as const;

type Row = [
  string,
  string,
  string,
  string,
  string | null,
  string,
  string,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  number | null,
];

/** ES2024 string methods, present in Node 20 but not in the ES2023 library types. */
type WellFormed = { isWellFormed(): boolean; toWellFormed(): string };

/**
 * PostgreSQL cannot store NUL in text, nor a lone UTF-16 surrogate; one such character would
 * fail the whole batch and every sender in it, so both are replaced before writing.
 */
function storable(value: string | null): string | null {
  if (value === null) return null;
  let out = value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value;
  if (!(out as unknown as WellFormed).isWellFormed()) out = (out as unknown as WellFormed).toWellFormed();
  return out;
}

const toRow = (e: MonitorEvent): Row => [
  storable(e.id)!,
  storable(e.schoolId)!,
  e.at.toISOString(),
  e.receivedAt.toISOString(),
  storable(e.sourceId),
  storable(e.source)!,
  e.kind,
  storable(e.personId),
  storable(e.username),
  storable(e.clientAddress),
  storable(e.device),
  storable(e.host),
  storable(e.url),
  storable(e.searchTerms),
  storable(e.text),
  e.blocked === null ? null : e.blocked ? 1 : 0,
];

const toRecord = (r: Row) => ({
  id: r[0],
  school_id: r[1],
  at: r[2],
  received_at: r[3],
  source_id: r[4],
  source: r[5],
  kind: r[6],
  person_id: r[7],
  username: r[8],
  client_address: r[9],
  device: r[10],
  host: r[11],
  url: r[12],
  search_terms: r[13],
  text: r[14],
  blocked: r[15],
});

/**
 * The durable intake: events are queued, written in batches (one transaction each) and a
 * sender's promise resolves only once the batch holding its last event has committed. A batch
 * is written when it is full or `flushIntervalMs` after its first event, and while one batch
 * commits the next one gathers, so a busy sink writes big batches back to back. The queue is
 * bounded: beyond `maxPending` a sender is refused at once (`monitor.busy`) instead of the
 * process growing without limit while the database is slow.
 *
 * Delivery is at least once: a sender whose batch failed gets an error and retries, and events
 * of that request that went in another batch may then be stored twice.
 *
 * @example
 *   const sink = new EventSink(store, { batchSize: 2000, maxPending: 100_000 });
 *   await sink.accept(events); // committed: now tell the sender
 */
export class EventSink implements EventIntake {
  private readonly batchSize: number;
  private readonly maxPending: number;
  private readonly flushIntervalMs: number;
  private queue: Segment[] = [];
  private queued = 0;
  private writing = 0;
  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<void> | null = null;
  private closed = false;
  private readyWaiters: (() => void)[] = [];
  private readonly counts = { committed: 0, refused: 0, failedBatches: 0 };
  private sqliteInsert: ((rows: Row[], tails: TailPosition[], now: string) => void) | null = null;

  constructor(
    private readonly store: Store,
    private readonly options: EventSinkOptions = {},
  ) {
    this.batchSize = Math.max(1, options.batchSize ?? 2000);
    this.maxPending = Math.max(1, options.maxPending ?? 100_000);
    this.flushIntervalMs = Math.max(0, options.flushIntervalMs ?? 20);
  }

  accept(events: readonly MonitorEvent[], options: { tailPosition?: TailPosition } = {}): Promise<void> {
    if (this.closed) return Promise.reject(new AppError('monitor.busy', 'Monitoring is shutting down; send the events again shortly.'));
    if (this.pending() + events.length > this.maxPending) {
      this.counts.refused++;
      return Promise.reject(new AppError('monitor.busy', 'Monitoring is writing as fast as it can; send the events again shortly.'));
    }
    return new Promise<void>((resolve, reject) => {
      const ticket: Ticket = {
        unbatched: events.length,
        inFlight: 0,
        tailPosition: options.tailPosition,
        settled: false,
        resolve,
        reject,
      };
      this.queue.push({ events, taken: 0, ticket });
      this.queued += events.length;
      this.schedule();
    });
  }

  whenReady(): Promise<void> {
    if (this.closed || this.pending() < this.maxPending / 2) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  stats(): IntakeStats {
    return { ...this.counts, pending: this.pending() };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.queue.length > 0 || this.draining) await this.startDrain();
    this.releaseReadyWaiters(true);
  }

  private pending(): number {
    return this.queued + this.writing;
  }

  private schedule(): void {
    if (this.draining) return; // the running drain picks the new events up when its commit ends
    if (this.queued >= this.batchSize || this.closed) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      this.startDrain();
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.startDrain();
    }, this.flushIntervalMs);
  }

  private startDrain(): Promise<void> {
    this.draining ??= this.drain().finally(() => {
      this.draining = null;
      if (this.queue.length > 0) this.schedule();
    });
    return this.draining;
  }

  /** Writes batches one after another until the queue is empty. */
  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.takeBatch();
      this.writing = batch.events.length;
      try {
        await this.write(batch);
        this.counts.committed += batch.events.length;
        this.writing = 0;
        for (const ticket of batch.tickets) {
          ticket.inFlight--;
          if (!ticket.settled && ticket.inFlight === 0 && ticket.unbatched === 0) {
            ticket.settled = true;
            ticket.resolve();
          }
        }
        this.notifyCommitted(batch.events);
      } catch (error) {
        this.writing = 0;
        this.counts.failedBatches++;
        this.options.log?.error({ err: error, events: batch.events.length }, 'could not store monitoring events');
        for (const ticket of batch.tickets) {
          ticket.inFlight--;
          if (!ticket.settled) {
            ticket.settled = true;
            ticket.reject(error);
          }
        }
      }
      this.releaseReadyWaiters(false);
    }
  }

  private takeBatch(): Batch {
    const batch: Batch = { events: [], tickets: new Set(), tailPositions: new Map() };
    while (this.queue.length > 0 && batch.events.length < this.batchSize) {
      const segment = this.queue[0]!;
      const room = this.batchSize - batch.events.length;
      // A tailed file's lines and its position must commit together: a call that fits in a batch
      // of its own is never split, or a crash between the two halves would re-read (and store
      // twice) the half already committed.
      const whole = segment.events.length - segment.taken;
      if (segment.ticket.tailPosition && segment.taken === 0 && whole > room && whole <= this.batchSize && batch.events.length > 0) break;
      const count = Math.min(room, segment.events.length - segment.taken);
      for (let i = 0; i < count; i++) batch.events.push(segment.events[segment.taken + i]!);
      segment.taken += count;
      segment.ticket.unbatched -= count;
      this.queued -= count;
      if (!batch.tickets.has(segment.ticket)) {
        batch.tickets.add(segment.ticket);
        segment.ticket.inFlight++;
      }
      if (segment.taken < segment.events.length) break;
      this.queue.shift();
      // The position covers the whole call, so it is written with the call's last events; never
      // when an earlier batch of the call failed (its ticket is settled), or it would skip those lines.
      const tail = segment.ticket.tailPosition;
      if (tail && !segment.ticket.settled) batch.tailPositions.set(tail.path, tail);
    }
    return batch;
  }

  private async write(batch: Batch): Promise<void> {
    const rows = batch.events.map(toRow);
    const tails = [...batch.tailPositions.values()];
    const now = new Date().toISOString();
    if (this.store.dialect === 'sqlite' && this.store.sqlite) {
      const insert = this.sqliteWriter();
      // Holding Kysely's only connection keeps its transactions out while ours runs on the raw
      // handle; otherwise our writes could join one of theirs as a savepoint and roll back with it.
      await this.store.db.connection().execute(async () => {
        if (this.store.sqlite!.inTransaction) throw new Error('another transaction is open on the SQLite connection');
        insert(rows, tails, now);
      });
      return;
    }
    // One JSON parameter parsed by the server is faster than a multi-row VALUES list or sixteen
    // arrays: JSON.stringify and PostgreSQL's JSON reader are both native code.
    const columns = sql.join(COLUMNS.map((c) => sql.ref(c)));
    const insert = sql`insert into monitor_events (${columns})
      select ${columns} from json_populate_recordset(null::monitor_events, ${JSON.stringify(rows.map(toRecord))}::json)`;
    if (tails.length === 0) {
      // A single statement is its own transaction: all rows or none, without BEGIN and COMMIT round trips.
      if (rows.length > 0) await insert.execute(this.store.db);
      return;
    }
    await this.store.db.transaction().execute(async (trx) => {
      if (rows.length > 0) await insert.execute(trx);
      for (const tail of tails) {
        await trx
          .insertInto('monitor_tail_positions')
          .values({ path: tail.path, file_id: tail.fileId, byte_offset: tail.offset, updated_at: now })
          .onConflict((oc) => oc.column('path').doUpdateSet({ file_id: tail.fileId, byte_offset: tail.offset, updated_at: now }))
          .execute();
      }
    });
  }

  private sqliteWriter(): (rows: Row[], tails: TailPosition[], now: string) => void {
    if (this.sqliteInsert) return this.sqliteInsert;
    const db = this.store.sqlite!;
    // One prepared single-row INSERT run per row beats multi-row statements here: better-sqlite3
    // binds an array directly, while a multi-row statement needs the rows flattened first.
    const insert = db.prepare(`insert into monitor_events (${COLUMNS.join(',')}) values (${COLUMNS.map(() => '?').join(',')})`);
    const tail = db.prepare(
      `insert into monitor_tail_positions (path, file_id, byte_offset, updated_at) values (?, ?, ?, ?)
       on conflict (path) do update set file_id = excluded.file_id, byte_offset = excluded.byte_offset, updated_at = excluded.updated_at`,
    );
    const run = db.transaction((rows: Row[], tails: TailPosition[], now: string) => {
      for (const row of rows) insert.run(row);
      for (const t of tails) tail.run(t.path, t.fileId, t.offset, now);
    });
    this.sqliteInsert = (rows, tails, now) => run.immediate(rows, tails, now);
    return this.sqliteInsert;
  }

  private notifyCommitted(events: MonitorEvent[]): void {
    if (!this.options.onCommitted || events.length === 0) return;
    try {
      this.options.onCommitted(events);
    } catch (error) {
      this.options.log?.error({ err: error }, 'the committed-events handler failed');
    }
  }

  private releaseReadyWaiters(all: boolean): void {
    if (!all && this.pending() >= this.maxPending / 2) return;
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const wake of waiters) wake();
  }
}

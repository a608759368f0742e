/**
 * The syslog listener: UDP and TCP on one port, for proxies and filters that forward their
 * access logs (Squid's `access_log syslog:`, e2guardian's `syslog = on`) and for appliances
 * that send plain text. It only moves bytes to the parsers and the parsed events to the intake;
 * what it cannot read is counted and logged, never thrown.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/tables.js';
import { AppError } from '../../errors/errors.js';
import type { MonitorEvent } from '../model.js';
import { findSyslogSource, touchSource } from '../sources/service.js';
import { defaultSchoolId } from './attribute.js';
import type { IngestedEvent, LogFormat } from './from-log.js';
import type { EventIntake } from './intake.js';
import { parseSyslog, SyslogFrameSplitter, type SyslogMessage } from './syslog.js';
import {
  attributeAll,
  MalformedReporter,
  type PersonResolver,
  parseProxyLine,
  SchoolZones,
  toMonitorEvent,
  utcOffsetMinutes,
} from './to-monitor-event.js';

export interface SyslogServerLog {
  warn(o: object, m?: string): void;
  error(o: object, m?: string): void;
}

export interface SyslogServerOptions {
  host: string;
  /** UDP and TCP both listen here; 0 gives each its own free port (for tests). */
  port: number;
  db: Kysely<DB>;
  intake: EventIntake;
  attributor: PersonResolver;
  log?: SyslogServerLog;
  /** Messages a TCP connection may have read but not yet handed on before its socket is paused. */
  maxQueuedPerConnection?: number;
  /** Bytes a TCP connection may hold (read, not yet committed) before its socket is paused: 5,000 frames of 64 KiB would be 320 MiB. */
  maxHeldBytesPerConnection?: number;
  /** UDP messages waiting to be handed on; beyond it datagrams are dropped and counted. */
  maxQueuedUdp?: number;
  /** Messages handed to the intake at once. */
  batchSize?: number;
  /** How long messages are collected before a batch is handed on. */
  collectMs?: number;
  /** TCP connections held at once; more are refused. */
  maxConnections?: number;
  /** Sender addresses whose source lookup is remembered; UDP senders can be forged, so this is bounded. */
  maxCachedSenders?: number;
}

export interface SyslogServerStats {
  /** Messages read off the network: datagrams and TCP frames. */
  received: number;
  /** Events the intake has committed. */
  committed: number;
  /** Messages that could not be read (bad syslog, bad proxy line, over the size limit). */
  malformed: number;
  /** UDP messages dropped because the intake was busy: UDP has no way to ask the sender to wait. */
  droppedBusy: number;
  /** Events dropped after the intake failed to commit them repeatedly (logged as errors). */
  droppedFailed: number;
  /** Messages with no school to file them under (no registered source, and no school set up). */
  unassigned: number;
  /** Times a TCP connection was paused because the intake was busy or its queue full. */
  pauses: number;
  connections: number;
  /** Sender addresses whose source lookup is remembered. */
  cachedSenders: number;
}

export interface SyslogServer {
  udpPort: number;
  tcpPort: number;
  stats(): SyslogServerStats;
  /** Stops listening, hands on what was already read, and waits for it to be committed. */
  close(): Promise<void>;
}

interface RawMessage {
  frame: Buffer;
  receivedAt: Date;
  address: string;
}

interface Connection {
  socket: Socket;
  splitter: SyslogFrameSplitter;
  queue: RawMessage[];
  draining: Promise<void> | null;
  /** Batches the intake refused, waiting for room. */
  waiting: number;
  /** Bytes of the frames read and not yet committed or given up, queued or in flight. */
  heldBytes: number;
  paused: boolean;
  ended: boolean;
}

const SOURCE_CACHE_MS = 30_000;
/** A registered sender's "last event" is shown to staff; it need not be exact to the second. */
const LAST_EVENT_UPDATE_MS = 5_000;
const FAILED_ATTEMPTS = 5;
const BATCHES_IN_FLIGHT = 4;

/** `::ffff:10.0.0.1` is how a dual-stack socket shows an IPv4 sender; sources are registered as `10.0.0.1`. */
export function senderAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/** The format a message's text is in when its sender is not registered: named by the program that sent it. */
export function formatFromAppName(appName: string | null): LogFormat | 'text' {
  if (!appName) return 'text';
  if (/squid/i.test(appName)) return 'squid';
  if (/e2guardian|dansguardian/i.test(appName)) return 'e2guardian';
  return 'text';
}

const isBusy = (error: unknown) => error instanceof AppError && error.id === 'monitor.busy';
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * @example
 *   const syslog = await startSyslogServer({ host: '0.0.0.0', port: 5514, db, intake, attributor, log });
 *   ...
 *   await syslog.close(); // before the intake closes
 */
export async function startSyslogServer(options: SyslogServerOptions): Promise<SyslogServer> {
  const { db, intake, attributor, log } = options;
  const maxQueuedPerConnection = options.maxQueuedPerConnection ?? 5_000;
  const maxHeldBytesPerConnection = options.maxHeldBytesPerConnection ?? 8 * 1024 * 1024;
  const maxQueuedUdp = options.maxQueuedUdp ?? 20_000;
  const batchSize = options.batchSize ?? 1_000;
  const collectMs = options.collectMs ?? 10;
  const maxCachedSenders = options.maxCachedSenders ?? 10_000;
  const malformed = new MalformedReporter(log, 'syslog');
  const unassignedReport = new MalformedReporter(log, 'syslog: no school to file events under (register the sender as a source)');
  const counts = { received: 0, committed: 0, droppedBusy: 0, droppedFailed: 0, pauses: 0 };
  const zones = new SchoolZones(db);
  const sources = new Map<string, { value: Awaited<ReturnType<typeof findSyslogSource>>; until: number }>();
  let defaultSchool: { value: string | null; until: number } | null = null;
  const lastEventWritten = new Map<string, number>();
  const work = new Set<Promise<void>>();
  const connections = new Set<Connection>();
  let closing = false;

  const track = (p: Promise<void>) => {
    work.add(p);
    void p.finally(() => work.delete(p));
    return p;
  };

  async function sourceFor(address: string) {
    const hit = sources.get(address);
    if (hit && hit.until > Date.now()) return hit.value;
    const value = await findSyslogSource(db, address);
    // Expired entries are otherwise only replaced, never removed: datagrams from ever new (forged)
    // addresses would grow the map without end.
    if (!hit && sources.size >= maxCachedSenders) sources.clear();
    sources.set(address, { value, until: Date.now() + SOURCE_CACHE_MS });
    return value;
  }

  async function fallbackSchool(): Promise<string | null> {
    if (defaultSchool && defaultSchool.until > Date.now()) return defaultSchool.value;
    const value = (await defaultSchoolId(db)) ?? null;
    defaultSchool = { value, until: Date.now() + SOURCE_CACHE_MS };
    return value;
  }

  /** Parses, files and attributes what was read; what cannot be read is reported and left out. */
  async function convert(raw: readonly RawMessage[]): Promise<MonitorEvent[]> {
    const items: { schoolId: string; event: IngestedEvent; sourceId: string | null; receivedAt: Date; blocked: boolean | null }[] = [];
    for (const { frame, receivedAt, address } of raw) {
      const parsed = parseSyslog(frame, receivedAt);
      if (!parsed.ok) {
        malformed.report(parsed.reason, { sender: address });
        continue;
      }
      const source = await sourceFor(address);
      const schoolId = source?.schoolId ?? (await fallbackSchool());
      if (!schoolId) {
        unassignedReport.report('no registered source for this sender and no school set up', { sender: address });
        continue;
      }
      const read = await readMessage(parsed.message, address, source, schoolId);
      if (!read.ok) {
        malformed.report(read.reason, { sender: address, app: parsed.message.appName });
        continue;
      }
      items.push({ schoolId, event: read.event, sourceId: source?.id ?? null, receivedAt, blocked: read.blocked });
    }
    const people = await attributeAll(attributor, items);
    return items.map((item, i) => toMonitorEvent(item.event, item, people[i]!));
  }

  async function readMessage(
    message: SyslogMessage,
    address: string,
    source: { name: string; format: string | null } | null,
    schoolId: string,
  ): Promise<{ ok: true; event: IngestedEvent; blocked: boolean | null } | { ok: false; reason: string }> {
    const format =
      source?.format === 'squid' || source?.format === 'e2guardian' || source?.format === 'text'
        ? source.format
        : formatFromAppName(message.appName);
    const origin = message.hostname ?? source?.name ?? address;
    if (format === 'text') {
      if (message.text.trim() === '') return { ok: false, reason: 'empty message' };
      const event: IngestedEvent = {
        at: message.timestamp,
        source: `${message.appName ?? 'syslog'}@${origin}`,
        person: {},
        text: message.text,
      };
      return { ok: true, event, blocked: null };
    }
    const utcOffset = format === 'e2guardian' ? utcOffsetMinutes(await zones.zoneOf(schoolId), message.timestamp) : 0;
    const line = parseProxyLine(message.text, format, `${format}@${origin}`, { utcOffsetMinutes: utcOffset });
    return line.ok ? { ok: true, event: line.event, blocked: line.blocked } : { ok: false, reason: `${format} line: ${line.reason}` };
  }

  function noteSources(events: readonly MonitorEvent[]): void {
    const now = Date.now();
    for (const id of new Set(events.map((e) => e.sourceId))) {
      if (!id || (lastEventWritten.get(id) ?? 0) > now - LAST_EVENT_UPDATE_MS) continue;
      lastEventWritten.set(id, now);
      void touchSource(db, id, new Date(now)).catch((error) => log?.error({ err: error }, 'could not note a syslog source’s last event'));
    }
  }

  /**
   * Hands events on until all are committed. A busy intake pauses the connection and halves the
   * batch (a batch larger than the intake's whole queue could never fit); a failing database is
   * retried a few times, then the loss is logged as an error and counted.
   */
  async function deliver(events: MonitorEvent[], conn: Connection): Promise<void> {
    let size = events.length;
    let failures = 0;
    let at = 0;
    let holding = false;
    const hold = (on: boolean) => {
      if (on === holding) return;
      holding = on;
      conn.waiting += on ? 1 : -1;
      updateFlow(conn);
    };
    try {
      while (at < events.length) {
        const batch = events.slice(at, at + size);
        try {
          await intake.accept(batch);
          counts.committed += batch.length;
          noteSources(batch);
          at += batch.length;
          failures = 0;
          hold(false);
        } catch (error) {
          hold(true);
          if (isBusy(error)) {
            size = Math.max(1, Math.floor(size / 2));
            await intake.whenReady();
            // whenReady may resolve while others fill the queue again; yield before retrying.
            await delay(1);
            continue;
          }
          failures++;
          if (failures >= FAILED_ATTEMPTS) {
            counts.droppedFailed += events.length - at;
            log?.error({ err: error, events: events.length - at }, 'syslog: could not store events; they are lost');
            return;
          }
          await delay(100 * 2 ** failures);
        }
      }
    } finally {
      hold(false);
    }
  }

  function updateFlow(conn: Connection): void {
    if (conn.ended) return;
    const shouldPause = conn.waiting > 0 || conn.queue.length >= maxQueuedPerConnection || conn.heldBytes >= maxHeldBytesPerConnection;
    if (shouldPause && !conn.paused) {
      conn.paused = true;
      counts.pauses++;
      conn.socket.pause();
    } else if (!shouldPause && conn.paused) {
      conn.paused = false;
      conn.socket.resume();
    }
  }

  function scheduleDrain(conn: Connection): void {
    if (conn.draining) return;
    conn.draining = track(
      (async () => {
        await delay(collectMs);
        // Several batches commit at once: waiting for each commit before reading on would leave
        // a fast sender idle for most of every flush interval.
        const inFlight = new Set<Promise<void>>();
        while (conn.queue.length > 0) {
          const raw = conn.queue.splice(0, batchSize);
          updateFlow(conn);
          const rawBytes = raw.reduce((sum, m) => sum + m.frame.length, 0);
          const release = () => {
            conn.heldBytes -= rawBytes;
            updateFlow(conn);
          };
          const events = await convertReliably(raw);
          if (events.length > 0) {
            const delivery: Promise<void> = deliver(events, conn).finally(() => {
              inFlight.delete(delivery);
              release();
            });
            inFlight.add(delivery);
          } else release();
          while (inFlight.size >= BATCHES_IN_FLIGHT) await Promise.race(inFlight);
        }
        await Promise.all(inFlight);
      })()
        .catch((error) => log?.error({ err: error }, 'syslog: connection handling failed'))
        .finally(() => {
          conn.draining = null;
          if (conn.queue.length > 0) scheduleDrain(conn);
          else updateFlow(conn);
        }),
    );
  }

  /** Source lookups and attribution read the database: retry them like a commit before giving up. */
  async function convertReliably(raw: readonly RawMessage[]): Promise<MonitorEvent[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await convert(raw);
      } catch (error) {
        if (attempt >= FAILED_ATTEMPTS) {
          counts.droppedFailed += raw.length;
          log?.error({ err: error, messages: raw.length }, 'syslog: could not file messages; they are lost');
          return [];
        }
        await delay(100 * 2 ** attempt);
      }
    }
  }

  function noteOversized(conn: Connection, before: number): void {
    for (let i = before; i < conn.splitter.dropped; i++) {
      malformed.report('frame over the size limit, or empty', { sender: senderAddress(conn.socket.remoteAddress ?? '') });
    }
  }

  const tcp: Server = createServer((socket) => {
    const address = senderAddress(socket.remoteAddress ?? '');
    const conn: Connection = {
      socket,
      splitter: new SyslogFrameSplitter(),
      queue: [],
      draining: null,
      waiting: 0,
      heldBytes: 0,
      paused: false,
      ended: false,
    };
    connections.add(conn);
    const take = (frames: Buffer[]) => {
      const receivedAt = new Date();
      counts.received += frames.length;
      for (const frame of frames) {
        conn.queue.push({ frame, receivedAt, address });
        conn.heldBytes += frame.length;
      }
      if (conn.queue.length > 0) scheduleDrain(conn);
      updateFlow(conn);
    };
    socket.on('data', (chunk: Buffer) => {
      const before = conn.splitter.dropped;
      take(conn.splitter.push(chunk));
      noteOversized(conn, before);
    });
    socket.on('error', (error) => log?.warn({ err: error, sender: address }, 'syslog: TCP connection error'));
    socket.on('close', () => {
      // A message cut off by the sender closing is still handed on: newline framing needs no final newline.
      const before = conn.splitter.dropped;
      take(conn.splitter.end());
      noteOversized(conn, before);
      conn.ended = true;
      connections.delete(conn);
    });
  });
  // Each connection holds a socket and up to a queue of messages; a bound keeps a flood from exhausting either.
  tcp.maxConnections = options.maxConnections ?? 1_000;
  tcp.on('error', (error) => log?.error({ err: error }, 'syslog: TCP listener error'));

  const udpQueue: RawMessage[] = [];
  let udpDraining: Promise<void> | null = null;
  const busyReport = new MalformedReporter(log, 'syslog: monitoring is busy, UDP messages dropped');

  const udp: UdpSocket = createSocket({ type: options.host.includes(':') ? 'udp6' : 'udp4', reuseAddr: false });
  udp.on('message', (frame, rinfo) => {
    counts.received++;
    if (closing) return;
    if (udpQueue.length >= maxQueuedUdp) {
      counts.droppedBusy++;
      busyReport.report('the UDP queue is full');
      return;
    }
    udpQueue.push({ frame, receivedAt: new Date(), address: senderAddress(rinfo.address) });
    scheduleUdp();
  });
  udp.on('error', (error) => log?.error({ err: error }, 'syslog: UDP socket error'));

  function scheduleUdp(): void {
    if (udpDraining) return;
    udpDraining = track(
      (async () => {
        await delay(collectMs);
        while (udpQueue.length > 0) {
          const raw = udpQueue.splice(0, batchSize);
          const events = await convertReliably(raw);
          if (events.length === 0) continue;
          try {
            await intake.accept(events);
            counts.committed += events.length;
            noteSources(events);
          } catch (error) {
            // UDP has no acknowledgement and no flow control: what the intake cannot take now is lost.
            if (isBusy(error)) {
              counts.droppedBusy += events.length;
              busyReport.report('the intake refused a batch', { events: events.length });
            } else {
              counts.droppedFailed += events.length;
              log?.error({ err: error, events: events.length }, 'syslog: could not store UDP events; they are lost');
            }
          }
        }
      })()
        .catch((error) => log?.error({ err: error }, 'syslog: UDP handling failed'))
        .finally(() => {
          udpDraining = null;
          if (udpQueue.length > 0 && !closing) scheduleUdp();
        }),
    );
  }

  const udpPort = await new Promise<number>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind({ address: options.host, port: options.port }, () => {
      udp.off('error', reject);
      resolve(udp.address().port);
    });
  });
  try {
    // A burst of datagrams while a batch commits waits in the kernel; the default buffer is small.
    udp.setRecvBufferSize(8 * 1024 * 1024);
  } catch {
    // Capped by the system (net.core.rmem_max); the default still works.
  }
  const tcpPort = await new Promise<number>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen({ host: options.host, port: options.port }, () => {
      tcp.off('error', reject);
      resolve((tcp.address() as AddressInfo).port);
    });
  }).catch((error) => {
    udp.close();
    throw error;
  });

  return {
    udpPort,
    tcpPort,
    stats: () => ({
      ...counts,
      malformed: malformed.count,
      unassigned: unassignedReport.count,
      connections: connections.size,
      cachedSenders: sources.size,
    }),
    async close() {
      if (closing) return;
      closing = true;
      const tcpClosed = new Promise<void>((resolve) => tcp.close(() => resolve()));
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      // Whatever was read stays queued and is handed on below; the sender's unsent bytes are its to resend.
      for (const conn of connections) conn.socket.destroy();
      await tcpClosed;
      while (work.size > 0) await Promise.all([...work]);
      if (udpQueue.length > 0) {
        scheduleUdp();
        while (work.size > 0) await Promise.all([...work]);
      }
    },
  };
}

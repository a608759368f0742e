/**
 * Follows a proxy's access log on disk (Squid or e2guardian), as `tail -F` would, and hands
 * each line to the intake with the byte position it was read to: the position is committed in
 * the same transaction as the events, so a restart resumes exactly where the last commit ended.
 */
import { type FSWatcher, watch } from 'node:fs';
import { type FileHandle, open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/tables.js';
import { AppError } from '../../errors/errors.js';
import type { MonitorEvent } from '../model.js';
import { defaultSchoolId } from './attribute.js';
import type { IngestedEvent, LogFormat } from './from-log.js';
import type { EventIntake, TailPosition } from './intake.js';
import { MAX_LOG_LINE_LENGTH } from './squid.js';
import {
  attributeAll,
  MalformedReporter,
  type PersonResolver,
  parseProxyLine,
  SchoolZones,
  toMonitorEvent,
  utcOffsetMinutes,
} from './to-monitor-event.js';

export interface TailerLog {
  warn(o: object, m?: string): void;
  error(o: object, m?: string): void;
}

export interface TailerOptions {
  path: string;
  format: LogFormat;
  db: Kysely<DB>;
  intake: EventIntake;
  attributor: PersonResolver;
  /** The school the file's events belong to; by default the installation's school. */
  schoolId?: string;
  log?: TailerLog;
  /** How often the file is checked when no change notification arrives. */
  pollMs?: number;
  /** Bytes read at a time; a line longer than this is skipped. */
  chunkBytes?: number;
  /** Events handed to the intake at once. */
  batchSize?: number;
}

export interface TailerStats {
  /** Complete lines read. */
  lines: number;
  /** Events the intake has committed. */
  committed: number;
  /** Lines that could not be read, including lines over the length limit. */
  malformed: number;
  /** Lines skipped because no school is set up yet. */
  unassigned: number;
  /** Times the file was replaced (renamed away) or truncated. */
  rotations: number;
  /** The file being read (`dev:ino`) and how far, in bytes; null before the file exists. */
  fileId: string | null;
  offset: number;
}

export interface Tailer {
  stats(): TailerStats;
  /** Stops reading; lines not yet committed are read again on the next start. */
  close(): Promise<void>;
}

interface OpenFile {
  handle: FileHandle;
  fileId: string;
  /** Bytes consumed: up to the end of the last complete line handed on. */
  offset: number;
  /** Within a line longer than a chunk: skip to its end. */
  skipping: boolean;
}

const LF = 0x0a;
const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const isBusy = (error: unknown) => error instanceof AppError && error.id === 'monitor.busy';
const isMissing = (error: unknown) => (error as NodeJS.ErrnoException)?.code === 'ENOENT';

function idOf(s: { dev: bigint; ino: bigint }): string {
  return `${s.dev}:${s.ino}`;
}

/**
 * @example
 *   const tailer = await startTailer({ path: '/var/log/squid/access.log', format: 'squid', db, intake, attributor });
 *   ...
 *   await tailer.close(); // before the intake closes
 */
export async function startTailer(options: TailerOptions): Promise<Tailer> {
  const { db, intake, attributor, log, format } = options;
  const file = path.resolve(options.path);
  const pollMs = options.pollMs ?? 1_000;
  const chunkBytes = Math.max(options.chunkBytes ?? 1024 * 1024, 1024);
  const batchSize = options.batchSize ?? 1_000;
  const source = `${format}:${path.basename(file)}`;
  const malformed = new MalformedReporter(log, `${source}`);
  const unassigned = new MalformedReporter(log, `${source}: no school set up to file events under`);
  const failures = new MalformedReporter(log, `${source}: could not store events, retrying`, 30_000);
  const zones = new SchoolZones(db);
  const counts = { lines: 0, committed: 0, rotations: 0 };
  let current: OpenFile | null = null;
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;

  const stored = await db.selectFrom('monitor_tail_positions').selectAll().where('path', '=', file).executeTakeFirst();
  const resumeFrom = stored ? { fileId: stored.file_id, offset: Number(stored.byte_offset) } : null;
  let firstOpen = true;

  async function savePosition(f: OpenFile): Promise<void> {
    const row = { file_id: f.fileId, byte_offset: f.offset, updated_at: new Date().toISOString() };
    await db
      .insertInto('monitor_tail_positions')
      .values({ path: file, ...row })
      .onConflict((oc) => oc.column('path').doUpdateSet(row))
      .execute();
  }

  async function openAt(handle: FileHandle, offset: number | 'end'): Promise<OpenFile> {
    const s = await handle.stat({ bigint: true });
    const f: OpenFile = { handle, fileId: idOf(s), offset: offset === 'end' ? Number(s.size) : offset, skipping: false };
    // Recorded at once: a restart before the first line must not start again from the end.
    await savePosition(f);
    return f;
  }

  /** A file rotated away while we were stopped, found by its identity beside the new one (`access.log.1`). */
  async function findRotated(fileId: string): Promise<string | null> {
    const dir = path.dirname(file);
    const base = path.basename(file);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return null;
    }
    for (const name of names) {
      if (name === base || !name.startsWith(base)) continue;
      try {
        const s = await stat(path.join(dir, name), { bigint: true });
        if (s.isFile() && idOf(s) === fileId) return path.join(dir, name);
      } catch {
        // Removed while we looked.
      }
    }
    return null;
  }

  async function firstOpenOf(handle: FileHandle): Promise<OpenFile> {
    const s = await handle.stat({ bigint: true });
    if (!resumeFrom) return openAt(handle, 'end');
    if (idOf(s) === resumeFrom.fileId) return openAt(handle, Number(s.size) < resumeFrom.offset ? 0 : resumeFrom.offset);
    // Replaced since the last run: finish the old file if it is still beside it, then read the new one whole.
    const old = await findRotated(resumeFrom.fileId);
    if (old) {
      const oldHandle = await open(old, 'r');
      const f: OpenFile = { handle: oldHandle, fileId: resumeFrom.fileId, offset: resumeFrom.offset, skipping: false };
      try {
        await readAvailable(f, true);
      } finally {
        await oldHandle.close();
      }
    }
    counts.rotations++;
    return openAt(handle, 0);
  }

  async function openCurrent(): Promise<OpenFile | null> {
    let handle: FileHandle;
    try {
      handle = await open(file, 'r');
    } catch (error) {
      if (!isMissing(error)) throw error;
      // Never read before and not there yet: when it appears, all of it is new.
      if (!resumeFrom) firstOpen = false;
      return null;
    }
    try {
      if (firstOpen) {
        firstOpen = false;
        return await firstOpenOf(handle);
      }
      // A file that appears after we started is new: all of it is to be read.
      return await openAt(handle, 0);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async function cycle(): Promise<void> {
    if (!current) {
      current = await openCurrent();
      if (!current) return;
    }
    let onDisk: { dev: bigint; ino: bigint; size: bigint } | null = null;
    try {
      onDisk = await stat(file, { bigint: true });
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
    if (onDisk && idOf(onDisk) !== current.fileId) {
      // Renamed away and replaced: what the writer added before it moved on is still in the old file.
      await readAvailable(current, true);
      // Stopped before the old file was finished: moving to the new one would store a position past its unread lines.
      if (stopped) return;
      await current.handle.close();
      current = null;
      counts.rotations++;
      current = await openCurrent();
      if (!current) return;
    } else if (onDisk && Number(onDisk.size) < current.offset) {
      // Truncated in place (copytruncate): start again from its beginning.
      current.offset = 0;
      current.skipping = false;
      counts.rotations++;
      await savePosition(current);
    }
    await readAvailable(current, false);
  }

  /** Reads every complete line after the offset; `final` also takes an unterminated last line (the file is finished). */
  async function readAvailable(f: OpenFile, final: boolean): Promise<void> {
    const buf = Buffer.alloc(chunkBytes);
    while (!stopped) {
      const { bytesRead } = await f.handle.read(buf, 0, chunkBytes, f.offset);
      if (bytesRead === 0) return;
      const data = buf.subarray(0, bytesRead);
      if (f.skipping) {
        const lf = data.indexOf(LF);
        f.offset += lf < 0 ? bytesRead : lf + 1;
        f.skipping = lf < 0;
        await savePosition(f);
        continue;
      }
      const lastLf = data.lastIndexOf(LF);
      if (lastLf < 0) {
        if (bytesRead === chunkBytes) {
          malformed.report(`line longer than ${chunkBytes} bytes`, { file });
          f.offset += bytesRead;
          f.skipping = true;
          await savePosition(f);
          continue;
        }
        if (!final) return;
        await handLines(f, data, bytesRead);
        return;
      }
      await handLines(f, data.subarray(0, lastLf + 1), lastLf + 1);
    }
  }

  /** Parses the lines in `data` (which starts at f.offset) and commits them with the position after `length` bytes. */
  async function handLines(f: OpenFile, data: Buffer, length: number): Promise<void> {
    const lines: { text: string; end: number }[] = [];
    let start = 0;
    while (start < data.length) {
      const lf = data.indexOf(LF, start);
      const stop = lf < 0 ? data.length : lf;
      const end = lf < 0 ? data.length : lf + 1;
      const raw = data.subarray(start, stop > start && data[stop - 1] === 0x0d ? stop - 1 : stop);
      if (raw.length > MAX_LOG_LINE_LENGTH)
        malformed.report(`line of ${raw.length} bytes is over the ${MAX_LOG_LINE_LENGTH}-byte limit`, { file });
      else if (raw.length > 0) lines.push({ text: utf8.decode(raw), end: f.offset + end });
      start = end;
    }
    counts.lines += lines.length;
    const chunkEnd = f.offset + length;
    for (;;) {
      try {
        await deliver(f, await convert(lines), chunkEnd);
        break;
      } catch (error) {
        if (stopped) return;
        failures.report((error as Error).message ?? String(error), { file });
        await delay(Math.min(pollMs * 2, 5_000));
      }
    }
    f.offset = chunkEnd;
  }

  async function convert(lines: readonly { text: string; end: number }[]): Promise<{ event: MonitorEvent; end: number }[]> {
    const schoolId = options.schoolId ?? (await defaultSchoolId(db)) ?? null;
    if (!schoolId) {
      for (const _ of lines) unassigned.report('no school is set up', { file });
      return [];
    }
    const zone = format === 'e2guardian' ? await zones.zoneOf(schoolId) : null;
    const offset = zone ? utcOffsetMinutes(zone, new Date()) : 0;
    const read: { event: IngestedEvent; blocked: boolean; end: number }[] = [];
    for (const line of lines) {
      let parsed = parseProxyLine(line.text, format, source, { utcOffsetMinutes: offset });
      // A line written before the clocks last changed (a backlog, a rotated file) is in the other offset.
      const own = zone && parsed.ok ? utcOffsetMinutes(zone, parsed.event.at) : offset;
      if (own !== offset) parsed = parseProxyLine(line.text, format, source, { utcOffsetMinutes: own });
      if (parsed.ok) read.push({ event: parsed.event, blocked: parsed.blocked, end: line.end });
      else malformed.report(parsed.reason, { file });
    }
    const people = await attributeAll(
      attributor,
      read.map((r) => ({ schoolId, event: r.event })),
    );
    const receivedAt = new Date();
    return read.map((r, i) => ({
      event: toMonitorEvent(r.event, { schoolId, sourceId: null, receivedAt, blocked: r.blocked }, people[i]!),
      end: r.end,
    }));
  }

  /**
   * Commits the events in batches, each with the position after its last line (the last batch
   * with the end of the chunk, past any unreadable lines). A busy intake is waited for; a batch
   * bigger than it can ever hold is halved.
   */
  async function deliver(f: OpenFile, events: { event: MonitorEvent; end: number }[], chunkEnd: number): Promise<void> {
    if (events.length === 0) {
      await savePosition({ ...f, offset: chunkEnd });
      return;
    }
    let size = batchSize;
    let at = 0;
    while (at < events.length) {
      const batch = events.slice(at, at + size);
      const last = at + batch.length === events.length;
      const tailPosition: TailPosition = { path: file, fileId: f.fileId, offset: last ? chunkEnd : batch[batch.length - 1]!.end };
      try {
        await intake.accept(
          batch.map((b) => b.event),
          { tailPosition },
        );
      } catch (error) {
        if (!isBusy(error) || stopped) throw error;
        size = Math.max(1, Math.floor(size / 2));
        await intake.whenReady();
        await delay(1);
        continue;
      }
      counts.committed += batch.length;
      at += batch.length;
    }
  }

  function wake(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await cycle();
        } catch (error) {
          failures.report((error as Error).message ?? String(error), { file });
        }
      } while (again && !stopped);
    })().finally(() => {
      running = null;
    });
  }

  let watcher: FSWatcher | null = null;
  try {
    // The directory, not the file: a rotation replaces the file, and a file watch would go quiet.
    watcher = watch(path.dirname(file), (_event, name) => {
      if (!name || name.toString() === path.basename(file)) wake();
    });
    watcher.on('error', () => {
      watcher?.close();
      watcher = null;
    });
  } catch {
    // Some file systems (network mounts) give no notifications; the timer still reads the file.
  }
  const timer = setInterval(wake, pollMs);
  timer.unref();
  wake();
  await running;

  return {
    stats: () => ({
      ...counts,
      malformed: malformed.count,
      unassigned: unassigned.count,
      fileId: current?.fileId ?? null,
      offset: current?.offset ?? 0,
    }),
    async close() {
      stopped = true;
      clearInterval(timer);
      watcher?.close();
      while (running) await running;
      await current?.handle.close();
      current = null;
    },
  };
}

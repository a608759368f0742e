/**
 * What the syslog server and the file tailer share: a proxy line or a syslog message turned
 * into the MonitorEvent the intake stores, and the operator's view of lines that could not be.
 */
import type { Kysely } from 'kysely';
import { newId } from '../../db/ids.js';
import type { DB } from '../../db/tables.js';
import type { EventKind, MonitorEvent } from '../model.js';
import { offsetMinutes } from '../reports/period.js';
import type { Attribution } from './attribute.js';
import { type E2guardianOptions, parseE2guardian } from './e2guardian.js';
import { type IngestedEvent, type LogFormat, logLineToEvent } from './from-log.js';
import { parseSquidNative } from './squid.js';

export type { Attribution };

/** The Attributor's shape, so the fronts can share one instance (and its cache) per process. */
export interface PersonResolver {
  resolve(schoolId: string, who: { username?: string; address?: string }, at: Date): Promise<Attribution>;
}

export type ProxyLineResult = { ok: true; event: IngestedEvent; blocked: boolean } | { ok: false; reason: string };

/**
 * One proxy or filter line, with whether the request was refused: e2guardian says so in its
 * verdict, Squid in its result code (`TCP_DENIED/403` is an ACL refusing the request).
 */
export function parseProxyLine(line: string, format: LogFormat, source: string, options: E2guardianOptions = {}): ProxyLineResult {
  if (format === 'e2guardian') {
    const parsed = parseE2guardian(line, options);
    return parsed.ok ? { ok: true, event: logLineToEvent(parsed.entry, source), blocked: parsed.entry.blocked } : parsed;
  }
  const parsed = parseSquidNative(line);
  return parsed.ok ? { ok: true, event: logLineToEvent(parsed.entry, source), blocked: parsed.entry.action.includes('DENIED') } : parsed;
}

export interface EventOrigin {
  schoolId: string;
  /** The `monitor_sources` row, when the sender or file is registered. */
  sourceId: string | null;
  receivedAt: Date;
  blocked: boolean | null;
}

/** Searches are scanned for their words; anything else with a URL is browsing; the rest is text. */
export function kindOf(event: IngestedEvent): EventKind {
  if (event.searchTerms && event.searchTerms.length > 0) return 'search';
  if (event.url || event.host) return 'web';
  return 'other';
}

export function toMonitorEvent(event: IngestedEvent, origin: EventOrigin, who: Attribution): MonitorEvent {
  return {
    id: newId(),
    schoolId: origin.schoolId,
    at: event.at,
    receivedAt: origin.receivedAt,
    sourceId: origin.sourceId,
    source: event.source,
    kind: kindOf(event),
    personId: who.personId,
    username: who.username ?? event.person.username ?? null,
    clientAddress: event.person.address ?? null,
    device: null,
    host: event.host ?? null,
    url: event.url ?? null,
    searchTerms: event.searchTerms && event.searchTerms.length > 0 ? event.searchTerms.join(' ') : null,
    text: event.text ?? null,
    blocked: origin.blocked,
  };
}

/**
 * Attributes a batch, asking the resolver once per distinct person: a proxy log is mostly the
 * same few hundred pupils, so a batch of thousands needs only a few lookups.
 */
export async function attributeAll(
  resolver: PersonResolver,
  items: readonly { schoolId: string; event: IngestedEvent }[],
): Promise<Attribution[]> {
  const memo = new Map<string, Promise<Attribution>>();
  const nobody: Attribution = { personId: null, username: null };
  return Promise.all(
    items.map(({ schoolId, event }) => {
      const { username, address } = event.person;
      if (!username && !address) return nobody;
      // The minute is part of the key: an address belongs to whoever signed in on it at the time.
      const key = `${schoolId}\u0000${username ?? ''}\u0000${address ?? ''}\u0000${Math.floor(event.at.getTime() / 60_000)}`;
      let found = memo.get(key);
      if (!found) {
        const who: { username?: string; address?: string } = {};
        if (username) who.username = username;
        if (address) who.address = address;
        found = resolver.resolve(schoolId, who, event.at);
        memo.set(key, found);
      }
      return found;
    }),
  );
}

/**
 * Minutes east of UTC in a time zone at an instant: e2guardian logs local time without a zone,
 * so its lines are read in the school's zone (60 during British Summer Time).
 */
export function utcOffsetMinutes(timeZone: string, at: Date): number {
  try {
    return offsetMinutes(at, timeZone);
  } catch {
    return 0;
  }
}

interface WarnLog {
  warn(o: object, m?: string): void;
}

/**
 * Counts lines that could not be read and logs them, at most one entry per interval: a sender
 * with the wrong format configured would otherwise write one log line per request it forwards.
 */
export class MalformedReporter {
  count = 0;
  private suppressed = 0;
  private lastLoggedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly log: WarnLog | undefined,
    private readonly what: string,
    private readonly intervalMs = 10_000,
  ) {}

  report(reason: string, context: object = {}): void {
    this.count++;
    const now = Date.now();
    if (now - this.lastLoggedAt < this.intervalMs) {
      this.suppressed++;
      return;
    }
    const suppressed = this.suppressed;
    this.suppressed = 0;
    this.lastLoggedAt = now;
    this.log?.warn(
      { ...context, reason, ...(suppressed > 0 ? { alsoRejectedSinceLastEntry: suppressed } : {}) },
      `${this.what}: line rejected`,
    );
  }
}

const ZONE_CACHE_MS = 60_000;
const DEFAULT_TIME_ZONE = 'Europe/London';

/** Each school's time zone from its filter settings, for reading e2guardian's zoneless times. */
export class SchoolZones {
  private readonly cache = new Map<string, { zone: string; until: number }>();

  constructor(private readonly db: Kysely<DB>) {}

  async zoneOf(schoolId: string): Promise<string> {
    const hit = this.cache.get(schoolId);
    if (hit && hit.until > Date.now()) return hit.zone;
    const row = await this.db.selectFrom('filter_settings').select('time_zone').where('school_id', '=', schoolId).executeTakeFirst();
    const zone = row?.time_zone || DEFAULT_TIME_ZONE;
    this.cache.set(schoolId, { zone, until: Date.now() + ZONE_CACHE_MS });
    return zone;
  }
}

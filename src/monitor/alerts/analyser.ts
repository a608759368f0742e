/**
 * The alert analyser: every committed event passes through here on its way to the DSL's queue.
 * It runs behind ingestion at tens of thousands of events a second and nearly all of them match
 * nothing, so that path touches no database at all: the compiled library is cached per school
 * and its version re-checked at most every few seconds.
 */
import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/tables.js';
import type { Mailer } from '../../notify/mailer.js';
import type { AppContext } from '../../server/context.js';
import type { KeywordMatch } from '../keywords/types.js';
import { currentLibrary, currentLibraryVersion } from '../library/current.js';
import { type CompiledLibrary, compileLibrary, scanText } from '../matcher/index.js';
import { type EventAnalyser, type MonitorEvent, type MonitorProfile, profileFor } from '../model.js';
import { loadMonitorSettings, type MonitorSettings } from '../settings.js';
import { type CriticalAlert, notifyCritical } from './critical.js';
import { captureExcerpt } from './excerpt.js';
import { type Capture, recordCapture } from './fold.js';
import { gradeMatch } from './grade.js';
import { personName } from '../../directory/names.js';

export interface AlertAnalyserOptions {
  mailer: Mailer | null;
  log?: { error(o: object, m?: string): void };
  /** Where links in e-mails point, e.g. `https://tutela.school.example`. */
  webBase?: string;
  /** How long a compiled library and the settings are trusted before the database is asked again. */
  cacheMs?: number;
}

const DEFAULT_CACHE_MS = 5_000;

interface CachedLibrary {
  version: number;
  compiled: CompiledLibrary;
  checkedAt: number;
}

/** One match in one field of one event. */
interface Found {
  event: MonitorEvent;
  text: string;
  match: KeywordMatch;
}

interface Subject {
  personId: string | null;
  who: string;
  profile: MonitorProfile;
}

/**
 * Raises, folds and grades alerts for committed events, and tells the DSL team of critical
 * ones at once. `analyse` never throws: a failure is logged, since the events are already
 * stored and ingestion must go on.
 *
 * @example
 *   const analyser = new AlertAnalyser(ctx, { mailer });
 *   await analyser.analyse(events);
 */
export class AlertAnalyser implements EventAnalyser {
  private readonly libraries = new Map<string, CachedLibrary>();
  private readonly loadingLibraries = new Map<string, Promise<CachedLibrary>>();
  private readonly settings = new Map<string, { settings: MonitorSettings; loadedAt: number }>();
  /** The tail of each school's chain of recording work: one at a time per school, so folds do not race. */
  private readonly schoolChains = new Map<string, Promise<void>>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly cacheMs: number;

  constructor(
    private readonly ctx: AppContext,
    private readonly options: AlertAnalyserOptions,
  ) {
    this.cacheMs = options.cacheMs ?? DEFAULT_CACHE_MS;
  }

  analyse(events: readonly MonitorEvent[]): Promise<void> {
    const work = this.run(events)
      .catch((error) => this.options.log?.error({ err: error }, 'could not analyse monitoring events'))
      .finally(() => this.inFlight.delete(work));
    this.inFlight.add(work);
    return work;
  }

  /** Resolves when every analysis started so far has finished. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private async run(events: readonly MonitorEvent[]): Promise<void> {
    if (events.length === 0) return;
    const bySchool = new Map<string, MonitorEvent[]>();
    for (const event of events) {
      const list = bySchool.get(event.schoolId);
      if (list) list.push(event);
      else bySchool.set(event.schoolId, [event]);
    }
    // A batch mixes schools: one school's failure must not cost the others their alerts.
    for (const [schoolId, schoolEvents] of bySchool) {
      try {
        const library = await this.compiledLibraryOf(schoolId);
        const found: Found[] = [];
        for (const event of schoolEvents) scanEvent(library.compiled, event, found);
        if (found.length === 0) continue;
        await this.serialised(schoolId, () => this.record(schoolId, library.version, found));
      } catch (error) {
        this.options.log?.error({ err: error, schoolId }, 'could not analyse monitoring events');
      }
    }
  }

  private serialised(schoolId: string, task: () => Promise<void>): Promise<void> {
    const previous = this.schoolChains.get(schoolId) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(task);
    this.schoolChains.set(schoolId, next);
    const forget = () => {
      if (this.schoolChains.get(schoolId) === next) this.schoolChains.delete(schoolId);
    };
    next.then(forget, forget);
    return next;
  }

  private async compiledLibraryOf(schoolId: string): Promise<CachedLibrary> {
    const cached = this.libraries.get(schoolId);
    if (cached && performance.now() - cached.checkedAt < this.cacheMs) return cached;
    // Concurrent batches of one school share one look-up and one compilation.
    const loading = this.loadingLibraries.get(schoolId);
    if (loading) return loading;
    const load = this.loadLibrary(schoolId, cached).finally(() => this.loadingLibraries.delete(schoolId));
    this.loadingLibraries.set(schoolId, load);
    return load;
  }

  private async loadLibrary(schoolId: string, cached: CachedLibrary | undefined): Promise<CachedLibrary> {
    const db = this.ctx.db;
    if (cached && (await currentLibraryVersion(db, schoolId)) === cached.version) {
      cached.checkedAt = performance.now();
      return cached;
    }
    const current = await currentLibrary(db, schoolId);
    const fresh = { version: current.version, compiled: compileLibrary(current.entries), checkedAt: performance.now() };
    this.libraries.set(schoolId, fresh);
    return fresh;
  }

  private async schoolSettings(schoolId: string): Promise<MonitorSettings> {
    const cached = this.settings.get(schoolId);
    if (cached && performance.now() - cached.loadedAt < this.cacheMs) return cached.settings;
    const settings = await loadMonitorSettings(this.ctx.db, schoolId);
    this.settings.set(schoolId, { settings, loadedAt: performance.now() });
    return settings;
  }

  private async record(schoolId: string, keywordsVersion: number, found: readonly Found[]): Promise<void> {
    const settings = await this.schoolSettings(schoolId);
    const subjects = await subjectsOf(this.ctx.db, schoolId, found);
    const devices = await deviceNamesOf(this.ctx.db, schoolId, found);
    const now = this.ctx.clock();
    const critical: CriticalAlert[] = [];
    await this.ctx.db.transaction().execute(async (trx) => {
      // Another process (a second web node, the filter role) may analyse the same school: on
      // PostgreSQL they queue here until this transaction ends, so a repeat cannot open a twin.
      if (this.ctx.store.dialect === 'postgres') {
        await sql`select pg_advisory_xact_lock(hashtext(${`monitor_alerts:${schoolId}`}))`.execute(trx);
      }
      for (const { event, text, match } of found) {
        const subject = subjects.get(event.id)!;
        const profile = settings.profiles[subject.profile];
        const baseSeverity = gradeMatch(match, profile);
        if (baseSeverity === null) continue;
        const capture: Capture = {
          schoolId,
          ...subject,
          category: match.category,
          baseSeverity,
          entryId: match.entryId,
          term: match.term,
          source: event.source,
          eventKind: event.kind,
          eventId: event.id,
          // The DSL needs to know which machine: the sender's name for it, the filter's registered device, or the address.
          device: event.device ?? (event.deviceId ? (devices.get(event.deviceId) ?? null) : null) ?? event.clientAddress,
          url: event.url,
          excerpt: captureExcerpt(text, match.start, match.end),
          at: event.at,
          keywordsVersion,
        };
        const recorded = await recordCapture(trx, capture, profile, settings.foldWindowHours, now);
        if (recorded.becameCritical) {
          critical.push({
            id: recorded.alertId,
            schoolId,
            personId: subject.personId,
            profile: subject.profile,
            category: match.category,
            severity: recorded.severity,
            at: event.at,
          });
        }
      }
    });
    for (const alert of critical) {
      await notifyCritical(this.ctx.db, this.options.mailer, alert, this.options.webBase, now, (error) =>
        this.options.log?.error({ err: error, alertId: alert.id }, 'could not e-mail a critical monitoring alert'),
      );
    }
  }
}

/**
 * The event's matches, in its search terms and its captured text (never the raw URL: the
 * search terms are what was typed). One match per entry per event, so a message saying a
 * thing twice is one occurrence; a match inside a longer match of the same category ("weed"
 * inside "buy weed") is the same occurrence and is dropped.
 */
function scanEvent(library: CompiledLibrary, event: MonitorEvent, out: Found[]): void {
  let seen: Set<string> | null = null;
  for (const text of [event.searchTerms, event.text]) {
    if (!text) continue;
    const matches = scanText(library, text);
    if (matches.length === 0) continue;
    seen ??= new Set();
    for (const match of matches) {
      if (seen.has(match.entryId)) continue;
      const inside = matches.some(
        (other) =>
          other !== match &&
          other.category === match.category &&
          other.start <= match.start &&
          other.end >= match.end &&
          other.end - other.start > match.end - match.start,
      );
      if (inside) continue;
      seen.add(match.entryId);
      out.push({ event, text, match });
    }
  }
}

const kindForProfile = (kind: string): 'student' | 'staff' | 'other' => (kind === 'student' || kind === 'staff' ? kind : 'other');

/**
 * Who each event is about. A person id that is not of this school is treated as no person at
 * all: an alert must never name someone on the strength of a sender's say-so.
 */
async function subjectsOf(db: Kysely<DB>, schoolId: string, found: readonly Found[]): Promise<Map<string, Subject>> {
  const ids = [...new Set(found.map((f) => f.event.personId).filter((id): id is string => id !== null))];
  const people = ids.length
    ? await db
        .selectFrom('people')
        .select(['id', 'kind', 'given_name', 'preferred_name', 'family_name', 'year_group'])
        .where('school_id', '=', schoolId)
        .where('id', 'in', ids)
        .execute()
    : [];
  const byId = new Map(people.map((p) => [p.id, p]));
  const subjects = new Map<string, Subject>();
  for (const { event } of found) {
    const person = event.personId ? byId.get(event.personId) : undefined;
    subjects.set(
      event.id,
      person
        ? {
            personId: person.id,
            who: personName(person),
            profile: profileFor({ kind: kindForProfile(person.kind), yearGroup: person.year_group }),
          }
        : { personId: null, who: event.username ?? event.clientAddress ?? 'unknown', profile: 'unknown' },
    );
  }
  return subjects;
}

/** Names of the filter's registered devices that matched events came from. */
async function deviceNamesOf(db: Kysely<DB>, schoolId: string, found: readonly Found[]): Promise<Map<string, string>> {
  const ids = [...new Set(found.flatMap(({ event }) => (event.deviceId ? [event.deviceId] : [])))];
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('filter_devices')
    .select(['id', 'name'])
    .where('school_id', '=', schoolId)
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

import type { ActivityBus } from '../../activity/bus.js';
import type { AppContext } from '../../server/context.js';
import {
  type CompiledLists,
  compileLists,
  compilePolicy,
  decide,
  type Snapshot,
  snapshotClaimsAddress,
  snapshotKnowsPerson,
} from '../engine/index.js';
import type { DecisionEvent, FilterGate } from '../gate.js';
import { listsStamp, loadLists } from '../lists/index.js';
import type { FilterDecision, FilterPerson, FilterPolicy, FilterRequest } from '../model.js';
import { ensureFilterPolicy } from '../policy/ensure.js';
import { loadFilterPolicy, policyVersions } from '../policy/load.js';
import { ownHostNames } from './block-redirect.js';
import { activityEventOf } from './events.js';
import { onFilterReload } from './reload-signal.js';

export interface RuntimeLog {
  info(o: object, m?: string): void;
  error(o: object, m?: string): void;
}

export interface FilterRuntimeOptions {
  bus: ActivityBus;
  /**
   * The time the DNS filter and the proxy decide at. Left out, each request's own time; tests
   * pass their movable clock so lessons and lunch can be tried without waiting.
   */
  now?: () => Date;
  /** How often the store is asked whether policies or lists changed. */
  pollMs?: number;
  /**
   * How often every school is recompiled even with no version change: people joining, leaving
   * or changing class move no policy version, and snapshots hold who is who.
   */
  fullRefreshMs?: number;
  log?: RuntimeLog;
}

/** One school's compiled policy and what the block page needs to know about its people. */
export interface SchoolFilter {
  schoolId: string;
  version: number;
  snapshot: Snapshot;
  policy: FilterPolicy;
  people: ReadonlyMap<string, FilterPerson>;
}

export interface RuntimeStats {
  schools: number;
  listsStamp: string | null;
  reloads: number;
  reloadFailures: number;
  recordFailures: number;
  lastReloadAt: string | null;
}

/**
 * The filter as the DNS server, the proxy and the block page see it: the compiled lists, one
 * snapshot per school, and a loop that keeps them current. `decide` is synchronous over the
 * snapshots in memory; the loop polls the store every half second and recompiles only what
 * changed (the lists when their stamp moves, a school when its policy version moves or its
 * agreements' yearly renewal passes), so a change made in the web app is in force within about
 * a second on every node, and at once on this one when the change signals `reloadFilterNow`.
 *
 * @example
 *   const runtime = new FilterRuntime(ctx, { bus });
 *   await runtime.start();
 *   runtime.decide({ clientAddress: '10.0.0.7', target: 'bet.example', at: new Date() });
 */
/**
 * The names a person held at the acceptable-use agreement may still reach: Tutela's own web
 * addresses and block-page addresses, and the sign-in hosts of its single sign-on providers,
 * so they can sign in and accept.
 */
export function openHostsOf(config: AppContext['config']): string[] {
  const { filter, oidc } = config;
  return [
    ...ownHostNames(config),
    filter.blockPageAddress,
    filter.blockPageAddress6,
    // A malformed issuer fails at sign-in, where it is reported; here it opens nothing.
    ...oidc.flatMap((provider) => (URL.canParse(provider.issuer) ? [new URL(provider.issuer).hostname] : [])),
  ];
}

export class FilterRuntime implements FilterGate {
  private lists: CompiledLists | null = null;
  private stamp: string | null = null;
  private schools = new Map<string, SchoolFilter>();
  /** In the schools table's order: the first is the fallback for an unknown client. */
  private ordered: SchoolFilter[] = [];
  private personSchool = new Map<string, SchoolFilter>();
  private timer: NodeJS.Timeout | null = null;
  private reloading: Promise<void> | null = null;
  private lastFullRefresh = 0;
  private readonly counts = { reloads: 0, reloadFailures: 0, recordFailures: 0 };
  private lastReloadAt: Date | null = null;
  /**
   * Tutela's own names, the block-page addresses it is reached at without a public URL, and the
   * hosts of its single sign-on providers: a person held at the acceptable-use agreement can
   * still reach it, and sign in, to accept.
   */
  private readonly openHosts: readonly string[];
  private stopListening: (() => void) | null = null;

  constructor(
    private readonly ctx: AppContext,
    private readonly options: FilterRuntimeOptions,
  ) {
    this.openHosts = openHostsOf(ctx.config);
  }

  /** Loads and compiles everything, then keeps polling. Rejects if the first load fails. */
  async start(): Promise<void> {
    await this.refreshNow();
    if (this.timer) return;
    // Changes made in this process (an agreement accepted) are in force before their response is sent.
    this.stopListening = onFilterReload(this.ctx.db, () => this.refreshNow());
    this.timer = setInterval(() => {
      this.refresh().catch(() => {
        // Counted and logged in reload(); the snapshots in force stay until the next poll.
      });
    }, this.options.pollMs ?? 500);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.stopListening?.();
    this.stopListening = null;
    await this.reloading?.catch(() => {});
  }

  /** Reloads now and resolves once the result is in force (a poll already running is waited for first). */
  async refreshNow(): Promise<void> {
    await this.reloading?.catch(() => {});
    await this.refresh();
  }

  get ready(): boolean {
    return this.lists !== null;
  }

  stats(): RuntimeStats {
    return {
      schools: this.ordered.length,
      listsStamp: this.stamp,
      ...this.counts,
      lastReloadAt: this.lastReloadAt?.toISOString() ?? null,
    };
  }

  /** The compiled lists in force, for "which categories is this site in". */
  compiledLists(): CompiledLists | null {
    return this.lists;
  }

  school(schoolId: string): SchoolFilter | undefined {
    return this.schools.get(schoolId);
  }

  decide(request: FilterRequest): FilterDecision {
    const at = this.options.now ? this.options.now() : request.at;
    const asked = at === request.at ? request : { ...request, at };
    const school = this.schoolFor(asked);
    if (!school) return unavailable(asked);
    return decide(school.snapshot, asked);
  }

  /** Decides in one given school (the block page and the test tool know the school already). */
  decideIn(schoolId: string, request: FilterRequest): FilterDecision {
    const school = this.schools.get(schoolId);
    if (!school) return unavailable(request);
    return decide(school.snapshot, request);
  }

  record(event: DecisionEvent): void {
    try {
      const at = this.options.now ? this.options.now() : event.at;
      this.options.bus.publish(activityEventOf(at === event.at ? event : { ...event, at }));
    } catch (error) {
      this.counts.recordFailures++;
      try {
        this.options.log?.error({ err: error }, 'could not record a filter decision');
      } catch {
        // Recording must never break an answer, not even through the logger.
      }
    }
  }

  /** The school a request belongs to: by person, then by address, else the first school. */
  schoolFor(request: FilterRequest): SchoolFilter | undefined {
    if (this.ordered.length <= 1) return this.ordered[0];
    if (request.personId) {
      const bySchool = this.personSchool.get(request.personId);
      if (bySchool && snapshotKnowsPerson(bySchool.snapshot, request.personId)) return bySchool;
    }
    for (const school of this.ordered) {
      if (snapshotClaimsAddress(school.snapshot, request.clientAddress, request.at)) return school;
    }
    return this.ordered[0];
  }

  private refresh(): Promise<void> {
    this.reloading ??= this.reload().finally(() => {
      this.reloading = null;
    });
    return this.reloading;
  }

  private async reload(): Promise<void> {
    const { db } = this.ctx;
    const now = this.ctx.clock();
    try {
      const [stamp, schoolRows] = await Promise.all([
        listsStamp(db),
        db.selectFrom('schools').select('id').orderBy('created_at').orderBy('id').execute(),
      ]);
      let versions = await policyVersions(db);
      const missing = schoolRows.filter((s) => !versions.has(s.id));
      if (missing.length > 0) {
        for (const s of missing) await ensureFilterPolicy(db, s.id, this.ctx.clock);
        versions = await policyVersions(db);
      }

      let listsChanged = false;
      if (stamp !== this.stamp || !this.lists) {
        const loaded = await loadLists(db);
        const started = Date.now();
        this.lists = compileLists(loaded.categories, loaded.locked);
        this.stamp = loaded.stamp;
        listsChanged = true;
        this.options.log?.info({ ...this.lists.stats, ms: Date.now() - started }, 'filter lists compiled');
      }
      const full = Date.now() - this.lastFullRefresh >= (this.options.fullRefreshMs ?? 5 * 60_000);

      const next = new Map<string, SchoolFilter>();
      for (const { id } of schoolRows) {
        const current = this.schools.get(id);
        if (current && !listsChanged && !full && current.version === versions.get(id) && !heldListLapsed(current.policy, now)) {
          next.set(id, current);
          continue;
        }
        const policy = await loadFilterPolicy(db, id, now);
        next.set(id, {
          schoolId: id,
          version: policy.version,
          policy,
          snapshot: compilePolicy(policy, this.lists, { openHosts: this.openHosts }),
          people: new Map(policy.people.map((p) => [p.id, p])),
        });
      }
      if (full) this.lastFullRefresh = Date.now();
      this.install(next);
      this.counts.reloads++;
      this.lastReloadAt = now;
    } catch (error) {
      this.counts.reloadFailures++;
      this.options.log?.error({ err: error }, 'filter reload failed; the policies in force stay');
      throw error;
    }
  }

  private install(next: Map<string, SchoolFilter>): void {
    const personSchool = new Map<string, SchoolFilter>();
    for (const school of next.values()) for (const id of school.people.keys()) personSchool.set(id, school);
    this.schools = next;
    this.ordered = [...next.values()];
    this.personSchool = personSchool;
  }
}

/** Whether the agreements' yearly renewal has passed since the policy was loaded, so last year's acceptances no longer count. */
function heldListLapsed(policy: FilterPolicy, now: Date): boolean {
  return policy.heldUntil !== undefined && now.getTime() >= Date.parse(policy.heldUntil);
}

/** No school is set up yet: fail closed, as a filter must, and say why. */
function unavailable(request: FilterRequest): FilterDecision {
  return {
    action: 'block',
    schoolId: '',
    category: null,
    rule: 'profile_default',
    detail: 'The filter has no school set up yet, so it blocks everything until one is.',
    policyVersion: 0,
    personId: request.personId ?? null,
    profileId: '',
    deviceId: null,
    host: request.target,
    url: null,
    alert: false,
  };
}

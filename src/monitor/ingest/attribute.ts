/**
 * Who an event is about: by the username it carried, else by the address it came from, using
 * the mapping in force when it happened. Events arrive by the tens of thousands a second, so
 * each school's accounts and address mappings are held in memory for a few seconds instead of
 * being queried per event.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/tables.js';

export interface Attribution {
  personId: string | null;
  /** The username the event carried; when it had none and the address named a person, their account's. */
  username: string | null;
}

export interface AttributorOptions {
  /** How long a school's accounts and devices are trusted before they are read again. */
  directoryTtlMs?: number;
  /** Sign-ins to addresses change by the minute, so they are read again sooner. */
  signInTtlMs?: number;
  now?: () => number;
}

interface SignIn {
  personId: string;
  from: string;
  until: string;
}

interface SchoolDirectory {
  /** Lower-cased full username → person. */
  byUsername: Map<string, string>;
  /** Lower-cased user part (`jane` of `SCHOOL\jane` or `jane@school.org`) → person, or null when several share it. */
  byUserPart: Map<string, string | null>;
  /** Address → person, from devices registered to one person; null when devices of several people share it. */
  deviceOwner: Map<string, string | null>;
  /** Person → a username to show when the event carried none. */
  usernameOf: Map<string, string>;
}

interface Cached<T> {
  value: Promise<T>;
  expires: number;
}

/** `SCHOOL\jane.smith` and `jane.smith@school.org` are both `jane.smith`. */
export function userPart(username: string): string {
  const lower = username.trim().toLowerCase();
  const slash = lower.lastIndexOf('\\');
  const afterDomain = slash >= 0 ? lower.slice(slash + 1) : lower;
  const at = afterDomain.indexOf('@');
  return at > 0 ? afterDomain.slice(0, at) : afterDomain;
}

/**
 * @example
 *   const attributor = new Attributor(ctx.db);
 *   await attributor.resolve(schoolId, { username: 'SCHOOL\\jane.smith' }, new Date());
 *   // { personId: '…', username: 'SCHOOL\\jane.smith' }
 */
export class Attributor {
  private readonly directoryTtlMs: number;
  private readonly signInTtlMs: number;
  private readonly now: () => number;
  private readonly directories = new Map<string, Cached<SchoolDirectory>>();
  private readonly signIns = new Map<string, Cached<Map<string, SignIn>>>();

  constructor(
    private readonly db: Kysely<DB>,
    options: AttributorOptions = {},
  ) {
    this.directoryTtlMs = options.directoryTtlMs ?? 30_000;
    this.signInTtlMs = options.signInTtlMs ?? 2_000;
    this.now = options.now ?? Date.now;
  }

  async resolve(schoolId: string, who: { username?: string; address?: string }, at: Date): Promise<Attribution> {
    const given = who.username?.trim() || null;
    const directory = await this.directory(schoolId);
    if (given) {
      const personId = directory.byUsername.get(given.toLowerCase()) ?? directory.byUserPart.get(userPart(given)) ?? null;
      if (personId) return { personId, username: given };
    }
    const address = who.address?.trim();
    if (address) {
      const personId = (await this.signedInAt(schoolId, address, at)) ?? directory.deviceOwner.get(address) ?? null;
      if (personId) return { personId, username: given ?? directory.usernameOf.get(personId) ?? null };
    }
    return { personId: null, username: given };
  }

  /** Forgets what was read, so the next event reads the directory again (after an import, say). */
  clear(): void {
    this.directories.clear();
    this.signIns.clear();
  }

  private async signedInAt(schoolId: string, address: string, at: Date): Promise<string | null> {
    const signIn = (await this.cached(this.signIns, schoolId, this.signInTtlMs, () => this.loadSignIns(schoolId))).get(address);
    if (!signIn) return null;
    const when = at.toISOString();
    return signIn.from <= when && when < signIn.until ? signIn.personId : null;
  }

  private directory(schoolId: string): Promise<SchoolDirectory> {
    return this.cached(this.directories, schoolId, this.directoryTtlMs, () => this.loadDirectory(schoolId));
  }

  private cached<T>(cache: Map<string, Cached<T>>, schoolId: string, ttl: number, load: () => Promise<T>): Promise<T> {
    const now = this.now();
    const hit = cache.get(schoolId);
    if (hit && hit.expires > now) return hit.value;
    const value = load();
    const entry = { value, expires: now + ttl };
    cache.set(schoolId, entry);
    // A failed read is not kept: the next event tries again.
    value.catch(() => {
      if (cache.get(schoolId) === entry) cache.delete(schoolId);
    });
    return value;
  }

  private async loadDirectory(schoolId: string): Promise<SchoolDirectory> {
    const [accounts, devices] = await Promise.all([
      this.db
        .selectFrom('accounts')
        .innerJoin('people', 'people.id', 'accounts.person_id')
        .select(['accounts.username', 'accounts.person_id'])
        .where('people.school_id', '=', schoolId)
        .orderBy('accounts.created_at')
        .execute(),
      this.db
        .selectFrom('filter_devices')
        .select(['address', 'person_id'])
        .where('school_id', '=', schoolId)
        .where('address', 'is not', null)
        .where('person_id', 'is not', null)
        .execute(),
    ]);
    const directory: SchoolDirectory = { byUsername: new Map(), byUserPart: new Map(), deviceOwner: new Map(), usernameOf: new Map() };
    for (const a of accounts) {
      directory.byUsername.set(a.username.toLowerCase(), a.person_id);
      const part = userPart(a.username);
      const known = directory.byUserPart.get(part);
      directory.byUserPart.set(part, known === undefined || known === a.person_id ? a.person_id : null);
      if (!directory.usernameOf.has(a.person_id)) directory.usernameOf.set(a.person_id, a.username);
    }
    for (const d of devices) {
      const known = directory.deviceOwner.get(d.address!);
      directory.deviceOwner.set(d.address!, known === undefined || known === d.person_id ? d.person_id : null);
    }
    return directory;
  }

  private async loadSignIns(schoolId: string): Promise<Map<string, SignIn>> {
    const rows = await this.db
      .selectFrom('filter_address_signins')
      .select(['address', 'person_id', 'created_at', 'until_at'])
      .where('school_id', '=', schoolId)
      .execute();
    return new Map(rows.map((r) => [r.address, { personId: r.person_id, from: r.created_at, until: r.until_at }]));
  }
}

/**
 * The school that events carrying no school belong to (syslog, tailed files): the
 * installation's only school, or the first one made.
 */
export async function defaultSchoolId(db: Kysely<DB>): Promise<string | null> {
  const first = await db.selectFrom('schools').select('id').orderBy('created_at').orderBy('id').limit(1).executeTakeFirst();
  return first?.id ?? null;
}

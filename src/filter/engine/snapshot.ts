import { AppError } from '../../errors/errors.js';
import { type CategoryId, categoryBit, categoryLabel, isCategoryId } from '../categories.js';
import type { FilterException, FilterPerson, FilterPolicy, FilterSanction, ListEntry, Level, MatrixCell, Profile } from '../model.js';
import { WINDOW_KINDS } from '../model.js';
import { type AddressBook, addressFacts, compileSubnets, createAddressBook } from './addresses.js';
import { hostKey } from './host-hash.js';
import { canonicalAddress } from './ip.js';
import type { CompiledLists } from './lists.js';
import { createClock, type LocalClock } from './local-time.js';
import { normaliseTarget } from './normalise.js';
import { addUrlRule, pathOf, segmentCount, type UrlIndex } from './url-index.js';

/*
 * A school's policy compiled for `decide`: every lookup a request needs is a Map get or a bit
 * test. A snapshot is never changed after it is built (apart from its internal caches); a policy
 * change builds a new one and the runtime swaps it in.
 */

export interface CompiledCell {
  category: CategoryId;
  level: Level;
  /** Bit `WINDOW_KINDS.indexOf(kind)` set for each window in which the category is allowed. */
  windowMask: number;
  persons: Set<string>;
  groups: Set<string>;
  /** `warn` for a cell that warns, else `allow`: what an allowing outcome of the cell is. */
  allowAction: 'allow' | 'warn';
  /** Explanations, written once here so a decision only picks one: when it allows, when it blocks. */
  allowDetail: string;
  blockDetail: string;
  /** For `at_certain_times`, the explanation for each current window kind (by `WINDOW_KINDS` index). */
  timeDetails: string[];
}

export interface CompiledProfile {
  profile: Profile;
  /** Cells by category bit. */
  cells: (CompiledCell | undefined)[];
  /** Bits of the categories the matrix has a cell for. */
  covered: number;
  /** Explanations of the default action: for a site in no category, and in categories without a cell. */
  uncategorisedDetail: string;
  uncoveredDetail: string;
}

/** Host-keyed local rules, in one map so a request does one lookup per parent domain. */
export interface LocalHostEntry {
  rules: ListRule[];
  exceptions: CompiledException[];
}

export interface CompiledPerson {
  person: FilterPerson;
  groups: Set<string>;
}

/** List levels, strongest first, as `decide` checks them. */
export const LIST_LEVELS = ['person', 'group', 'school', 'trust'] as const;

export interface ListRule {
  level: number;
  entry: ListEntry;
  /** The normalised pattern, for the explanation. */
  pattern: string;
  /** Specificity: a URL prefix beats a host, more path segments beat fewer, then more host labels. */
  rank: number;
}

export interface CompiledException {
  exception: FilterException;
  fromMs: number;
  untilMs: number;
  /** Category bit mask for a category exception, 0 for a pattern. */
  categoryMask: number;
  pattern: string | null;
}

export interface CompiledSanction {
  sanction: FilterSanction;
  fromMs: number;
  untilMs: number;
  stillAllowed: Set<number>;
}

export interface Snapshot {
  readonly schoolId: string;
  readonly trustId: string;
  readonly policyVersion: number;
  readonly lists: CompiledLists;
  readonly people: Map<string, CompiledPerson>;
  readonly profiles: Map<string, CompiledProfile>;
  readonly fallback: CompiledProfile;
  readonly addresses: AddressBook;
  readonly signIns: Map<string, { personId: string; untilMs: number }[]>;
  readonly localHosts: Map<number, LocalHostEntry>;
  /**
   * One bit per host key of a local rule, exception or URL entry (`localFilterBit`): most
   * requests match none, and the filter says so without a Map lookup per parent domain.
   */
  readonly localFilter: Int32Array;
  readonly urlRules: UrlIndex<ListRule>;
  readonly exceptionUrls: UrlIndex<CompiledException>;
  readonly categoryExceptions: CompiledException[];
  readonly sanctions: Map<string, CompiledSanction[]>;
  /** People held at the acceptable-use agreement, and the host keys of Tutela's own names they may still reach. */
  readonly held: ReadonlySet<string>;
  readonly openHosts: ReadonlySet<number>;
  readonly clock: LocalClock;
  readonly alertingMask: number;
  readonly info: SnapshotInfo;
}

export interface SnapshotInfo {
  schoolId: string;
  trustId: string;
  policyVersion: number;
  personCount: number;
  deviceCount: number;
  subnetCount: number;
  profileCount: number;
  listEntryCount: number;
  exceptionCount: number;
  sanctionCount: number;
  heldCount: number;
  /** Entries that could not be compiled (a pattern that is not a host, a bad CIDR); they have no effect. */
  skipped: number;
}

const MAX_LABELS_RANK = 128;

/** Bits in a snapshot's local filter (8 KiB); a power of two no larger than 2²¹. */
const LOCAL_FILTER_BITS = 65536;

/**
 * A host key's bit in the local filter, from the key or (equal, see `pairKey`) from a probe's
 * low word: the key's low 21 bits are `low >>> 11`.
 */
export const localFilterBit = (key: number): number => key % LOCAL_FILTER_BITS;
export const probeFilterBit = (low: number): number => (low >>> 11) & (LOCAL_FILTER_BITS - 1);

/** Specificity of a pattern: any URL prefix beats any host; more path segments, then more labels, beat fewer. */
function rankOf(host: string, url: string | null): number {
  const labels = host.split('.').length;
  if (url === null) return labels;
  return MAX_LABELS_RANK * (1 + segmentCount(pathOf(host, url))) + labels;
}

const windowName = (kind: string): string => kind.replace('_', ' ');

function compileCell(category: CategoryId, cell: MatrixCell, profileName: string): CompiledCell {
  let windowMask = 0;
  for (const w of cell.windows ?? []) windowMask |= 1 << WINDOW_KINDS.indexOf(w);
  const label = categoryLabel(category);
  const warned = cell.warn === true ? ', with a warning' : '';
  const forProfile = ` for ${profileName}`;
  let allowDetail = `${label} is acceptable${forProfile}${warned}`;
  let blockDetail = `${label} is ${cell.level === 'illegal' ? 'illegal' : 'unacceptable'}${forProfile}`;
  if (cell.level === 'nominated_users') {
    allowDetail = `${label} is allowed for nominated users${forProfile}${warned}`;
    blockDetail = `${label} is only for nominated users${forProfile}`;
  }
  const allowedAt = (cell.windows ?? []).map(windowName).join(', ') || 'no time';
  const timeDetails = WINDOW_KINDS.map((now) => `${label} is allowed${forProfile} at ${allowedAt}; now: ${windowName(now)}`);
  return {
    category,
    level: cell.level,
    windowMask,
    persons: new Set(cell.nominatedPersonIds ?? []),
    groups: new Set(cell.nominatedGroupIds ?? []),
    allowAction: cell.warn === true ? 'warn' : 'allow',
    allowDetail,
    blockDetail,
    timeDetails: cell.warn === true ? timeDetails.map((d) => `${d}${warned}`) : timeDetails,
  };
}

function compileProfile(profile: Profile): CompiledProfile {
  const cells: (CompiledCell | undefined)[] = [];
  let covered = 0;
  for (const [category, cell] of Object.entries(profile.matrix) as [CategoryId, MatrixCell | undefined][]) {
    if (!cell || !isCategoryId(category)) continue;
    const bit = categoryBit(category);
    cells[bit] = compileCell(category, cell, profile.name);
    covered |= 1 << bit;
  }
  const fallsTo = `${profile.name} default: ${profile.defaultAction}`;
  return {
    profile,
    cells,
    covered: covered >>> 0,
    uncategorisedDetail: `not in any category; ${fallsTo}`,
    uncoveredDetail: `no matrix cell for its categories; ${fallsTo}`,
  };
}

const timeOf = (iso: string): number => {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? Number.NaN : ms;
};

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export interface CompileOptions {
  /**
   * Tutela's own host names (its public address, the web app's host): a person held at the
   * acceptable-use agreement may still reach them, to read and accept it.
   */
  openHosts?: Iterable<string>;
}

/**
 * Compiles a school's policy over the installation's compiled lists. Throws `validation_failed`
 * when the fallback profile is missing (every request must end at a profile); entries that do
 * not compile are skipped and counted in `snapshotInfo(...).skipped`.
 * @example const snapshot = compilePolicy(policy, lists, { openHosts: ['tutela.school.example'] }); decide(snapshot, request);
 */
export function compilePolicy(policy: FilterPolicy, lists: CompiledLists, options: CompileOptions = {}): Snapshot {
  let skipped = 0;
  const profiles = new Map(policy.profiles.map((p) => [p.id, compileProfile(p)]));
  const fallback = profiles.get(policy.fallbackProfileId);
  if (!fallback)
    throw new AppError('validation_failed', `The fallback profile ${policy.fallbackProfileId} is not one of the school's profiles`);

  const people = new Map<string, CompiledPerson>(policy.people.map((p) => [p.id, { person: p, groups: new Set(p.groupIds) }]));
  const { ranges, skipped: badSubnets } = compileSubnets(policy.subnets);
  const { book, skipped: badDevices } = createAddressBook(policy.devices, ranges);
  skipped += badSubnets + badDevices;

  const signIns = new Map<string, { personId: string; untilMs: number }[]>();
  for (const s of policy.signIns) {
    const address = canonicalAddress(s.address);
    const untilMs = timeOf(s.until);
    if (address === null || Number.isNaN(untilMs)) skipped += 1;
    else push(signIns, address, { personId: s.personId, untilMs });
  }

  const localHosts = new Map<number, LocalHostEntry>();
  const localFilter = new Int32Array(LOCAL_FILTER_BITS / 32);
  const mark = (key: number): number => {
    const bit = localFilterBit(key);
    localFilter[bit >>> 5] = localFilter[bit >>> 5]! | (1 << (bit & 31));
    return key;
  };
  const local = (key: number): LocalHostEntry => {
    let entry = localHosts.get(key);
    if (!entry) {
      entry = { rules: [], exceptions: [] };
      localHosts.set(key, entry);
    }
    return entry;
  };
  const urlRules: UrlIndex<ListRule> = new Map();
  let listEntryCount = 0;
  for (const entry of policy.lists) {
    const level = LIST_LEVELS.indexOf(entry.scope);
    // A school's and a trust's entries apply only to that school and trust.
    const foreign =
      (entry.scope === 'school' && entry.scopeId !== policy.schoolId) || (entry.scope === 'trust' && entry.scopeId !== policy.trustId);
    const target = normaliseTarget(entry.pattern);
    if (level < 0 || foreign || target === null) {
      skipped += 1;
      continue;
    }
    const rule: ListRule = { level, entry, pattern: target.url ?? target.host, rank: rankOf(target.host, target.url) };
    if (target.url === null) local(mark(hostKey(target.host))).rules.push(rule);
    else addUrlRule(urlRules, mark(hostKey(target.host)), pathOf(target.host, target.url), rule);
    listEntryCount += 1;
  }

  const exceptionUrls: UrlIndex<CompiledException> = new Map();
  const categoryExceptions: CompiledException[] = [];
  for (const exception of policy.exceptions) {
    const fromMs = timeOf(exception.from);
    const untilMs = timeOf(exception.until);
    if (Number.isNaN(fromMs) || Number.isNaN(untilMs) || exception.schoolId !== policy.schoolId) {
      skipped += 1;
      continue;
    }
    if (exception.target.kind === 'category') {
      const bit = categoryBit(exception.target.category);
      if (bit < 0) skipped += 1;
      else categoryExceptions.push({ exception, fromMs, untilMs, categoryMask: (1 << bit) >>> 0, pattern: null });
      continue;
    }
    const target = normaliseTarget(exception.target.pattern);
    if (target === null) {
      skipped += 1;
      continue;
    }
    const compiled: CompiledException = { exception, fromMs, untilMs, categoryMask: 0, pattern: target.url ?? target.host };
    if (target.url === null) local(mark(hostKey(target.host))).exceptions.push(compiled);
    else addUrlRule(exceptionUrls, mark(hostKey(target.host)), pathOf(target.host, target.url), compiled);
  }

  const sanctions = new Map<string, CompiledSanction[]>();
  for (const sanction of policy.sanctions) {
    const fromMs = timeOf(sanction.from);
    const untilMs = timeOf(sanction.until);
    if (Number.isNaN(fromMs) || Number.isNaN(untilMs)) {
      skipped += 1;
      continue;
    }
    const stillAllowed = new Set<number>();
    for (const host of sanction.stillAllowed) {
      const target = normaliseTarget(host);
      if (target === null) skipped += 1;
      else stillAllowed.add(hostKey(target.host));
    }
    push(sanctions, sanction.personId, { sanction, fromMs, untilMs, stillAllowed });
  }

  // Only people the snapshot knows can be identified, so only they are worth a place in the set.
  const held = new Set((policy.heldPersonIds ?? []).filter((id) => people.has(id)));
  const openHosts = new Set<number>();
  for (const name of options.openHosts ?? []) {
    const target = normaliseTarget(name);
    if (target !== null) openHosts.add(hostKey(target.host));
  }

  let alertingMask = 0;
  for (const c of policy.alertingCategories) {
    const bit = categoryBit(c);
    if (bit >= 0) alertingMask |= 1 << bit;
  }

  return {
    schoolId: policy.schoolId,
    trustId: policy.trustId,
    policyVersion: policy.version,
    lists,
    people,
    profiles,
    fallback,
    addresses: book,
    signIns,
    localHosts,
    localFilter,
    urlRules,
    exceptionUrls,
    categoryExceptions,
    sanctions,
    held,
    openHosts,
    clock: createClock(policy.calendar),
    alertingMask: alertingMask >>> 0,
    info: {
      schoolId: policy.schoolId,
      trustId: policy.trustId,
      policyVersion: policy.version,
      personCount: people.size,
      deviceCount: policy.devices.length,
      subnetCount: ranges.length,
      profileCount: profiles.size,
      listEntryCount,
      exceptionCount: policy.exceptions.length,
      sanctionCount: policy.sanctions.length,
      heldCount: held.size,
      skipped,
    },
  };
}

/** Counts and identity of a snapshot, for the runtime's status page and logs. */
export const snapshotInfo = (snapshot: Snapshot): SnapshotInfo => snapshot.info;

/** Whether the person is one of this school's people (so the runtime routes their requests here). */
export const snapshotKnowsPerson = (snapshot: Snapshot, personId: string): boolean => snapshot.people.has(personId);

/** The person signed in from a canonical address at `at`, if any (the latest sign-in wins). */
export function signedInPerson(snapshot: Snapshot, canonical: string, atMs: number): CompiledPerson | null {
  const list = snapshot.signIns.get(canonical);
  if (!list) return null;
  let best: { personId: string; untilMs: number } | null = null;
  for (const s of list) if (atMs < s.untilMs && (best === null || s.untilMs > best.untilMs)) best = s;
  return best === null ? null : (snapshot.people.get(best.personId) ?? null);
}

/**
 * Whether a client address belongs to this school at `at`: one of its devices, an active
 * sign-in, or inside one of its subnets.
 */
export function snapshotClaimsAddress(snapshot: Snapshot, address: string, at: Date): boolean {
  const facts = addressFacts(snapshot.addresses, address);
  if (facts.canonical === null) return false;
  return facts.device !== null || facts.subnet !== null || signedInPerson(snapshot, facts.canonical, at.getTime()) !== null;
}

import { CATEGORY_IDS, type CategoryId, categoryBit, categoryLabel } from '../categories.js';
import type { Action, DecidingRule, FilterDecision, FilterRequest } from '../model.js';
import { addressFacts } from './addresses.js';
import { createProbe, type HostProbe, probeHasKey, probeHost, probePlainHost } from './host-hash.js';
import { siteBits } from './lists.js';
import { localMoment } from './local-time.js';
import { lockedHit } from './locked.js';
import { normaliseTarget } from './normalise.js';
import {
  type CompiledCell,
  type CompiledException,
  type CompiledPerson,
  type CompiledProfile,
  LIST_LEVELS,
  type ListRule,
  type Snapshot,
  probeFilterBit,
  signedInPerson,
} from './snapshot.js';
import { pathCovers, pathOf } from './url-index.js';

/*
 * The decision: which rule, strongest first, has something to say about this request. The
 * order is the precedence in docs/filtering/engine.md; each step returns as soon as it decides.
 * Everything here reads compiled data. The only writes are to module-level scratch (the probe
 * and who is asking, reset at the start of every call; `decide` is synchronous, so calls never
 * interleave) and to the snapshot's caches, so the answer depends only on the snapshot and the
 * request. Explanations are written at compile time so a decision allocates little more than
 * its result.
 */

const probe: HostProbe = createProbe();
const AGREEMENT_DETAIL =
  'has not accepted their current acceptable use agreement this school year; everything but Tutela itself is blocked until they accept it at /agreements/mine';
/** Each category's bit as a mask, by id (a hash lookup, not a search of the id list). */
const MASK_OF = new Map<string, number>(CATEGORY_IDS.map((id) => [id, (1 << categoryBit(id)) >>> 0]));
let person: CompiledPerson | null = null;
let deviceId: string | null = null;
let profile: CompiledProfile | null = null;

/** The lowest set bit's category: a site's "first" category. */
function firstCategory(bits: number): CategoryId | null {
  if (bits === 0) return null;
  return CATEGORY_IDS[31 - Math.clz32(bits & -bits)] ?? null;
}

function decision(
  snapshot: Snapshot,
  host: string,
  url: string | null,
  action: Action,
  rule: DecidingRule,
  category: CategoryId | null,
  detail: string,
): FilterDecision {
  const alert =
    action === 'block' && (rule === 'locked_list' || (category !== null && (snapshot.alertingMask & MASK_OF.get(category)!) !== 0));
  return {
    action,
    schoolId: snapshot.schoolId,
    category,
    rule,
    detail,
    policyVersion: snapshot.policyVersion,
    personId: person === null ? null : person.person.id,
    profileId: profile!.profile.id,
    deviceId,
    host,
    url,
    alert,
  };
}

/** person = given ?? signed in ?? device's; profile = person's ?? device's ?? subnet's ?? fallback. */
function identify(snapshot: Snapshot, request: FilterRequest): void {
  const facts = addressFacts(snapshot.addresses, request.clientAddress);
  const device = facts.device;
  if (facts.addressProfile === undefined) {
    facts.devicePerson = device?.personId ? (snapshot.people.get(device.personId) ?? null) : null;
    facts.addressProfile =
      (device?.profileId ? snapshot.profiles.get(device.profileId) : undefined) ??
      (facts.subnet !== null ? snapshot.profiles.get(facts.subnet.subnet.profileId) : undefined) ??
      snapshot.fallback;
  }
  person = null;
  if (request.personId) person = snapshot.people.get(request.personId) ?? null;
  if (person === null && facts.canonical !== null && snapshot.signIns.size > 0)
    person = signedInPerson(snapshot, facts.canonical, request.at.getTime());
  if (person === null) person = facts.devicePerson ?? null;
  deviceId = device === null ? null : device.id;
  profile = (person !== null ? snapshot.profiles.get(person.person.profileId) : undefined) ?? facts.addressProfile;
}

function exceptionApplies(e: CompiledException, atMs: number): boolean {
  if (atMs < e.fromMs || atMs >= e.untilMs) return false;
  const to = e.exception.appliesTo;
  if (to.kind === 'school') return true;
  if (person === null) return false;
  return to.kind === 'person' ? to.personId === person.person.id : person.groups.has(to.groupId);
}

function ruleApplies(rule: ListRule): boolean {
  if (rule.level === 0) return person !== null && rule.entry.scopeId === person.person.id;
  if (rule.level === 1) return person?.groups.has(rule.entry.scopeId) === true;
  return true;
}

/** Whether `candidate` beats `best`: a stronger level, then a more specific pattern, then block over allow. */
function beats(candidate: ListRule, best: ListRule | null): boolean {
  if (best === null || candidate.level < best.level) return true;
  if (candidate.level > best.level) return false;
  if (candidate.rank !== best.rank) return candidate.rank > best.rank;
  return candidate.entry.action === 'block' && best.entry.action === 'allow';
}

/** Exceptions and list rules that match the host or a parent domain, and URL prefixes. */
let foundException: CompiledException | null = null;
let foundRule: ListRule | null = null;

function findLocal(snapshot: Snapshot, atMs: number, url: string | null, bits: number): void {
  foundException = null;
  foundRule = null;
  const filter = snapshot.localFilter;
  const path = url === null ? null : pathOf(probe.host, url);
  for (let i = probe.count - 1; i >= 0; i -= 1) {
    const bit = probeFilterBit(probe.low[i]!);
    if ((filter[bit >>> 5]! & (1 << (bit & 31))) === 0) continue;
    const key = probe.keys[i]!;
    const entry = snapshot.localHosts.get(key);
    if (entry !== undefined) {
      if (foundException === null) for (const e of entry.exceptions) if (exceptionApplies(e, atMs)) foundException = e;
      for (const rule of entry.rules) if (ruleApplies(rule) && beats(rule, foundRule)) foundRule = rule;
    }
    if (path === null) continue;
    const exceptions = foundException === null ? snapshot.exceptionUrls.get(key) : undefined;
    if (exceptions !== undefined) {
      for (let r = 0; r < exceptions.paths.length; r += 1) {
        if (pathCovers(exceptions.paths[r]!, path) && exceptionApplies(exceptions.values[r]!, atMs)) foundException = exceptions.values[r]!;
      }
    }
    const rules = snapshot.urlRules.get(key);
    if (rules !== undefined) {
      for (let r = 0; r < rules.paths.length; r += 1) {
        const rule = rules.values[r]!;
        if (pathCovers(rules.paths[r]!, path) && ruleApplies(rule) && beats(rule, foundRule)) foundRule = rule;
      }
    }
  }
  if (foundException === null && bits !== 0) {
    for (const e of snapshot.categoryExceptions) if ((e.categoryMask & bits) !== 0 && exceptionApplies(e, atMs)) foundException = e;
  }
}

const severity = (action: Action): number => (action === 'block' ? 2 : action === 'warn' ? 1 : 0);
let outcomeDetail = '';

/** The action a matrix cell gives now; its explanation is left in `outcomeDetail`. */
function cellAction(cell: CompiledCell, snapshot: Snapshot, at: Date): Action {
  switch (cell.level) {
    case 'acceptable':
      outcomeDetail = cell.allowDetail;
      return cell.allowAction;
    case 'at_certain_times': {
      const now = localMoment(snapshot.clock, at).kindIndex;
      outcomeDetail = cell.timeDetails[now]!;
      return (cell.windowMask & (1 << now)) !== 0 ? cell.allowAction : 'block';
    }
    case 'nominated_users': {
      let nominated = false;
      if (person !== null) {
        nominated = cell.persons.has(person.person.id);
        if (!nominated) for (const g of cell.groups) if (person.groups.has(g)) nominated = true;
      }
      outcomeDetail = nominated ? cell.allowDetail : cell.blockDetail;
      return nominated ? cell.allowAction : 'block';
    }
    default:
      outcomeDetail = cell.blockDetail;
      return 'block';
  }
}

/**
 * Decides one request against a school's snapshot. Pure: the same snapshot and request give
 * the same decision. A target that is not a host or URL is blocked.
 * @example decide(snapshot, { clientAddress: '10.0.0.5', target: 'bet.example', at: new Date() }).action // 'block'
 */
export function decide(snapshot: Snapshot, request: FilterRequest): FilterDecision {
  identify(snapshot, request);
  let host = request.target;
  let url: string | null = null;
  if (!probePlainHost(probe, host)) {
    const target = normaliseTarget(request.target);
    if (target === null)
      return decision(snapshot, host.trim().toLowerCase(), null, 'block', 'profile_default', null, 'not a host name or web address');
    host = target.host;
    url = target.url;
    probeHost(probe, host);
  }
  const atMs = request.at.getTime();
  const bits = siteBits(snapshot.lists, probe, url);

  const locked = lockedHit(snapshot.lists.locked, probe, url);
  if (locked !== null) return decision(snapshot, host, url, 'block', 'locked_list', locked.category, `on the locked list ${locked.source}`);

  // One Set lookup, and only for an identified person in a school that holds anyone.
  if (
    person !== null &&
    snapshot.held.size > 0 &&
    snapshot.held.has(person.person.id) &&
    !snapshot.openHosts.has(probe.keys[probe.count - 1]!)
  )
    return decision(snapshot, host, url, 'block', 'agreement_required', firstCategory(bits), AGREEMENT_DETAIL);

  const sanctions = person === null ? undefined : snapshot.sanctions.get(person.person.id);
  if (sanctions !== undefined) {
    for (const s of sanctions) {
      if (atMs < s.fromMs || atMs >= s.untilMs) continue;
      let stillAllowed = false;
      for (const key of s.stillAllowed) if (probeHasKey(probe, key)) stillAllowed = true;
      if (!stillAllowed)
        return decision(snapshot, host, url, 'block', 'sanction', firstCategory(bits), `internet access removed until ${s.sanction.until}`);
    }
  }

  findLocal(snapshot, atMs, url, bits);
  const exception = foundException as CompiledException | null;
  if (exception !== null) {
    const category = exception.categoryMask !== 0 ? firstCategory(exception.categoryMask & bits) : firstCategory(bits);
    const what = exception.pattern ?? categoryLabel(category!);
    return decision(
      snapshot,
      host,
      url,
      'allow',
      'exception',
      category,
      `temporary exception for ${what} until ${exception.exception.until}`,
    );
  }

  const rule = foundRule as ListRule | null;
  if (rule !== null) {
    const level = LIST_LEVELS[rule.level]!;
    const block = rule.entry.action === 'block';
    return decision(
      snapshot,
      host,
      url,
      rule.entry.action,
      `${level}_list`,
      block ? rule.entry.category : firstCategory(bits),
      `${level} ${rule.entry.action} list entry ${rule.pattern}`,
    );
  }

  const p = profile!;
  const covered = bits & p.covered;
  if (covered !== 0) {
    let worst: Action = 'allow';
    let worstDetail = '';
    let worstCategory: CategoryId | null = null;
    for (let rest = covered; rest !== 0; rest &= rest - 1) {
      const cell = p.cells[31 - Math.clz32(rest & -rest)]!;
      const action = cellAction(cell, snapshot, request.at);
      if (worstCategory === null || severity(action) > severity(worst)) {
        worst = action;
        worstDetail = outcomeDetail;
        worstCategory = cell.category;
      }
    }
    return decision(snapshot, host, url, worst, 'matrix', worstCategory, worstDetail);
  }

  const detail = bits === 0 ? p.uncategorisedDetail : p.uncoveredDetail;
  return decision(snapshot, host, url, p.profile.defaultAction, 'profile_default', firstCategory(bits), detail);
}

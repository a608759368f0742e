import type { CategoryId } from './categories.js';

/*
 * The filtering policy as plain data: what the policy service reads from the store and what
 * the engine compiles into a snapshot. Nothing here touches the database or the network, so
 * the engine can be tested and benchmarked on hand-made policies.
 */

/** The five columns of the User Actions table (seed 002). */
export type Level = 'acceptable' | 'at_certain_times' | 'nominated_users' | 'unacceptable' | 'illegal';
export const LEVELS: readonly Level[] = ['acceptable', 'at_certain_times', 'nominated_users', 'unacceptable', 'illegal'];

/** Parts of the school week. `holiday` covers the school's holiday dates, all day. */
export type WindowKind = 'before_school' | 'lessons' | 'break' | 'lunch' | 'after_school' | 'evening' | 'weekend' | 'holiday';
export const WINDOW_KINDS: readonly WindowKind[] = [
  'before_school',
  'lessons',
  'break',
  'lunch',
  'after_school',
  'evening',
  'weekend',
  'holiday',
];

/** The default profile keys; a school may add more (any other key). */
export type ProfileKey = 'primary' | 'ks3' | 'ks4' | 'sixth_form' | 'staff' | 'guest' | (string & {});

export type Action = 'allow' | 'block' | 'warn';

/** One cell of a profile's matrix. */
export interface MatrixCell {
  level: Level;
  /** For `at_certain_times`: the windows in which the category is allowed. */
  windows?: WindowKind[];
  /** For `nominated_users`: the people and groups who are allowed. */
  nominatedPersonIds?: string[];
  nominatedGroupIds?: string[];
  /** Allow, but show a warning page the person must click through first. */
  warn?: boolean;
}

export interface Profile {
  id: string;
  schoolId: string;
  key: ProfileKey;
  name: string;
  /** What happens to a site in no category at all. */
  defaultAction: 'allow' | 'block';
  /** Categories absent from the matrix fall to `defaultAction`. */
  matrix: Partial<Record<CategoryId, MatrixCell>>;
  /** Bumped on every change; part of the policy version reported with a decision. */
  version: number;
}

/** A span of local time on given weekdays (1 = Monday … 7 = Sunday), minutes since midnight. */
export interface TimeWindow {
  kind: WindowKind;
  days: number[];
  startMinute: number;
  endMinute: number;
}

export interface SchoolCalendar {
  schoolId: string;
  /** IANA zone the windows are written in; Europe/London by default. */
  timeZone: string;
  windows: TimeWindow[];
  /** Whole local days (YYYY-MM-DD, inclusive) when the `holiday` window applies. */
  holidays: { from: string; to: string; name: string }[];
}

/** A host (`example.com`, covering its subdomains) or a URL prefix (`example.com/path`). */
export interface ListEntry {
  id: string;
  scope: 'trust' | 'school' | 'group' | 'person';
  /** The trust, school, group or person id the entry belongs to. */
  scopeId: string;
  pattern: string;
  action: 'allow' | 'block';
  /** For a block entry, the category to report; null reports it as a local block. */
  category: CategoryId | null;
}

/**
 * A temporary exception, usually from an approved unblock request: allows a site or a
 * category for a group (a class), a person or the school, between two times.
 */
export interface FilterException {
  id: string;
  schoolId: string;
  target: { kind: 'pattern'; pattern: string } | { kind: 'category'; category: CategoryId };
  appliesTo: { kind: 'school' } | { kind: 'group'; groupId: string } | { kind: 'person'; personId: string };
  from: string;
  until: string;
}

/** A sanction the filter enforces, such as "removal of internet access rights". */
export interface FilterSanction {
  id: string;
  personId: string;
  kind: 'no_internet';
  from: string;
  until: string;
  /** Hosts still reachable during the sanction (the school's learning platform, say). */
  stillAllowed: string[];
}

/** Who a person is, to the filter. */
export interface FilterPerson {
  id: string;
  schoolId: string;
  username: string | null;
  displayName: string;
  /** The profile that applies, already resolved from assignment or from kind and year. */
  profileId: string;
  groupIds: string[];
  /** Roles that matter to the block page (staff may request an unblock). */
  isStaff: boolean;
}

/** A device known to the school, by address (IPv4/IPv6) or MAC. */
export interface Device {
  id: string;
  schoolId: string;
  name: string;
  address: string | null;
  /** When set, everything from this device is that person's unless someone signs in. */
  personId: string | null;
  /** When set (and no person), the profile that applies to this device. */
  profileId: string | null;
}

/** A network range mapped to a profile, e.g. the guest Wi-Fi to `guest`. */
export interface Subnet {
  id: string;
  schoolId: string;
  cidr: string;
  profileId: string;
}

/** Someone signed in at the block page or the proxy from an address, until a time. */
export interface AddressSignIn {
  address: string;
  personId: string;
  until: string;
}

/** A locked list's entries: plain hosts/URLs, or SHA-256 hex digests of normalised ones. */
export interface LockedList {
  category: 'illegal_csam' | 'illegal_terrorism';
  source: string;
  plain: string[];
  sha256: string[];
}

/** Category lists in force (from UT1 import or another source), per category. */
export interface CategoryList {
  category: CategoryId;
  domains: string[];
  /** URL prefixes without scheme: `host/path`. */
  urls: string[];
}

/**
 * A school's policy, compiled by the engine over the installation-wide category and locked
 * lists (compiled separately, because they are large and change rarely). A trust's list
 * entries are included in each of its schools' policies.
 */
export interface FilterPolicy {
  schoolId: string;
  trustId: string;
  /** Monotonic number bumped on every change to anything in this policy. */
  version: number;
  profiles: Profile[];
  /** The profile for an unidentified client on no known subnet. */
  fallbackProfileId: string;
  calendar: SchoolCalendar;
  people: FilterPerson[];
  devices: Device[];
  subnets: Subnet[];
  signIns: AddressSignIn[];
  lists: ListEntry[];
  exceptions: FilterException[];
  sanctions: FilterSanction[];
  /** Categories whose blocks notify the DSL. */
  alertingCategories: CategoryId[];
  /**
   * People who have not accepted their current acceptable-use agreement: blocked everywhere
   * but Tutela's own web address until they do. Left out, nobody is held.
   */
  heldPersonIds?: string[];
  /** When the held list goes stale by itself (the agreements' yearly renewal); the runtime recompiles then. */
  heldUntil?: string;
}

/** The question the engine answers. */
export interface FilterRequest {
  /** The client's address as seen by the DNS server or proxy. */
  clientAddress: string;
  /** A person already identified (proxy authentication); else found from the address. */
  personId?: string | null;
  /** A host name or a URL (with or without scheme). */
  target: string;
  at: Date;
}

/**
 * The rule that decided, from strongest to weakest. docs/FILTERING.md documents the order and
 * the engine tests cover each step.
 */
export type DecidingRule =
  | 'locked_list'
  | 'agreement_required'
  | 'sanction'
  | 'exception'
  | 'person_list'
  | 'group_list'
  | 'school_list'
  | 'trust_list'
  | 'matrix'
  | 'profile_default';

export interface FilterDecision {
  action: Action;
  schoolId: string;
  /** The category that decided, or the site's first category; null when it is in none. */
  category: CategoryId | null;
  rule: DecidingRule;
  /** Human-readable detail: which list entry, which matrix cell and window. */
  detail: string;
  policyVersion: number;
  personId: string | null;
  profileId: string;
  deviceId: string | null;
  /** The normalised host and, for a URL, the normalised `host/path`. */
  host: string;
  url: string | null;
  /** True when the block should notify the DSL. */
  alert: boolean;
}

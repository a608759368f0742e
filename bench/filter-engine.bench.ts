// The filter's decision engine: compile time and heap per listed domain for the UT1 lists and
// for 5 million generated domains, host-only decisions per second on one thread, and the time
// to compile a 3,000-person school's policy (what a policy change costs).
// Run: npm run bench -- filter-engine   (BENCH_GENERATED=0 skips the 5-million run)
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CATEGORY_IDS, type CategoryId, LOCKED_CATEGORIES } from '../src/filter/categories.js';
import { type CompiledLists, compileLists, compilePolicy, decide } from '../src/filter/engine/index.js';
import { testPolicy } from '../src/filter/engine/test-policy.js';
import { ut1Category } from '../src/filter/lists/ut1-map.js';
import type { CategoryList, Device, FilterPolicy, FilterRequest, ListEntry, Subnet } from '../src/filter/model.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const UT1 = path.resolve(repoRoot, '..', 'shared', 'data', 'ut1');
const GENERATED = Number(process.env.BENCH_GENERATED ?? 5_000_000);

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;
const heap = () => {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

/**
 * Milliseconds of CPU this process has used: the figures are per core, and stay meaningful on a
 * machine that is busy with other work (wall-clock time would count the waiting too).
 */
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const lines = (file: string): string[] => {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
  } catch {
    return [];
  }
};

/**
 * Every category folder once (a folder that is a link, or a one-line file naming another folder
 * as some copies ship links, is a duplicate). Folders Tutela ignores get a stand-in category so
 * the bench measures every entry.
 */
function readUt1(dir: string): CategoryList[] {
  const seen = new Set<string>();
  const spare = CATEGORY_IDS.filter((c) => !LOCKED_CATEGORIES.includes(c));
  const out: CategoryList[] = [];
  readdirSync(dir)
    .sort()
    .forEach((name, i) => {
      const full = path.join(dir, name);
      if (!statSync(full).isDirectory()) return;
      const real = realpathSync(full);
      if (seen.has(real)) return;
      seen.add(real);
      const category: CategoryId = ut1Category(name) ?? spare[i % spare.length]!;
      out.push({ category, domains: lines(path.join(real, 'domains')), urls: lines(path.join(real, 'urls')) });
    });
  return out;
}

/**
 * `n` made-up domains spread over the categories. They are joined and split, as a list file is
 * read, so they are flat strings: strings built by concatenation would be flattened during the
 * compile and make its heap delta meaningless.
 */
function generatedLists(n: number): CategoryList[] {
  const spare = CATEGORY_IDS.filter((c) => !LOCKED_CATEGORIES.includes(c));
  const tlds = ['com', 'net', 'org', 'co.uk', 'fr', 'de', 'io', 'info'];
  return spare.map((category, c) => {
    const domains: string[] = [];
    for (let i = c; i < n; i += spare.length) domains.push(`site${i.toString(36)}-${(i * 2654435761) % 99991}.${tlds[i % tlds.length]}`);
    return { category, domains: domains.join('\n').split('\n'), urls: [] };
  });
}

/** A school of 3,000 people with devices, subnets, local lists, exceptions and sanctions. */
function bigPolicy(version: number): FilterPolicy {
  const base = testPolicy();
  const people = [...base.people];
  for (let i = 0; i < 3000; i += 1) {
    people.push({
      id: `p${i}`,
      schoolId: base.schoolId,
      username: `user${i}`,
      displayName: `Person ${i}`,
      profileId: i % 10 === 0 ? 'profile-staff' : 'profile-ks3',
      groupIds: [`year-${7 + (i % 7)}`, `class-${i % 120}`],
      isStaff: i % 10 === 0,
    });
  }
  const devices: Device[] = [];
  for (let i = 0; i < 1500; i += 1) {
    devices.push({
      id: `d${i}`,
      schoolId: base.schoolId,
      name: `Laptop ${i}`,
      address: `10.1.${i >> 8}.${i & 255}`,
      personId: `p${i}`,
      profileId: null,
    });
  }
  const subnets: Subnet[] = [
    { id: 's1', schoolId: base.schoolId, cidr: '10.0.0.0/8', profileId: 'profile-ks3' },
    { id: 's2', schoolId: base.schoolId, cidr: '10.9.0.0/16', profileId: 'profile-guest' },
    { id: 's3', schoolId: base.schoolId, cidr: 'fd00::/8', profileId: 'profile-ks3' },
  ];
  const lists: ListEntry[] = [];
  for (let i = 0; i < 300; i += 1) {
    lists.push({
      id: `l${i}`,
      scope: (['school', 'group', 'person', 'trust'] as const)[i % 4]!,
      scopeId: [base.schoolId, `class-${i % 120}`, `p${i}`, base.trustId][i % 4]!,
      pattern: i % 3 === 0 ? `local${i}.example/path/${i}` : `local${i}.example`,
      action: i % 2 === 0 ? 'block' : 'allow',
      category: null,
    });
  }
  const exceptions = Array.from({ length: 40 }, (_, i) => ({
    id: `e${i}`,
    schoolId: base.schoolId,
    target: { kind: 'pattern' as const, pattern: `exception${i}.example` },
    appliesTo: { kind: 'group' as const, groupId: `class-${i}` },
    from: '2026-11-01T00:00:00Z',
    until: '2026-12-01T00:00:00Z',
  }));
  const sanctions = Array.from({ length: 10 }, (_, i) => ({
    id: `x${i}`,
    personId: `p${i * 7}`,
    kind: 'no_internet' as const,
    from: '2026-11-01T00:00:00Z',
    until: '2026-12-01T00:00:00Z',
    stillAllowed: ['vle.example'],
  }));
  return { ...base, version, people, devices, subnets, lists, exceptions, sanctions };
}

/**
 * The hosts clients ask for: a third listed domains, a third subdomains of listed domains, a
 * third unlisted, shuffled. Strings are decoded from bytes as a DNS server's are (flat, not
 * built by concatenation).
 */
function hostPopulation(lists: CategoryList[], size: number, next: () => number): string[] {
  const listed = lists.flatMap((l) => l.domains);
  const hosts: string[] = [];
  for (let i = 0; i < size; i += 1) {
    const pick = listed[next() % listed.length]!;
    const kind = i % 3;
    const host = kind === 0 ? pick : kind === 1 ? `www.${pick}` : `cdn${next() % 100000}.unlisted-${next() % 5000}.example.org`;
    hosts.push(Buffer.from(host).toString());
  }
  for (let i = hosts.length - 1; i > 0; i -= 1) {
    const j = next() % (i + 1);
    [hosts[i], hosts[j]] = [hosts[j]!, hosts[i]!];
  }
  return hosts;
}

/**
 * Requests over the population: `popular` draws hosts by Zipf popularity (rank r has weight
 * 1/r), as real DNS traffic repeats popular sites; `uniform` makes every request a random host,
 * the worst case for the processor's caches.
 */
function requestMix(hosts: string[], count: number, popular: boolean, next: () => number): FilterRequest[] {
  const at = new Date('2026-11-24T12:40:00Z');
  const cumulative: number[] = [];
  let total = 0;
  for (let r = 1; r <= hosts.length; r += 1) {
    total += 1 / r;
    cumulative.push(total);
  }
  const out: FilterRequest[] = [];
  for (let i = 0; i < count; i += 1) {
    let index = next() % hosts.length;
    if (popular) {
      const u = (next() / 4294967296) * total;
      let lo = 0;
      let hi = cumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid]! < u) lo = mid + 1;
        else hi = mid;
      }
      index = lo;
    }
    out.push({ clientAddress: `10.1.${(i % 1500) >> 8}.${i % 256}`, target: hosts[index]!, at });
  }
  return out;
}

function decisionsPerSecond(lists: CompiledLists, categories: CategoryList[]): { popular: number; uniform: number; blocked: number } {
  const snapshot = compilePolicy(bigPolicy(1), lists);
  let seed = 12345;
  const next = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed;
  };
  const hosts = hostPopulation(categories, 90_000, next);
  const rate = (requests: FilterRequest[]) => {
    for (const r of requests) decide(snapshot, r);
    let done = 0;
    const start = cpuMs();
    while (cpuMs() - start < 2500) {
      for (const r of requests) decide(snapshot, r);
      done += requests.length;
    }
    return done / ((cpuMs() - start) / 1000);
  };
  const popular = requestMix(hosts, 200_000, true, next);
  let blocked = 0;
  for (const r of popular) if (decide(snapshot, r).action === 'block') blocked += 1;
  return { popular: rate(popular), uniform: rate(requestMix(hosts, 200_000, false, next)), blocked: blocked / popular.length };
}

function policyChangeMs(lists: CompiledLists): number {
  const times: number[] = [];
  for (let v = 0; v < 7; v += 1) {
    const policy = bigPolicy(v);
    const start = cpuMs();
    compilePolicy(policy, lists);
    times.push(cpuMs() - start);
  }
  return times.sort((a, b) => a - b)[3]!;
}

interface Row {
  name: string;
  entries: number;
  compileMs: number;
  bytesPerDomain: number;
  popularPerSecond: number;
  uniformPerSecond: number;
  blockedShare: number;
  policyMs: number;
}

function measure(name: string, categories: CategoryList[]): Row {
  const entries = categories.reduce((n, l) => n + l.domains.length + l.urls.length, 0);
  const before = heap();
  const start = cpuMs();
  const lists = compileLists(categories, []);
  const compileMs = cpuMs() - start;
  const bytesPerDomain = (heap() - before) / lists.stats.domains;
  const policyMs = policyChangeMs(lists);
  const { popular, uniform, blocked } = decisionsPerSecond(lists, categories);
  return {
    name,
    entries,
    compileMs,
    bytesPerDomain,
    popularPerSecond: popular,
    uniformPerSecond: uniform,
    blockedShare: blocked,
    policyMs,
  };
}

const rows: Row[] = [];
rows.push(measure('UT1 (every folder)', readUt1(UT1)));
if (GENERATED > 0) rows.push(measure(`${(GENERATED / 1e6).toFixed(0)}M generated`, generatedLists(GENERATED)));

const fmt = (n: number, digits = 0) => n.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const table = [
  ['lists', 'entries', 'compile', 'heap/domain', 'decisions/s', 'decisions/s', 'policy change'],
  ['', '', '', '', '(popular)', '(all differ)', ''],
  ...rows.map((r) => [
    r.name,
    fmt(r.entries),
    `${fmt(r.compileMs)} ms`,
    `${fmt(r.bytesPerDomain, 1)} B`,
    fmt(r.popularPerSecond),
    fmt(r.uniformPerSecond),
    `${fmt(r.policyMs, 1)} ms`,
  ]),
  ['target', '', '< 5,000 ms', '≤ 40 B', '≥ 2,000,000', '', '< 1,000 ms'],
];
console.log('filter engine, one thread (times are CPU time, so a busy machine does not inflate them)');
for (const line of table)
  console.log(
    `  ${line[0]!.padEnd(20)}${line
      .slice(1)
      .map((cell, i) => cell.padStart(i === 0 ? 10 : 14))
      .join('')}`,
  );
console.log(`  share of the popular mix blocked: ${rows.map((r) => `${r.name} ${fmt(r.blockedShare * 100)}%`).join(', ')}`);
console.log('  heap/domain counts the whole compiled structure (domain index, its filter and the URL index) over distinct domains');

// The DNS filter against unbound and dnsmasq, in one run: the same block list (the UT1
// gambling and pornography domains), the same local upstream, the same dnsperf query file.
// Answers are checked to agree on a sample before anything is measured.
// Run: npm run bench -- dns   (BENCH_DNS_SECONDS=20 per server, split into BENCH_DNS_ROUNDS=4;
// BENCH_DNS_SAMPLE=20000 latency queries; BENCH_DNS_GATE=set for the Set gate)
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UT1_CATEGORY_MAP } from '../src/filter/lists/ut1-map.js';
import { type LatencySample, resolveA, sampleLatency } from './dns/client.js';
import { type DnsperfResult, runDnsperf } from './dns/dnsperf.js';
import { type Child, findProgram, freePort, pinned, startChild, writeDnsmasqConf, writeUnboundConf } from './dns/processes.js';

const SECONDS = Number(process.env.BENCH_DNS_SECONDS ?? 20);
const ROUNDS = Number(process.env.BENCH_DNS_ROUNDS ?? 4);
const SAMPLE = Number(process.env.BENCH_DNS_SAMPLE ?? 20_000);
const BLOCK_ADDRESS = '10.10.10.10';
const UPSTREAM_ADDRESS = '198.51.100.7';
const BLOCKED_QUERIES = 3000;
const ALLOWED_QUERIES = 7000;
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ut1 = path.resolve(repoRoot, '..', 'shared', 'data', 'ut1');
// Servers on one core, load generators on the other, so neither steals from the other.
const SERVER_CPU = cpus().length >= 2 ? 0 : null;
const LOAD_CPU = cpus().length >= 2 ? 1 : null;

if (!findProgram('dnsperf')) {
  console.log('dnsperf is not installed; skipping. Install the peers with: apt-get install dnsperf unbound dnsmasq');
  process.exit(0);
}

/** A UT1 folder's `domains`, following UT1's folder links (a file naming another folder). */
function ut1Domains(folder: string): string[] {
  const dir = path.join(ut1, folder);
  const target = statSync(dir).isFile() ? path.join(ut1, readFileSync(dir, 'utf8').trim()) : dir;
  try {
    return readFileSync(path.join(target, 'domains'), 'utf8').split('\n');
  } catch {
    return [];
  }
}

const folders = Object.entries(UT1_CATEGORY_MAP)
  .filter(([, c]) => c === 'gambling' || c === 'pornography')
  .map(([f]) => f);
// Only plain host names every peer accepts in its configuration.
const blockList = [
  ...new Set(
    folders
      .flatMap(ut1Domains)
      .map((d) => d.trim().toLowerCase())
      .filter((d) => /^[a-z0-9_-]+(\.[a-z0-9_-]+)+$/.test(d)),
  ),
];
const blockSet = new Set(blockList);
const isBlocked = (name: string) => {
  for (let host = name; ; ) {
    if (blockSet.has(host)) return true;
    const dot = host.indexOf('.');
    if (dot < 0) return false;
    host = host.slice(dot + 1);
  }
};

/** Deterministic shuffle, so every run asks the same questions in the same order. */
let seed = 42;
const random = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const pick = <T>(items: T[], n: number): T[] => Array.from({ length: n }, () => items[Math.floor(random() * items.length)]!);

const allowedPool = ['jobsearch', 'shopping', 'press']
  .flatMap(ut1Domains)
  .map((d) => d.trim().toLowerCase())
  .filter(
    (d) =>
      /^[a-z0-9_-]+(\.[a-z0-9_-]+)+$/.test(d) &&
      !isBlocked(d) &&
      !d.includes('google') &&
      !d.includes('bing') &&
      !d.includes('youtube') &&
      !d.includes('duckduckgo'),
  );
const blockedNames = pick(blockList, BLOCKED_QUERIES).map((d, i) => (i % 2 ? `www.${d}` : d));
const allowedNames = [...new Set(pick(allowedPool, ALLOWED_QUERIES * 2))].slice(0, ALLOWED_QUERIES);
const names = [...blockedNames, ...allowedNames].sort(() => random() - 0.5);

const dir = mkdtempSync(path.join(tmpdir(), 'tutela-dns-bench-'));
const listFile = path.join(dir, 'blocklist.txt');
const queryFile = path.join(dir, 'queries.txt');
writeFileSync(listFile, `${blockList.join('\n')}\n`);
writeFileSync(queryFile, `${names.map((n) => `${n} A`).join('\n')}\n`);

console.log(`block list: ${blockList.length} domains (UT1 ${folders.join(', ')})`);
console.log(`query file: ${names.length} names, ${blockedNames.length} blocked / ${allowedNames.length} allowed`);

const tsx = [process.execPath, '--import', 'tsx'];
const children: Child[] = [];
const servers: { name: string; port: number }[] = [];
const answers = (port: number) => async () => (await resolveA(port, 'ready.bench.test', 500)) !== null;

try {
  const upstream = await startChild(
    'upstream',
    pinned(LOAD_CPU, [...tsx, path.join(repoRoot, 'bench/dns/upstream.ts'), UPSTREAM_ADDRESS]),
    { line: /ready (\d+)/ },
  );
  children.push(upstream.child);
  const upstreamPort = Number(upstream.match![1]);

  const started = performance.now();
  const tutela = await startChild(
    'tutela',
    pinned(SERVER_CPU, [...tsx, path.join(repoRoot, 'bench/dns/tutela-server.ts'), `127.0.0.1:${upstreamPort}`, listFile, BLOCK_ADDRESS]),
    { line: /ready (\d+) (\w+)/ },
  );
  children.push(tutela.child);
  servers.push({ name: 'tutela', port: Number(tutela.match![1]) });
  console.log(`tutela ready in ${((performance.now() - started) / 1000).toFixed(1)} s (gate: ${tutela.match![2]})`);

  if (findProgram('unbound')) {
    const port = await freePort();
    const conf = writeUnboundConf(dir, port, upstreamPort, blockList, BLOCK_ADDRESS);
    const t = performance.now();
    const u = await startChild('unbound', pinned(SERVER_CPU, ['unbound', '-d', '-c', conf]), { check: answers(port) });
    children.push(u.child);
    servers.push({ name: 'unbound', port });
    console.log(`unbound ready in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  } else console.log('unbound is not installed; skipping it. Install with: apt-get install unbound');

  if (findProgram('dnsmasq')) {
    const port = await freePort();
    const conf = writeDnsmasqConf(dir, port, upstreamPort, blockList, BLOCK_ADDRESS);
    const t = performance.now();
    const d = await startChild('dnsmasq', pinned(SERVER_CPU, ['dnsmasq', '-k', '-C', conf]), { check: answers(port) });
    children.push(d.child);
    servers.push({ name: 'dnsmasq', port });
    console.log(`dnsmasq ready in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  } else console.log('dnsmasq is not installed; skipping it. Install with: apt-get install dnsmasq');

  // Same answers first: a blocked name gets the block address, an allowed one the upstream's.
  const sample = [...pick(blockedNames, 50), ...pick(allowedNames, 50)];
  for (const s of servers) {
    let agree = 0;
    const wrong: string[] = [];
    for (const name of sample) {
      const got = await resolveA(s.port, name);
      const want = isBlocked(name) ? BLOCK_ADDRESS : UPSTREAM_ADDRESS;
      if (got?.length === 1 && got[0] === want) agree++;
      else wrong.push(`${name}: ${JSON.stringify(got)} (want ${want})`);
    }
    console.log(
      `answers checked on ${s.name}: ${agree}/${sample.length} as expected${wrong.length ? `\n  ${wrong.slice(0, 5).join('\n  ')}` : ''}`,
    );
  }

  // The machine is shared, so its load drifts: the servers take turns in short rounds and
  // each one's median round counts, rather than one long run each at a different moment.
  for (const s of servers) runDnsperf(s.port, queryFile, 30, LOAD_CPU, ['-n', '1']); // one pass warms each cache
  const rounds = new Map<string, DnsperfResult[]>(servers.map((s) => [s.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const s of servers) rounds.get(s.name)!.push(runDnsperf(s.port, queryFile, SECONDS / ROUNDS, LOAD_CPU));
  }
  const results: { name: string; perf: DnsperfResult; all: number[]; latency: LatencySample }[] = [];
  for (const s of servers) {
    const runs = [...rounds.get(s.name)!].sort((a, b) => a.qps - b.qps);
    const perf = runs[Math.floor(runs.length / 2)]!;
    results.push({
      name: s.name,
      perf,
      all: rounds.get(s.name)!.map((r) => Math.round(r.qps)),
      latency: await sampleLatency(s.port, names, SAMPLE, 10),
    });
  }

  console.log(
    `\ndnsperf -c 10, unthrottled, ${ROUNDS} rounds of ${SECONDS / ROUNDS} s per server (median round shown); latency percentiles from ${SAMPLE} queries, 10 in flight (µs)`,
  );
  console.log('server     queries/s  completed  avg ms  max ms    p50    p90    p99  p99.9');
  for (const r of results) {
    console.log(
      `${r.name.padEnd(9)} ${r.perf.qps.toFixed(0).padStart(10)} ${`${r.perf.completedPercent}%`.padStart(10)} ${(r.perf.avgLatency * 1000).toFixed(3).padStart(7)} ${(r.perf.maxLatency * 1000).toFixed(1).padStart(7)} ${String(r.latency.p50).padStart(6)} ${String(r.latency.p90).padStart(6)} ${String(r.latency.p99).padStart(6)} ${String(r.latency.p999).padStart(6)}   rounds: ${r.all.join(' ')}`,
    );
  }
  const ours = results.find((r) => r.name === 'tutela')!;
  for (const peer of results.filter((r) => r.name !== 'tutela')) {
    console.log(
      `Tutela / ${peer.name}: queries/s ${(ours.perf.qps / peer.perf.qps).toFixed(2)}×, avg latency ${(ours.perf.avgLatency / peer.perf.avgLatency).toFixed(2)}×, p50 ${(ours.latency.p50 / peer.latency.p50).toFixed(2)}×, p99 ${(ours.latency.p99 / peer.latency.p99).toFixed(2)}×`,
    );
  }
} finally {
  for (const c of children.reverse()) await c.stop();
  rmSync(dir, { recursive: true, force: true });
}

// The filtering HTTP proxy against squid and e2guardian: the same block list, the same local
// origin, the same wrk load (absolute-form requests, a fixed mix of allowed and blocked
// sites), one run. Each proxy is first checked to block and allow the same sample.
// Run: npm run bench -- proxy   (BENCH_DURATION seconds per round, default 10; BENCH_ROUNDS, default 3;
// BENCH_CONNECTIONS, default 32)
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { e2guardianLaunch, type PeerLaunch, squidLaunch } from './proxy/peers.js';

const root = path.resolve(import.meta.dirname, '..');
const UT1 = path.resolve(root, '..', 'shared', 'data', 'ut1');
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ALLOWED_PERCENT = 70;

const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;

if (!has('wrk')) {
  console.log('wrk is not installed: apt-get install wrk   (skipping the proxy benchmark)');
  process.exit(0);
}

// The UT1 gambling list, names only (squid's dstdomain and e2guardian's site list take names).
const domains = [
  ...new Set(
    readFileSync(path.join(UT1, 'gambling', 'domains'), 'utf8')
      .split('\n')
      .map((d) => d.trim().toLowerCase())
      .filter((d) => /^[a-z0-9.-]+$/.test(d) && /[a-z]/.test(d)),
  ),
];
// Requested blocked hosts: spread through the list, half of them as a subdomain, so every
// proxy has to match on label boundaries.
const blockedSample = Array.from({ length: 100 }, (_, i) => {
  const d = domains[Math.floor((i * domains.length) / 100)]!;
  return i % 2 ? `www.${d}` : d;
});

// Lower case only: e2guardian lower-cases the paths its lists include.
const dir = path.join(os.tmpdir(), `tutela-proxy-bench-${randomBytes(6).toString('hex')}`);
mkdirSync(dir);
// Peers started as root drop privileges; they must still read their configuration and write logs.
chmodSync(dir, 0o777);
const blocklistFile = path.join(dir, 'blocked-domains.txt');
writeFileSync(blocklistFile, `${domains.join('\n')}\n`);
const sampleFile = path.join(dir, 'blocked-sample.txt');
writeFileSync(sampleFile, `${blockedSample.join('\n')}\n`);

const children: ChildProcess[] = [];
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Starts a Node helper from bench/proxy and waits for the JSON line it prints when ready. */
async function startNode(
  script: string,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; ready: Record<string, unknown> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'bench', 'proxy', script)], {
    env: { ...process.env, NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) return { child, ready: JSON.parse(line) };
  throw new Error(`${script} exited before it was ready`);
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function fetchVia(proxyPort: number, url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: proxyPort, path: url, agent: false, timeout: 5000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

async function waitUntilServing(port: number, originUrl: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetchVia(port, originUrl)).body === ORIGIN_BODY) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`nothing serving on ${port}`);
}

const ORIGIN_BODY = 'origin ok\n';

/** Same sample through every proxy: the allowed ones reach the origin, the blocked ones never do. */
async function checkSample(port: number, origin: string): Promise<string | null> {
  for (let i = 0; i < 10; i++) {
    const r = await fetchVia(port, `http://${origin}/page/${i}`);
    if (r.body !== ORIGIN_BODY) return `allowed http://${origin}/page/${i} answered ${r.status}`;
  }
  for (const host of blockedSample) {
    const r = await fetchVia(port, `http://${host}/`);
    // e2guardian answers a block with 200 and its "Access Denied" page; the others with 403.
    const refused = r.body !== ORIGIN_BODY && (r.status === 403 || (r.status === 200 && /denied|blocked/i.test(r.body)));
    if (!refused) return `blocked ${host} answered ${r.status}`;
  }
  return null;
}

/** CPU time (user + system) a process has used so far, in ms; null where /proc is not available. */
function cpuMsOf(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    // Fields after the command name (which may contain spaces): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return null;
  }
}
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

interface Result {
  name: string;
  rps: number;
  /** CPU time the proxy process used per request, in µs: a fairer measure than rps on a busy machine. */
  cpuUsPerRequest: number;
  p50: number;
  p99: number;
  statusLine: string;
}

const toMs = (value: string, unit: string) => Number(value) * ({ us: 0.001, ms: 1, s: 1000 } as Record<string, number>)[unit]!;

function runWrk(name: string, port: number, pid: number | undefined, origin: string, seconds: number): Result {
  const cpuBefore = cpuMsOf(pid);
  const r = spawnSync(
    'wrk',
    [
      '-t1',
      `-c${CONNECTIONS}`,
      `-d${seconds}s`,
      '--latency',
      '-s',
      path.join(root, 'bench', 'proxy', 'mix.lua'),
      `http://127.0.0.1:${port}/`,
    ],
    {
      env: { ...process.env, BENCH_ORIGIN: origin, BENCH_BLOCKED: sampleFile, BENCH_ALLOWED_PERCENT: String(ALLOWED_PERCENT) },
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`wrk failed for ${name}: ${r.stderr}`);
  const out = r.stdout;
  const cpuAfter = cpuMsOf(pid);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const requests = Number(/(\d+) requests in/.exec(out)?.[1]);
  const cpuUsPerRequest = cpuBefore === null || cpuAfter === null ? Number.NaN : ((cpuAfter - cpuBefore) * 1000) / requests;
  const pct = (p: string) => {
    const m = new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s)`).exec(out);
    return m ? toMs(m[1]!, m[2]!) : Number.NaN;
  };
  const errors = /Socket errors:.*|Non-2xx or 3xx responses:.*/g;
  const statusLine = [/STATUS .*/.exec(out)?.[0] ?? '', ...(out.match(errors) ?? [])].join('; ');
  return { name, rps, cpuUsPerRequest, p50: pct('50'), p99: pct('99'), statusLine };
}

interface Contender {
  name: string;
  port: number;
  pid: number | undefined;
  stop(): Promise<void>;
}

/** Stops a proxy: politely first; e2guardian in the foreground ignores SIGTERM, so then firmly. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

/** Starts a peer proxy and checks it serves and blocks the sample; null (with the reason printed) when it cannot. */
async function startPeer(name: string, launch: (ports: number[]) => PeerLaunch, origin: string): Promise<Contender | null> {
  const ports = [await freePort(), await freePort()];
  const { command, args } = launch(ports);
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const contender = { name, port: ports[0]!, pid: child.pid, stop: () => stop(child) };
  try {
    await waitUntilServing(contender.port, `http://${origin}/warm`);
  } catch (err) {
    console.log(`  ${name}: did not start (${(err as Error).message}): ${stderr.slice(-400)}`);
    await contender.stop();
    return null;
  }
  return contender;
}

const { ready: originReady } = await startNode('origin.ts');
const origin = `127.0.0.1:${originReady.port}`;

const tutela = await startNode('tutela.ts', { BENCH_BLOCKLIST: blocklistFile });
console.log(
  `proxy benchmark: ${domains.length} blocked domains (UT1 gambling), ${ALLOWED_PERCENT}% allowed / ${100 - ALLOWED_PERCENT}% blocked,`,
);
console.log(`  wrk 1 thread, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${DURATION}s per proxy, interleaved; median reported`);
console.log(`  Tutela's gate: ${tutela.ready.gate}`);
const contenders: Contender[] = [
  { name: 'tutela', port: Number(tutela.ready.port), pid: tutela.child.pid, stop: () => stop(tutela.child) },
];
await waitUntilServing(contenders[0]!.port, `http://${origin}/warm`);

if (has('squid')) {
  const c = await startPeer('squid', ([port]) => squidLaunch(dir, port!, domains), origin);
  if (c) contenders.push(c);
} else console.log('  squid is not installed: apt-get install squid   (skipped)');
if (has('e2guardian')) {
  const c = await startPeer('e2guardian', ([port, spare]) => e2guardianLaunch(dir, port!, spare!, domains), origin);
  if (c) contenders.push(c);
} else console.log('  e2guardian is not installed: apt-get install e2guardian   (skipped)');

const measured: Contender[] = [];
for (const c of contenders) {
  const problem = await checkSample(c.port, origin);
  if (problem) console.log(`  ${c.name}: sample check failed (${problem}); not measured`);
  else measured.push(c);
}
console.log(
  `  sample check: ${measured.map((c) => c.name).join(', ')} allow the same 10 URLs and block the same ${blockedSample.length} hosts`,
);

for (const c of measured) runWrk(c.name, c.port, c.pid, origin, 2); // warm-up: JIT, connection pools
const runs = new Map<string, Result[]>(measured.map((c) => [c.name, []]));
// Interleaved rounds, so a burst of load from elsewhere on the machine touches every proxy alike.
for (let round = 0; round < ROUNDS; round++) {
  for (const c of measured) runs.get(c.name)!.push(runWrk(c.name, c.port, c.pid, origin, DURATION));
}
for (const c of contenders) await c.stop();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const results: Result[] = [...runs].map(([name, rs]) => ({
  name,
  rps: median(rs.map((r) => r.rps)),
  cpuUsPerRequest: median(rs.map((r) => r.cpuUsPerRequest)),
  p50: median(rs.map((r) => r.p50)),
  p99: median(rs.map((r) => r.p99)),
  statusLine: rs.at(-1)!.statusLine,
}));

console.log(
  `\n  ${'proxy'.padEnd(11)} ${'req/s'.padStart(9)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'CPU µs/req'.padStart(11)}   last round's responses`,
);
for (const r of results) {
  const cpu = r.cpuUsPerRequest.toFixed(1).padStart(11);
  console.log(
    `  ${r.name.padEnd(11)} ${r.rps.toFixed(0).padStart(9)} ${r.p50.toFixed(2).padStart(8)} ${r.p99.toFixed(2).padStart(8)} ${cpu}   ${r.statusLine}`,
  );
}
for (const [name, rs] of runs) console.log(`  ${name} req/s per round: ${rs.map((r) => r.rps.toFixed(0)).join(', ')}`);
const mine = results.find((r) => r.name === 'tutela');
for (const peer of results.filter((r) => r.name !== 'tutela')) {
  if (!mine) break;
  console.log(
    `  Tutela/${peer.name}: requests/s ${(mine.rps / peer.rps).toFixed(2)}×, p50 latency ${(mine.p50 / peer.p50).toFixed(2)}×, p99 latency ${(mine.p99 / peer.p99).toFixed(2)}×, CPU per request ${(mine.cpuUsPerRequest / peer.cpuUsPerRequest).toFixed(2)}×`,
  );
}
process.exit(mine ? 0 : 1);

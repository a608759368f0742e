// Tutela's DNS filter for the benchmark, in its own process so the load generator does not
// share its event loop. Arguments: upstream (addr:port), block-list file (one domain a line),
// block address. Prints `ready <port> <gate>` once serving.
import { readFileSync } from 'node:fs';
import { startDnsServer } from '../../src/dns/index.js';
import type { DecisionEvent, FilterGate } from '../../src/filter/gate.js';
import type { FilterDecision, FilterPolicy, FilterRequest } from '../../src/filter/model.js';

const [upstream, listFile, blockAddress] = process.argv.slice(2) as [string, string, string];
const domains = readFileSync(listFile, 'utf8').split('\n').filter(Boolean);

/** Events are kept in a bounded batch and dropped, standing in for the runtime's queue. */
function batchingRecorder(): (event: DecisionEvent) => void {
  let batch: DecisionEvent[] = [];
  return (event) => {
    batch.push(event);
    if (batch.length >= 1000) batch = [];
  };
}

/** The real engine, compiled from the same list as the peers, with one profile blocking it. */
async function engineGate(): Promise<FilterGate> {
  const engine = await import('../../src/filter/engine/index.js');
  const lists = engine.compileLists([{ category: 'gambling', domains, urls: [] }], []);
  const policy: FilterPolicy = {
    schoolId: 'bench-school',
    trustId: 'bench-trust',
    version: 1,
    profiles: [
      {
        id: 'bench-profile',
        schoolId: 'bench-school',
        key: 'ks3',
        name: 'KS3',
        defaultAction: 'allow',
        version: 1,
        matrix: { gambling: { level: 'unacceptable' }, pornography: { level: 'unacceptable' } },
      },
    ],
    fallbackProfileId: 'bench-profile',
    calendar: { schoolId: 'bench-school', timeZone: 'Europe/London', windows: [], holidays: [] },
    people: [],
    devices: [],
    subnets: [],
    signIns: [],
    lists: [],
    exceptions: [],
    sanctions: [],
    alertingCategories: [],
  };
  const snapshot = engine.compilePolicy(policy, lists);
  return { decide: (request: FilterRequest) => engine.decide(snapshot, request), record: batchingRecorder() };
}

/** Without the engine: a Set of the listed domains, looked up on label boundaries. */
function setGate(): FilterGate {
  const listed = new Set(domains);
  const decision = (host: string, blocked: boolean): FilterDecision => ({
    action: blocked ? 'block' : 'allow',
    schoolId: 'bench-school',
    category: blocked ? 'gambling' : null,
    rule: blocked ? 'matrix' : 'profile_default',
    detail: '',
    policyVersion: 1,
    personId: null,
    profileId: 'bench-profile',
    deviceId: null,
    host,
    url: null,
    alert: false,
  });
  return {
    decide: ({ target }) => {
      for (let host = target; ; ) {
        if (listed.has(host)) return decision(target, true);
        const dot = host.indexOf('.');
        if (dot < 0) return decision(target, false);
        host = host.slice(dot + 1);
      }
    },
    record: batchingRecorder(),
  };
}

let gate: FilterGate;
let gateName = 'engine';
if (process.env.BENCH_DNS_GATE === 'set') {
  gate = setGate();
  gateName = 'set';
} else {
  try {
    gate = await engineGate();
  } catch (err) {
    process.stderr.write(`engine unavailable (${(err as Error).message}); using a Set of the listed domains\n`);
    gate = setGate();
    gateName = 'set';
  }
}

const server = await startDnsServer({
  host: '127.0.0.1',
  port: 0,
  upstreams: [upstream],
  cacheEntries: 100_000,
  gate,
  blockAddress4: blockAddress,
  blockAddress6: '::1',
  log: {
    warn: (o, m) => process.stderr.write(`${m} ${JSON.stringify(o)}\n`),
    error: (o, m) => process.stderr.write(`${m} ${String(o)}\n`),
  },
});
process.stdout.write(`ready ${server.port} ${gateName}\n`);
process.on('SIGTERM', () => {
  process.stderr.write(`${JSON.stringify(server.stats())}\n`);
  void server.close().then(() => process.exit(0));
});

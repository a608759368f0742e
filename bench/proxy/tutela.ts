// Tutela's proxy for the benchmark, in its own process. The block list comes from the file
// named by BENCH_BLOCKLIST (one domain a line); prints {"port": n, "gate": "..."} when ready.
import { readFileSync } from 'node:fs';
import { startProxyServer } from '../../src/proxy/index.js';
import { createGate } from './gate.js';

const domains = readFileSync(process.env.BENCH_BLOCKLIST!, 'utf8').split('\n').filter(Boolean);
const { gate, kind } = createGate(domains);
const proxy = await startProxyServer({
  host: '127.0.0.1',
  port: 0,
  gate,
  authenticate: async () => null,
  requireAuth: false,
  blockPageUrl: (d, url) => `http://127.0.0.1/blocked?category=${d.category}&url=${encodeURIComponent(url)}`,
  pacProxyHost: '127.0.0.1',
});
process.stdout.write(`${JSON.stringify({ port: proxy.port, gate: kind })}\n`);
// Exit cleanly on SIGTERM so that profiling flags (--cpu-prof) can write their output.
process.on('SIGTERM', () => {
  proxy.close().then(() => process.exit(0));
});

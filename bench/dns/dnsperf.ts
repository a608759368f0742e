// Running dnsperf and reading its summary.
import { spawnSync } from 'node:child_process';
import { pinned } from './processes.js';

export interface DnsperfResult {
  qps: number;
  completedPercent: number;
  lost: number;
  /** Seconds. */
  avgLatency: number;
  minLatency: number;
  maxLatency: number;
  stddev: number;
}

export function runDnsperf(port: number, queryFile: string, seconds: number, cpu: number | null, extra: string[] = []): DnsperfResult {
  const args = pinned(cpu, [
    'dnsperf',
    '-s',
    '127.0.0.1',
    '-p',
    String(port),
    '-d',
    queryFile,
    '-l',
    String(seconds),
    '-c',
    '10',
    ...extra,
  ]);
  const r = spawnSync(args[0]!, args.slice(1), { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const out = `${r.stdout}\n${r.stderr}`;
  const num = (re: RegExp) => {
    const m = out.match(re);
    if (!m) throw new Error(`dnsperf output not understood:\n${out.slice(-2000)}`);
    return Number(m[1]);
  };
  const latency = out.match(/Average Latency \(s\):\s+([\d.]+) \(min ([\d.]+), max ([\d.]+)\)/);
  return {
    qps: num(/Queries per second:\s+([\d.]+)/),
    completedPercent: num(/Queries completed:\s+\d+ \(([\d.]+)%\)/),
    lost: num(/Queries lost:\s+(\d+)/),
    avgLatency: Number(latency?.[1] ?? Number.NaN),
    minLatency: Number(latency?.[2] ?? Number.NaN),
    maxLatency: Number(latency?.[3] ?? Number.NaN),
    stddev: num(/Latency StdDev \(s\):\s+([\d.]+)/),
  };
}

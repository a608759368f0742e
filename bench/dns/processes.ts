// Starting and stopping the benchmark's servers as child processes.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

/** Whether a program is on PATH (or in /usr/sbin, where Debian puts unbound and dnsmasq). */
export function findProgram(name: string): string | null {
  const r = spawnSync('sh', ['-c', `command -v ${name} || ls /usr/sbin/${name} 2>/dev/null`], { encoding: 'utf8' });
  const found = r.stdout.trim().split('\n')[0];
  return found ? found : null;
}

/** A port free on 127.0.0.1 for both UDP and TCP just now, for a peer that needs a fixed one. */
export async function freePort(): Promise<number> {
  for (;;) {
    const udp = createSocket('udp4');
    await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', () => resolve()));
    const port = udp.address().port;
    const tcp = createServer();
    const ok = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => resolve(false));
      tcp.listen(port, '127.0.0.1', () => resolve(true));
    });
    await new Promise<void>((resolve) => udp.close(() => resolve()));
    if (ok) {
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
      return port;
    }
  }
}

/** Prefixes a command with `taskset -c <cpu>` when taskset exists and the machine has that CPU. */
export function pinned(cpu: number | null, command: string[]): string[] {
  return cpu !== null && findProgram('taskset') ? ['taskset', '-c', String(cpu), ...command] : command;
}

export interface Child {
  name: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Spawns `command`; resolves with the first stdout line matching `ready`, or when `readyCheck` passes. */
export async function startChild(
  name: string,
  command: string[],
  ready: { line: RegExp } | { check: () => Promise<boolean> },
): Promise<{ child: Child; match: RegExpMatchArray | null }> {
  const proc = spawn(command[0]!, command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const child: Child = {
    name,
    process: proc,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
        setTimeout(() => proc.kill('SIGKILL'), 5000).unref();
      }),
  };
  const failed = new Promise<never>((_, reject) => {
    proc.once('exit', (code) => reject(new Error(`${name} exited (${code}): ${stderr.trim().slice(-500)}`)));
  });
  if ('line' in ready) {
    const match = await Promise.race([
      failed,
      new Promise<RegExpMatchArray>((resolve) => {
        let out = '';
        proc.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          const m = out.match(ready.line);
          if (m) resolve(m);
        });
      }),
    ]);
    return { child, match };
  }
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (await Promise.race([failed, ready.check()])) return { child, match: null };
    if (Date.now() > deadline) {
      await child.stop();
      throw new Error(`${name} did not start: ${stderr.slice(-500)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** unbound: the list as redirect zones to the block address, everything else forwarded. */
export function writeUnboundConf(dir: string, port: number, upstreamPort: number, domains: string[], blockAddress: string): string {
  const file = path.join(dir, 'unbound.conf');
  const lines = [
    'server:',
    '  interface: 127.0.0.1',
    `  port: ${port}`,
    '  num-threads: 1',
    '  do-daemonize: no',
    '  chroot: ""',
    '  username: ""',
    `  directory: "${dir}"`,
    `  pidfile: "${path.join(dir, 'unbound.pid')}"`,
    '  use-syslog: no',
    '  verbosity: 0',
    '  do-ip6: no',
    '  access-control: 127.0.0.0/8 allow',
    // The upstream is on 127.0.0.1, which unbound refuses to query unless told otherwise.
    '  do-not-query-localhost: no',
    // No DNSSEC validation: the upstream's zone is unsigned and Tutela does not validate either.
    '  module-config: "iterator"',
    '  msg-cache-size: 64m',
    '  rrset-cache-size: 128m',
  ];
  for (const d of domains) lines.push(`  local-zone: "${d}." redirect`, `  local-data: "${d}. 60 IN A ${blockAddress}"`);
  lines.push('forward-zone:', '  name: "."', `  forward-addr: 127.0.0.1@${upstreamPort}`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** dnsmasq: `address=/domain/block` per listed domain, everything else to the upstream. */
export function writeDnsmasqConf(dir: string, port: number, upstreamPort: number, domains: string[], blockAddress: string): string {
  const file = path.join(dir, 'dnsmasq.conf');
  const lines = [
    `port=${port}`,
    'listen-address=127.0.0.1',
    'bind-interfaces',
    'no-resolv',
    'no-hosts',
    'no-negcache',
    `server=127.0.0.1#${upstreamPort}`,
    // dnsmasq's largest cache; the query file's allowed names fit in it.
    'cache-size=10000',
    'dns-forward-max=1000',
    `pid-file=${path.join(dir, 'dnsmasq.pid')}`,
  ];
  for (const d of domains) lines.push(`address=/${d}/${blockAddress}`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

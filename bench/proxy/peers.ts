// Configurations for the peer proxies the benchmark compares Tutela's proxy with: squid and
// e2guardian, each run in the foreground from its own temporary configuration, with the same
// block list, no cache and no content scanning (Tutela's proxy scans no content either).
import { cpSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface PeerLaunch {
  command: string;
  args: string[];
}

const runAsRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** squid: `acl dstdomain` from a file of `.domain` lines (a leading dot covers subdomains), then deny. */
export function squidLaunch(dir: string, port: number, domains: string[]): PeerLaunch {
  const list = path.join(dir, 'squid-blocked.txt');
  writeFileSync(list, `${domains.map((d) => `.${d}`).join('\n')}\n`);
  const conf = path.join(dir, 'squid.conf');
  writeFileSync(
    conf,
    [
      `http_port 127.0.0.1:${port}`,
      `pid_filename ${path.join(dir, 'squid.pid')}`,
      `cache_log ${path.join(dir, 'squid-cache.log')}`,
      'access_log none',
      'cache_store_log none',
      'cache deny all',
      'cache_mem 0 MB',
      `coredump_dir ${dir}`,
      'netdb_filename none',
      'pinger_enable off',
      'shutdown_lifetime 0 seconds',
      // squid started as root drops to this user; the temporary directory is readable to it.
      ...(runAsRoot ? ['cache_effective_user proxy'] : []),
      `acl blocked dstdomain "${list}"`,
      'http_access deny blocked',
      'http_access allow all',
      '',
    ].join('\n'),
  );
  return { command: 'squid', args: ['-N', '-f', conf] };
}

/**
 * e2guardian: a copy of the installed configuration with every path pointed into `dir`, its
 * banned site list replaced by ours (entries cover subdomains), listening on `port`, in the
 * foreground.
 */
export function e2guardianLaunch(
  dir: string,
  port: number,
  httpsPort: number,
  domains: string[],
  installed = '/etc/e2guardian',
): PeerLaunch {
  const conf = path.join(dir, 'e2guardian');
  cpSync(installed, conf, { recursive: true });
  for (const file of walk(conf)) {
    const text = readFileSync(file, 'utf8');
    if (text.includes(installed)) writeFileSync(file, text.split(installed).join(conf));
  }
  writeFileSync(path.join(conf, 'lists', 'bannedsitelist'), `${domains.join('\n')}\n`);
  const main = path.join(conf, 'e2guardian.conf');
  const overridden = [
    'filterports',
    'transparenthttpsport',
    'filterip',
    'nodaemon',
    'nologger',
    'logsyslog',
    'pidfilename',
    'loglocation',
    'disablecontentscan',
  ];
  const kept = readFileSync(main, 'utf8')
    .split('\n')
    .filter((line) => !overridden.some((key) => new RegExp(`^\\s*${key}\\s*=`).test(line)));
  kept.push(
    `filterports = ${port}`,
    // Its transparent HTTPS listener is not used here, but it always opens one: keep it off the default port.
    `transparenthttpsport = ${httpsPort}`,
    'filterip = 127.0.0.1',
    'nodaemon = on',
    'nologger = on',
    'logsyslog = off',
    `pidfilename = '${path.join(dir, 'e2guardian.pid')}'`,
    `loglocation = '${path.join(dir, 'e2guardian-access.log')}'`,
    'disablecontentscan = on',
  );
  writeFileSync(main, `${kept.join('\n')}\n`);
  return { command: 'e2guardian', args: ['-N', '-c', main] };
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

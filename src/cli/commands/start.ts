import type { AddressInfo } from 'node:net';
import type { Command } from 'commander';
import { InProcessActivityBus } from '../../activity/bus.js';
import { ActivityWriter } from '../../activity/writer.js';
import { type Config, loadConfig, UT1_PUBLISHER_URL } from '../../config/config.js';
import { createDemoSchool } from '../../demo/demo-school.js';
import { setUpDemoFiltering } from '../../demo/filtering.js';
import { startDnsServer } from '../../dns/server.js';
import { startListSchedule } from '../../filter/lists/index.js';
import type { FilterDecision } from '../../filter/model.js';
import { BlockAlerter, checkFilterCredentials, FilterRuntime, signBlockToken } from '../../filter/runtime/index.js';
import { Attributor } from '../../monitor/ingest/attribute.js';
import { bridgeFilterEvents } from '../../monitor/ingest/filter-bridge.js';
import { startSyslogServer } from '../../monitor/ingest/syslog-server.js';
import { startTailer } from '../../monitor/ingest/tail.js';
import { startMonitorSchedule } from '../../monitor/reports/schedule.js';
import { type MonitorRuntime, startMonitor } from '../../monitor/runtime.js';
import { smtpMailer } from '../../notify/mailer.js';
import { startPolicyReminders } from '../../policy/reminders.js';
import { startProxyServer } from '../../proxy/index.js';
import { buildApp } from '../../server/app.js';
import type { AppContext } from '../../server/context.js';
import { startRetentionSchedule } from '../../safeguarding/records/schedule.js';
import { openContext } from '../../server/runtime.js';
import { isInstalled, issueSetupToken } from '../../setup/service.js';
import { printDemoAccounts } from './data.js';

const ROLES = ['all', 'web', 'filter'] as const;
type StartRole = (typeof ROLES)[number];

interface Log {
  info(o: object, m?: string): void;
  warn(o: object, m?: string): void;
  error(o: object, m?: string): void;
}

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** One JSON line per entry, like the web server's log, for the parts that run without it. */
function jsonLog(config: Config, name: string): Log {
  const min = LEVELS.indexOf(config.logLevel);
  const write = (level: string) => (o: object, m?: string) => {
    if (LEVELS.indexOf(level) < min) return;
    const fields = Object.fromEntries(
      Object.entries(o).map(([k, v]) => [k, v instanceof Error ? { message: v.message, stack: v.stack } : v]),
    );
    process.stdout.write(`${JSON.stringify({ level, time: Date.now(), name, ...fields, msg: m })}\n`);
  };
  return { info: write('info'), warn: write('warn'), error: write('error') };
}

/** How clients reach this server by name or address, for links and the PAC file. */
function advertisedHost(config: Config): string {
  if (config.web.publicUrl) return new URL(config.web.publicUrl).hostname;
  return config.filter.blockPageAddress;
}

function webBase(config: Config): string {
  if (config.web.publicUrl) return config.web.publicUrl.replace(/\/+$/, '');
  const host = config.filter.blockPageAddress;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.web.port}`;
}

const shown = (host: string) => (host === '0.0.0.0' || host === '::' ? 'localhost' : host);

async function firstRun(ctx: AppContext, demo: boolean, role: StartRole): Promise<void> {
  if (await isInstalled(ctx.db)) return;
  if (!demo) {
    const token = await issueSetupToken(ctx.db);
    console.log(`\nTutela is not set up yet. Open the web address below and enter this setup token: ${token}\n`);
    if (role === 'filter') console.log('Until a school is set up, the filter blocks everything.\n');
    return;
  }
  console.log('Creating the demo school (Riverside Academy)…');
  const school = await createDemoSchool(ctx, { password: ctx.config.demoPassword });
  printDemoAccounts(school, Boolean(ctx.config.demoPassword));
  console.log(`Setting up the demo filter and importing lists from ${ctx.config.filter.ut1Source}…`);
  const filtering = await setUpDemoFiltering(ctx, school.schoolId, school.trustId);
  const { lists } = filtering;
  if (lists.status === 'applied' || lists.status === 'unchanged') {
    console.log(`Category lists: ${lists.totals.after.toLocaleString('en-GB')} entries in ${lists.categories.length} categories.`);
  } else {
    console.log(`Category lists were not imported (${lists.error}); try \`tutela lists import\` or the web app later.`);
  }
  for (const d of filtering.devices) console.log(`  device ${d.address.padEnd(11)} = ${d.username} (${d.name})`);
  console.log(`  any other 127.x.x.x address = the ${filtering.subnet.profileKey} profile\n`);
}

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('Run Tutela: migrate the database, then serve the web application, the DNS filter and the web proxy')
    .option('--demo', 'on an empty database, create the demo school first (Riverside Academy) with its filter')
    .option('--role <role>', 'which part to run: all (default), web (the web app only) or filter (DNS filter and proxy only)', 'all')
    .option('--ut1-default <source>', 'UT1 list source to use when neither TUTELA_UT1_SOURCE nor the config file names one')
    .addHelpText(
      'after',
      '\nOn an empty database without --demo, Tutela prints a one-time setup token; open the web\n' +
        'address, enter it, and create the school and its first administrator.\n' +
        'Several nodes may share one PostgreSQL database: run --role web and --role filter where you need them.',
    )
    .action(async (options: { demo?: boolean; role: string; ut1Default?: string }) => {
      if (!ROLES.includes(options.role as StartRole)) throw new Error(`--role must be all, web or filter, got ${options.role}`);
      const role = options.role as StartRole;
      let config = loadConfig(process.env);
      if (options.ut1Default && config.filter.ut1Source === UT1_PUBLISHER_URL) {
        config = loadConfig({ ...process.env, TUTELA_UT1_SOURCE: options.ut1Default });
      }
      const ctx = await openContext(config);
      await firstRun(ctx, Boolean(options.demo), role);
      await run(ctx, role);
    });
}

/**
 * Where monitoring takes activity in besides the capture API: the filter running in this
 * process, the syslog listener and tailed proxy logs. Returns the lines for the start-up banner.
 */
async function startMonitoringFronts(
  ctx: AppContext,
  monitor: MonitorRuntime,
  bus: InProcessActivityBus | undefined,
  log: Log,
  stops: (() => Promise<void> | void)[],
): Promise<string[]> {
  const { config } = ctx;
  const lines: string[] = [];
  const attributor = new Attributor(ctx.db);
  if (bus) stops.push(bridgeFilterEvents(bus, monitor.analyser, { log }));
  const { host, port } = config.monitor.syslog;
  if (port > 0) {
    const syslog = await startSyslogServer({ host, port, db: ctx.db, intake: monitor.intake, attributor, log });
    stops.push(() => syslog.close());
    lines.push(`  monitoring  syslog ${host}:${syslog.udpPort} (UDP and TCP)`);
  }
  for (const tail of config.monitor.tail) {
    const tailer = await startTailer({ path: tail.path, format: tail.format, db: ctx.db, intake: monitor.intake, attributor, log });
    stops.push(() => tailer.close());
    lines.push(`  monitoring  ${tail.format} log ${tail.path}`);
  }
  lines.unshift(
    `  monitoring  the capture API${bus ? ' and this node’s filter' : ''}${lines.length === 0 ? '; no syslog port, no tailed logs' : ''}`,
  );
  return lines;
}

async function run(ctx: AppContext, role: StartRole): Promise<void> {
  const { config } = ctx;
  const log = jsonLog(config, 'filter');
  const stops: (() => Promise<void> | void)[] = [];
  const lines: string[] = [];

  let runtime: FilterRuntime | undefined;
  let bus: InProcessActivityBus | undefined;
  if (role !== 'web') {
    bus = new InProcessActivityBus((error) => log.error({ err: error }, 'activity handler failed'));
    const writer = new ActivityWriter(ctx.db, bus, { log }).start();
    const mailer = smtpMailer(config.smtp);
    const alerter = new BlockAlerter(ctx, bus, mailer, log).start();
    runtime = new FilterRuntime(ctx, { bus, log });
    await runtime.start();
    // Stopped in reverse: the runtime first, then the alerts and the writer flush what is left.
    stops.push(async () => {
      await writer.close();
      mailer?.close();
    });
    stops.push(() => alerter.close());
    stops.push(() => runtime!.stop());
  }

  if (role !== 'filter') {
    const monitorLog = jsonLog(config, 'monitor');
    const monitorMailer = smtpMailer(config.smtp);
    const monitor = startMonitor(ctx, { mailer: monitorMailer, log: monitorLog, webBase: webBase(config) });
    // Stopped after the web app and every front below, so all they handed on is committed first.
    stops.push(async () => {
      await monitor.close();
      monitorMailer?.close();
    });
    const app = await buildApp(ctx, { filter: runtime, monitor });
    await app.listen({ host: config.web.host, port: config.web.port });
    stops.push(() => app.close());
    const { port } = app.server.address() as AddressInfo;
    lines.push(`  web app     http://${shown(config.web.host)}:${port} (database: ${ctx.store.dialect})`);
    lines.push(...(await startMonitoringFronts(ctx, monitor, bus, monitorLog, stops)));
    if (role === 'all') {
      const schedule = startListSchedule(ctx, log);
      stops.push(() => schedule.stop());
    }
    // Wherever the web app runs, so a split deployment (web + filter nodes) still archives.
    const retention = startRetentionSchedule(ctx, jsonLog(config, 'retention'));
    stops.push(() => retention.stop());
    // Daily summaries, weekly reports and the activity purge; each report is stored once per
    // period, so several web nodes running this never send one twice.
    const reports = startMonitorSchedule(ctx, monitorMailer, monitorLog);
    stops.push(() => reports.stop());
    // The e-safety policy's review reminders; each is claimed on the version row, so once per date.
    const policyReminders = startPolicyReminders(ctx, monitorMailer, jsonLog(config, 'policy'));
    stops.push(() => policyReminders.stop());
  }

  if (runtime) {
    const gate = runtime;
    const dns = await startDnsServer({
      host: config.dns.host,
      port: config.dns.port,
      upstreams: config.dns.upstreams,
      cacheEntries: config.dns.cacheEntries,
      gate,
      blockAddress4: config.filter.blockPageAddress,
      blockAddress6: config.filter.blockPageAddress6,
      log,
    });
    stops.push(() => dns.close());
    const base = webBase(config);
    const proxy = await startProxyServer({
      host: config.proxy.host,
      port: config.proxy.port,
      gate,
      authenticate: async (username, password) => {
        const check = await checkFilterCredentials(ctx, username, password, null);
        return check.ok ? { personId: check.personId } : null;
      },
      requireAuth: false,
      blockPageUrl: (decision: FilterDecision, target: string) =>
        `${base}/blocked?target=${encodeURIComponent(target)}&token=${encodeURIComponent(signBlockToken(ctx.secretKey, decision, ctx.clock()))}`,
      pacProxyHost: advertisedHost(config),
      log,
    });
    stops.push(() => proxy.close());
    if (role === 'filter') lines.push('  monitoring  runs with the web role: start a node with --role web to scan this filter’s activity');
    lines.push(
      `  DNS filter  ${shown(config.dns.host)}:${dns.port} (UDP and TCP); blocked names answer ${config.filter.blockPageAddress} and ${config.filter.blockPageAddress6}`,
      `  web proxy   ${shown(config.proxy.host)}:${proxy.port}; browsers can use http://${advertisedHost(config)}:${proxy.port}/proxy.pac`,
    );
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    for (const stop of stops.reverse()) {
      try {
        await stop();
      } catch (error) {
        log.error({ err: error }, 'error while shutting down');
      }
    }
    await ctx.store.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  console.log(`Tutela is running (${role}):\n${lines.join('\n')}`);
}

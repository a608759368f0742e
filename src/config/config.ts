import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Tutela's whole configuration, read once at start-up from an optional JSON file and from
 * environment variables (which win). A wrong setting stops the process with a message that
 * names the setting, instead of failing later. Every key is documented in docs/CONFIGURATION.md.
 *
 * @example
 *   const config = loadConfig(process.env);
 *   config.web.port; // 8080 unless TUTELA_WEB_PORT or the file says otherwise
 */
export interface Config {
  dataDir: string;
  /** Absent: SQLite at `<dataDir>/tutela.db`. */
  databaseUrl: string | undefined;
  web: { host: string; port: number; publicUrl: string | undefined; trustProxy: boolean };
  dns: {
    host: string;
    port: number;
    /** Resolvers the DNS filter forwards allowed queries to, `address` or `address:port`. */
    upstreams: string[];
    /** Most answers kept in the forwarding cache. */
    cacheEntries: number;
  };
  proxy: { host: string; port: number };
  filter: FilterConfig;
  smtp: { url: string | undefined; from: string };
  evidence: EvidenceConfig;
  retention: RetentionConfig;
  monitor: MonitorConfig;
  /** 32-byte key (hex or base64) for secrets at rest; absent: generated into the data dir. */
  secretKey: string | undefined;
  session: { idleLockMinutes: number; maxAgeHours: number };
  signIn: { maxFailures: number; lockoutMinutes: number; perAddressPerMinute: number };
  demoPassword: string | undefined;
  uploadLimitBytes: number;
  oidc: OidcProviderConfig[];
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export interface FilterConfig {
  /** Addresses blocked names resolve to: where the block page is served (port 80 → web). */
  blockPageAddress: string;
  blockPageAddress6: string;
  /** UT1 lists: a directory or an http(s) URL of a .tar.gz; absent: the publisher's URL. */
  ut1Source: string;
  /** Hours between scheduled list updates; 0 turns the schedule off. */
  listUpdateHours: number;
  /** An update that shrinks a category by more than this percentage is refused. */
  maxShrinkPercent: number;
  /** The locked illegal-content lists a licensed school or provider configures. */
  lockedLists: LockedListConfig[];
  /** Minutes a sign-in at the block page or proxy ties an address to a person. */
  addressSignInMinutes: number;
}

export interface EvidenceConfig {
  /** 32-byte AES-256-GCM key (hex or base64); absent: derived from the secret key. */
  key: string | undefined;
  /** Largest evidence file accepted. */
  maxBytes: number;
  /** Media types accepted as evidence. */
  mediaTypes: string[];
}

/** Where monitoring takes in activity beyond the filter's own, and how hard it may be pushed. */
export interface MonitorConfig {
  /** Syslog listener, UDP and TCP on the same port; port 0 turns it off. */
  syslog: { host: string; port: number };
  /** Proxy or filter log files to follow, each written in a known format. */
  tail: MonitorTailConfig[];
  /** Events waiting to be written before senders are held back (HTTP 503, paused TCP reads). */
  maxPendingEvents: number;
  /** Events per INSERT batch. */
  batchSize: number;
  /** Minutes between checks for due daily summaries, weekly reports and retention purges; 0 turns them off. */
  jobMinutes: number;
}

export interface MonitorTailConfig {
  format: 'squid' | 'e2guardian';
  path: string;
}

/** How long each kind of incident record is kept before the retention job archives it. */
export interface RetentionConfig {
  /** Safeguarding and child-protection incidents about a student: years after the student's birth. */
  studentYearsAfterBirth: number;
  /** Misuse incidents about a student (systems, filtering, accounts, copyright): years after closing. */
  misuseYearsAfterClose: number;
  /** Incidents about a member of staff: years after closing. */
  staffYearsAfterClose: number;
  /** Hours between runs of the retention job; 0 turns the schedule off. */
  jobHours: number;
}

export const DEFAULT_EVIDENCE_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'video/mp4',
  'application/pdf',
  'text/plain',
  'text/csv',
];

export interface LockedListConfig {
  category: 'illegal_csam' | 'illegal_terrorism';
  /** A file path or an http(s) URL. */
  source: string;
  /** `plain`: one host or URL per line; `sha256`: hex SHA-256 of each normalised entry. */
  format: 'plain' | 'sha256';
}

export const UT1_PUBLISHER_URL = 'https://dsi.ut-capitole.fr/blacklists/download/blacklists.tar.gz';

export interface OidcProviderConfig {
  /** Short name used in URLs: `google`, `microsoft`, or any other. */
  id: string;
  label: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

const FILE_KEYS = new Set([
  'dataDir',
  'databaseUrl',
  'web',
  'dns',
  'proxy',
  'filter',
  'smtp',
  'evidence',
  'retention',
  'monitor',
  'secretKey',
  'session',
  'signIn',
  'demoPassword',
  'uploadLimitBytes',
  'oidc',
  'logLevel',
]);

/** Reads the config file (TUTELA_CONFIG, else `<dataDir>/tutela.json` if present) and the environment. */
export function loadConfig(env: Env = process.env): Config {
  const dataDirFromEnv = env.TUTELA_DATA_DIR;
  const explicitFile = env.TUTELA_CONFIG;
  const defaultFile = path.join(dataDirFromEnv ?? './data', 'tutela.json');
  const file = explicitFile ?? (existsSync(defaultFile) ? defaultFile : undefined);
  const fromFile = file ? readConfigFile(file) : {};

  const get = (envKey: string, fileValue: unknown): unknown => env[envKey] ?? fileValue;
  const f = fromFile as Record<string, Record<string, unknown> | undefined>;

  const dataDir = path.resolve(str('TUTELA_DATA_DIR', get('TUTELA_DATA_DIR', fromFile.dataDir), './data'));
  const oidc = parseOidc(env, fromFile.oidc);

  return {
    dataDir,
    databaseUrl: optionalStr(get('DATABASE_URL', fromFile.databaseUrl)),
    web: {
      host: str('TUTELA_WEB_HOST', get('TUTELA_WEB_HOST', f.web?.host), '0.0.0.0'),
      port: port('TUTELA_WEB_PORT', get('TUTELA_WEB_PORT', f.web?.port), 8080),
      publicUrl: optionalStr(get('TUTELA_PUBLIC_URL', f.web?.publicUrl)),
      trustProxy: bool('TUTELA_TRUST_PROXY', get('TUTELA_TRUST_PROXY', f.web?.trustProxy), false),
    },
    dns: {
      host: str('TUTELA_DNS_HOST', get('TUTELA_DNS_HOST', f.dns?.host), '0.0.0.0'),
      port: port('TUTELA_DNS_PORT', get('TUTELA_DNS_PORT', f.dns?.port), 5353),
      upstreams: list('TUTELA_DNS_UPSTREAMS', get('TUTELA_DNS_UPSTREAMS', f.dns?.upstreams), ['1.1.1.1', '9.9.9.9']),
      cacheEntries: int('TUTELA_DNS_CACHE_ENTRIES', get('TUTELA_DNS_CACHE_ENTRIES', f.dns?.cacheEntries), 100_000, 0, 10_000_000),
    },
    proxy: {
      host: str('TUTELA_PROXY_HOST', get('TUTELA_PROXY_HOST', f.proxy?.host), '0.0.0.0'),
      port: port('TUTELA_PROXY_PORT', get('TUTELA_PROXY_PORT', f.proxy?.port), 3128),
    },
    filter: {
      blockPageAddress: str('TUTELA_BLOCK_PAGE_ADDRESS', get('TUTELA_BLOCK_PAGE_ADDRESS', f.filter?.blockPageAddress), '127.0.0.1'),
      blockPageAddress6: str('TUTELA_BLOCK_PAGE_ADDRESS6', get('TUTELA_BLOCK_PAGE_ADDRESS6', f.filter?.blockPageAddress6), '::1'),
      ut1Source: str('TUTELA_UT1_SOURCE', get('TUTELA_UT1_SOURCE', f.filter?.ut1Source), UT1_PUBLISHER_URL),
      listUpdateHours: int('TUTELA_LIST_UPDATE_HOURS', get('TUTELA_LIST_UPDATE_HOURS', f.filter?.listUpdateHours), 24, 0, 24 * 31),
      maxShrinkPercent: int(
        'TUTELA_LIST_MAX_SHRINK_PERCENT',
        get('TUTELA_LIST_MAX_SHRINK_PERCENT', f.filter?.maxShrinkPercent),
        50,
        0,
        100,
      ),
      lockedLists: parseLockedLists(get('TUTELA_LOCKED_LISTS', f.filter?.lockedLists)),
      addressSignInMinutes: int(
        'TUTELA_ADDRESS_SIGNIN_MINUTES',
        get('TUTELA_ADDRESS_SIGNIN_MINUTES', f.filter?.addressSignInMinutes),
        8 * 60,
        1,
        7 * 24 * 60,
      ),
    },
    smtp: {
      url: optionalStr(get('TUTELA_SMTP_URL', f.smtp?.url)),
      from: str('TUTELA_SMTP_FROM', get('TUTELA_SMTP_FROM', f.smtp?.from), 'Tutela <tutela@localhost>'),
    },
    evidence: {
      key: optionalStr(get('TUTELA_EVIDENCE_KEY', f.evidence?.key)),
      maxBytes: int(
        'TUTELA_EVIDENCE_MAX_BYTES',
        get('TUTELA_EVIDENCE_MAX_BYTES', f.evidence?.maxBytes),
        20 * 1024 * 1024,
        1024,
        1024 * 1024 * 1024,
      ),
      mediaTypes: list('TUTELA_EVIDENCE_TYPES', get('TUTELA_EVIDENCE_TYPES', f.evidence?.mediaTypes), DEFAULT_EVIDENCE_TYPES),
    },
    retention: {
      studentYearsAfterBirth: int(
        'TUTELA_RETENTION_STUDENT_YEARS_AFTER_BIRTH',
        get('TUTELA_RETENTION_STUDENT_YEARS_AFTER_BIRTH', f.retention?.studentYearsAfterBirth),
        25,
        1,
        120,
      ),
      misuseYearsAfterClose: int(
        'TUTELA_RETENTION_MISUSE_YEARS',
        get('TUTELA_RETENTION_MISUSE_YEARS', f.retention?.misuseYearsAfterClose),
        6,
        1,
        120,
      ),
      staffYearsAfterClose: int(
        'TUTELA_RETENTION_STAFF_YEARS',
        get('TUTELA_RETENTION_STAFF_YEARS', f.retention?.staffYearsAfterClose),
        10,
        1,
        120,
      ),
      jobHours: int('TUTELA_RETENTION_JOB_HOURS', get('TUTELA_RETENTION_JOB_HOURS', f.retention?.jobHours), 24, 0, 24 * 31),
    },
    monitor: {
      syslog: {
        host: str(
          'TUTELA_MONITOR_SYSLOG_HOST',
          get('TUTELA_MONITOR_SYSLOG_HOST', (f.monitor?.syslog as Record<string, unknown>)?.host),
          '0.0.0.0',
        ),
        port: port(
          'TUTELA_MONITOR_SYSLOG_PORT',
          get('TUTELA_MONITOR_SYSLOG_PORT', (f.monitor?.syslog as Record<string, unknown>)?.port),
          5514,
        ),
      },
      tail: parseTail(get('TUTELA_MONITOR_TAIL', f.monitor?.tail)),
      maxPendingEvents: int(
        'TUTELA_MONITOR_MAX_PENDING',
        get('TUTELA_MONITOR_MAX_PENDING', f.monitor?.maxPendingEvents),
        100_000,
        100,
        10_000_000,
      ),
      batchSize: int('TUTELA_MONITOR_BATCH_SIZE', get('TUTELA_MONITOR_BATCH_SIZE', f.monitor?.batchSize), 2000, 1, 50_000),
      jobMinutes: int('TUTELA_MONITOR_JOB_MINUTES', get('TUTELA_MONITOR_JOB_MINUTES', f.monitor?.jobMinutes), 15, 0, 24 * 60),
    },
    secretKey: optionalStr(get('TUTELA_SECRET_KEY', fromFile.secretKey)),
    session: {
      idleLockMinutes: int('TUTELA_IDLE_LOCK_MINUTES', get('TUTELA_IDLE_LOCK_MINUTES', f.session?.idleLockMinutes), 10, 1, 24 * 60),
      maxAgeHours: int('TUTELA_SESSION_MAX_HOURS', get('TUTELA_SESSION_MAX_HOURS', f.session?.maxAgeHours), 12, 1, 24 * 30),
    },
    signIn: {
      maxFailures: int('TUTELA_SIGNIN_MAX_FAILURES', get('TUTELA_SIGNIN_MAX_FAILURES', f.signIn?.maxFailures), 5, 1, 100),
      lockoutMinutes: int('TUTELA_SIGNIN_LOCKOUT_MINUTES', get('TUTELA_SIGNIN_LOCKOUT_MINUTES', f.signIn?.lockoutMinutes), 15, 1, 24 * 60),
      perAddressPerMinute: int(
        'TUTELA_SIGNIN_PER_ADDRESS_PER_MINUTE',
        get('TUTELA_SIGNIN_PER_ADDRESS_PER_MINUTE', f.signIn?.perAddressPerMinute),
        20,
        1,
        10_000,
      ),
    },
    demoPassword: optionalStr(get('TUTELA_DEMO_PASSWORD', fromFile.demoPassword)),
    uploadLimitBytes: int(
      'TUTELA_UPLOAD_LIMIT_BYTES',
      get('TUTELA_UPLOAD_LIMIT_BYTES', fromFile.uploadLimitBytes),
      10 * 1024 * 1024,
      1024,
      1024 * 1024 * 1024,
    ),
    oidc,
    logLevel: oneOf(
      'TUTELA_LOG_LEVEL',
      get('TUTELA_LOG_LEVEL', fromFile.logLevel),
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const,
      'info',
    ),
  };
}

/** `squid:/var/log/squid/access.log,e2guardian:/var/log/e2guardian/access.log`, or the same as a list of objects. */
function parseTail(value: unknown): MonitorTailConfig[] {
  if (value === undefined || value === null || value === '') return [];
  const items: unknown[] = Array.isArray(value) ? value : String(value).split(',');
  return items.map((item, i) => {
    let format: unknown;
    let file: unknown;
    if (typeof item === 'string') {
      const at = item.indexOf(':');
      format = at > 0 ? item.slice(0, at).trim() : undefined;
      file = at > 0 ? item.slice(at + 1).trim() : undefined;
    } else if (item && typeof item === 'object') {
      ({ format, path: file } = item as Record<string, unknown>);
    }
    if (format !== 'squid' && format !== 'e2guardian') {
      throw new ConfigError(`TUTELA_MONITOR_TAIL item ${i + 1} must start with squid: or e2guardian:, got "${String(item)}"`);
    }
    if (typeof file !== 'string' || !file) throw new ConfigError(`TUTELA_MONITOR_TAIL item ${i + 1} must name a file`);
    return { format, path: path.resolve(file) };
  });
}

function readConfigFile(file: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`cannot read config file ${file}: ${(error as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`config file ${file} must hold a JSON object`);
  }
  for (const key of Object.keys(parsed)) {
    if (!FILE_KEYS.has(key)) throw new ConfigError(`config file ${file}: unknown setting "${key}"`);
  }
  return parsed as Record<string, unknown>;
}

function parseOidc(env: Env, fileValue: unknown): OidcProviderConfig[] {
  const providers: OidcProviderConfig[] = [];
  if (Array.isArray(fileValue)) {
    for (const [i, p] of fileValue.entries()) {
      const o = p as Record<string, unknown>;
      for (const k of ['id', 'label', 'issuer', 'clientId', 'clientSecret']) {
        if (typeof o[k] !== 'string' || !o[k]) throw new ConfigError(`oidc[${i}].${k} must be a non-empty string`);
      }
      providers.push(o as unknown as OidcProviderConfig);
    }
  } else if (fileValue !== undefined) {
    throw new ConfigError('oidc must be a list of providers');
  }
  // Environment shortcuts for the two providers schools actually use.
  const known = [
    { id: 'google', label: 'Google Workspace', prefix: 'TUTELA_OIDC_GOOGLE', issuer: 'https://accounts.google.com' },
    { id: 'microsoft', label: 'Microsoft Entra ID', prefix: 'TUTELA_OIDC_MICROSOFT', issuer: undefined },
  ];
  for (const k of known) {
    const clientId = env[`${k.prefix}_CLIENT_ID`];
    if (!clientId) continue;
    const clientSecret = env[`${k.prefix}_CLIENT_SECRET`];
    const issuer = env[`${k.prefix}_ISSUER`] ?? k.issuer;
    if (!clientSecret) throw new ConfigError(`${k.prefix}_CLIENT_SECRET is required when ${k.prefix}_CLIENT_ID is set`);
    if (!issuer) throw new ConfigError(`${k.prefix}_ISSUER is required (https://login.microsoftonline.com/<tenant>/v2.0)`);
    providers.push({ id: k.id, label: k.label, issuer, clientId, clientSecret });
  }
  return providers;
}

/** From the file: a JSON list; from the environment: the same list as JSON text. */
function parseLockedLists(value: unknown): LockedListConfig[] {
  if (value === undefined || value === null || value === '') return [];
  let raw = value;
  if (typeof value === 'string') {
    try {
      raw = JSON.parse(value);
    } catch {
      throw new ConfigError('TUTELA_LOCKED_LISTS must be a JSON list of {category, source, format}');
    }
  }
  if (!Array.isArray(raw)) throw new ConfigError('filter.lockedLists must be a list of {category, source, format}');
  return raw.map((item, i) => {
    const o = (item ?? {}) as Record<string, unknown>;
    if (o.category !== 'illegal_csam' && o.category !== 'illegal_terrorism') {
      throw new ConfigError(`filter.lockedLists[${i}].category must be illegal_csam or illegal_terrorism`);
    }
    if (typeof o.source !== 'string' || !o.source) throw new ConfigError(`filter.lockedLists[${i}].source must be a file or URL`);
    const format = o.format ?? 'plain';
    if (format !== 'plain' && format !== 'sha256') throw new ConfigError(`filter.lockedLists[${i}].format must be plain or sha256`);
    return { category: o.category, source: o.source, format };
  });
}

function list(name: string, value: unknown, fallback: string[]): string[] {
  if (value === undefined || value === null || value === '') return fallback;
  const items = Array.isArray(value) ? value.map(String) : String(value).split(',');
  const out = items.map((s) => s.trim()).filter(Boolean);
  if (out.length === 0) throw new ConfigError(`${name} must list at least one value`);
  return out;
}

function optionalStr(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return String(value);
}

function str(name: string, value: unknown, fallback: string): string {
  return optionalStr(value) ?? fallback;
}

function int(name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  const n = typeof value === 'number' ? value : Number(String(value).trim());
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${String(value)}"`);
  }
  return n;
}

function port(name: string, value: unknown, fallback: number): number {
  return int(name, value, fallback, 0, 65535);
}

function bool(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null || value === '') return fallback;
  if (typeof value === 'boolean') return value;
  const s = String(value).toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(s)) return true;
  if (['0', 'false', 'no', 'off'].includes(s)) return false;
  throw new ConfigError(`${name} must be true or false, got "${String(value)}"`);
}

function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined || value === null || value === '') return fallback;
  const s = String(value) as T;
  if (!allowed.includes(s)) throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${s}"`);
  return s;
}

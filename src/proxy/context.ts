import { Agent } from 'node:http';
import type { FilterGate } from '../filter/gate.js';
import type { FilterDecision } from '../filter/model.js';
import { CredentialCache } from './credentials.js';
import type { ProxyLog, ProxyOptions } from './types.js';

/** What the request, tunnel and page handlers share for the life of one proxy server. */
export interface ProxyContext {
  gate: FilterGate;
  credentials: CredentialCache;
  requireAuth: boolean;
  blockPageUrl(decision: FilterDecision, target: string): string;
  allowedConnectPorts: ReadonlySet<number>;
  log: ProxyLog;
  timeouts: { headersMs: number; idleMs: number; upstreamConnectMs: number };
  /** Keeps connections to origins open between requests. */
  agent: Agent;
  /** What this proxy adds to Via headers. */
  via: string;
}

const silent: ProxyLog = { warn() {}, error() {} };

export function createContext(options: ProxyOptions): ProxyContext {
  const t = options.timeouts ?? {};
  return {
    gate: options.gate,
    credentials: new CredentialCache(options.authenticate),
    requireAuth: options.requireAuth,
    blockPageUrl: options.blockPageUrl,
    allowedConnectPorts: new Set(options.allowedConnectPorts ?? [443]),
    log: options.log ?? silent,
    timeouts: { headersMs: t.headersMs ?? 30_000, idleMs: t.idleMs ?? 120_000, upstreamConnectMs: t.upstreamConnectMs ?? 10_000 },
    agent: new Agent({ keepAlive: true, maxFreeSockets: 256, scheduling: 'lifo' }),
    via: '1.1 tutela',
  };
}

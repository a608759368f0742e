import type { FilterDecision } from '../filter/model.js';
import type { FilterGate } from '../filter/gate.js';

/** Where the proxy reports trouble it handled (a bad client, an origin that failed). */
export interface ProxyLog {
  warn(o: object, m?: string): void;
  error(o: object, m?: string): void;
}

export interface ProxyTimeouts {
  /** A client must send its whole request head within this time (slow-header clients). Default 30 s. */
  headersMs?: number;
  /** A connection with no bytes either way for this long is closed. Default 120 s. */
  idleMs?: number;
  /** Time allowed to open the connection to the origin (DNS and TCP). Default 10 s. */
  upstreamConnectMs?: number;
}

export interface ProxyOptions {
  host: string;
  /** 0 picks a free port; `ProxyServer.port` tells which. */
  port: number;
  gate: FilterGate;
  /**
   * Checks Proxy-Authorization Basic credentials; null means wrong. The proxy caches results
   * for a few minutes, so a slow password hash does not run on every request.
   */
  authenticate(username: string, password: string): Promise<{ personId: string } | null>;
  /** When false, a client without credentials is identified by its address. */
  requireAuth: boolean;
  /** A link to the full block page, where the person can see why, report or click through. */
  blockPageUrl(decision: FilterDecision, target: string): string;
  /** Host name or address that clients should use for the proxy in the PAC file. */
  pacProxyHost: string;
  /** Ports a CONNECT tunnel may reach. Default [443]. */
  allowedConnectPorts?: number[];
  log?: ProxyLog;
  timeouts?: ProxyTimeouts;
}

export interface ProxyServer {
  port: number;
  close(): Promise<void>;
}

/** Who made a request, as far as the proxy knows. */
export interface Client {
  address: string;
  personId: string | null;
  username: string | null;
}

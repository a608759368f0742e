import type { FastifyInstance } from 'fastify';
import type { MonitorServices } from '../monitor/runtime.js';
import { buildApp } from '../server/app.js';
import type { AppContext } from '../server/context.js';
import { totpCodeAt } from '../auth/totp.js';

/** The real server on a free 127.0.0.1 port; tests speak real HTTP to it. */
export async function startTestServer(
  ctx: AppContext,
  options: { monitor?: MonitorServices } = {},
): Promise<{ app: FastifyInstance; url: string; close: () => Promise<void> }> {
  const app = await buildApp(ctx, { logger: false, ...options });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url, close: () => app.close() };
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A browser-like client: keeps the session cookie and sends the CSRF token it was given. */
export class ApiClient {
  cookie: string | undefined;
  csrf: string | undefined;

  constructor(readonly baseUrl: string) {}

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const h: Record<string, string> = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (this.csrf && method !== 'GET') h['x-csrf-token'] ??= this.csrf;
    let payload: string | Buffer | undefined;
    if (body !== undefined) {
      if (typeof body === 'string' || Buffer.isBuffer(body)) payload = body;
      else {
        payload = JSON.stringify(body);
        h['content-type'] ??= 'application/json';
      }
    }
    const res = await fetch(this.baseUrl + path, { method, headers: h, body: payload, redirect: 'manual' });
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('tutela_session='));
    if (setCookie) {
      const value = setCookie.split(';')[0]!;
      this.cookie = value === 'tutela_session=' ? undefined : value;
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: keep the text */
    }
    if (parsed && typeof parsed === 'object' && 'csrfToken' in parsed) this.csrf = (parsed as { csrfToken: string }).csrfToken;
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  get = <T = any>(path: string) => this.request<T>('GET', path);
  post = <T = any>(path: string, body?: unknown, headers?: Record<string, string>) => this.request<T>('POST', path, body ?? {}, headers);
  put = <T = any>(path: string, body?: unknown) => this.request<T>('PUT', path, body ?? {});

  /** Signs in with a password, and with TOTP when a secret is given. */
  async signIn(username: string, password: string, totpSecret?: string, at?: Date): Promise<ApiResponse> {
    const res = await this.post('/api/auth/sign-in', { username, password });
    if (res.status === 200 && res.body.stage === 'totp_required' && totpSecret) {
      return this.post('/api/auth/totp/verify', { code: totpCodeAt(totpSecret, at ?? new Date()) });
    }
    return res;
  }
}

/**
 * Signs each person in once and hands back the same client afterwards: signing in for every
 * step of a test would trip the sign-in rate limit. `fresh` forces a new session.
 */
export function sessionPool(url: string, password: string): (username: string, options?: { fresh?: boolean }) => Promise<ApiClient> {
  const clients = new Map<string, ApiClient>();
  return async (username, options = {}) => {
    const known = clients.get(username);
    if (known && !options.fresh) return known;
    const client = new ApiClient(url);
    const res = await client.signIn(username, password);
    if (res.status !== 200) throw new Error(`${username} could not sign in: ${res.status} ${JSON.stringify(res.body)}`);
    clients.set(username, client);
    return client;
  };
}

import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import * as oidc from 'openid-client';
import { recordAudit } from '../../audit/service.js';
import type { OidcProviderConfig } from '../../config/config.js';
import { AppError } from '../../errors/errors.js';
import type { AppContext } from '../../server/context.js';
import { clientOf } from '../../server/http.js';
import { setSessionCookie } from '../routes.js';
import { seal, unseal } from '../secrets.js';
import { openSession } from '../service.js';
import { linkIdentity, matchAccount, type OidcIdentity } from './service.js';

/** Holds state, nonce and PKCE verifier between start and callback; sealed, so any node can read it. */
export const FLOW_COOKIE = 'tutela_oidc';
const FLOW_PATH = '/api/auth/oidc';
const FLOW_MAX_AGE_SECONDS = 10 * 60;
/** Provider metadata barely changes, but signing keys and endpoints can; re-discover daily. */
const DISCOVERY_TTL_MS = 24 * 60 * 60_000;
const SCOPE = 'openid email profile';

interface Flow {
  provider: string;
  state: string;
  nonce: string;
  verifier: string;
  /** ms since epoch, by ctx.clock, when the flow started. */
  at: number;
}

const ProviderParams = Type.Object({ provider: Type.String({ minLength: 1, maxLength: 64 }) });

/**
 * Sign-in through the school's Google Workspace or Microsoft Entra tenant (any OpenID Connect
 * provider): authorization code flow with PKCE, state and nonce. Only people who already have
 * a Tutela account get in; the first sign-in links the provider identity by verified email.
 */
export function oidcRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  const discovered = new Map<string, { key: string; at: number; config: Promise<oidc.Configuration> }>();

  // Read per request: operators (and tests) may change config.oidc after the server starts.
  const providerById = (id: string): OidcProviderConfig => {
    const p = ctx.config.oidc.find((x) => x.id === id);
    if (!p) throw new AppError('not_found', `No sign-in provider called "${id}"`);
    return p;
  };

  const configurationFor = (p: OidcProviderConfig): Promise<oidc.Configuration> => {
    const key = JSON.stringify([p.issuer, p.clientId, p.clientSecret]);
    const now = ctx.clock().getTime();
    const cached = discovered.get(p.id);
    if (cached && cached.key === key && now - cached.at < DISCOVERY_TTL_MS) return cached.config;
    const config = discover(p);
    discovered.set(p.id, { key, at: now, config });
    // A provider that was down must be retried on the next attempt, not remembered as broken.
    config.catch(() => {
      if (discovered.get(p.id)?.config === config) discovered.delete(p.id);
    });
    return config;
  };

  const callbackUrl = (request: FastifyRequest, providerId: string): string => {
    const base = ctx.config.web.publicUrl ?? `${request.protocol}://${request.host}`;
    return `${base.replace(/\/+$/, '')}${FLOW_PATH}/${encodeURIComponent(providerId)}/callback`;
  };

  const refuse = async (
    request: FastifyRequest,
    reply: FastifyReply,
    error: string,
    audit: { provider: string; reason: string; accountId?: string; subject?: string; email?: string | null },
  ) => {
    const { accountId, ...details } = audit;
    await recordAudit(ctx.db, {
      action: 'auth.oidc_failed',
      targetType: accountId ? 'account' : undefined,
      targetId: accountId,
      ip: clientOf(request).ip,
      details,
      at: ctx.clock(),
    });
    return reply.redirect(`/sign-in?error=${encodeURIComponent(error)}`, 302);
  };

  return async (app) => {
    app.get(
      '/providers',
      {
        config: { auth: 'public' },
        schema: {
          tags: ['auth'],
          summary: 'Identity providers offered on the sign-in page',
          response: { 200: Type.Array(Type.Object({ id: Type.String(), label: Type.String() })) },
        },
      },
      async () => ctx.config.oidc.map((p) => ({ id: p.id, label: p.label })),
    );

    app.get(
      '/:provider/start',
      {
        config: { auth: 'public' },
        schema: { tags: ['auth'], summary: 'Start signing in with an identity provider (redirects to it)', params: ProviderParams },
      },
      async (request, reply) => {
        const p = providerById(request.params.provider);
        let configuration: oidc.Configuration;
        try {
          configuration = await configurationFor(p);
        } catch (error) {
          request.log.error({ err: error, provider: p.id }, 'OIDC discovery failed');
          return reply.redirect('/sign-in?error=oidc_unavailable', 302);
        }
        const flow: Flow = {
          provider: p.id,
          state: oidc.randomState(),
          nonce: oidc.randomNonce(),
          verifier: oidc.randomPKCECodeVerifier(),
          at: ctx.clock().getTime(),
        };
        const url = oidc.buildAuthorizationUrl(configuration, {
          redirect_uri: callbackUrl(request, p.id),
          scope: SCOPE,
          state: flow.state,
          nonce: flow.nonce,
          code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
          code_challenge_method: 'S256',
        });
        reply.setCookie(FLOW_COOKIE, seal(ctx.secretKey, JSON.stringify(flow)), {
          path: FLOW_PATH,
          httpOnly: true,
          // Lax, not Strict: the provider sends the browser back with a cross-site top-level GET.
          sameSite: 'lax',
          secure: request.protocol === 'https',
          maxAge: FLOW_MAX_AGE_SECONDS,
        });
        reply.header('cache-control', 'no-store');
        return reply.redirect(url.href, 302);
      },
    );

    app.get(
      '/:provider/callback',
      {
        config: { auth: 'public' },
        schema: {
          tags: ['auth'],
          summary: 'Where the identity provider sends the browser back; signs in and redirects to /',
          params: ProviderParams,
        },
      },
      async (request, reply) => {
        const p = providerById(request.params.provider);
        reply.header('cache-control', 'no-store');
        const flow = readFlow(ctx, request.cookies[FLOW_COOKIE]);
        reply.clearCookie(FLOW_COOKIE, { path: FLOW_PATH });
        if (!flow || flow.provider !== p.id) {
          return refuse(request, reply, 'oidc_expired', { provider: p.id, reason: flow ? 'provider_mismatch' : 'no_flow_cookie' });
        }
        if (ctx.clock().getTime() - flow.at > FLOW_MAX_AGE_SECONDS * 1000) {
          return refuse(request, reply, 'oidc_expired', { provider: p.id, reason: 'flow_expired' });
        }

        // The redirect_uri sent to the token endpoint is this URL without its query, so it must be
        // built exactly as at the start, not from whatever Host the request happens to carry.
        const current = new URL(callbackUrl(request, p.id));
        current.search = new URL(request.url, 'http://callback.invalid').search;
        const returned = current.searchParams;
        if (returned.get('state') !== flow.state) {
          return refuse(request, reply, 'oidc_failed', { provider: p.id, reason: 'state_mismatch' });
        }
        if (returned.has('error')) {
          const reason = `provider_error:${returned.get('error')!.slice(0, 60)}`;
          return refuse(request, reply, returned.get('error') === 'access_denied' ? 'oidc_cancelled' : 'oidc_failed', {
            provider: p.id,
            reason,
          });
        }

        let identity: OidcIdentity;
        try {
          const configuration = await configurationFor(p);
          const tokens = await oidc.authorizationCodeGrant(configuration, current, {
            pkceCodeVerifier: flow.verifier,
            expectedState: flow.state,
            expectedNonce: flow.nonce,
            idTokenExpected: true,
          });
          const claims = tokens.claims()!;
          let email = typeof claims.email === 'string' ? claims.email : null;
          let verified = emailVerified(claims);
          // Providers that keep the ID token lean hand the email out at userinfo instead.
          if (!email && configuration.serverMetadata().userinfo_endpoint) {
            const info = await oidc.fetchUserInfo(configuration, tokens.access_token, claims.sub);
            email = typeof info.email === 'string' ? info.email : null;
            verified = emailVerified(info);
          }
          identity = { provider: p.id, subject: claims.sub, email, emailVerified: verified };
        } catch (error) {
          request.log.warn({ err: error, provider: p.id }, 'OIDC code exchange failed');
          return refuse(request, reply, 'oidc_failed', { provider: p.id, reason: `exchange_failed:${errorCode(error)}` });
        }

        const match = await matchAccount(ctx.db, identity);
        if (match.kind === 'none') {
          return refuse(request, reply, match.reason === 'ambiguous_email' ? 'oidc_ambiguous_account' : 'oidc_no_account', {
            provider: p.id,
            reason: match.reason,
            subject: identity.subject,
            email: identity.email,
          });
        }

        const client = clientOf(request);
        let opened: Awaited<ReturnType<typeof openSession>>;
        try {
          opened = await openSession(ctx, match.account, `oidc:${p.id}`, client);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          return refuse(request, reply, error.id, {
            provider: p.id,
            reason: error.id,
            accountId: match.account.id,
            subject: identity.subject,
            email: identity.email,
          });
        }
        // Linked only once the account proved usable, so refused attempts leave no trace but the audit.
        if (match.kind === 'by_email') await linkIdentity(ctx.db, identity, match.account, client, ctx.clock());
        setSessionCookie(ctx, reply, opened.token, request.protocol === 'https');
        return reply.redirect('/', 302);
      },
    );
  };
}

function isLocalHttp(issuer: URL): boolean {
  return issuer.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
}

function discover(p: OidcProviderConfig): Promise<oidc.Configuration> {
  const issuer = new URL(p.issuer);
  return oidc.discovery(
    issuer,
    p.clientId,
    { client_secret: p.clientSecret, token_endpoint_auth_method: 'client_secret_basic' },
    oidc.ClientSecretBasic(p.clientSecret),
    // Plain HTTP only for a provider on this machine (the test suite's); never across a network.
    isLocalHttp(issuer) ? { execute: [oidc.allowInsecureRequests], timeout: 10 } : { timeout: 10 },
  );
}

function readFlow(ctx: AppContext, cookie: string | undefined): Flow | undefined {
  if (!cookie) return undefined;
  try {
    const flow = JSON.parse(unseal(ctx.secretKey, cookie)) as Partial<Flow>;
    const fields = [flow.provider, flow.state, flow.nonce, flow.verifier];
    if (fields.some((f) => typeof f !== 'string') || typeof flow.at !== 'number') return undefined;
    return flow as Flow;
  } catch {
    // Tampered, truncated or sealed with another key: treat as absent.
    return undefined;
  }
}

function errorCode(error: unknown): string {
  if (error instanceof oidc.AuthorizationResponseError || error instanceof oidc.ResponseBodyError) return error.error;
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : 'unknown';
}

/**
 * Whether the provider vouches for the email. Microsoft Entra does not send `email_verified`;
 * its optional `xms_edov` claim says the email's domain is verified by the tenant, which is the
 * same assurance for a school's own domain.
 */
function emailVerified(claims: Record<string, unknown>): boolean {
  return claims.email_verified === true || claims.xms_edov === true;
}

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { agreementGate } from '../agreements/gate.js';
import { auditRoutes } from '../audit/routes.js';
import { loadActor } from '../auth/repository.js';
import { authRoutes } from '../auth/routes.js';
import { resolveSession } from '../auth/service.js';
import { SESSION_COOKIE, csrfMatches } from '../auth/sessions.js';
import { pendingMigrations, ping } from '../db/database.js';
import { directoryRoutes } from '../directory/routes.js';
import { AppError } from '../errors/errors.js';
import { usersRoutes } from '../auth/users-routes.js';
import { type MonitorServices, startMonitor } from '../monitor/runtime.js';
import { smtpMailer } from '../notify/mailer.js';
import { blockedSiteRedirect, type FilterRuntime, lazyRuntime, ownHostNames } from '../filter/runtime/index.js';
import type { AppContext } from './context.js';
import { installErrorHandler } from './errors.js';
import { sendError } from './http.js';
import { extraRoutes } from './registry.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const WEB_DIST = path.join(ROOT, 'dist', 'web');

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Builds the web server: the JSON API under /api, health checks, the OpenAPI document and the
 * React front end. Every /api route needs a signed-in actor unless its config says otherwise,
 * so a new route is private by default.
 */
export async function buildApp(
  ctx: AppContext,
  options: {
    logger?: boolean;
    /** The process's running filter; without one, the block-page routes start their own on first use. */
    filter?: FilterRuntime;
    /** The process's running monitor; without one, the app runs its own and closes it with itself. */
    monitor?: MonitorServices;
  } = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger === false ? false : { level: ctx.config.logLevel },
    trustProxy: ctx.config.web.trustProxy,
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Only JSON reaches the API: a cross-site HTML form cannot send it without a CORS preflight.
  app.removeContentTypeParser('text/plain');
  installErrorHandler(app);
  await app.register(cookie);

  await app.register(swagger, {
    openapi: {
      info: { title: 'Tutela API', version: '1', description: 'Online safety for schools and trusts.' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  app.decorateRequest('session', null);
  app.decorateRequest('account', null);
  app.decorateRequest('actor', null);

  // A browser sent here by the DNS filter asks for the blocked site's name: show the block page.
  const ownHosts = ownHostNames(ctx.config);
  app.addHook('onRequest', async (request, reply) => {
    const blockPage = blockedSiteRedirect(request.headers.host, request.url, ownHosts, ctx.config.web.publicUrl);
    if (blockPage) return reply.header('cache-control', 'no-store').redirect(blockPage, 302);
  });

  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/api/') || request.url.startsWith('/api/docs')) return;
    const level = request.routeOptions.config?.auth ?? 'actor';
    const token = request.cookies[SESSION_COOKIE];
    if (token) {
      try {
        const { session, account } = await resolveSession(ctx, token);
        request.session = session;
        request.account = account;
      } catch (error) {
        if (level !== 'public') return sendError(reply, error as AppError);
      }
    }
    if (level === 'public') return;
    const session = request.session;
    if (!session) return sendError(reply, new AppError('unauthenticated', 'Please sign in.'));
    if (!SAFE_METHODS.has(request.method) && !csrfMatches(session, request.headers['x-csrf-token'] as string | undefined)) {
      return sendError(reply, new AppError('csrf_failed', 'The security token is missing or out of date. Reload the page.'));
    }
    if (level === 'pending') return;
    if (session.locked_at)
      return sendError(reply, new AppError('session_locked', 'Your session was locked after inactivity. Enter your password to carry on.'));
    if (session.stage === 'totp_required')
      return sendError(reply, new AppError('totp_required', 'Enter the code from your authenticator app.'));
    if (session.stage === 'totp_enrolment_required') {
      return sendError(
        reply,
        new AppError('totp_enrolment_required', 'Your role requires two-step sign-in. Set up your authenticator app first.'),
      );
    }
    request.actor = (await loadActor(ctx.db, session.account_id)) ?? null;
    if (!request.actor) return sendError(reply, new AppError('unauthenticated', 'Please sign in.'));
    // Staff and guests who have not accepted their agreement may only reach the accept page.
    const refusal = await agreementGate(ctx, session.id, request.actor, request.routeOptions.url);
    if (refusal) return sendError(reply, refusal);
  });

  app.get('/healthz', { config: { auth: 'public' }, schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { auth: 'public' }, schema: { hide: true } }, async (_req, reply) => {
    try {
      await ping(ctx.store);
      const pending = await pendingMigrations(ctx.store);
      if (pending.length) return reply.status(503).send({ status: 'migrations_pending', pending });
      return { status: 'ready', database: ctx.store.dialect };
    } catch (error) {
      return reply.status(503).send({ status: 'database_unavailable', message: (error as Error).message });
    }
  });

  await app.register(authRoutes(ctx), { prefix: '/api/auth' });
  await app.register(usersRoutes(ctx), { prefix: '/api/users' });
  await app.register(directoryRoutes(ctx), { prefix: '/api/directory' });
  await app.register(auditRoutes(ctx), { prefix: '/api/audit' });
  const ownRuntime = options.filter ? null : lazyRuntime(ctx);
  const filterRuntime = options.filter ? async () => options.filter! : ownRuntime!.get;
  if (ownRuntime) app.addHook('onClose', async () => ownRuntime.stop());
  let monitor = options.monitor;
  if (!monitor) {
    const mailer = smtpMailer(ctx.config.smtp);
    const own = startMonitor(ctx, { mailer, webBase: ctx.config.web.publicUrl });
    app.addHook('onClose', async () => {
      await own.close();
      mailer?.close();
    });
    monitor = own;
  }
  for (const [prefix, plugin] of extraRoutes(ctx, { filterRuntime, monitor })) await app.register(plugin, { prefix });

  app.get('/api/openapi.json', { config: { auth: 'public' }, schema: { hide: true } }, async () => app.swagger());

  if (existsSync(WEB_DIST)) {
    await app.register(fastifyStatic, { root: WEB_DIST, wildcard: false, index: false });
  }
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/') || request.method !== 'GET' || !existsSync(path.join(WEB_DIST, 'index.html'))) {
      return sendError(reply, new AppError('not_found', `No route for ${request.method} ${request.url.split('?')[0]}`));
    }
    // The front end routes on the client: any other GET gets the app shell.
    return reply.type('text/html').header('cache-control', 'no-cache').sendFile('index.html', WEB_DIST);
  });

  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-frame-options', 'DENY');
    return payload;
  });

  return app;
}

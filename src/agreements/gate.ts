import type { Actor } from '../access/policy.js';
import { AppError } from '../errors/errors.js';
import type { AppContext } from '../server/context.js';
import { gateRequired } from './service.js';

/** How long one answer is trusted for a session: short, so a new version reaches everyone within a minute. */
const CACHE_MS = 30_000;

/** Routes a person held at the accept page may still use: their session, who they are, and the agreement itself. */
const OPEN_ROUTES = new Set(['/api/directory/me', '/api/agreements/mine', '/api/agreements/accept']);

interface Entry {
  personId: string;
  required: boolean;
  until: number;
}

// One cache per application context, so the accept and publish routes can clear what the hook remembered.
const caches = new WeakMap<AppContext, Map<string, Entry>>();
const cacheOf = (ctx: AppContext) => {
  const known = caches.get(ctx);
  if (known) return known;
  const cache = new Map<string, Entry>();
  caches.set(ctx, cache);
  return cache;
};

/** Forgets the remembered answers: for one person after they accept, or everyone after a new version or setting. */
export function forgetAgreementGate(ctx: AppContext, personId?: string): void {
  const cache = cacheOf(ctx);
  if (personId === undefined) cache.clear();
  else for (const [key, entry] of cache) if (entry.personId === personId) cache.delete(key);
}

/**
 * The gate in the request pipeline: staff, governors and guests who have not accepted their
 * current agreement get `agreement.required` from every API route but the few the accept page
 * needs. Sign-in, TOTP and lock steps never reach here (they run before a full session).
 *
 * @example
 *   const refusal = await agreementGate(ctx, session.id, actor, request.routeOptions.url);
 *   if (refusal) return sendError(reply, refusal);
 */
export async function agreementGate(
  ctx: AppContext,
  sessionId: string,
  actor: Actor,
  routeUrl: string | undefined,
): Promise<AppError | null> {
  if (routeUrl && (routeUrl.startsWith('/api/auth/') || OPEN_ROUTES.has(routeUrl))) return null;
  const cache = cacheOf(ctx);
  const now = Date.now();
  let entry = cache.get(sessionId);
  if (!entry || entry.until <= now || entry.personId !== actor.personId) {
    if (cache.size > 10_000) for (const [key, e] of cache) if (e.until <= now) cache.delete(key);
    entry = {
      personId: actor.personId,
      required: await gateRequired(ctx.db, actor.schoolId, actor.personId, ctx.clock()),
      until: now + CACHE_MS,
    };
    cache.set(sessionId, entry);
  }
  if (!entry.required) return null;
  return new AppError('agreement.required', 'Please read and accept the acceptable use agreement before using Tutela.');
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../access/policy.js';
import type { Account, Session } from '../db/tables.js';
import { AppError } from '../errors/errors.js';
import type { ClientInfo } from '../auth/service.js';

/**
 * How much sign-in a route needs. `actor` (the default) is a fully signed-in, unlocked session;
 * `pending` also admits sessions waiting for TOTP or locked by idleness; `public` needs none.
 */
export type AuthLevel = 'public' | 'pending' | 'actor';

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: AuthLevel;
  }
  interface FastifyRequest {
    session: Session | null;
    account: Account | null;
    actor: Actor | null;
  }
}

/** The signed-in actor; routes at the default auth level can rely on it being there. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('unauthenticated', 'Please sign in.');
  return request.actor;
}

export function sessionOf(request: FastifyRequest): { session: Session; account: Account } {
  if (!request.session || !request.account) throw new AppError('unauthenticated', 'Please sign in.');
  return { session: request.session, account: request.account };
}

export const clientOf = (request: FastifyRequest): ClientInfo => ({
  ip: request.ip ?? null,
  userAgent: request.headers['user-agent'] ?? null,
});

export function sendError(reply: FastifyReply, error: AppError) {
  return reply.status(error.status).send({ error: error.id, message: error.message, details: error.details });
}

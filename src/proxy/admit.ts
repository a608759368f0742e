import type { FilterDecision } from '../filter/model.js';
import type { ProxyContext } from './context.js';
import { parseBasic } from './credentials.js';
import type { Client } from './types.js';

export type Admission = { kind: 'challenge' } | { kind: 'decided'; client: Client; decision: FilterDecision };

/**
 * Identifies the client, asks the filter about `target` (a full URL for plain HTTP, a host
 * for CONNECT) and records the decision, allowed or not. Synchronous when there are no
 * credentials to check, which is the common case on a network that identifies by address.
 */
export function admit(
  ctx: ProxyContext,
  authorization: string | undefined,
  address: string,
  target: string,
  url: string | null,
): Admission | Promise<Admission> {
  if (authorization === undefined) {
    return ctx.requireAuth ? CHALLENGE : decideFor(ctx, { address, personId: null, username: null }, target, url);
  }
  const credentials = parseBasic(authorization);
  // A malformed header is a wrong answer, not an absent one: ask again rather than fall back to the address.
  if (!credentials) return CHALLENGE;
  return ctx.credentials
    .lookup(credentials.username, credentials.password)
    .then((found) =>
      found ? decideFor(ctx, { address, personId: found.personId, username: credentials.username }, target, url) : CHALLENGE,
    );
}

const CHALLENGE: Admission = { kind: 'challenge' };

function decideFor(ctx: ProxyContext, client: Client, target: string, url: string | null): Admission {
  const at = new Date();
  const decision = ctx.gate.decide({ clientAddress: client.address, personId: client.personId, target, at });
  ctx.gate.record({ source: 'proxy', at, clientAddress: client.address, decision, url, username: client.username });
  return { kind: 'decided', client, decision };
}

/** The challenge header a 407 answer carries. */
export const PROXY_AUTHENTICATE = 'Basic realm="Tutela", charset="UTF-8"';

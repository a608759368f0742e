import { Type } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { authorize, can, type Action, type Actor } from '../../access/policy.js';
import { schoolFor, trustOf } from '../../directory/scope.js';
import type { AppContext } from '../../server/context.js';
import { actorOf } from '../../server/http.js';
import { CATEGORY_IDS } from '../categories.js';
import type { Approver } from './unblock.js';
import type { WriteScope } from './write.js';

/* What every filtering route needs: the school it acts on, the actor, and the schemas it shares. */

export const SchoolQuery = Type.Object({ schoolId: Type.Optional(Type.String({ maxLength: 64 })) });
export const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
export const Reason = Type.String({ maxLength: 2000 });
export const ReasonBody = Type.Object({ reason: Reason });
export const CategorySchema = Type.Union(CATEGORY_IDS.map((c) => Type.Literal(c)));
export const DateTime = Type.String({ maxLength: 40 });

export interface Scoped {
  actor: Actor;
  schoolId: string;
  trustId: string;
  write: WriteScope;
}

/**
 * The school the request acts on (a trust administrator may name one with ?schoolId=), after
 * checking the actor may take the action there.
 */
export async function scoped(ctx: AppContext, request: FastifyRequest, action: Action): Promise<Scoped> {
  const actor = actorOf(request);
  const wanted = (request.query as { schoolId?: string } | undefined)?.schoolId;
  const schoolId = await schoolFor(ctx.db, actor, wanted);
  const trustId = await trustOf(ctx.db, schoolId);
  authorize(actor, action, { type: 'school', schoolId, trustId });
  return {
    actor,
    schoolId,
    trustId,
    write: {
      schoolId,
      trustId,
      actor: { accountId: actor.accountId, username: actor.username, personId: actor.personId, name: actor.displayName },
      now: ctx.clock(),
      ip: request.ip,
    },
  };
}

export function approverOf(s: Pick<Scoped, 'actor' | 'schoolId' | 'trustId'>): Approver {
  const here = { type: 'school', schoolId: s.schoolId, trustId: s.trustId } as const;
  return {
    personId: s.actor.personId,
    mayApproveTechnical: can(s.actor, 'filter.unblock.approve_technical', here),
    mayApproveSafeguarding: can(s.actor, 'filter.unblock.approve_safeguarding', here),
  };
}

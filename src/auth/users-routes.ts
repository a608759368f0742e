import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { authorize, type Actor } from '../access/policy.js';
import { getPersonRow, schoolOf } from '../directory/service.js';
import { schoolFor, trustOf } from '../directory/scope.js';
import type { AppContext } from '../server/context.js';
import { actorOf } from '../server/http.js';
import { accountTarget, clearLockout, createAccount, listAccounts, resetPassword, resetTotp, setDisabled } from './users.js';

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const OptionalPassword = Type.Object({ password: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })) });

/** User administration: network manager, headteacher and trust administrator. */
export function usersRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  const by = (actor: Actor, ip: string) => ({ actor, ip, now: ctx.clock() });
  const authorizeOn = async (actor: Actor, accountId: string) => {
    const t = await accountTarget(ctx.db, accountId);
    authorize(actor, 'user.admin', { type: 'account', schoolId: t.schoolId, trustId: t.trustId, personId: t.personId, roles: t.roles });
  };

  return async (app) => {
    app.get(
      '/',
      {
        schema: {
          tags: ['users'],
          summary: 'Sign-in accounts of the school',
          querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 100 })), schoolId: Type.Optional(Type.String()) }),
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const schoolId = await schoolFor(ctx.db, actor, request.query.schoolId);
        authorize(actor, 'user.admin', { type: 'school', schoolId, trustId: await trustOf(ctx.db, schoolId) });
        return listAccounts(ctx.db, schoolId, request.query.q, ctx.clock());
      },
    );

    app.post(
      '/',
      {
        schema: {
          tags: ['users'],
          summary: 'Create an account for a person; the password is shown once',
          body: Type.Object({
            personId: Type.String({ format: 'uuid' }),
            username: Type.String({ maxLength: 64 }),
            password: Type.Optional(Type.String({ maxLength: 1000 })),
          }),
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const person = await getPersonRow(ctx.db, request.body.personId);
        const school = await schoolOf(ctx.db, person.school_id);
        const roles = (await ctx.db.selectFrom('person_roles').select('role').where('person_id', '=', person.id).execute()).map(
          (r) => r.role as never,
        );
        authorize(actor, 'user.admin', {
          type: 'account',
          schoolId: person.school_id,
          trustId: school.trust_id,
          personId: person.id,
          roles,
        });
        const created = await createAccount(ctx.db, request.body, by(actor, request.ip));
        return reply.status(201).send(created);
      },
    );

    app.post(
      '/:id/reset-password',
      { schema: { tags: ['users'], summary: 'Set or generate a new password', params: Id, body: OptionalPassword } },
      async (request) => {
        const actor = actorOf(request);
        await authorizeOn(actor, request.params.id);
        return resetPassword(ctx.db, request.params.id, request.body.password, by(actor, request.ip));
      },
    );

    app.post(
      '/:id/reset-totp',
      { schema: { tags: ['users'], summary: 'Remove TOTP so the user enrols again', params: Id } },
      async (request) => {
        const actor = actorOf(request);
        await authorizeOn(actor, request.params.id);
        await resetTotp(ctx.db, request.params.id, by(actor, request.ip));
        return { ok: true };
      },
    );

    app.post(
      '/:id/disable',
      { schema: { tags: ['users'], summary: 'Disable an account and end its sessions', params: Id } },
      async (request) => {
        const actor = actorOf(request);
        await authorizeOn(actor, request.params.id);
        await setDisabled(ctx.db, request.params.id, true, by(actor, request.ip));
        return { ok: true };
      },
    );

    app.post('/:id/enable', { schema: { tags: ['users'], summary: 'Enable a disabled account', params: Id } }, async (request) => {
      const actor = actorOf(request);
      await authorizeOn(actor, request.params.id);
      await setDisabled(ctx.db, request.params.id, false, by(actor, request.ip));
      return { ok: true };
    });

    app.post('/:id/unlock', { schema: { tags: ['users'], summary: 'Lift a sign-in lockout', params: Id } }, async (request) => {
      const actor = actorOf(request);
      await authorizeOn(actor, request.params.id);
      await clearLockout(ctx.db, request.params.id, by(actor, request.ip));
      return { ok: true };
    });
  };
}

import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { AppError } from '../errors/errors.js';
import type { AppContext } from '../server/context.js';
import { clientOf, sessionOf } from '../server/http.js';
import { AddressRateLimiter } from './rate-limit.js';
import { loadActor } from './repository.js';
import { SESSION_COOKIE } from './sessions.js';
import {
  beginTotpEnrolment,
  changeOwnPassword,
  confirmTotpEnrolment,
  signInWithPassword,
  signOut,
  unlockSession,
  verifyTotpChallenge,
} from './service.js';
import type { Session } from '../db/tables.js';

const Credentials = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 200 }),
  password: Type.String({ minLength: 1, maxLength: 1000 }),
});
const Code = Type.Object({ code: Type.String({ minLength: 1, maxLength: 20 }) });
const Password = Type.Object({ password: Type.String({ minLength: 1, maxLength: 1000 }) });

export const SessionView = Type.Object({
  stage: Type.Union([Type.Literal('active'), Type.Literal('totp_required'), Type.Literal('totp_enrolment_required')]),
  locked: Type.Boolean(),
  csrfToken: Type.String(),
  idleLockMinutes: Type.Number(),
  user: Type.Union([
    Type.Object({
      username: Type.String(),
      displayName: Type.String(),
      personId: Type.String(),
      schoolId: Type.String(),
      roles: Type.Array(Type.String()),
      totpEnabled: Type.Boolean(),
    }),
    Type.Null(),
  ]),
});

export function setSessionCookie(ctx: AppContext, reply: FastifyReply, token: string, secure: boolean) {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    maxAge: ctx.config.session.maxAgeHours * 3600,
  });
}

/** Sign-in, TOTP challenge and enrolment, idle unlock, sign-out and the current session. */
export function authRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  const limiter = new AddressRateLimiter(ctx.config.signIn.perAddressPerMinute, 60_000);

  const view = async (session: Session) => {
    const actor = await loadActor(ctx.db, session.account_id);
    const account = await ctx.db.selectFrom('accounts').select('totp_enabled_at').where('id', '=', session.account_id).executeTakeFirst();
    return {
      stage: session.stage,
      locked: Boolean(session.locked_at),
      csrfToken: session.csrf_token,
      idleLockMinutes: ctx.config.session.idleLockMinutes,
      user:
        actor && session.stage === 'active'
          ? {
              username: actor.username,
              displayName: actor.displayName,
              personId: actor.personId,
              schoolId: actor.schoolId,
              roles: [...actor.roles],
              totpEnabled: Boolean(account?.totp_enabled_at),
            }
          : null,
    };
  };

  return async (app) => {
    app.post(
      '/sign-in',
      {
        config: { auth: 'public' },
        schema: { tags: ['auth'], summary: 'Sign in with a username and password', body: Credentials, response: { 200: SessionView } },
      },
      async (request, reply) => {
        const wait = limiter.hit(request.ip, ctx.clock().getTime());
        if (wait > 0) {
          reply.header('retry-after', String(wait));
          throw new AppError('rate_limited', `Too many sign-in attempts from this address. Try again in ${wait} seconds.`);
        }
        const { token, session } = await signInWithPassword(ctx, request.body, clientOf(request));
        setSessionCookie(ctx, reply, token, request.protocol === 'https');
        return view(session);
      },
    );

    app.get(
      '/session',
      { config: { auth: 'pending' }, schema: { tags: ['auth'], summary: 'The current session', response: { 200: SessionView } } },
      async (request) => view(sessionOf(request).session),
    );

    app.post(
      '/totp/verify',
      {
        config: { auth: 'pending' },
        schema: { tags: ['auth'], summary: 'Answer the TOTP challenge', body: Code, response: { 200: SessionView } },
      },
      async (request) => {
        const { session } = sessionOf(request);
        await verifyTotpChallenge(ctx, session, request.body.code, clientOf(request));
        return view(session);
      },
    );

    app.post(
      '/totp/enrol',
      {
        config: { auth: 'pending' },
        schema: {
          tags: ['auth'],
          summary: 'Start TOTP enrolment: returns a secret and QR code',
          response: { 200: Type.Object({ secret: Type.String(), uri: Type.String(), qrDataUrl: Type.String() }) },
        },
      },
      async (request) => {
        const { session } = sessionOf(request);
        if (session.locked_at) throw new AppError('session_locked', 'Unlock your session first.');
        return beginTotpEnrolment(ctx, session);
      },
    );

    app.post(
      '/totp/confirm',
      {
        config: { auth: 'pending' },
        schema: { tags: ['auth'], summary: 'Finish TOTP enrolment with a code', body: Code, response: { 200: SessionView } },
      },
      async (request) => {
        const { session } = sessionOf(request);
        if (session.locked_at) throw new AppError('session_locked', 'Unlock your session first.');
        await confirmTotpEnrolment(ctx, session, request.body.code, clientOf(request));
        return view(session);
      },
    );

    app.post(
      '/unlock',
      {
        config: { auth: 'pending' },
        schema: { tags: ['auth'], summary: 'Unlock an idle-locked session', body: Password, response: { 200: SessionView } },
      },
      async (request) => {
        const { session } = sessionOf(request);
        await unlockSession(ctx, session, request.body.password, clientOf(request));
        session.locked_at = null;
        return view(session);
      },
    );

    app.post(
      '/password',
      {
        schema: {
          tags: ['auth'],
          summary: 'Change your own password; your other sessions end',
          body: Type.Object({
            currentPassword: Type.String({ minLength: 1, maxLength: 1000 }),
            newPassword: Type.String({ minLength: 1, maxLength: 1000 }),
          }),
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        await changeOwnPassword(ctx, sessionOf(request).session, request.body, clientOf(request));
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/sign-out',
      { config: { auth: 'pending' }, schema: { tags: ['auth'], summary: 'Sign out', response: { 204: Type.Null() } } },
      async (request, reply) => {
        const { session, account } = sessionOf(request);
        await signOut(ctx.db, session, account, clientOf(request), ctx.clock());
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.status(204).send(null);
      },
    );
  };
}

import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { type Actor, authorize, can } from '../../access/policy.js';
import { activityFeed } from '../../activity/feed.js';
import { recordAudit } from '../../audit/service.js';
import { loadActor } from '../../auth/repository.js';
import { AddressRateLimiter } from '../../auth/rate-limit.js';
import { schoolFor, trustOf } from '../../directory/scope.js';
import { AppError, notFound } from '../../errors/errors.js';
import type { AppContext } from '../../server/context.js';
import { actorOf } from '../../server/http.js';
import { categoryLabel } from '../categories.js';
import { canonicalAddress, categoriesOf, normaliseTarget } from '../engine/index.js';
import type { FilterDecision } from '../model.js';
import { bumpPolicyVersion } from '../policy/write.js';
import { personName } from '../policy/rows.js';
import { checkFilterCredentials } from './authenticate.js';
import { verifyBlockToken } from './block-token.js';
import type { FilterRuntime } from './runtime.js';

/** The runtime the routes decide with: the process's own, or one started on first use. */
export type RuntimeSource = () => Promise<FilterRuntime>;

const Target = Type.String({ minLength: 1, maxLength: 2048 });

function parseAt(text: string | undefined, fallback: Date): Date {
  if (text === undefined || text === '') return fallback;
  const at = new Date(text);
  if (Number.isNaN(at.getTime()))
    throw new AppError('validation_failed', `"${text}" is not a date and time (use ISO 8601, e.g. 2026-11-24T12:30)`);
  return at;
}

function requireTarget(text: string) {
  const target = normaliseTarget(text);
  if (!target) throw new AppError('filter.invalid_target', `"${text.slice(0, 100)}" is not a web address or host name`);
  return target;
}

/** A client's address as the filter knows it (IPv4-mapped IPv6 written as IPv4). */
const clientAddressOf = (request: FastifyRequest): string => canonicalAddress(request.ip ?? '') ?? request.ip ?? '';

/**
 * The runtime's routes under /api/filter: "test a URL as this person", the live decision feed,
 * and the two public routes the block page calls (what was blocked and why; sign in on this
 * device).
 */
export function filterRuntimeRoutes(ctx: AppContext, runtimeOf: RuntimeSource): FastifyPluginAsyncTypebox {
  const limiter = new AddressRateLimiter(ctx.config.signIn.perAddressPerMinute, 60_000);

  async function scoped(request: FastifyRequest, wanted: string | undefined, action: 'filter.read' | 'filter.activity.read') {
    const actor = actorOf(request);
    const schoolId = await schoolFor(ctx.db, actor, wanted);
    authorize(actor, action, { type: 'school', schoolId, trustId: await trustOf(ctx.db, schoolId) });
    return { actor, schoolId };
  }

  async function personById(id: string) {
    const row = await ctx.db
      .selectFrom('people')
      .select(['id', 'school_id', 'given_name', 'preferred_name', 'family_name'])
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? { id: row.id, schoolId: row.school_id, name: personName(row) } : undefined;
  }

  return async (app) => {
    app.get(
      '/test',
      {
        schema: {
          tags: ['filter'],
          summary: 'Decide for a URL as a person (or an unknown device) at a time, without recording it',
          querystring: Type.Object({
            target: Target,
            username: Type.Optional(Type.String({ maxLength: 200 })),
            personId: Type.Optional(Type.String({ maxLength: 64 })),
            address: Type.Optional(Type.String({ maxLength: 64 })),
            at: Type.Optional(Type.String({ maxLength: 40 })),
            schoolId: Type.Optional(Type.String({ maxLength: 64 })),
          }),
        },
      },
      async (request) => {
        const { schoolId } = await scoped(request, request.query.schoolId, 'filter.read');
        const target = requireTarget(request.query.target);
        const at = parseAt(request.query.at, ctx.clock());
        let personId = request.query.personId ?? null;
        if (request.query.username) {
          const account = await ctx.db
            .selectFrom('accounts')
            .select('person_id')
            .where('username', '=', request.query.username.trim().toLowerCase())
            .executeTakeFirst();
          if (!account) throw new AppError('not_found', `No account with the username ${request.query.username}`);
          personId = account.person_id;
        }
        const person = personId ? await personById(personId) : undefined;
        if (personId && (!person || person.schoolId !== schoolId)) throw notFound('Person');
        const address = request.query.address ? canonicalAddress(request.query.address) : '';
        if (address === null) throw new AppError('validation_failed', `"${request.query.address}" is not an IP address`);

        const runtime = await runtimeOf();
        // The answer should reflect a change saved a moment ago, not the last poll's view.
        await runtime.refreshNow();
        const decision = runtime.decideIn(schoolId, { clientAddress: address, personId, target: request.query.target, at });
        const lists = runtime.compiledLists();
        const profile = runtime.school(schoolId)?.policy.profiles.find((p) => p.id === decision.profileId);
        return {
          decision,
          categories: lists ? categoriesOf(lists, target.host, target.url) : [],
          person: person ? { id: person.id, name: person.name } : null,
          profile: { id: decision.profileId, name: profile?.name ?? '' },
        };
      },
    );

    app.get(
      '/activity',
      {
        schema: {
          tags: ['filter'],
          summary: 'The live decision feed: newest first, or what came after a cursor',
          querystring: Type.Object({
            after: Type.Optional(Type.String({ maxLength: 200 })),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
            personId: Type.Optional(Type.String({ maxLength: 64 })),
            action: Type.Optional(Type.Union([Type.Literal('allow'), Type.Literal('block'), Type.Literal('warn')])),
            schoolId: Type.Optional(Type.String({ maxLength: 64 })),
          }),
        },
      },
      async (request) => {
        const { schoolId } = await scoped(request, request.query.schoolId, 'filter.activity.read');
        const { after, limit, personId, action } = request.query;
        return activityFeed(ctx.db, { schoolId, after: after || undefined, limit, personId, action });
      },
    );

    app.get(
      '/block-info',
      {
        config: { auth: 'public' },
        schema: {
          tags: ['filter'],
          summary: 'For the block page: what was blocked for this device and why',
          querystring: Type.Object({ target: Target, token: Type.Optional(Type.String({ maxLength: 4096 })) }),
        },
      },
      async (request) => {
        const target = requireTarget(request.query.target);
        const now = ctx.clock();
        const runtime = await runtimeOf();
        const claims = request.query.token ? verifyBlockToken(ctx.secretKey, request.query.token, now) : null;
        // A token for another site (a pasted link) proves nothing about this one.
        const decision: Pick<FilterDecision, 'action' | 'schoolId' | 'category' | 'rule' | 'detail' | 'host' | 'url' | 'personId'> =
          claims && claims.host === target.host
            ? claims
            : runtime.decide({ clientAddress: clientAddressOf(request), target: request.query.target, at: now });
        const person = decision.personId ? runtime.school(decision.schoolId)?.people.get(decision.personId) : undefined;
        const actor = await signedInActor(request);
        const mayRequest = actor
          ? can(actor, 'filter.unblock.request', { type: 'school', schoolId: actor.schoolId, trustId: actor.trustId })
          : Boolean(person?.isStaff);
        return {
          action: decision.action,
          host: decision.host,
          url: decision.url,
          category: decision.category,
          categoryLabel: decision.category ? categoryLabel(decision.category) : null,
          rule: decision.rule,
          detail: decision.detail,
          person: person ? { name: person.displayName } : null,
          // Neither illegal content nor an agreement not yet accepted is a site to unblock.
          canRequestUnblock:
            decision.action === 'block' && decision.rule !== 'locked_list' && decision.rule !== 'agreement_required' && mayRequest,
          signedIn: actor !== null,
        };
      },
    );

    app.post(
      '/block-page/sign-in',
      {
        config: { auth: 'public' },
        schema: {
          tags: ['filter'],
          summary: 'Sign in at the block page: ties this device’s address to the person for the filter',
          body: Type.Object({
            username: Type.String({ minLength: 1, maxLength: 200 }),
            password: Type.String({ minLength: 1, maxLength: 1000 }),
          }),
        },
      },
      async (request) => {
        const address = clientAddressOf(request);
        const wait = limiter.hit(address, Date.now());
        if (wait > 0) throw new AppError('rate_limited', `Too many sign-in attempts from this device. Try again in ${wait} seconds.`);
        const check = await checkFilterCredentials(ctx, request.body.username, request.body.password, address);
        if (!check.ok) throw check.error;
        const now = ctx.clock();
        const until = new Date(now.getTime() + ctx.config.filter.addressSignInMinutes * 60_000).toISOString();
        const person = await personById(check.personId);
        await ctx.db.transaction().execute(async (trx) => {
          // The moved version is what every filter node polls for, so the sign-in applies at once.
          // The version first, as every policy change does: one lock order, so no deadlock.
          await bumpPolicyVersion(trx, [check.schoolId], now);
          await trx
            .insertInto('filter_address_signins')
            .values({ address, school_id: check.schoolId, person_id: check.personId, until_at: until, created_at: now.toISOString() })
            .onConflict((oc) =>
              oc
                .column('address')
                .doUpdateSet({ school_id: check.schoolId, person_id: check.personId, until_at: until, created_at: now.toISOString() }),
            )
            .execute();
          await recordAudit(trx, {
            action: 'filter.address_signed_in',
            actor: { accountId: check.accountId, username: check.username },
            targetType: 'account',
            targetId: check.accountId,
            schoolId: check.schoolId,
            ip: address,
            details: { address, until },
            at: now,
          });
        });
        await (await runtimeOf()).refreshNow();
        return { person: { name: person?.name ?? check.username }, until };
      },
    );
  };

  async function signedInActor(request: FastifyRequest): Promise<Actor | null> {
    const session = request.session;
    if (session?.stage !== 'active' || session.locked_at) return null;
    return (await loadActor(ctx.db, session.account_id)) ?? null;
  }
}

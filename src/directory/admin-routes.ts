import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { authorize, parseRoles, type Actor } from '../access/policy.js';
import { recordAudit } from '../audit/service.js';
import type { PersonKind } from '../db/tables.js';
import { AppError } from '../errors/errors.js';
import type { AppContext } from '../server/context.js';
import { actorOf } from '../server/http.js';
import {
  archiveGroup,
  changeMembers,
  checkExpiry,
  createGroup,
  MANUAL_GROUP_KINDS,
  MANUAL_PERSON_KINDS,
  MEMBER_ROLES,
  updatePerson,
} from './admin.js';
import { schoolFor, trustOf } from './scope.js';
import { getGroup, getPersonDetail, getPersonRow, summarise } from './service.js';
import { createPerson, createSchool } from './setup.js';

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Name = Type.String({ minLength: 1, maxLength: 100 });
const Nullable = (max: number) => Type.Union([Type.String({ maxLength: max }), Type.Null()]);

/** Adding and editing people, groups and schools by hand: for what the MIS does not hold. */
export function adminRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  const by = (actor: Actor) => ({ accountId: actor.accountId, username: actor.username });

  return async (app) => {
    app.post(
      '/people',
      {
        schema: {
          tags: ['directory'],
          summary: 'Add a member of staff, governor, guest or community user (guests need an end date)',
          body: Type.Object({
            kind: literals(MANUAL_PERSON_KINDS),
            givenName: Name,
            familyName: Name,
            email: Type.Optional(Type.String({ format: 'email', maxLength: 200 })),
            jobTitle: Type.Optional(Type.String({ maxLength: 200 })),
            roles: Type.Optional(Type.Array(Type.String(), { maxItems: 10 })),
            expiresAt: Type.Optional(Type.String({ maxLength: 40 })),
            schoolId: Type.Optional(Type.String()),
          }),
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const body = request.body;
        const schoolId = await schoolFor(ctx.db, actor, body.schoolId);
        const trustId = await trustOf(ctx.db, schoolId);
        const roles = parseRoles(body.roles ?? defaultRoles(body.kind));
        authorize(actor, 'person.manage', { type: 'school', schoolId, trustId });
        // Handing out a role on creation is the same act as granting it later.
        authorize(actor, 'user.admin', { type: 'account', schoolId, trustId, personId: '', roles });
        const now = ctx.clock();
        const expiresAt = checkExpiry(body.kind, body.expiresAt, now);
        const id = await ctx.db.transaction().execute(async (trx) => {
          const id = await createPerson(
            trx,
            {
              schoolId,
              kind: body.kind,
              givenName: body.givenName.trim(),
              familyName: body.familyName.trim(),
              email: body.email ?? null,
              jobTitle: body.jobTitle ?? null,
              expiresAt,
              roles,
            },
            now,
          );
          await recordAudit(trx, {
            action: 'person.created',
            actor: by(actor),
            targetType: 'person',
            targetId: id,
            schoolId,
            ip: request.ip,
            details: { kind: body.kind, roles, expiresAt },
            at: now,
          });
          return id;
        });
        return reply.status(201).send(summarise(await getPersonRow(ctx.db, id)));
      },
    );

    app.patch(
      '/people/:id',
      {
        schema: {
          tags: ['directory'],
          summary: "Edit a person's details",
          params: Id,
          body: Type.Object({
            givenName: Type.Optional(Name),
            familyName: Type.Optional(Name),
            preferredName: Type.Optional(Nullable(100)),
            email: Type.Optional(Type.Union([Type.String({ format: 'email', maxLength: 200 }), Type.Null()])),
            jobTitle: Type.Optional(Nullable(200)),
            expiresAt: Type.Optional(Nullable(40)),
          }),
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const person = await getPersonRow(ctx.db, request.params.id);
        authorize(actor, 'person.manage', {
          type: 'person',
          schoolId: person.school_id,
          trustId: await trustOf(ctx.db, person.school_id),
          personId: person.id,
        });
        const now = ctx.clock();
        await ctx.db.transaction().execute(async (trx) => {
          const changes = await updatePerson(trx, person, request.body, now);
          if (changes.length) {
            await recordAudit(trx, {
              action: 'person.updated',
              actor: by(actor),
              targetType: 'person',
              targetId: person.id,
              schoolId: person.school_id,
              ip: request.ip,
              details: { changes },
              at: now,
            });
          }
        });
        return getPersonDetail(ctx.db, await getPersonRow(ctx.db, person.id));
      },
    );

    app.post(
      '/groups',
      {
        schema: {
          tags: ['directory'],
          summary: 'Create a custom group, staff team, class or tutor group',
          body: Type.Object({
            kind: literals(MANUAL_GROUP_KINDS),
            name: Name,
            code: Type.Optional(Type.String({ maxLength: 40, pattern: '^[A-Za-z0-9][A-Za-z0-9 ._/-]*$' })),
            subject: Type.Optional(Type.String({ maxLength: 100 })),
            yearGroup: Type.Optional(Type.Integer({ minimum: 0, maximum: 13 })),
            schoolId: Type.Optional(Type.String()),
          }),
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const schoolId = await schoolFor(ctx.db, actor, request.body.schoolId);
        authorize(actor, 'person.manage', { type: 'school', schoolId, trustId: await trustOf(ctx.db, schoolId) });
        const now = ctx.clock();
        const group = await ctx.db.transaction().execute(async (trx) => {
          const group = await createGroup(trx, { ...request.body, schoolId }, now);
          await recordAudit(trx, {
            action: 'group.created',
            actor: by(actor),
            targetType: 'group',
            targetId: group.id,
            schoolId,
            ip: request.ip,
            details: { kind: group.kind, name: group.name, code: group.code },
            at: now,
          });
          return group;
        });
        return reply.status(201).send({
          id: group.id,
          kind: group.kind,
          name: group.name,
          code: group.code,
          yearGroup: group.year_group,
          subject: group.subject,
          members: 0,
        });
      },
    );

    app.put(
      '/groups/:id/members',
      {
        schema: {
          tags: ['directory'],
          summary: 'Add and remove members of a stored group',
          params: Id,
          body: Type.Object({
            add: Type.Optional(
              Type.Array(Type.Object({ personId: Type.String({ format: 'uuid' }), memberRole: literals(MEMBER_ROLES) }), { maxItems: 500 }),
            ),
            remove: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: 500 })),
          }),
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const group = await getGroup(ctx.db, request.params.id);
        authorize(actor, 'person.manage', { type: 'school', schoolId: group.school_id, trustId: await trustOf(ctx.db, group.school_id) });
        const change = { add: request.body.add ?? [], remove: request.body.remove ?? [] };
        const now = ctx.clock();
        await ctx.db.transaction().execute(async (trx) => {
          await changeMembers(trx, group, change);
          await recordAudit(trx, {
            action: 'group.members_changed',
            actor: by(actor),
            targetType: 'group',
            targetId: group.id,
            schoolId: group.school_id,
            ip: request.ip,
            details: change,
            at: now,
          });
        });
        const row = await ctx.db
          .selectFrom('group_members')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('group_id', '=', group.id)
          .executeTakeFirstOrThrow();
        return { total: Number(row.n) };
      },
    );

    app.post('/groups/:id/archive', { schema: { tags: ['directory'], summary: 'Archive a stored group', params: Id } }, async (request) => {
      const actor = actorOf(request);
      const group = await getGroup(ctx.db, request.params.id);
      authorize(actor, 'person.manage', { type: 'school', schoolId: group.school_id, trustId: await trustOf(ctx.db, group.school_id) });
      const now = ctx.clock();
      await ctx.db.transaction().execute(async (trx) => {
        await archiveGroup(trx, group, now);
        await recordAudit(trx, {
          action: 'group.archived',
          actor: by(actor),
          targetType: 'group',
          targetId: group.id,
          schoolId: group.school_id,
          ip: request.ip,
          at: now,
        });
      });
      return { ok: true };
    });

    app.post(
      '/schools',
      {
        schema: {
          tags: ['directory'],
          summary: 'Add a school to the trust',
          body: Type.Object({
            name: Type.String({ minLength: 1, maxLength: 200 }),
            urn: Type.Optional(Type.String({ pattern: '^[0-9]{6,7}$' })),
            phase: literals(['primary', 'secondary', 'all_through', 'special'] as const),
          }),
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        authorize(actor, 'trust.manage', { type: 'school', schoolId: actor.schoolId, trustId: actor.trustId });
        if (request.body.urn && (await ctx.db.selectFrom('schools').select('id').where('urn', '=', request.body.urn).executeTakeFirst())) {
          throw new AppError('conflict', `A school with URN ${request.body.urn} already exists`);
        }
        const now = ctx.clock();
        const id = await ctx.db.transaction().execute(async (trx) => {
          const id = await createSchool(
            trx,
            { trustId: actor.trustId, name: request.body.name.trim(), urn: request.body.urn ?? null, phase: request.body.phase },
            now,
          );
          await recordAudit(trx, {
            action: 'school.created',
            actor: by(actor),
            targetType: 'school',
            targetId: id,
            schoolId: id,
            ip: request.ip,
            details: { name: request.body.name },
            at: now,
          });
          return id;
        });
        return reply.status(201).send({ id, name: request.body.name.trim(), urn: request.body.urn ?? null, phase: request.body.phase });
      },
    );
  };
}

function defaultRoles(kind: PersonKind): string[] {
  return kind === 'staff' ? ['staff'] : kind === 'governor' ? ['governor'] : ['guest'];
}

import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { authorize, can, grantableRoles, ownSchool, parseRoles, type Actor } from '../access/policy.js';
import { ROLES, type Role } from '../access/roles.js';
import { gateRequired } from '../agreements/service.js';
import { recordAudit } from '../audit/service.js';
import { AppError } from '../errors/errors.js';
import type { AppContext } from '../server/context.js';
import { adminRoutes } from './admin-routes.js';
import { schoolFor as schoolForActor, trustOf as trustOfSchool } from './scope.js';
import { actorOf } from '../server/http.js';
import { directoryStats, getGroup, getPersonDetail, getPersonRow, listGroups, listPeople, schoolOf, setRoles } from './service.js';

const PersonKind = Type.Union(['student', 'staff', 'parent', 'governor', 'guest', 'community'].map((k) => Type.Literal(k)));
const GroupKind = Type.Union(['key_stage', 'year_group', 'class', 'tutor_group', 'staff_team', 'custom'].map((k) => Type.Literal(k)));
const RoleSchema = Type.Union(ROLES.map((r) => Type.Literal(r)));
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** Trust → schools → people → groups → roles: browsing, a person's page and role assignment. */
export function directoryRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  const personResource = (p: { school_id: string; id: string }, trustId: string) =>
    ({ type: 'person', schoolId: p.school_id, trustId, personId: p.id }) as const;
  const trustOf = (schoolId: string) => trustOfSchool(ctx.db, schoolId);
  const schoolFor = (actor: Actor, schoolId: string | undefined) => schoolForActor(ctx.db, actor, schoolId);

  return async (app) => {
    await app.register(adminRoutes(ctx));

    app.get('/schools', { schema: { tags: ['directory'], summary: 'Schools the user can see' } }, async (request) => {
      const actor = actorOf(request);
      let query = ctx.db.selectFrom('schools').selectAll().orderBy('name');
      query = actor.roles.has('trust_admin') ? query.where('trust_id', '=', actor.trustId) : query.where('id', '=', actor.schoolId);
      const schools = await query.execute();
      return schools.map((s) => ({ id: s.id, name: s.name, urn: s.urn, phase: s.phase }));
    });

    app.get(
      '/stats',
      {
        schema: {
          tags: ['directory'],
          summary: 'Counts of people and groups (no names)',
          querystring: Type.Object({ schoolId: Type.Optional(Type.String()) }),
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const schoolId = await schoolFor(actor, request.query.schoolId);
        authorize(actor, 'directory.stats', { type: 'school', schoolId, trustId: actor.trustId });
        return directoryStats(ctx.db, schoolId);
      },
    );

    app.get(
      '/people',
      {
        schema: {
          tags: ['directory'],
          summary: 'Search people',
          querystring: Type.Object({
            q: Type.Optional(Type.String({ maxLength: 100 })),
            kind: Type.Optional(PersonKind),
            yearGroup: Type.Optional(Type.Integer({ minimum: 0, maximum: 14 })),
            groupId: Type.Optional(Type.String({ format: 'uuid' })),
            role: Type.Optional(RoleSchema),
            status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('left'), Type.Literal('all')])),
            schoolId: Type.Optional(Type.String()),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
            offset: Type.Integer({ minimum: 0, default: 0 }),
          }),
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const { schoolId: wanted, ...filters } = request.query;
        const schoolId = await schoolFor(actor, wanted);
        authorize(actor, 'directory.browse', { type: 'school', schoolId, trustId: actor.trustId });
        return listPeople(ctx.db, { ...filters, kind: filters.kind as never, role: filters.role as Role | undefined, schoolId });
      },
    );

    app.get('/people/:id', { schema: { tags: ['directory'], summary: "A person's record", params: Id } }, async (request) => {
      const actor = actorOf(request);
      const person = await getPersonRow(ctx.db, request.params.id).catch(() => {
        // Same answer for "missing" and "another school's": ids reveal nothing.
        throw new AppError('forbidden', 'You cannot see this record');
      });
      authorize(actor, 'person.read', personResource(person, await trustOf(person.school_id)));
      const detail = await getPersonDetail(ctx.db, person);
      if (person.id !== actor.personId) {
        await recordAudit(ctx.db, {
          action: 'person.read',
          actor: { accountId: actor.accountId, username: actor.username },
          targetType: 'person',
          targetId: person.id,
          schoolId: person.school_id,
          ip: request.ip,
        });
      }
      return {
        ...detail,
        can: {
          manage: can(actor, 'person.manage', personResource(person, actor.trustId)),
          admin: can(actor, 'user.admin', personResource(person, actor.trustId)),
        },
      };
    });

    app.put(
      '/people/:id/roles',
      {
        schema: {
          tags: ['directory'],
          summary: "Replace a person's roles",
          params: Id,
          body: Type.Object({ roles: Type.Array(Type.String(), { maxItems: 10 }) }),
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const roles = parseRoles(request.body.roles);
        const person = await getPersonRow(ctx.db, request.params.id);
        const trustId = await trustOf(person.school_id);
        const current = (await ctx.db.selectFrom('person_roles').select('role').where('person_id', '=', person.id).execute()).map(
          (r) => r.role as Role,
        );
        authorize(actor, 'person.manage', personResource(person, trustId));
        // Granting or removing a senior role is an act on that account: the user.admin record rules apply.
        authorize(actor, 'user.admin', {
          type: 'account',
          schoolId: person.school_id,
          trustId,
          personId: person.id,
          roles: [...current, ...roles],
        });
        const now = ctx.clock();
        const change = await ctx.db.transaction().execute(async (trx) => {
          const change = await setRoles(trx, person.id, roles, actor.accountId, now);
          await recordAudit(trx, {
            action: 'person.roles_changed',
            actor: { accountId: actor.accountId, username: actor.username },
            targetType: 'person',
            targetId: person.id,
            schoolId: person.school_id,
            ip: request.ip,
            details: { before: current, after: roles },
            at: now,
          });
          return change;
        });
        return { roles, ...change };
      },
    );

    app.get(
      '/groups',
      {
        schema: {
          tags: ['directory'],
          summary: 'Groups: key stages, year groups, classes, tutor groups, staff teams',
          querystring: Type.Object({
            kind: Type.Optional(GroupKind),
            q: Type.Optional(Type.String({ maxLength: 100 })),
            schoolId: Type.Optional(Type.String()),
          }),
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const schoolId = await schoolFor(actor, request.query.schoolId);
        authorize(actor, 'directory.browse', { type: 'school', schoolId, trustId: actor.trustId });
        return listGroups(ctx.db, schoolId, { kind: request.query.kind as never, q: request.query.q });
      },
    );

    app.get('/groups/:id', { schema: { tags: ['directory'], summary: 'A group and its members', params: Id } }, async (request) => {
      const actor = actorOf(request);
      const group = await getGroup(ctx.db, request.params.id);
      authorize(actor, 'directory.browse', { type: 'school', schoolId: group.school_id, trustId: await trustOf(group.school_id) });
      const members = await listPeople(ctx.db, { schoolId: group.school_id, groupId: group.id, limit: 500, offset: 0 });
      const staff = await ctx.db
        .selectFrom('group_members')
        .select(['person_id', 'member_role'])
        .where('group_id', '=', group.id)
        .where('member_role', '!=', 'member')
        .execute();
      return {
        id: group.id,
        schoolId: group.school_id,
        status: group.status,
        kind: group.kind,
        name: group.name,
        code: group.code,
        yearGroup: group.year_group,
        subject: group.subject,
        members: members.items,
        total: members.total,
        staffRoles: Object.fromEntries(staff.map((s) => [s.person_id, s.member_role])),
      };
    });

    app.get('/me', { schema: { tags: ['directory'], summary: 'The signed-in person, with what their roles allow' } }, async (request) => {
      const actor = actorOf(request);
      const school = await schoolOf(ctx.db, actor.schoolId);
      const here = ownSchool(actor);
      return {
        personId: actor.personId,
        username: actor.username,
        displayName: actor.displayName,
        roles: [...actor.roles],
        school: { id: school.id, name: school.name },
        childIds: actor.childIds,
        /** Staff and guests must accept their acceptable use agreement before anything else. */
        agreementRequired: await gateRequired(ctx.db, actor.schoolId, actor.personId, ctx.clock()),
        grantableRoles: grantableRoles(actor),
        can: {
          browseDirectory: can(actor, 'directory.browse', here),
          seeStats: can(actor, 'directory.stats', here),
          manageUsers: can(actor, 'user.admin', here),
          importData: can(actor, 'directory.import', here),
          readAudit: can(actor, 'audit.read', here),
          manageSchool: can(actor, 'school.manage', here),
          managePeople: can(actor, 'person.manage', here),
          manageTrust: can(actor, 'trust.manage', here),
        },
      };
    });
  };
}

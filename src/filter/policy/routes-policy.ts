import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { forbidden } from '../../errors/errors.js';
import type { AppContext } from '../../server/context.js';
import { actorOf } from '../../server/http.js';
import { CATEGORIES, LOCKED_CATEGORIES, type CategoryId } from '../categories.js';
import { LEVELS, WINDOW_KINDS, type WindowKind } from '../model.js';
import { listAssignments, setAssignment } from './assignments.js';
import { changesAsCsv, listChanges } from './changes.js';
import { addDevice, addSubnet, deleteDevice, deleteSubnet, listDevices, listSubnets } from './devices.js';
import { CategorySchema, IdParams, Reason, ReasonBody, SchoolQuery, scoped } from './http.js';
import { addListEntry, deleteListEntry, listEntries, listEntryScope } from './lists.js';
import { createProfile, listProfiles, setMatrixCell, updateProfile } from './profiles.js';
import { getSettings, updateSettings } from './settings.js';

const tags = ['filtering'];
const Level = Type.Union(LEVELS.map((l) => Type.Literal(l)));
const WindowKindSchema = Type.Union(WINDOW_KINDS.map((k) => Type.Literal(k)));
const DefaultAction = Type.Union([Type.Literal('allow'), Type.Literal('block')]);
const ListScope = Type.Union([Type.Literal('trust'), Type.Literal('school'), Type.Literal('group'), Type.Literal('person')]);
const Ids = Type.Array(Type.String({ maxLength: 64 }), { maxItems: 500 });

/** Profiles, matrix, assignments, settings, local lists, devices, subnets and the change log. */
export function policyRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/categories', { schema: { tags, summary: 'Content categories', querystring: SchoolQuery } }, async (request) => {
      // Not secret, and staff need them to ask for a category unblock: any signed-in person.
      actorOf(request);
      return CATEGORIES.map((c) => ({ id: c.id, label: c.label, group: c.group, locked: LOCKED_CATEGORIES.includes(c.id) }));
    });

    app.get(
      '/profiles',
      { schema: { tags, summary: 'Profiles with their User Actions matrix', querystring: SchoolQuery } },
      async (request) => {
        const s = await scoped(ctx, request, 'filter.read');
        return listProfiles(ctx.db, s.schoolId, ctx.clock());
      },
    );

    app.post(
      '/profiles',
      {
        schema: {
          tags,
          summary: 'Add a profile',
          querystring: SchoolQuery,
          body: Type.Object({
            key: Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$' }),
            name: Type.String({ minLength: 1, maxLength: 100 }),
            defaultAction: DefaultAction,
            copyFromProfileId: Type.Optional(Type.String({ maxLength: 64 })),
            reason: Reason,
          }),
        },
      },
      async (request, reply) => {
        const s = await scoped(ctx, request, 'filter.manage');
        reply.status(201);
        return createProfile(ctx.db, s.write, request.body);
      },
    );

    app.put(
      '/profiles/:id',
      {
        schema: {
          tags,
          summary: 'Rename a profile or change its default',
          querystring: SchoolQuery,
          params: IdParams,
          body: Type.Object({
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
            defaultAction: Type.Optional(DefaultAction),
            reason: Reason,
          }),
        },
      },
      async (request) => {
        const s = await scoped(ctx, request, 'filter.manage');
        return updateProfile(ctx.db, s.write, request.params.id, request.body);
      },
    );

    app.put(
      '/profiles/:id/matrix/:category',
      {
        schema: {
          tags,
          summary: "Set one cell of a profile's matrix",
          querystring: SchoolQuery,
          params: Type.Object({ id: Type.String({ maxLength: 64 }), category: CategorySchema }),
          body: Type.Object({
            level: Level,
            windows: Type.Optional(Type.Array(WindowKindSchema, { maxItems: 8 })),
            nominatedPersonIds: Type.Optional(Ids),
            nominatedGroupIds: Type.Optional(Ids),
            warn: Type.Optional(Type.Boolean()),
            reason: Reason,
          }),
        },
      },
      async (request) => {
        const s = await scoped(ctx, request, 'filter.manage');
        const { windows, ...rest } = request.body;
        return setMatrixCell(ctx.db, s.write, request.params.id, request.params.category as CategoryId, {
          ...rest,
          windows: windows as WindowKind[] | undefined,
        });
      },
    );

    app.get(
      '/assignments',
      { schema: { tags, summary: 'Explicit profiles of groups and people', querystring: SchoolQuery } },
      async (request) => {
        const s = await scoped(ctx, request, 'filter.read');
        return listAssignments(ctx.db, s.schoolId, ctx.clock());
      },
    );

    app.put(
      '/assignments',
      {
        schema: {
          tags,
          summary: 'Give a group or person a profile, or remove it (profileId null)',
          querystring: SchoolQuery,
          body: Type.Object({
            subjectKind: Type.Union([Type.Literal('group'), Type.Literal('person')]),
            subjectId: Type.String({ maxLength: 64 }),
            profileId: Type.Union([Type.String({ maxLength: 64 }), Type.Null()]),
            reason: Reason,
          }),
        },
      },
      async (request) => {
        const s = await scoped(ctx, request, 'filter.manage');
        return { assignment: await setAssignment(ctx.db, s.write, request.body) };
      },
    );

    app.get('/settings', { schema: { tags, summary: 'Filtering settings', querystring: SchoolQuery } }, async (request) => {
      const s = await scoped(ctx, request, 'filter.read');
      return getSettings(ctx.db, s.schoolId, ctx.clock());
    });

    app.put(
      '/settings',
      {
        schema: {
          tags,
          summary: 'Change the filtering settings',
          querystring: SchoolQuery,
          body: Type.Object({
            timeZone: Type.Optional(Type.String({ maxLength: 64 })),
            fallbackProfileId: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
            alertingCategories: Type.Optional(Type.Array(CategorySchema, { maxItems: 64 })),
            reason: Reason,
          }),
        },
      },
      async (request) => {
        const s = await scoped(ctx, request, 'filter.manage');
        return updateSettings(ctx.db, s.write, request.body);
      },
    );

    app.get(
      '/list-entries',
      {
        schema: {
          tags,
          summary: 'Local allow and block lists of the school and its trust',
          querystring: Type.Object({
            schoolId: Type.Optional(Type.String()),
            scope: Type.Optional(ListScope),
            scopeId: Type.Optional(Type.String()),
          }),
        },
      },
      async (request) => {
        const s = await scoped(ctx, request, 'filter.read');
        return listEntries(ctx.db, s, { scope: request.query.scope, scopeId: request.query.scopeId }, ctx.clock());
      },
    );

    app.post(
      '/list-entries',
      {
        schema: {
          tags,
          summary: 'Add a local allow or block entry',
          querystring: SchoolQuery,
          body: Type.Object({
            scope: ListScope,
            scopeId: Type.Optional(Type.String({ maxLength: 64 })),
            pattern: Type.String({ minLength: 1, maxLength: 2000 }),
            action: Type.Union([Type.Literal('allow'), Type.Literal('block')]),
            category: Type.Optional(CategorySchema),
            note: Type.Optional(Type.String({ maxLength: 500 })),
            reason: Reason,
          }),
        },
      },
      async (request, reply) => {
        const s = await scoped(ctx, request, 'filter.manage');
        if (request.body.scope === 'trust' && !s.actor.roles.has('trust_admin'))
          throw forbidden('Only a trust administrator can change a trust-wide list');
        reply.status(201);
        return addListEntry(ctx.db, s.write, request.body);
      },
    );

    app.post(
      '/list-entries/:id/delete',
      { schema: { tags, summary: 'Remove a local list entry', querystring: SchoolQuery, params: IdParams, body: ReasonBody } },
      async (request) => {
        const s = await scoped(ctx, request, 'filter.manage');
        if ((await listEntryScope(ctx.db, request.params.id)) === 'trust' && !s.actor.roles.has('trust_admin')) {
          throw forbidden('Only a trust administrator can change a trust-wide list');
        }
        await deleteListEntry(ctx.db, s.write, request.params.id, request.body.reason);
        return { ok: true };
      },
    );

    app.get('/devices', { schema: { tags, summary: 'Known devices', querystring: SchoolQuery } }, async (request) => {
      const s = await scoped(ctx, request, 'filter.read');
      return listDevices(ctx.db, s.schoolId, ctx.clock());
    });

    app.post(
      '/devices',
      {
        schema: {
          tags,
          summary: 'Add a device by address',
          querystring: SchoolQuery,
          body: Type.Object({
            name: Type.String({ minLength: 1, maxLength: 100 }),
            address: Type.String({ maxLength: 64 }),
            mac: Type.Optional(Type.String({ maxLength: 32 })),
            personId: Type.Optional(Type.String({ maxLength: 64 })),
            profileId: Type.Optional(Type.String({ maxLength: 64 })),
            reason: Reason,
          }),
        },
      },
      async (request, reply) => {
        const s = await scoped(ctx, request, 'filter.manage');
        reply.status(201);
        return addDevice(ctx.db, s.write, request.body);
      },
    );

    app.post(
      '/devices/:id/delete',
      { schema: { tags, summary: 'Remove a device', querystring: SchoolQuery, params: IdParams, body: ReasonBody } },
      async (request) => {
        const s = await scoped(ctx, request, 'filter.manage');
        await deleteDevice(ctx.db, s.write, request.params.id, request.body.reason);
        return { ok: true };
      },
    );

    app.get('/subnets', { schema: { tags, summary: 'Network ranges mapped to profiles', querystring: SchoolQuery } }, async (request) => {
      const s = await scoped(ctx, request, 'filter.read');
      return listSubnets(ctx.db, s.schoolId, ctx.clock());
    });

    app.post(
      '/subnets',
      {
        schema: {
          tags,
          summary: 'Map a network range to a profile',
          querystring: SchoolQuery,
          body: Type.Object({
            name: Type.String({ minLength: 1, maxLength: 100 }),
            cidr: Type.String({ maxLength: 64 }),
            profileId: Type.String({ maxLength: 64 }),
            reason: Reason,
          }),
        },
      },
      async (request, reply) => {
        const s = await scoped(ctx, request, 'filter.manage');
        reply.status(201);
        return addSubnet(ctx.db, s.write, request.body);
      },
    );

    app.post(
      '/subnets/:id/delete',
      { schema: { tags, summary: 'Remove a subnet', querystring: SchoolQuery, params: IdParams, body: ReasonBody } },
      async (request) => {
        const s = await scoped(ctx, request, 'filter.manage');
        await deleteSubnet(ctx.db, s.write, request.params.id, request.body.reason);
        return { ok: true };
      },
    );

    const ChangesQuery = Type.Object({
      schoolId: Type.Optional(Type.String()),
      from: Type.Optional(Type.String({ maxLength: 40 })),
      to: Type.Optional(Type.String({ maxLength: 40 })),
      entity: Type.Optional(Type.String({ maxLength: 64 })),
      limit: Type.Integer({ minimum: 1, maximum: 5000, default: 200 }),
    });

    app.get('/changes', { schema: { tags, summary: 'The filtering change-control log', querystring: ChangesQuery } }, async (request) => {
      const s = await scoped(ctx, request, 'filter.changelog.read');
      return listChanges(ctx.db, { ...request.query, schoolId: s.schoolId, trustId: s.trustId });
    });

    app.get(
      '/changes.csv',
      { schema: { tags, summary: 'The change-control log as CSV', querystring: ChangesQuery } },
      async (request, reply) => {
        const s = await scoped(ctx, request, 'filter.changelog.read');
        const changes = await listChanges(ctx.db, { ...request.query, schoolId: s.schoolId, trustId: s.trustId });
        const day = ctx.clock().toISOString().slice(0, 10);
        reply.header('content-type', 'text/csv; charset=utf-8');
        reply.header('content-disposition', `attachment; filename="filtering-changes-${day}.csv"`);
        return changesAsCsv(changes);
      },
    );
  };
}

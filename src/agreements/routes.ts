import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { authorize, can, ownSchool } from '../access/policy.js';
import { recordAudit } from '../audit/service.js';
import { AGREEMENT_AUDIENCES, type AgreementAudience } from '../db/tables.js';
import { AppError, notFound } from '../errors/errors.js';
import { bumpPolicyVersion } from '../filter/policy/write.js';
import { reloadFilterNow } from '../filter/runtime/reload-signal.js';
import { createNotifications } from '../notify/service.js';
import { smtpMailer } from '../notify/mailer.js';
import type { AppContext } from '../server/context.js';
import { actorOf, clientOf } from '../server/http.js';
import { agreementCoverage, outstandingCsv } from './coverage.js';
import { forgetAgreementGate } from './gate.js';
import { acceptAgreement, agreementStatus, currentDocuments, MAX_BODY_BYTES, myAgreements, publishVersion } from './service.js';
import { AgreementSettingsSchema, checkRenewOn, loadAgreementSettings, saveAgreementSettings } from './settings.js';

const tags = ['agreements'];
const Audience = Type.Union(AGREEMENT_AUDIENCES.map((a) => Type.Literal(a)));
// PostgreSQL text cannot hold NUL: an id with one is a bad request, not a server error.
const NO_NUL = '^[^\\u0000]*$';
const Id = Type.String({ minLength: 1, maxLength: 64, pattern: NO_NUL });
const CoverageQuery = Type.Object({ audience: Type.Optional(Audience), groupId: Type.Optional(Id) }, { additionalProperties: false });

const AUDIENCE_NAMES: Record<AgreementAudience, string> = {
  ks1: 'Key Stage 1 pupils',
  ks2: 'Key Stage 2 pupils',
  secondary: 'secondary students',
  staff: 'staff and volunteers',
  parent: 'parents and carers',
  community: 'community users and guests',
};

/** Acceptable-use agreements, mounted at /api/agreements. */
export function agreementRoutes(ctx: AppContext): FastifyPluginAsync {
  const plugin: FastifyPluginAsyncTypebox = async (app) => {
    const mailer = smtpMailer(ctx.config.smtp);
    app.addHook('onClose', async () => mailer?.close());

    app.get(
      '/mine',
      { schema: { tags, summary: 'Your current agreement, and your children’s if you are a parent or carer' } },
      async (request) => myAgreements(ctx.db, actorOf(request), ctx.clock()),
    );

    app.post(
      '/accept',
      {
        schema: {
          tags,
          summary: 'Accept an agreement: your own, or your child’s on their behalf',
          body: Type.Object({ documentId: Id, personId: Id }, { additionalProperties: false }),
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const acceptance = await acceptAgreement(ctx.db, actor, request.body, clientOf(request), ctx.clock());
        forgetAgreementGate(ctx, acceptance.personId);
        // The filter lets them through before they are told they may browse.
        await reloadFilterNow(ctx.db);
        return acceptance;
      },
    );

    app.get(
      '/gate',
      {
        schema: {
          tags,
          summary: 'Whether a person must accept their agreement before going further (for the filter’s acceptance page)',
          querystring: Type.Object({ personId: Id }, { additionalProperties: false }),
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const { personId } = request.query;
        const resource = { type: 'person' as const, schoolId: actor.schoolId, trustId: actor.trustId, personId };
        if (!can(actor, 'agreement.accept', resource) && !can(actor, 'agreement.coverage', ownSchool(actor))) {
          throw new AppError('forbidden', 'Your role does not allow this (agreement.coverage)');
        }
        return agreementStatus(ctx.db, actor.schoolId, personId, ctx.clock());
      },
    );

    const canSeeDocuments = (request: Parameters<typeof actorOf>[0]) => {
      const actor = actorOf(request);
      if (!can(actor, 'agreement.manage', ownSchool(actor))) authorize(actor, 'agreement.coverage', ownSchool(actor));
      return actor;
    };

    app.get('/documents', { schema: { tags, summary: 'The current agreement of each audience, with its history' } }, async (request) => {
      const actor = canSeeDocuments(request);
      const current = await currentDocuments(ctx.db, actor.schoolId);
      const versions = await ctx.db
        .selectFrom('agreement_documents')
        .select(['audience', 'version', 'change_note', 'created_at', 'created_by'])
        .where('school_id', '=', actor.schoolId)
        .orderBy('version', 'desc')
        .execute();
      return {
        audiences: AGREEMENT_AUDIENCES.map((audience) => {
          const doc = current.get(audience);
          return {
            audience,
            current: doc
              ? {
                  id: doc.id,
                  version: doc.version,
                  title: doc.title,
                  bodyMd: doc.body_md,
                  changeNote: doc.change_note,
                  createdAt: doc.created_at,
                  createdBy: doc.created_by,
                }
              : null,
            versions: versions
              .filter((v) => v.audience === audience)
              .map((v) => ({ version: v.version, changeNote: v.change_note, createdAt: v.created_at, createdBy: v.created_by })),
          };
        }),
      };
    });

    app.get(
      '/documents/:audience/versions/:version',
      {
        schema: {
          tags,
          summary: 'One version of an audience’s agreement, as it was published',
          params: Type.Object({ audience: Audience, version: Type.Integer({ minimum: 1, maximum: 1_000_000 }) }),
        },
      },
      async (request) => {
        const actor = canSeeDocuments(request);
        const doc = await ctx.db
          .selectFrom('agreement_documents')
          .selectAll()
          .where('school_id', '=', actor.schoolId)
          .where('audience', '=', request.params.audience)
          .where('version', '=', request.params.version)
          .executeTakeFirst();
        if (!doc) throw notFound('Agreement version');
        return {
          id: doc.id,
          audience: doc.audience,
          version: doc.version,
          title: doc.title,
          bodyMd: doc.body_md,
          changeNote: doc.change_note,
          createdAt: doc.created_at,
          createdBy: doc.created_by,
        };
      },
    );

    app.post(
      '/documents/:audience',
      {
        // The body schema caps characters; the service caps bytes, which is what 100 KB means.
        bodyLimit: MAX_BODY_BYTES * 2,
        schema: {
          tags,
          summary: 'Publish a new version of an audience’s agreement: everyone in it must accept again',
          params: Type.Object({ audience: Audience }),
          body: Type.Object(
            {
              title: Type.String({ minLength: 1, maxLength: 200, pattern: NO_NUL }),
              bodyMd: Type.String({ minLength: 1, maxLength: MAX_BODY_BYTES, pattern: NO_NUL }),
              changeNote: Type.String({ maxLength: 2000, pattern: NO_NUL }),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        authorize(actor, 'agreement.manage', ownSchool(actor));
        const doc = await publishVersion(
          ctx.db,
          { schoolId: actor.schoolId, audience: request.params.audience, ...request.body },
          { actor, ip: request.ip },
          ctx.clock(),
        );
        forgetAgreementGate(ctx);
        await reloadFilterNow(ctx.db);
        return reply.status(201).send({
          id: doc.id,
          audience: doc.audience,
          version: doc.version,
          title: doc.title,
          bodyMd: doc.body_md,
          changeNote: doc.change_note,
          createdAt: doc.created_at,
          createdBy: doc.created_by,
        });
      },
    );

    app.get(
      '/coverage',
      { schema: { tags, summary: 'Who has and has not accepted this school year, by group', querystring: CoverageQuery } },
      async (request) => {
        const actor = actorOf(request);
        authorize(actor, 'agreement.coverage', ownSchool(actor));
        const coverage = await agreementCoverage(ctx.db, actor.schoolId, request.query, ctx.clock());
        return { ...coverage, outstanding: coverage.outstanding.map(({ email: _email, ...p }) => p) };
      },
    );

    app.get(
      '/coverage/export.csv',
      { schema: { tags, summary: 'The outstanding list as CSV', querystring: CoverageQuery } },
      async (request, reply) => {
        const actor = actorOf(request);
        authorize(actor, 'agreement.coverage', ownSchool(actor));
        const coverage = await agreementCoverage(ctx.db, actor.schoolId, request.query, ctx.clock());
        await recordAudit(ctx.db, {
          action: 'agreement.coverage_exported',
          actor,
          schoolId: actor.schoolId,
          ip: request.ip,
          details: { ...request.query, rows: coverage.outstanding.length },
          at: ctx.clock(),
        });
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="agreements-outstanding-${coverage.schoolYear}.csv"`)
          .header('cache-control', 'no-store')
          .send(outstandingCsv(coverage));
      },
    );

    app.post(
      '/reminders',
      {
        schema: {
          tags,
          summary: 'Remind everyone outstanding (by e-mail where there is an address, and in the app)',
          body: CoverageQuery,
        },
      },
      async (request) => {
        const actor = actorOf(request);
        authorize(actor, 'agreement.coverage', ownSchool(actor));
        const now = ctx.clock();
        const coverage = await agreementCoverage(ctx.db, actor.schoolId, request.body, now);
        const school = await ctx.db.selectFrom('schools').select('name').where('id', '=', actor.schoolId).executeTakeFirstOrThrow();
        const ks1 = coverage.outstanding.filter((p) => p.audience === 'ks1').map((p) => p.personId);
        const parents = ks1.length
          ? await ctx.db
              .selectFrom('guardians as g')
              .innerJoin('people as p', 'p.id', 'g.parent_id')
              .select(['g.student_id', 'p.id', 'p.email'])
              .where('g.student_id', 'in', ks1)
              .where('p.status', '=', 'active')
              .execute()
          : [];
        const link = `${(ctx.config.web.publicUrl ?? '').replace(/\/$/, '')}/agreements/mine`;
        let sent = 0;
        let noEmail = 0;
        for (const person of coverage.outstanding) {
          // A Key Stage 1 pupil's agreement is for a parent to accept, so the reminder goes to them.
          const recipients =
            person.audience === 'ks1'
              ? parents.filter((g) => g.student_id === person.personId).map((g) => ({ id: g.id, email: g.email }))
              : [{ id: person.personId, email: person.email }];
          const forChild = person.audience === 'ks1';
          const title = forChild ? `Please accept ${person.name}'s acceptable use agreement` : 'Please accept the acceptable use agreement';
          const body = forChild
            ? `${school.name} asks you to read the computer rules with ${person.name} and accept them on their behalf.`
            : `${school.name} asks you to read and accept the acceptable use agreement for ${AUDIENCE_NAMES[person.audience]}.`;
          await createNotifications(ctx.db, {
            schoolId: actor.schoolId,
            recipientIds: recipients.map((r) => r.id),
            kind: 'agreement.reminder',
            title,
            body,
            link: '/agreements/mine',
            at: now,
          });
          const emails = [...new Set(recipients.map((r) => r.email).filter((e): e is string => Boolean(e)))];
          if (emails.length === 0 || !mailer) {
            noEmail++;
            continue;
          }
          for (const to of emails) {
            await mailer.send({
              to,
              subject: `${title} (${school.name})`,
              text: ctx.config.web.publicUrl
                ? `${body}\n\nRead and accept it here: ${link}\n`
                : `${body}\n\nSign in to Tutela and open Agreements.\n`,
            });
          }
          sent++;
        }
        await recordAudit(ctx.db, {
          action: 'agreement.reminders_sent',
          actor,
          schoolId: actor.schoolId,
          ip: request.ip,
          details: { ...request.body, outstanding: coverage.outstanding.length, sent, noEmail },
          at: now,
        });
        return { sent, noEmail };
      },
    );

    app.get(
      '/settings',
      { schema: { tags, summary: 'The yearly renewal date and whether the web filter holds people who have not accepted' } },
      async (request) => {
        const actor = actorOf(request);
        authorize(actor, 'agreement.manage', ownSchool(actor));
        return loadAgreementSettings(ctx.db, actor.schoolId);
      },
    );

    app.put(
      '/settings',
      {
        schema: {
          tags,
          summary: 'Set the yearly renewal date (MM-DD) and whether the web filter holds people who have not accepted',
          body: AgreementSettingsSchema,
        },
      },
      async (request) => {
        const actor = actorOf(request);
        authorize(actor, 'agreement.manage', ownSchool(actor));
        checkRenewOn(request.body.renewOn);
        const now = ctx.clock();
        const before = await loadAgreementSettings(ctx.db, actor.schoolId);
        const after = { ...before, ...request.body };
        await ctx.db.transaction().execute(async (trx) => {
          // Both settings change who the filter holds: it recompiles at its next poll. The version
          // first, as every policy change does: one lock order, so no two transactions deadlock.
          await bumpPolicyVersion(trx, [actor.schoolId], now);
          await saveAgreementSettings(trx, actor.schoolId, after, actor.personId, now);
          await recordAudit(trx, {
            action: 'agreement.settings_changed',
            actor,
            schoolId: actor.schoolId,
            ip: request.ip,
            details: { from: before, to: after },
            at: now,
          });
        });
        forgetAgreementGate(ctx);
        await reloadFilterNow(ctx.db);
        return loadAgreementSettings(ctx.db, actor.schoolId);
      },
    );
  };
  return plugin as FastifyPluginAsync;
}

import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { type Actor, authorize, ownSchool } from '../access/policy.js';
import { TRAINING_KINDS, type TrainingRecordTable } from '../db/tables.js';
import { AppError } from '../errors/errors.js';
import { smtpMailer } from '../notify/mailer.js';
import type { AppContext } from '../server/context.js';
import { actorOf } from '../server/http.js';
import { importTraining } from './import.js';
import { sendReminders } from './reminders.js';
import { schoolToday } from './rules.js';
import { overdueReport } from './overdue.js';
import { assertTrainee, loadTrainee } from './people.js';
import { createRecord, deleteRecord, loadRecord, personTraining, updateRecord } from './service.js';

const tags = ['training'];
// PostgreSQL text cannot hold NUL: one in an id or a field is a bad request, not a server error.
const NO_NUL = '^[^\\u0000]*$';
const Id = Type.String({ minLength: 1, maxLength: 64, pattern: NO_NUL });
const Kind = Type.Union(TRAINING_KINDS.map((k) => Type.Literal(k)));
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
const RecordFields = {
  kind: Kind,
  title: Type.String({ minLength: 1, maxLength: 200, pattern: NO_NUL }),
  provider: Type.String({ minLength: 1, maxLength: 200, pattern: NO_NUL }),
  completedOn: IsoDate,
  expiresOn: Type.Optional(Type.Union([IsoDate, Type.Null()])),
  evidence: Type.Optional(Type.Union([Type.String({ maxLength: 2000, pattern: NO_NUL }), Type.Null()])),
};
/** CSV text travels in JSON; a school's whole staff list is far below this. */
const MAX_CSV_CHARS = 500_000;

/**
 * E-safety training of staff and governors, mounted at /api/training: each person's records
 * and status, "who is overdue" by team, CSV import and reminders. Every per-person route
 * authorises on that person's record, so school scope and "your own record" are checked once.
 */
export function trainingRoutes(ctx: AppContext): FastifyPluginAsync {
  const plugin: FastifyPluginAsyncTypebox = async (app) => {
    const mailer = smtpMailer(ctx.config.smtp);
    app.addHook('onClose', async () => mailer?.close());
    const who = (request: FastifyRequest, actor: Actor) => {
      const now = ctx.clock();
      return { actor, ip: request.ip ?? null, now, today: schoolToday(now) };
    };
    /** Loads a person and checks the action on their record; students and parents have none. */
    const traineeFor = async (actor: Actor, personId: string, action: 'training.read' | 'training.manage') => {
      const person = await loadTrainee(ctx.db, personId);
      authorize(actor, action, { type: 'person', schoolId: person.school_id, trustId: person.trust_id, personId });
      assertTrainee(person);
      return person;
    };
    const recordFor = async (actor: Actor, id: string): Promise<TrainingRecordTable> => {
      const record = await loadRecord(ctx.db, id);
      await traineeFor(actor, record.person_id, 'training.manage');
      return record;
    };

    app.get(
      '/people/:id',
      { schema: { tags, summary: "A person's training records and status per required kind", params: Type.Object({ id: Id }) } },
      async (request) => {
        const actor = actorOf(request);
        const person = await traineeFor(actor, request.params.id, 'training.read');
        return personTraining(ctx.db, person, schoolToday(ctx.clock()));
      },
    );

    app.get(
      '/overdue',
      {
        schema: {
          tags,
          summary: 'Who is overdue or due soon, in total and by team',
          querystring: Type.Object({ teamId: Type.Optional(Id), kind: Type.Optional(Kind) }),
        },
      },
      async (request) => {
        const actor = actorOf(request);
        // Scope is the school, so only the roles pass here: "your own record" is per person.
        authorize(actor, 'training.read', ownSchool(actor));
        const { contacts: _contacts, ...report } = await overdueReport(ctx.db, actor.schoolId, schoolToday(ctx.clock()), request.query);
        return report;
      },
    );

    app.post(
      '/records',
      {
        schema: {
          tags,
          summary: 'Record a course for a member of staff or a governor',
          body: Type.Object({ personId: Id, ...RecordFields }),
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const person = await traineeFor(actor, request.body.personId, 'training.manage');
        if (person.status !== 'active') throw new AppError('bad_request', 'That person has left the school.');
        return createRecord(ctx.db, person.school_id, person.id, request.body, who(request, actor));
      },
    );

    app.put(
      '/records/:id',
      { schema: { tags, summary: 'Correct a training record', params: Type.Object({ id: Id }), body: Type.Object(RecordFields) } },
      async (request) => {
        const actor = actorOf(request);
        const record = await recordFor(actor, request.params.id);
        return updateRecord(ctx.db, record, request.body, who(request, actor));
      },
    );

    app.post(
      '/records/:id/delete',
      { schema: { tags, summary: 'Delete a training record entered in error', params: Type.Object({ id: Id }) } },
      async (request) => {
        const actor = actorOf(request);
        const record = await recordFor(actor, request.params.id);
        await deleteRecord(ctx.db, record, who(request, actor));
        return { deleted: record.id };
      },
    );

    app.post(
      '/import',
      {
        schema: {
          tags,
          summary: 'Import (or dry-run) training records from CSV',
          description:
            'Columns person (username, e-mail or MIS id), kind, title, provider, completed, expires, evidence. All or nothing: any bad row rejects the file with 422 and the report, with each row error, in `details`.',
          body: Type.Object({ csv: Type.String({ minLength: 1, maxLength: MAX_CSV_CHARS }), dryRun: Type.Optional(Type.Boolean()) }),
        },
      },
      async (request) => {
        const actor = actorOf(request);
        authorize(actor, 'training.manage', ownSchool(actor));
        const w = who(request, actor);
        const report = await importTraining(ctx.db, actor.schoolId, request.body.csv, { ...w, dryRun: request.body.dryRun ?? false });
        if (report.status === 'rejected') {
          const n = report.errors.length;
          throw new AppError('invalid_csv', `${n} ${n === 1 ? 'row has a problem' : 'rows have problems'}; nothing was imported.`, report);
        }
        return report;
      },
    );

    app.post(
      '/reminders',
      {
        schema: {
          tags,
          summary: 'Remind everyone overdue or due soon, by e-mail and in the app',
          body: Type.Object({ teamId: Type.Optional(Id) }),
        },
      },
      async (request) => {
        const actor = actorOf(request);
        authorize(actor, 'training.manage', ownSchool(actor));
        const w = who(request, actor);
        const base = ctx.config.web.publicUrl?.replace(/\/$/, '') ?? '';
        return sendReminders(ctx.db, mailer, {
          ...w,
          schoolId: actor.schoolId,
          teamId: request.body.teamId,
          link: `${base}/agreements/training`,
          onError: (err) => request.log.error({ err }, 'could not e-mail a training reminder'),
        });
      },
    );
  };
  return plugin as FastifyPluginAsync;
}

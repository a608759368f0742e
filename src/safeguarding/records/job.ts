import type { Kysely } from 'kysely';
import { recordAudit } from '../../audit/service.js';
import { newId } from '../../db/ids.js';
import type { Actor } from '../../access/policy.js';
import type { DB } from '../../db/tables.js';
import type { AppContext } from '../../server/context.js';
import { permittedIncidents } from '../access.js';
import { isDue, RECORD_TYPES, type RecordType, type RetentionDecision, retentionDecision, rulesInForce } from './rules.js';

/** Who ran the job: a signed-in user, the command line, or the schedule (`retention-job`). */
export interface RetentionRunner {
  username: string;
  accountId: string | null;
  personId: string | null;
}

export const SCHEDULE_RUNNER: RetentionRunner = { username: 'retention-job', accountId: null, personId: null };

export interface DueIncident extends RetentionDecision {
  id: string;
  schoolId: string;
  reference: string;
  category: string;
  closedAt: string | null;
}

export interface SchoolRun {
  schoolId: string;
  runId: string | null;
  archived: DueIncident[];
  counts: Record<RecordType, number>;
}

export interface RetentionRunResult {
  dryRun: boolean;
  ranAt: string;
  ranBy: string;
  schools: SchoolRun[];
}

/** Closed, unarchived incidents of a school with their retention decision, oldest first. */
async function decisionsFor(db: Kysely<DB>, schoolId: string, rules: AppContext['config']['retention']): Promise<DueIncident[]> {
  const incidents = await db
    .selectFrom('incidents')
    .select(['id', 'school_id', 'reference', 'category', 'subject_kind', 'status', 'closed_at', 'archived_at'])
    .where('school_id', '=', schoolId)
    .where('status', '=', 'closed')
    .where('archived_at', 'is', null)
    .orderBy('closed_at')
    .orderBy('reference')
    .execute();
  if (incidents.length === 0) return [];
  // Joined rather than listed by id, so a school with a long history never hits a parameter limit.
  const births = await db
    .selectFrom('incident_people')
    .innerJoin('people', 'people.id', 'incident_people.person_id')
    .innerJoin('incidents', 'incidents.id', 'incident_people.incident_id')
    .select(['incident_people.incident_id', 'people.date_of_birth'])
    .where('incident_people.role', '=', 'subject')
    .where('people.kind', '=', 'student')
    .where('incidents.school_id', '=', schoolId)
    .where('incidents.status', '=', 'closed')
    .where('incidents.archived_at', 'is', null)
    .execute();
  const birthsOf = new Map<string, (string | null)[]>();
  for (const b of births) birthsOf.set(b.incident_id, [...(birthsOf.get(b.incident_id) ?? []), b.date_of_birth]);
  return incidents.map((i) => {
    const decision = retentionDecision(
      {
        subjectKind: i.subject_kind,
        category: i.category,
        status: i.status,
        closedAt: i.closed_at,
        archivedAt: i.archived_at,
        studentSubjectBirthDates: birthsOf.get(i.id) ?? [],
      },
      rules,
    );
    return { ...decision, id: i.id, schoolId: i.school_id, reference: i.reference, category: i.category, closedAt: i.closed_at };
  });
}

/** What the job would archive in a school now. */
export async function dueForArchiving(ctx: AppContext, schoolId: string): Promise<DueIncident[]> {
  const now = ctx.clock();
  const all = await decisionsFor(ctx.db, schoolId, ctx.config.retention);
  return all.filter((d) => isDue({ archivedAt: null }, d, now));
}

const zeroCounts = (): Record<RecordType, number> => Object.fromEntries(RECORD_TYPES.map((t) => [t, 0])) as Record<RecordType, number>;

const countsOf = (incidents: readonly DueIncident[]) => {
  const counts = zeroCounts();
  for (const i of incidents) counts[i.recordType] += 1;
  return counts;
};

/**
 * Archives one incident, its chronology entry and its audit entry together. Returns false when
 * another run (a second web node) archived it first.
 */
async function archiveOne(db: Kysely<DB>, due: DueIncident, by: RetentionRunner, at: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('incidents')
      .set({ archived_at: at, archive_reason: due.reason, updated_at: at })
      .where('id', '=', due.id)
      .where('archived_at', 'is', null)
      .where('status', '=', 'closed')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return false;
    await trx
      .insertInto('incident_entries')
      .values({
        id: newId(),
        incident_id: due.id,
        kind: 'archived',
        body: `Archived by ${by.username === SCHEDULE_RUNNER.username ? 'the retention job' : by.username}: ${due.reason}. Nothing was deleted.`,
        details: JSON.stringify({ recordType: due.recordType, dueAt: due.dueAt, basis: due.basis }),
        author_person_id: by.personId,
        created_at: at,
      })
      .execute();
    await recordAudit(trx, {
      action: 'incident.archived',
      actor: by.accountId ? { accountId: by.accountId, username: by.username } : null,
      targetType: 'incident',
      targetId: due.id,
      schoolId: due.schoolId,
      details: { ranBy: by.username, recordType: due.recordType, dueAt: due.dueAt, reason: due.reason },
      at: new Date(at),
    });
    return true;
  });
}

/**
 * The retention job: archives every closed incident past its retention date, in one school or
 * in all of them. Each incident is archived in its own transaction with its chronology entry
 * and audit entry; each school's run is recorded in retention_runs with counts per record type.
 * It never deletes anything: destroying a record at the end of its period is a separate
 * decision for people (docs/safeguarding/records.md). A dry run writes nothing.
 *
 * @example
 *   const result = await runRetention(ctx, { by: SCHEDULE_RUNNER, dryRun: false });
 */
export async function runRetention(
  ctx: AppContext,
  options: { schoolId?: string; by: RetentionRunner; dryRun: boolean },
): Promise<RetentionRunResult> {
  const ranAt = ctx.clock().toISOString();
  let schoolQuery = ctx.db.selectFrom('schools').select('id').orderBy('created_at').orderBy('id');
  if (options.schoolId) schoolQuery = schoolQuery.where('id', '=', options.schoolId);
  const schools = await schoolQuery.execute();
  const result: RetentionRunResult = { dryRun: options.dryRun, ranAt, ranBy: options.by.username, schools: [] };
  for (const school of schools) {
    const due = await dueForArchiving(ctx, school.id);
    const counts = zeroCounts();
    if (options.dryRun) {
      for (const d of due) counts[d.recordType] += 1;
      result.schools.push({ schoolId: school.id, runId: null, archived: due, counts });
      continue;
    }
    const archived: DueIncident[] = [];
    for (const d of due) {
      if (!(await archiveOne(ctx.db, d, options.by, ranAt))) continue;
      archived.push(d);
      counts[d.recordType] += 1;
    }
    const runId = newId();
    await ctx.db
      .insertInto('retention_runs')
      .values({
        id: runId,
        school_id: school.id,
        ran_at: ranAt,
        ran_by: options.by.username,
        archived: archived.length,
        details: JSON.stringify({
          counts,
          rules: rulesInForce(ctx.config.retention),
          incidents: archived.map((a) => ({ id: a.id, reference: a.reference, recordType: a.recordType, dueAt: a.dueAt })),
        }),
      })
      .execute();
    result.schools.push({ schoolId: school.id, runId, archived, counts });
  }
  return result;
}

export interface PastRun {
  id: string;
  ranAt: string;
  ranBy: string;
  archived: number;
  counts: Record<RecordType, number>;
}

/** A school's latest runs, newest first. */
export async function pastRuns(db: Kysely<DB>, schoolId: string, limit = 20): Promise<PastRun[]> {
  const rows = await db
    .selectFrom('retention_runs')
    .selectAll()
    .where('school_id', '=', schoolId)
    .orderBy('ran_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => {
    const details = JSON.parse(r.details) as { counts?: Record<RecordType, number> };
    return { id: r.id, ranAt: r.ran_at, ranBy: r.ran_by, archived: r.archived, counts: { ...zeroCounts(), ...details.counts } };
  });
}

export interface RetentionStatus {
  rules: ReturnType<typeof rulesInForce>;
  /** Due now; for a signed-in user, only those they may read. */
  due: DueIncident[];
  dueCounts: Record<RecordType, number>;
  archivedCount: number;
  runs: PastRun[];
}

/**
 * The incidents of a list the actor may read. The job archives the whole school, but a DSL
 * running it is not shown the references of staff incidents (only HR and the head read
 * those): the counts per record type still tell them how many there were.
 */
export async function readableBy<T extends { id: string }>(db: Kysely<DB>, actor: Actor, incidents: readonly T[]): Promise<T[]> {
  if (incidents.length === 0) return [];
  const rows = await db
    .selectFrom('incidents')
    .selectAll()
    .where(
      'id',
      'in',
      incidents.map((i) => i.id),
    )
    .execute();
  const allowed = new Set((await permittedIncidents(db, actor, 'incident.read', rows)).map((r) => r.id));
  return incidents.filter((i) => allowed.has(i.id));
}

/** What the retention page shows: the periods in force, what is due now, and past runs. */
export async function retentionStatus(ctx: AppContext, schoolId: string, actor?: Actor): Promise<RetentionStatus> {
  const due = await dueForArchiving(ctx, schoolId);
  const archived = await ctx.db
    .selectFrom('incidents')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('school_id', '=', schoolId)
    .where('archived_at', 'is not', null)
    .executeTakeFirstOrThrow();
  return {
    rules: rulesInForce(ctx.config.retention),
    due: actor ? await readableBy(ctx.db, actor, due) : due,
    dueCounts: countsOf(due),
    archivedCount: Number(archived.n),
    runs: await pastRuns(ctx.db, schoolId),
  };
}

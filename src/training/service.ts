import type { Kysely } from 'kysely';
import type { Actor } from '../access/policy.js';
import { recordAudit } from '../audit/service.js';
import { newId } from '../db/ids.js';
import type { DB, TrainingKind, TrainingRecordTable } from '../db/tables.js';
import { AppError, notFound } from '../errors/errors.js';
import { personName } from '../directory/names.js';
import { type Trainee, teamNames, teamsOf } from './people.js';
import { datesProblem, personStatus } from './rules.js';
import type { TrainingRecordView } from './wire.js';

export type { TrainingRecordView };

export interface RecordInput {
  kind: TrainingKind;
  title: string;
  provider: string;
  completedOn: string;
  expiresOn?: string | null;
  evidence?: string | null;
}

interface Who {
  actor: Pick<Actor, 'accountId' | 'username'>;
  ip: string | null;
  now: Date;
  today: string;
}

const recordView = (r: TrainingRecordTable): TrainingRecordView => ({
  id: r.id,
  personId: r.person_id,
  kind: r.kind,
  title: r.title,
  provider: r.provider,
  completedOn: r.completed_on,
  expiresOn: r.expires_on,
  evidence: r.evidence,
  createdAt: r.created_at,
  imported: r.import_id !== null,
});

/** One person's records, newest first, and the state of each kind they must hold. */
export async function personTraining(db: Kysely<DB>, person: Trainee, today: string) {
  const personId = person.id;
  const [records, roles, teams] = await Promise.all([
    db.selectFrom('training_records').selectAll().where('person_id', '=', personId).execute(),
    db.selectFrom('person_roles').select('role').where('person_id', '=', personId).execute(),
    teamsOf(db, person.school_id, [personId]),
  ]);
  const isDsl = roles.some((r) => r.role === 'dsl');
  const status = personStatus(isDsl, records, today);
  records.sort((a, b) => b.completed_on.localeCompare(a.completed_on) || b.created_at.localeCompare(a.created_at));
  return {
    person: {
      id: person.id,
      name: personName(person),
      kind: person.kind,
      isDsl,
      teams: teamNames(person.kind, teams.get(personId)),
    },
    today,
    state: status.state,
    status: status.kinds,
    records: records.map(recordView),
  };
}

function checkDates(input: RecordInput, today: string): { completedOn: string; expiresOn: string | null } {
  const expiresOn = input.expiresOn || null;
  const problem = datesProblem(input.completedOn, expiresOn, today);
  if (problem) throw new AppError('validation_failed', `${problem[0]!.toUpperCase()}${problem.slice(1)}.`);
  return { completedOn: input.completedOn, expiresOn };
}

const clean = (value: string | null | undefined) => {
  const v = value?.trim();
  return v ? v : null;
};

/** Records one course for a member of staff or governor; audited in the same transaction. */
export async function createRecord(db: Kysely<DB>, schoolId: string, personId: string, input: RecordInput, who: Who) {
  const { completedOn, expiresOn } = checkDates(input, who.today);
  const row: TrainingRecordTable = {
    id: newId(),
    school_id: schoolId,
    person_id: personId,
    kind: input.kind,
    title: input.title.trim(),
    provider: input.provider.trim(),
    completed_on: completedOn,
    expires_on: expiresOn,
    evidence: clean(input.evidence),
    created_at: who.now.toISOString(),
    created_by: who.actor.accountId,
    import_id: null,
  };
  if (!row.title || !row.provider) throw new AppError('validation_failed', 'A title and a provider are needed.');
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('training_records').values(row).execute();
    await recordAudit(trx, {
      action: 'training.record.create',
      actor: who.actor,
      targetType: 'person',
      targetId: personId,
      schoolId,
      ip: who.ip,
      details: { recordId: row.id, kind: row.kind, title: row.title, completedOn, expiresOn },
      at: who.now,
    });
  });
  return recordView(row);
}

export async function loadRecord(db: Kysely<DB>, id: string) {
  const row = await db.selectFrom('training_records').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Training record');
  return row;
}

/** Corrects a record in place; the audit entry keeps what it said before. */
export async function updateRecord(db: Kysely<DB>, before: TrainingRecordTable, input: RecordInput, who: Who) {
  const { completedOn, expiresOn } = checkDates(input, who.today);
  const changes = {
    kind: input.kind,
    title: input.title.trim(),
    provider: input.provider.trim(),
    completed_on: completedOn,
    expires_on: expiresOn,
    evidence: clean(input.evidence),
  };
  if (!changes.title || !changes.provider) throw new AppError('validation_failed', 'A title and a provider are needed.');
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('training_records').set(changes).where('id', '=', before.id).execute();
    await recordAudit(trx, {
      action: 'training.record.update',
      actor: who.actor,
      targetType: 'person',
      targetId: before.person_id,
      schoolId: before.school_id,
      ip: who.ip,
      details: { recordId: before.id, before: recordView(before), after: changes },
      at: who.now,
    });
  });
  return recordView({ ...before, ...changes });
}

export async function deleteRecord(db: Kysely<DB>, before: TrainingRecordTable, who: Who): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('training_records').where('id', '=', before.id).execute();
    await recordAudit(trx, {
      action: 'training.record.delete',
      actor: who.actor,
      targetType: 'person',
      targetId: before.person_id,
      schoolId: before.school_id,
      ip: who.ip,
      details: { record: recordView(before) },
      at: who.now,
    });
  });
}

import type { Insertable, Kysely } from 'kysely';
import { newId } from '../db/ids.js';
import type { DB, TrainingKind, TrainingRecordTable } from '../db/tables.js';
import type { DemoPlan, PlannedPerson } from '../demo/types.js';
import { addDays, addYears } from './rules.js';

/**
 * Training records for the demo school's staff and governors, so the overdue list and the
 * governors' report show a school mid-year rather than one that has trained nobody. Dates are
 * counted back from the day the demo is made, and who is overdue is chosen by place in the plan,
 * so a seed always gives the same figures: most are up to date from the September training day,
 * about one in nine missed this year's refresher, about one in twelve is due within the month.
 */
export async function recordDemoTraining(
  db: Kysely<DB>,
  plan: DemoPlan,
  schoolId: string,
  ids: Map<PlannedPerson, string>,
  today: string,
): Promise<void> {
  const septemberFirst = `${today.slice(5) >= '09-01' ? today.slice(0, 4) : Number(today.slice(0, 4)) - 1}-09-01`;
  // The training day is the first weekday of term; on the day itself the demo uses the day before's records.
  const trainingDay = septemberFirst < today ? addDays(septemberFirst, 1) : addYears(septemberFirst, -1);
  const accounts = new Set(plan.accounts.map((a) => a.person));
  const rows: Insertable<TrainingRecordTable>[] = [];
  const record = (personId: string, kind: TrainingKind, title: string, provider: string, completedOn: string) =>
    rows.push({
      id: newId(),
      school_id: schoolId,
      person_id: personId,
      kind,
      title,
      provider,
      completed_on: completedOn,
      expires_on: null,
      evidence: null,
      created_at: new Date(`${today}T12:00:00Z`).toISOString(),
      created_by: null,
      import_id: null,
    });

  plan.people.forEach((person, index) => {
    const id = ids.get(person);
    if (!id || (person.kind !== 'staff' && person.kind !== 'governor')) return;
    const governor = person.kind === 'governor';
    record(
      id,
      'induction',
      governor ? 'Governor induction: safeguarding and online safety' : 'Staff induction: online safety',
      'Riverside Academy',
      addYears(trainingDay, -2 - (index % 4)),
    );
    // Every demo account is kept up to date, so signing in as one shows a clean record.
    const lapsed = !accounts.has(person) && index % 9 === 4;
    const dueSoon = !accounts.has(person) && index % 12 === 7;
    const refresher = lapsed ? addYears(trainingDay, -1) : dueSoon ? addDays(addYears(today, -1), 20) : trainingDay;
    record(
      id,
      'annual_refresher',
      governor ? 'Online safety update for governors' : 'Annual online safety refresher',
      governor ? 'National Governance Association' : 'Riverside Academy',
      refresher,
    );
    if (person.roles.includes('dsl'))
      record(id, 'dsl', 'Designated safeguarding lead training', 'Local safeguarding partnership', addYears(trainingDay, -1));
  });
  // SQLite caps the parameters of one statement, so the rows go in batches.
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('training_records')
      .values(rows.slice(i, i + 500))
      .execute();
}

import type { Kysely } from 'kysely';
import { newId } from '../db/ids.js';
import type { DB } from '../db/tables.js';
import type { DemoPlan, PlannedPerson } from '../demo/types.js';
import { audienceOf, currentDocuments, publishDefaultAgreements } from './service.js';
import { loadAgreementSettings, schoolYearOf } from './settings.js';

/** The demo account left to accept on the day, so `demo.parent` can accept for them. */
const LEFT_FOR_THE_DEMO = new Set(['demo.student7']);

/**
 * Publishes the default agreements in the demo school and records this year's acceptances for
 * about six in seven people, chosen by their place in the plan so a seed always gives the same
 * figures. Every demo account has accepted except `demo.student7`; a staff account made later
 * has not, so it meets the accept page.
 */
export async function recordDemoAcceptances(
  db: Kysely<DB>,
  plan: DemoPlan,
  schoolId: string,
  ids: Map<PlannedPerson, string>,
  now: Date,
): Promise<void> {
  await publishDefaultAgreements(db, schoolId, now);
  const docs = await currentDocuments(db, schoolId);
  const year = schoolYearOf(now, (await loadAgreementSettings(db, schoolId)).renewOn);
  const accounts = new Map(plan.accounts.map((a) => [a.person, a.username]));
  const rows = plan.people.flatMap((person, index) => {
    const username = accounts.get(person);
    if (username ? LEFT_FOR_THE_DEMO.has(username) : index % 7 === 3) return [];
    const audience = audienceOf({ kind: person.kind, year_group: person.yearGroup ?? null });
    const doc = audience ? docs.get(audience) : undefined;
    const id = ids.get(person);
    // A Key Stage 1 pupil's agreement is a parent's to accept, so none is made up for them.
    if (!audience || audience === 'ks1' || !doc || !id) return [];
    return [
      {
        id: newId(),
        school_id: schoolId,
        document_id: doc.id,
        audience,
        version: doc.version,
        person_id: id,
        accepted_by: id,
        on_behalf: 0,
        accepted_at: now.toISOString(),
        address: null,
        device: null,
        school_year: year,
      },
    ];
  });
  // SQLite caps the parameters of one statement, so the rows go in batches.
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('agreement_acceptances')
      .values(rows.slice(i, i + 500))
      .execute();
}

import { newId } from '../../db/ids.js';
import type { IncidentTable } from '../../db/tables.js';
import type { AppContext } from '../../server/context.js';

let sequence = 0;

/**
 * Inserts an incident as the concerns routes would, so the response routes can be tested on
 * their own. Subjects are listed first; witnesses are there to prove they never leak.
 */
export async function insertIncident(
  ctx: AppContext,
  input: {
    schoolId: string;
    reportedBy: string;
    subjectKind: IncidentTable['subject_kind'];
    subjects: string[];
    witnesses?: string[];
    category?: string;
    urgency?: IncidentTable['urgency'];
  },
): Promise<{ id: string; reference: string }> {
  const id = newId();
  const now = ctx.clock().toISOString();
  sequence += 1;
  const reference = `INC-TEST-${String(sequence).padStart(4, '0')}`;
  await ctx.db
    .insertInto('incidents')
    .values({
      id,
      school_id: input.schoolId,
      reference,
      subject_kind: input.subjectKind,
      category: input.category ?? 'cyberbullying',
      incident_type: null,
      urgency: input.urgency ?? 'medium',
      status: 'open',
      summary: 'Unkind messages in a group chat',
      occurred_at: now,
      location: 'in_school',
      reported_by: input.reportedBy,
      reporter_kind: 'staff',
      outcome: null,
      closed_by: null,
      closed_at: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  const people = [
    ...input.subjects.map((person_id) => ({ incident_id: id, person_id, role: 'subject' as const })),
    ...(input.witnesses ?? []).map((person_id) => ({ incident_id: id, person_id, role: 'witness' as const })),
  ];
  await ctx.db.insertInto('incident_people').values(people).execute();
  return { id, reference };
}

export { type SafeguardingWorld as ResponseWorld, safeguardingWorld as responseWorld } from '../testing.js';

import type { Kysely } from 'kysely';
import { newId } from '../../db/ids.js';
import type { DB, IncidentEntryTable } from '../../db/tables.js';

/** Appends one line to the incident's chronology; entries are never changed afterwards. */
export async function appendEntry(
  db: Kysely<DB>,
  entry: {
    incidentId: string;
    kind: IncidentEntryTable['kind'];
    body: string;
    details?: Record<string, unknown>;
    authorPersonId: string | null;
    at: Date;
  },
): Promise<void> {
  await db
    .insertInto('incident_entries')
    .values({
      id: newId(),
      incident_id: entry.incidentId,
      kind: entry.kind,
      body: entry.body,
      details: entry.details ? JSON.stringify(entry.details) : null,
      author_person_id: entry.authorPersonId,
      created_at: entry.at.toISOString(),
    })
    .execute();
}

import type { Kysely } from 'kysely';

// Self-contained: typed against Kysely<any> so it never depends on today's application types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('incidents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    // A short human reference, unique per school: INC-2026-0042.
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('subject_kind', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('incident_type', 'text')
    .addColumn('urgency', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('location', 'text', (c) => c.notNull())
    .addColumn('reported_by', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('reporter_kind', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('closed_by', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('incidents_school_reference', ['school_id', 'reference'])
    .execute();
  await db.schema.createIndex('incidents_school_status').on('incidents').columns(['school_id', 'status', 'created_at']).execute();

  // The people an incident is about, or who were harmed or saw it.
  await db.schema
    .createTable('incident_people')
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('incident_people_pk', ['incident_id', 'person_id', 'role'])
    .execute();
  await db.schema.createIndex('incident_people_person').on('incident_people').column('person_id').execute();

  // Append-only chronology: the report, corrections, notes, status changes. Never updated.
  await db.schema
    .createTable('incident_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('details', 'text')
    .addColumn('author_person_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('incident_entries_incident').on('incident_entries').columns(['incident_id', 'created_at']).execute();

  // Links to filter activity events and (later) monitoring alerts.
  await db.schema
    .createTable('incident_links')
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('ref_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('incident_links_pk', ['incident_id', 'kind', 'ref_id'])
    .execute();

  await db.schema
    .createTable('incident_actions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('suggested', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('due_at', 'text')
    .addColumn('note', 'text')
    .addColumn('done_by', 'text')
    .addColumn('done_at', 'text')
    .addColumn('sanction_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('incident_actions_incident').on('incident_actions').columns(['incident_id', 'status']).execute();

  // The school's actions-and-sanctions matrix (seed 002 by default), per audience and incident type.
  await db.schema
    .createTable('incident_matrix')
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('incident_type', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('actions', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('incident_matrix_pk', ['school_id', 'audience', 'incident_type'])
    .execute();

  await db.schema
    .createTable('incident_parent_contacts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('student_id', 'text', (c) => c.notNull())
    .addColumn('parent_person_id', 'text')
    .addColumn('parent_name', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('contacted_at', 'text', (c) => c.notNull())
    .addColumn('contacted_by', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('incident_parent_contacts_incident').on('incident_parent_contacts').column('incident_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'incident_parent_contacts',
    'incident_matrix',
    'incident_actions',
    'incident_links',
    'incident_entries',
    'incident_people',
    'incidents',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}

import type { Kysely } from 'kysely';

// Self-contained: typed against Kysely<any> so it never depends on today's application types.
export async function up(db: Kysely<any>): Promise<void> {
  // Set at logging or in the investigation: it forbids image and video evidence outright.
  await db.schema
    .alterTable('incidents')
    .addColumn('suspected_csam', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // Retention archives instead of deleting: the record leaves working lists but stays whole.
  await db.schema.alterTable('incidents').addColumn('archived_at', 'text').execute();
  await db.schema.alterTable('incidents').addColumn('archive_reason', 'text').execute();

  // "The form" of seeds 000 and 002: one per incident.
  await db.schema
    .createTable('incident_investigations')
    .addColumn('incident_id', 'text', (c) => c.primaryKey().references('incidents.id'))
    .addColumn('procedure', 'text', (c) => c.notNull())
    .addColumn('urls', 'text', (c) => c.notNull())
    .addColumn('content_description', 'text', (c) => c.notNull())
    .addColumn('designated_computer', 'text')
    .addColumn('police_referred_at', 'text')
    .addColumn('police_reference', 'text')
    .addColumn('police_referred_by', 'text')
    .addColumn('device_isolated_at', 'text')
    .addColumn('device_isolated_by', 'text')
    .addColumn('conclusion', 'text')
    .addColumn('actions_taken', 'text')
    .addColumn('concluded_at', 'text')
    .addColumn('concluded_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // The staff who took part; the seeds require more than one senior member before a conclusion.
  await db.schema
    .createTable('incident_investigators')
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('senior', 'integer', (c) => c.notNull())
    .addColumn('added_by', 'text', (c) => c.notNull())
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('incident_investigators_pk', ['incident_id', 'person_id'])
    .execute();

  // Evidence files: the bytes live encrypted under the data directory, never in the database.
  await db.schema
    .createTable('incident_evidence')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('storage_name', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('iv', 'text', (c) => c.notNull())
    .addColumn('auth_tag', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.notNull())
    .addColumn('uploaded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('incident_evidence_incident').on('incident_evidence').column('incident_id').execute();

  // Chain of custody, append-only and hash-linked per file so a removed or edited row shows.
  await db.schema
    .createTable('evidence_custody')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('evidence_id', 'text', (c) => c.notNull().references('incident_evidence.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('actor_person_id', 'text')
    .addColumn('actor_username', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('sha256_seen', 'text')
    .addColumn('details', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addUniqueConstraint('evidence_custody_seq', ['evidence_id', 'seq'])
    .execute();

  // Each run of the retention job: what it archived and why, so nothing goes quietly.
  await db.schema
    .createTable('retention_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('ran_at', 'text', (c) => c.notNull())
    .addColumn('ran_by', 'text', (c) => c.notNull())
    .addColumn('archived', 'integer', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['retention_runs', 'evidence_custody', 'incident_evidence', 'incident_investigators', 'incident_investigations']) {
    await db.schema.dropTable(table).execute();
  }
  for (const column of ['archive_reason', 'archived_at', 'suspected_csam']) {
    await db.schema.alterTable('incidents').dropColumn(column).execute();
  }
}

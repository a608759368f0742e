import type { Kysely } from 'kysely';

// Self-contained: typed against Kysely<any> so it never depends on today's application types.
export async function up(db: Kysely<any>): Promise<void> {
  // Where events come from beyond the school's own filter: a capture API key, a syslog sender
  // or a tailed log file. The API key is stored only as a hash; `key_hint` lets staff tell keys apart.
  await db.schema
    .createTable('monitor_sources')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text')
    .addColumn('key_hint', 'text')
    .addColumn('address', 'text')
    .addColumn('format', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('revoked_at', 'text')
    .addColumn('last_event_at', 'text')
    .execute();
  await db.schema.createIndex('monitor_sources_school').on('monitor_sources').column('school_id').execute();
  await db.schema.createIndex('monitor_sources_key').on('monitor_sources').column('key_hash').execute();

  // Raw activity from outside sources. No foreign keys: this is the ingestion hot path (tens of
  // thousands of rows a second) and rows are purged by retention, never edited.
  await db.schema
    .createTable('monitor_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('person_id', 'text')
    .addColumn('username', 'text')
    .addColumn('client_address', 'text')
    .addColumn('device', 'text')
    .addColumn('host', 'text')
    .addColumn('url', 'text')
    .addColumn('search_terms', 'text')
    .addColumn('text', 'text')
    .addColumn('blocked', 'integer')
    .execute();
  await db.schema.createIndex('monitor_events_school_at').on('monitor_events').columns(['school_id', 'at']).execute();

  // How far each tailed log file has been read, committed in the same transaction as its events.
  await db.schema
    .createTable('monitor_tail_positions')
    .addColumn('path', 'text', (c) => c.primaryKey())
    .addColumn('file_id', 'text', (c) => c.notNull())
    .addColumn('byte_offset', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // Each version of a school's keyword library, whole: editing or importing adds a version.
  await db.schema
    .createTable('monitor_library_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('entry_count', 'integer', (c) => c.notNull())
    .addColumn('entries', 'text', (c) => c.notNull())
    .addUniqueConstraint('monitor_library_versions_unique', ['school_id', 'version'])
    .execute();

  await db.schema
    .createTable('monitor_alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('person_id', 'text')
    .addColumn('who', 'text', (c) => c.notNull())
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('base_severity', 'text', (c) => c.notNull())
    .addColumn('risk_raised', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('entry_id', 'text', (c) => c.notNull())
    .addColumn('term', 'text', (c) => c.notNull())
    .addColumn('matched', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('event_kind', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text')
    .addColumn('device', 'text')
    .addColumn('url', 'text')
    .addColumn('excerpt', 'text', (c) => c.notNull())
    .addColumn('highlight_start', 'integer', (c) => c.notNull())
    .addColumn('highlight_end', 'integer', (c) => c.notNull())
    .addColumn('fold_key', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('first_at', 'text', (c) => c.notNull())
    .addColumn('last_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('fp_reason', 'text')
    .addColumn('resolved_by', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('incident_id', 'text')
    .addColumn('keywords_version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('monitor_alerts_queue').on('monitor_alerts').columns(['school_id', 'status', 'last_at']).execute();
  await db.schema.createIndex('monitor_alerts_fold').on('monitor_alerts').columns(['school_id', 'fold_key']).execute();
  await db.schema.createIndex('monitor_alerts_person').on('monitor_alerts').columns(['school_id', 'person_id', 'category']).execute();

  await db.schema
    .createTable('monitor_alert_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('alert_id', 'text', (c) => c.notNull().references('monitor_alerts.id'))
    .addColumn('school_id', 'text', (c) => c.notNull())
    .addColumn('author_person_id', 'text', (c) => c.notNull())
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('monitor_alert_notes_alert').on('monitor_alert_notes').column('alert_id').execute();

  // A school's monitoring settings as one JSON document (thresholds per profile, retention, reports).
  await db.schema
    .createTable('monitor_settings')
    .addColumn('school_id', 'text', (c) => c.primaryKey().references('schools.id'))
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();

  // Daily summaries and weekly reports as they were sent, so the app shows what the e-mail said.
  await db.schema
    .createTable('monitor_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('period_start', 'text', (c) => c.notNull())
    .addColumn('period_end', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('emailed_to', 'integer', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('monitor_reports_unique', ['school_id', 'kind', 'period_start'])
    .execute();

  await db.schema
    .createTable('monitor_purges')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('ran_at', 'text', (c) => c.notNull())
    .addColumn('ran_by', 'text', (c) => c.notNull())
    .addColumn('activity_before', 'text', (c) => c.notNull())
    .addColumn('alerts_before', 'text', (c) => c.notNull())
    .addColumn('activity_deleted', 'integer', (c) => c.notNull())
    .addColumn('events_deleted', 'integer', (c) => c.notNull())
    .addColumn('alerts_deleted', 'integer', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'monitor_purges',
    'monitor_reports',
    'monitor_settings',
    'monitor_alert_notes',
    'monitor_alerts',
    'monitor_library_versions',
    'monitor_tail_positions',
    'monitor_events',
    'monitor_sources',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}

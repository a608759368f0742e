import type { Kysely } from 'kysely';

// Self-contained: typed against Kysely<any> so it never depends on today's application types.
export async function up(db: Kysely<any>): Promise<void> {
  // Per-school filtering settings; policy_version is bumped on every change to the policy.
  await db.schema
    .createTable('filter_settings')
    .addColumn('school_id', 'text', (c) => c.primaryKey().references('schools.id'))
    .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('Europe/London'))
    .addColumn('fallback_profile_id', 'text')
    .addColumn('alerting_categories', 'text', (c) => c.notNull())
    .addColumn('policy_version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('filter_profiles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('default_action', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('filter_profiles_school_key', ['school_id', 'key'])
    .execute();

  await db.schema
    .createTable('filter_matrix')
    .addColumn('profile_id', 'text', (c) => c.notNull().references('filter_profiles.id'))
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('windows', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('nominated_person_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('nominated_group_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('warn', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('filter_matrix_pk', ['profile_id', 'category'])
    .execute();

  // An explicit profile for a group or a person, over the one derived from kind and year.
  await db.schema
    .createTable('filter_profile_assignments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('profile_id', 'text', (c) => c.notNull().references('filter_profiles.id'))
    .addColumn('subject_kind', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('filter_profile_assignments_subject', ['school_id', 'subject_kind', 'subject_id'])
    .execute();

  await db.schema
    .createTable('filter_windows')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('days', 'text', (c) => c.notNull())
    .addColumn('start_minute', 'integer', (c) => c.notNull())
    .addColumn('end_minute', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('filter_windows_school').on('filter_windows').column('school_id').execute();

  await db.schema
    .createTable('filter_holidays')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('from_date', 'text', (c) => c.notNull())
    .addColumn('to_date', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('filter_holidays_school').on('filter_holidays').column('school_id').execute();

  // Local allow/block lists. school_id is null for a trust-wide entry.
  await db.schema
    .createTable('filter_list_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('trust_id', 'text', (c) => c.notNull().references('trusts.id'))
    .addColumn('school_id', 'text', (c) => c.references('schools.id'))
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('scope_id', 'text', (c) => c.notNull())
    .addColumn('pattern', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('category', 'text')
    .addColumn('note', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('filter_list_entries_unique', ['scope', 'scope_id', 'pattern'])
    .execute();
  await db.schema.createIndex('filter_list_entries_trust').on('filter_list_entries').column('trust_id').execute();

  await db.schema
    .createTable('filter_exceptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('target_kind', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('applies_kind', 'text', (c) => c.notNull())
    .addColumn('applies_id', 'text')
    .addColumn('from_at', 'text', (c) => c.notNull())
    .addColumn('until_at', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('filter_exceptions_school').on('filter_exceptions').columns(['school_id', 'until_at']).execute();

  // Temporary unblock requests: a teacher asks; the network manager and the DSL both approve.
  await db.schema
    .createTable('filter_unblock_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('requested_by', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('target_kind', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id'))
    .addColumn('from_at', 'text', (c) => c.notNull())
    .addColumn('until_at', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('network_approved_by', 'text')
    .addColumn('network_approved_at', 'text')
    .addColumn('dsl_approved_by', 'text')
    .addColumn('dsl_approved_at', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('decision_note', 'text')
    .addColumn('exception_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('filter_unblock_requests_school').on('filter_unblock_requests').columns(['school_id', 'status']).execute();

  await db.schema
    .createTable('filter_sanctions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('from_at', 'text', (c) => c.notNull())
    .addColumn('until_at', 'text', (c) => c.notNull())
    .addColumn('still_allowed', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('lifted_at', 'text')
    .addColumn('lifted_by', 'text')
    .execute();
  await db.schema.createIndex('filter_sanctions_school').on('filter_sanctions').columns(['school_id', 'until_at']).execute();

  await db.schema
    .createTable('filter_devices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('mac', 'text')
    .addColumn('person_id', 'text')
    .addColumn('profile_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('filter_devices_school').on('filter_devices').column('school_id').execute();

  await db.schema
    .createTable('filter_subnets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('cidr', 'text', (c) => c.notNull())
    .addColumn('profile_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  // Who is on which address: sign-in at the block page or the proxy, until a time.
  await db.schema
    .createTable('filter_address_signins')
    .addColumn('address', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('until_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  // Over- and under-blocking reports from the block page and the app.
  await db.schema
    .createTable('filter_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('category', 'text')
    .addColumn('rule', 'text')
    .addColumn('reported_by', 'text')
    .addColumn('client_address', 'text')
    .addColumn('comment', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('resolved_by', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('resolution_note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('filter_reports_school').on('filter_reports').columns(['school_id', 'status']).execute();

  // The change-control log the governors review: who, when, what (before/after), why.
  await db.schema
    .createTable('filter_change_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('trust_id', 'text', (c) => c.notNull())
    .addColumn('school_id', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_account_id', 'text')
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text')
    .addColumn('change', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('filter_change_log_school').on('filter_change_log').columns(['school_id', 'at']).execute();

  // Category lists in force, installation-wide: one row per (source, category), gzip+base64.
  await db.schema
    .createTable('filter_category_lists')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('locked', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('format', 'text', (c) => c.notNull().defaultTo('plain'))
    .addColumn('domain_count', 'integer', (c) => c.notNull())
    .addColumn('url_count', 'integer', (c) => c.notNull())
    .addColumn('domains_gz', 'text', (c) => c.notNull())
    .addColumn('urls_gz', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('import_id', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('filter_category_lists_pk', ['source', 'category'])
    .execute();

  await db.schema
    .createTable('filter_list_imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('report', 'text')
    .addColumn('error', 'text')
    .addColumn('started_by', 'text')
    .execute();
  await db.schema.createIndex('filter_list_imports_source').on('filter_list_imports').columns(['source', 'started_at']).execute();

  // Every filter decision, allowed or blocked: the activity the monitor and the logs read.
  await db.schema
    .createTable('activity_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('person_id', 'text')
    .addColumn('device_id', 'text')
    .addColumn('client_address', 'text')
    .addColumn('host', 'text')
    .addColumn('url', 'text')
    .addColumn('search_terms', 'text')
    .addColumn('category', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('rule', 'text')
    .addColumn('policy_version', 'integer')
    .addColumn('profile_id', 'text')
    .execute();
  await db.schema.createIndex('activity_events_school_at').on('activity_events').columns(['school_id', 'at']).execute();
  await db.schema.createIndex('activity_events_person_at').on('activity_events').columns(['person_id', 'at']).execute();

  // In-app notifications (a blocked search in an alerting category, an unblock awaiting approval).
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull())
    .addColumn('recipient_person_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('link', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .execute();
  await db.schema.createIndex('notifications_recipient').on('notifications').columns(['recipient_person_id', 'read_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'notifications',
    'activity_events',
    'filter_list_imports',
    'filter_category_lists',
    'filter_change_log',
    'filter_reports',
    'filter_address_signins',
    'filter_subnets',
    'filter_devices',
    'filter_sanctions',
    'filter_unblock_requests',
    'filter_exceptions',
    'filter_list_entries',
    'filter_holidays',
    'filter_windows',
    'filter_profile_assignments',
    'filter_matrix',
    'filter_profiles',
    'filter_settings',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}

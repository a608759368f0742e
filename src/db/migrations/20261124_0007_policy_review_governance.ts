import type { Kysely } from 'kysely';

// Self-contained: typed against Kysely<any> so it never depends on today's application types.
export async function up(db: Kysely<any>): Promise<void> {
  // The e-safety policy, one row per version: the school's own words, and the governors' approval of it.
  await db.schema
    .createTable('policy_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body_md', 'text', (c) => c.notNull())
    .addColumn('change_note', 'text', (c) => c.notNull())
    /** `draft` until governors approve it; an approved version never changes. */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    /** How the policy is monitored and reported on, in the school's words (seed 002's schedule). */
    .addColumn('monitoring_cycle', 'text', (c) => c.notNull())
    .addColumn('review_months', 'integer', (c) => c.notNull())
    /** Calendar dates, YYYY-MM-DD. */
    .addColumn('approved_on', 'text')
    .addColumn('approved_by_body', 'text')
    .addColumn('minute_ref', 'text')
    .addColumn('approval_recorded_by', 'text')
    .addColumn('approval_recorded_at', 'text')
    .addColumn('next_review_on', 'text')
    /** The generated tables as they stood when governors approved, to show where the live configuration has moved since. */
    .addColumn('approved_tables', 'text')
    /** The review date a "review due" or "review overdue" reminder was last sent for, so each is sent once. */
    .addColumn('due_reminder_for', 'text')
    .addColumn('overdue_reminder_for', 'text')
    .addUniqueConstraint('policy_versions_unique', ['school_id', 'version'])
    .execute();

  // A school's policy settings as one JSON document: the communication technologies tables.
  await db.schema
    .createTable('policy_settings')
    .addColumn('school_id', 'text', (c) => c.primaryKey().references('schools.id'))
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();

  // The annual filtering and monitoring review (DfE filtering and monitoring standards).
  await db.schema
    .createTable('filter_reviews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    /** `open` while it is being carried out, `signed_off` once it is signed; a signed review never changes. */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('slt_person_id', 'text', (c) => c.references('people.id'))
    .addColumn('governor_person_id', 'text', (c) => c.references('people.id'))
    .addColumn('dsl_person_id', 'text', (c) => c.references('people.id'))
    .addColumn('it_lead_person_id', 'text', (c) => c.references('people.id'))
    /** JSON: the guided checklist, each item with whether it was checked, by whom, when and notes. */
    .addColumn('checklist', 'text', (c) => c.notNull())
    .addColumn('decisions', 'text', (c) => c.notNull())
    /** JSON: the actions agreed, each with an owner and a due date. */
    .addColumn('actions', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('started_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('signed_off_at', 'text')
    .addColumn('signed_off_by', 'text')
    .addColumn('signoff_note', 'text')
    .execute();
  await db.schema.createIndex('filter_reviews_school').on('filter_reviews').columns(['school_id', 'started_at']).execute();

  // Each automatic check run against the live filter during a review, with its result.
  await db.schema
    .createTable('filter_review_checks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('review_id', 'text', (c) => c.notNull().references('filter_reviews.id'))
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    /** All checks of one run share it. */
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('run_at', 'text', (c) => c.notNull())
    .addColumn('run_by', 'text')
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('profile_id', 'text')
    .addColumn('profile_name', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    /** What the policy says should happen (`block` or `allow`), and what the filter did. */
    .addColumn('expected', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('rule', 'text')
    .addColumn('passed', 'integer', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('filter_review_checks_review').on('filter_review_checks').columns(['review_id', 'run_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['filter_review_checks', 'filter_reviews', 'policy_settings', 'policy_versions']) {
    await db.schema.dropTable(table).execute();
  }
}

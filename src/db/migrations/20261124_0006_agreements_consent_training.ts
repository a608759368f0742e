import type { Kysely } from 'kysely';

// Self-contained: typed against Kysely<any> so it never depends on today's application types.
export async function up(db: Kysely<any>): Promise<void> {
  // Each version of an acceptable-use agreement, whole, per audience; published versions never change.
  await db.schema
    .createTable('agreement_documents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body_md', 'text', (c) => c.notNull())
    .addColumn('change_note', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addUniqueConstraint('agreement_documents_unique', ['school_id', 'audience', 'version'])
    .execute();

  // "By clicking Accept I acknowledge…": who, which version, when, from where, and for whom.
  await db.schema
    .createTable('agreement_acceptances')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('document_id', 'text', (c) => c.notNull().references('agreement_documents.id'))
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('accepted_by', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('on_behalf', 'integer', (c) => c.notNull())
    .addColumn('accepted_at', 'text', (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('device', 'text')
    /** The school year the acceptance counts for, e.g. `2026-27`: the yearly renewal asks again. */
    .addColumn('school_year', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('agreement_acceptances_person').on('agreement_acceptances').columns(['school_id', 'person_id']).execute();

  // A school's agreement settings as one JSON document (renewal date, which audiences must accept before using systems).
  await db.schema
    .createTable('agreement_settings')
    .addColumn('school_id', 'text', (c) => c.primaryKey().references('schools.id'))
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();

  // Parents' consent to images of their child, per use: the state now, and every change.
  await db.schema
    .createTable('image_consents')
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('student_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('use', 'text', (c) => c.notNull())
    .addColumn('granted', 'integer', (c) => c.notNull())
    .addColumn('changed_by', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('image_consents_pk', ['student_id', 'use'])
    .execute();
  await db.schema
    .createTable('image_consent_changes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('student_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('use', 'text', (c) => c.notNull())
    .addColumn('granted', 'integer', (c) => c.notNull())
    .addColumn('changed_by', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('note', 'text')
    .execute();
  await db.schema.createIndex('image_consent_changes_student').on('image_consent_changes').columns(['student_id', 'changed_at']).execute();

  // E-safety training of staff and governors.
  await db.schema
    .createTable('training_records')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('completed_on', 'text', (c) => c.notNull())
    .addColumn('expires_on', 'text')
    .addColumn('evidence', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('import_id', 'text')
    .execute();
  await db.schema.createIndex('training_records_person').on('training_records').columns(['school_id', 'person_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'training_records',
    'image_consent_changes',
    'image_consents',
    'agreement_settings',
    'agreement_acceptances',
    'agreement_documents',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}

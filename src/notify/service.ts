import type { Kysely } from 'kysely';
import { newId } from '../db/ids.js';
import type { DB } from '../db/tables.js';
import { notFound } from '../errors/errors.js';

export interface NewNotification {
  schoolId: string;
  recipientIds: readonly string[];
  kind: string;
  title: string;
  body: string;
  link: string | null;
  at: Date;
}

export interface NotificationView {
  id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

/**
 * In-app notifications, one row per recipient. Pass a transaction to tie them to a change.
 *
 * @example
 *   await createNotifications(db, { schoolId, recipientIds: dsls, kind: 'filter.alert', title, body, link, at });
 */
export async function createNotifications(db: Kysely<DB>, note: NewNotification): Promise<number> {
  const recipients = [...new Set(note.recipientIds)];
  if (recipients.length === 0) return 0;
  await db
    .insertInto('notifications')
    .values(
      recipients.map((recipient) => ({
        id: newId(),
        school_id: note.schoolId,
        recipient_person_id: recipient,
        kind: note.kind,
        title: note.title,
        body: note.body,
        link: note.link,
        created_at: note.at.toISOString(),
        read_at: null,
      })),
    )
    .execute();
  return recipients.length;
}

/** A person's notifications, unread first, newest first within each. */
export async function listNotifications(db: Kysely<DB>, personId: string, limit = 100): Promise<NotificationView[]> {
  const rows = await db
    .selectFrom('notifications')
    .selectAll()
    .where('recipient_person_id', '=', personId)
    .orderBy((eb) => eb.case().when('read_at', 'is', null).then(0).else(1).end())
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    title: r.title,
    body: r.body,
    link: r.link,
    createdAt: r.created_at,
    readAt: r.read_at,
  }));
}

/** Marks one of the person's own notifications read; someone else's is "not found". */
export async function markNotificationRead(db: Kysely<DB>, personId: string, id: string, at: Date): Promise<NotificationView> {
  const row = await db
    .selectFrom('notifications')
    .selectAll()
    .where('id', '=', id)
    .where('recipient_person_id', '=', personId)
    .executeTakeFirst();
  if (!row) throw notFound('Notification');
  const readAt = row.read_at ?? at.toISOString();
  if (!row.read_at) await db.updateTable('notifications').set({ read_at: readAt }).where('id', '=', id).execute();
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    body: row.body,
    link: row.link,
    createdAt: row.created_at,
    readAt,
  };
}

/** Active people of a school holding any of the roles, with their e-mail address if known. */
export async function peopleInRoles(
  db: Kysely<DB>,
  schoolId: string,
  roles: readonly string[],
): Promise<{ id: string; email: string | null }[]> {
  return db
    .selectFrom('person_roles')
    .innerJoin('people', 'people.id', 'person_roles.person_id')
    .select(['people.id', 'people.email'])
    .distinct()
    .where('people.school_id', '=', schoolId)
    .where('people.status', '=', 'active')
    .where('person_roles.role', 'in', [...roles])
    .orderBy('people.id')
    .execute();
}

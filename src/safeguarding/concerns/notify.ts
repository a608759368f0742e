import type { Kysely } from 'kysely';
import type { DB } from '../../db/tables.js';
import type { Mailer } from '../../notify/mailer.js';
import { createNotifications, peopleInRoles } from '../../notify/service.js';
import { INCIDENT_CATEGORIES } from '../categories.js';
import type { CreatedConcern } from './create.js';

/**
 * Who hears of a new concern: the whole DSL team (the DSL and every deputy hold the dsl role)
 * for concerns about students, and the head as well when it is urgent, since a child may be at
 * risk now and the head must be able to act if no DSL answers; the head and HR for concerns
 * about staff (the DSL only if they are head or HR). A person the concern is about never
 * hears of it, so a member of staff is not tipped off about their own case.
 */
export function recipientRoles(concern: Pick<CreatedConcern, 'subjectKind' | 'urgency'>): string[] {
  if (concern.subjectKind === 'staff') return ['head', 'hr'];
  return concern.urgency === 'urgent' ? ['dsl', 'head'] : ['dsl'];
}

/** The active people in those roles, with their e-mail addresses, less anyone the concern is about. */
export async function concernRecipients(db: Kysely<DB>, concern: CreatedConcern): Promise<{ id: string; email: string | null }[]> {
  const roles = recipientRoles(concern);
  const people = await peopleInRoles(db, concern.schoolId, roles);
  const subjects = new Set(concern.subjectIds);
  return people.filter((p) => !subjects.has(p.id));
}

/** The words of the notification: the reference and category only, never a name. */
export function concernMessage(concern: CreatedConcern & { category: string }): { title: string; body: string; link: string } {
  const urgent = concern.urgency === 'urgent';
  const label = INCIDENT_CATEGORIES.find((c) => c.id === concern.category)?.label ?? concern.category;
  const about = concern.subjectKind === 'staff' ? 'about a member of staff' : 'about a student';
  return {
    title: `${urgent ? 'URGENT: ' : ''}New safeguarding concern ${concern.reference}`,
    body: `A ${concern.urgency}-urgency concern ${about} was logged (${label}). Open the record in Tutela to read it.`,
    link: `/incidents/${concern.id}`,
  };
}

/**
 * Tells the responders: in the app always, by e-mail when a mailer is configured. E-mail is
 * sent after the concern is stored; a failed e-mail is reported to `onMailError` and does not
 * stop the others, since the in-app notification already stands.
 */
export async function notifyNewConcern(
  db: Kysely<DB>,
  mailer: Mailer | null,
  concern: CreatedConcern & { category: string },
  at: Date,
  onMailError: (error: unknown) => void = () => {},
): Promise<{ notified: number; emailed: number }> {
  const recipients = await concernRecipients(db, concern);
  const message = concernMessage(concern);
  const notified = await createNotifications(db, {
    schoolId: concern.schoolId,
    recipientIds: recipients.map((r) => r.id),
    kind: 'incident.new',
    ...message,
    at,
  });
  let emailed = 0;
  if (!mailer) return { notified, emailed };
  for (const recipient of recipients) {
    if (!recipient.email) continue;
    try {
      await mailer.send({ to: recipient.email, subject: `[Tutela] ${message.title}`, text: `${message.body}\n\nLink: ${message.link}` });
      emailed += 1;
    } catch (error) {
      onMailError(error);
    }
  }
  return { notified, emailed };
}

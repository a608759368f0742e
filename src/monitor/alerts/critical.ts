/**
 * Critical alerts reach the DSL team at once, in the app and by e-mail. E-mail is not a safe
 * channel for safeguarding content, so the message names the category, severity and time only:
 * never the captured words, never the person.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/tables.js';
import type { Mailer } from '../../notify/mailer.js';
import { createNotifications, peopleInRoles } from '../../notify/service.js';
import type { MonitorCategory, Severity } from '../keywords/types.js';
import type { MonitorProfile } from '../model.js';

export const CATEGORY_NAMES: Record<MonitorCategory, string> = {
  illegal: 'Illegal content',
  bullying: 'Bullying',
  child_exploitation: 'Child exploitation',
  discrimination: 'Discrimination',
  drugs: 'Drugs and substance misuse',
  extremism: 'Extremism',
  gambling: 'Gambling',
  pornography: 'Pornography',
  self_harm: 'Self-harm',
  suicide: 'Suicide',
  violence: 'Violence',
};

export interface CriticalAlert {
  id: string;
  schoolId: string;
  personId: string | null;
  profile: MonitorProfile;
  category: MonitorCategory;
  severity: Severity;
  at: Date;
}

/**
 * Who hears of an alert: the same people `monitor.alert.read` lets read it — the DSL team, and
 * the head as well for alerts about staff — less the person it is about.
 */
export async function alertRecipients(
  db: Kysely<DB>,
  alert: Pick<CriticalAlert, 'schoolId' | 'personId' | 'profile'>,
): Promise<{ id: string; email: string | null }[]> {
  const roles = alert.profile === 'staff' ? ['dsl', 'head'] : ['dsl'];
  const people = await peopleInRoles(db, alert.schoolId, roles);
  return people.filter((p) => p.id !== alert.personId);
}

/** The words of the notification and the e-mail: nothing that identifies the person or repeats what they wrote. */
export function criticalMessage(
  alert: CriticalAlert,
  webBase: string | undefined,
): { title: string; body: string; link: string; url: string } {
  const link = `/monitoring/alerts/${alert.id}`;
  const about = alert.profile === 'staff' ? 'a member of staff' : alert.profile === 'unknown' ? 'an unidentified user' : 'a student';
  return {
    title: `Critical monitoring alert: ${CATEGORY_NAMES[alert.category]}`,
    body: `A ${alert.severity} monitoring alert (${CATEGORY_NAMES[alert.category]}) about ${about} was raised at ${alert.at.toISOString().replace('T', ' ').slice(0, 16)} UTC. Open it in Tutela to triage it.`,
    link,
    url: webBase ? `${webBase.replace(/\/+$/, '')}${link}` : link,
  };
}

/**
 * Tells the recipients in the app, then e-mails each one with an address. A failed e-mail is
 * reported to `onMailError` and does not stop the others: the in-app notification already stands.
 */
export async function notifyCritical(
  db: Kysely<DB>,
  mailer: Mailer | null,
  alert: CriticalAlert,
  webBase: string | undefined,
  now: Date,
  onMailError: (error: unknown) => void,
): Promise<{ notified: number; emailed: number }> {
  const recipients = await alertRecipients(db, alert);
  const message = criticalMessage(alert, webBase);
  const notified = await createNotifications(db, {
    schoolId: alert.schoolId,
    recipientIds: recipients.map((r) => r.id),
    kind: 'monitor.alert',
    title: message.title,
    body: message.body,
    link: message.link,
    at: now,
  });
  let emailed = 0;
  if (!mailer) return { notified, emailed };
  for (const recipient of recipients) {
    if (!recipient.email) continue;
    try {
      await mailer.send({ to: recipient.email, subject: `[Tutela] ${message.title}`, text: `${message.body}\n\nLink: ${message.url}` });
      emailed += 1;
    } catch (error) {
      onMailError(error);
    }
  }
  return { notified, emailed };
}

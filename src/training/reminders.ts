import type { Kysely } from 'kysely';
import type { Actor } from '../access/policy.js';
import { recordAudit } from '../audit/service.js';
import type { DB } from '../db/tables.js';
import type { Mailer } from '../notify/mailer.js';
import { createNotifications } from '../notify/service.js';
import { overdueReport } from './overdue.js';

const KIND_LABELS: Record<string, string> = {
  induction: 'e-safety induction',
  annual_refresher: 'annual e-safety refresher',
  dsl: 'DSL training',
  external: 'external course',
};

const list = (kinds: readonly string[]) => kinds.map((k) => KIND_LABELS[k] ?? k).join(', ');

/**
 * Reminds everyone overdue or due soon (of one team, or the school): an in-app notification
 * always, and an e-mail when they have an address and SMTP is configured. One failed e-mail
 * does not stop the others; it counts as not sent.
 */
export async function sendReminders(
  db: Kysely<DB>,
  mailer: Mailer | null,
  options: {
    schoolId: string;
    teamId?: string;
    today: string;
    now: Date;
    actor: Pick<Actor, 'accountId' | 'username'>;
    ip: string | null;
    link: string;
    onError: (err: unknown) => void;
  },
) {
  const report = await overdueReport(db, options.schoolId, options.today, { teamId: options.teamId });
  const due = report.contacts.filter((p) => p.state !== 'up_to_date');
  let sent = 0;
  let noEmail = 0;
  for (const person of due) {
    const parts = [
      person.overdue.length > 0 ? `Overdue: ${list(person.overdue)}.` : '',
      person.dueSoon.length > 0 ? `Due within 30 days: ${list(person.dueSoon)}.` : '',
    ].filter(Boolean);
    const title = person.overdue.length > 0 ? 'Your e-safety training is overdue' : 'Your e-safety training is due soon';
    const body = `${parts.join(' ')} Please book it and send the certificate to the school office.`;
    await createNotifications(db, {
      schoolId: options.schoolId,
      recipientIds: [person.personId],
      kind: 'training.reminder',
      title,
      body,
      link: options.link,
      at: options.now,
    });
    if (!person.email || !mailer) {
      noEmail += 1;
      continue;
    }
    try {
      await mailer.send({ to: person.email, subject: `[Tutela] ${title}`, text: `Dear ${person.name},\n\n${body}\n\n${options.link}` });
      sent += 1;
    } catch (err) {
      noEmail += 1;
      options.onError(err);
    }
  }
  await recordAudit(db, {
    action: 'training.reminders',
    actor: options.actor,
    targetType: 'school',
    targetId: options.schoolId,
    schoolId: options.schoolId,
    ip: options.ip,
    details: { teamId: options.teamId ?? null, reminded: due.length, sent, noEmail },
    at: options.now,
  });
  return { reminded: due.length, sent, noEmail };
}

import nodemailer from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** An HTML alternative to `text`, for clients that show it; `text` is always sent too. */
  html?: string;
}

/** Sends e-mail. The SMTP implementation is the only one; tests point it at a local server. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/**
 * An SMTP mailer for `config.smtp`, or null when no SMTP URL is configured (in-app
 * notifications still work; e-mail is the extra).
 *
 * @example
 *   const mailer = smtpMailer({ url: 'smtp://mail.school.example:587', from: 'Tutela <tutela@school.example>' });
 */
export function smtpMailer(smtp: { url: string | undefined; from: string }): Mailer | null {
  if (!smtp.url) return null;
  const transport = nodemailer.createTransport(smtp.url);
  return {
    async send(message) {
      await transport.sendMail({
        from: smtp.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html === undefined ? {} : { html: message.html }),
      });
    },
    close: () => transport.close(),
  };
}

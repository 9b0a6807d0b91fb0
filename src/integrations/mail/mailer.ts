import nodemailer from 'nodemailer';
import type { Logger } from '../../logger.js';

/** One outgoing message: short, plain, with a text and an HTML part. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** A message the development mailbox kept, with the link it carries. */
export interface StoredMail extends MailMessage {
  id: number;
  from: string;
  sent_at: string;
  link: string | null;
}

export interface Mailer {
  readonly kind: 'smtp' | 'mailbox';
  send(message: MailMessage & { link?: string }): Promise<void>;
  /** What the development mailbox holds, newest last (empty with SMTP). */
  messages(): readonly StoredMail[];
  /** Drops what the development mailbox holds for `address` (a deleted account). */
  forget(address: string): void;
}

export interface MailerOptions {
  smtpUrl?: string;
  from: string;
  log: Logger;
  /** Print each message's link to the log (development only: links carry tokens). */
  logLinks: boolean;
  now: () => Date;
}

/** SMTP through nodemailer when `smtpUrl` is set; otherwise an in-memory mailbox. */
export function createMailer(opts: MailerOptions): Mailer {
  return opts.smtpUrl ? smtpMailer(opts.smtpUrl, opts) : developmentMailbox(opts);
}

function smtpMailer(url: string, opts: MailerOptions): Mailer {
  const transport = nodemailer.createTransport(url);
  return {
    kind: 'smtp',
    async send({ to, subject, text, html }) {
      await transport.sendMail({ from: opts.from, to, subject, text, html });
      opts.log.info({ subject }, 'mail sent');
    },
    messages: () => [],
    forget: () => {},
  };
}

/** The most messages the development mailbox keeps (oldest dropped first). */
const MAILBOX_SIZE = 200;

function developmentMailbox(opts: MailerOptions): Mailer {
  const box: StoredMail[] = [];
  let next = 1;
  return {
    kind: 'mailbox',
    async send({ link, ...message }) {
      box.push({ ...message, id: next++, from: opts.from, sent_at: opts.now().toISOString(), link: link ?? null });
      if (box.length > MAILBOX_SIZE) box.shift();
      const fields = opts.logLinks && link ? { subject: message.subject, to: message.to, link } : { subject: message.subject };
      opts.log.info(fields, 'mail stored in the development mailbox (GET /dev/mailbox)');
    },
    messages: () => box,
    forget(address) {
      const kept = box.filter((m) => m.to.toLowerCase() !== address.toLowerCase());
      box.splice(0, box.length, ...kept);
    },
  };
}

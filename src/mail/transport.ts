import fs from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Config } from '../config.js';

export interface OutgoingEmail {
  from: string;
  to: string;
  subject: string;
  text: string;
  /** Stable across retries so a receiver can drop a duplicate delivery. */
  messageId: string;
}

export interface MailTransport {
  readonly kind: 'smtp' | 'dev-mailbox';
  send(email: OutgoingEmail): Promise<{ messageId: string | null }>;
  close(): void;
}

function smtpTransport(url: string): MailTransport {
  const transporter = nodemailer.createTransport(url);
  return {
    kind: 'smtp',
    async send(email) {
      const info = await transporter.sendMail(email);
      return { messageId: info.messageId ?? null };
    },
    close: () => transporter.close(),
  };
}

/**
 * With no SMTP server configured every message is rendered to a real RFC 5322 .eml file in the
 * data folder, and stays readable through the dev mailbox endpoint.
 */
function devMailboxTransport(folder: string): MailTransport {
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    kind: 'dev-mailbox',
    async send(email) {
      const info = await transporter.sendMail(email);
      await fs.mkdir(folder, { recursive: true });
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${email.messageId.replace(/[^\w.-]/g, '')}.eml`;
      await fs.writeFile(path.join(folder, name), info.message as Buffer);
      return { messageId: email.messageId };
    },
    close: () => transporter.close(),
  };
}

export function createMailTransport(config: Pick<Config, 'smtpUrl' | 'dataDir'>): MailTransport {
  return config.smtpUrl ? smtpTransport(config.smtpUrl) : devMailboxTransport(path.join(config.dataDir, 'mail'));
}

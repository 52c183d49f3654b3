import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedEmail {
  to: string[];
  mail: ParsedMail;
}

/** A real SMTP server on a free local port that keeps what it receives. */
export interface TestSmtpServer {
  url: string;
  received: ReceivedEmail[];
  /** Messages received for one address, oldest first. */
  receivedBy(address: string): ParsedMail[];
  /** Answers the next `count` messages for `address` with a temporary failure (451). */
  rejectNext(address: string, count: number): void;
  close(): Promise<void>;
}

export async function startSmtpServer(): Promise<TestSmtpServer> {
  const received: ReceivedEmail[] = [];
  const rejections = new Map<string, number>();

  const server = new SMTPServer({
    // Plain text, no login: nodemailer then sends without STARTTLS, as to a local relay.
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onData(stream, session, callback) {
      const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
      simpleParser(stream).then(
        (mail) => {
          const rejected = to.find((a) => (rejections.get(a) ?? 0) > 0);
          if (rejected) {
            rejections.set(rejected, rejections.get(rejected)! - 1);
            callback(Object.assign(new Error('Mailbox temporarily unavailable'), { responseCode: 451 }));
            return;
          }
          received.push({ to, mail });
          callback();
        },
        (err: Error) => callback(err),
      );
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;

  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    receivedBy: (address) => received.filter((r) => r.to.includes(address.toLowerCase())).map((r) => r.mail),
    rejectNext: (address, count) => rejections.set(address.toLowerCase(), count),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

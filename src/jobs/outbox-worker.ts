import { claimDueEmails, markEmailAttemptFailed, markEmailSent } from '../data/repositories/outbox.js';
import { addSeconds } from '../domain/clock.js';
import type { MailTransport } from '../mail/transport.js';
import type { Deps } from '../services/context.js';
import { startPeriodicJob, type PeriodicJob } from './periodic.js';

// With the backoff below this keeps retrying for about a day, so an SMTP outage overnight loses nothing.
export const MAX_EMAIL_ATTEMPTS = 33;
const BATCH = 20;
// A claimed message is invisible to other workers this long; past it, a crashed worker's claim expires.
export const EMAIL_LEASE_SECONDS = 120;

/** Exponential backoff: 10 s, 20 s, 40 s ... capped at an hour. */
export function retryDelaySeconds(attempt: number): number {
  return Math.min(3600, 10 * 2 ** (attempt - 1));
}

/**
 * Sends what is due, once. Safe with several processes: each message is claimed by one worker
 * (SKIP LOCKED) and a send that dies half-way is retried after the lease, so nothing is lost.
 */
export async function deliverDueEmails(deps: Deps, transport: MailTransport): Promise<number> {
  const claimed = await claimDueEmails(deps.db, deps.clock.now(), BATCH, EMAIL_LEASE_SECONDS);
  for (const m of claimed) {
    let messageId: string | null;
    try {
      ({ messageId } = await transport.send({
        from: deps.config.mailFrom,
        to: m.to_address,
        subject: m.subject,
        text: m.text_body,
        messageId: `<${m.id}@keyline>`,
      }));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const retryAt = m.attempts >= MAX_EMAIL_ATTEMPTS ? null : addSeconds(deps.clock.now(), retryDelaySeconds(m.attempts));
      deps.log.warn({ outboxId: m.id, attempt: m.attempts, err: message, giveUp: retryAt === null }, 'email delivery failed');
      await markEmailAttemptFailed(deps.db, m.id, message, retryAt);
      continue;
    }
    // Sent but not recorded, when the database is away now: the claim's lease runs out and the
    // message goes once more, with the same Message-ID. A failure of the database is not the mail's.
    await markEmailSent(deps.db, m.id, messageId, deps.clock.now());
  }
  return claimed.length;
}

/** Drains the outbox every `intervalMs`, as long as full batches keep coming back. */
export function startOutboxWorker(deps: Deps, transport: MailTransport, intervalMs = 1000): PeriodicJob {
  return startPeriodicJob(deps, 'outbox', intervalMs, async () => {
    while ((await deliverDueEmails(deps, transport)) === BATCH);
  });
}

import { findAccount } from '../../data/repositories/accounts.js';
import { listAdminEmails } from '../../data/repositories/memberships.js';
import { enqueueEmail } from '../../data/repositories/outbox.js';
import { listOperatorEmails } from '../../data/repositories/users.js';
import { countAttempt, disableEndpoint, insertAttempt, lockDelivery, settleDelivery, type ClaimedDelivery } from '../../data/repositories/webhooks.js';
import type { InTransaction } from '../../data/executor.js';
import { runTransaction } from '../../data/transactions.js';
import { addSeconds } from '../../domain/clock.js';
import { webhookHeaders } from '../../domain/webhook-signature.js';
import { messageIdOf, shouldDisableEndpoint, WEBHOOK_MAX_ATTEMPTS, webhookRetryDelaySeconds } from '../../domain/webhooks.js';
import { webhookEndpointDisabled } from '../../mail/templates.js';
import { recordChange } from '../changes.js';
import { link, type Deps } from '../context.js';
import { openSecret, secretKeyOf, SecretUnreadable } from '../security/secrets.js';
import { failedAttempt, postWebhook, type AttemptResult } from './post-webhook.js';

/** The portal pages of an account's endpoints and of the vendor's, where the emails send people. */
export const WEBHOOKS_PAGE = '/webhooks';
export const VENDOR_WEBHOOKS_PAGE = '/back-office/webhooks';

/** The secrets that sign now: the current one, and the previous one in the day after a rotation. */
async function signingSecrets(deps: Deps, d: ClaimedDelivery, now: Date): Promise<string[]> {
  const key = await secretKeyOf(deps.config);
  const previous = d.previous_secret_sealed && d.previous_secret_until && d.previous_secret_until > now ? [openSecret(key, d.previous_secret_sealed)] : [];
  return [openSecret(key, d.secret_sealed), ...previous];
}

async function attempt(deps: Deps, d: ClaimedDelivery, now: Date): Promise<AttemptResult> {
  let secrets: string[];
  try {
    secrets = await signingSecrets(deps, d, now);
  } catch (err) {
    if (err instanceof SecretUnreadable) return failedAttempt(`not sent: ${err.message}`);
    throw err;
  }
  return postWebhook(d.url, webhookHeaders(secrets, messageIdOf(d.id), now, d.body), d.body, { timeoutMs: deps.config.webhooks.timeoutMs, policy: deps.config.webhooks });
}

type Streak = NonNullable<Awaited<ReturnType<typeof countAttempt>>>;

/** Disables an endpoint that kept failing and tells whoever manages it, through the outbox, in the same transaction. */
async function disableFailingEndpoint(trx: InTransaction, deps: Deps, streak: Streak & { failing_since: Date }, now: Date): Promise<void> {
  const reason = `every delivery failed since ${streak.failing_since.toISOString()} (${streak.failure_streak} attempts in a row)`;
  await disableEndpoint(trx, streak.id, reason, now);
  await recordChange(trx, null, { accountId: streak.account_id, action: 'webhook_endpoint.disabled', targetType: 'webhook_endpoint', targetId: streak.id, details: { url: streak.url, reason } }, now);
  const account = streak.account_id ? await findAccount(trx, streak.account_id) : undefined;
  const recipients = account ? await listAdminEmails(trx, account.id) : await listOperatorEmails(trx);
  for (const to of recipients) {
    const mail = webhookEndpointDisabled({
      firstName: to.firstName,
      owner: account ? `the account "${account.name}"` : 'the vendor',
      url: streak.url,
      failures: streak.failure_streak,
      failingSince: streak.failing_since,
      link: link(deps, account ? WEBHOOKS_PAGE : VENDOR_WEBHOOKS_PAGE),
    });
    await enqueueEmail(trx, { ...mail, to: to.email, accountId: account?.id ?? null }, now);
  }
}

/**
 * One attempt at a claimed delivery, and its outcome recorded in one transaction: the log line,
 * the delivery delivered or due again after its backoff (or failed for good after the last
 * attempt), and the endpoint's failure streak, which may disable it. A delivery whose endpoint was
 * deleted meanwhile is gone, and so is its outcome.
 */
export async function deliverWebhook(deps: Deps, d: ClaimedDelivery): Promise<AttemptResult> {
  const attemptedAt = deps.clock.now();
  const result = await attempt(deps, d, attemptedAt);
  await runTransaction(deps.db, async (trx) => {
    if (!(await lockDelivery(trx, d.id))) return;
    const now = deps.clock.now();
    await insertAttempt(trx, { deliveryId: d.id, attempt: d.attempts, accountId: d.account_id, at: attemptedAt, ...result });
    const retryAt = result.delivered || d.round_attempts >= WEBHOOK_MAX_ATTEMPTS ? null : addSeconds(now, webhookRetryDelaySeconds(d.round_attempts));
    await settleDelivery(trx, d.id, { delivered: result.delivered, statusCode: result.statusCode, error: result.error, retryAt, now });
    const streak = await countAttempt(trx, d.endpoint_id, result.delivered, now);
    if (streak?.failing_since && shouldDisableEndpoint({ failures: streak.failure_streak, failingSince: streak.failing_since }, now)) {
      await disableFailingEndpoint(trx, deps, { ...streak, failing_since: streak.failing_since }, now);
    }
  });
  return result;
}

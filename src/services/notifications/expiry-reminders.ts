import { listAdminEmails } from '../../data/repositories/memberships.js';
import { enqueueEmail } from '../../data/repositories/outbox.js';
import { claimReminder, findDueReminders, findUnannouncedExpiries, type DueReminder } from '../../data/repositories/reminders.js';
import type { Executor } from '../../data/executor.js';
import { daysUntil } from '../../domain/clock.js';
import { REGISTER_KEY_PAGE } from '../../domain/portal-links.js';
import { REMINDER_DAYS } from '../../domain/reminders.js';
import { subscriptionExpiring } from '../../mail/templates.js';
import { recordChange } from '../changes.js';
import { link, type Deps } from '../context.js';
import { runTransaction } from '../../data/transactions.js';

const BATCH = 200;
/** How far back an expiry is still announced: the job may not have run for a while. */
const EXPIRED_LOOKBACK_DAYS = 7;

const subscriptionChange = (due: DueReminder, action: string, details: Record<string, unknown> = {}) => ({
  accountId: due.accountId,
  action,
  targetType: 'subscription',
  targetId: due.subscriptionId,
  details: { name: due.name, expiresAt: due.expiresAt.toISOString(), autoRenew: due.autoRenew, ...details },
});

/** A registered subscription's administrators hear of it; an unregistered one's buyer does. */
async function recipients(trx: Executor, due: DueReminder): Promise<{ email: string; firstName: string | null }[]> {
  if (!due.accountId) return [{ email: due.customerEmail, firstName: null }];
  return listAdminEmails(trx, due.accountId);
}

/**
 * Sends the expiry reminders that are due (30, 7 and 1 day before, the nearest threshold only, so
 * a subscription sold with 5 days left gets one reminder, not three). Each is claimed in the same
 * transaction as its emails, so with several server processes each goes out once.
 * Each reminder is also recorded (`subscription.expiring`), which is what webhooks hear.
 * Returns how many subscriptions were reminded.
 */
export async function sendExpiryReminders(deps: Deps): Promise<number> {
  const now = deps.clock.now();
  let sent = 0;
  for (const due of await findDueReminders(deps.db, now, REMINDER_DAYS, BATCH)) {
    const claimed = await runTransaction(deps.db, async (trx) => {
      if (!(await claimReminder(trx, due, now))) return false;
      const daysLeft = daysUntil(due.expiresAt, now);
      await recordChange(trx, null, subscriptionChange(due, 'subscription.expiring', { daysLeft }), now);
      const path = due.accountId ? `/accounts/${due.accountId}/subscriptions/${due.subscriptionId}` : REGISTER_KEY_PAGE;
      for (const to of await recipients(trx, due)) {
        const mail = subscriptionExpiring({
          firstName: to.firstName,
          subscription: due.name,
          expiresAt: due.expiresAt,
          daysLeft,
          autoRenew: due.autoRenew,
          link: link(deps, path),
        });
        await enqueueEmail(trx, { ...mail, to: to.email, accountId: due.accountId }, now);
      }
      return true;
    });
    if (claimed) sent += 1;
  }
  return sent;
}

/**
 * Records each subscription that expired (`subscription.expired`), once per expiry, whether or
 * not it is renewed later; claimed like a reminder, so with several server processes each is
 * recorded once. Returns how many it recorded.
 */
export async function recordExpiredSubscriptions(deps: Deps): Promise<number> {
  const now = deps.clock.now();
  let recorded = 0;
  for (const due of await findUnannouncedExpiries(deps.db, now, EXPIRED_LOOKBACK_DAYS, BATCH)) {
    const claimed = await runTransaction(deps.db, async (trx) => {
      if (!(await claimReminder(trx, due, now))) return false;
      await recordChange(trx, null, subscriptionChange(due, 'subscription.expired'), now);
      return true;
    });
    if (claimed) recorded += 1;
  }
  return recorded;
}

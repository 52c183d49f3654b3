import { listAdminEmails } from '../../data/repositories/memberships.js';
import { enqueueEmail } from '../../data/repositories/outbox.js';
import { claimReminder, findDueReminders, type DueReminder } from '../../data/repositories/reminders.js';
import type { Executor } from '../../data/executor.js';
import { daysUntil } from '../../domain/clock.js';
import { REGISTER_KEY_PAGE } from '../../domain/portal-links.js';
import { REMINDER_DAYS } from '../../domain/reminders.js';
import { subscriptionExpiring } from '../../mail/templates.js';
import { link, type Deps } from '../context.js';
import { runTransaction } from '../../data/transactions.js';

const BATCH = 200;

/** A registered subscription's administrators hear of it; an unregistered one's buyer does. */
async function recipients(trx: Executor, due: DueReminder): Promise<{ email: string; firstName: string | null }[]> {
  if (!due.accountId) return [{ email: due.customerEmail, firstName: null }];
  return listAdminEmails(trx, due.accountId);
}

/**
 * Sends the expiry reminders that are due (30, 7 and 1 day before, the nearest threshold only, so
 * a subscription sold with 5 days left gets one reminder, not three). Each is claimed in the same
 * transaction as its emails, so with several server processes each goes out once.
 * Returns how many subscriptions were reminded.
 */
export async function sendExpiryReminders(deps: Deps): Promise<number> {
  const now = deps.clock.now();
  let sent = 0;
  for (const due of await findDueReminders(deps.db, now, REMINDER_DAYS, BATCH)) {
    const claimed = await runTransaction(deps.db, async (trx) => {
      if (!(await claimReminder(trx, due, now))) return false;
      const path = due.accountId ? `/accounts/${due.accountId}/subscriptions/${due.subscriptionId}` : REGISTER_KEY_PAGE;
      for (const to of await recipients(trx, due)) {
        const mail = subscriptionExpiring({
          firstName: to.firstName,
          subscription: due.name,
          expiresAt: due.expiresAt,
          daysLeft: daysUntil(due.expiresAt, now),
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

import { findAccount } from '../../data/repositories/accounts.js';
import { recordCheckInWithUsage, type CheckInRecord } from '../../data/repositories/installations.js';
import { listAdminEmails } from '../../data/repositories/memberships.js';
import { enqueueEmail } from '../../data/repositories/outbox.js';
import type { Executor } from '../../data/executor.js';
import type { Installation } from '../../data/schema.js';
import { withinTransaction } from '../../data/transactions.js';
import { addDays } from '../../domain/clock.js';
import { usageOverLimit } from '../../mail/templates.js';
import { recordChange } from '../changes.js';
import { link, type Deps } from '../context.js';
import type { LicenseBasis } from './installation-facts.js';

/**
 * Records the check-in whose usage report first goes over the seats, and tells the account's
 * administrators in the same transaction (and its webhooks, as `quota.over_limit`): a proxy keeps
 * running with a warning, a farm starts its overuse grace, and either way someone should buy more
 * licenses or bring usage down.
 */
export async function recordWentOverLimit(
  db: Executor,
  deps: Deps,
  installation: Installation,
  basis: Extract<LicenseBasis, { trial: false }>,
  record: CheckInRecord,
  seats: number,
): Promise<Installation> {
  return withinTransaction(db, async (trx) => {
    const recorded = await recordCheckInWithUsage(trx, installation.id, installation.account_id, record);
    const account = installation.account_id ? await findAccount(trx, installation.account_id) : undefined;
    if (!account) return recorded;
    const { params } = basis.product;
    const graceDays = params.overQuota === 'grace_then_block' ? params.overuseGraceDays : null;
    const graceEndsAt = graceDays !== null && recorded.over_limit_since ? addDays(recorded.over_limit_since, graceDays).toISOString() : null;
    const details = { keyId: basis.key.id, subscriptionId: basis.subscription.id, product: basis.product.code, peak: recorded.usage_peak, seats, graceDays, graceEndsAt };
    await recordChange(trx, null, { accountId: account.id, action: 'quota.over_limit', targetType: 'installation', targetId: recorded.id, details }, record.now);
    for (const admin of await listAdminEmails(trx, account.id)) {
      const mail = usageOverLimit({
        firstName: admin.firstName,
        account: account.name,
        product: basis.product.name,
        installation: recorded.name ?? recorded.fingerprint,
        peak: recorded.usage_peak ?? 0,
        seats,
        graceDays,
        link: link(deps, `/accounts/${account.id}/subscriptions/${basis.subscription.id}`),
      });
      await enqueueEmail(trx, { ...mail, to: admin.email, accountId: account.id }, record.now);
    }
    return recorded;
  });
}

import { assignKeysToAccount, findKeyByHash } from '../../data/repositories/license-keys.js';
import { assignOrdersToAccount } from '../../data/repositories/orders.js';
import { assignItemsToAccount, lockSubscription, updateSubscription } from '../../data/repositories/subscriptions.js';
import type { CompanyDetails } from '../../data/repositories/accounts.js';
import type { Subscription } from '../../data/schema.js';
import { AppError } from '../../domain/errors.js';
import { parseLicenseKey } from '../../domain/license-key.js';
import { authorizeAccount } from '../../policies/account-policy.js';
import { insertAccountWithAdmin } from '../accounts/create-account.js';
import { recordChange } from '../changes.js';
import type { Deps } from '../context.js';
import type { Actor } from '../../domain/actor.js';
import { licenseKeyHash } from '../licensing/key-material.js';
import { enforceRateLimit, type RateLimitRule } from '../rate-limit.js';
import { runTransaction } from '../../data/transactions.js';

/** Registration attempts per user: plenty for typing keys from an order, too few to guess them. */
export const REGISTRATION_PER_USER: RateLimitRule = { name: 'register-key', limit: 30, windowSeconds: 600 };

export type RegistrationTarget = { accountId: string } | { company: CompanyDetails };

/**
 * Registers a subscription into an account by its primary license key: into an account the user
 * administers (business or their personal one), or into a new business account made from the
 * company details in the same call. A key registers once, and the refusal for a registered key
 * says nothing about whose it is.
 */
export async function registerKey(deps: Deps, actor: Actor, licenseKey: string, target: RegistrationTarget): Promise<Subscription> {
  const parsed = parseLicenseKey(licenseKey);
  if (!parsed.ok) {
    throw new AppError(parsed.code, parsed.code === 'key_malformed' ? 'This is not a license key: it has 25 letters and digits in five groups' : 'This license key has a typo: check it against your order', { field: 'licenseKey' });
  }
  // The account is checked before the key, so a stranger to it learns nothing about keys; the
  // attempt is counted outside the transaction so a refused guess still counts.
  if ('accountId' in target) await authorizeAccount(deps.db, actor, target.accountId, 'subscriptions.manage');
  await enforceRateLimit(deps, REGISTRATION_PER_USER, actor.userId);
  return runTransaction(deps.db, async (trx) => {
    const now = deps.clock.now();
    const key = await findKeyByHash(trx, licenseKeyHash(parsed.canonical));
    if (!key || key.kind !== 'primary') throw new AppError('key_not_found', 'No subscription has this license key', { field: 'licenseKey' });
    const subscription = await lockSubscription(trx, key.subscription_id);
    if (!subscription) throw new AppError('key_not_found', 'No subscription has this license key', { field: 'licenseKey' });
    if (subscription.account_id) throw new AppError('key_already_registered', 'This license key is already registered', { field: 'licenseKey' });

    let accountId: string;
    if ('accountId' in target) {
      accountId = target.accountId;
    } else {
      const account = await insertAccountWithAdmin(trx, { kind: 'business', company: target.company, adminUserId: actor.userId });
      await recordChange(trx, actor, { accountId: account.id, action: 'account.created', targetType: 'account', targetId: account.id }, now);
      accountId = account.id;
    }
    const registered = await updateSubscription(trx, subscription.id, { account_id: accountId, registered_at: now }, now);
    // Keys before items, the lock order of seat changes (lockKeysForSeats).
    await assignKeysToAccount(trx, subscription.id, accountId);
    await assignItemsToAccount(trx, subscription.id, accountId);
    await assignOrdersToAccount(trx, subscription.id, accountId);
    await recordChange(trx, actor, { accountId, action: 'subscription.registered', targetType: 'subscription', targetId: subscription.id }, now);
    return registered;
  });
}

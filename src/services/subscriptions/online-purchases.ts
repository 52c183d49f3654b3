import { findSubscription, lockSubscription } from '../../data/repositories/subscriptions.js';
import type { Executor } from '../../data/repositories/users.js';
import type { Duration, OrderItem, Subscription } from '../../data/schema.js';
import { AppError, notFound } from '../../domain/errors.js';
import { renewedExpiry } from '../../domain/subscription.js';
import { authorizeLicensing } from '../../policies/license-policy.js';
import type { Actor, Deps } from '../context.js';
import { applyAddition } from '../vendor/add-licenses.js';
import { applyRenewal } from '../vendor/renew-subscription.js';
import { loadSubscriptionView, type SubscriptionView } from './subscription-view.js';
import { runTransaction } from '../../data/transactions.js';

/** Customers renew online what they bought online; a reseller's subscription is renewed through the reseller. */
function requireOnline(subscription: Subscription): void {
  if (subscription.channel !== 'online') {
    throw new AppError('validation_failed', 'This subscription was bought through a reseller; renew it with them', { field: 'subscription' });
  }
}

async function ownSubscription(db: Executor, accountId: string, subscriptionId: string, lock: boolean): Promise<Subscription> {
  const subscription = lock ? await lockSubscription(db, subscriptionId) : await findSubscription(db, subscriptionId);
  if (!subscription || subscription.account_id !== accountId) throw notFound('Subscription');
  return subscription;
}

/** What a renewal for `duration` would do, shown before the customer confirms. */
export async function quoteRenewal(deps: Deps, actor: Actor, accountId: string, subscriptionId: string, duration: Duration) {
  await authorizeLicensing(deps.db, actor, accountId, 'subscriptions.manage');
  const subscription = await ownSubscription(deps.db, accountId, subscriptionId, false);
  requireOnline(subscription);
  return { currentExpiresAt: subscription.expires_at, newExpiresAt: renewedExpiry(subscription.expires_at, deps.clock.now(), duration) };
}

/** Renews online; answers with the subscription as its details page shows it after the renewal. */
export async function renewOnline(deps: Deps, actor: Actor, accountId: string, subscriptionId: string, duration: Duration): Promise<SubscriptionView> {
  return runTransaction(deps.db, async (trx) => {
    await authorizeLicensing(trx, actor, accountId, 'subscriptions.manage');
    const subscription = await ownSubscription(trx, accountId, subscriptionId, true);
    requireOnline(subscription);
    await applyRenewal(trx, actor, subscription, duration, deps.clock.now());
    return loadSubscriptionView(trx, accountId, subscriptionId);
  });
}

/**
 * Buys more seats for products of the subscription (or adds a product), recorded as an online
 * order; answers with the subscription as its details page shows it after the purchase.
 */
export async function buyMoreLicenses(deps: Deps, actor: Actor, accountId: string, subscriptionId: string, lines: OrderItem[]): Promise<SubscriptionView> {
  return runTransaction(deps.db, async (trx) => {
    await authorizeLicensing(trx, actor, accountId, 'subscriptions.manage');
    const subscription = await ownSubscription(trx, accountId, subscriptionId, true);
    await applyAddition(trx, actor, subscription, lines, deps.clock.now());
    return loadSubscriptionView(trx, accountId, subscriptionId);
  });
}

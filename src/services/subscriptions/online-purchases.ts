import { findSubscription, lockSubscription } from '../../data/repositories/subscriptions.js';
import type { Subscription } from '../../data/schema.js';
import { AppError, notFound } from '../../domain/errors.js';
import { renewedExpiry, type Duration } from '../../domain/subscription.js';
import { authorizeLicensing } from '../../policies/license-policy.js';
import type { Deps } from '../context.js';
import type { Actor } from '../../domain/actor.js';
import { applyAddition } from '../orders/apply-addition.js';
import { applyRenewal } from '../orders/apply-renewal.js';
import { loadSubscriptionView, type SubscriptionView } from './subscription-view.js';
import { runTransaction } from '../../data/transactions.js';
import type { OrderItem } from '../../domain/order.js';

/** Customers renew online what they bought online; a reseller's subscription is renewed through the reseller. */
function requireOnline(subscription: Subscription): void {
  if (subscription.channel !== 'online') {
    throw new AppError('validation_failed', 'This subscription was bought through a reseller; renew it with them', { field: 'subscription' });
  }
}

/** `found` is the subscription read, or locked when it is about to change. */
async function ownSubscription(found: Promise<Subscription | undefined>, accountId: string): Promise<Subscription> {
  const subscription = await found;
  if (!subscription || subscription.account_id !== accountId) throw notFound('Subscription');
  return subscription;
}

/** What a renewal for `duration` would do, shown before the customer confirms. */
export async function quoteRenewal(deps: Deps, actor: Actor, accountId: string, subscriptionId: string, duration: Duration) {
  await authorizeLicensing(deps.db, actor, accountId, 'subscriptions.manage');
  const subscription = await ownSubscription(findSubscription(deps.db, subscriptionId), accountId);
  requireOnline(subscription);
  return { currentExpiresAt: subscription.expires_at, newExpiresAt: renewedExpiry(subscription.expires_at, deps.clock.now(), duration) };
}

/** Renews online; answers with the subscription as its details page shows it after the renewal. */
export async function renewOnline(deps: Deps, actor: Actor, accountId: string, subscriptionId: string, duration: Duration): Promise<SubscriptionView> {
  return runTransaction(deps.db, async (trx) => {
    await authorizeLicensing(trx, actor, accountId, 'subscriptions.manage');
    const subscription = await ownSubscription(lockSubscription(trx, subscriptionId), accountId);
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
    const subscription = await ownSubscription(lockSubscription(trx, subscriptionId), accountId);
    await applyAddition(trx, actor, subscription, lines, deps.clock.now());
    return loadSubscriptionView(trx, accountId, subscriptionId);
  });
}

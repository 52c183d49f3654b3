import { findAccount } from '../../data/repositories/accounts.js';
import { findSubscription } from '../../data/repositories/subscriptions.js';
import type { Account } from '../../data/schema.js';
import { notFound } from '../../domain/errors.js';
import { requireOperator } from '../../policies/vendor-policy.js';
import type { Actor } from '../../domain/actor.js';
import type { Deps } from '../context.js';
import { loadSubscriptionView, type SubscriptionView } from '../subscriptions/subscription-view.js';

/** A subscription as the customer's details page shows it, with the account it is registered in. */
export async function getSubscriptionDetails(deps: Deps, actor: Actor, subscriptionId: string): Promise<SubscriptionView & { account: Account | null }> {
  requireOperator(actor);
  const subscription = await findSubscription(deps.db, subscriptionId);
  if (!subscription) throw notFound('Subscription');
  const view = await loadSubscriptionView(deps.db, subscription.account_id, subscriptionId);
  return { ...view, account: subscription.account_id ? ((await findAccount(deps.db, subscription.account_id)) ?? null) : null };
}

import type { OrderRow } from '../../data/repositories/orders.js';
import { listItems, updateSubscription } from '../../data/repositories/subscriptions.js';
import type { Executor } from '../../data/executor.js';
import type { Subscription } from '../../data/schema.js';
import type { Duration } from '../../domain/subscription.js';
import { checkChange } from '../../domain/order.js';
import { renewedExpiry } from '../../domain/subscription.js';
import { recordChange } from '../changes.js';
import type { Actor } from '../../domain/actor.js';
import { orderRefused, recordOrder } from './common.js';

/**
 * Renews a subscription for another term inside the caller's transaction: a running one from its
 * expiry, an expired one from today. The renewal order records both dates and the products
 * renewed. The vendor back office and the customer's online renewal both come through here.
 */
export async function applyRenewal(trx: Executor, actor: Actor, current: Subscription, duration: Duration, now: Date): Promise<{ subscription: Subscription; order: OrderRow }> {
  const problem = checkChange(current.channel, duration);
  if (problem) throw orderRefused(problem);
  const expiresAt = renewedExpiry(current.expires_at, now, duration);
  const subscription = await updateSubscription(trx, current.id, { expires_at: expiresAt }, now);
  const items = (await listItems(trx, current.id)).map((i) => ({ productCode: i.product_code, licenseType: i.license_type, quantity: i.quantity }));
  const order = await recordOrder(trx, actor, {
    subscriptionId: current.id,
    accountId: current.account_id,
    kind: 'renewal',
    channel: current.channel,
    duration,
    items,
    previousExpiresAt: current.expires_at,
    newExpiresAt: expiresAt,
    at: now,
  });
  await recordChange(
    trx,
    actor,
    {
      accountId: current.account_id,
      action: 'subscription.renewed',
      targetType: 'subscription',
      targetId: current.id,
      details: { order: order.number, duration, previousExpiresAt: current.expires_at.toISOString(), expiresAt: expiresAt.toISOString() },
    },
    now,
  );
  return { subscription, order };
}

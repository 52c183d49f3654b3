import { renewOveruseGrace } from '../../data/repositories/installations.js';
import type { OrderRow } from '../../data/repositories/orders.js';
import { addItemQuantity, listItems, updateSubscription } from '../../data/repositories/subscriptions.js';
import type { Executor } from '../../data/executor.js';
import type { Subscription, SubscriptionItem } from '../../data/schema.js';
import type { OrderItem } from '../../domain/order.js';
import { checkChange, checkItems } from '../../domain/order.js';
import { recordChange } from '../changes.js';
import type { Actor } from '../../domain/actor.js';
import { loadCatalog, orderRefused, recordOrder } from './common.js';

/**
 * Sells more licenses inside the caller's transaction: each line adds seats to its product, or
 * brings a new product in, and gives that product's installations a new overuse grace (the guides
 * grant it once per purchase). Every purchase is recorded as one order with exactly the lines sold.
 * The vendor back office and the customer's "buy more" both come through here.
 */
export async function applyAddition(
  trx: Executor,
  actor: Actor,
  current: Subscription,
  lines: OrderItem[],
  now: Date,
): Promise<{ subscription: Subscription; items: SubscriptionItem[]; order: OrderRow }> {
  const held = (await listItems(trx, current.id)).map((i) => ({ productCode: i.product_code, licenseType: i.license_type }));
  const problem = checkChange(current.channel, null) ?? checkItems(lines, await loadCatalog(trx), held, current.channel);
  if (problem) throw orderRefused(problem);
  for (const line of lines) await addItemQuantity(trx, current.id, current.account_id, line);
  await renewOveruseGrace(trx, current.id, lines.map((l) => l.productCode));
  const subscription = await updateSubscription(trx, current.id, {}, now);
  const order = await recordOrder(trx, actor, {
    subscriptionId: current.id,
    accountId: current.account_id,
    kind: 'add_licenses',
    channel: current.channel,
    duration: null,
    items: lines,
    previousExpiresAt: null,
    newExpiresAt: current.expires_at,
    at: now,
  });
  await recordChange(trx, actor, { accountId: current.account_id, action: 'subscription.licenses_added', targetType: 'subscription', targetId: current.id, details: { order: order.number, items: lines } }, now);
  return { subscription, items: await listItems(trx, current.id), order };
}

import { listProducts } from '../../data/repositories/products.js';
import { insertLicenseKey } from '../../data/repositories/license-keys.js';
import { insertOrder } from '../../data/repositories/orders.js';
import { enqueueEmail } from '../../data/repositories/outbox.js';
import { insertSubscription, insertSubscriptionItems } from '../../data/repositories/subscriptions.js';
import type { Duration, LicenseKey, Order, OrderItem, Subscription, SubscriptionItem, SupportPlan } from '../../data/schema.js';
import { AppError } from '../../domain/errors.js';
import { checkOrder, defaultSubscriptionName } from '../../domain/order.js';
import { extendBy } from '../../domain/subscription.js';
import { licenseKeyIssued } from '../../mail/templates.js';
import { requireOperator } from '../../policies/vendor-policy.js';
import { audit } from '../audit.js';
import { link, type Actor, type Deps } from '../context.js';
import { generateLicenseKey } from '../licensing/key-material.js';

export interface PlaceOrderInput {
  customerEmail: string;
  items: OrderItem[];
  duration: Duration;
  channel: 'online' | 'reseller';
  supportPlan: SupportPlan;
  autoRenew: boolean;
}

export interface IssuedSubscription {
  subscription: Subscription;
  items: SubscriptionItem[];
  primaryKey: LicenseKey;
  order: Order;
}

/**
 * A vendor order for a customer: a new subscription with its products and primary license key,
 * the order in its history, and an email carrying the key to the customer. The subscription
 * belongs to no account until the customer registers the key.
 */
export async function placeOrder(deps: Deps, actor: Actor, input: PlaceOrderInput): Promise<IssuedSubscription> {
  requireOperator(actor);
  return deps.db.transaction().execute(async (trx) => {
    const catalog = new Map((await listProducts(trx)).map((p) => [p.code, p]));
    const problem = checkOrder(input, catalog);
    if (problem) throw new AppError('validation_failed', `Invalid order: ${problem.field}: ${problem.message}`, { field: problem.field });
    const now = deps.clock.now();
    const expiresAt = extendBy(now, input.duration);
    const subscription = await insertSubscription(trx, {
      customerEmail: input.customerEmail,
      name: defaultSubscriptionName(input.items, catalog, expiresAt),
      channel: input.channel,
      supportPlan: input.supportPlan,
      autoRenew: input.autoRenew,
      startsAt: now,
      expiresAt,
      accountId: null,
    });
    const items = await insertSubscriptionItems(trx, subscription.id, null, input.items);
    const { key, hash } = generateLicenseKey();
    const primaryKey = await insertLicenseKey(trx, {
      subscriptionId: subscription.id,
      itemId: null,
      accountId: null,
      kind: 'primary',
      name: subscription.name,
      quota: null,
      keyHash: hash,
      keyText: key,
      expiresAt: null,
      createdBy: actor.userId,
    });
    const order = await insertOrder(trx, {
      subscriptionId: subscription.id,
      accountId: null,
      kind: 'new',
      channel: input.channel,
      duration: input.duration,
      items: input.items,
      previousExpiresAt: null,
      newExpiresAt: expiresAt,
      placedBy: actor.userId,
      at: now,
    });
    await audit(trx, actor, { accountId: null, action: 'order.placed', targetType: 'subscription', targetId: subscription.id, details: { order: order.number, customerEmail: input.customerEmail } }, now);
    const mail = licenseKeyIssued({ subscriptionName: subscription.name, key, expiresAt, registerLink: link(deps, '/register-key') });
    await enqueueEmail(trx, { ...mail, to: input.customerEmail }, now);
    return { subscription, items, primaryKey, order };
  });
}

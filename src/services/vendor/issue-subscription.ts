import { insertLicenseKey } from '../../data/repositories/license-keys.js';
import type { OrderRow } from '../../data/repositories/orders.js';
import { enqueueEmail } from '../../data/repositories/outbox.js';
import { insertSubscription, insertSubscriptionItems } from '../../data/repositories/subscriptions.js';
import type { InTransaction } from '../../data/executor.js';
import type { LicenseKey, Subscription, SubscriptionItem } from '../../data/schema.js';
import { licenseKeyIssued, trialKeyIssued } from '../../mail/templates.js';
import { recordChange } from '../changes.js';
import { link, type Deps } from '../context.js';
import type { Actor } from '../../domain/actor.js';
import type { OrderItem } from '../../domain/order.js';
import { registerKeyPath } from '../../domain/portal-links.js';
import type { Duration, SalesChannel, SupportPlan } from '../../domain/subscription.js';
import { generateLicenseKey } from '../licensing/key-material.js';
import { recordOrder } from '../orders/common.js';

export interface IssuedSubscription {
  subscription: Subscription;
  items: SubscriptionItem[];
  primaryKey: LicenseKey;
  order: OrderRow;
}

export interface NewIssue {
  kind: 'new' | 'trial';
  customerEmail: string;
  name: string;
  items: OrderItem[];
  channel: SalesChannel;
  duration: Duration | null;
  supportPlan: SupportPlan;
  autoRenew: boolean;
  expiresAt: Date;
}

const announced = {
  new: { action: 'order.placed', mail: licenseKeyIssued },
  trial: { action: 'trial.issued', mail: trialKeyIssued },
} as const;

/**
 * What an order and a trial both do, once their rules are checked: a new subscription with its
 * products and primary license key, the order in its history, the audit entry, and an email
 * carrying the key to the customer. The subscription belongs to no account until the customer
 * registers the key.
 */
export async function issueSubscription(trx: InTransaction, deps: Deps, actor: Actor, issue: NewIssue, now: Date): Promise<IssuedSubscription> {
  const subscription = await insertSubscription(trx, {
    customerEmail: issue.customerEmail,
    name: issue.name,
    channel: issue.channel,
    supportPlan: issue.supportPlan,
    autoRenew: issue.autoRenew,
    startsAt: now,
    expiresAt: issue.expiresAt,
    accountId: null,
  });
  const items = await insertSubscriptionItems(trx, subscription.id, null, issue.items);
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
  const order = await recordOrder(trx, actor, {
    subscriptionId: subscription.id,
    accountId: null,
    kind: issue.kind,
    channel: issue.channel,
    duration: issue.duration,
    items: issue.items,
    previousExpiresAt: null,
    newExpiresAt: issue.expiresAt,
    at: now,
  });
  const { action, mail } = announced[issue.kind];
  await recordChange(trx, actor, { accountId: null, action, targetType: 'subscription', targetId: subscription.id, details: { order: order.number, customerEmail: issue.customerEmail } }, now);
  const email = mail({ subscriptionName: subscription.name, key, expiresAt: issue.expiresAt, registerLink: link(deps, registerKeyPath(key)) });
  await enqueueEmail(trx, { ...email, to: issue.customerEmail }, now);
  return { subscription, items, primaryKey, order };
}

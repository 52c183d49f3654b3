import { insertLicenseKey } from '../../data/repositories/license-keys.js';
import type { OrderRow } from '../../data/repositories/orders.js';
import { enqueueEmail } from '../../data/repositories/outbox.js';
import { insertSubscription, insertSubscriptionItems } from '../../data/repositories/subscriptions.js';
import type { InTransaction } from '../../data/executor.js';
import type { LicenseKey, Subscription, SubscriptionItem } from '../../data/schema.js';
import { editionTrialStarted, licenseKeyIssued, trialKeyIssued } from '../../mail/templates.js';
import { recordChange } from '../changes.js';
import { link, type Deps } from '../context.js';
import type { Actor } from '../../domain/actor.js';
import type { OrderItem } from '../../domain/order.js';
import { registerKeyPath, subscriptionPath } from '../../domain/portal-links.js';
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
  /** An edition trial is a trial started beside a subscription of an account it belongs to at once. */
  kind: 'new' | 'trial' | 'edition_trial';
  /** The account it belongs to from the start; null until the customer registers its key. */
  accountId: string | null;
  customerEmail: string;
  name: string;
  items: OrderItem[];
  channel: SalesChannel;
  duration: Duration | null;
  supportPlan: SupportPlan;
  autoRenew: boolean;
  expiresAt: Date;
  /** What the audit entry records besides the order and the customer email. */
  details?: Record<string, unknown>;
}

const announced = {
  new: { order: 'new', action: 'order.placed', mail: licenseKeyIssued },
  trial: { order: 'trial', action: 'trial.issued', mail: trialKeyIssued },
  edition_trial: { order: 'trial', action: 'edition_trial.started', mail: editionTrialStarted },
} as const;

/**
 * What an order and a trial both do, once their rules are checked: a new subscription with its
 * products and primary license key, the order in its history, the audit entry, and an email
 * carrying the key to the customer. The subscription belongs to no account until the customer
 * registers the key, unless it is started in one (an edition trial); the email links to the key's
 * registration or to the subscription's page.
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
    accountId: issue.accountId,
  });
  const items = await insertSubscriptionItems(trx, subscription.id, issue.accountId, issue.items);
  const { key, hash } = generateLicenseKey();
  const primaryKey = await insertLicenseKey(trx, {
    subscriptionId: subscription.id,
    itemId: null,
    accountId: issue.accountId,
    kind: 'primary',
    name: subscription.name,
    quota: null,
    keyHash: hash,
    keyText: key,
    expiresAt: null,
    createdBy: actor.userId,
  });
  const { order: kind, action, mail } = announced[issue.kind];
  const order = await recordOrder(trx, actor, {
    subscriptionId: subscription.id,
    accountId: issue.accountId,
    kind,
    channel: issue.channel,
    duration: issue.duration,
    items: issue.items,
    previousExpiresAt: null,
    newExpiresAt: issue.expiresAt,
    at: now,
  });
  const details = { order: order.number, customerEmail: issue.customerEmail, ...issue.details };
  await recordChange(trx, actor, { accountId: issue.accountId, action, targetType: 'subscription', targetId: subscription.id, details }, now);
  const page = issue.accountId ? subscriptionPath(issue.accountId, subscription.id) : registerKeyPath(key);
  const email = mail({ subscriptionName: subscription.name, key, expiresAt: issue.expiresAt, link: link(deps, page) });
  await enqueueEmail(trx, { ...email, to: issue.customerEmail, accountId: issue.accountId }, now);
  return { subscription, items, primaryKey, order };
}

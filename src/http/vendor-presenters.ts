import { z } from 'zod';
import type { OrderRow } from '../data/repositories/orders.js';
import type { Account, SubscriptionItem } from '../data/schema.js';
import { maskLicenseKey } from '../domain/license-key.js';
import type { ListedSubscription } from '../services/vendor/search-subscriptions.js';
import type { SubscriptionView } from '../services/subscriptions/subscription-view.js';
import type { IssuedSubscription } from '../services/vendor/issue-subscription.js';
import type { Conversion } from '../services/editions/convert-subscription.js';
import {
  accountSchema,
  orderHistorySchema,
  presentAccount,
  presentOrderHistory,
  presentSubscription,
  presentSubscriptionDetails,
  subscriptionDetailsSchema,
  subscriptionSummarySchema,
} from './presenters.js';

// The vendor back office's shapes: what the portal shows a customer, plus who the customer is.

export const itemSchema = z
  .object({ id: z.string(), productCode: z.string(), licenseType: z.string().nullable(), quantity: z.number() })
  .meta({ id: 'SubscriptionItem' });

export function presentItem(i: SubscriptionItem): z.infer<typeof itemSchema> {
  return { id: i.id, productCode: i.product_code, licenseType: i.license_type, quantity: i.quantity };
}

export const orderSchema = orderHistorySchema
  .extend({
    id: z.string(),
    subscriptionId: z.string(),
    accountId: z.string().nullable(),
    channel: z.enum(['online', 'reseller', 'trial']),
    placedBy: z.string().nullable().meta({ description: 'Email of the operator who placed it' }),
  })
  .meta({ id: 'Order' });

export function presentOrder(o: OrderRow): z.infer<typeof orderSchema> {
  return {
    ...presentOrderHistory(o),
    id: o.id,
    subscriptionId: o.subscription_id,
    accountId: o.account_id,
    channel: o.channel,
    placedBy: o.placed_by_email,
  };
}

export const vendorSubscriptionSchema = subscriptionSummarySchema
  .extend({
    customerEmail: z.string(),
    account: z.object({ id: z.string(), name: z.string(), supportCode: z.string() }).nullable(),
    items: z.array(itemSchema),
  })
  .meta({ id: 'VendorSubscription' });

export function presentListedSubscription({ subscription: s, items }: ListedSubscription, now: Date): z.infer<typeof vendorSubscriptionSchema> {
  return {
    ...presentSubscription(s, now),
    customerEmail: s.customer_email,
    account: s.account_id && s.account_name !== null && s.account_support_code !== null ? { id: s.account_id, name: s.account_name, supportCode: s.account_support_code } : null,
    items: items.map(presentItem),
  };
}

export const issuedSchema = z
  .object({
    subscription: subscriptionSummarySchema.extend({ customerEmail: z.string() }),
    items: z.array(itemSchema),
    primaryKey: z.object({ id: z.string(), key: z.string().meta({ description: 'The primary license key in clear, for the operator to hand over' }) }),
    order: orderSchema,
  })
  .meta({ id: 'IssuedSubscription' });

export function presentIssued(i: IssuedSubscription, now: Date): z.infer<typeof issuedSchema> {
  return {
    subscription: { ...presentSubscription(i.subscription, now), customerEmail: i.subscription.customer_email },
    items: i.items.map(presentItem),
    primaryKey: { id: i.primaryKey.id, key: i.primaryKey.key_text },
    order: presentOrder(i.order),
  };
}

export const vendorSubscriptionDetailsSchema = subscriptionDetailsSchema
  .extend({ account: accountSchema.nullable() })
  .meta({ id: 'VendorSubscriptionDetails', description: 'Primary keys in clear; sublicenses, the customer\'s own, by their last group' });

export function presentVendorSubscriptionDetails(v: SubscriptionView & { account: Account | null }, now: Date): z.infer<typeof vendorSubscriptionDetailsSchema> {
  const details = presentSubscriptionDetails(v, now);
  return {
    ...details,
    keys: details.keys.map((k) => (k.kind === 'primary' ? k : { ...k, key: maskLicenseKey(k.key) })),
    account: v.account ? presentAccount(v.account) : null,
  };
}

export const conversionSchema = z
  .object({
    subscription: subscriptionSummarySchema,
    items: z.array(itemSchema),
    lines: z.array(z.object({ itemId: z.string(), from: z.string(), to: z.string() })).describe('each converted line: its product before and after'),
    installations: z.number().int().describe('the active installations, on the same keys, that get the new edition’s certificate at their next check-in'),
    profiles: z
      .object({
        moved: z.array(z.string()).describe('profiles only this subscription’s keys used: now of the new edition'),
        copied: z.array(z.object({ from: z.string(), to: z.string() })).describe('profiles other subscriptions use too: this subscription’s keys got a copy in the new edition'),
      })
      .describe('how the keys keep delivering their configuration profiles'),
    trials: z
      .array(z.object({ subscription: subscriptionSummarySchema, carriedOver: z.object({ profiles: z.number().int(), groups: z.number().int().describe('user groups moved onto sublicenses of the converted subscription') }) }))
      .describe('the account’s trials of the new edition, now suspended, and what they configured that carries over'),
  })
  .meta({ id: 'Conversion' });

export function presentConversion(c: Conversion, now: Date): z.infer<typeof conversionSchema> {
  return {
    subscription: presentSubscription(c.subscription, now),
    items: c.items.map(presentItem),
    lines: c.lines,
    installations: c.installations,
    profiles: c.profiles,
    trials: c.trials.map((t) => ({ subscription: presentSubscription(t.subscription, now), carriedOver: t.carriedOver })),
  };
}

// The shapes as clients (the `keyline vendor` CLI) receive them.
export type OrderBody = z.infer<typeof orderSchema>;
export type IssuedBody = z.infer<typeof issuedSchema>;
export type VendorSubscriptionBody = z.infer<typeof vendorSubscriptionSchema>;
export type VendorSubscriptionDetailsBody = z.infer<typeof vendorSubscriptionDetailsSchema>;
export type ItemBody = z.infer<typeof itemSchema>;

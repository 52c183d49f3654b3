import { z } from 'zod';
import type { AuditEventRow } from '../data/repositories/audit-events.js';
import type { Account, Order, Subscription, User } from '../data/schema.js';
import { licensingParamsSchema } from '../domain/catalog.js';
import { displayStatus } from '../domain/subscription.js';
import { INVITATION_STATES } from '../domain/invitation.js';
import { INVITATION_LANGUAGES } from '../mail/templates.js';
import type { InvitationView } from '../services/invitations/invite-members.js';
import type { EditionsView, ItemSeats, KeyRowView, SubscriptionView } from '../services/subscriptions/subscription-view.js';

// API shapes: camelCase, ISO timestamps. Each schema doubles as the route's response contract.
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const userSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    emailVerified: z.boolean(),
    isOperator: z.boolean(),
    createdAt: z.string(),
  })
  .meta({ id: 'User' });

export function presentUser(u: User): z.infer<typeof userSchema> {
  return {
    id: u.id,
    email: u.email,
    firstName: u.first_name,
    lastName: u.last_name,
    emailVerified: u.email_verified_at !== null,
    isOperator: u.is_operator,
    createdAt: u.created_at.toISOString(),
  };
}

export const accountSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['personal', 'business']),
    name: z.string(),
    street: z.string().nullable(),
    city: z.string().nullable(),
    country: z.string().nullable(),
    state: z.string().nullable(),
    zip: z.string().nullable(),
    phone: z.string().nullable(),
    supportCode: z.string(),
    offlineActivationEnabled: z.boolean().meta({ description: 'Whether installations may activate with files carried by hand; the vendor turns it on' }),
    createdAt: z.string(),
  })
  .meta({ id: 'Account' });

export function presentAccount(a: Account): z.infer<typeof accountSchema> {
  return {
    id: a.id,
    kind: a.kind,
    name: a.name,
    street: a.street,
    city: a.city,
    country: a.country,
    state: a.state,
    zip: a.zip,
    phone: a.phone,
    supportCode: a.support_code,
    offlineActivationEnabled: a.offline_activation_enabled,
    createdAt: a.created_at.toISOString(),
  };
}

export const memberSchema = z
  .object({
    userId: z.string(),
    email: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    role: z.enum(['admin', 'member']),
    status: z.enum(['active', 'blocked']),
    notes: z.string(),
    joinedAt: z.string(),
  })
  .meta({ id: 'Member' });

export function presentMember(m: {
  user_id: string;
  email: string;
  first_name: string;
  last_name: string;
  role: 'admin' | 'member';
  status: 'active' | 'blocked';
  notes: string;
  created_at: Date;
}): z.infer<typeof memberSchema> {
  return {
    userId: m.user_id,
    email: m.email,
    firstName: m.first_name,
    lastName: m.last_name,
    role: m.role,
    status: m.status,
    notes: m.notes,
    joinedAt: m.created_at.toISOString(),
  };
}

export { iso };

export const auditEventSchema = z
  .object({
    id: z.string(),
    action: z.string(),
    actorEmail: z.string().nullable(),
    actorUserId: z.string().nullable(),
    targetType: z.string(),
    targetId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
    ip: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'AuditEvent' });

export function presentAuditEvent(e: AuditEventRow): z.infer<typeof auditEventSchema> {
  return {
    id: String(e.id),
    action: e.action,
    actorEmail: e.actor_email,
    actorUserId: e.actor_user_id,
    targetType: e.target_type,
    targetId: e.target_id,
    details: e.details,
    ip: e.ip,
    createdAt: e.created_at.toISOString(),
  };
}

/** How often an invitation was emailed and when last: member invitations and invitations to install alike. */
export const sendingFields = {
  sentCount: z.number().int().meta({ description: 'How many times the invitation was emailed, the first time included' }),
  lastSentAt: z.string(),
};

export function presentSending(i: { sent_count: number; last_sent_at: Date }) {
  return { sentCount: i.sent_count, lastSentAt: i.last_sent_at.toISOString() };
}

export const invitationSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    role: z.enum(['admin', 'member']),
    language: z.enum(INVITATION_LANGUAGES),
    state: z.enum(INVITATION_STATES),
    expiresAt: z.string(),
    createdAt: z.string(),
    invitedBy: z.string().nullable().meta({ description: 'Email of the administrator who sent it' }),
    ...sendingFields,
    acceptedAt: z.string().nullable(),
  })
  .meta({ id: 'Invitation' });

export function presentInvitation(i: InvitationView): z.infer<typeof invitationSchema> {
  return {
    id: i.id,
    email: i.email,
    role: i.role,
    language: i.language,
    state: i.state,
    expiresAt: i.expires_at.toISOString(),
    createdAt: i.created_at.toISOString(),
    invitedBy: i.invited_by_email,
    ...presentSending(i),
    acceptedAt: iso(i.accepted_at),
  };
}

export const subscriptionSummarySchema = z
  .object({
    id: z.string(),
    accountId: z.string().nullable(),
    name: z.string(),
    status: z.enum(['active', 'expiring_soon', 'expired', 'suspended']),
    channel: z.enum(['online', 'reseller', 'trial']),
    supportPlan: z.enum(['standard', 'premium']),
    autoRenew: z.boolean(),
    startsAt: z.string(),
    expiresAt: z.string(),
    registeredAt: z.string().nullable(),
  })
  .meta({ id: 'SubscriptionSummary' });

export function presentSubscription(s: Subscription, now: Date): z.infer<typeof subscriptionSummarySchema> {
  return {
    id: s.id,
    accountId: s.account_id,
    name: s.name,
    status: displayStatus(s, now),
    channel: s.channel,
    supportPlan: s.support_plan,
    autoRenew: s.auto_renew,
    startsAt: s.starts_at.toISOString(),
    expiresAt: s.expires_at.toISOString(),
    registeredAt: iso(s.registered_at),
  };
}

export const orderLineSchema = z.object({ productCode: z.string(), licenseType: z.string().nullable(), quantity: z.number() }).meta({ id: 'OrderLine' });

/** An order as the customer's order history shows it; the back office adds who placed it. */
export const orderHistorySchema = z
  .object({
    number: z.number(),
    kind: z.enum(['new', 'renewal', 'add_licenses', 'trial']),
    duration: z.enum(['1m', '1y', '2y', '3y']).nullable(),
    items: z.array(orderLineSchema),
    previousExpiresAt: z.string().nullable(),
    newExpiresAt: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: 'OrderHistoryEntry' });

export function presentOrderHistory(o: Order): z.infer<typeof orderHistorySchema> {
  return {
    number: o.number,
    kind: o.kind,
    duration: o.duration,
    items: o.items,
    previousExpiresAt: iso(o.previous_expires_at),
    newExpiresAt: o.new_expires_at.toISOString(),
    createdAt: o.created_at.toISOString(),
  };
}

export const licenseKeyRowSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(['primary', 'dynamic', 'reserved']),
    key: z.string(),
    itemId: z.string(),
    quota: z.number(),
    used: z.number(),
    available: z.number(),
    expiresAt: z.string().describe('the key’s own date, or the subscription’s for keys that renew with it'),
    renewsWithSubscription: z.boolean(),
    profile: z
      .object({ id: z.string(), name: z.string() })
      .nullable()
      .describe('the configuration profile assigned to the key; null: the built-in Default (no payloads)'),
  })
  .meta({ id: 'LicenseKeyRow' });

/** What the Products table shows of a product's seats. */
const productSeatFields = {
  used: z.number(),
  availableInMainPool: z.number(),
  availableInReservedKeys: z.number(),
};

export const productSeatsSchema = z
  .object({
    itemId: z.string(),
    ...productSeatFields,
    keys: z.array(licenseKeyRowSchema).describe("the rows of every key in the product's pool, whose figures the change moved"),
  })
  .meta({ id: 'ProductSeats' });

export const subscriptionEditionsSchema = z
  .object({
    upgrade: z
      .object({ productCode: z.string(), productName: z.string(), converted: z.boolean().describe('true once the vendor converted the subscription to it') })
      .nullable()
      .describe("the edition the subscription's products upgrade to (Business → Enterprise), or were converted to; null for none"),
    trial: subscriptionSummarySchema.nullable().describe("the account's trial of that edition, once started (it may be suspended, or made permanent)"),
    trialOf: z.object({ id: z.string(), name: z.string() }).nullable().describe('when this subscription is an edition trial: the subscription it was started beside'),
  })
  .meta({ id: 'SubscriptionEditions' });

export const subscriptionDetailsSchema = z
  .object({
    subscription: subscriptionSummarySchema,
    contract: z.object({ customerEmail: z.string(), supportPlan: z.enum(['standard', 'premium']), channel: z.enum(['online', 'reseller', 'trial']) }),
    products: z.array(
      z.object({
        itemId: z.string(),
        productCode: z.string(),
        productName: z.string(),
        productModel: z.string().describe('per_device, per_user, concurrent_users or per_managed_device'),
        seatUnit: licensingParamsSchema.shape.seatUnit.describe("what one seat is, and so what a key's quota counts"),
        installationsPerKey: licensingParamsSchema.shape.installationsPerKey.describe(
          "1: each key activates one installation (a farm, a proxy), licensed for the key's share of the seats; null: a key activates an installation per seat",
        ),
        supportUrl: z.string().nullable().describe("where the product's customers get support: an https://, http:// or mailto: address, or null"),
        licenseType: z.string().nullable(),
        quantity: z.number(),
        convertedFrom: z.string().nullable().describe('the product code the line held before the vendor converted it to this edition'),
        ...productSeatFields,
      }),
    ),
    keys: z.array(licenseKeyRowSchema),
    orders: z.array(orderHistorySchema),
    editions: subscriptionEditionsSchema,
  })
  .meta({ id: 'SubscriptionDetails' });

export function presentKeyRow(r: KeyRowView, s: Subscription): z.infer<typeof licenseKeyRowSchema> {
  return {
    id: r.key.id,
    name: r.key.name,
    kind: r.key.kind,
    key: r.key.key_text,
    itemId: r.itemId,
    quota: r.quota,
    used: r.used,
    available: r.available,
    expiresAt: (r.key.expires_at && r.key.expires_at < s.expires_at ? r.key.expires_at : s.expires_at).toISOString(),
    renewsWithSubscription: r.key.expires_at === null,
    profile: r.key.profile_id && r.key.profile_name !== null ? { id: r.key.profile_id, name: r.key.profile_name } : null,
  };
}

function presentSeatFigures(i: Omit<ItemSeats, 'keys'>) {
  return { used: i.used, availableInMainPool: i.availableInMain, availableInReservedKeys: i.availableInReserved };
}

export function presentProductSeats(seats: ItemSeats, s: Subscription): z.infer<typeof productSeatsSchema> {
  return { itemId: seats.item.id, ...presentSeatFigures(seats), keys: seats.keys.map((r) => presentKeyRow(r, s)) };
}

export function presentSubscriptionDetails(v: SubscriptionView, now: Date): z.infer<typeof subscriptionDetailsSchema> {
  const s = v.subscription;
  return {
    subscription: presentSubscription(s, now),
    contract: { customerEmail: s.customer_email, supportPlan: s.support_plan, channel: s.channel },
    products: v.items.map((i) => ({
      itemId: i.item.id,
      productCode: i.item.product_code,
      productName: i.productName,
      productModel: i.productModel,
      seatUnit: i.seatUnit,
      installationsPerKey: i.installationsPerKey,
      supportUrl: i.supportUrl,
      licenseType: i.item.license_type,
      quantity: i.item.quantity,
      convertedFrom: i.item.converted_from,
      ...presentSeatFigures(i),
    })),
    keys: v.keys.map((r) => presentKeyRow(r, s)),
    orders: v.orders.map(presentOrderHistory),
    editions: presentEditions(v.editions, now),
  };
}

export function presentEditions(e: EditionsView, now: Date): z.infer<typeof subscriptionEditionsSchema> {
  return {
    upgrade: e.upgrade && { productCode: e.upgrade.product.code, productName: e.upgrade.product.name, converted: e.upgrade.converted },
    trial: e.trial && presentSubscription(e.trial.trial, now),
    trialOf: e.trialOf,
  };
}

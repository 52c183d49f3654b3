import { z } from 'zod';
import type { AuditEventRow } from '../data/repositories/audit-events.js';
import type { Account, Subscription, User } from '../data/schema.js';
import { displayStatus } from '../domain/subscription.js';
import { INVITATION_STATES } from '../domain/invitation.js';
import { INVITATION_LANGUAGES } from '../mail/templates.js';
import type { InvitationView } from '../services/invitations/invite-members.js';

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
    sentCount: z.number(),
    lastSentAt: z.string(),
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
    sentCount: i.sent_count,
    lastSentAt: i.last_sent_at.toISOString(),
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

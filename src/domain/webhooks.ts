import { classifyAddress, type AddressClass } from './ip-address.js';

/**
 * Webhooks (capability 14): the event types an endpoint subscribes to, which audited change
 * each one is, what a delivery carries, and the rules of retrying and of giving up on an
 * endpoint. The one table below maps audit actions to event types: a change becomes a webhook
 * event by being recorded (services/changes.ts), never by a use case sending one itself.
 */
export const WEBHOOK_EVENTS = {
  'installation.activated': {
    actions: ['installation.activated', 'installation.offline_activated'],
    id: 'installationId',
    label: 'An installation activated, online or with an offline file (also a machine activating again)',
  },
  'installation.deactivated': {
    actions: ['installation.deactivated', 'installation.offline_deactivated'],
    id: 'installationId',
    label: 'An installation deactivated, or applied a deactivation from the portal',
  },
  'installation.blacklisted': { actions: ['installation.blacklisted'], id: 'installationId', label: 'A machine was blacklisted for a license key' },
  'quota.exhausted': {
    actions: ['quota.exhausted'],
    id: 'keyId',
    label: "An activation took the last free seat of a key's quota or of a subscription's pool",
  },
  'quota.over_limit': {
    actions: ['quota.over_limit'],
    id: 'installationId',
    label: 'A server farm or proxy reported usage over its seats (a farm starts its overuse grace)',
  },
  'subscription.expiring': { actions: ['subscription.expiring'], id: 'subscriptionId', label: 'A subscription expires in 30, 7 or 1 day(s)' },
  'subscription.expired': { actions: ['subscription.expired'], id: 'subscriptionId', label: 'A subscription expired' },
  'subscription.renewed': { actions: ['subscription.renewed'], id: 'subscriptionId', label: 'A subscription was renewed' },
  'member.joined': { actions: ['member.joined'], id: 'userId', label: 'Someone joined the account' },
  'member.removed': { actions: ['member.removed', 'member.left'], id: 'userId', label: 'A member was removed from the account, or left it' },
  // Reserved for the support desk, which records no change yet: subscribable, never sent so far, not offered in the portal.
  'ticket.updated': { actions: [], id: 'ticketId', label: 'A support ticket was updated', reserved: true },
} as const satisfies Record<string, { actions: readonly string[]; id: string; label: string; reserved?: true }>;

export type WebhookEventType = keyof typeof WEBHOOK_EVENTS;
export const WEBHOOK_EVENT_TYPES = Object.keys(WEBHOOK_EVENTS) as [WebhookEventType, ...WebhookEventType[]];

/** The types an endpoint can hear today: the catalogue without those reserved for what does not exist yet. */
export const OFFERED_EVENT_TYPES = WEBHOOK_EVENT_TYPES.filter((t) => !('reserved' in WEBHOOK_EVENTS[t]));

/** What "Send test event" delivers: to the one endpoint, whatever it subscribes to. */
export const WEBHOOK_TEST_EVENT = 'webhook.test';

const EVENT_OF_ACTION: ReadonlyMap<string, WebhookEventType> = new Map(
  WEBHOOK_EVENT_TYPES.flatMap((type) => WEBHOOK_EVENTS[type].actions.map((action): [string, WebhookEventType] => [action, type])),
);

/** The event type an audited change is, or null when no endpoint can subscribe to it. */
export function webhookEventTypeOf(action: string): WebhookEventType | null {
  return EVENT_OF_ACTION.get(action) ?? null;
}

/** A recorded change, as far as its webhook event shows it. */
export interface ChangeFacts {
  accountId: string | null;
  action: string;
  targetId: string | null;
  details?: Record<string, unknown> | undefined;
  /** Who made it: a member's email, the invited person's for an installation, null for the server. */
  by: string | null;
}

/**
 * The body of a delivery, as the Standard Webhooks convention shapes it: `{type, timestamp, data}`.
 * `data` is the audit entry's details with the account, the changed thing under the name the
 * event type gives its id, the audit action (which tells an offline activation from an online
 * one, a member who left from one removed) and who made the change.
 */
export function webhookBody(type: WebhookEventType | typeof WEBHOOK_TEST_EVENT, change: ChangeFacts, at: Date): string {
  const id = type === WEBHOOK_TEST_EVENT ? 'endpointId' : WEBHOOK_EVENTS[type].id;
  const data = { ...change.details, accountId: change.accountId, [id]: change.targetId, action: change.action, by: change.by };
  return JSON.stringify({ type, timestamp: at.toISOString(), data });
}

/** The event a change is, with its body, or null when the change is no webhook event. */
export function webhookEventOf(change: ChangeFacts, at: Date): { type: WebhookEventType; body: string } | null {
  const type = webhookEventTypeOf(change.action);
  return type && { type, body: webhookBody(type, change, at) };
}

/** The Standard Webhooks message id of a delivery: the same on every attempt, so a receiver can drop repeats. */
export const messageIdOf = (deliveryId: string) => `msg_${deliveryId}`;

// Retries: about four days of them, the first quickly (a receiver restarting), then every 6 hours.
export const WEBHOOK_MAX_ATTEMPTS = 24;
const FIRST_RETRY_SECONDS = 30;
const LONGEST_RETRY_SECONDS = 6 * 3600;

/** Exponential backoff: after the nth failed attempt of a delivery, 30 s · 2^(n−1), at most 6 hours. */
export function webhookRetryDelaySeconds(failedAttempts: number): number {
  return Math.min(LONGEST_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** Math.max(0, failedAttempts - 1));
}

/**
 * An endpoint that failed every attempt for this long, this many times in a row, is disabled
 * (and its account's administrators are told): by then nobody reads what it receives. Both
 * are needed, so neither a burst of failures during a short outage nor one failure days ago
 * disables it.
 */
export const DISABLE_AFTER_DAYS = 3;
export const DISABLE_AFTER_FAILURES = 15;

export interface FailureStreak {
  /** Attempts that failed since the last one that succeeded. */
  failures: number;
  /** When the first of them failed; null while the endpoint is not failing. */
  failingSince: Date | null;
}

export function shouldDisableEndpoint(streak: FailureStreak, now: Date): boolean {
  if (!streak.failingSince || streak.failures < DISABLE_AFTER_FAILURES) return false;
  return now.getTime() - streak.failingSince.getTime() >= DISABLE_AFTER_DAYS * 86_400_000;
}

/** What the operator allows endpoints to target (configuration). */
export interface DestinationPolicy {
  allowPrivate: boolean;
  allowHttp: boolean;
}

export type UrlRefusal =
  | { code: 'webhook_https_required'; message: string }
  | { code: 'webhook_address_forbidden'; message: string; addressClass: AddressClass };

/** Where a delivery goes: the URL, and its host as an address when it is one (the rest are resolved when sending). */
export interface Destination {
  url: URL;
  /** The host name, an IPv6 address without its brackets. */
  host: string;
  addressClass: AddressClass | null;
}

export function addressAllowed(addressClass: AddressClass, policy: Pick<DestinationPolicy, 'allowPrivate'>): boolean {
  return addressClass === 'public' || policy.allowPrivate;
}

export const forbiddenAddress = (addressClass: AddressClass): UrlRefusal => ({
  code: 'webhook_address_forbidden',
  message: `Webhooks may not target a ${addressClass.replace('_', '-')} address; only public internet addresses are allowed unless the operator allows others (KEYLINE_WEBHOOKS_ALLOW_PRIVATE)`,
  addressClass,
});

/**
 * The rules of a webhook URL that need no name resolution: https (http only when allowed), and a
 * host that is not a non-public address, `localhost` being one by its name (RFC 6761). A host
 * name is resolved and its addresses held to the same rule when the endpoint is saved and again
 * at every delivery, so a name that later points inside gets nothing.
 */
export function checkWebhookUrl(url: URL, policy: DestinationPolicy): { ok: true; destination: Destination } | { ok: false; refusal: UrlRefusal } {
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowHttp)) {
    return { ok: false, refusal: { code: 'webhook_https_required', message: 'A webhook URL must use https:// (plain http:// only when the operator allows it: KEYLINE_WEBHOOKS_ALLOW_HTTP)' } };
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const named = /(^|\.)localhost\.?$/i.test(host) ? 'loopback' : null;
  const addressClass = named ?? classifyAddress(host);
  if (addressClass && !addressAllowed(addressClass, policy)) return { ok: false, refusal: forbiddenAddress(addressClass) };
  return { ok: true, destination: { url, host, addressClass: named ? null : addressClass } };
}

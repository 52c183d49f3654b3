import { randomBytes } from 'node:crypto';
import {
  countEndpoints,
  deleteEndpoint,
  findDelivery,
  findEndpoint,
  insertDelivery,
  insertEndpoint,
  listDeliveries,
  listEndpoints,
  lockEndpoint,
  requeueDelivery,
  rotateEndpointSecret,
  updateEndpoint,
  type DeliveryRecord,
  type EndpointChange,
} from '../../data/repositories/webhooks.js';
import type { Executor, InTransaction } from '../../data/executor.js';
import type { WebhookEndpoint } from '../../data/schema.js';
import { runTransaction } from '../../data/transactions.js';
import type { Actor } from '../../domain/actor.js';
import { addSeconds } from '../../domain/clock.js';
import { AppError, notFound } from '../../domain/errors.js';
import { WEBHOOK_SECRET_PREFIX } from '../../domain/webhook-signature.js';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_TEST_EVENT, webhookBody, type WebhookEventType } from '../../domain/webhooks.js';
import { authorizeWebhooks, type WebhookOwner } from '../../policies/webhook-policy.js';
import { recordChange } from '../changes.js';
import type { Deps } from '../context.js';
import { keysetPage, type Page } from '../paging.js';
import { sealSecret, secretKeyOf } from '../security/secrets.js';
import { checkDestination } from './destination.js';

/**
 * Webhook endpoints of an account (its administrators) or of the vendor (operators): where the
 * events go, which ones, and the secret they are signed with, which is shown once, when it is
 * made, and otherwise kept encrypted.
 */

export const MAX_ENDPOINTS = 20;
/** After a rotation the previous secret signs beside the new one this long, so receivers can switch without a gap. */
export const PREVIOUS_SECRET_SECONDS = 24 * 3600;

export interface EndpointInput {
  url: string;
  description: string;
  eventTypes: readonly WebhookEventType[];
}

/** An endpoint with its secret in clear: the answer to creating it or rotating its secret, the one time it is shown. */
export interface EndpointWithSecret {
  endpoint: WebhookEndpoint;
  secret: string;
}

const newWebhookSecret = () => `${WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString('base64')}`;

/** The types in the catalogue's order, each once. */
const eventTypesOf = (types: readonly WebhookEventType[]) => WEBHOOK_EVENT_TYPES.filter((t) => types.includes(t));

async function sealedNewSecret(deps: Deps): Promise<{ secret: string; sealed: string }> {
  const secret = newWebhookSecret();
  return { secret, sealed: sealSecret(await secretKeyOf(deps.config), secret) };
}

/** The URL as saved (normalized), once its destination passed the rules. */
async function savedUrl(deps: Deps, url: string): Promise<string> {
  return (await checkDestination(new URL(url), deps.config.webhooks)).url.href;
}

async function endpointOf(db: Executor, ownerId: string | null, endpointId: string): Promise<WebhookEndpoint> {
  const endpoint = await findEndpoint(db, ownerId, endpointId);
  if (!endpoint) throw notFound('Webhook endpoint');
  return endpoint;
}

async function lockedEndpoint(trx: InTransaction, ownerId: string | null, endpointId: string): Promise<WebhookEndpoint> {
  const endpoint = await lockEndpoint(trx, ownerId, endpointId);
  if (!endpoint) throw notFound('Webhook endpoint');
  return endpoint;
}

const audited = (endpoint: WebhookEndpoint, action: string, details: Record<string, unknown> = {}) => ({
  accountId: endpoint.account_id,
  action: `webhook_endpoint.${action}`,
  targetType: 'webhook_endpoint',
  targetId: endpoint.id,
  details: { url: endpoint.url, ...details },
});

export async function listWebhookEndpoints(deps: Deps, actor: Actor, owner: WebhookOwner): Promise<WebhookEndpoint[]> {
  return listEndpoints(deps.db, await authorizeWebhooks(deps.db, actor, owner));
}

export async function getWebhookEndpoint(deps: Deps, actor: Actor, owner: WebhookOwner, endpointId: string): Promise<WebhookEndpoint> {
  return endpointOf(deps.db, await authorizeWebhooks(deps.db, actor, owner), endpointId);
}

export async function createWebhookEndpoint(deps: Deps, actor: Actor, owner: WebhookOwner, input: EndpointInput): Promise<EndpointWithSecret> {
  return runTransaction(deps.db, async (trx) => {
    const ownerId = await authorizeWebhooks(trx, actor, owner);
    if ((await countEndpoints(trx, ownerId)) >= MAX_ENDPOINTS) {
      throw new AppError('webhook_endpoint_limit', `There can be at most ${MAX_ENDPOINTS} webhook endpoints here; delete one first`, { limit: MAX_ENDPOINTS });
    }
    const url = await savedUrl(deps, input.url);
    const { secret, sealed } = await sealedNewSecret(deps);
    const now = deps.clock.now();
    const endpoint = await insertEndpoint(trx, { accountId: ownerId, url, description: input.description, eventTypes: eventTypesOf(input.eventTypes), secretSealed: sealed, createdBy: actor.userId, now });
    await recordChange(trx, actor, audited(endpoint, 'created', { eventTypes: endpoint.event_types }), now);
    return { endpoint, secret };
  });
}

/** Changes what is given; enabling an endpoint (also one disabled for failing) starts its failure streak afresh. */
export async function updateWebhookEndpoint(deps: Deps, actor: Actor, owner: WebhookOwner, endpointId: string, input: Partial<EndpointInput> & { enabled?: boolean | undefined }): Promise<WebhookEndpoint> {
  return runTransaction(deps.db, async (trx) => {
    const ownerId = await authorizeWebhooks(trx, actor, owner);
    const before = await lockedEndpoint(trx, ownerId, endpointId);
    const change: EndpointChange = {
      ...(input.url !== undefined ? { url: await savedUrl(deps, input.url) } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.eventTypes !== undefined ? { eventTypes: eventTypesOf(input.eventTypes) } : {}),
      ...(input.enabled !== undefined && input.enabled !== before.enabled ? { enabled: input.enabled } : {}),
    };
    const now = deps.clock.now();
    const endpoint = await updateEndpoint(trx, endpointId, change, now);
    await recordChange(trx, actor, audited(endpoint, 'updated', { changed: Object.keys(change) }), now);
    return endpoint;
  });
}

export async function deleteWebhookEndpoint(deps: Deps, actor: Actor, owner: WebhookOwner, endpointId: string): Promise<void> {
  await runTransaction(deps.db, async (trx) => {
    const ownerId = await authorizeWebhooks(trx, actor, owner);
    const endpoint = await lockedEndpoint(trx, ownerId, endpointId);
    await deleteEndpoint(trx, endpoint.id);
    await recordChange(trx, actor, audited(endpoint, 'deleted'), deps.clock.now());
  });
}

/** A new signing secret, shown this once; the previous one keeps signing beside it for a day. */
export async function rotateWebhookSecret(deps: Deps, actor: Actor, owner: WebhookOwner, endpointId: string): Promise<EndpointWithSecret> {
  return runTransaction(deps.db, async (trx) => {
    const ownerId = await authorizeWebhooks(trx, actor, owner);
    await lockedEndpoint(trx, ownerId, endpointId);
    const { secret, sealed } = await sealedNewSecret(deps);
    const now = deps.clock.now();
    const endpoint = await rotateEndpointSecret(trx, endpointId, sealed, addSeconds(now, PREVIOUS_SECRET_SECONDS), now);
    await recordChange(trx, actor, audited(endpoint, 'secret_rotated'), now);
    return { endpoint, secret };
  });
}

const disabledRefusal = () => new AppError('webhook_endpoint_disabled', 'This endpoint is disabled; enable it first, then send', {});

/** Queues a `webhook.test` event for this endpoint alone, whatever it subscribes to; the worker sends it within a second or so. */
export async function sendTestEvent(deps: Deps, actor: Actor, owner: WebhookOwner, endpointId: string): Promise<DeliveryRecord> {
  return runTransaction(deps.db, async (trx) => {
    const ownerId = await authorizeWebhooks(trx, actor, owner);
    const endpoint = await lockedEndpoint(trx, ownerId, endpointId);
    if (!endpoint.enabled) throw disabledRefusal();
    const now = deps.clock.now();
    const body = webhookBody(WEBHOOK_TEST_EVENT, { accountId: ownerId, action: 'webhook_endpoint.test_sent', targetId: endpoint.id, by: actor.email }, now);
    const id = await insertDelivery(trx, { endpointId: endpoint.id, accountId: ownerId, type: WEBHOOK_TEST_EVENT, body, now });
    await recordChange(trx, actor, audited(endpoint, 'test_sent', { deliveryId: id }), now);
    return (await findDelivery(trx, endpoint.id, id))!;
  });
}

export interface DeliveryCursor {
  createdAt: string;
  id: string;
}

/** The endpoint's delivery log, newest first, each delivery with its latest attempts. */
export async function listWebhookDeliveries(
  deps: Deps,
  actor: Actor,
  owner: WebhookOwner,
  endpointId: string,
  page: { after: DeliveryCursor | undefined; limit: number },
): Promise<Page<DeliveryRecord, DeliveryCursor>> {
  const endpoint = await getWebhookEndpoint(deps, actor, owner, endpointId);
  const before = page.after && { createdAt: new Date(page.after.createdAt), id: page.after.id };
  return keysetPage(
    page.limit,
    (limit) => listDeliveries(deps.db, endpoint.id, { before, limit }),
    (d) => ({ createdAt: d.created_at.toISOString(), id: d.id }),
  );
}

/** Sends a delivery again (failed or not), with the same id so a receiver can tell a repeat, and a new round of retries. */
export async function redeliverWebhook(deps: Deps, actor: Actor, owner: WebhookOwner, endpointId: string, deliveryId: string): Promise<DeliveryRecord> {
  return runTransaction(deps.db, async (trx) => {
    const ownerId = await authorizeWebhooks(trx, actor, owner);
    const endpoint = await lockedEndpoint(trx, ownerId, endpointId);
    if (!endpoint.enabled) throw disabledRefusal();
    const now = deps.clock.now();
    if (!(await requeueDelivery(trx, endpoint.id, deliveryId, now))) throw notFound('Delivery');
    await recordChange(trx, actor, audited(endpoint, 'redelivered', { deliveryId }), now);
    return (await findDelivery(trx, endpoint.id, deliveryId))!;
  });
}

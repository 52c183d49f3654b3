import { z } from 'zod';
import type { DeliveryRecord } from '../data/repositories/webhooks.js';
import type { WebhookEndpoint } from '../data/schema.js';
import { messageIdOf, WEBHOOK_EVENT_TYPES, WEBHOOK_TEST_EVENT, type WebhookEventType } from '../domain/webhooks.js';

// Webhook endpoints and their delivery log (capability 14) as the API shows them: camelCase, ISO timestamps.

export const webhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES).meta({ id: 'WebhookEventType' });

export const webhookEndpointSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string(),
    eventTypes: z.array(webhookEventTypeSchema),
    enabled: z.boolean(),
    disabledAt: z.string().nullable(),
    disabledReason: z.string().nullable().describe('why the server disabled it (a long failure streak); null when it is enabled or was disabled by hand'),
    failureStreak: z.number().int().describe('attempts that failed in a row since the last success'),
    failingSince: z.string().nullable(),
    previousSecretUntil: z.string().nullable().describe('after a rotation, until when the previous secret signs beside the new one'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'WebhookEndpoint', description: 'Where an account’s (or the vendor’s) events are POSTed, signed by the Standard Webhooks convention' });

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function presentEndpoint(e: WebhookEndpoint): z.infer<typeof webhookEndpointSchema> {
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    eventTypes: e.event_types.filter((t): t is WebhookEventType => (WEBHOOK_EVENT_TYPES as string[]).includes(t)),
    enabled: e.enabled,
    disabledAt: iso(e.disabled_at),
    disabledReason: e.disabled_reason,
    failureStreak: e.failure_streak,
    failingSince: iso(e.failing_since),
    previousSecretUntil: iso(e.previous_secret_until),
    createdAt: e.created_at.toISOString(),
    updatedAt: e.updated_at.toISOString(),
  };
}

export const endpointWithSecretSchema = z.object({
  endpoint: webhookEndpointSchema,
  secret: z.string().describe('whsec_ and the base64 of the key: shown this once; verify deliveries with any Standard Webhooks library'),
});

const attemptSchema = z.object({
  attempt: z.number().int(),
  attemptedAt: z.string(),
  statusCode: z.number().int().nullable().describe('null when no answer came (refused, timed out, address not allowed)'),
  durationMs: z.number().int(),
  error: z.string().nullable(),
  responseExcerpt: z.string().nullable().describe('the start of what the receiver answered (1 KB at most)'),
});

export const webhookDeliverySchema = z
  .object({
    id: z.string(),
    messageId: z.string().describe('the webhook-id header of every attempt: the same on each, so a receiver can drop repeats'),
    eventType: z.union([webhookEventTypeSchema, z.literal(WEBHOOK_TEST_EVENT)]),
    status: z.enum(['pending', 'delivered', 'failed']).describe('pending: due, or waiting for its next retry; failed: every retry failed'),
    attempts: z.number().int(),
    nextAttemptAt: z.string().nullable(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    createdAt: z.string(),
    payload: z.record(z.string(), z.unknown()).describe('the JSON body that is POSTed: {type, timestamp, data}'),
    log: z.array(attemptSchema).describe('the latest attempts, oldest first'),
  })
  .meta({ id: 'WebhookDelivery' });

export function presentDelivery(d: DeliveryRecord): z.infer<typeof webhookDeliverySchema> {
  return {
    id: d.id,
    messageId: messageIdOf(d.id),
    eventType: d.event_type as WebhookEventType,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.status === 'pending' ? d.next_attempt_at.toISOString() : null,
    lastStatusCode: d.last_status_code,
    lastError: d.last_error,
    deliveredAt: iso(d.delivered_at),
    createdAt: d.created_at.toISOString(),
    payload: JSON.parse(d.body) as Record<string, unknown>,
    log: d.log.map((a) => ({ ...a, attemptedAt: new Date(a.attemptedAt).toISOString() })),
  };
}

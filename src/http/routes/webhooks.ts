import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { WEBHOOK_EVENT_TYPES } from '../../domain/webhooks.js';
import type { WebhookOwner } from '../../policies/webhook-policy.js';
import type { Deps } from '../../services/context.js';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  getWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  redeliverWebhook,
  rotateWebhookSecret,
  sendTestEvent,
  updateWebhookEndpoint,
} from '../../services/webhooks/endpoints.js';
import { actorOf } from '../auth.js';
import { errorResponses as errors } from '../errors.js';
import { accountIdParams, encodeCursor, pageQuery, uuid } from '../schemas/common.js';
import { cursorParam } from '../schemas/paging.js';
import { config as operatorOnly } from '../schemas/vendor.js';
import { endpointWithSecretSchema, presentDelivery, presentEndpoint, webhookDeliverySchema, webhookEndpointSchema, webhookEventTypeSchema } from '../webhook-presenters.js';

// Webhook endpoints, the same routes twice: an account's (its administrators) and the vendor's (operators).

// The text is checked before it is read as a URL, which would drop tabs and line breaks silently.
const url = z
  .string()
  .max(2000)
  .regex(/^[^\s\p{Cc}]*$/u, 'must not contain spaces or control characters')
  .pipe(z.url({ protocol: /^https?$/, error: 'must be an https:// URL' }))
  .refine((u) => !URL.canParse(u) || (new URL(u).username === '' && new URL(u).password === ''), 'must not carry a user name or password')
  .refine((u) => !u.includes('#'), 'must not have a #fragment (it is never sent)')
  .describe('https:// (http:// only where the operator allows it); loopback, private and other non-public addresses are refused unless the operator allows them');
const description = z.string().trim().max(500);
const eventTypes = z.array(webhookEventTypeSchema).min(1, 'needs at least one event type').max(WEBHOOK_EVENT_TYPES.length * 2);

const createBody = z.strictObject({ url, description: description.default(''), eventTypes });
const updateBody = z.strictObject({
  url: url.optional(),
  description: description.optional(),
  eventTypes: eventTypes.optional(),
  enabled: z.boolean().optional().describe('enabling an endpoint the server disabled starts its failure streak afresh'),
});
const deliveryCursor = cursorParam(z.object({ createdAt: z.iso.datetime(), id: uuid }));

interface Scope<P extends z.ZodObject> {
  /** The path of the endpoints, with the owner's parameters. */
  base: string;
  params: P;
  owner: (params: z.infer<P>) => WebhookOwner;
  whose: string;
  tags: string[];
  config?: typeof operatorOnly;
}

function endpointRoutes<P extends z.ZodObject>(deps: Deps, scope: Scope<P>): FastifyPluginAsyncZod {
  const { base, tags, whose } = scope;
  const params = scope.params;
  // The owner's parameters are the scope's to read (owner); the handlers read only the ids added here.
  const endpointParams = scope.params.extend({ endpointId: uuid }) as unknown as z.ZodObject<{ endpointId: typeof uuid }>;
  const deliveryParams = endpointParams.extend({ deliveryId: uuid });
  const owner = (p: unknown) => scope.owner(p as z.infer<P>);
  const route = scope.config ? { config: scope.config } : {};
  return async (app) => {
    app.get(base, {
      ...route,
      schema: { tags, summary: `${whose} webhook endpoints`, params, response: { 200: z.object({ items: z.array(webhookEndpointSchema) }), ...errors } },
      handler: async (req) => ({ items: (await listWebhookEndpoints(deps, actorOf(req), owner(req.params))).map(presentEndpoint) }),
    });

    app.post(base, {
      ...route,
      schema: {
        tags,
        summary: `Add a webhook endpoint to ${whose}; the answer holds its signing secret, shown this once`,
        params,
        body: createBody,
        response: { 201: endpointWithSecretSchema, ...errors },
      },
      handler: async (req, reply) => {
        const { endpoint, secret } = await createWebhookEndpoint(deps, actorOf(req), owner(req.params), req.body);
        return reply.code(201).send({ endpoint: presentEndpoint(endpoint), secret });
      },
    });

    app.get(`${base}/:endpointId`, {
      ...route,
      schema: { tags, summary: 'A webhook endpoint', params: endpointParams, response: { 200: z.object({ endpoint: webhookEndpointSchema }), ...errors } },
      handler: async (req) => ({ endpoint: presentEndpoint(await getWebhookEndpoint(deps, actorOf(req), owner(req.params), req.params.endpointId)) }),
    });

    app.patch(`${base}/:endpointId`, {
      ...route,
      schema: { tags, summary: 'Change an endpoint: URL, description, event types, enabled', params: endpointParams, body: updateBody, response: { 200: z.object({ endpoint: webhookEndpointSchema }), ...errors } },
      handler: async (req) => ({ endpoint: presentEndpoint(await updateWebhookEndpoint(deps, actorOf(req), owner(req.params), req.params.endpointId, req.body)) }),
    });

    app.delete(`${base}/:endpointId`, {
      ...route,
      schema: { tags, summary: 'Delete an endpoint with its delivery log', params: endpointParams, response: { 204: z.null(), ...errors } },
      handler: async (req, reply) => {
        await deleteWebhookEndpoint(deps, actorOf(req), owner(req.params), req.params.endpointId);
        return reply.code(204).send(null);
      },
    });

    app.post(`${base}/:endpointId/rotate-secret`, {
      ...route,
      schema: {
        tags,
        summary: 'Give the endpoint a new signing secret, shown this once; for a day the previous one signs beside it (two signatures in webhook-signature)',
        params: endpointParams,
        response: { 200: endpointWithSecretSchema, ...errors },
      },
      handler: async (req) => {
        const { endpoint, secret } = await rotateWebhookSecret(deps, actorOf(req), owner(req.params), req.params.endpointId);
        return { endpoint: presentEndpoint(endpoint), secret };
      },
    });

    app.post(`${base}/:endpointId/test`, {
      ...route,
      schema: {
        tags,
        summary: 'Send the endpoint a webhook.test event (whatever it subscribes to); it goes out within a second or so, and its outcome is in the delivery log',
        params: endpointParams,
        response: { 202: z.object({ delivery: webhookDeliverySchema }), ...errors },
      },
      handler: async (req, reply) => reply.code(202).send({ delivery: presentDelivery(await sendTestEvent(deps, actorOf(req), owner(req.params), req.params.endpointId)) }),
    });

    app.get(`${base}/:endpointId/deliveries`, {
      ...route,
      schema: {
        tags,
        summary: "The endpoint's delivery log, newest first: each event with its status and its latest attempts (status code, duration, error, the start of the answer); a month is kept",
        params: endpointParams,
        querystring: z.strictObject({ limit: pageQuery.limit, cursor: deliveryCursor }),
        response: { 200: z.object({ items: z.array(webhookDeliverySchema), nextCursor: z.string().nullable() }), ...errors },
      },
      handler: async (req) => {
        const { limit, cursor } = req.query;
        const page = await listWebhookDeliveries(deps, actorOf(req), owner(req.params), req.params.endpointId, { after: cursor, limit });
        return { items: page.items.map(presentDelivery), nextCursor: page.next === null ? null : encodeCursor(page.next) };
      },
    });

    app.post(`${base}/:endpointId/deliveries/:deliveryId/redeliver`, {
      ...route,
      schema: {
        tags,
        summary: 'Send a delivery again, delivered or failed, with the same webhook-id and a new round of retries',
        params: deliveryParams,
        response: { 202: z.object({ delivery: webhookDeliverySchema }), ...errors },
      },
      handler: async (req, reply) => {
        const { endpointId, deliveryId } = req.params;
        return reply.code(202).send({ delivery: presentDelivery(await redeliverWebhook(deps, actorOf(req), owner(req.params), endpointId, deliveryId)) });
      },
    });
  };
}

export function webhooksRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    await app.register(
      endpointRoutes(deps, {
        base: '/accounts/:accountId/webhooks',
        params: accountIdParams,
        owner: ({ accountId }) => ({ accountId }),
        whose: "The account's",
        tags: ['webhooks'],
      }),
    );
    await app.register(
      endpointRoutes(deps, {
        base: '/vendor/webhooks',
        params: z.strictObject({}),
        owner: () => 'vendor',
        whose: "The vendor's (they hear every account's events)",
        tags: ['vendor'],
        config: operatorOnly,
      }),
    );
  };
}

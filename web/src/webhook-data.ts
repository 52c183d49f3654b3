import { answer, api, type RequestBody, type Schemas } from './api';

export type WebhookEndpoint = Schemas['WebhookEndpoint'];
export type WebhookDelivery = Schemas['WebhookDelivery'];
export type WebhookEventType = Schemas['WebhookEventType'];
export type EndpointBody = RequestBody<'post', '/api/v1/accounts/{accountId}/webhooks'>;
export type EndpointChange = RequestBody<'patch', '/api/v1/accounts/{accountId}/webhooks/{endpointId}'>;

/**
 * The webhook calls of one owner: an account's endpoints or the vendor's. The routes are the same
 * under two prefixes; the page that manages them takes either.
 */
export interface WebhookApi {
  /** Where the kept state of the page (the chosen endpoint, its log's pages) is filed. */
  scope: string;
  list(): Promise<WebhookEndpoint[]>;
  create(body: EndpointBody): Promise<{ endpoint: WebhookEndpoint; secret: string }>;
  update(endpointId: string, body: EndpointChange): Promise<WebhookEndpoint>;
  remove(endpointId: string): Promise<void>;
  rotateSecret(endpointId: string): Promise<{ endpoint: WebhookEndpoint; secret: string }>;
  sendTest(endpointId: string): Promise<WebhookDelivery>;
  deliveries(endpointId: string, cursor: string | null, limit: number): Promise<{ items: WebhookDelivery[]; nextCursor: string | null }>;
  redeliver(endpointId: string, deliveryId: string): Promise<WebhookDelivery>;
}

export function accountWebhooks(accountId: string): WebhookApi {
  const at = { params: { path: { accountId } } };
  const of = (endpointId: string) => ({ params: { path: { accountId, endpointId } } });
  return {
    scope: `account:${accountId}`,
    list: async () => (await answer(api.GET('/api/v1/accounts/{accountId}/webhooks', at))).items,
    create: (body) => answer(api.POST('/api/v1/accounts/{accountId}/webhooks', { ...at, body })),
    update: async (endpointId, body) => (await answer(api.PATCH('/api/v1/accounts/{accountId}/webhooks/{endpointId}', { ...of(endpointId), body }))).endpoint,
    remove: async (endpointId) => void (await answer(api.DELETE('/api/v1/accounts/{accountId}/webhooks/{endpointId}', of(endpointId)))),
    rotateSecret: (endpointId) => answer(api.POST('/api/v1/accounts/{accountId}/webhooks/{endpointId}/rotate-secret', of(endpointId))),
    sendTest: async (endpointId) => (await answer(api.POST('/api/v1/accounts/{accountId}/webhooks/{endpointId}/test', of(endpointId)))).delivery,
    deliveries: (endpointId, cursor, limit) =>
      answer(api.GET('/api/v1/accounts/{accountId}/webhooks/{endpointId}/deliveries', { params: { path: { accountId, endpointId }, query: { limit, cursor: cursor ?? undefined } } })),
    redeliver: async (endpointId, deliveryId) =>
      (await answer(api.POST('/api/v1/accounts/{accountId}/webhooks/{endpointId}/deliveries/{deliveryId}/redeliver', { params: { path: { accountId, endpointId, deliveryId } } }))).delivery,
  };
}

export const vendorWebhooks: WebhookApi = {
  scope: 'vendor',
  list: async () => (await answer(api.GET('/api/v1/vendor/webhooks'))).items,
  create: (body) => answer(api.POST('/api/v1/vendor/webhooks', { body })),
  update: async (endpointId, body) => (await answer(api.PATCH('/api/v1/vendor/webhooks/{endpointId}', { params: { path: { endpointId } }, body }))).endpoint,
  remove: async (endpointId) => void (await answer(api.DELETE('/api/v1/vendor/webhooks/{endpointId}', { params: { path: { endpointId } } }))),
  rotateSecret: (endpointId) => answer(api.POST('/api/v1/vendor/webhooks/{endpointId}/rotate-secret', { params: { path: { endpointId } } })),
  sendTest: async (endpointId) => (await answer(api.POST('/api/v1/vendor/webhooks/{endpointId}/test', { params: { path: { endpointId } } }))).delivery,
  deliveries: (endpointId, cursor, limit) => answer(api.GET('/api/v1/vendor/webhooks/{endpointId}/deliveries', { params: { path: { endpointId }, query: { limit, cursor: cursor ?? undefined } } })),
  redeliver: async (endpointId, deliveryId) => (await answer(api.POST('/api/v1/vendor/webhooks/{endpointId}/deliveries/{deliveryId}/redeliver', { params: { path: { endpointId, deliveryId } } }))).delivery,
};

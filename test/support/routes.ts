import { demoCatalog } from '../../src/domain/catalog.js';
import { insertMembership, updateMembership } from '../../src/data/repositories/memberships.js';
import { generateLicenseKey } from '../../src/services/licensing/key-material.js';
import { ACME, signedInUser, uniqueEmail, type ApiClient, type TestApp } from './harness.js';
import { activate, activationBody, asInstallation } from './installations.js';
import { issueOrder } from './licensing.js';
import { takeSeat } from '../../src/data/repositories/seats.js';
import { insertUserSeat } from '../../src/data/repositories/user-seats.js';

/**
 * The routes as the OpenAPI document lists them, with what it takes to call each one well: a valid
 * body, the required query parameters and an id for every path parameter. The sweeps over every
 * route (security, fuzz) share these, so a new route needs its example in one place, and a sweep
 * that meets a route it cannot call fails, naming what is missing.
 */

export interface JsonSchema {
  type?: string | string[];
  format?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  maxLength?: number;
  anyOf?: JsonSchema[];
  $ref?: string;
  additionalProperties?: boolean | JsonSchema;
}

export interface Parameter {
  name: string;
  in: 'query' | 'path';
  required: boolean;
  schema: JsonSchema;
}

export interface Operation {
  method: string;
  path: string;
  /** "METHOD /path", as the examples and the sweeps' lists name a route. */
  key: string;
  bodySchema: JsonSchema | null;
  /** How the body travels: JSON, an uploaded CSV file, or no body at all. */
  bodyType: 'json' | 'csv' | null;
  parameters: Parameter[];
  /** Called by an installation with its own token, not by a person. */
  installation: boolean;
}

interface Document {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: Parameter[];
        requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
        security?: Record<string, unknown>[];
      }
    >
  >;
  components?: { schemas?: Record<string, JsonSchema> };
}

function resolve(schema: JsonSchema | undefined, components: Record<string, JsonSchema>): JsonSchema | null {
  if (!schema) return null;
  if (schema.$ref) return components[schema.$ref.split('/').pop()!] ?? null;
  return schema;
}

/** Every operation of the app's OpenAPI document. */
export function operationsOf(t: TestApp): Operation[] {
  const doc = t.app.swagger() as Document;
  const components = doc.components?.schemas ?? {};
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => {
      const content = op.requestBody?.content ?? {};
      return {
        method: method.toUpperCase(),
        path,
        key: `${method.toUpperCase()} ${path}`,
        bodySchema: resolve(content['application/json']?.schema, components),
        bodyType: content['application/json'] ? 'json' : content['text/csv'] ? 'csv' : null,
        parameters: (op.parameters ?? []).map((p) => ({ ...p, schema: resolve(p.schema, components) ?? {} })),
        installation: (op.security ?? []).some((s) => 'installationToken' in s),
      } satisfies Operation;
    }),
  );
}

/** Ids of one account's resources, by the name of the path parameter (or body field) that takes them. */
export type Ids = Record<string, string>;

/** A valid body for every route that takes one, so that only the part under test is wrong. */
export function exampleBody(op: Operation, ids: Ids): Record<string, unknown> | string | undefined {
  const examples: Record<string, Record<string, unknown> | string> = {
    'POST /api/v1/signup': { email: uniqueEmail('ex'), firstName: 'Ex', lastName: 'Ample', password: 'long enough password' },
    'POST /api/v1/email-verification': { token: 'kv_0123456789abcdef' },
    'POST /api/v1/sessions': { email: uniqueEmail('ex'), password: 'long enough password' },
    'POST /api/v1/password-resets': { email: uniqueEmail('ex') },
    'POST /api/v1/password-resets/confirm': { token: 'kr_0123456789abcdef', password: 'long enough password' },
    'PATCH /api/v1/me': { firstName: 'Ex' },
    'POST /api/v1/me/password': { currentPassword: 'long enough password', newPassword: 'another long password' },
    'POST /api/v1/me/api-tokens': { name: 'ci' },
    'POST /api/v1/accounts': { ...ACME },
    'PATCH /api/v1/accounts/{accountId}': { city: 'Hamburg' },
    'POST /api/v1/accounts/{accountId}/invitations': { emails: [uniqueEmail('inv')], role: 'member', language: 'en', expiresInDays: 7 },
    'POST /api/v1/accounts/{accountId}/invitations/csv': 'email\nsomeone@example.com\n',
    'POST /api/v1/accounts/{accountId}/install-invitations': { keyId: ids['keyId'], language: 'en', expiresInDays: 7, emails: [uniqueEmail('install')] },
    'POST /api/v1/accounts/{accountId}/install-invitations/csv': 'email\nsomeone@example.com\n',
    'PATCH /api/v1/accounts/{accountId}/members/{userId}': { notes: 'hello' },
    'POST /api/v1/invitations/{token}/accept': { password: 'long enough password' },
    'POST /api/v1/accounts/{accountId}/subscriptions': { licenseKey: generateLicenseKey().key },
    'PATCH /api/v1/accounts/{accountId}/subscriptions/{subscriptionId}': { name: 'Renamed' },
    'POST /api/v1/accounts/{accountId}/subscriptions/{subscriptionId}/renewals': { duration: '1y' },
    'POST /api/v1/accounts/{accountId}/subscriptions/{subscriptionId}/additions': { items: [{ productCode: 'desktop-business', quantity: 1 }] },
    'POST /api/v1/accounts/{accountId}/subscriptions/{subscriptionId}/edition-trial': { product: 'desktop-enterprise' },
    'POST /api/v1/accounts/{accountId}/subscriptions/{subscriptionId}/keys': { itemId: ids['itemId'], name: 'K', kind: 'dynamic', quota: 1, expiresAt: null },
    'PATCH /api/v1/accounts/{accountId}/subscriptions/{subscriptionId}/keys/{keyId}': { name: 'Renamed' },
    'PATCH /api/v1/accounts/{accountId}/installations/{installationId}': { notes: 'hello' },
    'POST /api/v1/accounts/{accountId}/configuration-profiles': { name: `Profile ${Math.random()}`, product: 'desktop-business', payloads: [] },
    'PUT /api/v1/accounts/{accountId}/configuration-profiles/{profileId}': { name: 'Renamed profile', payloads: [] },
    'PUT /api/v1/accounts/{accountId}/subscriptions/{subscriptionId}/keys/{keyId}/configuration-profile': { profileId: ids['profileId'] },
    'POST /api/v1/accounts/{accountId}/policies': { name: `Policy ${Math.random()}`, product: 'desktop-enterprise', payloads: [] },
    'PUT /api/v1/accounts/{accountId}/policies/{policyId}': { name: 'Renamed policy', payloads: [] },
    'POST /api/v1/accounts/{accountId}/user-groups': { subscriptionId: ids['enterpriseSubscriptionId'], name: `Group ${Math.random()}`, quota: 1 },
    'PUT /api/v1/accounts/{accountId}/user-groups/{groupId}': { name: 'Renamed group', quota: 1, policyId: null },
    'POST /api/v1/accounts/{accountId}/webhooks': { url: 'https://93.184.215.14/hooks', eventTypes: ['installation.activated'] },
    'PATCH /api/v1/accounts/{accountId}/webhooks/{endpointId}': { description: 'Renamed' },
    'POST /api/v1/vendor/webhooks': { url: 'https://93.184.215.14/vendor-hooks', eventTypes: ['installation.activated'] },
    'PATCH /api/v1/vendor/webhooks/{endpointId}': { description: 'Renamed' },
    'POST /api/v1/accounts/{accountId}/installations/actions': { action: 'deactivate', installationIds: [ids['installationId']] },
    'POST /api/v1/subscriptions/registrations': { licenseKey: generateLicenseKey().key, company: { ...ACME } },
    'PUT /api/v1/vendor/products/{code}': (({ code: _code, ...definition }) => definition)(demoCatalog[0]!),
    'POST /api/v1/vendor/orders': { customerEmail: uniqueEmail('order'), items: [{ productCode: 'ras', quantity: 5 }], duration: '1y', channel: 'reseller', supportPlan: 'standard', autoRenew: false },
    'POST /api/v1/vendor/trials': { customerEmail: uniqueEmail('trial'), productCode: 'ras' },
    'POST /api/v1/vendor/subscriptions/{id}/renewals': { duration: '1y' },
    'POST /api/v1/vendor/subscriptions/{id}/additions': { items: [{ productCode: 'ras', quantity: 5 }] },
    'POST /api/v1/vendor/subscriptions/{id}/edition-trial': { product: 'desktop-enterprise' },
    'POST /api/v1/vendor/subscriptions/{id}/permanent': { quantity: 5, duration: '1y', channel: 'reseller' },
    'PUT /api/v1/vendor/accounts/{id}/offline-activation': { enabled: true },
    // A literal loopback issuer is refused before any connection: the sweeps never wait on the network.
    'PUT /api/v1/accounts/{accountId}/sso': { issuer: 'https://127.0.0.1:9/', clientId: 'keyline', clientSecret: 'secret', allowedDomains: ['sweep.example'] },
    'PUT /api/v1/accounts/{accountId}/sso/enabled': { enabled: true },
    'POST /licensing/v1/sso/device-authorizations': { account: 'sweep.example', product: 'desktop-business' },
    'POST /licensing/v1/activations': { product: 'desktop-business', licenseKey: generateLicenseKey().key, fingerprint: 'sweep-fingerprint-0001', publicKey: 'A'.repeat(43) },
    'POST /licensing/v1/check-ins': {},
    'POST /api/v1/accounts/{accountId}/offline-files': { file: '-----BEGIN KEYLINE ACTIVATION REQUEST-----\nAAAA\n-----END KEYLINE ACTIVATION REQUEST-----\n' },
    'POST /licensing/v1/trials': { product: 'desktop-business', fingerprint: `sweep-fingerprint-${Math.random()}`, publicKey: 'A'.repeat(43) },
  };
  if (op.key in examples) return examples[op.key];
  return op.bodyType ? undefined : {};
}

/** Required query parameters, so that a route is refused for who asks or what is wrong rather than for what is missing. */
export function exampleQuery(op: Operation, ids: Ids): Record<string, string> {
  const examples: Record<string, Record<string, string>> = {
    'GET /api/v1/accounts/{accountId}/subscriptions/{subscriptionId}/renewal-quote': { duration: '1y' },
    'POST /api/v1/accounts/{accountId}/install-invitations/csv': { keyId: ids['keyId'] ?? '00000000-0000-4000-8000-000000000000' },
  };
  const query = examples[op.key] ?? {};
  const missing = op.parameters.filter((p) => p.in === 'query' && p.required && !(p.name in query));
  if (missing.length) throw new Error(`${op.key} needs an example for its required query parameter ${missing[0]!.name}: add one to exampleQuery in test/support/routes.ts`);
  return query;
}

/** The path with each parameter filled from the ids; a parameter with no id fails, naming it. */
export function fill(op: Operation, ids: Ids): string {
  return op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = ids[name];
    if (!value) throw new Error(`no fixture for path parameter {${name}} in ${op.key}: add one to accountWithResources in test/support/routes.ts`);
    return encodeURIComponent(value);
  });
}

/** Calls the route as its example has it: valid body, required query, ids from `ids`. */
export function callExample(client: ApiClient, op: Operation, ids: Ids) {
  const payload = exampleBody(op, ids);
  const query = new URLSearchParams(exampleQuery(op, ids)).toString();
  const url = fill(op, ids) + (query ? `?${query}` : '');
  if (typeof payload === 'string') return client.request(op.method, url, payload, { 'content-type': 'text/csv' });
  return client.request(op.method, url, op.method === 'GET' || op.method === 'DELETE' ? undefined : payload);
}

/**
 * A business account with one of everything the routes address: its administrator, a regular
 * member, a subscription with a sublicense, an installation (and that installation's own client), a
 * configuration profile, an Enterprise subscription with a policy and a user group, an invitation,
 * a session, an API token, and a webhook endpoint with one delivery. `ids` names them by path parameter.
 */
export async function accountWithResources(t: TestApp, name: string) {
  const owner = await signedInUser(t, `${name}-owner`);
  const { account } = (await owner.client.post('/api/v1/accounts', ACME)).body;
  const member = await signedInUser(t, `${name}-member`);
  await insertMembership(t.deps.db, { accountId: account.id, userId: member.userId, role: 'member' });
  const order = await issueOrder(t);
  const registered = await owner.client.post(`/api/v1/accounts/${account.id}/subscriptions`, { licenseKey: order.key });
  const sublicense = await owner.client.post(`/api/v1/accounts/${account.id}/subscriptions/${order.subscription.id}/keys`, {
    itemId: order.items[0]!.id,
    name: `${name} key`,
    kind: 'dynamic',
    quota: 1,
    expiresAt: null,
  });
  const installation = await activate(t, activationBody(order.key));
  const profile = await owner.client.post(`/api/v1/accounts/${account.id}/configuration-profiles`, { name: `${name} profile`, product: 'desktop-business', payloads: [] });
  const enterprise = await issueOrder(t, { items: [{ productCode: 'desktop-enterprise', licenseType: null, quantity: 5 }] });
  const enterpriseRegistered = await owner.client.post(`/api/v1/accounts/${account.id}/subscriptions`, { licenseKey: enterprise.key });
  const policy = await owner.client.post(`/api/v1/accounts/${account.id}/policies`, { name: `${name} policy`, product: 'desktop-enterprise', payloads: [] });
  const group = await owner.client.post(`/api/v1/accounts/${account.id}/user-groups`, { subscriptionId: enterprise.subscription.id, name: `${name} group`, quota: 1, policyId: policy.body.policy?.id });
  const invite = await owner.client.post(`/api/v1/accounts/${account.id}/invitations`, { emails: [uniqueEmail(`${name}-invitee`)] });
  const sessions = await owner.client.get('/api/v1/sessions');
  const token = await owner.client.post('/api/v1/me/api-tokens', { name });
  const endpoint = await owner.client.post(`/api/v1/accounts/${account.id}/webhooks`, { url: 'https://93.184.215.14/hooks', eventTypes: ['installation.activated'] });
  const delivery = await owner.client.post(`/api/v1/accounts/${account.id}/webhooks/${endpoint.body.endpoint?.id}/test`);
  const seat = await userSeatOf(t, account.id, order);
  const made = [registered, sublicense, installation, profile, enterpriseRegistered, policy, group, invite, token, endpoint].map((r) => r.status);
  if (delivery.status !== 202) throw new Error(`the webhook delivery for ${name} was not made: ${delivery.status}`);
  if (made.some((s) => s !== 201)) throw new Error(`fixtures for ${name} were not all made: ${made.join(', ')}`);
  const ids: Ids = {
    accountId: account.id,
    userId: member.userId,
    invitationId: invite.body.invited[0].id,
    sessionId: sessions.body.items[0].id,
    tokenId: token.body.id,
    token: 'ki_not_a_real_invitation_token',
    code: 'sweep-product',
    subscriptionId: order.subscription.id,
    itemId: order.items[0]!.id,
    keyId: sublicense.body.key.id,
    installationId: installation.body.installationId,
    profileId: profile.body.profile.id,
    enterpriseSubscriptionId: enterprise.subscription.id,
    policyId: policy.body.policy.id,
    groupId: group.body.group.id,
    endpointId: endpoint.body.endpoint.id,
    deliveryId: delivery.body.delivery.id,
    seatId: seat.id,
    id: '00000000-0000-4000-8000-000000000000',
  };
  return { ids, owner, member, order, installationClient: asInstallation(t, installation.body.installationToken) };
}

/** A person's seat in the subscription, as signing in leaves one: counted on the primary key, held by a directory user. */
async function userSeatOf(t: TestApp, accountId: string, order: Awaited<ReturnType<typeof issueOrder>>) {
  return t.deps.db.transaction().execute(async (trx) => {
    const person = await trx.insertInto('directory_users').values({ account_id: accountId, source: 'sign_in', user_name: uniqueEmail('person'), subject: `sub-${Math.random()}` }).returning('id').executeTakeFirstOrThrow();
    const taken = await takeSeat(trx, order.primaryKey, order.items[0]!.id);
    if (!taken.ok) throw new Error('no seat for the user seat fixture');
    const now = t.clock.now();
    return insertUserSeat(trx, { accountId, subscriptionId: order.subscription.id, itemId: order.items[0]!.id, licenseKeyId: order.primaryKey.id, directoryUserId: person.id, now });
  });
}

/** Makes a member of the account blocked, as an administrator would. */
export async function blockedMember(t: TestApp, accountId: string) {
  const user = await signedInUser(t, 'blocked');
  await insertMembership(t.deps.db, { accountId, userId: user.userId, role: 'admin' });
  await updateMembership(t.deps.db, accountId, user.userId, { status: 'blocked' }, t.clock.now());
  return user;
}

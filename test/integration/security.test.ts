import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { generateLicenseKey } from '../../src/services/licensing/key-material.js';
import { demoCatalog } from '../../src/domain/catalog.js';
import { insertMembership, updateMembership } from '../../src/data/repositories/memberships.js';
import { activate, activationBody } from '../support/installations.js';
import { issueOrder } from '../support/licensing.js';
import { ACME, createTestApp, signedInUser, uniqueEmail, type ApiClient, type TestApp } from '../support/harness.js';
import { signedInOperator } from '../support/vendor.js';

/**
 * One shared sweep over every route in the OpenAPI document, so a new route is covered the day
 * it is added: anonymous callers, other accounts' members, blocked and regular members, and
 * malformed input. A route the sweep cannot exercise fails the test until it gets an example.
 */

interface Operation {
  method: string;
  path: string;
  bodySchema: JsonSchema | null;
}
interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  maxLength?: number;
  anyOf?: JsonSchema[];
  $ref?: string;
  additionalProperties?: boolean;
}

// Routes anyone may call; every other route must answer 401 to an anonymous caller.
const PUBLIC = new Set([
  'GET /healthz',
  'GET /readyz',
  'POST /api/v1/signup',
  'POST /api/v1/email-verification',
  'POST /api/v1/sessions',
  'POST /api/v1/password-resets',
  'POST /api/v1/password-resets/confirm',
  'GET /api/v1/invitations/{token}',
  'POST /api/v1/invitations/{token}/accept',
  'GET /api/v1/dev/mailbox',
  'GET /api/v1/dev/mailbox/{id}',
  'GET /.well-known/keyline/jwks.json',
  'POST /licensing/v1/activations',
  'POST /licensing/v1/trials',
]);

// Account-scoped routes a regular member may use; every other one answers 403 forbidden to them.
const REGULAR_MEMBER_ALLOWED = new Set(['GET /api/v1/accounts/{accountId}', 'POST /api/v1/accounts/{accountId}/leave']);
// A blocked member may still walk away from the account; nothing else.
const BLOCKED_MEMBER_ALLOWED = new Set(['POST /api/v1/accounts/{accountId}/leave']);

/** A valid body for every route that takes one, so that only the part under test is wrong. */
function exampleBody(op: Operation): Record<string, unknown> | string | undefined {
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
    'POST /api/v1/accounts/{accountId}/subscriptions/{subscriptionId}/keys': { itemId: ids['itemId'], name: 'K', kind: 'dynamic', quota: 1, expiresAt: null },
    'PATCH /api/v1/accounts/{accountId}/subscriptions/{subscriptionId}/keys/{keyId}': { name: 'Renamed' },
    'PATCH /api/v1/accounts/{accountId}/installations/{installationId}': { notes: 'hello' },
    'POST /api/v1/accounts/{accountId}/installations/actions': { action: 'deactivate', installationIds: [ids['installationId']] },
    'POST /api/v1/subscriptions/registrations': { licenseKey: generateLicenseKey().key, company: { ...ACME } },
    'PUT /api/v1/vendor/products/{code}': (({ code: _code, ...definition }) => definition)(demoCatalog[0]!),
    'POST /api/v1/vendor/orders': { customerEmail: uniqueEmail('order'), items: [{ productCode: 'ras', quantity: 5 }], duration: '1y', channel: 'reseller', supportPlan: 'standard', autoRenew: false },
    'POST /api/v1/vendor/trials': { customerEmail: uniqueEmail('trial'), productCode: 'ras' },
    'POST /api/v1/vendor/subscriptions/{id}/renewals': { duration: '1y' },
    'POST /api/v1/vendor/subscriptions/{id}/additions': { items: [{ productCode: 'ras', quantity: 5 }] },
    'PUT /api/v1/vendor/accounts/{id}/offline-activation': { enabled: true },
    'POST /licensing/v1/activations': { product: 'desktop-business', licenseKey: generateLicenseKey().key, fingerprint: 'sweep-fingerprint-0001', publicKey: 'A'.repeat(43) },
    'POST /licensing/v1/check-ins': {},
    'POST /api/v1/accounts/{accountId}/offline-files': { file: '-----BEGIN KEYLINE ACTIVATION REQUEST-----\nAAAA\n-----END KEYLINE ACTIVATION REQUEST-----\n' },
    'POST /licensing/v1/trials': { product: 'desktop-business', fingerprint: `sweep-fingerprint-${Math.random()}`, publicKey: 'A'.repeat(43) },
  };
  const key = `${op.method} ${op.path}`;
  if (key in examples) return examples[key];
  return op.bodySchema ? undefined : {};
}

let t: TestApp;
let operations: Operation[];
let outsider: ApiClient;
let regular: ApiClient;
let blocked: ApiClient;
let ids: Record<string, string>;

function resolve(schema: JsonSchema | undefined, components: Record<string, JsonSchema>): JsonSchema | null {
  if (!schema) return null;
  if (schema.$ref) return components[schema.$ref.split('/').pop()!] ?? null;
  return schema;
}

function fill(path: string): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = ids[name];
    if (!value) throw new Error(`no fixture for path parameter {${name}} in ${path}: add one to the security sweep`);
    return value;
  });
}

// Required query parameters, so that a route is refused for who asks rather than for what.
const exampleQueries: Record<string, string> = {
  'GET /api/v1/accounts/{accountId}/subscriptions/{subscriptionId}/renewal-quote': '?duration=1y',
  'POST /api/v1/accounts/{accountId}/install-invitations/csv': '?keyId=00000000-0000-4000-8000-000000000000',
};

function call(client: ApiClient, op: Operation, body?: unknown) {
  const payload = body ?? exampleBody(op);
  const url = fill(op.path) + (exampleQueries[`${op.method} ${op.path}`] ?? '');
  if (typeof payload === 'string') return client.request(op.method, url, payload, { 'content-type': 'text/csv' });
  return client.request(op.method, url, op.method === 'GET' || op.method === 'DELETE' ? undefined : payload);
}

async function tableCounts(): Promise<Record<string, number>> {
  const tables = ['users', 'accounts', 'memberships', 'sessions', 'api_tokens', 'user_tokens', 'invitations', 'outbox', 'audit_events', 'install_invitations'];
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(t.deps.db);
    counts[table] = rows[0]!.n;
  }
  return counts;
}

beforeAll(async () => {
  t = await createTestApp();
  const doc = t.app.swagger() as { paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>>; components?: { schemas?: Record<string, JsonSchema> } };
  const components = doc.components?.schemas ?? {};
  operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      bodySchema: resolve(op.requestBody?.content?.['application/json']?.schema, components),
    })),
  );

  // Account B with an administrator, a regular member, a blocked member and an invitation.
  const owner = await signedInUser(t, 'owner');
  const { account } = (await owner.client.post('/api/v1/accounts', ACME)).body;
  const member = await signedInUser(t, 'regular');
  const blockedUser = await signedInUser(t, 'blocked');
  await insertMembership(t.deps.db, { accountId: account.id, userId: member.userId, role: 'member' });
  await insertMembership(t.deps.db, { accountId: account.id, userId: blockedUser.userId, role: 'admin' });
  await updateMembership(t.deps.db, account.id, blockedUser.userId, { status: 'blocked' }, t.clock.now());
  regular = member.client;
  blocked = blockedUser.client;
  outsider = (await signedInUser(t, 'outsider')).client;
  await outsider.post('/api/v1/accounts', ACME);

  const order = await issueOrder(t);
  const registered = await owner.client.post(`/api/v1/accounts/${account.id}/subscriptions`, { licenseKey: order.key });
  const sublicense = await owner.client.post(`/api/v1/accounts/${account.id}/subscriptions/${order.subscription.id}/keys`, {
    itemId: order.items[0]!.id,
    name: 'B key',
    kind: 'dynamic',
    quota: 1,
    expiresAt: null,
  });
  const installation = await activate(t, activationBody(order.key));
  expect([registered.status, sublicense.status, installation.status]).toEqual([201, 201, 201]);
  const invite = await owner.client.post(`/api/v1/accounts/${account.id}/invitations`, { emails: [uniqueEmail('b-invitee')] });
  const sessions = await owner.client.get('/api/v1/sessions');
  const tokens = await owner.client.post('/api/v1/me/api-tokens', { name: 'b' });
  ids = {
    accountId: account.id,
    userId: member.userId,
    invitationId: invite.body?.invited?.[0]?.id ?? '00000000-0000-4000-8000-000000000000',
    sessionId: sessions.body.items[0].id,
    tokenId: tokens.body.id,
    token: 'ki_not_a_real_invitation_token',
    code: 'sweep-product',
    subscriptionId: order.subscription.id,
    itemId: order.items[0]!.id,
    keyId: sublicense.body.key.id,
    installationId: installation.body.installationId,
    id: '00000000-0000-4000-8000-000000000000',
  };
});
afterAll(() => t.close());

describe('every route', () => {
  it('asks an anonymous caller to sign in, unless it is public', async () => {
    for (const op of operations) {
      const res = await call(t.client(), op);
      const key = `${op.method} ${op.path}`;
      if (PUBLIC.has(key)) expect(res.body.error?.code, key).not.toBe('unauthenticated');
      else expect([key, res.status, res.body.error?.code]).toEqual([key, 401, 'unauthenticated']);
    }
  });

  it("answers 404 to a member of another account for every one of account B's resources", async () => {
    const scoped = operations.filter((op) => op.path.includes('{accountId}'));
    expect(scoped.length).toBeGreaterThan(0);
    const before = await tableCounts();
    for (const op of scoped) {
      const res = await call(outsider, op);
      expect([`${op.method} ${op.path}`, res.status, res.body.error?.code]).toEqual([`${op.method} ${op.path}`, 404, 'not_found']);
    }
    expect(await tableCounts()).toEqual(before);
  });

  it('lets a blocked member do nothing in the account', async () => {
    const before = await tableCounts();
    for (const op of operations.filter((o) => o.path.includes('{accountId}'))) {
      const key = `${op.method} ${op.path}`;
      if (BLOCKED_MEMBER_ALLOWED.has(key)) continue;
      const res = await call(blocked, op);
      expect([key, res.status, res.body.error?.code]).toEqual([key, 403, 'membership_blocked']);
    }
    expect(await tableCounts()).toEqual(before);
  });

  it('lets a regular member only view the account', async () => {
    const before = await tableCounts();
    for (const op of operations.filter((o) => o.path.includes('{accountId}'))) {
      const key = `${op.method} ${op.path}`;
      if (REGULAR_MEMBER_ALLOWED.has(key)) continue;
      const res = await call(regular, op);
      expect([key, res.status, res.body.error?.code]).toEqual([key, 403, 'forbidden']);
    }
    expect(await tableCounts()).toEqual(before);
  });
});

describe('every body', () => {
  /** Each way to get a field wrong: an unknown field, the wrong type, a string past its limit. */
  function badBodies(body: Record<string, unknown>, schema: JsonSchema): [string, unknown][] {
    const cases: [string, unknown][] = [
      ['unknown field', { ...body, unexpectedField: 'x' }],
      ['not an object', [body]],
    ];
    for (const [name, prop] of Object.entries(schema.properties ?? {})) {
      const types = [prop.type, ...(prop.anyOf ?? []).map((a) => a.type)].flat().filter(Boolean);
      cases.push([`${name} of the wrong type`, { ...body, [name]: types.includes('string') ? { nested: true } : 'not-a-number' }]);
      const max = prop.maxLength ?? prop.anyOf?.find((a) => a.maxLength)?.maxLength;
      if (max !== undefined) cases.push([`${name} too long`, { ...body, [name]: 'x'.repeat(max + 1) }]);
    }
    return cases;
  }

  it('refuses malformed input with 400 validation_failed and changes nothing', async () => {
    const { client } = await signedInUser(t, 'validator');
    // Vendor routes turn a customer away before reading the input; an operator gets to the input.
    const operator = (await signedInOperator(t)).client;
    const { account } = (await client.post('/api/v1/accounts', ACME)).body;
    const own = { ...ids, accountId: account.id };
    const before = await tableCounts();
    let checked = 0;
    for (const op of operations.filter((o) => o.bodySchema?.properties)) {
      const body = exampleBody(op);
      expect(body, `${op.method} ${op.path} needs an example body in the security sweep`).toBeDefined();
      if (typeof body !== 'object') continue;
      const url = op.path.replace(/\{(\w+)\}/g, (_, n: string) => own[n as keyof typeof own] ?? '');
      const caller = op.path.startsWith('/api/v1/vendor/') ? operator : client;
      for (const [label, bad] of badBodies(body, op.bodySchema!)) {
        const res = await caller.request(op.method, url, bad);
        expect([`${op.method} ${op.path}: ${label}`, res.status, res.body.error?.code]).toEqual([
          `${op.method} ${op.path}: ${label}`,
          400,
          'validation_failed',
        ]);
        expect(res.body.error.message).toMatch(/\w/);
        checked++;
      }
      const broken = await caller.request(op.method, url, '{"not json', { 'content-type': 'application/json' });
      expect([`${op.method} ${op.path}: broken JSON`, broken.status]).toEqual([`${op.method} ${op.path}: broken JSON`, 400]);
    }
    expect(checked).toBeGreaterThan(20);
    expect(await tableCounts()).toEqual(before);
  });
});

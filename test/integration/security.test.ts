import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ACME, createTestApp, signedInUser, type ApiClient, type TestApp } from '../support/harness.js';
import { accountWithResources, blockedMember, callExample, exampleBody, operationsOf, type Ids, type JsonSchema, type Operation } from '../support/routes.js';
import { signedInOperator } from '../support/vendor.js';

/**
 * One shared sweep over every route in the OpenAPI document, so a new route is covered the day
 * it is added: anonymous callers, other accounts' members, blocked and regular members, and
 * malformed input. A route the sweep cannot exercise fails the test until it gets an example.
 */

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
  'POST /licensing/v1/sso/device-authorizations',
]);

// Account-scoped routes a regular member may use; every other one answers 403 forbidden to them.
const REGULAR_MEMBER_ALLOWED = new Set(['GET /api/v1/accounts/{accountId}', 'POST /api/v1/accounts/{accountId}/leave']);
// A blocked member may still walk away from the account; nothing else.
const BLOCKED_MEMBER_ALLOWED = new Set(['POST /api/v1/accounts/{accountId}/leave']);

let t: TestApp;
let operations: Operation[];
let outsider: ApiClient;
let regular: ApiClient;
let blocked: ApiClient;
let ids: Ids;

const call = (client: ApiClient, op: Operation) => callExample(client, op, ids);

async function tableCounts(): Promise<Record<string, number>> {
  const tables = ['users', 'accounts', 'memberships', 'sessions', 'api_tokens', 'user_tokens', 'invitations', 'outbox', 'audit_events', 'install_invitations', 'policies', 'user_groups', 'webhook_endpoints', 'webhook_deliveries', 'identity_providers', 'identity_provider_domains', 'user_seats', 'sso_grants', 'directory_users'];
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(t.deps.db);
    counts[table] = rows[0]!.n;
  }
  return counts;
}

beforeAll(async () => {
  t = await createTestApp();
  operations = operationsOf(t);
  // Account B with an administrator, a regular member, a blocked member and an invitation.
  const b = await accountWithResources(t, 'b');
  ids = b.ids;
  regular = b.member.client;
  blocked = (await blockedMember(t, ids['accountId']!)).client;
  outsider = (await signedInUser(t, 'outsider')).client;
  await outsider.post('/api/v1/accounts', ACME);
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
      const body = exampleBody(op, ids);
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

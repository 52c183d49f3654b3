import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeOfflineRequest } from '../../src/client/offline.js';
import { newIdentity } from '../../src/client/state.js';
import { demoCatalog } from '../../src/domain/catalog.js';
import { insertMembership } from '../../src/data/repositories/memberships.js';
import { setAccountOfflineActivation } from '../../src/services/vendor/offline-activation.js';
import { createTestApp, signedInUser, uniqueEmail, type ApiClient, type Reply, type TestApp } from '../support/harness.js';
import { activate, activationBody, asInstallation } from '../support/installations.js';
import { customerWithSubscription, operatorActor } from '../support/licensing.js';
import { signedInOperator } from '../support/vendor.js';
import { watchWrites, type WriteLog } from '../support/write-log.js';

/**
 * Text PostgreSQL cannot store (a NUL, a lone surrogate) is the client's mistake wherever it
 * comes in: a 400 naming the field, and nothing written.
 */

const HOSTILE = { nul: 'bad\u0000text', 'high surrogate': 'bad\ud800text', 'low surrogate': 'bad\udc00text' };

let t: TestApp;
let writes: WriteLog;
let admin: ApiClient;
let operator: ApiClient;
let installation: ApiClient;
let c: Awaited<ReturnType<typeof customerWithSubscription>>;
let ids: { accountId: string; subscriptionId: string; itemId: string; memberId: string; installationId: string };

beforeAll(async () => {
  t = await createTestApp();
  c = await customerWithSubscription(t);
  admin = c.client;
  operator = (await signedInOperator(t)).client;
  const member = await signedInUser(t, 'member');
  await insertMembership(t.deps.db, { accountId: c.accountId, userId: member.userId, role: 'member' });
  const activated = await activate(t, activationBody(c.key));
  expect(activated.status).toBe(201);
  installation = asInstallation(t, activated.body.installationToken);
  await setAccountOfflineActivation(t.deps, await operatorActor(t), c.accountId, true);
  ids = { accountId: c.accountId, subscriptionId: c.subscription.id, itemId: c.items[0]!.id, memberId: member.userId, installationId: activated.body.installationId };
  writes = await watchWrites(t.deps.db);
});
afterAll(() => t.close());

/** Sends the request and checks it was refused for the field at `path`, with nothing written. */
async function expectRefused(send: () => Promise<Reply>, path: string) {
  await writes.take();
  const res = await send();
  expect([res.status, res.body.error?.code, res.body.error?.details?.issues?.[0]?.path]).toEqual([400, 'validation_failed', path]);
  expect(res.body.error.message).toMatch(/cannot be stored/);
  expect(await writes.take()).toEqual([]);
}

describe.each(Object.entries(HOSTILE))('a string with a %s', (_, bad) => {
  const base = () => `/api/v1/accounts/${ids.accountId}`;
  const cases: [string, () => Promise<Reply>, string][] = [
    ['sign-up name', () => t.client().post('/api/v1/signup', { email: uniqueEmail('s'), firstName: bad, lastName: 'X', password: 'long enough password' }), 'firstName'],
    ['profile name', () => admin.patch('/api/v1/me', { lastName: bad }), 'lastName'],
    ['API token name', () => admin.post('/api/v1/me/api-tokens', { name: bad }), 'name'],
    ['account name', () => admin.patch(base(), { name: bad }), 'name'],
    ['subscription name', () => admin.patch(`${base()}/subscriptions/${ids.subscriptionId}`, { name: bad }), 'name'],
    [
      'sublicense name',
      () => admin.post(`${base()}/subscriptions/${ids.subscriptionId}/keys`, { itemId: ids.itemId, name: bad, kind: 'dynamic', quota: 1, expiresAt: null }),
      'name',
    ],
    ['member notes', () => admin.patch(`${base()}/members/${ids.memberId}`, { notes: bad }), 'notes'],
    ['installation notes', () => admin.patch(`${base()}/installations/${ids.installationId}`, { notes: bad }), 'notes'],
    ['activation name', () => activate(t, activationBody(c.key, { name: bad })), 'name'],
    ['activation user name', () => activate(t, activationBody(c.key, { userName: bad })), 'userName'],
    ['activation hardware', () => activate(t, activationBody(c.key, { hardware: { macAddresses: ['00:11', bad] } })), 'hardware.macAddresses.1'],
    ['check-in site', () => installation.post('/licensing/v1/check-ins', { siteDescription: bad }), 'siteDescription'],
    ['check-in hardware', () => installation.post('/licensing/v1/check-ins', { hardware: { model: bad } }), 'hardware.model'],
    [
      'vendor product name',
      () => operator.request('PUT', `/api/v1/vendor/products/${demoCatalog[0]!.code}`, { ...(({ code: _, ...d }) => d)(demoCatalog[0]!), name: bad }),
      'name',
    ],
    ['a field name', () => admin.patch('/api/v1/me', { [`first${bad}`]: 'x' }), `first${bad}`],
  ];
  it.each(cases)('in the %s is refused by name', async (_label, send, path) => {
    await expectRefused(send, path);
  });
});

// A URL carries bytes: a NUL is %00, and a lone surrogate has no UTF-8 bytes, so the nearest a
// client can send is the ill-formed %ED%A0%80, which Fastify reads as replacement characters.
describe('percent-encoded text', () => {
  it.each([
    ['installations search', 'installations?q=a%00b', 'querystring.q'],
    ['audit filter', 'audit-events?action=a%00b', 'querystring.action'],
  ])('with a NUL in the %s is refused by name', async (_, url, path) => {
    await expectRefused(() => admin.get(`/api/v1/accounts/${ids.accountId}/${url}`), path);
  });

  it('with a lone surrogate in the query string is read as replacement characters', async () => {
    const res = await admin.get(`/api/v1/accounts/${ids.accountId}/installations?q=a%ED%A0%80b`);
    expect([res.status, res.body.items]).toEqual([200, []]);
  });

  it('with a NUL in a path parameter is refused by name', async () => {
    const { code: _, ...definition } = demoCatalog[0]!;
    await expectRefused(() => operator.request('PUT', '/api/v1/vendor/products/new%00product', definition), 'params.code');
  });

  it('with bytes that are not UTF-8 in a path parameter is never a server error', async () => {
    const { code: _, ...definition } = demoCatalog[0]!;
    const res = await operator.request('PUT', '/api/v1/vendor/products/new%ED%A0%80product', definition);
    expect(res.status).toBeLessThan(500);
    expect(res.status).toBeGreaterThanOrEqual(400);
  });
});

describe('an uploaded CSV file', () => {
  it.each([
    ['member invitations', () => `/api/v1/accounts/${ids.accountId}/invitations/csv`],
    ['install invitations', () => `/api/v1/accounts/${ids.accountId}/install-invitations/csv?keyId=${c.primaryKey.id}`],
  ])('of %s with a NUL in a cell is refused, naming the line and column', async (_, url) => {
    const csv = `email,name\nfirst@example.com,Ann\nsecond@example.com,B\u0000b\n`;
    await writes.take();
    const res = await admin.request('POST', url(), csv, { 'content-type': 'text/csv' });
    expect([res.status, res.body.error?.code]).toEqual([400, 'validation_failed']);
    expect(res.body.error.message).toMatch(/line 3, column 2 contains a NUL character/);
    expect(await writes.take()).toEqual([]);
  });
});

describe('an offline request file', () => {
  it.each(Object.entries(HOSTILE))('with a %s in what the installation says about itself is refused by name', async (_, bad) => {
    const identity = await newIdentity(`hostile-offline-machine-${Date.now()}`);
    const { text } = writeOfflineRequest(identity, {
      kind: 'activation-request',
      product: 'desktop-business',
      licenseKey: c.key,
      details: { name: 'lab-7', hardware: { serialNumber: bad } },
    });
    await expectRefused(() => admin.post(`/api/v1/accounts/${ids.accountId}/offline-files`, { file: text }), 'file.hardware.serialNumber');
  });
});

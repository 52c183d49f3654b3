import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME, createTestApp, signedInUser, type TestApp } from '../support/harness.js';
import { generateLicenseKey } from '../../src/services/licensing/key-material.js';
import { issueOrder } from '../support/licensing.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const personalAccountId = async (client: Awaited<ReturnType<typeof signedInUser>>['client']) =>
  (await client.get('/api/v1/me')).body.accounts.find((a: { kind: string }) => a.kind === 'personal').id as string;

describe('a vendor order', () => {
  it('emails the customer a primary key that passes its own check, with a Register link that carries it', async () => {
    const order = await issueOrder(t);
    expect(order.key).toMatch(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){4}$/);
    const [mail] = await t.emailsTo(order.subscription.customer_email);
    expect(mail?.template).toBe('license_key_issued');
    expect(mail?.text).toContain(order.key);
    expect(mail?.text).toMatch(new RegExp(`^https?://\\S+/register-key\\?key=${order.key}$`, 'm'));
  });
});

describe('registering a key', () => {
  it('registers into a new business account made from the company details in the same call', async () => {
    const { client } = await signedInUser(t, 'reg');
    const { key, subscription } = await issueOrder(t);
    const res = await client.post('/api/v1/subscriptions/registrations', { licenseKey: key.toLowerCase().replace(/-/g, ''), company: ACME });
    expect(res.status).toBe(201);
    expect(res.body.subscription).toMatchObject({ id: subscription.id, status: 'active' });
    const accounts = (await client.get('/api/v1/me')).body.accounts;
    const business = accounts.find((a: { kind: string }) => a.kind === 'business');
    expect(business).toMatchObject({ name: ACME.name, role: 'admin' });
    expect(res.body.subscription.accountId).toBe(business.id);
  });

  it('registers into an account the user administers, personal ones included', async () => {
    const { client } = await signedInUser(t, 'personal');
    const { key } = await issueOrder(t);
    const accountId = await personalAccountId(client);
    const res = await client.post(`/api/v1/accounts/${accountId}/subscriptions`, { licenseKey: key });
    expect(res.status).toBe(201);
    expect(res.body.subscription.accountId).toBe(accountId);
  });

  it('registers a key once, without saying who has it', async () => {
    const first = await signedInUser(t, 'first');
    const second = await signedInUser(t, 'second');
    const { key } = await issueOrder(t);
    expect((await first.client.post(`/api/v1/accounts/${await personalAccountId(first.client)}/subscriptions`, { licenseKey: key })).status).toBe(201);
    const again = await second.client.post(`/api/v1/accounts/${await personalAccountId(second.client)}/subscriptions`, { licenseKey: key });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'key_already_registered', message: 'This license key is already registered' });
    expect(JSON.stringify(again.body)).not.toContain(first.email);
  });

  it('tells a malformed key, a typo and an unknown key apart before touching anything', async () => {
    const { client } = await signedInUser(t, 'typo');
    const accountId = await personalAccountId(client);
    const { key } = await issueOrder(t);
    const typo = key.slice(0, 3) + (key[3] === 'A' ? 'B' : 'A') + key.slice(4);
    const codes = [];
    for (const licenseKey of ['not a key', typo]) codes.push((await client.post(`/api/v1/accounts/${accountId}/subscriptions`, { licenseKey })).body.error.code);
    expect(codes).toEqual(['key_malformed', 'key_checksum_mismatch']);
    const other = await issueOrder(t);
    await t.deps.db.deleteFrom('license_keys').where('id', '=', other.primaryKey.id).execute();
    expect((await client.post(`/api/v1/accounts/${accountId}/subscriptions`, { licenseKey: other.key })).body.error.code).toBe('key_not_found');
  });

  it('refuses a regular member and a stranger to the account', async () => {
    const owner = await signedInUser(t, 'owner');
    const stranger = await signedInUser(t, 'stranger');
    const { account } = (await owner.client.post('/api/v1/accounts', ACME)).body;
    const { key } = await issueOrder(t);
    const res = await stranger.client.post(`/api/v1/accounts/${account.id}/subscriptions`, { licenseKey: key });
    expect(res.body.error.code).toBe('not_found');
    expect((await owner.client.post(`/api/v1/accounts/${account.id}/subscriptions`, { licenseKey: key })).status).toBe(201);
  });

  it('limits how many well-formed keys one user may try', async () => {
    const { client } = await signedInUser(t, 'guesser');
    const accountId = await personalAccountId(client);
    const codes = new Set<string>();
    for (let i = 0; i < 31; i++) {
      const res = await client.post(`/api/v1/accounts/${accountId}/subscriptions`, { licenseKey: generateLicenseKey().key });
      codes.add(res.body.error.code);
    }
    expect([...codes]).toEqual(['key_not_found', 'rate_limited']);
    const { key } = await issueOrder(t);
    expect((await client.post(`/api/v1/accounts/${accountId}/subscriptions`, { licenseKey: key })).status).toBe(429);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertMembership } from '../../src/data/repositories/memberships.js';
import { createTestApp, PASSWORD, signedInUser, type TestApp } from '../support/harness.js';
import { customerWithSubscription, issueOrder } from '../support/licensing.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('subscriptions of an account', () => {
  it('lists them with the Display filter and Arrange-by sort', async () => {
    // One subscription that has expired by now, one expiring within 30 days, one running for years.
    const c = await customerWithSubscription(t, { duration: '1y' });
    const old = c;
    t.clock.advanceDays(400);
    expect((await c.client.signIn(c.email, PASSWORD)).status).toBe(201);
    const base = `/api/v1/accounts/${c.accountId}/subscriptions`;
    const soon = await issueOrder(t, { duration: '1m', channel: 'online' });
    const long = await issueOrder(t, { duration: '3y' });
    for (const o of [soon, long]) expect((await c.client.post(base, { licenseKey: o.key })).status).toBe(201);
    t.clock.advanceDays(5);

    const ids = async (query: string) => (await c.client.get(`${base}?${query}`)).body.items.map((s: { id: string }) => s.id);
    expect(await ids('filter=all&sort=expires_at')).toEqual([old.subscription.id, soon.subscription.id, long.subscription.id]);
    expect(await ids('filter=all&sort=expires_at&order=desc')).toEqual([long.subscription.id, soon.subscription.id, old.subscription.id]);
    expect(await ids('filter=active')).toEqual([soon.subscription.id, long.subscription.id]);
    expect(await ids('filter=expiring_soon')).toEqual([soon.subscription.id]);
    expect(await ids('filter=expired')).toEqual([old.subscription.id]);
    const statuses = (await c.client.get(base)).body.items.map((s: { status: string }) => s.status);
    expect(statuses).toEqual(['expired', 'expiring_soon', 'active']);

    const first = await c.client.get(`${base}?limit=2&sort=starts_at`);
    const second = await c.client.get(`${base}?limit=2&sort=starts_at&cursor=${first.body.nextCursor}`);
    expect([...first.body.items, ...second.body.items]).toHaveLength(3);
    expect(second.body.nextCursor).toBeNull();
    // A cursor goes only with the sort it was made under: a name is no time.
    const byName = await c.client.get(`${base}?limit=1&sort=name`);
    const mixed = await c.client.get(`${base}?limit=1&sort=expires_at&cursor=${byName.body.nextCursor}`);
    expect([mixed.status, mixed.body.error?.details?.issues?.[0]?.path]).toEqual([400, 'querystring.cursor']);
    expect(mixed.body.error.message).toMatch(/sorted by name asc, not expires_at asc/);
  });

  it('shows the details page: status, products, keys with quota/used/available, orders and contract', async () => {
    const c = await customerWithSubscription(t, { items: [{ productCode: 'desktop-business', licenseType: null, quantity: 10 }] });
    const res = await c.client.get(`/api/v1/accounts/${c.accountId}/subscriptions/${c.subscription.id}`);
    expect(res.status).toBe(200);
    expect(res.body.products).toEqual([
      expect.objectContaining({ productCode: 'desktop-business', productModel: 'per_device', quantity: 10, used: 0, availableInMainPool: 10, availableInReservedKeys: 0 }),
    ]);
    expect(res.body.keys).toEqual([expect.objectContaining({ kind: 'primary', key: c.key, quota: 10, used: 0, available: 10, renewsWithSubscription: true })]);
    expect(res.body.orders).toEqual([expect.objectContaining({ kind: 'new', duration: '1y' })]);
    expect(res.body.contract).toMatchObject({ supportPlan: 'standard', channel: 'reseller' });
  });

  it('renames, and turns auto-renewal on only for online subscriptions', async () => {
    const c = await customerWithSubscription(t);
    const url = `/api/v1/accounts/${c.accountId}/subscriptions/${c.subscription.id}`;
    expect((await c.client.patch(url, { name: 'Design team' })).body.subscription.name).toBe('Design team');
    const refused = await c.client.patch(url, { autoRenew: true });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.field).toBe('autoRenew');
    const online = await customerWithSubscription(t, { channel: 'online', duration: '1m', autoRenew: true });
    const off = await online.client.patch(`/api/v1/accounts/${online.accountId}/subscriptions/${online.subscription.id}`, { autoRenew: false });
    expect(off.body.subscription.autoRenew).toBe(false);
  });

  it('renews online: shows the new expiration date, records the order and moves the dates', async () => {
    const c = await customerWithSubscription(t, { channel: 'online', duration: '1m', autoRenew: true });
    const url = `/api/v1/accounts/${c.accountId}/subscriptions/${c.subscription.id}`;
    const quote = await c.client.get(`${url}/renewal-quote?duration=1y`);
    const expected = new Date(c.subscription.expires_at);
    expected.setUTCFullYear(expected.getUTCFullYear() + 1);
    expect(quote.body).toEqual({ currentExpiresAt: c.subscription.expires_at.toISOString(), newExpiresAt: expected.toISOString() });
    const renewed = await c.client.post(`${url}/renewals`, { duration: '1y' });
    expect(renewed.status).toBe(201);
    expect(renewed.body.subscription.expiresAt).toBe(expected.toISOString());
    expect(renewed.body.orders.map((o: { kind: string }) => o.kind)).toEqual(['new', 'renewal']);
    expect(renewed.body.orders[1]).toMatchObject({ duration: '1y', previousExpiresAt: c.subscription.expires_at.toISOString(), newExpiresAt: expected.toISOString() });
  });

  it('sends reseller customers back to their reseller for renewals', async () => {
    const c = await customerWithSubscription(t);
    const res = await c.client.post(`/api/v1/accounts/${c.accountId}/subscriptions/${c.subscription.id}/renewals`, { duration: '1y' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/reseller/);
  });

  it('buys more licenses: the quantity grows and an order is recorded', async () => {
    const c = await customerWithSubscription(t, { items: [{ productCode: 'desktop-business', licenseType: null, quantity: 10 }] });
    const url = `/api/v1/accounts/${c.accountId}/subscriptions/${c.subscription.id}`;
    const res = await c.client.post(`${url}/additions`, { items: [{ productCode: 'desktop-business', quantity: 5 }] });
    expect(res.status).toBe(201);
    expect(res.body.products[0]).toMatchObject({ quantity: 15, availableInMainPool: 15 });
    expect(res.body.orders.at(-1)).toMatchObject({ kind: 'add_licenses', items: [{ productCode: 'desktop-business', licenseType: null, quantity: 5 }] });
  });

  it('keeps subscriptions from regular members and strangers', async () => {
    const c = await customerWithSubscription(t);
    const member = await signedInUser(t, 'member');
    await insertMembership(t.deps.db, { accountId: c.accountId, userId: member.userId, role: 'member' });
    const url = `/api/v1/accounts/${c.accountId}/subscriptions/${c.subscription.id}`;
    expect((await member.client.get(url)).body.error.code).toBe('forbidden');
    const stranger = await customerWithSubscription(t);
    expect((await stranger.client.get(url)).body.error.code).toBe('not_found');
    expect((await stranger.client.get(`/api/v1/accounts/${stranger.accountId}/subscriptions/${c.subscription.id}`)).body.error.code).toBe('not_found');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertMembership } from '../../src/data/repositories/memberships.js';
import { releaseExpiredSublicenses } from '../../src/services/sublicenses/release-expired-sublicenses.js';
import { createTestApp, PASSWORD, signedInUser, type TestApp } from '../support/harness.js';
import { customerWithSubscription, seatedInstallation } from '../support/licensing.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function tenSeats() {
  const c = await customerWithSubscription(t, { items: [{ productCode: 'desktop-business', licenseType: null, quantity: 10 }] });
  const base = `/api/v1/accounts/${c.accountId}/subscriptions/${c.subscription.id}`;
  const itemId = c.items[0]!.id;
  const create = (body: Record<string, unknown>) => c.client.post(`${base}/keys`, { itemId, expiresAt: null, ...body });
  const details = async () => (await c.client.get(base)).body;
  return { ...c, base, itemId, create, details };
}

describe('additional license keys', () => {
  it('shares the main pool with dynamic keys and fences off reserved ones, as the License Keys table shows', async () => {
    const c = await tenSeats();
    const dynamic = await c.create({ name: 'Toolbox', kind: 'dynamic', quota: 1 });
    expect(dynamic.status).toBe(201);
    expect(dynamic.body.key).toMatchObject({ kind: 'dynamic', quota: 1, used: 0, available: 1 });
    expect(dynamic.body.key.key).toMatch(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){4}$/);
    const reserved = await c.create({ name: 'Sublicense 1', kind: 'reserved', quota: 3 });
    await seatedInstallation(t, { id: dynamic.body.key.id, kind: 'dynamic' }, c.itemId, t.clock.now());
    await seatedInstallation(t, { id: reserved.body.key.id, kind: 'reserved' }, c.itemId, t.clock.now());

    const d = await c.details();
    const rows = Object.fromEntries(d.keys.map((k: { kind: string }) => [k.kind, k]));
    expect(rows.primary).toMatchObject({ quota: 7, used: 0, available: 6 });
    expect(rows.dynamic).toMatchObject({ quota: 1, used: 1, available: 0 });
    expect(rows.reserved).toMatchObject({ quota: 3, used: 1, available: 2 });
    expect(d.products[0]).toMatchObject({ used: 2, availableInMainPool: 6, availableInReservedKeys: 2 });
  });

  it('keeps reserved quotas within the total and within the free main pool', async () => {
    const c = await tenSeats();
    expect((await c.create({ name: 'Big', kind: 'reserved', quota: 11 })).body.error).toMatchObject({ code: 'quota_exceeds_pool', details: { reason: 'reserved_exceeds_total' } });
    const primary = (await c.details()).keys[0];
    for (let i = 0; i < 8; i++) await seatedInstallation(t, { id: primary.id, kind: 'primary' }, c.itemId, t.clock.now());
    expect((await c.create({ name: 'Too many', kind: 'reserved', quota: 3 })).body.error.details.reason).toBe('reserved_exceeds_free');
    expect((await c.create({ name: 'Fits', kind: 'reserved', quota: 2 })).status).toBe(201);
    expect((await c.create({ name: 'Dynamic', kind: 'dynamic', quota: 11 })).body.error.details.reason).toBe('dynamic_exceeds_total');
  });

  it('says how many seats are left when a quota does not fit, on the quota field', async () => {
    const c = await tenSeats();
    const primary = (await c.details()).keys[0];
    for (let i = 0; i < 7; i++) await seatedInstallation(t, { id: primary.id, kind: 'primary' }, c.itemId, t.clock.now());
    const tooMany = (await c.create({ name: 'Too many', kind: 'reserved', quota: 4 })).body.error;
    expect(tooMany).toMatchObject({ code: 'quota_exceeds_pool', message: 'Only 3 seats are left on this subscription', details: { field: 'quota', seatsLeft: 3, maxQuota: 3 } });
    const { key } = (await c.create({ name: 'Office', kind: 'reserved', quota: 2 })).body;
    const grow = (await c.client.patch(`${c.base}/keys/${key.id}`, { quota: 4 })).body.error;
    expect(grow).toMatchObject({ message: 'Only 1 seat is left on this subscription; this key can have a quota of at most 3', details: { seatsLeft: 1, maxQuota: 3 } });
    await c.create({ name: 'Last', kind: 'reserved', quota: 1 });
    expect((await c.create({ name: 'None', kind: 'reserved', quota: 1 })).body.error.message).toBe('No seats are left on this subscription');
    expect((await c.create({ name: 'Dynamic', kind: 'dynamic', quota: 11 })).body.error).toMatchObject({ message: 'A dynamic key cannot be capped above the 10 seats the subscription has', details: { maxQuota: 10 } });
  });

  it('deactivates the least recently seen installations when a quota drops below use', async () => {
    const c = await tenSeats();
    const { key } = (await c.create({ name: 'Office', kind: 'reserved', quota: 4 })).body;
    const now = t.clock.now().getTime();
    const seen = [];
    for (const hoursAgo of [1, 48, 5, 24]) seen.push(await seatedInstallation(t, { id: key.id, kind: 'reserved' }, c.itemId, new Date(now - hoursAgo * 3_600_000)));
    const res = await c.client.patch(`${c.base}/keys/${key.id}`, { quota: 2 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ deactivatedInstallations: 2, key: { quota: 2, used: 2, available: 0 } });
    const states = await t.deps.db.selectFrom('installations').select(['id', 'state']).where('license_key_id', '=', key.id).execute();
    const deactivated = states.filter((s) => s.state === 'deactivated').map((s) => s.id).sort();
    expect(deactivated).toEqual([seen[1]!.id, seen[3]!.id].sort());
    expect((await c.details()).products[0]).toMatchObject({ availableInMainPool: 8 });
  });

  it('deletes a key: its installations stop and its seats return to the pool', async () => {
    const c = await tenSeats();
    const { key } = (await c.create({ name: 'Temp', kind: 'reserved', quota: 3 })).body;
    await seatedInstallation(t, { id: key.id, kind: 'reserved' }, c.itemId, t.clock.now());
    const res = await c.client.delete(`${c.base}/keys/${key.id}`);
    expect(res.body.deactivatedInstallations).toBe(1);
    const d = await c.details();
    expect(d.keys).toHaveLength(1);
    expect(d.products[0]).toMatchObject({ used: 0, availableInMainPool: 10, availableInReservedKeys: 0 });
  });

  it('answers each change with the seats the details page then shows, without a second look', async () => {
    const c = await tenSeats();
    const primary = (await c.details()).keys[0];
    for (let i = 0; i < 2; i++) await seatedInstallation(t, { id: primary.id, kind: 'primary' }, c.itemId, t.clock.now());
    const shown = async () => {
      const { products, keys } = await c.details();
      const { itemId, used, availableInMainPool, availableInReservedKeys } = products[0];
      return { itemId, used, availableInMainPool, availableInReservedKeys, keys };
    };

    const reserved = await c.create({ name: 'Lab', kind: 'reserved', quota: 3 });
    expect(reserved.body.seats).toEqual(await shown());
    const dynamic = await c.create({ name: 'Field', kind: 'dynamic', quota: 4 });
    expect(dynamic.body.seats).toEqual(await shown());
    expect(dynamic.body.seats).toMatchObject({ used: 2, availableInMainPool: 5, availableInReservedKeys: 3 });
    for (let i = 0; i < 3; i++) await seatedInstallation(t, { id: dynamic.body.key.id, kind: 'dynamic' }, c.itemId, t.clock.now());

    // Lowering the dynamic key below its use gives its seats back to the main pool the primary key shares.
    const lowered = await c.client.patch(`${c.base}/keys/${dynamic.body.key.id}`, { quota: 1 });
    expect(lowered.body).toMatchObject({ deactivatedInstallations: 2, key: { quota: 1, used: 1, available: 0 }, seats: { used: 3, availableInMainPool: 4 } });
    expect(lowered.body.seats).toEqual(await shown());
    const renamed = await c.client.patch(`${c.base}/keys/${reserved.body.key.id}`, { name: 'Lab 2' });
    expect(renamed.body.seats).toEqual(await shown());
    const deleted = await c.client.delete(`${c.base}/keys/${dynamic.body.key.id}`);
    expect(deleted.body).toMatchObject({ deactivatedInstallations: 1, seats: { used: 2, availableInMainPool: 5 } });
    expect(deleted.body.seats).toEqual(await shown());
  });

  it('renames and sets a custom expiration, which must lie ahead', async () => {
    const c = await tenSeats();
    const { key } = (await c.create({ name: 'Students', kind: 'dynamic', quota: 5 })).body;
    const term = new Date(t.clock.now().getTime() + 90 * 86_400_000).toISOString();
    const res = await c.client.patch(`${c.base}/keys/${key.id}`, { name: 'Spring term', expiresAt: term });
    expect(res.body.key).toMatchObject({ name: 'Spring term', expiresAt: term, renewsWithSubscription: false });
    const past = await c.client.patch(`${c.base}/keys/${key.id}`, { expiresAt: new Date(t.clock.now().getTime() - 1000).toISOString() });
    expect(past.body.error.details.field).toBe('expiresAt');
  });

  it('gives an expired custom-dated key’s seats back to the pool, once, when the job runs', async () => {
    const c = await tenSeats();
    const term = new Date(t.clock.now().getTime() + 30 * 86_400_000).toISOString();
    const { key } = (await c.create({ name: 'Contractor', kind: 'reserved', quota: 3, expiresAt: term })).body;
    const seat = await seatedInstallation(t, { id: key.id, kind: 'reserved' }, c.itemId, t.clock.now());
    expect(await releaseExpiredSublicenses(t.deps)).toBe(0);
    t.clock.advanceDays(31);
    expect(await releaseExpiredSublicenses(t.deps)).toBe(1);
    expect(await releaseExpiredSublicenses(t.deps)).toBe(0);
    expect((await c.client.signIn(c.email, PASSWORD)).status).toBe(201);
    const d = await c.details();
    expect(d.products[0]).toMatchObject({ used: 0, availableInMainPool: 10, availableInReservedKeys: 0 });
    expect(d.keys.map((k: { name: string }) => k.name)).not.toContain('Contractor');
    const installation = await t.deps.db.selectFrom('installations').select(['state', 'deactivation_reason']).where('id', '=', seat.id).executeTakeFirstOrThrow();
    expect(installation).toEqual({ state: 'deactivated', deactivation_reason: 'key_expired' });
  });
});

describe('License Administrators', () => {
  it('see and use only the keys granted to them, and lose them at once', async () => {
    const c = await tenSeats();
    const office = (await c.create({ name: 'Office', kind: 'reserved', quota: 2 })).body.key;
    await c.create({ name: 'Lab', kind: 'dynamic', quota: 2 });
    const lead = await signedInUser(t, 'division-lead');
    await insertMembership(t.deps.db, { accountId: c.accountId, userId: lead.userId, role: 'member' });
    const list = `/api/v1/accounts/${c.accountId}/subscriptions`;
    expect((await lead.client.get(list)).body.error.code).toBe('forbidden');
    // The portal learns what the caller may do from /me, by the rule the API decides with.
    const permissionsIn = async () => ((await lead.client.get('/api/v1/me')).body.accounts as { id: string; permissions: string[] }[]).find((a) => a.id === c.accountId)?.permissions;
    expect(await permissionsIn()).toEqual(['account.view']);

    expect((await c.client.request('PUT', `${c.base}/keys/${office.id}/admins/${lead.userId}`)).status).toBe(200);
    expect((await c.client.get(`${c.base}/keys/${office.id}/admins`)).body.items).toEqual([expect.objectContaining({ email: lead.email })]);
    expect((await lead.client.get(list)).body.items.map((s: { id: string }) => s.id)).toEqual([c.subscription.id]);
    const seen = await lead.client.get(c.base);
    expect(seen.body.keys.map((k: { name: string }) => k.name)).toEqual(['Office']);
    expect(seen.body.orders).toEqual([]);
    expect(await permissionsIn()).toEqual(['account.view', 'subscriptions.view', 'keys.view', 'install_invitations.manage', 'installations.view', 'installations.manage']);
    expect((await lead.client.post(`${c.base}/keys`, { itemId: c.itemId, name: 'Mine', kind: 'dynamic', quota: 1, expiresAt: null })).body.error.code).toBe('forbidden');

    expect((await c.client.delete(`${c.base}/keys/${office.id}/admins/${lead.userId}`)).status).toBe(200);
    expect((await lead.client.get(c.base)).body.error.code).toBe('forbidden');
    expect(await permissionsIn()).toEqual(['account.view']);
  });

  it('are granted to regular members only', async () => {
    const c = await tenSeats();
    const primary = (await c.details()).keys[0];
    const me = (await c.client.get('/api/v1/me')).body.user.id;
    expect((await c.client.request('PUT', `${c.base}/keys/${primary.id}/admins/${me}`)).status).toBe(400);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signedInUser, type TestApp } from '../support/harness.js';
import { activate, activationBody, asInstallation, claimsOf } from '../support/installations.js';
import { customerWithSubscription } from '../support/licensing.js';

/**
 * Additional keys of the products whose key activates one installation: a farm licensed for
 * concurrent users (ras), a proxy for managed devices (mac-sccm, and device-management with its
 * Desktop and Mobile licenses). Each key activates its own installation, licensed for the key's
 * share of the pool, the keys' use being what their installations report.
 */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

type Line = { productCode: string; licenseType: string | null; quantity: number };

async function boundSubscription(items: Line[]) {
  const c = await customerWithSubscription(t, { items });
  const base = `/api/v1/accounts/${c.accountId}/subscriptions/${c.subscription.id}`;
  const itemOf = (licenseType: string | null = null) => c.items.find((i) => i.license_type === licenseType)!.id;
  const create = async (body: { name: string; kind: 'dynamic' | 'reserved'; quota: number }, licenseType: string | null = null) => {
    const res = await c.client.post(`${base}/keys`, { itemId: itemOf(licenseType), expiresAt: null, ...body });
    expect(res.status).toBe(201);
    return res.body.key as { id: string; key: string; quota: number; used: number; available: number };
  };
  /** What the Products and License Keys tables show for one product: its figures, and its keys' rows by name (the primary key's as `primary`). */
  const shown = async (licenseType: string | null = null) => {
    const d = (await c.client.get(base)).body;
    const product = d.products.find((p: { itemId: string }) => p.itemId === itemOf(licenseType));
    const rows = d.keys.filter((k: { itemId: string }) => k.itemId === itemOf(licenseType));
    return {
      used: product.used,
      availableInMainPool: product.availableInMainPool,
      availableInReservedKeys: product.availableInReservedKeys,
      keys: Object.fromEntries(
        rows.map((k: { kind: string; name: string; quota: number; used: number; available: number }) => [k.kind === 'primary' ? 'primary' : k.name, { quota: k.quota, used: k.used, available: k.available }]),
      ),
    };
  };
  return { ...c, base, itemOf, create, shown };
}

/** An installation (a farm, a proxy) activated with a key, and the seats its certificate licenses. */
async function activated(licenseKey: string, product: string, licenseType?: string) {
  const res = await activate(t, activationBody(licenseKey, { product, ...(licenseType ? { licenseType } : {}) }));
  expect(res.status).toBe(201);
  const client = asInstallation(t, res.body.installationToken);
  /** A check-in reporting this peak use; answers the state, seats and warnings of the certificate it gets. */
  const report = async (peak: number) => {
    const answer = await client.post('/licensing/v1/check-ins', { usage: { peak, current: peak, measuredAt: t.clock.now().toISOString() } });
    expect(answer.status).toBe(200);
    const { lic } = claimsOf(answer.body.certificate);
    return { seats: lic.seats, state: lic.state, warnings: answer.body.warnings.map((w: { code: string }) => w.code) };
  };
  return { id: res.body.installationId as string, seats: claimsOf(res.body.certificate).lic.seats as number, client, report };
}

describe('additional keys of a server farm (concurrent users)', () => {
  it('licenses each farm its share: the reserved quota, the dynamic quota within what the main pool leaves, the rest to the primary key', async () => {
    const s = await boundSubscription([{ productCode: 'ras', licenseType: null, quantity: 50 }]);
    const reserved = await s.create({ name: 'Branch', kind: 'reserved', quota: 10 });
    const dynamic = await s.create({ name: 'Lab', kind: 'dynamic', quota: 15 });
    expect(reserved).toMatchObject({ quota: 10, used: 0, available: 10 });
    expect(dynamic).toMatchObject({ quota: 15, used: 0, available: 15 });

    const primaryFarm = await activated(s.key, 'ras');
    const branchFarm = await activated(reserved.key, 'ras');
    const labFarm = await activated(dynamic.key, 'ras');
    expect([primaryFarm.seats, branchFarm.seats, labFarm.seats]).toEqual([40, 10, 15]);

    // The lab's concurrent users come out of the seats the primary farm shares with it.
    expect(await labFarm.report(12)).toEqual({ seats: 15, state: 'active', warnings: [] });
    expect(await primaryFarm.report(28)).toEqual({ seats: 28, state: 'active', warnings: [] });
    expect(await branchFarm.report(4)).toEqual({ seats: 10, state: 'active', warnings: [] });
    // The primary farm's 28 leave the lab 12 of its 15: at 14 it is over, and gets the farm's overuse grace.
    expect(await labFarm.report(14)).toEqual({ seats: 12, state: 'grace', warnings: ['overuse_grace'] });

    expect(await s.shown()).toEqual({
      used: 46,
      availableInMainPool: 0,
      availableInReservedKeys: 6,
      keys: {
        primary: { quota: 40, used: 28, available: 0 },
        Branch: { quota: 10, used: 4, available: 6 },
        Lab: { quota: 15, used: 14, available: 0 },
      },
    });
    const status = await labFarm.client.get('/licensing/v1/status');
    expect(status.body).toMatchObject({ total: 12, used: 14, remaining: 0, state: 'grace' });
  });

  it('still refuses a second farm on any key, and a farm when the main pool is used up', async () => {
    const s = await boundSubscription([{ productCode: 'ras', licenseType: null, quantity: 20 }]);
    const reserved = await s.create({ name: 'Branch', kind: 'reserved', quota: 5 });
    const dynamic = await s.create({ name: 'Lab', kind: 'dynamic', quota: 5 });
    await activated(reserved.key, 'ras');
    await (await activated(s.key, 'ras')).report(15);
    for (const key of [reserved.key, s.key]) {
      const second = await activate(t, activationBody(key, { product: 'ras' }));
      expect([second.status, second.body.error.code]).toEqual([409, 'key_bound_to_other_installation']);
    }
    // The primary farm reports the whole main pool in use: the dynamic key has no seat to license a farm with.
    const refused = await activate(t, activationBody(dynamic.key, { product: 'ras' }));
    expect(refused.body.error).toMatchObject({ code: 'quota_exhausted', details: { limit: 'main_pool' } });
    // Seats a farm uses are not free to reserve.
    const tooMany = await s.client.post(`${s.base}/keys`, { itemId: s.itemOf(), name: 'More', kind: 'reserved', quota: 1, expiresAt: null });
    expect(tooMany.body.error).toMatchObject({ code: 'quota_exceeds_pool', details: { reason: 'reserved_exceeds_free', seatsLeft: 0 } });
  });

  it('keeps a farm whose key gets a lower quota, with fewer seats from its next check-in; a deleted key stops its farm', async () => {
    const s = await boundSubscription([{ productCode: 'ras', licenseType: null, quantity: 50 }]);
    const reserved = await s.create({ name: 'Branch', kind: 'reserved', quota: 20 });
    const dynamic = await s.create({ name: 'Lab', kind: 'dynamic', quota: 15 });
    const branchFarm = await activated(reserved.key, 'ras');
    const labFarm = await activated(dynamic.key, 'ras');
    const primaryFarm = await activated(s.key, 'ras');
    await branchFarm.report(12);
    await labFarm.report(8);

    const lowered = await s.client.patch(`${s.base}/keys/${reserved.id}`, { quota: 10 });
    expect(lowered.body).toMatchObject({ deactivatedInstallations: 0, key: { quota: 10, used: 12, available: 0 }, seats: { used: 20, availableInMainPool: 32 } });
    expect(lowered.body.seats.keys.find((k: { id: string }) => k.id === reserved.id)).toMatchObject({ quota: 10, used: 12 });
    expect(await branchFarm.report(12)).toEqual({ seats: 10, state: 'grace', warnings: ['overuse_grace'] });
    expect(await primaryFarm.report(0)).toMatchObject({ seats: 32 });
    const lab = await s.client.patch(`${s.base}/keys/${dynamic.id}`, { quota: 5 });
    expect(lab.body).toMatchObject({ deactivatedInstallations: 0, key: { quota: 5, used: 8, available: 0 } });
    expect(await labFarm.report(8)).toMatchObject({ seats: 5, state: 'grace' });
    // The lab's use past its quota is its own overuse, not seats taken from the primary farm.
    expect(await primaryFarm.report(0)).toMatchObject({ seats: 35 });

    const deleted = await s.client.delete(`${s.base}/keys/${reserved.id}`);
    expect(deleted.body).toMatchObject({ deactivatedInstallations: 1, seats: { availableInReservedKeys: 0 } });
    expect((await branchFarm.client.post('/licensing/v1/check-ins', {})).body.error.code).toBe('installation_deactivated');
    expect(await primaryFarm.report(0)).toMatchObject({ seats: 45 });
  });

  it("moves a farm to a sublicense's key only where that key has seats to share, then licenses it for that key's share", async () => {
    const s = await boundSubscription([{ productCode: 'ras', licenseType: null, quantity: 20 }]);
    const dynamic = await s.create({ name: 'Lab', kind: 'dynamic', quota: 5 });
    const reserved = await s.create({ name: 'Branch', kind: 'reserved', quota: 5 });
    const farm = await activated(s.key, 'ras');
    expect(await farm.report(15)).toMatchObject({ seats: 15, state: 'active' });
    const move = (targetKeyId: string) => s.client.post(`/api/v1/accounts/${s.accountId}/installations/actions`, { action: 'move', installationIds: [farm.id], targetKeyId });
    expect((await move(dynamic.id)).body.results[0].error.code).toBe('quota_exhausted');
    expect((await move(reserved.id)).body.results[0]).toMatchObject({ ok: true, pendingAction: 'move' });
    const moved = await farm.client.post('/licensing/v1/check-ins', {});
    expect(moved.body.action).toBe('reactivate');
    expect(claimsOf(moved.body.certificate).lic).toMatchObject({ keyId: reserved.id, seats: 5 });
  });

  it("answers another account's administrator 404 and creates nothing", async () => {
    const s = await boundSubscription([{ productCode: 'ras', licenseType: null, quantity: 50 }]);
    const stranger = await signedInUser(t, 'stranger');
    const res = await stranger.client.post(`${s.base}/keys`, { itemId: s.itemOf(), name: 'Mine', kind: 'reserved', quota: 5, expiresAt: null });
    expect(res.status).toBe(404);
    expect(Object.keys((await s.shown()).keys)).toEqual(['primary']);
  });
});

describe('additional keys of a proxy (managed devices)', () => {
  it('licenses each Mac management proxy its share, and only warns a proxy over it', async () => {
    const s = await boundSubscription([{ productCode: 'mac-sccm', licenseType: null, quantity: 100 }]);
    const reserved = await s.create({ name: 'Site B', kind: 'reserved', quota: 20 });
    const dynamic = await s.create({ name: 'Site C', kind: 'dynamic', quota: 30 });
    const primaryProxy = await activated(s.key, 'mac-sccm');
    const siteB = await activated(reserved.key, 'mac-sccm');
    const siteC = await activated(dynamic.key, 'mac-sccm');
    expect([primaryProxy.seats, siteB.seats, siteC.seats]).toEqual([80, 20, 30]);

    expect(await siteC.report(40)).toEqual({ seats: 30, state: 'active', warnings: ['over_limit'] });
    expect(await siteB.report(20)).toEqual({ seats: 20, state: 'active', warnings: [] });
    expect(await primaryProxy.report(45)).toEqual({ seats: 50, state: 'active', warnings: [] });
    expect(await s.shown()).toEqual({
      used: 105,
      availableInMainPool: 5,
      availableInReservedKeys: 0,
      keys: {
        primary: { quota: 80, used: 45, available: 5 },
        'Site B': { quota: 20, used: 20, available: 0 },
        'Site C': { quota: 30, used: 40, available: 0 },
      },
    });
    const second = await activate(t, activationBody(dynamic.key, { product: 'mac-sccm' }));
    expect([second.status, second.body.error.code]).toEqual([409, 'key_bound_to_other_installation']);
  });

  it('licenses device management proxies per license type, Desktop and Mobile each a subscription with its own keys', async () => {
    const desktop = await boundSubscription([{ productCode: 'device-management', licenseType: 'desktop', quantity: 50 }]);
    const mobile = await boundSubscription([{ productCode: 'device-management', licenseType: 'mobile', quantity: 20 }]);
    const macs = await desktop.create({ name: 'Studio Macs', kind: 'dynamic', quota: 10 }, 'desktop');
    const phones = await mobile.create({ name: 'Field phones', kind: 'reserved', quota: 5 }, 'mobile');

    const wrongType = await activate(t, activationBody(phones.key, { product: 'device-management', licenseType: 'desktop' }));
    expect(wrongType.body.error.code).toBe('license_type_mismatch');
    const macProxy = await activated(macs.key, 'device-management', 'desktop');
    const phoneProxy = await activated(phones.key, 'device-management', 'mobile');
    const primaryDesktop = await activated(desktop.key, 'device-management', 'desktop');
    const primaryMobile = await activated(mobile.key, 'device-management', 'mobile');
    expect([macProxy.seats, phoneProxy.seats, primaryDesktop.seats, primaryMobile.seats]).toEqual([10, 5, 50, 15]);

    await macProxy.report(7);
    await phoneProxy.report(3);
    expect(await primaryDesktop.report(20)).toMatchObject({ seats: 43 });
    expect(await primaryMobile.report(6)).toMatchObject({ seats: 15 });
    expect(await desktop.shown('desktop')).toEqual({
      used: 27,
      availableInMainPool: 23,
      availableInReservedKeys: 0,
      keys: { primary: { quota: 50, used: 20, available: 23 }, 'Studio Macs': { quota: 10, used: 7, available: 3 } },
    });
    expect(await mobile.shown('mobile')).toEqual({
      used: 9,
      availableInMainPool: 9,
      availableInReservedKeys: 2,
      keys: { primary: { quota: 15, used: 6, available: 9 }, 'Field phones': { quota: 5, used: 3, available: 2 } },
    });
    const secondPhones = await activate(t, activationBody(phones.key, { product: 'device-management', licenseType: 'mobile' }));
    expect(secondPhones.body.error.code).toBe('key_bound_to_other_installation');
  });
});

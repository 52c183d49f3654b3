import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertMembership } from '../../src/data/repositories/memberships.js';
import { ACME, createTestApp, signedInUser, type TestApp } from '../support/harness.js';
import { customerWithSubscription } from '../support/licensing.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const checksum = 'ab'.repeat(32);
const image = { imageName: 'Windows 11 corporate', downloadUrl: 'https://files.example.com/win11.pvmp', checksum, architecture: 'apple_silicon' };
const upgrades = (allowed: boolean) => ({ type: 'major_upgrades', enabled: true, settings: { allowed } });

/** A business account with a desktop subscription and a sublicense, and its administrator's calls. */
async function account(order: Parameters<typeof customerWithSubscription>[1] = {}) {
  const c = await customerWithSubscription(t, { items: [{ productCode: 'desktop-business', licenseType: null, quantity: 10 }], ...order });
  const api = `/api/v1/accounts/${c.accountId}`;
  const base = `${api}/subscriptions/${c.subscription.id}`;
  const sublicense = (await c.client.post(`${base}/keys`, { itemId: c.items[0]!.id, name: 'Design team', kind: 'dynamic', quota: 2, expiresAt: null })).body.key;
  const create = (body: Record<string, unknown>) => c.client.post(`${api}/configuration-profiles`, { product: 'desktop-business', payloads: [], ...body });
  const assign = (keyId: string, profileId: string | null) => c.client.put(`${base}/keys/${keyId}/configuration-profile`, { profileId });
  // A primary key spanning two products has a row in each.
  const keys = async () => {
    const rows = (await c.client.get(base)).body.keys as { id: string; kind: string; profile: { id: string; name: string } | null }[];
    return rows.filter((r, i) => rows.findIndex((o) => o.id === r.id) === i);
  };
  return { ...c, api, base, sublicense, primaryId: c.primaryKey.id, create, assign, keys };
}

describe('configuration profiles', () => {
  it('lists the payload types of the products the account holds, and only those that take profiles', async () => {
    const a = await account({ items: [{ productCode: 'desktop-business', licenseType: null, quantity: 5 }, { productCode: 'ras', licenseType: null, quantity: 5 }] });
    const { items } = (await a.client.get(`${a.api}/payload-types`)).body;
    expect(items.map((i: { product: string }) => i.product)).toEqual(['desktop-business']);
    expect(items[0].productName).toMatch(/Business/);
    expect(items[0].types.map((ty: { type: string }) => ty.type)).toEqual(['vm_image', 'major_upgrades', 'updates', 'restrictions', 'usb_devices']);
    // What each product's license includes tells the portal which products take policies and user groups.
    expect(items[0].features).not.toContain('policies');
    const enterprise = await account({ items: [{ productCode: 'desktop-enterprise', licenseType: null, quantity: 5 }] });
    const [product] = (await enterprise.client.get(`${enterprise.api}/payload-types`)).body.items;
    expect(product.features).toEqual(expect.arrayContaining(['policies', 'user_groups']));
  });

  it('creates, reads, lists and saves a profile; only a change to what it delivers is a new version', async () => {
    const a = await account();
    const created = await a.create({ name: 'Engineering', payloads: [{ type: 'vm_image', enabled: true, settings: { ...image, checksum: checksum.toUpperCase() } }] });
    expect(created.status).toBe(201);
    const profile = created.body.profile;
    expect(profile).toMatchObject({ name: 'Engineering', product: 'desktop-business', version: 1, keys: [], payloads: [{ type: 'vm_image', enabled: true, settings: { checksum } }] });
    expect((await a.client.get(`${a.api}/configuration-profiles/${profile.id}`)).body.profile).toEqual(profile);

    const put = (body: Record<string, unknown>) => a.client.put(`${a.api}/configuration-profiles/${profile.id}`, body);
    const renamed = (await put({ name: 'Engineering Mac', payloads: profile.payloads })).body.profile;
    expect(renamed).toMatchObject({ name: 'Engineering Mac', version: 1, hash: profile.hash });
    // A disabled payload delivers nothing: adding one changes no installation.
    const withDisabled = (await put({ name: 'Engineering Mac', payloads: [...profile.payloads, { type: 'updates', enabled: false, settings: {} }] })).body.profile;
    expect(withDisabled).toMatchObject({ version: 1, hash: profile.hash });
    const changed = (await put({ name: 'Engineering Mac', payloads: [...profile.payloads, upgrades(true)] })).body.profile;
    expect(changed.version).toBe(2);
    expect(changed.hash).not.toBe(profile.hash);

    const list = (await a.client.get(`${a.api}/configuration-profiles`)).body.items;
    expect(list.map((p: { name: string; version: number }) => [p.name, p.version])).toEqual([['Engineering Mac', 2]]);
    const audit = (await a.client.get(`${a.api}/audit-events?action=configuration_profile.updated`)).body.items;
    expect(audit).toHaveLength(3);
  });

  it('puts each payload problem on its field, and keeps names unique in the account whatever their case', async () => {
    const a = await account();
    const bad = await a.create({ name: 'Broken', payloads: [upgrades(true), { type: 'vm_image', enabled: true, settings: { ...image, downloadUrl: 'ftp://x' } }, { type: 'printers', enabled: true, settings: {} }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    expect(bad.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual(['payloads.1.settings.downloadUrl', 'payloads.2.type']);
    const twice = await a.create({ name: 'Twice', payloads: [upgrades(true), upgrades(false)] });
    expect(twice.body.error.details.issues[0].path).toBe('payloads.1.type');
    expect((await a.create({ name: 'Wrong product', product: 'ras' })).body.error.details.issues[0].path).toBe('product');

    expect((await a.create({ name: 'Sales' })).status).toBe(201);
    const taken = await a.create({ name: 'SALES' });
    expect(taken.status).toBe(409);
    expect(taken.body.error).toMatchObject({ code: 'profile_name_taken', details: { field: 'name' } });
    const other = (await a.create({ name: 'Support' })).body.profile;
    expect((await a.client.put(`${a.api}/configuration-profiles/${other.id}`, { name: 'sales', payloads: [] })).body.error.code).toBe('profile_name_taken');
    // Another account may use the same name.
    expect((await (await account()).create({ name: 'Sales' })).status).toBe(201);
  });

  it('refuses text that cannot be stored in a setting, naming where it is', async () => {
    const a = await account();
    const res = await a.create({ name: 'Hostile', payloads: [{ type: 'vm_image', enabled: false, settings: { imageName: 'bad\u0000name' } }] });
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues[0].path).toBe('payloads.0.settings.imageName');
    expect((await a.client.get(`${a.api}/configuration-profiles`)).body.items).toEqual([]);
  });

  it('assigns a profile to a primary key and to a sublicense, shows it in the License Keys table, and back to Default', async () => {
    const a = await account();
    const profile = (await a.create({ name: 'Engineering', payloads: [upgrades(true)] })).body.profile;
    expect((await a.assign(a.sublicense.id, profile.id)).body).toEqual({ profile: { id: profile.id, name: 'Engineering' } });
    expect((await a.assign(a.primaryId, profile.id)).status).toBe(200);
    const keys = await a.keys();
    expect(keys.map((k) => k.profile)).toEqual([{ id: profile.id, name: 'Engineering' }, { id: profile.id, name: 'Engineering' }]);
    const listed = (await a.client.get(`${a.api}/configuration-profiles/${profile.id}`)).body.profile.keys;
    expect(listed.map((k: { kind: string }) => k.kind)).toEqual(['primary', 'dynamic']);

    expect((await a.assign(a.sublicense.id, null)).body).toEqual({ profile: { id: null, name: 'Default' } });
    expect((await a.keys()).find((k) => k.id === a.sublicense.id)!.profile).toBeNull();
  });

  it("refuses a profile of another product than the key's, and another account's profile", async () => {
    const a = await account({ items: [{ productCode: 'desktop-business', licenseType: null, quantity: 5 }, { productCode: 'desktop-enterprise', licenseType: null, quantity: 5 }] });
    const enterprise = (await a.create({ name: 'Enterprise', product: 'desktop-enterprise' })).body.profile;
    const business = (await a.create({ name: 'Business' })).body.profile;
    const refused = await a.assign(a.sublicense.id, enterprise.id);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'profile_product_mismatch', details: { field: 'profileId' } });
    // The primary key licenses both products.
    expect((await a.assign(a.primaryId, enterprise.id)).status).toBe(200);

    const b = await account();
    const foreign = await b.assign(b.sublicense.id, business.id);
    expect(foreign.body.error.details.issues[0].path).toBe('profileId');
    expect((await b.client.get(`${a.api}/configuration-profiles/${business.id}`)).status).toBe(404);
    expect((await b.client.get(`${b.api}/configuration-profiles/${business.id}`)).status).toBe(404);
    expect((await b.client.delete(`${b.api}/configuration-profiles/${business.id}`)).status).toBe(404);
  });

  it('refuses to delete a profile keys use, unless they are reassigned to a profile of the same product or to Default', async () => {
    const a = await account({ items: [{ productCode: 'desktop-business', licenseType: null, quantity: 5 }, { productCode: 'desktop-enterprise', licenseType: null, quantity: 5 }] });
    const first = (await a.create({ name: 'First' })).body.profile;
    const second = (await a.create({ name: 'Second' })).body.profile;
    const enterprise = (await a.create({ name: 'Enterprise', product: 'desktop-enterprise' })).body.profile;
    await a.assign(a.sublicense.id, first.id);
    await a.assign(a.primaryId, first.id);

    const inUse = await a.client.delete(`${a.api}/configuration-profiles/${first.id}`);
    expect(inUse.status).toBe(409);
    expect(inUse.body.error).toMatchObject({ code: 'profile_in_use', details: { keys: 2 } });
    expect(inUse.body.error.message).toMatch(/^2 license keys use this profile/);
    expect((await a.client.delete(`${a.api}/configuration-profiles/${first.id}?reassignTo=${enterprise.id}`)).body.error.code).toBe('profile_product_mismatch');

    const moved = await a.client.delete(`${a.api}/configuration-profiles/${first.id}?reassignTo=${second.id}`);
    expect(moved.status).toBe(204);
    expect((await a.keys()).map((k) => k.profile?.name)).toEqual(['Second', 'Second']);
    expect((await a.client.delete(`${a.api}/configuration-profiles/${second.id}?reassignTo=default`)).status).toBe(204);
    expect((await a.keys()).map((k) => k.profile)).toEqual([null, null]);
    // Unused, it goes without a word.
    expect((await a.client.delete(`${a.api}/configuration-profiles/${enterprise.id}`)).status).toBe(204);
    expect((await a.client.get(`${a.api}/configuration-profiles`)).body.items).toEqual([]);
    const deleted = (await a.client.get(`${a.api}/audit-events?action=configuration_profile.deleted`)).body.items;
    expect(deleted.map((e: { details: { keysReassigned: number } }) => e.details.keysReassigned).sort()).toEqual([0, 2, 2]);
  });

  it('is for account administrators only: a License Administrator and a Regular Member get 403', async () => {
    const a = await account();
    const profile = (await a.create({ name: 'Engineering' })).body.profile;
    const licenseAdmin = await signedInUser(t, 'license-admin');
    await insertMembership(t.deps.db, { accountId: a.accountId, userId: licenseAdmin.userId, role: 'member' });
    expect((await a.client.put(`${a.base}/keys/${a.sublicense.id}/admins/${licenseAdmin.userId}`)).status).toBe(200);
    const regular = await signedInUser(t, 'regular');
    await insertMembership(t.deps.db, { accountId: a.accountId, userId: regular.userId, role: 'member' });
    const outsider = await signedInUser(t, 'outsider');
    await outsider.client.post('/api/v1/accounts', ACME);

    // The License Administrator manages the sublicense itself, just not its configuration.
    expect((await licenseAdmin.client.get(a.base)).status).toBe(200);
    const calls = (c: typeof a.client) => [
      c.get(`${a.api}/payload-types`),
      c.get(`${a.api}/configuration-profiles`),
      c.get(`${a.api}/configuration-profiles/${profile.id}`),
      c.post(`${a.api}/configuration-profiles`, { name: 'Mine', product: 'desktop-business', payloads: [] }),
      c.put(`${a.api}/configuration-profiles/${profile.id}`, { name: 'Mine', payloads: [] }),
      c.delete(`${a.api}/configuration-profiles/${profile.id}`),
      c.put(`${a.base}/keys/${a.sublicense.id}/configuration-profile`, { profileId: profile.id }),
    ];
    for (const [who, client, status, code] of [
      ['license admin', licenseAdmin.client, 403, 'forbidden'],
      ['regular member', regular.client, 403, 'forbidden'],
      ['outsider', outsider.client, 404, 'not_found'],
    ] as const) {
      for (const res of await Promise.all(calls(client))) expect([who, res.status, res.body.error?.code]).toEqual([who, status, code]);
    }
    expect((await a.client.get(`${a.api}/configuration-profiles/${profile.id}`)).body.profile).toMatchObject({ name: 'Engineering', keys: [] });
  });
});

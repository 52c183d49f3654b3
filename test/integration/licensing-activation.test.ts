import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLicenseKey } from '../../src/services/licensing/key-material.js';
import { createTestApp, type TestApp } from '../support/harness.js';
import { activate, activationBody, addSublicense, asInstallation, claimsOf, counters, machine, registeredOrder } from '../support/installations.js';
import { issueOrder } from '../support/licensing.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const typo = (key: string) => key.slice(0, 3) + (key[3] === 'A' ? 'B' : 'A') + key.slice(4);
const codeOf = async (body: Record<string, unknown>) => (await activate(t, body)).body.error?.code as string | undefined;

describe('an activation', () => {
  it('takes one seat and answers with an installation, its token, a certificate, the next check-in and the configuration to apply', async () => {
    const order = await registeredOrder(t);
    const res = await activate(t, activationBody(order.key, { name: 'Ada’s laptop', appVersion: '20.1', hostOs: 'macOS 15', hardware: { cpuArch: 'arm64', macAddresses: ['aa:bb:cc:dd:ee:ff'] } }));
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      installationId: expect.any(String),
      installationToken: expect.stringMatching(/^kli_/),
      certificate: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      nextCheckInAt: expect.any(String),
      profile: { id: null, name: 'Default', version: 1, hash: expect.any(String), document: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/) },
    });
    expect(await counters(t.deps.db, order.primaryKey.id, order.items[0]!.id)).toMatchObject({ used: 1, mainUsed: 1, active: 1 });
    const stored = await t.deps.db.selectFrom('installations').selectAll().where('id', '=', res.body.installationId).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ name: 'Ada’s laptop', app_version: '20.1', host_os: 'macOS 15', hardware: { cpuArch: 'arm64' }, holds_seat: true });
    expect(stored.token_hash).not.toContain(res.body.installationToken);
  });

  it('is idempotent: the same machine activating again holds one seat and gets a new token', async () => {
    const order = await registeredOrder(t);
    const body = activationBody(order.key);
    const first = await activate(t, body);
    const again = await activate(t, { ...body, publicKey: machine().publicKey });
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body.installationId).toBe(first.body.installationId);
    expect(again.body.installationToken).not.toBe(first.body.installationToken);
    expect(await counters(t.deps.db, order.primaryKey.id, order.items[0]!.id)).toMatchObject({ used: 1, mainUsed: 1, active: 1 });
    expect((await asInstallation(t, first.body.installationToken).get('/licensing/v1/status')).body.error.code).toBe('token_invalid');
    expect((await asInstallation(t, again.body.installationToken).get('/licensing/v1/status')).status).toBe(200);
  });

  it('holds one seat when the same machine activates many times at once', async () => {
    const order = await registeredOrder(t);
    const body = activationBody(order.key);
    const answers = await Promise.all(Array.from({ length: 30 }, () => activate(t, body)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(29);
    expect(new Set(answers.map((a) => a.body.installationId)).size).toBe(1);
    expect(await counters(t.deps.db, order.primaryKey.id, order.items[0]!.id)).toMatchObject({ used: 1, mainUsed: 1, active: 1 });
  });

  it('refuses with quota_exhausted once every seat is taken, and lets the same machines back in', async () => {
    const order = await registeredOrder(t, { items: [{ productCode: 'desktop-business', licenseType: null, quantity: 2 }] });
    const bodies = [activationBody(order.key), activationBody(order.key)];
    for (const body of bodies) expect((await activate(t, body)).status).toBe(201);
    const full = await activate(t, activationBody(order.key));
    expect(full.status).toBe(409);
    expect(full.body.error).toMatchObject({ code: 'quota_exhausted', message: 'All seats of this license key are in use' });
    expect((await activate(t, bodies[0]!)).status).toBe(200);
    expect(await counters(t.deps.db, order.primaryKey.id, order.items[0]!.id)).toMatchObject({ used: 2, mainUsed: 2, active: 2 });
  });
});

describe('the rules, each with its own code', () => {
  it('tells a malformed key, a typo and an unknown key apart', async () => {
    const order = await registeredOrder(t);
    expect(await codeOf(activationBody('not a key'))).toBe('key_malformed');
    expect(await codeOf(activationBody(typo(order.key)))).toBe('key_checksum_mismatch');
    expect(await codeOf(activationBody(generateLicenseKey().key))).toBe('key_not_found');
    expect((await activate(t, activationBody(order.key.toLowerCase().replace(/-/g, '')))).status).toBe(201);
  });

  it('answers key_not_found for a sublicense that was deleted', async () => {
    const order = await registeredOrder(t);
    const sub = await addSublicense(t.deps.db, order, order.items[0]!.id, 'dynamic', 2);
    await t.deps.db.deleteFrom('license_keys').where('id', '=', sub.id).execute();
    expect(await codeOf(activationBody(sub.key))).toBe('key_not_found');
  });

  it('answers code_not_found for an activation code that is no code, and wants one of a key, a code or a sign-in but not two', async () => {
    expect(await codeOf({ ...machine(), product: 'desktop-business', activationCode: 'ABC-123' })).toBe('code_not_found');
    const both = await activate(t, { ...activationBody(generateLicenseKey().key), activationCode: 'ABC' });
    expect(both.body.error).toMatchObject({ code: 'validation_failed', message: expect.stringContaining('licenseKey, activationCode or ssoDeviceCode') });
    expect(await codeOf({ ...machine(), product: 'desktop-business' })).toBe('validation_failed');
  });

  it('refuses a key whose subscription is not registered to an account yet', async () => {
    const order = await issueOrder(t);
    const res = await activate(t, activationBody(order.key));
    expect([res.status, res.body.error.code]).toEqual([403, 'key_not_registered']);
  });

  it('refuses a product the subscription does not hold, and a sublicense of another product', async () => {
    const order = await registeredOrder(t, {
      items: [
        { productCode: 'desktop-business', licenseType: null, quantity: 3 },
        { productCode: 'ras', licenseType: null, quantity: 20 },
      ],
    });
    expect(await codeOf(activationBody(order.key, { product: 'desktop-enterprise' }))).toBe('product_mismatch');
    expect(await codeOf(activationBody(order.key, { product: 'no-such-product' }))).toBe('product_mismatch');
    const rasItem = order.items.find((i) => i.product_code === 'ras')!;
    const rasKey = await addSublicense(t.deps.db, order, rasItem.id, 'dynamic', 5);
    expect(await codeOf(activationBody(rasKey.key))).toBe('product_mismatch');
    expect((await activate(t, activationBody(rasKey.key, { product: 'ras' }))).status).toBe(201);
  });

  it('wants the license type where the product has types, and only there', async () => {
    const order = await registeredOrder(t, { items: [{ productCode: 'device-management', licenseType: 'mobile', quantity: 100 }] });
    const dm = (extra: Record<string, unknown>) => activationBody(order.key, { product: 'device-management', ...extra });
    expect(await codeOf(dm({}))).toBe('license_type_mismatch');
    expect(await codeOf(dm({ licenseType: 'desktop' }))).toBe('license_type_mismatch');
    const ok = await activate(t, dm({ licenseType: 'mobile' }));
    expect(ok.status).toBe(201);
    expect(claimsOf(ok.body.certificate).lic.licenseType).toBe('mobile');
    const desktop = await registeredOrder(t);
    expect(await codeOf(activationBody(desktop.key, { licenseType: 'mobile' }))).toBe('license_type_mismatch');
  });

  it('refuses a suspended subscription', async () => {
    const order = await registeredOrder(t);
    await t.deps.db.updateTable('subscriptions').set({ status: 'suspended' }).where('id', '=', order.subscription.id).execute();
    const res = await activate(t, activationBody(order.key));
    expect([res.status, res.body.error.code]).toEqual([403, 'subscription_suspended']);
  });

  it("refuses an expired subscription once the product's expiry grace is over", async () => {
    const desktop = await registeredOrder(t);
    const farm = await registeredOrder(t, { items: [{ productCode: 'ras', licenseType: null, quantity: 20 }] });
    const expire = (id: string, daysAgo: number) =>
      t.deps.db.updateTable('subscriptions').set({ starts_at: new Date(t.clock.now().getTime() - 400 * 86_400_000), expires_at: new Date(t.clock.now().getTime() - daysAgo * 86_400_000) }).where('id', '=', id).execute();
    await expire(desktop.subscription.id, 1);
    await expire(farm.subscription.id, 29);
    expect(await codeOf(activationBody(desktop.key))).toBe('subscription_expired');
    // The farm runs 30 days past expiry, and says so.
    const inGrace = await activate(t, activationBody(farm.key, { product: 'ras' }));
    expect(inGrace.status).toBe(201);
    expect(claimsOf(inGrace.body.certificate).lic).toMatchObject({ state: 'grace', graceUntil: expect.any(String) });
    await expire(farm.subscription.id, 31);
    expect(await codeOf(activationBody(farm.key, { product: 'ras' }))).toBe('subscription_expired');
  });

  it('refuses a sublicense past its own expiry date', async () => {
    const order = await registeredOrder(t);
    const sub = await addSublicense(t.deps.db, order, order.items[0]!.id, 'dynamic', 2, new Date(t.clock.now().getTime() - 1000));
    const res = await activate(t, activationBody(sub.key));
    expect([res.status, res.body.error.code]).toEqual([403, 'key_expired']);
  });

  it('refuses a blacklisted machine on that key only', async () => {
    const order = await registeredOrder(t);
    const other = await registeredOrder(t);
    const body = activationBody(order.key);
    await t.deps.db.insertInto('blacklisted_machines').values({ license_key_id: order.primaryKey.id, fingerprint: body.fingerprint, account_id: order.accountId }).execute();
    const res = await activate(t, body);
    expect([res.status, res.body.error.code]).toEqual([403, 'installation_blacklisted']);
    expect((await activate(t, { ...body, licenseKey: other.key })).status).toBe(201);
  });

  it('checks the rules in the order of PROTOCOL.md: an unregistered, suspended key of another product is unregistered first', async () => {
    const order = await issueOrder(t);
    await t.deps.db.updateTable('subscriptions').set({ status: 'suspended' }).where('id', '=', order.subscription.id).execute();
    expect(await codeOf(activationBody(order.key, { product: 'ras' }))).toBe('key_not_registered');
  });

  it('checks what an installation sends about itself', async () => {
    const order = await registeredOrder(t);
    const issues = async (extra: Record<string, unknown>) => (await activate(t, activationBody(order.key, extra))).body.error;
    expect(await issues({ fingerprint: 'too-short' })).toMatchObject({ code: 'validation_failed', details: { issues: [{ path: 'fingerprint' }] } });
    expect(await issues({ publicKey: 'not-a-key' })).toMatchObject({ code: 'validation_failed', details: { issues: [{ path: 'publicKey' }] } });
    expect(await issues({ hardware: { macAddresses: Array(33).fill('aa') } })).toMatchObject({ code: 'validation_failed' });
    expect(await issues({ siteDescription: 'x'.repeat(501) })).toMatchObject({ code: 'validation_failed' });
  });
});

describe('a key bound to one installation (a server farm)', () => {
  const farmOrder = () => registeredOrder(t, { items: [{ productCode: 'ras', licenseType: null, quantity: 50 }] });

  it('serves one farm, takes no seat from the pool, and refuses a second farm while the first is active', async () => {
    const order = await farmOrder();
    const first = activationBody(order.key, { product: 'ras', siteCode: 'HQ', serverId: 'srv-1' });
    const res = await activate(t, first);
    expect(res.status).toBe(201);
    expect(claimsOf(res.body.certificate).lic).toMatchObject({ seats: 50, model: 'concurrent_users' });
    expect((await activate(t, first)).status).toBe(200);
    const second = await activate(t, activationBody(order.key, { product: 'ras' }));
    expect([second.status, second.body.error.code]).toEqual([409, 'key_bound_to_other_installation']);
    expect(await counters(t.deps.db, order.primaryKey.id, order.items[0]!.id)).toMatchObject({ used: 0, mainUsed: 0, active: 1 });
  });

  it('moves to a new farm after a deactivation, at most three times; the same farm coming back is no move', async () => {
    const order = await farmOrder();
    const farms = Array.from({ length: 5 }, () => activationBody(order.key, { product: 'ras' }));
    const deactivate = (token: string) => asInstallation(t, token).post('/licensing/v1/deactivations');
    let token = (await activate(t, farms[0]!)).body.installationToken;
    await deactivate(token);
    token = (await activate(t, farms[0]!)).body.installationToken;
    for (const farm of farms.slice(1, 4)) {
      expect((await deactivate(token)).status).toBe(200);
      const moved = await activate(t, farm);
      expect(moved.status).toBe(201);
      token = moved.body.installationToken;
    }
    await deactivate(token);
    const fourth = await activate(t, farms[4]!);
    expect([fourth.status, fourth.body.error.code]).toEqual([409, 'move_limit_reached']);
    const key = await t.deps.db.selectFrom('license_keys').select('moves_used').where('id', '=', order.primaryKey.id).executeTakeFirstOrThrow();
    expect(key.moves_used).toBe(3);
  });

  it('lets only one of two farms racing for a fresh key have it', async () => {
    const order = await farmOrder();
    const answers = await Promise.all([1, 2, 3, 4].map(() => activate(t, activationBody(order.key, { product: 'ras' }))));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409]);
    expect(await counters(t.deps.db, order.primaryKey.id, order.items[0]!.id)).toMatchObject({ active: 1 });
  });
});

describe('rate limits', () => {
  it('counts malformed, mistyped and unknown keys per address, and then refuses even a good key from there', async () => {
    const order = await registeredOrder(t);
    const guesser = t.client('192.0.2.10');
    const bad = [activationBody('nope'), activationBody(typo(order.key)), activationBody(generateLicenseKey().key)];
    const codes: string[] = [];
    for (let i = 0; i < 30; i++) codes.push((await activate(t, bad[i % 3]!, guesser)).body.error.code);
    expect(new Set(codes)).toEqual(new Set(['key_malformed', 'key_checksum_mismatch', 'key_not_found']));
    const limited = await activate(t, activationBody(order.key), guesser);
    expect([limited.status, limited.body.error.code]).toEqual([429, 'rate_limited']);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await activate(t, activationBody(order.key), t.client('192.0.2.11'))).status).toBe(201);
    t.clock.advanceSeconds(601);
    expect((await activate(t, activationBody(order.key), guesser)).status).toBe(201);
  });

  it('does not count a full quota or other refusals of a real key as guesses', async () => {
    const order = await registeredOrder(t, { items: [{ productCode: 'desktop-business', licenseType: null, quantity: 1 }] });
    const client = t.client('192.0.2.20');
    expect((await activate(t, activationBody(order.key), client)).status).toBe(201);
    for (let i = 0; i < 35; i++) expect((await activate(t, activationBody(order.key), client)).body.error.code).toBe('quota_exhausted');
    expect((await activate(t, activationBody(order.key, { product: 'ras' }), client)).body.error.code).toBe('product_mismatch');
  });

  it('limits activations per key, from any address', async () => {
    const order = await registeredOrder(t, { items: [{ productCode: 'desktop-business', licenseType: null, quantity: 1 }] });
    await t.deps.db.insertInto('rate_limits').values({ key: `activation-key:${order.primaryKey.id}`, window_started_at: t.clock.now(), hits: 600 }).execute();
    const res = await activate(t, activationBody(order.key));
    expect([res.status, res.body.error.code]).toEqual([429, 'rate_limited']);
    const other = await registeredOrder(t);
    expect((await activate(t, activationBody(other.key))).status).toBe(201);
  });
});

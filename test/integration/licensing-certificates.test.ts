import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeSigner } from '../../src/services/licensing/signing.js';
import { createTestApp, type TestApp } from '../support/harness.js';
import { activate, activationBody, registeredOrder } from '../support/installations.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const jwks = async () => (await t.client().get('/.well-known/keyline/jwks.json')).body;

describe('the key ring', () => {
  it('makes one signing key on first use, even when two processes race to make it', async () => {
    // Each Kysely instance stands for a server process: each has its own cache of the key.
    const signers = await Promise.all(Array.from({ length: 10 }, () => activeSigner({ ...t.deps, db: t.deps.db.withoutPlugins() })));
    expect(new Set(signers.map((s) => s.kid)).size).toBe(1);
    const kid = signers[0]!.kid;
    const res = await t.client().get('/.well-known/keyline/jwks.json');
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    expect(res.body.keys).toEqual([{ kty: 'OKP', crv: 'Ed25519', x: expect.stringMatching(/^[\w-]{43}$/), kid, alg: 'EdDSA', use: 'sig' }]);
  });

  it('follows the database: a retired key leaves the set, and the next certificate is signed with a new one', async () => {
    const order = await registeredOrder(t);
    const [old] = (await jwks()).keys;
    await t.deps.db.updateTable('signing_keys').set({ retired_at: t.clock.now() }).where('kid', '=', old.kid).execute();
    t.clock.advanceSeconds(301);
    const res = await activate(t, activationBody(order.key));
    const { keys } = await jwks();
    expect(keys.map((k: { kid: string }) => k.kid)).not.toContain(old.kid);
    const { protectedHeader } = await jwtVerify(res.body.certificate, createLocalJWKSet({ keys }));
    expect(protectedHeader.kid).toBe(keys[0].kid);
  });
});

describe('a certificate', () => {
  it('verifies with any JOSE library using only the JWK Set, and carries the claims of PROTOCOL.md', async () => {
    const order = await registeredOrder(t);
    const res = await activate(t, activationBody(order.key));
    const { payload, protectedHeader } = await jwtVerify(res.body.certificate, createLocalJWKSet(await jwks()), {
      issuer: 'http://keyline.test',
      audience: 'desktop-business',
      currentDate: t.clock.now(),
    });
    expect(protectedHeader).toEqual({ alg: 'EdDSA', typ: 'JWT', kid: expect.any(String) });
    expect(payload).toEqual({
      iss: 'http://keyline.test',
      sub: res.body.installationId,
      aud: 'desktop-business',
      iat: Math.floor(t.clock.now().getTime() / 1000),
      exp: Math.floor(new Date(res.body.nextCheckInAt).getTime() / 1000) + 7 * 86_400,
      lic: {
        keyId: order.primaryKey.id,
        subscriptionId: order.subscription.id,
        licenseType: null,
        model: 'per_device',
        seats: 1,
        state: 'active',
        licenseExpiresAt: order.subscription.expires_at.toISOString(),
        features: ['configuration_profiles'],
        profile: { id: null, name: 'Default', version: 1, hash: res.body.profile.hash },
      },
    });
  });

  it('never contains the license key', async () => {
    const order = await registeredOrder(t);
    const res = await activate(t, activationBody(order.key));
    const text = JSON.stringify(res.body) + Buffer.from(res.body.certificate.split('.')[1], 'base64url').toString();
    for (const form of [order.key, order.key.replace(/-/g, ''), order.primaryKey.key_hash]) expect(text).not.toContain(form);
  });

  it('fails verification when a claim is changed', async () => {
    const order = await registeredOrder(t);
    const res = await activate(t, activationBody(order.key));
    const [header, payload, signature] = res.body.certificate.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    claims.lic.seats = 1000;
    const forged = [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
    await expect(jwtVerify(forged, createLocalJWKSet(await jwks()), { currentDate: t.clock.now() })).rejects.toThrow(/signature/);
  });
});

import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isLicensed, verifyCertificate } from '../../../src/client/certificate.js';
import type { CertificateClaims } from '../../../src/domain/certificate.js';
import type { Jwks } from '../../../src/domain/licensing-protocol.js';
import { signCertificate } from '../../../src/services/licensing/signing.js';

function ring(kid: string) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const jwks: Jwks = { keys: [{ kty: 'OKP', crv: 'Ed25519', x: publicKey.export({ format: 'jwk' }).x!, kid, alg: 'EdDSA', use: 'sig' }] };
  return { signer: { kid, privateKey }, jwks };
}

const now = new Date('2026-03-01T12:00:00Z');
const seconds = (d: Date) => d.getTime() / 1000;
const claims: CertificateClaims = {
  iss: 'https://licensing.example',
  sub: 'installation-1',
  aud: 'desktop-business',
  iat: seconds(now),
  exp: seconds(now) + 3600,
  lic: { keyId: 'k', subscriptionId: 's', licenseType: null, model: 'per_device', seats: 1, state: 'active', licenseExpiresAt: now.toISOString(), features: [] },
};
const { signer, jwks } = ring('kid-1');
const certificate = signCertificate(signer, claims);
const problem = (cert: string, keys: Jwks = jwks, expect = {}) => {
  const verdict = verifyCertificate(cert, keys, { now, ...expect });
  return verdict.ok ? 'ok' : verdict.problem;
};
const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('verifying a certificate with the public keys alone', () => {
  it('accepts a certificate signed by a key of the set, for this product and installation', () => {
    expect(verifyCertificate(certificate, jwks, { now, product: 'desktop-business', installationId: 'installation-1' })).toEqual({ ok: true, kid: 'kid-1', claims });
  });

  it('refuses what is not a compact JWS with the protocol claims', () => {
    expect(problem('not.a.certificate')).toBe('malformed');
    expect(problem('only-one-part')).toBe('malformed');
    const [header, , signature] = certificate.split('.');
    expect(problem([header, part({ sub: 'x' }), signature].join('.'))).toBe('malformed');
    const [, payload] = certificate.split('.');
    expect(problem([part({ alg: 'none', kid: 'kid-1' }), payload, ''].join('.'))).toBe('malformed');
  });

  it('refuses a certificate whose header lists critical extensions, though its signature holds', () => {
    const [, payload] = certificate.split('.');
    const signedWith = (header: Record<string, unknown>) => {
      const input = `${part({ alg: 'EdDSA', kid: 'kid-1', ...header })}.${payload}`;
      return `${input}.${sign(null, Buffer.from(input), signer.privateKey).toString('base64url')}`;
    };
    expect(problem(signedWith({ typ: 'JWT' }))).toBe('ok');
    for (const crit of [['exp'], [], 'exp']) expect(problem(signedWith({ crit, exp: 0 })), JSON.stringify(crit)).toBe('malformed');
  });

  it('refuses a key it does not know and a signature by another key', () => {
    expect(problem(certificate, ring('kid-2').jwks)).toBe('unknown_key');
    const impostor = ring('kid-1');
    expect(problem(signCertificate(impostor.signer, claims))).toBe('bad_signature');
  });

  it('refuses a changed claim', () => {
    const [header, , signature] = certificate.split('.');
    expect(problem([header, part({ ...claims, lic: { ...claims.lic, seats: 500 } }), signature].join('.'))).toBe('bad_signature');
  });

  it('refuses it from its exp on', () => {
    expect(verifyCertificate(certificate, jwks, { now: new Date(claims.exp * 1000 - 1) }).ok).toBe(true);
    expect(verifyCertificate(certificate, jwks, { now: new Date(claims.exp * 1000) })).toEqual({ ok: false, problem: 'expired' });
  });

  it('refuses a certificate for another product or installation', () => {
    expect(problem(certificate, jwks, { product: 'ras' })).toBe('wrong_product');
    expect(problem(certificate, jwks, { installationId: 'installation-2' })).toBe('wrong_installation');
  });

  it('lets the product run only while the license is active or in grace', () => {
    const withState = (state: CertificateClaims['lic']['state']) => isLicensed({ ...claims, lic: { ...claims.lic, state } });
    expect(['active', 'grace', 'over_limit', 'expired', 'deactivated'].map((s) => withState(s as CertificateClaims['lic']['state']))).toEqual([true, true, false, false, false]);
  });
});

describe('a certificate of an upgrade edition', () => {
  const upgraded = signCertificate(signer, { ...claims, aud: 'desktop-enterprise', lic: { ...claims.lic, upgradeOf: ['desktop-business'] } });

  it('licenses the installations of the editions it upgrades, and no other product', () => {
    expect(problem(upgraded, jwks, { product: 'desktop-enterprise' })).toBe('ok');
    expect(problem(upgraded, jwks, { product: 'desktop-business' })).toBe('ok');
    expect(problem(upgraded, jwks, { product: 'ras' })).toBe('wrong_product');
    expect(problem(certificate, jwks, { product: 'desktop-enterprise' })).toBe('wrong_product');
  });
});

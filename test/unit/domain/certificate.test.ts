import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { demoCatalog } from '../../../src/domain/catalog.js';
import {
  certificateClaims,
  certificateExpiresAt,
  licenseStanding,
  nextCheckInAt,
  nextValidationAt,
  overLimitSince,
  type StandingFacts,
} from '../../../src/domain/certificate.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = new Date('2026-03-01T12:00:00Z');
const at = (days: number) => new Date(now.getTime() + days * DAY);
const params = (code: string) => demoCatalog.find((p) => p.code === code)!.params;

describe('check-in scheduling', () => {
  it('picks a moment between half and all of the maximum when jittered', () => {
    const desktop = params('desktop-business');
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (r) => {
        const offset = nextCheckInAt(now, desktop, () => r).getTime() - now.getTime();
        return offset >= 84 * HOUR && offset <= 168 * HOUR;
      }),
    );
    expect(nextCheckInAt(now, desktop, () => 0).getTime() - now.getTime()).toBe(84 * HOUR);
    expect(nextCheckInAt(now, desktop, () => 0.5).getTime() - now.getTime()).toBe(126 * HOUR);
  });

  it('uses exactly the maximum without jitter', () => {
    expect(nextCheckInAt(now, params('ras'), () => 0.1).getTime() - now.getTime()).toBe(24 * HOUR);
  });

  it('lets the certificate outlive the check-in by one more interval', () => {
    expect(certificateExpiresAt(at(1), params('ras'))).toEqual(at(2));
    expect(certificateExpiresAt(at(3), params('desktop-business'))).toEqual(at(10));
  });
});

describe('how a license stands', () => {
  const facts = (over: Partial<StandingFacts> = {}): StandingFacts => ({
    now,
    suspended: false,
    subscriptionExpiresAt: at(100),
    keyExpiresAt: null,
    params: params('desktop-business'),
    seats: 1,
    usagePeak: null,
    overLimitSince: null,
    ...over,
  });

  it('is active with no warnings far from expiry', () => {
    expect(licenseStanding(facts())).toEqual({ state: 'active', licenseExpiresAt: at(100), graceUntil: null, warnings: [] });
  });

  it('warns from 30 days before expiry', () => {
    expect(licenseStanding(facts({ subscriptionExpiresAt: at(31) })).warnings).toEqual([]);
    expect(licenseStanding(facts({ subscriptionExpiresAt: at(30) })).warnings).toEqual([{ code: 'license_expiring', message: 'The license expires in 30 day(s)', daysLeft: 30 }]);
  });

  it("expires at once with no grace days, and runs through the product's grace otherwise", () => {
    expect(licenseStanding(facts({ subscriptionExpiresAt: at(-1) })).state).toBe('expired');
    const farm = licenseStanding(facts({ subscriptionExpiresAt: at(-10), params: params('ras') }));
    expect(farm).toEqual({
      state: 'grace',
      licenseExpiresAt: at(-10),
      graceUntil: at(20),
      warnings: [{ code: 'expiry_grace', message: 'The license has expired; it keeps working for 20 more day(s)', daysLeft: 20 }],
    });
    expect(licenseStanding(facts({ subscriptionExpiresAt: at(-30), params: params('ras') })).state).toBe('expired');
  });

  it("ends with a sublicense's own earlier date, without grace", () => {
    const standing = licenseStanding(facts({ keyExpiresAt: at(-1), params: params('ras') }));
    expect(standing).toMatchObject({ state: 'expired', licenseExpiresAt: at(-1), warnings: [{ code: 'key_expired' }] });
    expect(licenseStanding(facts({ keyExpiresAt: at(200) })).licenseExpiresAt).toEqual(at(100));
  });

  it('stops a suspended subscription', () => {
    expect(licenseStanding(facts({ suspended: true }))).toMatchObject({ state: 'expired', warnings: [{ code: 'subscription_suspended' }] });
  });

  describe('usage over the seats', () => {
    const farm = (peak: number, since: Date | null) => licenseStanding(facts({ params: params('ras'), seats: 50, usagePeak: peak, overLimitSince: since }));

    it('counts nothing within the seats', () => {
      expect(farm(50, null)).toMatchObject({ state: 'active', warnings: [] });
    });

    it('gives a farm its overuse grace, then stops it while over', () => {
      expect(farm(51, now)).toMatchObject({ state: 'grace', graceUntil: at(7), warnings: [{ code: 'overuse_grace', daysLeft: 7 }] });
      expect(farm(51, at(-6.5))).toMatchObject({ state: 'grace', warnings: [{ code: 'overuse_grace', daysLeft: 1 }] });
      expect(farm(51, at(-7))).toMatchObject({ state: 'over_limit', warnings: [{ code: 'over_limit' }] });
      expect(farm(50, at(-7))).toMatchObject({ state: 'active', warnings: [] });
    });

    it('keeps the earlier end when the expiry grace and the overuse grace overlap', () => {
      const standing = licenseStanding(facts({ params: params('ras'), subscriptionExpiresAt: at(-28), seats: 50, usagePeak: 60, overLimitSince: now }));
      expect(standing).toMatchObject({ state: 'grace', graceUntil: at(2) });
      expect(standing.warnings.map((w) => w.code)).toEqual(['expiry_grace', 'overuse_grace']);
    });

    it('only warns a proxy, and ignores usage of per-installation products and expired licenses', () => {
      expect(licenseStanding(facts({ params: params('mac-sccm'), seats: 100, usagePeak: 500, overLimitSince: at(-100) }))).toMatchObject({
        state: 'active',
        warnings: [{ code: 'over_limit', message: 'Usage of 500 is over the 100 licensed seat(s)' }],
      });
      expect(licenseStanding(facts({ seats: 1, usagePeak: 5, overLimitSince: at(-100) })).state).toBe('active');
      expect(licenseStanding(facts({ params: params('ras'), subscriptionExpiresAt: at(-31), seats: 50, usagePeak: 60 })).warnings.map((w) => w.code)).toEqual(['license_expired']);
    });

    it('starts the overuse grace at the first report over the limit and never restarts it', () => {
      const farmFacts = { seats: 50, now, params: params('ras') };
      expect(overLimitSince(null, { ...farmFacts, usagePeak: 50 })).toBeNull();
      expect(overLimitSince(null, { ...farmFacts, usagePeak: 51 })).toEqual(now);
      expect(overLimitSince(at(-20), { ...farmFacts, usagePeak: 51 })).toEqual(at(-20));
      expect(overLimitSince(at(-20), { ...farmFacts, usagePeak: 10 })).toEqual(at(-20));
    });

    it('starts a new episode for a proxy each time usage goes over again', () => {
      const proxyFacts = { seats: 50, now, params: params('mac-sccm') };
      expect(overLimitSince(null, { ...proxyFacts, usagePeak: 51 })).toEqual(now);
      expect(overLimitSince(at(-3), { ...proxyFacts, usagePeak: 51 })).toEqual(at(-3));
      expect(overLimitSince(at(-3), { ...proxyFacts, usagePeak: 50 })).toBeNull();
    });

    it('re-validates a farm every 20 minutes while it is over the limit, and a proxy on its daily schedule', () => {
      expect(nextValidationAt(now, params('ras'), true, () => 0.5).getTime() - now.getTime()).toBe(20 * 60_000);
      expect(nextValidationAt(now, params('ras'), false, () => 0.5).getTime() - now.getTime()).toBe(24 * HOUR);
      expect(nextValidationAt(now, params('mac-sccm'), true, () => 0.5).getTime() - now.getTime()).toBe(24 * HOUR);
    });
  });
});

describe('certificate claims', () => {
  it('names the installation, product and key by id, with times in seconds, dates in ISO form, the product\'s features and the configuration to apply', () => {
    const claims = certificateClaims({
      issuer: 'https://licensing.example',
      installationId: 'inst-1',
      product: { code: 'ras', model: 'concurrent_users', features: ['usage_reports'], upgradeOf: [] },
      keyId: 'key-1',
      subscriptionId: 'sub-1',
      licenseType: null,
      seats: 50,
      standing: { state: 'grace', licenseExpiresAt: at(-1), graceUntil: at(29) },
      profile: { id: 'profile-1', name: 'Engineering', version: 3, hash: 'h3' },
      issuedAt: new Date(now.getTime() + 999),
      expiresAt: at(2),
    });
    expect(claims).toEqual({
      iss: 'https://licensing.example',
      sub: 'inst-1',
      aud: 'ras',
      iat: now.getTime() / 1000,
      exp: at(2).getTime() / 1000,
      lic: {
        keyId: 'key-1',
        subscriptionId: 'sub-1',
        licenseType: null,
        model: 'concurrent_users',
        seats: 50,
        state: 'grace',
        licenseExpiresAt: at(-1).toISOString(),
        graceUntil: at(29).toISOString(),
        features: ['usage_reports'],
        profile: { id: 'profile-1', name: 'Engineering', version: 3, hash: 'h3' },
      },
    });
  });

  it('leaves graceUntil out when there is no grace', () => {
    const claims = certificateClaims({
      issuer: 'x',
      installationId: 'i',
      product: { code: 'p', model: 'per_device', features: [], upgradeOf: [] },
      keyId: null,
      subscriptionId: null,
      licenseType: null,
      seats: 1,
      standing: { state: 'active', licenseExpiresAt: at(10), graceUntil: null },
      profile: { id: null, name: 'Default', version: 1, hash: 'h' },
      issuedAt: now,
      expiresAt: at(1),
    });
    expect('graceUntil' in claims.lic).toBe(false);
    expect('upgradeOf' in claims.lic).toBe(false);
  });

  it('names the editions that upgrade to the product: their installations run under it', () => {
    const claims = certificateClaims({
      issuer: 'x',
      installationId: 'i',
      product: { code: 'desktop-enterprise', model: 'per_device', features: ['policies'], upgradeOf: ['desktop-business'] },
      keyId: 'k',
      subscriptionId: 's',
      licenseType: null,
      seats: 1,
      standing: { state: 'active', licenseExpiresAt: at(10), graceUntil: null },
      profile: { id: null, name: 'Default', version: 1, hash: 'h' },
      issuedAt: now,
      expiresAt: at(1),
    });
    expect(claims).toMatchObject({ aud: 'desktop-enterprise', lic: { features: ['policies'], upgradeOf: ['desktop-business'] } });
  });

  it('names the policies over the profile, in their order and no more of them than their names, and leaves them out when there are none', () => {
    const input = {
      issuer: 'x',
      installationId: 'i',
      product: { code: 'desktop-enterprise', model: 'per_device' as const, features: ['policies'], upgradeOf: [] },
      keyId: 'k',
      subscriptionId: 's',
      licenseType: null,
      seats: 1,
      standing: { state: 'active' as const, licenseExpiresAt: at(10), graceUntil: null },
      issuedAt: now,
      expiresAt: at(1),
    };
    const policies = [
      { kind: 'group_policy', id: 'p-1', name: 'Strict', version: 2 },
      { kind: 'golden_image', id: 'p-2', name: 'Intel image', version: 1 },
    ];
    const withPayloads = policies.map((p) => ({ ...p, payloads: [{ type: 'updates', enabled: true, settings: {} }] }));
    const claims = certificateClaims({ ...input, profile: { id: 'profile-1', name: 'Engineering', version: 3, policies: withPayloads, hash: 'h3' } });
    expect(claims.lic.profile).toEqual({ id: 'profile-1', name: 'Engineering', version: 3, policies, hash: 'h3' });
    const none = certificateClaims({ ...input, profile: { id: null, name: 'Default', version: 1, policies: [], hash: 'h' } });
    expect(none.lic.profile).toEqual({ id: null, name: 'Default', version: 1, hash: 'h' });
  });
});

import { describe, expect, it } from 'vitest';
import { demoCatalog } from '../../../src/domain/catalog.js';
import { certify, licensedSeats, offlineExpiresAt, seatFigures, standingOf, type LicenseBasis } from '../../../src/domain/license-basis.js';
import type { PoolState } from '../../../src/domain/seat-pool.js';

const DAY = 24 * 3_600_000;
const now = new Date('2026-03-01T12:00:00Z');
const at = (days: number) => new Date(now.getTime() + days * DAY);
const product = (code: string) => ({ ...demoCatalog.find((p) => p.code === code)!, upgradeOf: [] });

const keyed = (code: string, over: { status?: 'active' | 'suspended'; expiresAt?: Date; keyExpiresAt?: Date | null; keyId?: string } = {}): LicenseBasis => ({
  trial: false,
  product: product(code),
  key: { id: over.keyId ?? 'key-1', expires_at: over.keyExpiresAt ?? null },
  subscription: { id: 'sub-1', status: over.status ?? 'active', expires_at: over.expiresAt ?? at(365) },
  item: { id: 'item-1' },
});
const trial: LicenseBasis = { trial: true, product: product('ras'), trialEnd: at(30) };
const installation = { id: 'inst-1', license_type: null, usage_peak: null, usage_current: null, over_limit_since: null };
const pool: PoolState = { total: 10, keys: [{ id: 'key-1', kind: 'primary', quota: null, used: 4 }] };

describe('the seats a license gives an installation', () => {
  it('is one per installation, the trial seats for a trial, and the whole key for a bound product', () => {
    expect(licensedSeats(keyed('desktop-business'), null)).toBe(1);
    expect(licensedSeats(trial, null)).toBe(50);
    expect(licensedSeats(keyed('ras'), pool)).toBe(10);
  });

  it("gives a bound key its share of the pool: reserved quotas and the dynamic keys' reported use are not the primary key's", () => {
    const shared: PoolState = {
      total: 50,
      keys: [
        { id: 'key-1', kind: 'primary', quota: null, used: 20 },
        { id: 'dyn', kind: 'dynamic', quota: 15, used: 12 },
        { id: 'res', kind: 'reserved', quota: 10, used: 3 },
      ],
    };
    expect(licensedSeats(keyed('ras'), shared)).toBe(28);
    expect(licensedSeats(keyed('mac-sccm'), shared)).toBe(28);
    expect(licensedSeats(keyed('device-management', { keyId: 'dyn' }), shared)).toBe(15);
    expect(licensedSeats(keyed('ras', { keyId: 'res' }), shared)).toBe(10);
  });

  it("needs the key's pool for a bound product", () => {
    expect(() => licensedSeats(keyed('ras'), null)).toThrow('the seats of key key-1 need its pool');
  });

  it("shows the console the key's pool, or a bound installation's reported use", () => {
    expect(seatFigures(keyed('desktop-business'), installation, 1, pool)).toEqual({ total: 10, used: 4, remaining: 6 });
    expect(seatFigures(keyed('ras'), { ...installation, usage_current: 7 }, 10, pool)).toEqual({ total: 10, used: 7, remaining: 3 });
    expect(seatFigures({ trial: true, product: product('desktop-business'), trialEnd: at(14) }, installation, 1, null)).toEqual({ total: 1, used: 1, remaining: 0 });
  });
});

describe('how the license of an installation stands', () => {
  it('stops with a suspended subscription', () => {
    expect(standingOf(keyed('desktop-business', { status: 'suspended' }), installation, 1, now)).toMatchObject({ state: 'expired', warnings: [{ code: 'subscription_suspended' }] });
  });

  it("ends with a trial's end and with a sublicense's own earlier date", () => {
    expect(standingOf(trial, installation, 50, now).licenseExpiresAt).toEqual(at(30));
    expect(standingOf(keyed('desktop-business', { keyExpiresAt: at(100) }), installation, 1, now).licenseExpiresAt).toEqual(at(100));
  });

  it('counts reported usage over the seats only for a bound product', () => {
    const over = { ...installation, usage_peak: 12, over_limit_since: now };
    expect(standingOf(keyed('ras'), over, 10, now)).toMatchObject({ state: 'grace', warnings: [{ code: 'overuse_grace' }] });
    expect(standingOf(keyed('desktop-business'), over, 1, now)).toMatchObject({ state: 'active', warnings: [] });
  });
});

describe('the certificate of an installation', () => {
  const configuration = { id: 'profile-1', name: 'Engineering', version: 2, hash: 'h2' };
  const times = { issuer: 'https://licensing.example', installation, configuration, now, nextCheckInAt: at(1) };

  it('names its key and subscription, and outlives the next check-in by one interval', () => {
    const { standing, claims } = certify({ ...times, basis: keyed('ras'), seats: 10 });
    expect(standing.state).toBe('active');
    expect(claims).toMatchObject({ sub: 'inst-1', aud: 'ras', exp: (at(1).getTime() + DAY) / 1000, lic: { keyId: 'key-1', subscriptionId: 'sub-1', seats: 10, profile: configuration } });
  });

  it('names no key for a trial, and ends when told to', () => {
    const { claims } = certify({ ...times, basis: trial, seats: 50, expiresAt: at(30) });
    expect(claims).toMatchObject({ exp: at(30).getTime() / 1000, lic: { keyId: null, subscriptionId: null, seats: 50 } });
  });

  it('lasts, for an installation with no network, to the end of its license and its grace', () => {
    expect(offlineExpiresAt(trial)).toEqual(at(30));
    expect(offlineExpiresAt(keyed('ras', { expiresAt: at(10) }))).toEqual(at(40));
    expect(offlineExpiresAt(keyed('ras', { expiresAt: at(10), keyExpiresAt: at(20) }))).toEqual(at(20));
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  activationLimit,
  availableFor,
  canActivate,
  checkQuota,
  maxQuota,
  excessAfterQuotaChange,
  itemPool,
  keyRow,
  keySeats,
  poolOfItem,
  replaceKey,
  shareOf,
  summarizePool,
  usageSeats,
  type PoolKey,
  type PoolState,
} from '../../../src/domain/seat-pool.js';

const primary = (used: number): PoolKey => ({ id: 'p', kind: 'primary', quota: null, used });
const dynamic = (id: string, quota: number, used: number): PoolKey => ({ id, kind: 'dynamic', quota, used });
const reserved = (id: string, quota: number, used: number): PoolKey => ({ id, kind: 'reserved', quota, used });

describe('the guide example: 10 seats, a dynamic key of 1 and a reserved key of 3', () => {
  const pool: PoolState = { total: 10, keys: [primary(0), dynamic('d', 1, 1), reserved('r', 3, 1)] };

  it('shows quota, used and available per key', () => {
    expect(keyRow(pool.keys[0]!, pool)).toEqual({ quota: 7, used: 0, available: 6 });
    expect(keyRow(pool.keys[1]!, pool)).toEqual({ quota: 1, used: 1, available: 0 });
    expect(keyRow(pool.keys[2]!, pool)).toEqual({ quota: 3, used: 1, available: 2 });
  });

  it('sums up used, the free main pool and what reserved keys still hold', () => {
    expect(summarizePool(pool)).toEqual({ total: 10, reserved: 3, mainPool: 7, mainUsed: 1, mainFree: 6, used: 2, availableInReserved: 2 });
  });
});

describe('one key changed', () => {
  const pool: PoolState = { total: 10, keys: [primary(2), dynamic('d', 4, 3), reserved('r', 3, 1)] };

  it('gives a deleted key\'s seats back to the pool it took them from, the other keys untouched', () => {
    expect(summarizePool(replaceKey(pool, 'd', null))).toMatchObject({ mainFree: 5, used: 3, availableInReserved: 2 });
    expect(summarizePool(replaceKey(pool, 'r', null))).toMatchObject({ mainPool: 10, mainFree: 5, used: 5 });
  });

  it('moves the figures of a key whose quota and use dropped, in its place', () => {
    const after = replaceKey(pool, 'r', reserved('r', 1, 1));
    expect(after.keys.map((k) => k.id)).toEqual(['p', 'd', 'r']);
    expect(keyRow(after.keys[0]!, after)).toEqual({ quota: 9, used: 2, available: 4 });
    expect(summarizePool(after)).toMatchObject({ reserved: 1, mainFree: 4, availableInReserved: 0 });
  });
});

describe('who may activate', () => {
  it('lets the primary key activate while the main pool has a seat', () => {
    expect(canActivate(primary(6), { total: 10, keys: [primary(6), reserved('r', 3, 0)] })).toBe(true);
    expect(canActivate(primary(7), { total: 10, keys: [primary(7), reserved('r', 3, 0)] })).toBe(false);
  });

  it('makes dynamic keys compete with the primary key', () => {
    const pool = { total: 5, keys: [primary(3), dynamic('d', 4, 2)] };
    expect(canActivate(pool.keys[1]!, pool)).toBe(false);
    expect(canActivate(pool.keys[0]!, pool)).toBe(false);
  });

  it('caps a dynamic key at its own quota even with a free main pool', () => {
    const pool = { total: 10, keys: [primary(0), dynamic('d', 2, 2)] };
    expect(canActivate(pool.keys[1]!, pool)).toBe(false);
  });

  it('keeps reserved seats for their key alone', () => {
    const pool = { total: 4, keys: [primary(2), reserved('r', 2, 0)] };
    expect(canActivate(pool.keys[0]!, pool)).toBe(false);
    expect(canActivate(pool.keys[1]!, pool)).toBe(true);
  });
});

describe('why a key cannot activate', () => {
  it("names the key's own quota first, then the main pool", () => {
    const pool = { total: 5, keys: [primary(3), dynamic('d', 2, 2), reserved('r', 1, 1)] };
    expect(activationLimit(pool.keys[1]!, pool)).toBe('key_quota');
    expect(activationLimit(pool.keys[0]!, pool)).toBe('main_pool');
    expect(activationLimit(pool.keys[2]!, pool)).toBe('key_quota');
  });

  it('lets a reserved key activate while the main pool is full', () => {
    const pool = { total: 5, keys: [primary(3), reserved('r', 2, 1)] };
    expect(activationLimit(pool.keys[1]!, pool)).toBeNull();
    expect(activationLimit(pool.keys[0]!, pool)).toBe('main_pool');
  });

  it('gives a dynamic key with room of its own the main pool as its limit', () => {
    const pool = { total: 4, keys: [primary(4), dynamic('d', 3, 0)] };
    expect(activationLimit(pool.keys[1]!, pool)).toBe('main_pool');
  });
});

describe('the share of a key bound to one installation (a farm of 50 concurrent users, a reserved key of 10)', () => {
  // Each key's use is what its farm last reported.
  const farms = (primaryUse: number, dynamicUse: number) => ({ total: 50, keys: [primary(primaryUse), dynamic('d', 15, dynamicUse), reserved('r', 10, 4)] });

  it('licenses a reserved farm its quota, whatever the others use', () => {
    expect(shareOf('r', farms(0, 0))).toBe(10);
    expect(shareOf('r', farms(40, 15))).toBe(10);
    expect(shareOf('r', { ...farms(0, 0), keys: [primary(0), reserved('r', 10, 14)] })).toBe(10);
  });

  it('licenses the primary farm the total less the reserved quotas less what the dynamic farms use', () => {
    expect(shareOf('p', farms(0, 0))).toBe(40);
    expect(shareOf('p', farms(20, 12))).toBe(28);
  });

  it('licenses a dynamic farm its quota, or what the main pool leaves when that is less', () => {
    expect(shareOf('d', farms(20, 12))).toBe(15);
    expect(shareOf('d', farms(30, 12))).toBe(10);
    expect(shareOf('d', farms(40, 0))).toBe(0);
  });

  it("does not let a farm's use past its own cap take seats from the others", () => {
    expect(shareOf('p', farms(10, 25))).toBe(25);
    expect(shareOf('d', farms(70, 0))).toBe(0);
    expect(summarizePool(farms(10, 25))).toMatchObject({ mainUsed: 25, mainFree: 15, used: 39 });
  });

  it('shares the main pool among several dynamic farms', () => {
    const pool = { total: 20, keys: [primary(5), dynamic('a', 10, 8), dynamic('b', 10, 4)] };
    expect([shareOf('p', pool), shareOf('a', pool), shareOf('b', pool)]).toEqual([8, 10, 7]);
  });

  it('refuses a key that is not in the pool', () => {
    expect(() => shareOf('x', farms(0, 0))).toThrow('key x is not in the pool');
  });
});

describe('pool invariants', () => {
  const arbitraryPool = fc
    .record({
      total: fc.integer({ min: 0, max: 50 }),
      dynamics: fc.array(fc.integer({ min: 1, max: 20 }), { maxLength: 4 }),
      reserves: fc.array(fc.integer({ min: 1, max: 10 }), { maxLength: 4 }),
    })
    .filter((p) => p.reserves.reduce((a, b) => a + b, 0) <= p.total);

  it('never lets activations go past the total, whatever order keys activate in', () => {
    fc.assert(
      fc.property(arbitraryPool, fc.array(fc.nat(), { maxLength: 200 }), (p, order) => {
        const keys: PoolKey[] = [
          primary(0),
          ...p.dynamics.map((q, i) => dynamic(`d${i}`, q, 0)),
          ...p.reserves.map((q, i) => reserved(`r${i}`, q, 0)),
        ];
        const pool = { total: p.total, keys };
        for (const pick of order) {
          const key = keys[pick % keys.length]!;
          if (canActivate(key, pool)) key.used++;
        }
        const s = summarizePool(pool);
        expect(s.used).toBeLessThanOrEqual(p.total);
        expect(s.mainUsed).toBeLessThanOrEqual(s.mainPool);
        for (const k of keys) if (k.quota !== null) expect(k.used).toBeLessThanOrEqual(k.quota);
        for (const k of keys) expect(availableFor(k, pool)).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it("is, for a key of many installations, its use plus what it can still take: one arithmetic for both kinds of key", () => {
    fc.assert(
      fc.property(arbitraryPool, fc.array(fc.nat(), { maxLength: 100 }), (p, order) => {
        const keys: PoolKey[] = [primary(0), ...p.dynamics.map((q, i) => dynamic(`d${i}`, q, 0)), ...p.reserves.map((q, i) => reserved(`r${i}`, q, 0))];
        const pool = { total: p.total, keys };
        for (const pick of order) {
          const key = keys[pick % keys.length]!;
          if (canActivate(key, pool)) key.used++;
        }
        for (const k of keys) expect(shareOf(k.id, pool)).toBe(k.used + availableFor(k, pool));
      }),
    );
  });

  it('never licenses bound installations, within their shares, more use than the total, whatever they report', () => {
    fc.assert(
      fc.property(arbitraryPool, fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 9, maxLength: 9 }), (p, reports) => {
        const keys: PoolKey[] = [primary(reports[0]!), ...p.dynamics.map((q, i) => dynamic(`d${i}`, q, reports[1 + i]!)), ...p.reserves.map((q, i) => reserved(`r${i}`, q, reports[5 + i]!))];
        const pool = { total: p.total, keys };
        const licensedUse = keys.map((k) => Math.min(k.used, shareOf(k.id, pool)));
        expect(licensedUse.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(p.total);
        for (const k of keys) expect(shareOf(k.id, pool)).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('fills every seat when keys keep asking: reserved seats by their keys, the rest by anyone', () => {
    fc.assert(
      fc.property(arbitraryPool, (p) => {
        const keys: PoolKey[] = [primary(0), ...p.reserves.map((q, i) => reserved(`r${i}`, q, 0))];
        const pool = { total: p.total, keys };
        for (let round = 0; round < p.total + 1; round++) for (const k of keys) if (canActivate(k, pool)) k.used++;
        expect(summarizePool(pool).used).toBe(p.total);
      }),
    );
  });
});

describe('quota changes', () => {
  const pool: PoolState = { total: 10, keys: [primary(0), reserved('a', 4, 0), reserved('b', 3, 0)] };

  it('keeps reserved quotas within the total', () => {
    expect(checkQuota(pool, { keyId: null, kind: 'reserved', quota: 3 })).toBeNull();
    expect(checkQuota(pool, { keyId: null, kind: 'reserved', quota: 4 })?.problem).toBe('reserved_exceeds_total');
    expect(checkQuota(pool, { keyId: 'a', kind: 'reserved', quota: 7 })).toBeNull();
    expect(checkQuota(pool, { keyId: 'a', kind: 'reserved', quota: 8 })?.problem).toBe('reserved_exceeds_total');
  });

  it('takes the seats a reserved key gains from the free main pool', () => {
    const busy: PoolState = { total: 10, keys: [primary(5), reserved('a', 3, 0)] };
    expect(checkQuota(busy, { keyId: null, kind: 'reserved', quota: 2 })).toBeNull();
    expect(checkQuota(busy, { keyId: null, kind: 'reserved', quota: 3 })?.problem).toBe('reserved_exceeds_free');
    expect(checkQuota(busy, { keyId: 'a', kind: 'reserved', quota: 5 })).toBeNull();
    expect(checkQuota(busy, { keyId: 'a', kind: 'reserved', quota: 6 })?.problem).toBe('reserved_exceeds_free');
    expect(checkQuota(busy, { keyId: 'a', kind: 'reserved', quota: 1 })).toBeNull();
  });

  it('refuses empty quotas and dynamic quotas above the total', () => {
    expect(checkQuota(pool, { keyId: null, kind: 'dynamic', quota: 0 })?.problem).toBe('quota_not_positive');
    expect(checkQuota(pool, { keyId: null, kind: 'dynamic', quota: 1.5 })?.problem).toBe('quota_not_positive');
    expect(checkQuota(pool, { keyId: null, kind: 'dynamic', quota: 11 })?.problem).toBe('dynamic_exceeds_total');
    expect(checkQuota(pool, { keyId: null, kind: 'dynamic', quota: 10 })).toBeNull();
  });

  it('says how many seats are left and the most the key may hold', () => {
    const busy: PoolState = { total: 10, keys: [primary(5), reserved('a', 3, 0)] };
    expect(checkQuota(busy, { keyId: null, kind: 'reserved', quota: 3 })).toEqual({ problem: 'reserved_exceeds_free', seatsLeft: 2, maxQuota: 2 });
    expect(checkQuota(busy, { keyId: 'a', kind: 'reserved', quota: 6 })).toEqual({ problem: 'reserved_exceeds_free', seatsLeft: 2, maxQuota: 5 });
    expect(checkQuota(busy, { keyId: null, kind: 'dynamic', quota: 11 })).toEqual({ problem: 'dynamic_exceeds_total', seatsLeft: 2, maxQuota: 10 });
    const full: PoolState = { total: 10, keys: [primary(4), reserved('a', 6, 0)] };
    expect(maxQuota(full, { keyId: null, kind: 'reserved' })).toBe(0);
    expect(maxQuota(full, { keyId: 'a', kind: 'reserved' })).toBe(6);
  });

  it('counts the installations to give up when a quota drops below use', () => {
    expect(excessAfterQuotaChange(5, 3, null)).toBe(2);
    expect(excessAfterQuotaChange(2, 3, null)).toBe(0);
  });

  it('lets a key bound to one installation keep it whatever its quota: the quota is its seats', () => {
    expect(excessAfterQuotaChange(1, 1, 1)).toBe(0);
    expect(excessAfterQuotaChange(0, 1, 1)).toBe(0);
  });
});

describe('seat figures', () => {
  const item = { quantity: 10, mainUsed: 4, sublicenses: [{ id: 'd', kind: 'dynamic' as const, quota: 2, used: 1 }, { id: 'r', kind: 'reserved' as const, quota: 3, used: 1 }] };

  it("counts the primary key's use within one product as the main pool's use beyond the dynamic keys", () => {
    expect(itemPool(item, 'p').keys[0]).toEqual({ id: 'p', kind: 'primary', quota: null, used: 3 });
    expect(keySeats('p', itemPool(item, 'p'))).toEqual({ total: 7, used: 3, remaining: 3 });
    expect(keySeats('d', itemPool(item, 'p'))).toEqual({ total: 2, used: 1, remaining: 1 });
    expect(keySeats('r', itemPool(item, 'p'))).toEqual({ total: 3, used: 1, remaining: 2 });
  });

  it('shows a bound installation its reported use, never a negative remainder', () => {
    expect(usageSeats(50, 20)).toEqual({ total: 50, used: 20, remaining: 30 });
    expect(usageSeats(50, 70)).toEqual({ total: 50, used: 70, remaining: 0 });
    expect(usageSeats(50, null)).toEqual({ total: 50, used: 0, remaining: 50 });
  });
});

describe('the pool of one product of a subscription', () => {
  const item = { id: 'item-a', subscription_id: 'sub', quantity: 10, main_used: 5 };
  const key = (id: string, kind: 'primary' | 'dynamic' | 'reserved', itemId: string | null, quota: number | null, used: number, releasedAt: Date | null = null) => ({
    id,
    kind,
    item_id: itemId,
    quota,
    used,
    released_at: releasedAt,
  });

  it("takes the primary key and the item's own sublicenses, leaving out another product's and released ones", () => {
    const keys = [
      key('p', 'primary', null, null, 4),
      key('d', 'dynamic', 'item-a', 2, 1),
      key('r', 'reserved', 'item-a', 3, 0),
      key('other', 'reserved', 'item-b', 5, 5),
      key('gone', 'reserved', 'item-a', 4, 0, new Date('2026-01-01T00:00:00Z')),
    ];
    expect(poolOfItem(item, keys)).toEqual({
      total: 10,
      keys: [
        { id: 'p', kind: 'primary', quota: null, used: 4 },
        { id: 'd', kind: 'dynamic', quota: 2, used: 1 },
        { id: 'r', kind: 'reserved', quota: 3, used: 0 },
      ],
    });
    expect(keySeats('p', poolOfItem(item, keys))).toEqual({ total: 7, used: 4, remaining: 2 });
  });

  it("counts, for a product bound to one installation per key, each key's reported use instead of the seat counters", () => {
    const keys = [key('p', 'primary', null, null, 0), key('d', 'dynamic', 'item-a', 20, 0), key('r', 'reserved', 'item-a', 3, 0), key('idle', 'dynamic', 'item-a', 2, 0)];
    const reported = new Map([
      ['p', 30],
      ['d', 12],
      ['r', 2],
    ]);
    expect(poolOfItem({ ...item, quantity: 50, main_used: 0 }, keys, reported)).toEqual({
      total: 50,
      keys: [
        { id: 'p', kind: 'primary', quota: null, used: 30 },
        { id: 'd', kind: 'dynamic', quota: 20, used: 12 },
        { id: 'r', kind: 'reserved', quota: 3, used: 2 },
        { id: 'idle', kind: 'dynamic', quota: 2, used: 0 },
      ],
    });
  });

  it('refuses a subscription without its primary key', () => {
    expect(() => poolOfItem(item, [key('d', 'dynamic', 'item-a', 2, 1)])).toThrow('subscription sub has no primary key');
  });
});

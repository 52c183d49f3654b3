/**
 * Seat arithmetic for one product of one subscription (PRODUCT.md, capability 4).
 *
 * The subscription's seats form a pool. Reserved keys fence off their quota for themselves. The
 * rest is the main pool, shared first come first served by the primary key and every dynamic key;
 * a dynamic key is also capped by its own quota.
 */
export type KeyKind = 'primary' | 'dynamic' | 'reserved';

export interface PoolKey {
  id: string;
  kind: KeyKind;
  /** Seats this key may hold; the primary key has none of its own (it is bounded by the main pool). */
  quota: number | null;
  used: number;
}

export interface PoolState {
  total: number;
  keys: readonly PoolKey[];
}

export interface PoolSummary {
  total: number;
  reserved: number;
  mainPool: number;
  mainUsed: number;
  mainFree: number;
  used: number;
  availableInReserved: number;
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

export function summarizePool(pool: PoolState): PoolSummary {
  const reservedKeys = pool.keys.filter((k) => k.kind === 'reserved');
  const reserved = sum(reservedKeys.map((k) => k.quota ?? 0));
  const mainUsed = sum(pool.keys.filter((k) => k.kind !== 'reserved').map((k) => k.used));
  const mainPool = pool.total - reserved;
  return {
    total: pool.total,
    reserved,
    mainPool,
    mainUsed,
    mainFree: Math.max(0, mainPool - mainUsed),
    used: sum(pool.keys.map((k) => k.used)),
    availableInReserved: sum(reservedKeys.map((k) => Math.max(0, (k.quota ?? 0) - k.used))),
  };
}

/**
 * The pool once one key changed (its quota, or its use after its own installations were
 * deactivated) or left it (null), every other key holding what it held: the figures after a
 * change to one sublicense follow from those read before it.
 */
export function replaceKey(pool: PoolState, keyId: string, next: PoolKey | null): PoolState {
  return { total: pool.total, keys: pool.keys.flatMap((k) => (k.id !== keyId ? [k] : next ? [next] : [])) };
}

/** Seats a key can still take right now. */
export function availableFor(key: PoolKey, pool: PoolState): number {
  const { mainFree } = summarizePool(pool);
  const own = key.quota === null ? Infinity : Math.max(0, key.quota - key.used);
  switch (key.kind) {
    case 'reserved':
      return own;
    case 'dynamic':
      return Math.min(own, mainFree);
    case 'primary':
      return mainFree;
  }
}

export function canActivate(key: PoolKey, pool: PoolState): boolean {
  return availableFor(key, pool) > 0;
}

/** The row the License Keys table shows for a key: its quota, what it uses and what it can still take. */
export function keyRow(key: PoolKey, pool: PoolState): { quota: number; used: number; available: number } {
  const quota = key.kind === 'primary' ? summarizePool(pool).mainPool : (key.quota ?? 0);
  return { quota, used: key.used, available: availableFor(key, pool) };
}

export type QuotaProblem = 'quota_not_positive' | 'reserved_exceeds_total' | 'reserved_exceeds_free' | 'dynamic_exceeds_total';

/** A quota refused, with the figures its message gives: the main pool's free seats and the most this key may be given. */
export interface QuotaRefusal {
  problem: QuotaProblem;
  seatsLeft: number;
  maxQuota: number;
}

const reservedBesides = (pool: PoolState, keyId: string | null) =>
  sum(pool.keys.filter((k) => k.kind === 'reserved' && k.id !== keyId).map((k) => k.quota ?? 0));

/**
 * The highest quota a key may have, its own old quota taken out. Reserved quotas may never add
 * up past the total, and seats a reserved key gains must be free in the main pool now, since they
 * leave it; a dynamic key's cap above the total would mean nothing.
 */
export function maxQuota(pool: PoolState, change: { keyId: string | null; kind: 'dynamic' | 'reserved' }): number {
  if (change.kind === 'dynamic') return pool.total;
  const own = pool.keys.find((k) => k.id === change.keyId && k.kind === 'reserved')?.quota ?? 0;
  return Math.max(0, Math.min(pool.total - reservedBesides(pool, change.keyId), own + summarizePool(pool).mainFree));
}

/** Checks a key's new quota against the pool (see maxQuota); a refusal says how many seats are left. */
export function checkQuota(pool: PoolState, change: { keyId: string | null; kind: 'dynamic' | 'reserved'; quota: number }): QuotaRefusal | null {
  const limit = maxQuota(pool, change);
  const figures = { seatsLeft: summarizePool(pool).mainFree, maxQuota: limit };
  if (!Number.isInteger(change.quota) || change.quota < 1) return { problem: 'quota_not_positive', ...figures };
  if (change.quota <= limit) return null;
  if (change.kind === 'dynamic') return { problem: 'dynamic_exceeds_total', ...figures };
  return { problem: reservedBesides(pool, change.keyId) + change.quota > pool.total ? 'reserved_exceeds_total' : 'reserved_exceeds_free', ...figures };
}

/**
 * How many installations a key must give up when its quota drops below what it uses. Only the
 * key's own overuse counts; the main pool is checked at each activation, not taken back.
 */
export function excessAfterQuotaChange(used: number, newQuota: number): number {
  return Math.max(0, used - newQuota);
}

export interface ItemKeys {
  quantity: number;
  mainUsed: number;
  /** The item's sublicenses (the primary key spans all items, so it is not among them). */
  sublicenses: readonly PoolKey[];
}

/**
 * One product's pool from its counters. The primary key serves every product of its
 * subscription, so its use in this product is what the main pool counts beyond the dynamic keys.
 */
export function itemPool(item: ItemKeys, primaryKeyId: string): PoolState {
  const dynamicUsed = item.sublicenses.filter((k) => k.kind === 'dynamic').reduce((a, k) => a + k.used, 0);
  return {
    total: item.quantity,
    keys: [{ id: primaryKeyId, kind: 'primary', quota: null, used: item.mainUsed - dynamicUsed }, ...item.sublicenses],
  };
}

export interface SeatFigures {
  total: number;
  used: number;
  remaining: number;
}

/** The seats a key can hold in its product's pool, as the pool's rules count them. */
export function keySeats(keyId: string, pool: PoolState): SeatFigures {
  const key = pool.keys.find((k) => k.id === keyId);
  if (!key) throw new RangeError(`key ${keyId} is not in the pool`);
  const row = keyRow(key, pool);
  return { total: row.quota, used: row.used, remaining: row.available };
}

/** A bound installation's seats are its reported concurrent use against the seats it is licensed for. */
export function usageSeats(seats: number, usageCurrent: number | null): SeatFigures {
  const used = usageCurrent ?? 0;
  return { total: seats, used, remaining: Math.max(0, seats - used) };
}

/** A license key as its subscription's pool counts it (the fields of a stored key it reads). */
export interface SubscriptionKey {
  id: string;
  kind: KeyKind;
  item_id: string | null;
  quota: number | null;
  used: number;
  released_at: Date | null;
}

/** A subscription item as its pool counts it. */
export interface PoolItem {
  id: string;
  subscription_id: string;
  quantity: number;
  main_used: number;
}

/**
 * The seat pool of one product of a subscription, from its item and the subscription's keys: the
 * primary key serves every product, and a sublicense whose custom date passed and whose seats were
 * given back no longer takes part.
 */
export function poolOfItem(item: PoolItem, keys: readonly SubscriptionKey[]): PoolState {
  const primary = keys.find((k) => k.kind === 'primary');
  if (!primary) throw new Error(`subscription ${item.subscription_id} has no primary key`);
  const sublicenses = keys
    .filter((k) => k.item_id === item.id && k.released_at === null)
    .map((k) => ({ id: k.id, kind: k.kind, quota: k.quota, used: k.used }));
  return itemPool({ quantity: item.quantity, mainUsed: item.main_used, sublicenses }, primary.id);
}

/**
 * Seat arithmetic for one product of one subscription (PRODUCT.md, capability 4), the same for
 * every licensing model.
 *
 * The subscription's seats form a pool. Reserved keys fence off their quota for themselves. The
 * rest is the main pool, shared first come first served by the primary key and every dynamic key;
 * a dynamic key is also capped by its own quota.
 *
 * What a key's "use" is depends on what its key licenses, not on a rule of its own:
 * - a key of many installations (per device) uses one seat per installation it holds;
 * - a key bound to one installation (a farm's concurrent users, a proxy's managed devices) uses
 *   what that installation last reported (its peak), and licenses it for the key's share
 *   (shareOf): a reserved key its quota; the primary key and a dynamic key what the main pool
 *   leaves them once the other keys there took their use, a dynamic key no more than its quota.
 *   So the primary key of a farm licenses the total less the reserved quotas less what the dynamic
 *   farms use, and each dynamic farm min(quota, what the main pool leaves).
 * A key's use counts against the others only up to its own cap (a dynamic key's quota, the main
 * pool for the primary key): going over it is that key's own over-limit (warnings, or the overuse
 * grace, by the product's overQuota rule), never seats taken from another key.
 */
export type KeyKind = 'primary' | 'dynamic' | 'reserved';

export interface PoolKey {
  id: string;
  kind: KeyKind;
  /** Seats this key may hold; the primary key has none of its own (it is bounded by the main pool). */
  quota: number | null;
  /** Seats held: installations, or for a key bound to one installation its reported use. */
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

const inMainPool = (k: PoolKey) => k.kind !== 'reserved';

/** The most of the main pool a key there may take: a dynamic key's quota, the whole main pool for the primary key. */
const capIn = (k: PoolKey, mainPool: number) => Math.min(k.quota ?? Infinity, mainPool);

/** What a key of the main pool takes from it: its use, never more than its cap (see the module's doc). */
const claimOn = (k: PoolKey, mainPool: number) => Math.min(k.used, capIn(k, mainPool));

export function summarizePool(pool: PoolState): PoolSummary {
  const reservedKeys = pool.keys.filter((k) => k.kind === 'reserved');
  const reserved = sum(reservedKeys.map((k) => k.quota ?? 0));
  const mainPool = pool.total - reserved;
  const mainUsed = sum(pool.keys.filter(inMainPool).map((k) => claimOn(k, mainPool)));
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

/** Why a key cannot take one more seat now: its own quota is used up, or the main pool it draws on is; null when it can. */
export type SeatLimit = 'key_quota' | 'main_pool';

export function activationLimit(key: PoolKey, pool: PoolState): SeatLimit | null {
  if (key.kind !== 'primary' && key.used >= (key.quota ?? 0)) return 'key_quota';
  if (key.kind !== 'reserved' && summarizePool(pool).mainFree === 0) return 'main_pool';
  return null;
}

export function canActivate(key: PoolKey, pool: PoolState): boolean {
  return activationLimit(key, pool) === null;
}

/**
 * The seats a key may hold as things stand: a reserved key its quota; a key of the main pool what
 * the other keys there leave of it, up to its cap. For a key bound to one installation this is
 * what its certificate licenses; for a key of many installations it is its use plus what it can
 * still take (availableFor), the same arithmetic seen from the other side.
 */
export function shareOf(keyId: string, pool: PoolState): number {
  const key = pool.keys.find((k) => k.id === keyId);
  if (!key) throw new RangeError(`key ${keyId} is not in the pool`);
  if (key.kind === 'reserved') return key.quota ?? 0;
  const { mainPool } = summarizePool(pool);
  const others = sum(pool.keys.filter((k) => inMainPool(k) && k.id !== keyId).map((k) => claimOn(k, mainPool)));
  return Math.max(0, Math.min(capIn(key, mainPool), mainPool - others));
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
 * How many installations a key must give up when its quota drops below what it holds: the
 * documented rule is that its least recently seen ones go. Only the key's own overuse counts; the
 * main pool is checked at each activation, not taken back. A key bound to one installation
 * (`installationsPerKey` 1) keeps it whatever its quota, which is the seats of that installation,
 * not a count of installations: its next certificate carries the fewer seats, and usage over them
 * brings the product's over-limit rule (warnings, or the overuse grace and then a stop).
 */
export function excessAfterQuotaChange(installations: number, newQuota: number, installationsPerKey: 1 | null): number {
  return Math.max(0, installations - (installationsPerKey ?? newQuota));
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
 *
 * `reportedUse` is given for a product whose key binds one installation: each key's use is then
 * what its active installation in this product reported (keys without one use nothing), in place
 * of the seat counters, which such installations never take.
 */
export function poolOfItem(item: PoolItem, keys: readonly SubscriptionKey[], reportedUse: ReadonlyMap<string, number> | null = null): PoolState {
  const primary = keys.find((k) => k.kind === 'primary');
  if (!primary) throw new Error(`subscription ${item.subscription_id} has no primary key`);
  const useOf = (k: SubscriptionKey) => (reportedUse ? (reportedUse.get(k.id) ?? 0) : k.used);
  const sublicenses = keys
    .filter((k) => k.item_id === item.id && k.released_at === null)
    .map((k) => ({ id: k.id, kind: k.kind, quota: k.quota, used: useOf(k) }));
  const mainUsed = reportedUse ? useOf(primary) + sum(sublicenses.filter(inMainPool).map((k) => k.used)) : item.main_used;
  return itemPool({ quantity: item.quantity, mainUsed, sublicenses }, primary.id);
}

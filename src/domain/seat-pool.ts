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

/**
 * Checks a key's new quota against the pool, the key's own old quota taken out. Reserved quotas
 * may never add up past the total, and seats a reserved key gains must be free in the main pool
 * now, since they leave it; a dynamic key's cap above the total would mean nothing.
 */
export function checkQuota(pool: PoolState, change: { keyId: string | null; kind: 'dynamic' | 'reserved'; quota: number }): QuotaProblem | null {
  if (!Number.isInteger(change.quota) || change.quota < 1) return 'quota_not_positive';
  if (change.kind === 'dynamic') return change.quota > pool.total ? 'dynamic_exceeds_total' : null;
  const current = pool.keys.find((k) => k.id === change.keyId && k.kind === 'reserved');
  const otherReserved = sum(pool.keys.filter((k) => k.kind === 'reserved' && k !== current).map((k) => k.quota ?? 0));
  if (otherReserved + change.quota > pool.total) return 'reserved_exceeds_total';
  const gained = change.quota - (current?.quota ?? 0);
  return gained > summarizePool(pool).mainFree ? 'reserved_exceeds_free' : null;
}

/**
 * How many installations a key must give up when its quota drops below what it uses. Only the
 * key's own overuse counts; the main pool is checked at each activation, not taken back.
 */
export function excessAfterQuotaChange(used: number, newQuota: number): number {
  return Math.max(0, used - newQuota);
}

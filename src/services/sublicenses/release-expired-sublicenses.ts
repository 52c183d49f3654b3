import { deactivateLeastRecentlySeen } from '../../data/repositories/installation-release.js';
import { claimExpiredSublicenses, markKeyReleased } from '../../data/repositories/license-keys.js';
import { adjustReserved, lockItem } from '../../data/repositories/subscriptions.js';
import { recordChange } from '../changes.js';
import type { Deps } from '../context.js';
import { runTransaction } from '../../data/transactions.js';

const BATCH = 100;

/**
 * A custom-dated sublicense past its date stops activating at once (the activation rules check the
 * date); this gives its seats back to the pool: its installations are deactivated and a reserved
 * key's quota returns to the main pool. Returns how many keys it released.
 */
export async function releaseExpiredSublicenses(deps: Deps): Promise<number> {
  return runTransaction(deps.db, async (trx) => {
    const now = deps.clock.now();
    const keys = await claimExpiredSublicenses(trx, now, BATCH);
    for (const key of keys) {
      // Key row first (claimed above), then its item: the order every seat change keeps.
      if (key.item_id) await lockItem(trx, key.item_id);
      const released = await deactivateLeastRecentlySeen(trx, key, null, 'key_expired', now);
      if (key.kind === 'reserved' && key.item_id) await adjustReserved(trx, key.item_id, -key.quota!);
      await markKeyReleased(trx, key.id, now);
      await recordChange(
        trx,
        null,
        { accountId: key.account_id, action: 'license_key.expired', targetType: 'license_key', targetId: key.id, details: { name: key.name, deactivated: released.length } },
        now,
      );
    }
    return keys.length;
  });
}

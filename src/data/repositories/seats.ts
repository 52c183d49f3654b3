import { sql } from 'kysely';
import type { InTransaction } from '../executor.js';
import type { KeyKind, SeatLimit } from '../../domain/seat-pool.js';

/**
 * Takes one seat for an installation of `keyId` in subscription item `itemId`, by conditional
 * UPDATEs that count and check in one statement each, so concurrent activations on any number of
 * server processes can never both take the last seat. Rows are locked key first, then item, in
 * the order of lockKeysForSeats. Must run inside the caller's transaction: when the second counter
 * refuses, the caller's rollback undoes the first.
 *
 * Reserved keys draw only on their own quota; the primary key only on the main pool; dynamic
 * keys on both.
 */
export async function takeSeat(trx: InTransaction, key: { id: string; kind: KeyKind }, itemId: string): Promise<SeatLimit | null> {
  const keyRow = await trx
    .updateTable('license_keys')
    .set({ used: sql`used + 1` })
    .where('id', '=', key.id)
    .where((eb) => eb.or([eb('quota', 'is', null), eb('used', '<', eb.ref('quota'))]))
    .returning('id')
    .executeTakeFirst();
  if (!keyRow) return 'key_quota';
  if (key.kind === 'reserved') return null;
  const itemRow = await trx
    .updateTable('subscription_items')
    .set({ main_used: sql`main_used + 1` })
    .where('id', '=', itemId)
    .where(sql<boolean>`reserved + main_used < quantity`)
    .returning('id')
    .executeTakeFirst();
  return itemRow ? null : 'main_pool';
}

/** Gives back the seat an installation held (deactivation, expiry, deletion of its key). */
export async function releaseSeat(trx: InTransaction, key: { id: string; kind: KeyKind }, itemId: string): Promise<void> {
  await trx.updateTable('license_keys').set({ used: sql`used - 1` }).where('id', '=', key.id).execute();
  if (key.kind !== 'reserved') {
    await trx.updateTable('subscription_items').set({ main_used: sql`main_used - 1` }).where('id', '=', itemId).execute();
  }
}

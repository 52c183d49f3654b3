import { sql } from 'kysely';
import type { InTransaction } from '../executor.js';
import type { KeyKind, SeatLimit } from '../../domain/seat-pool.js';

/** A seat taken, with the limit it was the last seat under (the pool is full now), or the limit that refused it. */
export type SeatTaken = { ok: true; filled: SeatLimit | null } | { ok: false; limit: SeatLimit };

/**
 * Takes one seat for an installation of `keyId` in subscription item `itemId`, by conditional
 * UPDATEs that count and check in one statement each, so concurrent activations on any number of
 * server processes can never both take the last seat. Rows are locked key first, then item, in
 * the order of lockKeysForSeats. Must run inside the caller's transaction: when the second counter
 * refuses, the caller's rollback undoes the first. Each statement also says whether it took the
 * last seat, so a full pool is known at no extra cost.
 *
 * Reserved keys draw only on their own quota; the primary key only on the main pool; dynamic
 * keys on both.
 */
export async function takeSeat(trx: InTransaction, key: { id: string; kind: KeyKind }, itemId: string): Promise<SeatTaken> {
  const keyRow = await trx
    .updateTable('license_keys')
    .set({ used: sql`used + 1` })
    .where('id', '=', key.id)
    .where((eb) => eb.or([eb('quota', 'is', null), eb('used', '<', eb.ref('quota'))]))
    .returning(sql<boolean>`quota IS NOT NULL AND used >= quota`.as('full'))
    .executeTakeFirst();
  if (!keyRow) return { ok: false, limit: 'key_quota' };
  const keyFilled = keyRow.full ? 'key_quota' : null;
  if (key.kind === 'reserved') return { ok: true, filled: keyFilled };
  const itemRow = await trx
    .updateTable('subscription_items')
    .set({ main_used: sql`main_used + 1` })
    .where('id', '=', itemId)
    .where(sql<boolean>`reserved + main_used < quantity`)
    .returning(sql<boolean>`reserved + main_used >= quantity`.as('full'))
    .executeTakeFirst();
  if (!itemRow) return { ok: false, limit: 'main_pool' };
  return { ok: true, filled: itemRow.full ? 'main_pool' : keyFilled };
}

/** Gives back the seat an installation held (deactivation, expiry, deletion of its key). */
export async function releaseSeat(trx: InTransaction, key: { id: string; kind: KeyKind }, itemId: string): Promise<void> {
  await trx.updateTable('license_keys').set({ used: sql`used - 1` }).where('id', '=', key.id).execute();
  if (key.kind !== 'reserved') {
    await trx.updateTable('subscription_items').set({ main_used: sql`main_used - 1` }).where('id', '=', itemId).execute();
  }
}

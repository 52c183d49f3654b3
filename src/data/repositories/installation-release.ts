import { sql } from 'kysely';
import type { InTransaction } from '../executor.js';
import type { KeyKind } from '../../domain/seat-pool.js';

/**
 * Deactivates a key's active installations, least recently seen first, and gives their seats
 * back in the same statement set: the documented rule when a key's quota drops below its use or
 * the key is deleted. `limit` null takes all of them. Returns the installations deactivated.
 */
export async function deactivateLeastRecentlySeen(
  trx: InTransaction,
  key: { id: string; kind: KeyKind },
  limit: number | null,
  reason: string,
  now: Date,
): Promise<{ id: string; item_id: string | null; holds_seat: boolean }[]> {
  const victims = await sql<{ id: string; item_id: string | null; holds_seat: boolean }>`
    UPDATE installations SET state = 'deactivated', deactivated_at = ${now}, deactivation_reason = ${reason},
      pending_action = NULL, pending_key_id = NULL
    WHERE id IN (
      SELECT id FROM installations
      WHERE license_key_id = ${key.id} AND state = 'active'
      ORDER BY last_seen_at, id
      ${limit === null ? sql`` : sql`LIMIT ${limit}`}
      FOR UPDATE
    )
    RETURNING id, item_id, holds_seat`.execute(trx);
  const released = victims.rows;
  // Installations of bound products (a farm, a proxy) never took a seat, so they give none back.
  const seats = released.filter((v) => v.holds_seat);
  if (seats.length > 0) {
    await trx.updateTable('license_keys').set({ used: sql`used - ${seats.length}` }).where('id', '=', key.id).execute();
  }
  if (key.kind !== 'reserved') {
    const perItem = new Map<string, number>();
    for (const v of seats) if (v.item_id) perItem.set(v.item_id, (perItem.get(v.item_id) ?? 0) + 1);
    for (const [itemId, count] of perItem) {
      await trx.updateTable('subscription_items').set({ main_used: sql`main_used - ${count}` }).where('id', '=', itemId).execute();
    }
  }
  return released;
}

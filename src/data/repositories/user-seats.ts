import { sql } from 'kysely';
import type { Executor, InTransaction } from '../executor.js';
import type { UserSeat } from '../schema.js';
import { lockKeysForSeats } from './license-keys.js';
import { releaseSeat } from './seats.js';

/** The user's open seat in a subscription item, locked: their machines are counted under it one activation at a time. */
export function lockOpenUserSeat(trx: InTransaction, itemId: string, directoryUserId: string): Promise<UserSeat | undefined> {
  return trx
    .selectFrom('user_seats')
    .selectAll()
    .where('item_id', '=', itemId)
    .where('directory_user_id', '=', directoryUserId)
    .where('released_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
}

/** Records a seat the caller has just counted (takeSeat): a second open seat of one user in one item fails on user_seats_open. */
export function insertUserSeat(
  trx: InTransaction,
  s: { accountId: string; subscriptionId: string; itemId: string; licenseKeyId: string; directoryUserId: string; now: Date },
): Promise<UserSeat> {
  return trx
    .insertInto('user_seats')
    .values({
      account_id: s.accountId,
      subscription_id: s.subscriptionId,
      item_id: s.itemId,
      license_key_id: s.licenseKeyId,
      directory_user_id: s.directoryUserId,
      taken_at: s.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function isDuplicateUserSeat(err: unknown): boolean {
  const e = err as { code?: unknown; constraint?: unknown } | null;
  return e?.code === '23505' && e.constraint === 'user_seats_open';
}

/** How many machines are active under a user seat. */
export async function countSeatMachines(db: Executor, seatId: string): Promise<number> {
  const row = await db
    .selectFrom('installations')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_seat_id', '=', seatId)
    .where('state', '=', 'active')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Gives back open user seats: the counters of their keys and items, in the lock order of
 * lockKeysForSeats, and leaves a deactivation pending on each of their active installations, which
 * the installation learns at its next check-in. Returns the seats released and the machines told.
 * `seatIds` null releases every open seat of the directory user.
 */
export async function releaseUserSeats(
  trx: InTransaction,
  target: { accountId: string; directoryUserId: string; seatIds?: readonly string[] },
  reason: string,
  now: Date,
): Promise<{ seats: number; installations: number }> {
  if (target.seatIds?.length === 0) return { seats: 0, installations: 0 };
  const open = await trx
    .selectFrom('user_seats')
    .select(['id', 'license_key_id', 'item_id'])
    .where('account_id', '=', target.accountId)
    .where('directory_user_id', '=', target.directoryUserId)
    .where('released_at', 'is', null)
    .$if(target.seatIds !== undefined, (q) => q.where('id', 'in', [...target.seatIds!]))
    .execute();
  if (open.length === 0) return { seats: 0, installations: 0 };
  const keys = await lockKeysForSeats(trx, [...new Set(open.map((s) => s.license_key_id))]);
  const released = await trx
    .updateTable('user_seats')
    .set({ released_at: now, release_reason: reason })
    .where('id', 'in', open.map((s) => s.id))
    .where('released_at', 'is', null)
    .returning(['id', 'license_key_id', 'item_id'])
    .execute();
  for (const seat of released) {
    const key = keys.find((k) => k.id === seat.license_key_id);
    if (key) await releaseSeat(trx, key, seat.item_id);
  }
  const told = await sql<{ id: string }>`
    UPDATE installations SET pending_action = 'deactivate', pending_key_id = NULL, deactivation_reason = ${reason}
    WHERE user_seat_id IN (${sql.join(released.map((s) => s.id))}) AND state = 'active'
    RETURNING id`.execute(trx);
  return { seats: released.length, installations: told.rows.length };
}

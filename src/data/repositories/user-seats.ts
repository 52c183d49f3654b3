import { isUniqueViolation } from '../failures.js';
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
  return isUniqueViolation(err, 'user_seats_open');
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

/** The subscription items of an account in these products, with their subscriptions, latest-ending first: where a person's seat may come from. */
export function listAccountItems(db: Executor, accountId: string, productCodes: readonly string[]) {
  return db
    .selectFrom('subscription_items as i')
    .innerJoin('subscriptions as s', 's.id', 'i.subscription_id')
    .selectAll('i')
    .select(['s.status as subscription_status', 's.expires_at as subscription_expires_at'])
    .where('s.account_id', '=', accountId)
    .where('i.product_code', 'in', [...productCodes])
    .orderBy('s.expires_at', 'desc')
    .orderBy('i.id')
    .execute();
}

export interface UserSeatRow {
  id: string;
  directory_user_id: string;
  user_name: string;
  email: string | null;
  display_name: string | null;
  user_active: boolean;
  subscription_id: string;
  item_id: string;
  product_code: string;
  taken_at: Date;
  machines: number;
  last_used_at: Date | null;
}

/**
 * The open seats of an account's people, latest taken first, each with its machines and when one
 * of them last checked in (the use the inactivity rule reads).
 */
export async function listOpenUserSeats(db: Executor, accountId: string, after: { takenAt: string; id: string } | undefined, limit: number): Promise<UserSeatRow[]> {
  const { rows } = await sql<UserSeatRow>`
    SELECT s.id, s.directory_user_id, u.user_name, u.email, u.display_name, u.active AS user_active,
      s.subscription_id, s.item_id, i.product_code, s.taken_at,
      (SELECT count(*)::int FROM installations n WHERE n.user_seat_id = s.id AND n.state = 'active') AS machines,
      (SELECT max(n.last_seen_at) FROM installations n WHERE n.user_seat_id = s.id) AS last_used_at
    FROM user_seats s
    JOIN directory_users u ON u.id = s.directory_user_id
    JOIN subscription_items i ON i.id = s.item_id
    WHERE s.account_id = ${accountId} AND s.released_at IS NULL
      ${after ? sql`AND (s.taken_at, s.id) < (${after.takenAt}::timestamptz, ${after.id}::uuid)` : sql``}
    ORDER BY s.taken_at DESC, s.id DESC
    LIMIT ${limit}`.execute(db);
  return rows;
}

export function findOpenUserSeat(db: Executor, accountId: string, seatId: string): Promise<UserSeat | undefined> {
  return db.selectFrom('user_seats').selectAll().where('account_id', '=', accountId).where('id', '=', seatId).where('released_at', 'is', null).executeTakeFirst();
}

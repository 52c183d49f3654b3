import { findOpenUserSeat, listOpenUserSeats, type UserSeatRow } from '../../data/repositories/user-seats.js';
import { runTransaction } from '../../data/transactions.js';
import type { Actor } from '../../domain/actor.js';
import { notFound } from '../../domain/errors.js';
import type { Deps } from '../context.js';
import { keysetPage, type Page } from '../paging.js';
import { authorizeSso } from './identity-provider-settings.js';
import { revokeUserSeats } from './revoke-user-seats.js';

export type SeatCursor = { takenAt: string; id: string };

/** The seats people hold by signing in, for the Users-with-seats view. */
export async function listUserSeats(deps: Deps, actor: Actor, accountId: string, page: { limit: number; cursor: SeatCursor | undefined }): Promise<Page<UserSeatRow, SeatCursor>> {
  await authorizeSso(deps.db, actor, accountId);
  return keysetPage(page.limit, (limit) => listOpenUserSeats(deps.db, accountId, page.cursor, limit), (last) => ({ takenAt: last.taken_at.toISOString(), id: last.id }));
}

/** An administrator takes a person's seat back: free at once, their machines deactivated at their next check-in. */
export async function revokeUserSeat(deps: Deps, actor: Actor, accountId: string, seatId: string): Promise<{ installations: number }> {
  return runTransaction(deps.db, async (trx) => {
    await authorizeSso(trx, actor, accountId);
    const seat = await findOpenUserSeat(trx, accountId, seatId);
    if (!seat) throw notFound('Seat');
    const released = await revokeUserSeats(trx, actor, { accountId, directoryUserId: seat.directory_user_id, seatIds: [seat.id] }, 'revoked_by_administrator', deps.clock.now());
    return { installations: released.installations };
  });
}

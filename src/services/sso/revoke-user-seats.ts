import { releaseUserSeats } from '../../data/repositories/user-seats.js';
import type { InTransaction } from '../../data/executor.js';
import { recordChange, type ChangedBy } from '../changes.js';

/** Why a user's seat was taken back: the directory removed them, they stopped using the product, or an administrator did it. */
export type SeatRevocation = 'deprovisioned' | 'inactive' | 'revoked_by_administrator';

const reasons: Record<SeatRevocation, string> = {
  deprovisioned: 'the user was removed from the directory',
  inactive: 'the user has not used the product for the account’s inactivity period',
  revoked_by_administrator: 'an administrator took the seat back',
};

/**
 * Takes back a directory user's seats inside the caller's transaction: the seats are free at once,
 * and each of the user's machines is deactivated at its next check-in, after which its token stops
 * working. Audited once per call that released something; activating again gives the user a seat
 * again. `seatIds` limits it to those seats (an administrator revoking one).
 */
export async function revokeUserSeats(
  trx: InTransaction,
  by: ChangedBy,
  target: { accountId: string; directoryUserId: string; seatIds?: readonly string[] },
  why: SeatRevocation,
  now: Date,
): Promise<{ seats: number; installations: number }> {
  const released = await releaseUserSeats(trx, target, reasons[why], now);
  if (released.seats > 0) {
    await recordChange(
      trx,
      by,
      { accountId: target.accountId, action: 'user_seat.revoked', targetType: 'directory_user', targetId: target.directoryUserId, details: { reason: why, ...released } },
      now,
    );
  }
  return released;
}

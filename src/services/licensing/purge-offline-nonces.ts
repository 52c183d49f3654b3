import { deleteNoncesAcceptedBefore } from '../../data/repositories/offline-nonces.js';
import { offlineNoncesNeededSince } from '../../domain/offline-file.js';
import type { Deps } from '../context.js';

/**
 * Forgets the request nonces no file can be replayed with any more (its 30 days are over), so the
 * table holds about a month of uploads. Safe in several processes at once: a row deletes once.
 */
export function purgeOfflineNonces(deps: Deps): Promise<number> {
  return deleteNoncesAcceptedBefore(deps.db, offlineNoncesNeededSince(deps.clock.now()));
}

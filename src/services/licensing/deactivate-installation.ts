import { deactivateInstallation, findInstallationById } from '../../data/repositories/installations.js';
import { lockKeysForSeats } from '../../data/repositories/license-keys.js';
import { releaseSeat } from '../../data/repositories/seats.js';
import type { InTransaction } from '../../data/executor.js';
import type { Installation } from '../../data/schema.js';
import type { DeactivationResponse } from '../../domain/licensing-protocol.js';
import { recordChange } from '../changes.js';
import type { Deps } from '../context.js';
import { authenticate } from './installation-facts.js';
import { runTransaction } from '../../data/transactions.js';

/**
 * Deactivates an installation and gives back its seat when it took one; racing calls give it back
 * once. Its key is locked before the installation, the order every seat change keeps
 * (lockKeysForSeats), so a deletion of the key or a lower quota cannot deadlock with it; an
 * installation moved to another key since the caller read it is followed there.
 */
export async function releaseInstallation(trx: InTransaction, installation: Pick<Installation, 'id' | 'license_key_id'>, reason: string, now: Date): Promise<void> {
  let keyId = installation.license_key_id;
  for (;;) {
    const [key] = keyId ? await lockKeysForSeats(trx, [keyId]) : [];
    const deactivated = await deactivateInstallation(trx, installation.id, keyId, reason, now);
    if (deactivated) {
      if (deactivated.holds_seat && key && deactivated.item_id) await releaseSeat(trx, key, deactivated.item_id);
      return;
    }
    // Not active on that key: deactivated already (by a racing call, or with its key), or moved.
    const current = await findInstallationById(trx, installation.id);
    if (current?.state !== 'active' || current.license_key_id === keyId) return;
    keyId = current.license_key_id;
  }
}

const DEACTIVATED_BY_INSTALLATION = 'deactivated by the installation';

/** The audit entry of a deactivation the installation carried out itself, online: no person made it. */
export function recordDeactivation(trx: InTransaction, installation: Pick<Installation, 'id' | 'account_id' | 'license_key_id'>, reason: string, now: Date) {
  return recordChange(
    trx,
    null,
    { accountId: installation.account_id, action: 'installation.deactivated', targetType: 'installation', targetId: installation.id, details: { keyId: installation.license_key_id, reason } },
    now,
  );
}

/** The installation gives up its license: the seat is free at once and its token stops working. */
export async function deactivateFromInstallation(deps: Deps, token: string): Promise<DeactivationResponse> {
  return runTransaction(deps.db, async (trx) => {
    const { installation } = await authenticate(trx, token);
    const now = deps.clock.now();
    await releaseInstallation(trx, installation, DEACTIVATED_BY_INSTALLATION, now);
    await recordDeactivation(trx, installation, DEACTIVATED_BY_INSTALLATION, now);
    return { installationId: installation.id, state: 'deactivated' as const };
  });
}

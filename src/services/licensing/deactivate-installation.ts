import { deactivateInstallation } from '../../data/repositories/installations.js';
import { findKey } from '../../data/repositories/license-keys.js';
import { releaseSeat } from '../../data/repositories/seats.js';
import type { Executor } from '../../data/repositories/users.js';
import type { Installation } from '../../data/schema.js';
import type { DeactivationResponse } from '../../domain/licensing-protocol.js';
import type { Deps } from '../context.js';
import { loadInstallation } from './installation-license.js';

/** Deactivates an installation and gives back its seat when it took one; racing calls give it back once. */
export async function releaseInstallation(trx: Executor, installation: Installation, reason: string, now: Date): Promise<void> {
  const deactivated = await deactivateInstallation(trx, installation.id, reason, now);
  if (!deactivated?.holds_seat || !deactivated.license_key_id || !deactivated.item_id) return;
  const key = await findKey(trx, deactivated.license_key_id);
  if (key) await releaseSeat(trx, key, deactivated.item_id);
}

/** The installation gives up its license: the seat is free at once and its token stops working. */
export async function deactivateFromInstallation(deps: Deps, token: string): Promise<DeactivationResponse> {
  return deps.db.transaction().execute(async (trx) => {
    const { installation } = await loadInstallation(trx, token);
    await releaseInstallation(trx, installation, 'deactivated by the installation', deps.clock.now());
    return { installationId: installation.id, state: 'deactivated' as const };
  });
}

import type { StatusResponse } from '../../domain/licensing-protocol.js';
import type { Deps } from '../context.js';
import { licensedSeats, loadInstallation, seatFigures, standingOf } from './installation-license.js';

/** The license information an installation's console shows: the seats of its key and how its license stands. */
export async function installationStatus(deps: Deps, token: string): Promise<StatusResponse> {
  const now = deps.clock.now();
  const { installation, basis } = await loadInstallation(deps.db, token);
  const seats = await licensedSeats(deps.db, basis);
  const standing = standingOf(basis, installation, seats, now);
  return {
    ...(await seatFigures(deps.db, basis, installation, seats)),
    licenseExpiresAt: standing.licenseExpiresAt.toISOString(),
    state: standing.state,
    warnings: standing.warnings,
  };
}

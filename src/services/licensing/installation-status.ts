import type { StatusResponse } from '../../domain/licensing-protocol.js';
import type { Deps } from '../context.js';
import { figuresNeedPool, seatFigures, standingOf } from '../../domain/license-basis.js';
import { factsByToken, poolOf } from './installation-facts.js';

/** The license information an installation's console shows: the seats of its key and how its license stands. */
export async function installationStatus(deps: Deps, token: string): Promise<StatusResponse> {
  const now = deps.clock.now();
  const { installation, basis, seats } = await factsByToken(deps.db, token);
  const standing = standingOf(basis, installation, seats, now);
  const pool = figuresNeedPool(basis) ? await poolOf(deps.db, basis) : null;
  return {
    ...seatFigures(basis, installation, seats, pool),
    licenseExpiresAt: standing.licenseExpiresAt.toISOString(),
    state: standing.state,
    warnings: standing.warnings,
  };
}

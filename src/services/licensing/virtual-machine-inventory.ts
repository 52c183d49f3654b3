import { replaceInventory } from '../../data/repositories/virtual-machines.js';
import { runTransaction } from '../../data/transactions.js';
import type { Warning } from '../../domain/certificate.js';
import { VM_INVENTORY_FEATURE } from '../../domain/virtual-machine-columns.js';
import { inventoryHash, readInventory } from '../../domain/virtual-machines.js';
import type { Deps } from '../context.js';
import type { InstallationFacts } from './installation-facts.js';

/**
 * Keeps the inventory a check-in reports as the installation's current one, and answers the
 * warnings for the entries it refused. Costs nothing when the check-in carries none, and no write
 * when it equals the stored one (by hash). The installations of other products, and trials (no
 * account to list them in), report VMs the way they always could: the list is ignored, unread.
 * A lost write costs little (the hash goes with it, so the next check-in writes again), so it
 * commits without waiting for the disk, like the check-in's own record.
 */
export async function recordVirtualMachines(deps: Deps, facts: InstallationFacts, reported: readonly unknown[] | undefined): Promise<Warning[]> {
  const { installation, basis } = facts;
  const accountId = installation.account_id;
  if (reported === undefined || accountId === null || !basis.product.features.includes(VM_INVENTORY_FEATURE)) return [];
  const now = deps.clock.now();
  const { accepted, warnings } = readInventory(reported, now);
  const hash = inventoryHash(accepted);
  if (hash !== installation.vm_inventory_hash) {
    await runTransaction(deps.relaxedDb, (trx) => replaceInventory(trx, { installationId: installation.id, accountId, hash, vms: accepted, now }));
  }
  return warnings;
}

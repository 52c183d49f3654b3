import {
  listVirtualMachines,
  type VirtualMachineCursor,
  type VirtualMachineListQuery,
  type VirtualMachineRow,
} from '../../data/repositories/virtual-machines.js';
import type { Actor } from '../../domain/actor.js';
import { authorizeLicensing } from '../../policies/license-policy.js';
import type { Deps } from '../context.js';
import { allRows, keysetPage, type Page } from '../paging.js';

/** What the caller asks of the list: the query without the scope the service works out. */
export type VirtualMachineListInput = Omit<VirtualMachineListQuery, 'keyIds'>;

/**
 * The VMs of the installations the caller may see: every member who may view installations sees
 * those of the account, a License Administrator those of the keys granted to them.
 */
async function scoped<T extends Omit<VirtualMachineListInput, 'limit' | 'after'>>(deps: Deps, actor: Actor, accountId: string, input: T) {
  const { scope } = await authorizeLicensing(deps.db, actor, accountId, 'installations.view');
  return { ...input, keyIds: scope.all ? null : [...scope.keyIds] };
}

const cursorOf = (last: VirtualMachineRow): VirtualMachineCursor => ({ value: last.sort_value, id: last.id });

/** One page of the account's virtual machines, as their installations last reported them. */
export async function listAccountVirtualMachines(deps: Deps, actor: Actor, accountId: string, input: VirtualMachineListInput): Promise<Page<VirtualMachineRow, VirtualMachineCursor>> {
  const query = await scoped(deps, actor, accountId, input);
  return keysetPage(input.limit, (limit) => listVirtualMachines(deps.db, accountId, { ...query, limit }), cursorOf);
}

/** The whole list as shown (same filters and order) for a CSV download; access is checked before anything is sent. */
export async function exportAccountVirtualMachines(
  deps: Deps,
  actor: Actor,
  accountId: string,
  input: Omit<VirtualMachineListInput, 'limit' | 'after'>,
): Promise<AsyncIterable<VirtualMachineRow>> {
  const query = await scoped(deps, actor, accountId, input);
  return allRows((after: VirtualMachineCursor | undefined, limit) => listVirtualMachines(deps.db, accountId, { ...query, after, limit }), cursorOf);
}

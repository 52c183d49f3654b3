import { sql, type RawBuilder } from 'kysely';
import type { VirtualMachine } from '../../domain/virtual-machines.js';
import type { Executor, InTransaction } from '../executor.js';
import { containing } from './search.js';
import { groupKeyOf } from './user-groups.js';

/** The virtual machines installations report (PRODUCT.md capability 10), and the account's list of them. */

/**
 * Makes the installation's stored inventory the one given, under the lock of its row, so two
 * check-ins of one installation never leave a mix of their inventories behind. A VM reported again
 * keeps its row (and so its place in a list being paged); one no longer reported goes. Answers
 * false when the installation is no longer active, which keeps its inventory as it was.
 */
export async function replaceInventory(
  trx: InTransaction,
  r: { installationId: string; accountId: string; hash: string; vms: readonly VirtualMachine[]; now: Date },
): Promise<boolean> {
  const locked = await trx
    .updateTable('installations')
    .set({ vm_inventory_hash: r.hash })
    .where('id', '=', r.installationId)
    .where('state', '=', 'active')
    .returning('id')
    .executeTakeFirst();
  if (!locked) return false;
  // The delete and the upsert touch different rows, so one statement does both.
  const gone = sql`DELETE FROM virtual_machines WHERE installation_id = ${r.installationId} AND NOT (uuid = ANY (${r.vms.map((vm) => vm.uuid)}::uuid[]))`;
  if (r.vms.length === 0) {
    await gone.execute(trx);
    return true;
  }
  const rows = r.vms.map(
    (vm) =>
      sql`(${r.installationId}::uuid, ${vm.uuid}::uuid, ${r.accountId}::uuid, ${vm.name}, ${vm.guestOs}, ${vm.state}, ${vm.architecture}, ${vm.lastUsedAt}::timestamptz, ${r.now}::timestamptz)`,
  );
  await sql`
    WITH gone AS (${gone})
    INSERT INTO virtual_machines (installation_id, uuid, account_id, name, guest_os, state, architecture, last_used_at, reported_at)
    VALUES ${sql.join(rows)}
    ON CONFLICT (installation_id, uuid) DO UPDATE SET
      account_id = excluded.account_id, name = excluded.name, guest_os = excluded.guest_os, state = excluded.state,
      architecture = excluded.architecture, last_used_at = excluded.last_used_at, reported_at = excluded.reported_at
  `.execute(trx);
  return true;
}

export type VirtualMachineSort = 'name' | 'lastUsed';

export interface VirtualMachineFilter {
  keyId?: string | undefined;
  /** Those of the installations on the sublicense of this user group. */
  groupId?: string | undefined;
  installationId?: string | undefined;
  /** Those of active installations only, or also of deactivated ones (kept as they last were). */
  installations: 'active' | 'all';
  q?: string | undefined;
  /** A License Administrator's granted keys; null for everyone who sees all of the account's. */
  keyIds: readonly string[] | null;
}

export interface VirtualMachineCursor {
  value: string;
  id: string;
}

export interface VirtualMachineListQuery extends VirtualMachineFilter {
  sort: VirtualMachineSort;
  descending: boolean;
  after?: VirtualMachineCursor | undefined;
  limit: number;
}

// Each sort has an index of its own on (account_id, expression, id), see 0014.
const sorts: Record<VirtualMachineSort, { expr: RawBuilder<unknown>; type: RawBuilder<unknown> }> = {
  name: { expr: sql`lower(vm.name)`, type: sql`text` },
  lastUsed: { expr: sql`coalesce(vm.last_used_at, '-infinity')`, type: sql`timestamptz` },
};

/** One page of the account's VMs in the chosen order, the row id breaking ties so that paging is stable. */
export function listVirtualMachines(db: Executor, accountId: string, query: VirtualMachineListQuery) {
  const { expr, type } = sorts[query.sort];
  // The installation must still be the account's too: the rows say whose it was when reported.
  let q = db
    .selectFrom('virtual_machines as vm')
    .innerJoin('installations as i', 'i.id', 'vm.installation_id')
    .leftJoin('license_keys as k', 'k.id', 'i.license_key_id')
    .leftJoin('user_groups as g', 'g.license_key_id', 'i.license_key_id')
    .where('vm.account_id', '=', accountId)
    .where('i.account_id', '=', accountId);
  if (query.keyIds !== null) q = query.keyIds.length > 0 ? q.where('i.license_key_id', 'in', [...query.keyIds]) : q.where(sql<boolean>`false`);
  if (query.keyId) q = q.where('i.license_key_id', '=', query.keyId);
  if (query.groupId) q = q.where(sql<boolean>`i.license_key_id = ${groupKeyOf(accountId, query.groupId)}`);
  if (query.installationId) q = q.where('vm.installation_id', '=', query.installationId);
  if (query.installations === 'active') q = q.where('i.state', '=', 'active');
  if (query.q) {
    const pattern = containing(query.q);
    q = q.where((eb) =>
      eb.or([
        eb('vm.name', 'ilike', pattern),
        eb('vm.guest_os', 'ilike', pattern),
        eb(sql`vm.uuid::text`, 'ilike', pattern),
        eb('i.name', 'ilike', pattern),
        eb('i.alias', 'ilike', pattern),
      ]),
    );
  }
  const cmp = sql.raw(query.descending ? '<' : '>');
  const dir = sql.raw(query.descending ? 'DESC' : 'ASC');
  if (query.after) q = q.where(sql<boolean>`(${expr}, vm.id) ${cmp} (CAST(${query.after.value} AS ${type}), ${query.after.id}::uuid)`);
  return q
    .select([
      'vm.id',
      'vm.uuid',
      'vm.name',
      'vm.guest_os',
      'vm.state',
      'vm.architecture',
      'vm.last_used_at',
      'vm.reported_at',
      'vm.installation_id',
      'i.name as installation_name',
      'i.alias as installation_alias',
      'i.state as installation_state',
      'i.license_key_id',
      'k.name as key_name',
      'g.id as group_id',
      'g.name as group_name',
      sql<string>`(${expr})::text`.as('sort_value'),
    ])
    .orderBy(sql`${expr} ${dir}`)
    .orderBy(sql`vm.id ${dir}`)
    .limit(query.limit)
    .execute();
}

export type VirtualMachineRow = Awaited<ReturnType<typeof listVirtualMachines>>[number];

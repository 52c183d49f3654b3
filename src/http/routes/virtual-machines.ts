import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { VirtualMachineRow } from '../../data/repositories/virtual-machines.js';
import { installationLabel, VM_COLUMN_LABELS, vmStateLabel, type VmColumn } from '../../domain/virtual-machine-columns.js';
import { VM_ARCHITECTURES, VM_STATES } from '../../domain/virtual-machines.js';
import type { Deps } from '../../services/context.js';
import { exportAccountVirtualMachines, listAccountVirtualMachines } from '../../services/installations/list-virtual-machines.js';
import { actorOf } from '../auth.js';
import { sendCsv, type CsvColumn } from '../csv.js';
import { errorResponses as errors } from '../errors.js';
import { iso } from '../presenters.js';
import { accountIdParams, pageQuery, uuid } from '../schemas/common.js';
import { sortedPaging } from '../schemas/paging.js';

// The account's virtual machines (PRODUCT.md capability 10), as its installations last reported them.

// A user group is bound to one sublicense key, so its filter narrows the list the way keyId does.
const filterQuery = z.strictObject({
  keyId: uuid.optional().describe('Only the VMs of installations activated with this key (primary or sublicense)'),
  groupId: uuid.optional().describe("Only the VMs of installations on this user group's sublicense"),
  installationId: uuid.optional(),
  installations: z.enum(['active', 'all']).default('active').describe('all: also the VMs a deactivated installation last reported, kept for history'),
  q: z.string().trim().min(1).max(100).optional().describe("Part of the VM's name, guest OS or uuid, or of its installation's name or alias"),
  sort: z.enum(['name', 'lastUsed']).default('name').describe('ties are broken by id; a VM never used sorts as the oldest'),
  order: z.enum(['asc', 'desc']).default('asc'),
});
type FilterQuery = z.output<typeof filterQuery>;

// A sort value as the database prints it: a lowercased name, or a time (timestamptz text; -infinity for never used).
const printedTime = z.iso.datetime({ offset: true });
const paging = sortedPaging<FilterQuery['sort']>(
  (sort, value) => sort === 'name' || value === '-infinity' || printedTime.safeParse(value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')).success,
);
const listInput = ({ order, ...filter }: FilterQuery) => ({ ...filter, descending: order === 'desc' });

const virtualMachineSchema = z
  .object({
    id: z.string().describe('Names the row for paging; a VM is its uuid on its installation'),
    uuid: z.string(),
    name: z.string(),
    guestOs: z.string().nullable(),
    state: z.enum(VM_STATES),
    architecture: z.enum(VM_ARCHITECTURES),
    lastUsedAt: z.string().nullable(),
    reportedAt: z.string().describe('When the check-in that last changed the inventory came'),
    installation: z.object({ id: z.string(), name: z.string(), state: z.enum(['active', 'deactivated']) }),
    key: z.object({ id: z.string(), name: z.string() }).nullable().describe('The license key of the installation (never its text); null when it was deleted'),
    group: z.object({ id: z.string(), name: z.string() }).nullable().describe('The user group whose sublicense the installation is on; null for none'),
  })
  .meta({ id: 'VirtualMachine' });

const present = (r: VirtualMachineRow): z.infer<typeof virtualMachineSchema> => ({
  id: r.id,
  uuid: r.uuid,
  name: r.name,
  guestOs: r.guest_os,
  state: r.state,
  architecture: r.architecture,
  lastUsedAt: iso(r.last_used_at),
  reportedAt: r.reported_at.toISOString(),
  installation: { id: r.installation_id, name: installationLabel({ alias: r.installation_alias, name: r.installation_name }), state: r.installation_state },
  key: r.license_key_id && r.key_name !== null ? { id: r.license_key_id, name: r.key_name } : null,
  group: r.group_id !== null && r.group_name !== null ? { id: r.group_id, name: r.group_name } : null,
});

const CELLS: Record<VmColumn, CsvColumn<VirtualMachineRow>['value']> = {
  name: (r) => r.name,
  guestOs: (r) => r.guest_os,
  state: (r) => vmStateLabel(r.state),
  architecture: (r) => r.architecture,
  lastUsedAt: (r) => iso(r.last_used_at),
  installation: (r) => installationLabel({ alias: r.installation_alias, name: r.installation_name }),
  key: (r) => r.key_name,
  uuid: (r) => r.uuid,
};
const csvColumns: CsvColumn<VirtualMachineRow>[] = (Object.keys(VM_COLUMN_LABELS) as VmColumn[]).map((c) => ({ header: VM_COLUMN_LABELS[c], value: CELLS[c] }));

export function virtualMachinesRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/accounts/:accountId/virtual-machines', {
      schema: {
        tags: ['installations'],
        summary: "The account's virtual machines as their installations last reported them: filters, search, sort, keyset paging",
        description: 'A License Administrator sees the VMs of the installations of the keys granted to them',
        params: accountIdParams,
        querystring: filterQuery.extend({ limit: pageQuery.limit, cursor: paging.cursor }).superRefine(paging.refine),
        response: { 200: z.object({ items: z.array(virtualMachineSchema), nextCursor: z.string().nullable() }), ...errors },
      },
      handler: async (req) => {
        const { limit, cursor, ...query } = req.query;
        const page = await listAccountVirtualMachines(deps, actorOf(req), req.params.accountId, { ...listInput(query), limit, after: cursor });
        return { items: page.items.map(present), nextCursor: paging.next(query, page.next) };
      },
    });

    app.get('/accounts/:accountId/virtual-machines.csv', {
      schema: {
        tags: ['installations'],
        summary: 'Download the list as shown (same filters and order) as CSV',
        params: accountIdParams,
        querystring: filterQuery,
        produces: ['text/csv'],
        response: { 200: z.string().meta({ description: `Columns: ${Object.values(VM_COLUMN_LABELS).join(', ')}; times ISO 8601 UTC` }), ...errors },
      },
      handler: async (req, reply) => {
        const rows = await exportAccountVirtualMachines(deps, actorOf(req), req.params.accountId, listInput(req.query));
        return sendCsv(reply, `virtual-machines-${deps.clock.now().toISOString().slice(0, 10)}.csv`, csvColumns, rows);
      },
    });
  };
}

import { accountPath, downloadHref } from '../api';
import { DataTable, sortableColumn } from '../data-table';
import { formatDateTime } from '../format';
import { useKeptState } from '../kept';
import { listAccountKeys } from '../key-data';
import { KeyOptions } from '../key-options';
import { GroupFilter } from '../group-filter';
import { Pager, usePages } from '../paging';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import { Badge, ChoiceFilter, Empty, Load, SearchBox, useLoad } from '../ui';
import { listVirtualMachines, vmFilters, type InstallationsFilter, type VirtualMachine, type VmQuery, type VmSortKey } from '../vm-data';
import { VM_COLUMN_LABELS, vmStateLabel } from '../../../src/domain/virtual-machine-columns';

const PAGE_SIZE = 50;
const INSTALLATIONS: [InstallationsFilter, string][] = [
  ['active', 'Active installations'],
  ['all', 'All, deactivated too'],
];
const STATE_TONES: Record<VirtualMachine['state'], string> = { running: 'active', paused: 'neutral', suspended: 'neutral', stopped: 'neutral' };

/** The page's own address with the key, user group and installation it is narrowed to. */
function pageHref(filters: { keyId?: string | null; groupId?: string | null; installationId?: string | null }): string {
  const params = new URLSearchParams(Object.entries(filters).flatMap(([name, value]) => (value ? [[name, value]] : [])));
  return `/virtual-machines${params.size ? `?${params}` : ''}`;
}

/**
 * The virtual machines the account's installations report at check-in (the Management Portal's
 * Virtual Machines): narrowed by key, user group and installation through the address, so that a
 * filtered list can be shared or reloaded.
 */
export function VirtualMachines({ keyId, groupId, installationId }: { keyId: string | null; groupId: string | null; installationId: string | null }) {
  const { account } = useSession();
  const kept = `vms:${keyId ?? ''}:${groupId ?? ''}:${installationId ?? ''}`;
  const [installations, setInstallations] = useKeptState<InstallationsFilter>(`${kept}:installations`, 'active');
  const [q, setQ] = useKeptState(`${kept}:q`, '');
  const [sort, setSort] = useKeptState<{ key: VmSortKey; order: 'asc' | 'desc' }>(`${kept}:sort`, { key: 'name', order: 'asc' });
  const [keys] = useLoad(() => listAccountKeys(account.id), [account.id]);
  const query: VmQuery = { keyId, groupId, installationId, installations, q, sort: sort.key, order: sort.order };
  const pages = usePages(`${kept}:pages`, (cursor) => listVirtualMachines(account.id, query, cursor, PAGE_SIZE), [keyId, groupId, installationId, installations, q, sort.key, sort.order]);
  const { state: page, reload } = pages;
  const sortBy = (key: VmSortKey) => setSort((s) => ({ key, order: s.key === key && s.order === 'asc' ? 'desc' : s.key === key ? 'asc' : key === 'name' ? 'asc' : 'desc' }));
  const installationName = page.status === 'ready' ? page.data.items.find((vm) => vm.installation.id === installationId)?.installation.name : undefined;

  return (
    <section>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link href="/">Dashboard</Link> › <span aria-current="page">Virtual Machines</span>
      </nav>
      <div className="page-head">
        <h1>Virtual Machines</h1>
        <p className="muted">The virtual machines on the computers of {account.name}, as each reported them at its last check-in.</p>
        {installationId && (
          <p>
            Showing the virtual machines of {installationName ?? 'one installation'}. <Link href={pageHref({ keyId, groupId })}>Show those of every installation</Link>
          </p>
        )}
      </div>

      <div className="toolbar">
        <label>
          License key
          <select value={keyId ?? ''} onChange={(e) => navigate(pageHref({ keyId: e.target.value || null, groupId, installationId }))}>
            <option value="">All keys</option>
            {keys.status === 'ready' && <KeyOptions keys={keys.data} />}
          </select>
        </label>
        <GroupFilter account={account} groupId={groupId} onChange={(next) => navigate(pageHref({ keyId, groupId: next, installationId }))} />
        <ChoiceFilter label="Installations" value={installations} choices={INSTALLATIONS} onChange={setInstallations} />
        <SearchBox kept={kept} label="Search virtual machines" placeholder="Name, guest OS, UUID, computer…" onSearch={setQ} />
        <a className="button secondary small push-right" href={downloadHref(`${accountPath(account.id)}/virtual-machines.csv`, vmFilters(query))} download>
          Export CSV
        </a>
      </div>

      <Load state={page} retry={reload} label="the virtual machines">
        {(data) => {
          if (data.items.length === 0) {
            return (
              <Empty>
                {q || keyId || groupId || installationId || installations !== 'active' ? (
                  <p>{q ? `No virtual machine matches “${q}”.` : 'No virtual machine matches these filters.'}</p>
                ) : (
                  <>
                    <h2>No virtual machines yet</h2>
                    <p>
                      Each computer running the Enterprise Edition reports its virtual machines when it checks in with the license server, at least every seven days. They appear
                      here after the next check-in; to report at once, run <code>keyline agent check-in --vms vms.json</code> (or the product&apos;s update-license) on the computer.
                    </p>
                  </>
                )}
              </Empty>
            );
          }
          return (
            <>
              <DataTable
                label="Virtual machines"
                rows={data.items}
                rowKey={(vm) => vm.id}
                columns={[
                  { ...sortableColumn(VM_COLUMN_LABELS.name, 'name', sort, sortBy), cell: (vm) => <strong>{vm.name}</strong> },
                  { header: VM_COLUMN_LABELS.guestOs, cell: (vm) => vm.guestOs ?? <span className="muted">unknown</span> },
                  { header: VM_COLUMN_LABELS.state, cell: (vm) => <Badge tone={STATE_TONES[vm.state]}>{vmStateLabel(vm.state)}</Badge> },
                  { header: VM_COLUMN_LABELS.architecture, cell: (vm) => vm.architecture },
                  {
                    ...sortableColumn(VM_COLUMN_LABELS.lastUsedAt, 'lastUsed', sort, sortBy),
                    cell: (vm) => (vm.lastUsedAt ? <time dateTime={vm.lastUsedAt}>{formatDateTime(vm.lastUsedAt)}</time> : <span className="muted">never</span>),
                  },
                  {
                    header: VM_COLUMN_LABELS.installation,
                    cell: (vm) => (
                      <>
                        <Link href={pageHref({ keyId, groupId, installationId: vm.installation.id })} aria-label={`Show only the virtual machines of ${vm.installation.name}`}>
                          {vm.installation.name}
                        </Link>
                        {vm.installation.state === 'deactivated' && <div className="muted small">deactivated</div>}
                      </>
                    ),
                  },
                  { header: VM_COLUMN_LABELS.key, cell: (vm) => vm.key?.name ?? <span className="muted">deleted</span> },
                  { header: VM_COLUMN_LABELS.uuid, className: 'wrap', cell: (vm) => <span className="mono">{vm.uuid}</span> },
                ]}
              />
              <Pager pages={pages} label="Virtual machines" />
            </>
          );
        }}
      </Load>
    </section>
  );
}

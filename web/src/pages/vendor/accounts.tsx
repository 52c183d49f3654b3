import { DataTable } from '../../data-table';
import { countryName, formatDate } from '../../format';
import { useKeptState } from '../../kept';
import { Link } from '../../router';
import { Badge, Empty, Load } from '../../ui';
import { Pager, PAGE_SIZE, usePages } from '../../paging';
import { vendor } from './vendor-api';

/** Customer accounts: found by part of the name, the support code or part of a member's email. */
export function Accounts() {
  const [typed, setTyped] = useKeptState('vendor-accounts:typed', '');
  const [search, setSearch] = useKeptState('vendor-accounts:search', '');
  const pages = usePages('vendor-accounts', (cursor) => vendor.accounts(search, cursor, PAGE_SIZE), [search]);
  return (
    <section>
      <div className="page-head">
        <h1>Customers</h1>
        <p className="muted">Customer accounts by name; open one for its members, subscriptions and offline activation.</p>
      </div>
      <form
        className="filters"
        role="search"
        aria-label="Customers"
        onSubmit={(e) => {
          e.preventDefault();
          setSearch(typed.trim());
        }}
      >
        <label>
          Search
          <input type="search" value={typed} onChange={(e) => setTyped(e.target.value)} placeholder="Name, support code or member email" />
        </label>
        <button className="button secondary">Search</button>
      </form>
      <Load state={pages.state} retry={pages.reload} label="the customers">
        {({ items }) =>
          items.length === 0 ? (
            <Empty>
              <p>{search ? `No customer account matches “${search}”.` : 'No customer accounts yet.'}</p>
            </Empty>
          ) : (
            <DataTable
              label="Customers"
              rows={items}
              rowKey={(a) => a.id}
              columns={[
                { header: 'Account', cell: (a) => <Link href={`/back-office/accounts/${a.id}`}>{a.name}</Link> },
                { header: 'Support code', cell: (a) => <code>{a.supportCode}</code> },
                { header: 'Kind', cell: (a) => (a.kind === 'business' ? 'Business' : 'Personal') },
                { header: 'Location', cell: (a) => [a.city, a.country && countryName(a.country)].filter(Boolean).join(', ') || <span className="muted">—</span> },
                { header: 'Offline activation', cell: (a) => (a.offlineActivationEnabled ? <Badge tone="active">On</Badge> : 'Off') },
                { header: 'Created', className: 'nowrap', cell: (a) => formatDate(a.createdAt) },
              ]}
            />
          )
        }
      </Load>
      <Pager pages={pages} label="Customers" />
    </section>
  );
}

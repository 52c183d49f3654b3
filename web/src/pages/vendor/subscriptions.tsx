import { DataTable } from '../../data-table';
import { formatDate, linesText, STATUS_LABELS } from '../../format';
import { useKeptState } from '../../kept';
import { Link } from '../../router';
import { Badge, Empty, Load } from '../../ui';
import { Pager, PAGE_SIZE, usePages } from '../../paging';
import { useCatalog } from './catalog';
import { CHANNEL_LABELS, vendor, type SubscriptionFilter } from './vendor-api';

const STATUSES: [SubscriptionFilter['status'], string][] = [
  ['all', 'All'],
  ['active', 'Active'],
  ['expiring_soon', 'Expiring soon'],
  ['expired', 'Expired'],
  ['suspended', 'Suspended'],
];

/** Every customer's subscriptions: search, filters, pages and the CSV of what matches. */
export function VendorSubscriptions() {
  const [typed, setTyped] = useKeptState('vendor-subscriptions:typed', '');
  const [filter, setFilter] = useKeptState<SubscriptionFilter>('vendor-subscriptions:filter', { search: '', status: 'all', channel: '', product: '' });
  const { products, names } = useCatalog();
  const pages = usePages('vendor-subscriptions', (cursor) => vendor.subscriptions(filter, cursor, PAGE_SIZE), [filter]);
  const change = (part: Partial<SubscriptionFilter>) => setFilter((f) => ({ ...f, ...part }));
  const filtered = filter.search !== '' || filter.status !== 'all' || filter.channel !== '' || filter.product !== '';

  return (
    <section>
      <div className="page-head">
        <h1>Subscriptions</h1>
        <p className="muted">Every customer's subscriptions, newest first.</p>
      </div>
      <form
        className="filters"
        role="search"
        aria-label="Subscriptions"
        onSubmit={(e) => {
          e.preventDefault();
          change({ search: typed.trim() });
        }}
      >
        <label>
          Search
          <input type="search" value={typed} onChange={(e) => setTyped(e.target.value)} placeholder="Customer email, name, key or support code" />
        </label>
        <button className="button secondary">Search</button>
        <label>
          Status
          <select value={filter.status} onChange={(e) => change({ status: e.target.value as SubscriptionFilter['status'] })}>
            {STATUSES.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Channel
          <select value={filter.channel} onChange={(e) => change({ channel: e.target.value as SubscriptionFilter['channel'] })}>
            <option value="">Any</option>
            {Object.entries(CHANNEL_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Product
          <select value={filter.product} onChange={(e) => change({ product: e.target.value })}>
            <option value="">Any</option>
            {products.map((p) => (
              <option key={p.code} value={p.code}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <a className="button secondary toolbar-end" href={vendor.csvHref(filter)} download>
          Export CSV
        </a>
      </form>
      <Load state={pages.state} retry={pages.reload} label="the subscriptions">
        {({ items }) =>
          items.length === 0 ? (
            <Empty>
              <p>{filtered ? 'No subscription matches these filters.' : 'No subscriptions yet. Place an order to create the first one.'}</p>
              {!filtered && (
                <Link className="button primary" href="/back-office/orders/new">
                  New order
                </Link>
              )}
            </Empty>
          ) : (
            <DataTable
              label="Subscriptions"
              rows={items}
              rowKey={(s) => s.id}
              columns={[
                { header: 'Subscription', cell: (s) => <Link href={`/back-office/subscriptions/${s.id}`}>{s.name}</Link> },
                {
                  header: 'Customer',
                  cell: (s) => (
                    <>
                      {s.customerEmail}
                      {s.account ? (
                        <div className="small">
                          <Link href={`/back-office/accounts/${s.account.id}`}>{s.account.name}</Link> <span className="muted">· {s.account.supportCode}</span>
                        </div>
                      ) : (
                        <div className="small muted">Key not registered yet</div>
                      )}
                    </>
                  ),
                },
                { header: 'Status', cell: (s) => <Badge tone={s.status}>{STATUS_LABELS[s.status]}</Badge> },
                { header: 'Channel', cell: (s) => CHANNEL_LABELS[s.channel] },
                { header: 'Expires', className: 'nowrap', cell: (s) => formatDate(s.expiresAt) },
                { header: 'Products', cell: (s) => linesText(s.items, names) },
              ]}
            />
          )
        }
      </Load>
      <Pager pages={pages} label="Subscriptions" />
    </section>
  );
}

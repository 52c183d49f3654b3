import { OrderKind } from '../../cells';
import { DataTable } from '../../data-table';
import { formatDate, formatDateTime, linesText } from '../../format';
import { Link } from '../../router';
import { Empty, Load } from '../../ui';
import { Pager, PAGE_SIZE, usePages } from '../../paging';
import { useCatalog } from './catalog';
import { CHANNEL_LABELS, vendor } from './vendor-api';

/** Every order of every customer, newest first: new subscriptions, renewals, added licenses, trials. */
export function Orders() {
  const pages = usePages('vendor-orders', (cursor) => vendor.orders(cursor, PAGE_SIZE), []);
  const { names } = useCatalog();
  return (
    <section>
      <div className="page-head">
        <h1>Orders</h1>
        <p className="muted">Every order of every customer, newest first.</p>
      </div>
      <Load state={pages.state} retry={pages.reload} label="the orders">
        {({ items }) =>
          items.length === 0 ? (
            <Empty>
              <p>No orders yet.</p>
              <Link className="button primary" href="/back-office/orders/new">
                New order
              </Link>
            </Empty>
          ) : (
            <DataTable
              label="Orders"
              rows={items}
              rowKey={(o) => o.id}
              columns={[
                {
                  header: 'Order',
                  cell: (o) => (
                    <Link href={`/back-office/subscriptions/${o.subscriptionId}`} aria-label={`Order ${o.number}: open its subscription`}>
                      #{o.number}
                    </Link>
                  ),
                },
                { header: 'Date', className: 'nowrap', cell: (o) => formatDateTime(o.createdAt) },
                { header: 'Kind', cell: (o) => <OrderKind order={o} /> },
                { header: 'Items', cell: (o) => linesText(o.items, names) },
                { header: 'Channel', cell: (o) => CHANNEL_LABELS[o.channel] },
                { header: 'New expiration', className: 'nowrap', cell: (o) => formatDate(o.newExpiresAt) },
                { header: 'Placed by', cell: (o) => o.placedBy ?? <span className="muted">—</span> },
              ]}
            />
          )
        }
      </Load>
      <Pager pages={pages} label="Orders" />
    </section>
  );
}

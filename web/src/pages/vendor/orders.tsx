import { DURATION_LABELS, formatDate, formatDateTime, ORDER_LABELS } from '../../format';
import { Link } from '../../router';
import { Empty, Load } from '../../ui';
import { Pager, PAGE_SIZE, usePages } from '../../paging';
import { CHANNEL_LABELS, linesText, vendor } from './vendor-api';

/** Every order of every customer, newest first: new subscriptions, renewals, added licenses, trials. */
export function Orders() {
  const pages = usePages('vendor-orders', (cursor) => vendor.orders(cursor, PAGE_SIZE), []);
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
            <div className="table-wrap">
              <table className="stack" aria-label="Orders">
                <thead>
                  <tr>
                    <th scope="col">Order</th>
                    <th scope="col">Date</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Items</th>
                    <th scope="col">Channel</th>
                    <th scope="col">New expiration</th>
                    <th scope="col">Placed by</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((o) => (
                    <tr key={o.id}>
                      <td>
                        <Link href={`/back-office/subscriptions/${o.subscriptionId}`} aria-label={`Order ${o.number}: open its subscription`}>
                          #{o.number}
                        </Link>
                      </td>
                      <td data-label="Date" className="nowrap">{formatDateTime(o.createdAt)}</td>
                      <td data-label="Kind">
                        {ORDER_LABELS[o.kind]}
                        {o.duration && <span className="muted"> · {DURATION_LABELS[o.duration]}</span>}
                      </td>
                      <td data-label="Items">{linesText(o.items)}</td>
                      <td data-label="Channel">{CHANNEL_LABELS[o.channel]}</td>
                      <td data-label="New expiration" className="nowrap">{formatDate(o.newExpiresAt)}</td>
                      <td data-label="Placed by">{o.placedBy ?? <span className="muted">—</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Load>
      <Pager pages={pages} label="Orders" />
    </section>
  );
}

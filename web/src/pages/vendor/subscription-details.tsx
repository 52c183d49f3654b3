import { useState } from 'react';
import { ApiError } from '../../api';
import { FullKey, OrderKind, ProductName } from '../../cells';
import { DataTable } from '../../data-table';
import { FormError, SelectField, useForm } from '../../forms';
import { DURATION_LABELS, formatDate, formatDateTime, KIND_LABELS, linesText, STATUS_LABELS } from '../../format';
import { Link } from '../../router';
import { endSentence } from '../../../../src/domain/sentence';
import { Badge, ConfirmDialog, Dialog, DialogActions, Empty, Load, useLoad } from '../../ui';
import { OrderLinesEditor, useOrderLines } from './order-lines';
import { useCatalog } from './catalog';
import { CHANNEL_LABELS, PLAN_LABELS, vendor, type Duration, type VendorSubscriptionDetails } from './vendor-api';

type Action = 'renew' | 'add' | 'suspend';

function RenewForm({ d, onDone, onCancel }: { d: VendorSubscriptionDetails; onDone(message: string): void; onCancel(): void }) {
  const online = d.subscription.channel === 'online';
  const form = useForm({ duration: '1y' }, { duration: (v) => (v === '1m' && !online ? '1 month is sold only for online subscriptions' : null) }, { draft: `vendor-renew:${d.subscription.id}` });
  return (
    <form
      noValidate
      onSubmit={form.submit(async ({ duration }) => {
        const { order } = await vendor.renew(d.subscription.id, duration as Duration);
        onDone(`Renewed for ${DURATION_LABELS[duration as Duration]}: now until ${formatDate(order.newExpiresAt)}.`);
      })}
    >
      <p>
        Expires {formatDate(d.subscription.expiresAt)}. A renewal extends it from that date while it runs, from today once it has expired.
      </p>
      <FormError message={form.formError} />
      <SelectField label="Duration" field={form.field('duration')}>
        {(Object.entries(DURATION_LABELS) as [Duration, string][]).map(([value, label]) => (
          <option key={value} value={value} disabled={value === '1m' && !online}>
            {label}
          </option>
        ))}
      </SelectField>
      <DialogActions onCancel={onCancel} disabled={form.submitting} label="Renew" />
    </form>
  );
}

function AddLicensesForm({ d, onDone, onCancel }: { d: VendorSubscriptionDetails; onDone(message: string): void; onCancel(): void }) {
  const { products, names } = useCatalog();
  const lines = useOrderLines(products, `vendor-add-licenses:${d.subscription.id}`);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        setError(null);
        const items = lines.valid();
        if (!items) return;
        setBusy(true);
        try {
          await vendor.addLicenses(d.subscription.id, items);
          lines.sent();
          onDone(endSentence(`Added ${linesText(items, names)}`));
        } catch (err) {
          if (!lines.serverErrors(err)) setError(err instanceof ApiError ? err.message : 'Something went wrong');
          setBusy(false);
        }
      }}
    >
      <p>Seats are added to the product's line; a product the subscription does not hold yet becomes a new line.</p>
      <FormError message={error} />
      <OrderLinesEditor lines={lines} catalog={products} />
      <DialogActions onCancel={onCancel} disabled={busy} label="Add licenses" />
    </form>
  );
}

function KeysSummary({ d }: { d: VendorSubscriptionDetails }) {
  if (d.keys.length === 0) return <Empty>This subscription has no license keys.</Empty>;
  const primary = d.keys.filter((k) => k.kind === 'primary');
  const others = d.keys.filter((k) => k.kind !== 'primary');
  const count = (kind: 'dynamic' | 'reserved') => others.filter((k) => k.kind === kind).length;
  return (
    <>
      <DataTable
        label="Primary keys"
        rows={primary}
        rowKey={(k) => k.id}
        columns={[
          { header: 'Primary key', cell: (k) => <FullKey row={k} /> },
          { header: 'Product', cell: (k) => d.products.find((p) => p.itemId === k.itemId)?.productName },
          { header: 'Quota', className: 'num', cell: (k) => k.quota },
          { header: 'Used', className: 'num', cell: (k) => k.used },
          { header: 'Available', className: 'num', cell: (k) => k.available },
        ]}
      />
      <p className="muted">
        {others.length === 0
          ? 'The customer has created no additional keys.'
          : `The customer created ${others.length} additional key${others.length === 1 ? '' : 's'}: ${count('dynamic')} ${KIND_LABELS.dynamic.toLowerCase()}, ${count('reserved')} ${KIND_LABELS.reserved.toLowerCase()} (${others.reduce((n, k) => n + k.used, 0)} installations).`}
      </p>
    </>
  );
}

/** One subscription as the vendor sees it, with the sales actions: renew, add licenses, suspend or resume. */
export function VendorSubscriptionPage({ subscriptionId }: { subscriptionId: string }) {
  const [state, reload] = useLoad(() => vendor.subscription(subscriptionId), [subscriptionId]);
  const { names } = useCatalog();
  const [action, setAction] = useState<Action | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const done = (message: string) => {
    setAction(null);
    setNotice(message);
    reload();
  };
  const open = (a: Action) => () => {
    setNotice(null);
    setError(null);
    setAction(a);
  };

  return (
    <section>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link href="/back-office/subscriptions">Subscriptions</Link> › <span aria-current="page">Subscription</span>
      </nav>
      <Load state={state} retry={reload} label="the subscription">
        {(d) => {
          const s = d.subscription;
          const trial = s.channel === 'trial';
          return (
            <>
              <div className="page-head">
                <h1>
                  {s.name} <Badge tone={s.status}>{STATUS_LABELS[s.status]}</Badge>
                </h1>
              </div>
              <div className="actions-bar">
                <button type="button" className="button primary" disabled={trial} onClick={open('renew')}>
                  Renew
                </button>
                <button type="button" className="button secondary" disabled={trial} onClick={open('add')}>
                  Add licenses
                </button>
                {s.status === 'suspended' ? (
                  <button
                    type="button"
                    className="button secondary"
                    onClick={async () => {
                      setError(null);
                      try {
                        await vendor.resume(s.id);
                        done('The subscription is running again.');
                      } catch (err) {
                        setError(err instanceof ApiError ? err.message : 'Something went wrong');
                      }
                    }}
                  >
                    Resume
                  </button>
                ) : (
                  <button type="button" className="button secondary danger-text" onClick={open('suspend')}>
                    Suspend
                  </button>
                )}
              </div>
              {trial && <p className="muted">A trial is not renewed or enlarged: place an order for the customer instead.</p>}
              {notice && (
                <p className="notice" role="status">
                  {notice}
                </p>
              )}
              <FormError message={error} />
              <dl className="facts">
                <div>
                  <dt>Customer email</dt>
                  <dd>{d.contract.customerEmail}</dd>
                </div>
                <div>
                  <dt>Account</dt>
                  <dd>
                    {d.account ? (
                      <>
                        <Link href={`/back-office/accounts/${d.account.id}`}>{d.account.name}</Link> <span className="muted">({d.account.supportCode})</span>
                      </>
                    ) : (
                      <span className="muted">Not registered yet</span>
                    )}
                  </dd>
                </div>
                <div>
                  <dt>Starts</dt>
                  <dd>{formatDate(s.startsAt)}</dd>
                </div>
                <div>
                  <dt>Expires</dt>
                  <dd>{formatDate(s.expiresAt)}</dd>
                </div>
                <div>
                  <dt>Channel</dt>
                  <dd>{CHANNEL_LABELS[s.channel]}</dd>
                </div>
                <div>
                  <dt>Support plan</dt>
                  <dd>{PLAN_LABELS[s.supportPlan]}</dd>
                </div>
                <div>
                  <dt>Auto-renew</dt>
                  <dd>{s.autoRenew ? 'On' : 'Off'}</dd>
                </div>
                <div>
                  <dt>Registered</dt>
                  <dd>{s.registeredAt ? formatDate(s.registeredAt) : '—'}</dd>
                </div>
              </dl>

              <h2>Products</h2>
              <DataTable
                label="Products"
                rows={d.products}
                rowKey={(p) => p.itemId}
                columns={[
                  { header: 'Product', cell: (p) => <ProductName product={p} /> },
                  { header: 'Licenses', className: 'num', cell: (p) => p.quantity },
                  { header: 'Used', className: 'num', cell: (p) => p.used },
                  { header: 'Free in main pool', className: 'num', cell: (p) => p.availableInMainPool },
                  { header: 'Free in reserved keys', className: 'num', cell: (p) => p.availableInReservedKeys },
                ]}
              />

              <h2>License keys</h2>
              <KeysSummary d={d} />

              <h2>Order history</h2>
              {d.orders.length === 0 ? (
                <Empty>No orders recorded.</Empty>
              ) : (
                <DataTable
                  label="Order history"
                  rows={d.orders}
                  rowKey={(o) => o.number}
                  columns={[
                    { header: 'Order', cell: (o) => `#${o.number}` },
                    { header: 'Date', cell: (o) => formatDateTime(o.createdAt) },
                    { header: 'Kind', cell: (o) => <OrderKind order={o} /> },
                    { header: 'Items', cell: (o) => linesText(o.items, names) },
                    { header: 'New expiration', cell: (o) => formatDate(o.newExpiresAt) },
                  ]}
                />
              )}

              {action === 'renew' && (
                <Dialog title="Renew subscription" onClose={() => setAction(null)}>
                  <RenewForm d={d} onDone={done} onCancel={() => setAction(null)} />
                </Dialog>
              )}
              {action === 'add' && (
                <Dialog title="Add licenses" onClose={() => setAction(null)}>
                  <AddLicensesForm d={d} onDone={done} onCancel={() => setAction(null)} />
                </Dialog>
              )}
              {action === 'suspend' && (
                <ConfirmDialog
                  title="Suspend subscription"
                  action="Suspend"
                  onCancel={() => setAction(null)}
                  onConfirm={async () => {
                    await vendor.suspend(d.subscription.id);
                    done('The subscription is suspended.');
                  }}
                >
                  <p>
                    Suspend <strong>{d.subscription.name}</strong>? Its keys stop activating until you resume it.
                  </p>
                </ConfirmDialog>
              )}
            </>
          );
        }}
      </Load>
    </section>
  );
}

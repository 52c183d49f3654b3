import { useState } from 'react';
import { ApiError } from '../../api';
import { FullKey, OrderKind, ProductName } from '../../cells';
import { DataTable } from '../../data-table';
import { FormError, SelectField, TextField, useForm } from '../../forms';
import { DURATION_LABELS, formatDate, formatDateTime, KIND_LABELS, linesText, STATUS_LABELS } from '../../format';
import { Link } from '../../router';
import { endSentence } from '../../../../src/domain/sentence';
import { Badge, ConfirmDialog, Dialog, DialogActions, Empty, Load, useLoad } from '../../ui';
import { editionLabel } from '../subscription-editions';
import { OrderLinesEditor, useOrderLines } from './order-lines';
import { useCatalog } from './catalog';
import { CHANNEL_LABELS, PLAN_LABELS, vendor, type Duration, type VendorSubscriptionDetails } from './vendor-api';

type Action = 'renew' | 'add' | 'suspend' | 'convert' | 'permanent';

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

/** The guide's other path: the trial becomes a normal subscription, sold from today on these terms. */
function MakePermanentForm({ d, onDone, onCancel }: { d: VendorSubscriptionDetails; onDone(message: string): void; onCancel(): void }) {
  const form = useForm(
    { quantity: String(d.products[0]?.quantity ?? 1), duration: '1y', channel: 'reseller', supportPlan: d.subscription.supportPlan as string },
    {
      quantity: (v) => (/^\d+$/.test(v.trim()) && Number(v) >= 1 ? null : 'must be a whole number of at least 1'),
      duration: (v, all) => (v === '1m' && all.channel !== 'online' ? '1 month is sold only in online orders' : null),
    },
    { draft: `vendor-permanent:${d.subscription.id}` },
  );
  return (
    <form
      noValidate
      onSubmit={form.submit(async ({ quantity, duration, channel, supportPlan }) => {
        const made = await vendor.makePermanent(d.subscription.id, {
          quantity: Number(quantity),
          duration: duration as Duration,
          channel: channel as 'online' | 'reseller',
          supportPlan: supportPlan as 'standard' | 'premium',
        });
        onDone(`The trial is a ${CHANNEL_LABELS[made.subscription.channel].toLowerCase()} subscription now, until ${formatDate(made.subscription.expiresAt)} (order #${made.order.number}).`);
      })}
    >
      <p>Its keys and installations stay; the subscription it was started beside stays as it is. The term runs from today.</p>
      <FormError message={form.formError} />
      <TextField label="Licenses" inputMode="numeric" hint={`${d.products[0]?.used ?? 0} in use now`} field={form.field('quantity')} />
      <SelectField label="Duration" field={form.field('duration')}>
        {(Object.entries(DURATION_LABELS) as [Duration, string][]).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </SelectField>
      <SelectField label="Channel" field={form.field('channel')}>
        <option value="reseller">{CHANNEL_LABELS.reseller}</option>
        <option value="online">{CHANNEL_LABELS.online}</option>
      </SelectField>
      <SelectField label="Support plan" field={form.field('supportPlan')}>
        <option value="standard">{PLAN_LABELS.standard}</option>
        <option value="premium">{PLAN_LABELS.premium}</option>
      </SelectField>
      <DialogActions onCancel={onCancel} disabled={form.submitting} label="Make permanent" />
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
          const { upgrade, trial: editionTrial, trialOf } = d.editions;
          const convertible = upgrade !== null && !upgrade.converted;
          const edition = upgrade && editionLabel(upgrade.productName);
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
                {convertible && (
                  <button type="button" className="button secondary" onClick={open('convert')}>
                    Convert to {edition}
                  </button>
                )}
                {convertible && !editionTrial && d.account && (
                  <button
                    type="button"
                    className="button secondary"
                    onClick={async () => {
                      setError(null);
                      try {
                        const started = await vendor.startEditionTrial(s.id);
                        done(`Trial started: ${started.subscription.name}, key ${started.primaryKey.key}, emailed to ${started.subscription.customerEmail}.`);
                      } catch (err) {
                        setError(err instanceof ApiError ? err.message : 'Something went wrong');
                      }
                    }}
                  >
                    Start {edition} trial
                  </button>
                )}
                {trial && (
                  <button type="button" className="button secondary" onClick={open('permanent')}>
                    Make permanent
                  </button>
                )}
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
              {trial && <p className="muted">A trial is not renewed or enlarged: make it permanent, or place an order for the customer instead.</p>}
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
                {upgrade && (
                  <div>
                    <dt>{upgrade.converted ? 'Converted to' : 'Upgrades to'}</dt>
                    <dd>{upgrade.productName}</dd>
                  </div>
                )}
                {editionTrial && (
                  <div>
                    <dt>{editionTrial.channel === 'trial' ? `${edition} trial` : `${edition} (was its trial)`}</dt>
                    <dd>
                      <Link href={`/back-office/subscriptions/${editionTrial.id}`}>{STATUS_LABELS[editionTrial.status]}</Link>{' '}
                      <span className="muted">(until {formatDate(editionTrial.expiresAt)})</span>
                    </dd>
                  </div>
                )}
                {trialOf && (
                  <div>
                    <dt>{trial ? 'Trial beside' : 'Started as a trial beside'}</dt>
                    <dd>
                      <Link href={`/back-office/subscriptions/${trialOf.id}`}>{trialOf.name}</Link>
                    </dd>
                  </div>
                )}
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
              {action === 'permanent' && (
                <Dialog title="Make the trial permanent" onClose={() => setAction(null)}>
                  <MakePermanentForm d={d} onDone={done} onCancel={() => setAction(null)} />
                </Dialog>
              )}
              {action === 'convert' && upgrade && (
                <ConfirmDialog
                  title={`Convert to ${edition}`}
                  action="Convert"
                  onCancel={() => setAction(null)}
                  onConfirm={async () => {
                    const converted = await vendor.convert(d.subscription.id);
                    const suspended = converted.trials.length > 0 ? ' The trial beside it is suspended.' : '';
                    const n = converted.installations;
                    const installations = n === 1 ? '1 active installation keeps its key and gets' : `${n} active installations keep their keys and get`;
                    done(`Converted to ${upgrade.productName}: ${installations} the new edition at the next check-in.${suspended}`);
                  }}
                >
                  <p>
                    Convert <strong>{d.subscription.name}</strong> to {upgrade.productName}? Its license keys, seats and installations stay; each installation runs as {edition} from its next
                    check-in, and its keys keep their configuration profiles. {editionTrial ? `The account's ${edition} trial is suspended.` : ''} This cannot be undone.
                  </p>
                </ConfirmDialog>
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

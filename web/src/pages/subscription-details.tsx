import { useState } from 'react';
import { ActionsMenu } from '../actions-menu';
import { answer, api, ApiError, type LicenseKeyRow, type ProductSeats, type SubscriptionDetails } from '../api';
import { OrderKind, ProductName } from '../cells';
import { DataTable } from '../data-table';
import { Choice, FormError, rules, SelectField, TextField, useForm } from '../forms';
import { dateInputValue, formatDate, formatDateTime, KIND_LABELS, linesText, STATUS_LABELS } from '../format';
import { Link } from '../router';
import { useSession } from '../session';
import { getSubscription, withSeats } from '../subscription-data';
import { KeyAdmins } from './key-admins';
import { BuyMoreLicenses, RenameSubscription, RenewSubscription } from './subscription-actions';
import { Badge, ConfirmDialog, Dialog, DialogActions, Empty, Load, useLoad } from '../ui';

type KeyDialog =
  | { mode: 'create' }
  | { mode: 'edit'; key: LicenseKeyRow }
  | { mode: 'delete'; key: LicenseKeyRow }
  | { mode: 'admins'; key: LicenseKeyRow }
  | { mode: 'rename' | 'renew' | 'buy' };

const quotaRule = (v: string) => (!/^\d+$/.test(v.trim()) ? 'must be a whole number' : Number(v) < 1 ? 'must be at least 1' : null);
const dateRule = (v: string, all: { expires: string }) =>
  all.expires !== 'custom' ? null : !v ? 'is required' : new Date(`${v}T23:59:59`) <= new Date() ? 'must be in the future' : null;
/** A custom expiration date means the end of that day, where the user is. */
const endOfDay = (date: string) => new Date(`${date}T23:59:59`).toISOString();

function KeyForm({ details, accountId, dialog, onDone, onCancel }: { details: SubscriptionDetails; accountId: string; dialog: Extract<KeyDialog, { mode: 'create' | 'edit' }>; onDone(seats: ProductSeats): void; onCancel(): void }) {
  const editing = dialog.mode === 'edit' ? dialog.key : null;
  const form = useForm(
    {
      itemId: editing?.itemId ?? details.products[0]?.itemId ?? '',
      name: editing?.name ?? '',
      kind: 'dynamic',
      quota: editing ? String(editing.quota) : '1',
      expires: editing && !editing.renewsWithSubscription ? 'custom' : 'subscription',
      date: editing && !editing.renewsWithSubscription ? editing.expiresAt.slice(0, 10) : dateInputValue(30),
    },
    { itemId: rules.required, name: rules.required, quota: quotaRule, date: dateRule },
    { draft: `license-key:${details.subscription.id}:${editing?.id ?? 'new'}`, serverNames: { date: 'expiresAt' } },
  );
  const v = form.values;
  return (
    <form
      noValidate
      onSubmit={form.submit(async (values) => {
        const common = { name: values.name.trim(), quota: Number(values.quota), expiresAt: values.expires === 'custom' ? endOfDay(values.date) : null };
        const subscription = { accountId, subscriptionId: details.subscription.id };
        const changed = editing
          ? await answer(api.PATCH('/api/v1/accounts/{accountId}/subscriptions/{subscriptionId}/keys/{keyId}', { params: { path: { ...subscription, keyId: editing.id } }, body: common }))
          : await answer(api.POST('/api/v1/accounts/{accountId}/subscriptions/{subscriptionId}/keys', { params: { path: subscription }, body: { itemId: values.itemId, kind: values.kind === 'reserved' ? 'reserved' : 'dynamic', ...common } }));
        onDone(changed.seats);
      })}
    >
      <FormError message={form.formError} />
      {!editing && details.products.length > 1 && (
        <SelectField label="Product" field={form.field('itemId')}>
          {details.products.map((p) => (
            <option key={p.itemId} value={p.itemId}>
              {p.productName}
              {p.licenseType ? ` (${p.licenseType})` : ''}
            </option>
          ))}
        </SelectField>
      )}
      <TextField label="Name" hint="For example the team or office that will use it" field={form.field('name')} />
      {!editing && (
        <fieldset className="choices">
          <legend>Type</legend>
          <Choice name="kind" label="Dynamic" hint="Shares the free seats of the subscription, up to its quota" checked={v.kind === 'dynamic'} onSelect={() => form.set('kind', 'dynamic')} />
          <Choice name="kind" label="Reserved" hint="Sets its quota of seats aside for this key only" checked={v.kind === 'reserved'} onSelect={() => form.set('kind', 'reserved')} />
        </fieldset>
      )}
      <TextField label="Quota" type="number" inputMode="numeric" min={1} hint="How many installations may use this key" field={form.field('quota')} />
      <fieldset className="choices">
        <legend>Expiration</legend>
        <Choice name="expires" label="With the subscription" hint="Follows its renewals" checked={v.expires === 'subscription'} onSelect={() => form.set('expires', 'subscription')} />
        <Choice name="expires" label="On a date of my choice" checked={v.expires === 'custom'} onSelect={() => form.set('expires', 'custom')} />
      </fieldset>
      {v.expires === 'custom' && <TextField label="Expires on" type="date" min={dateInputValue(1)} field={form.field('date')} />}
      <DialogActions label={editing ? 'Save changes' : 'Create license key'} disabled={form.submitting} onCancel={onCancel} />
    </form>
  );
}

function AutoRenew({ details, accountId, onChanged }: { details: SubscriptionDetails; accountId: string; onChanged(subscription: SubscriptionDetails['subscription']): void }) {
  const [error, setError] = useState<string | null>(null);
  const s = details.subscription;
  if (s.channel !== 'online') return <>{s.autoRenew ? 'On' : 'Off'}</>;
  return (
    <label className="inline-check">
      <input
        type="checkbox"
        checked={s.autoRenew}
        onChange={async (e) => {
          setError(null);
          try {
            const changed = await answer(api.PATCH('/api/v1/accounts/{accountId}/subscriptions/{subscriptionId}', { params: { path: { accountId, subscriptionId: s.id } }, body: { autoRenew: e.target.checked } }));
            onChanged(changed.subscription);
          } catch (err) {
            setError(err instanceof ApiError ? err.message : 'Something went wrong');
          }
        }}
      />{' '}
      Renew automatically
      {error && <span className="field-error"> {error}</span>}
    </label>
  );
}

export function SubscriptionDetailsPage({ accountId, subscriptionId }: { accountId: string; subscriptionId: string }) {
  const { account } = useSession();
  const [state, reload, change] = useLoad(() => getSubscription(accountId, subscriptionId), [accountId, subscriptionId]);
  const [dialog, setDialog] = useState<KeyDialog | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const canManage = account.id === accountId && account.role === 'admin';
  const open = (next: KeyDialog) => {
    setNotice(null);
    setDialog(next);
  };
  const finish = (message: string) => (apply: (details: SubscriptionDetails) => SubscriptionDetails) => {
    setDialog(null);
    setNotice(message);
    change(apply);
  };
  const finishWithSeats = (message: string) => (seats: ProductSeats) => finish(message)((d) => withSeats(d, seats));

  return (
    <section>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link href="/">Dashboard</Link> › <Link href="/subscriptions">Subscriptions</Link> › <span aria-current="page">Subscription details</span>
      </nav>
      <Load state={state} retry={reload} label="the subscription">
        {(d) => {
          const s = d.subscription;
          const productOf = (itemId: string) => d.products.find((p) => p.itemId === itemId);
          return (
            <>
              <div className="page-head page-head-actions">
                <h1>
                  {s.name} <Badge tone={s.status}>{STATUS_LABELS[s.status]}</Badge>
                </h1>
                {canManage && (
                  <div className="head-links">
                    <button type="button" className="button secondary small" onClick={() => open({ mode: 'rename' })}>
                      Rename
                    </button>
                    <button type="button" className="button secondary small" onClick={() => open({ mode: 'renew' })}>
                      Renew
                    </button>
                    <button type="button" className="button secondary small" onClick={() => open({ mode: 'buy' })}>
                      Buy more licenses
                    </button>
                  </div>
                )}
              </div>
              <dl className="facts">
                <div>
                  <dt>Status</dt>
                  <dd>{STATUS_LABELS[s.status]}</dd>
                </div>
                <div>
                  <dt>Activated</dt>
                  <dd>{formatDate(s.startsAt)}</dd>
                </div>
                <div>
                  <dt>Expires</dt>
                  <dd>{formatDate(s.expiresAt)}</dd>
                </div>
                <div>
                  <dt>Auto-renew</dt>
                  <dd>
                    <AutoRenew details={d} accountId={accountId} onChanged={(subscription) => change((current) => ({ ...current, subscription }))} />
                  </dd>
                </div>
                <div>
                  <dt>Support plan</dt>
                  <dd>{s.supportPlan === 'premium' ? 'Premium' : 'Standard'}</dd>
                </div>
                <div>
                  <dt>Purchased</dt>
                  <dd>{s.channel === 'online' ? 'Online' : s.channel === 'reseller' ? 'From a reseller' : 'Trial'}</dd>
                </div>
                <div>
                  <dt>Contract email</dt>
                  <dd>{d.contract.customerEmail}</dd>
                </div>
              </dl>

              <h2 id="products-title">Products</h2>
              <DataTable
                labelledBy="products-title"
                rows={d.products}
                rowKey={(p) => p.itemId}
                columns={[
                  { header: 'Product', cell: (p) => <ProductName product={p} /> },
                  { header: 'Licenses', className: 'num', cell: (p) => p.quantity },
                  { header: 'Used', className: 'num', cell: (p) => p.used },
                  { header: 'Available in main pool', className: 'num', cell: (p) => p.availableInMainPool },
                  { header: 'Available in reserved keys', className: 'num', cell: (p) => p.availableInReservedKeys },
                ]}
              />

              <div className="section-head">
                <h2 id="keys-title">License Keys</h2>
                {canManage && (
                  <button type="button" className="button primary" onClick={() => open({ mode: 'create' })}>
                    Create License Key
                  </button>
                )}
              </div>
              {canManage && <p className="muted">Hand out additional keys rather than the primary one: a leaked additional key is replaced without touching the others.</p>}
              {notice && (
                <p className="notice" role="status">
                  {notice}
                </p>
              )}
              {d.keys.length === 0 ? (
                <Empty>
                  <p>You see no license keys of this subscription.</p>
                </Empty>
              ) : (
                <DataTable
                  labelledBy="keys-title"
                  rows={d.keys}
                  rowKey={(k) => k.id}
                  columns={[
                    {
                      header: 'Name',
                      cell: (k) => (
                        <>
                          {k.name}
                          {d.products.length > 1 && <div className="muted small">{productOf(k.itemId)?.productName}</div>}
                        </>
                      ),
                    },
                    { header: 'License key', cell: (k) => <code>{k.key}</code> },
                    { header: 'Type', cell: (k) => KIND_LABELS[k.kind] },
                    { header: 'Quota', className: 'num', cell: (k) => k.quota },
                    { header: 'Used', className: 'num', cell: (k) => k.used },
                    { header: 'Available', className: 'num', cell: (k) => k.available },
                    {
                      header: 'Expires',
                      cell: (k) => (
                        <>
                          {formatDate(k.expiresAt)}
                          {k.renewsWithSubscription && k.kind !== 'primary' && <div className="muted small">with subscription</div>}
                        </>
                      ),
                    },
                  ]}
                  actions={
                    canManage
                      ? (k) => (
                          <ActionsMenu
                            rowName={k.name}
                            actions={[
                              { label: 'Installations', href: `/installations?keyId=${k.id}` },
                              account.kind === 'business' && { label: 'License Administrators', onSelect: () => open({ mode: 'admins', key: k }) },
                              k.kind !== 'primary' && { label: 'Edit', onSelect: () => open({ mode: 'edit', key: k }) },
                              k.kind !== 'primary' && { label: 'Delete', danger: true, onSelect: () => open({ mode: 'delete', key: k }) },
                            ]}
                          />
                        )
                      : undefined
                  }
                />
              )}

              <h2 id="orders-title">Order history</h2>
              {d.orders.length === 0 ? (
                <Empty>
                  <p>No orders recorded.</p>
                </Empty>
              ) : (
                <DataTable
                  labelledBy="orders-title"
                  rows={d.orders}
                  rowKey={(o) => o.number}
                  columns={[
                    { header: 'Order', cell: (o) => `#${o.number}` },
                    { header: 'Date', cell: (o) => formatDateTime(o.createdAt) },
                    { header: 'Kind', cell: (o) => <OrderKind order={o} /> },
                    { header: 'Items', cell: (o) => linesText(o.items) },
                    { header: 'New expiration', cell: (o) => formatDate(o.newExpiresAt) },
                  ]}
                />
              )}

              {dialog?.mode === 'rename' && (
                <Dialog title="Rename subscription" onClose={() => setDialog(null)}>
                  <RenameSubscription details={d} accountId={accountId} onCancel={() => setDialog(null)} onDone={finish('The subscription was renamed.')} />
                </Dialog>
              )}
              {dialog?.mode === 'renew' && (
                <Dialog title="Renew subscription" onClose={() => setDialog(null)}>
                  <RenewSubscription details={d} accountId={accountId} onCancel={() => setDialog(null)} onDone={finish('The subscription was renewed.')} />
                </Dialog>
              )}
              {dialog?.mode === 'buy' && (
                <Dialog title="Buy more licenses" onClose={() => setDialog(null)}>
                  <BuyMoreLicenses details={d} accountId={accountId} onCancel={() => setDialog(null)} onDone={finish('The licenses were added.')} />
                </Dialog>
              )}
              {dialog?.mode === 'admins' && (
                <Dialog title={`License Administrators of ${dialog.key.name}`} onClose={() => setDialog(null)}>
                  <KeyAdmins accountId={accountId} subscriptionId={s.id} keyRow={dialog.key} onClose={() => setDialog(null)} />
                </Dialog>
              )}
              {dialog?.mode === 'delete' && (
                <ConfirmDialog
                  title="Delete license key"
                  action="Delete license key"
                  onCancel={() => setDialog(null)}
                  onConfirm={async () => {
                    const deleted = await answer(api.DELETE('/api/v1/accounts/{accountId}/subscriptions/{subscriptionId}/keys/{keyId}', { params: { path: { accountId, subscriptionId: s.id, keyId: dialog.key.id } } }));
                    finishWithSeats(`${dialog.key.name} was deleted.`)(deleted.seats);
                  }}
                >
                  <p>
                    Delete <strong>{dialog.key.name}</strong>?{' '}
                    {dialog.key.used > 0 ? `Its ${dialog.key.used} installation${dialog.key.used === 1 ? ' is' : 's are'} deactivated and its` : 'Its'} seats return to the subscription.
                  </p>
                </ConfirmDialog>
              )}
              {(dialog?.mode === 'create' || dialog?.mode === 'edit') && (
                <Dialog title={dialog.mode === 'create' ? 'Create License Key' : `Edit ${dialog.key.name}`} onClose={() => setDialog(null)}>
                  <KeyForm
                    details={d}
                    accountId={accountId}
                    dialog={dialog}
                    onCancel={() => setDialog(null)}
                    onDone={finishWithSeats(dialog.mode === 'create' ? 'The license key was created.' : 'Your changes were saved.')}
                  />
                </Dialog>
              )}
            </>
          );
        }}
      </Load>
    </section>
  );
}

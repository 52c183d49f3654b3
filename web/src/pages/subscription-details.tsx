import { useState } from 'react';
import type { ProductSeats, SubscriptionDetails } from '../api';
import { formatDate, STATUS_LABELS } from '../format';
import { Link } from '../router';
import { can, useSession } from '../session';
import { getSubscription, withSeats } from '../subscription-data';
import { AutoRenew } from './subscription-actions';
import { EditionSection } from './subscription-editions';
import { SubscriptionDialog, type KeyDialog } from './subscription-dialogs';
import { KeysTable, OrdersTable, ProductsTable } from './subscription-tables';
import { Badge, Load, useLoad } from '../ui';

export function SubscriptionDetailsPage({ accountId, subscriptionId }: { accountId: string; subscriptionId: string }) {
  const { account } = useSession();
  const [state, reload, change] = useLoad(() => getSubscription(accountId, subscriptionId), [accountId, subscriptionId]);
  const [dialog, setDialog] = useState<KeyDialog | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // The shell switches to the account the address names, if it is one of the user's.
  const here = account.id === accountId;
  const canManage = here && can(account, 'subscriptions.manage');
  const canCreateKeys = here && can(account, 'keys.manage');
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
                    <AutoRenew details={d} accountId={accountId} editable={canManage} onChanged={(subscription) => change((current) => ({ ...current, subscription }))} />
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

              <EditionSection details={d} accountId={accountId} canManage={canManage} onTrial={(trial) => change((current) => ({ ...current, editions: { ...current.editions, trial } }))} />

              <h2 id="products-title">Products</h2>
              <ProductsTable details={d} />

              <div className="section-head">
                <h2 id="keys-title">License Keys</h2>
                {canCreateKeys && (
                  <button type="button" className="button primary" onClick={() => open({ mode: 'create' })}>
                    Create License Key
                  </button>
                )}
              </div>
              {canCreateKeys && <p className="muted">Hand out additional keys rather than the primary one: a leaked additional key is replaced without touching the others.</p>}
              {notice && (
                <p className="notice" role="status">
                  {notice}
                </p>
              )}
              <KeysTable details={d} account={account} open={open} />

              <h2 id="orders-title">Order history</h2>
              <OrdersTable orders={d.orders} products={d.products} />

              {dialog && <SubscriptionDialog dialog={dialog} details={d} accountId={accountId} onClose={() => setDialog(null)} finish={finish} finishWithSeats={finishWithSeats} />}
            </>
          );
        }}
      </Load>
    </section>
  );
}

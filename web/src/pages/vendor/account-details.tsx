import { useState } from 'react';
import { ApiError } from '../../api';
import { MemberRole } from '../../cells';
import { DataTable } from '../../data-table';
import { FormError } from '../../forms';
import { countryName, formatDate, linesText, STATUS_LABELS } from '../../format';
import { Link } from '../../router';
import { Badge, Empty, Load, useLoad } from '../../ui';
import { useCatalog } from './catalog';
import { CHANNEL_LABELS, vendor, type Account } from './vendor-api';

/** The on/off switch of offline activation; the server audits each change in the account's log. */
function OfflineActivation({ account, onChanged }: { account: Account; onChanged(): void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Shown at once; put back if the server refuses.
  const [on, setOn] = useState(account.offlineActivationEnabled);
  return (
    <div className="panel">
      <h2 id="offline-title">Offline activation</h2>
      <div className="switch-row">
        <label className="checkbox-field">
          <input
            type="checkbox"
            checked={on}
            disabled={busy}
            aria-describedby="offline-hint"
            onChange={async (e) => {
              const enabled = e.target.checked;
              setOn(enabled);
              setBusy(true);
              setError(null);
              try {
                await vendor.setOfflineActivation(account.id, enabled);
                onChanged();
              } catch (err) {
                setOn(!enabled);
                setError(err instanceof ApiError ? err.message : 'Something went wrong');
              } finally {
                setBusy(false);
              }
            }}
          />{' '}
          Allow offline activation
        </label>
        <Badge tone={on ? 'active' : 'none'}>{on ? 'On' : 'Off'}</Badge>
      </div>
      <p className="hint" id="offline-hint">
        Lets this customer's installations activate with files carried by hand, for machines without internet access.
      </p>
      <FormError message={error} />
    </div>
  );
}

/** A customer account: who it is, its members, its subscriptions and the offline activation switch. */
export function AccountDetailsPage({ accountId }: { accountId: string }) {
  const [state, reload] = useLoad(() => vendor.account(accountId), [accountId]);
  const { names } = useCatalog();
  return (
    <section>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link href="/back-office/accounts">Customers</Link> › <span aria-current="page">Customer</span>
      </nav>
      <Load state={state} retry={reload} label="the customer">
        {({ account: a, members, moreMembers, subscriptions, moreSubscriptions }) => (
          <>
            <div className="page-head">
              <h1>
                {a.name} <Badge tone="none">{a.kind === 'business' ? 'Business' : 'Personal'}</Badge>
              </h1>
            </div>
            <dl className="facts">
              <div>
                <dt>Support code</dt>
                <dd>
                  <code>{a.supportCode}</code>
                </dd>
              </div>
              <div>
                <dt>Address</dt>
                <dd>{[a.street, [a.zip, a.city].filter(Boolean).join(' '), a.state, a.country && countryName(a.country)].filter(Boolean).join(', ') || '—'}</dd>
              </div>
              <div>
                <dt>Phone</dt>
                <dd>{a.phone ?? '—'}</dd>
              </div>
              <div>
                <dt>Created</dt>
                <dd>{formatDate(a.createdAt)}</dd>
              </div>
            </dl>
            <OfflineActivation account={a} onChanged={reload} />

            <h2>Members</h2>
            {members.length === 0 ? (
              <Empty>This account has no members.</Empty>
            ) : (
              <DataTable
                label="Members"
                rows={members}
                rowKey={(m) => m.userId}
                columns={[
                  {
                    header: 'Name',
                    cell: (m) => (
                      <>
                        {m.firstName} {m.lastName}
                      </>
                    ),
                  },
                  { header: 'Email', cell: (m) => m.email },
                  { header: 'Role', cell: (m) => <MemberRole member={m} /> },
                  { header: 'Joined', className: 'nowrap', cell: (m) => formatDate(m.joinedAt) },
                ]}
              />
            )}
            {moreMembers && <p className="muted">Only the first 200 members are shown.</p>}

            <h2>Subscriptions</h2>
            {subscriptions.length === 0 ? (
              <Empty>No subscription is registered to this account.</Empty>
            ) : (
              <DataTable
                label="Subscriptions"
                rows={subscriptions}
                rowKey={(s) => s.id}
                columns={[
                  { header: 'Subscription', cell: (s) => <Link href={`/back-office/subscriptions/${s.id}`}>{s.name}</Link> },
                  { header: 'Status', cell: (s) => <Badge tone={s.status}>{STATUS_LABELS[s.status]}</Badge> },
                  { header: 'Channel', cell: (s) => CHANNEL_LABELS[s.channel] },
                  { header: 'Expires', className: 'nowrap', cell: (s) => formatDate(s.expiresAt) },
                  { header: 'Products', cell: (s) => linesText(s.items, names) },
                ]}
              />
            )}
            {moreSubscriptions && (
              <p className="muted">
                Only the first 200 subscriptions are shown; <Link href="/back-office/subscriptions">search the subscriptions</Link> for the rest.
              </p>
            )}
          </>
        )}
      </Load>
    </section>
  );
}

import { useState } from 'react';
import type { SubscriptionSummary } from '../api';
import { formatDate, STATUS_LABELS } from '../format';
import { useKeptState } from '../kept';
import { Link } from '../router';
import { can, useSession } from '../session';
import { listSubscriptions, subscriptionHref, type Filter, type Sort } from '../subscription-data';
import { Badge, ChoiceFilter, Empty, Load, useLoad } from '../ui';

const FILTERS: [Filter, string][] = [
  ['all', 'All'],
  ['active', 'Active'],
  ['expiring_soon', 'Expiring soon'],
  ['expired', 'Expired'],
];

const ARRANGEMENTS: [string, string][] = [
  ['expires_at:asc', 'End date ↑'],
  ['expires_at:desc', 'End date ↓'],
  ['starts_at:asc', 'Start date ↑'],
  ['starts_at:desc', 'Start date ↓'],
  ['name:asc', 'Name A–Z'],
  ['name:desc', 'Name Z–A'],
];

export function Subscriptions() {
  const { account } = useSession();
  const [filter, setFilter] = useKeptState<Filter>('subscriptions:filter', 'all');
  const [arrange, setArrange] = useKeptState('subscriptions:arrange', 'expires_at:asc');
  const [more, setMore] = useState<{ items: SubscriptionSummary[]; nextCursor: string | null } | null>(null);
  const [sort, order] = arrange.split(':') as [Sort, 'asc' | 'desc'];
  const [state, retry] = useLoad(async () => {
    setMore(null);
    return listSubscriptions(account.id, { filter, sort, order });
  }, [account.id, filter, sort, order]);

  return (
    <section>
      <div className="page-head">
        <h1>Subscriptions</h1>
      </div>
      <div className="toolbar">
        <ChoiceFilter label="Display" value={filter} choices={FILTERS} onChange={setFilter} />
        <ChoiceFilter label="Arrange by" value={arrange} choices={ARRANGEMENTS} onChange={setArrange} />
      </div>
      <Load state={state} retry={retry} label="subscriptions">
        {(page) => {
          const items = [...page.items, ...(more?.items ?? [])];
          const nextCursor = more ? more.nextCursor : page.nextCursor;
          if (items.length === 0) {
            return (
              <Empty>
                <p>{filter === 'all' ? 'This account has no subscriptions yet.' : `No ${FILTERS.find(([f]) => f === filter)![1].toLowerCase()} subscriptions.`}</p>
                {filter === 'all' && can(account, 'subscriptions.manage') && (
                  <Link className="button primary" href="/register-key">
                    Register Key
                  </Link>
                )}
              </Empty>
            );
          }
          return (
            <>
              <ul className="list" aria-label="Subscriptions">
                {items.map((s) => (
                  <li key={s.id} className="list-row">
                    <div className="list-main">
                      <Link href={subscriptionHref(s, account.id)} className="list-title">
                        {s.name}
                      </Link>
                      <Badge tone={s.status}>{STATUS_LABELS[s.status]}</Badge>
                    </div>
                    <dl className="list-facts">
                      <div>
                        <dt>Started</dt>
                        <dd>{formatDate(s.startsAt)}</dd>
                      </div>
                      <div>
                        <dt>Ends</dt>
                        <dd>{formatDate(s.expiresAt)}</dd>
                      </div>
                      <div>
                        <dt>Auto-renew</dt>
                        <dd>{s.autoRenew ? 'On' : 'Off'}</dd>
                      </div>
                      <div>
                        <dt>Support</dt>
                        <dd>{s.supportPlan === 'premium' ? 'Premium' : 'Standard'}</dd>
                      </div>
                    </dl>
                  </li>
                ))}
              </ul>
              {nextCursor && (
                <button
                  type="button"
                  className="button secondary"
                  onClick={async () => {
                    const next = await listSubscriptions(account.id, { filter, sort, order, cursor: nextCursor });
                    setMore({ items: [...(more?.items ?? []), ...next.items], nextCursor: next.nextCursor });
                  }}
                >
                  Show more
                </button>
              )}
            </>
          );
        }}
      </Load>
    </section>
  );
}

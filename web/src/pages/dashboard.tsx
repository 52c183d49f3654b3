import type { SubscriptionDetails } from '../api';
import { formatDate, STATUS_LABELS } from '../format';
import { Link } from '../router';
import { useSession } from '../session';
import { getSubscription, listSubscriptions, subscriptionHref } from '../subscription-data';
import { Badge, Empty, Load, useLoad } from '../ui';

interface ProductCard {
  code: string;
  name: string;
  subscriptions: SubscriptionDetails[];
  active: number;
  total: number;
  used: number;
  available: number;
}

/** One card per product: the subscriptions holding it and their seats, counting live subscriptions only. */
function productCards(details: SubscriptionDetails[]): ProductCard[] {
  const cards = new Map<string, ProductCard>();
  for (const d of details) {
    const live = d.subscription.status === 'active' || d.subscription.status === 'expiring_soon';
    for (const p of d.products) {
      const card = cards.get(p.productCode) ?? { code: p.productCode, name: p.productName, subscriptions: [], active: 0, total: 0, used: 0, available: 0 };
      if (!card.subscriptions.includes(d)) {
        card.subscriptions.push(d);
        if (live) card.active += 1;
      }
      if (live) {
        card.total += p.quantity;
        card.used += p.used;
        card.available += p.availableInMainPool + p.availableInReservedKeys;
      }
      cards.set(p.productCode, card);
    }
  }
  return [...cards.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export function Dashboard() {
  const { account } = useSession();
  const [state, retry] = useLoad(async () => {
    const page = await listSubscriptions(account.id, { filter: 'all', sort: 'expires_at', order: 'asc', limit: 200 });
    return productCards(await Promise.all(page.items.map((s) => getSubscription(account.id, s.id))));
  }, [account.id]);

  return (
    <section>
      <div className="page-head">
        <h1>Dashboard</h1>
        <p className="muted">{account.kind === 'business' ? `${account.name} · Business account` : 'Personal account'} · Support code {account.supportCode}</p>
      </div>
      <Load state={state} retry={retry} label="your products">
        {(cards) =>
          cards.length === 0 ? (
            <Empty>
              <h2>No products yet</h2>
              <p>Register the license key from your order email to see your subscription here.</p>
              {account.role === 'admin' && (
                <Link className="button primary" href="/register-key">
                  Register Key
                </Link>
              )}
            </Empty>
          ) : (
            <ul className="cards">
              {cards.map((c) => (
                <li className="card" key={c.code}>
                  <h2>{c.name}</h2>
                  <p className="muted">
                    {c.active} active subscription{c.active === 1 ? '' : 's'}
                  </p>
                  <dl className="seats">
                    <div>
                      <dt>Seats</dt>
                      <dd>{c.total}</dd>
                    </div>
                    <div>
                      <dt>Used</dt>
                      <dd>{c.used}</dd>
                    </div>
                    <div>
                      <dt>Available</dt>
                      <dd>{c.available}</dd>
                    </div>
                  </dl>
                  <ul className="card-links">
                    {c.subscriptions.map((d) => (
                      <li key={d.subscription.id}>
                        <Link href={subscriptionHref(d.subscription, account.id)}>{d.subscription.name}</Link>{' '}
                        <Badge tone={d.subscription.status}>{STATUS_LABELS[d.subscription.status]}</Badge>
                        <span className="muted"> until {formatDate(d.subscription.expiresAt)}</span>
                      </li>
                    ))}
                  </ul>
                  <Link href="/subscriptions">All subscriptions</Link>
                </li>
              ))}
            </ul>
          )
        }
      </Load>
    </section>
  );
}

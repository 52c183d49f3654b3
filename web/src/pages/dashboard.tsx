import { accountPath, api, ApiError, type SubscriptionDetails, type SubscriptionProduct } from '../api';
import { formatDate, STATUS_LABELS } from '../format';
import { Link } from '../router';
import { useSession } from '../session';
import { getSubscription, listSubscriptions, subscriptionHref } from '../subscription-data';
import { Badge, Empty, Load, useLoad } from '../ui';

interface ProductCard {
  code: string;
  name: string;
  model: SubscriptionProduct['productModel'];
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
      const card = cards.get(p.productCode) ?? { code: p.productCode, name: p.productName, model: p.productModel, subscriptions: [], active: 0, total: 0, used: 0, available: 0 };
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

/** What a product's installations are called, by its licensing model. */
const INSTALLATION_NOUNS: Record<ProductCard['model'], string> = {
  per_device: 'Computers',
  per_user: 'Computers',
  concurrent_users: 'Farms',
  per_managed_device: 'Proxy servers',
};

/** The list pages without a count: one page of the largest size tells "N", or "N+" when there are more. */
const COUNT_PAGE = 200;

async function countInstallations(accountId: string, product: string, state: 'active' | 'deactivated'): Promise<string> {
  const params = new URLSearchParams({ product, state, columns: 'state', limit: String(COUNT_PAGE) });
  const page = await api<{ items: unknown[]; nextCursor: string | null }>('GET', `${accountPath(accountId)}/installations?${params}`);
  return `${page.items.length}${page.nextCursor ? '+' : ''}`;
}

function InstallationCounts({ accountId, card }: { accountId: string; card: ProductCard }) {
  const [state, retry] = useLoad(
    async () => {
      const [registered, deactivated] = await Promise.all([countInstallations(accountId, card.code, 'active'), countInstallations(accountId, card.code, 'deactivated')]);
      return { registered, deactivated };
    },
    [accountId, card.code],
  );
  const noun = INSTALLATION_NOUNS[card.model];
  return (
    <Load state={state} retry={retry} label="the installations">
      {(counts) => (
        <dl className="seats seats-two" aria-label="Installations">
          <div>
            <dt>{noun}</dt>
            <dd>{counts.registered}</dd>
          </div>
          <div>
            <dt>Deactivated</dt>
            <dd>{counts.deactivated}</dd>
          </div>
        </dl>
      )}
    </Load>
  );
}

export function Dashboard() {
  const { account } = useSession();
  const [state, retry] = useLoad(async () => {
    try {
      const page = await listSubscriptions(account.id, { filter: 'all', sort: 'expires_at', order: 'asc', limit: 200 });
      return productCards(await Promise.all(page.items.map((s) => getSubscription(account.id, s.id))));
    } catch (err) {
      // A regular member sees no licenses: that is the account's design, not a failure to retry.
      if (err instanceof ApiError && err.code === 'forbidden') return null;
      throw err;
    }
  }, [account.id]);

  return (
    <section>
      <div className="page-head">
        <h1>Dashboard</h1>
        <p className="muted">{account.kind === 'business' ? `${account.name} · Business account` : 'Personal account'} · Support code {account.supportCode}</p>
      </div>
      <Load state={state} retry={retry} label="your products">
        {(cards) =>
          cards === null ? (
            <Empty>
              <h2>Licenses are managed by the administrators</h2>
              <p>As a member of {account.name} you see the account, not its subscriptions; ask an account administrator for access.</p>
            </Empty>
          ) : cards.length === 0 ? (
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
                  <dl className="seats" aria-label="Seats">
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
                  <InstallationCounts accountId={account.id} card={c} />
                  <ul className="card-links">
                    {c.subscriptions.map((d) => (
                      <li key={d.subscription.id}>
                        <Link href={subscriptionHref(d.subscription, account.id)}>{d.subscription.name}</Link>{' '}
                        <Badge tone={d.subscription.status}>{STATUS_LABELS[d.subscription.status]}</Badge>
                        <span className="muted"> until {formatDate(d.subscription.expiresAt)}</span>
                      </li>
                    ))}
                  </ul>
                  <p className="card-actions">
                    <Link href="/subscriptions">All subscriptions</Link>
                    <Link href={`/installations?product=${encodeURIComponent(c.code)}`} aria-label={`Installations of ${c.name}`}>
                      Installations
                    </Link>
                    <Link href="/invite-to-install">Invite users</Link>
                  </p>
                </li>
              ))}
            </ul>
          )
        }
      </Load>
    </section>
  );
}

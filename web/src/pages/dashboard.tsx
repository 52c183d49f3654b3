import { answer, api, type Schemas, type SubscriptionDetails, type SubscriptionProduct } from '../api';
import { formatDate, STATUS_LABELS } from '../format';
import { Link } from '../router';
import { can, useSession } from '../session';
import { getSubscription, listSubscriptions, subscriptionHref } from '../subscription-data';
import { Badge, Empty, Load, NotAllowed, useLoad } from '../ui';

/** How many of a product's installations are in each state, counted exactly by the server. */
type InstallationCounts = Pick<Schemas['InstallationSummary']['products'][number], 'active' | 'deactivated' | 'blacklisted'>;

interface ProductCard {
  code: string;
  name: string;
  model: SubscriptionProduct['productModel'];
  supportUrl: string | null;
  subscriptions: SubscriptionDetails[];
  active: number;
  total: number;
  used: number;
  available: number;
  installations: InstallationCounts;
}

const NO_INSTALLATIONS: InstallationCounts = { active: 0, deactivated: 0, blacklisted: 0 };

/** One card per product: the subscriptions holding it and their seats, counting live subscriptions only. */
function productCards(details: SubscriptionDetails[], installations: ReadonlyMap<string, InstallationCounts>): ProductCard[] {
  const cards = new Map<string, ProductCard>();
  for (const d of details) {
    const live = d.subscription.status === 'active' || d.subscription.status === 'expiring_soon';
    for (const p of d.products) {
      const card = cards.get(p.productCode) ?? {
        code: p.productCode,
        name: p.productName,
        model: p.productModel,
        supportUrl: p.supportUrl,
        subscriptions: [],
        active: 0,
        total: 0,
        used: 0,
        available: 0,
        installations: installations.get(p.productCode) ?? NO_INSTALLATIONS,
      };
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

/** What a product's installations are called, by its licensing model (which the subscription's answer gives as plain text). */
const INSTALLATION_NOUNS: Partial<Record<ProductCard['model'], string>> = {
  per_device: 'Computers',
  per_user: 'Computers',
  concurrent_users: 'Farms',
  per_managed_device: 'Proxy servers',
};

async function loadCards(accountId: string): Promise<ProductCard[]> {
  const [page, summary] = await Promise.all([
    listSubscriptions(accountId, { filter: 'all', sort: 'expires_at', order: 'asc', limit: 200 }),
    answer(api.GET('/api/v1/accounts/{accountId}/installations/summary', { params: { path: { accountId } } })),
  ]);
  const details = await Promise.all(page.items.map((s) => getSubscription(accountId, s.id)));
  return productCards(details, new Map(summary.products.map((p) => [p.code, p])));
}

/** A card's row of labelled numbers. */
function Figures({ label, figures }: { label: string; figures: [string, number][] }) {
  return (
    <dl className="seats" aria-label={label}>
      {figures.map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function Dashboard() {
  const { account } = useSession();
  // A regular member sees no licenses: that is the account's design, not a failure to retry.
  const licensed = can(account, 'subscriptions.view');
  const [state, retry] = useLoad(async () => (licensed ? loadCards(account.id) : null), [account.id, licensed]);

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
              <NotAllowed what="see its subscriptions and installations" />
            </Empty>
          ) : cards.length === 0 ? (
            <Empty>
              <h2>No products yet</h2>
              <p>Register the license key from your order email to see your subscription here.</p>
              {can(account, 'subscriptions.manage') && (
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
                  <Figures
                    label="Seats"
                    figures={[
                      ['Seats', c.total],
                      ['Used', c.used],
                      ['Available', c.available],
                    ]}
                  />
                  <Figures
                    label="Installations"
                    figures={[
                      [INSTALLATION_NOUNS[c.model] ?? 'Installations', c.installations.active],
                      ['Deactivated', c.installations.deactivated],
                      ['Blacklisted', c.installations.blacklisted],
                    ]}
                  />
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
                    {can(account, 'installations.view') && (
                      <Link href={`/installations?product=${encodeURIComponent(c.code)}`} aria-label={`Installations of ${c.name}`}>
                        Installations
                      </Link>
                    )}
                    {can(account, 'install_invitations.manage') && <Link href="/invite-to-install">Invite users</Link>}
                    {c.supportUrl && (
                      <a href={c.supportUrl} target="_blank" rel="noopener" aria-label={`Support for ${c.name} (opens in a new tab)`}>
                        Support
                      </a>
                    )}
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

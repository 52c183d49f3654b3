import type { ReactNode } from 'react';
import { Link, match } from '../../router';
import { useSession } from '../../session';
import { AccountDetailsPage } from './account-details';
import { CatalogProvider } from './catalog';
import { Accounts } from './accounts';
import { NewOrder } from './new-order';
import { Orders } from './orders';
import { Products } from './products';
import { VendorSubscriptionPage } from './subscription-details';
import { VendorSubscriptions } from './subscriptions';
import { VendorWebhooks } from './webhooks';
import './back-office.css';

export const BACK_OFFICE = '/back-office';

const SECTIONS = [
  { href: `${BACK_OFFICE}/subscriptions`, label: 'Subscriptions' },
  { href: `${BACK_OFFICE}/accounts`, label: 'Customers' },
  { href: `${BACK_OFFICE}/orders/new`, label: 'New order' },
  { href: `${BACK_OFFICE}/orders`, label: 'Orders' },
  { href: `${BACK_OFFICE}/products`, label: 'Products' },
  { href: `${BACK_OFFICE}/webhooks`, label: 'Webhooks' },
];


function Forbidden() {
  return (
    <section className="forbidden">
      <h1>This area is for the vendor's staff</h1>
      <p>The back office is where the vendor's operators manage orders, customers and products. Your user is not an operator, so there is nothing to see here.</p>
      <p>
        <Link className="button primary" href="/">
          Back to your dashboard
        </Link>
      </p>
    </section>
  );
}

function Page({ path }: { path: string }): ReactNode {
  const subscription = match(`${BACK_OFFICE}/subscriptions/:id`, path);
  if (subscription) return <VendorSubscriptionPage subscriptionId={subscription['id']!} />;
  const account = match(`${BACK_OFFICE}/accounts/:id`, path);
  if (account) return <AccountDetailsPage accountId={account['id']!} />;
  switch (path) {
    case BACK_OFFICE:
    case `${BACK_OFFICE}/subscriptions`:
      return <VendorSubscriptions />;
    case `${BACK_OFFICE}/accounts`:
      return <Accounts />;
    case `${BACK_OFFICE}/orders/new`:
      return <NewOrder />;
    case `${BACK_OFFICE}/orders`:
      return <Orders />;
    case `${BACK_OFFICE}/products`:
      return <Products />;
    case `${BACK_OFFICE}/webhooks`:
      return <VendorWebhooks />;
    default:
      return (
        <section>
          <h1>Page not found</h1>
          <p>The back office has no page at this address; pick one of its sections above.</p>
        </section>
      );
  }
}

/** The vendor's back office: operators only; everyone else gets a friendly refusal. */
export function BackOffice({ path }: { path: string }) {
  const { user } = useSession();
  if (!user.isOperator) return <Forbidden />;
  const current = (href: string) => (href === `${BACK_OFFICE}/orders` ? path === href : path === href || path.startsWith(`${href}/`) || (path === BACK_OFFICE && href.endsWith('/subscriptions')));
  return (
    <div className="back-office">
      <nav aria-label="Back office" className="subnav">
        <span className="subnav-title">Back office</span>
        <ul>
          {SECTIONS.map((s) => (
            <li key={s.href}>
              <Link href={s.href} aria-current={current(s.href) ? 'page' : undefined}>
                {s.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <CatalogProvider>
        <Page path={path} />
      </CatalogProvider>
    </div>
  );
}

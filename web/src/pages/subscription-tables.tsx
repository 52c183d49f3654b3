import { ActionsMenu } from '../actions-menu';
import type { LicenseKeyRow, MyAccount, SubscriptionDetails } from '../api';
import { FullKey, OrderKind, ProductName } from '../cells';
import { DataTable } from '../data-table';
import { formatDate, formatDateTime, KIND_LABELS, linesText, type ProductNames } from '../format';
import { can } from '../session';
import { Empty } from '../ui';
import type { KeyDialog } from './subscription-dialogs';
import { CONFIGURATION_PROFILES_FEATURE, DEFAULT_PROFILE_NAME } from '../../../src/domain/default-profile';

// The tables of a subscription's details page: its products' seats, its license keys, its orders.

export function ProductsTable({ details: d }: { details: SubscriptionDetails }) {
  return (
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
  );
}

/**
 * The License Keys table, with each key's configuration profile where the account's products take
 * them; a key's row offers what the member may do with it: its installations, its administrators,
 * its profile, edit and delete.
 */
export function KeysTable({
  details: d,
  account,
  open,
}: {
  details: SubscriptionDetails;
  account: MyAccount;
  open(dialog: Extract<KeyDialog, { key: LicenseKeyRow }>): void;
}) {
  const manageKeys = can(account, 'keys.manage');
  const profiles = account.features.includes(CONFIGURATION_PROFILES_FEATURE);
  const rowActions = (k: LicenseKeyRow) => [
    can(account, 'installations.view') && { label: 'Installations', href: `/installations?keyId=${k.id}` },
    account.kind === 'business' && can(account, 'members.manage') && { label: 'License Administrators', onSelect: () => open({ mode: 'admins', key: k }) },
    profiles && can(account, 'configuration.manage') && { label: 'Configuration profile', onSelect: () => open({ mode: 'profile', key: k }) },
    manageKeys && k.kind !== 'primary' && { label: 'Edit', onSelect: () => open({ mode: 'edit', key: k }) },
    manageKeys && k.kind !== 'primary' && { label: 'Delete', danger: true, onSelect: () => open({ mode: 'delete', key: k }) },
  ];
  const productOf = (itemId: string) => d.products.find((p) => p.itemId === itemId);
  return d.keys.length === 0 ? (
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
        { header: 'License key', cell: (k) => <FullKey row={k} /> },
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
        // Its long header takes two lines, so the table keeps within a laptop's width.
        ...(profiles ? [{ header: 'Configuration profile', className: 'header-wraps', cell: (k: LicenseKeyRow) => k.profile?.name ?? DEFAULT_PROFILE_NAME }] : []),
      ]}
      actions={d.keys.some((k) => rowActions(k).some(Boolean)) ? (k) => rowActions(k).some(Boolean) && <ActionsMenu rowName={k.name} actions={rowActions(k)} /> : undefined}
    />
  );
}

export function OrdersTable({ orders, products }: Pick<SubscriptionDetails, 'orders' | 'products'>) {
  const names: ProductNames = new Map(products.map((p) => [p.productCode, p.productName]));
  return orders.length === 0 ? (
    <Empty>
      <p>No orders recorded.</p>
    </Empty>
  ) : (
    <DataTable
      labelledBy="orders-title"
      rows={orders}
      rowKey={(o) => o.number}
      columns={[
        { header: 'Order', cell: (o) => `#${o.number}` },
        { header: 'Date', cell: (o) => formatDateTime(o.createdAt) },
        { header: 'Kind', cell: (o) => <OrderKind order={o} /> },
        { header: 'Items', cell: (o) => linesText(o.items, names) },
        { header: 'New expiration', cell: (o) => formatDate(o.newExpiresAt) },
      ]}
    />
  );
}

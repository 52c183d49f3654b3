import { Option, type Command } from 'commander';
import type { paths } from '../../../web/src/generated/api.js';
import { reply, type Schemas } from '../http-client.js';
import { positiveInteger } from './arguments.js';
import { run, show } from './command.js';
import { connect } from './connection.js';
import { day, pageHint, products, table } from './text.js';

type SubscriptionQuery = NonNullable<paths['/api/v1/vendor/subscriptions']['get']['parameters']['query']>;

function describeSubscriptions(items: Schemas['VendorSubscription'][]): string {
  return table(
    ['ID', 'NAME', 'CUSTOMER', 'ACCOUNT', 'STATUS', 'CHANNEL', 'EXPIRES', 'PRODUCTS'],
    items.map((s) => [s.id, s.name, s.customerEmail, s.account?.supportCode ?? null, s.status, s.channel, day(s.expiresAt), products(s.items)]),
  );
}

function describeOrders(orders: Schemas['OrderHistoryEntry'][]): string {
  return table(
    ['ORDER', 'KIND', 'DURATION', 'PRODUCTS', 'FROM', 'TO', 'PLACED'],
    orders.map((o) => [`#${o.number}`, o.kind, o.duration, products(o.items), o.previousExpiresAt && day(o.previousExpiresAt), day(o.newExpiresAt), day(o.createdAt)]),
  );
}

function describeDetails(d: Schemas['VendorSubscriptionDetails']): string {
  const s = d.subscription;
  return [
    `Subscription  ${s.id}`,
    `Name          ${s.name}`,
    `Status        ${s.status} (${s.channel}, ${d.contract.supportPlan}${s.autoRenew ? ', auto-renew' : ''})`,
    `Dates         ${day(s.startsAt)} to ${day(s.expiresAt)}`,
    `Customer      ${d.contract.customerEmail}`,
    `Account       ${d.account ? `${d.account.name} (${d.account.supportCode}, ${d.account.id})` : 'not registered yet'}`,
    '',
    table(
      ['PRODUCT', 'TYPE', 'QUANTITY', 'USED', 'FREE IN MAIN POOL', 'FREE IN RESERVED KEYS'],
      d.products.map((p) => [p.productCode, p.licenseType, p.quantity, p.used, p.availableInMainPool, p.availableInReservedKeys]),
    ),
    '',
    table(
      ['KEY', 'KIND', 'NAME', 'QUOTA', 'USED', 'AVAILABLE'],
      d.keys.map((k) => [k.key, k.kind, k.name, k.quota, k.used, k.available]),
    ),
    '',
    describeOrders(d.orders),
  ].join('\n');
}

function describeAccounts(accounts: Schemas['Account'][]): string {
  return table(
    ['ID', 'NAME', 'KIND', 'SUPPORT CODE', 'COUNTRY', 'OFFLINE ACTIVATION'],
    accounts.map((a) => [a.id, a.name, a.kind, a.supportCode, a.country, a.offlineActivationEnabled ? 'enabled' : 'disabled']),
  );
}

/** Searching and reading: subscriptions, orders and accounts of every customer. */
export function registerLookupCommands(vendor: Command): void {
  vendor
    .command('subscriptions')
    .description('search the subscriptions of every customer, newest first')
    .option('--search <text>', "customer email, subscription name, a key's last group, or a support code")
    .addOption(new Option('--status <status>', 'filter by status').choices(['all', 'active', 'expiring_soon', 'expired', 'suspended']))
    .addOption(new Option('--channel <channel>', 'filter by sales channel').choices(['online', 'reseller', 'trial']))
    .option('--product <code>', 'only subscriptions holding this product')
    .option('--account <id>', 'only subscriptions registered in this account')
    .option('--limit <n>', 'rows per page', positiveInteger)
    .option('--cursor <cursor>', 'continue from a previous page')
    .action(
      run(async (cmd) => {
        const o = cmd.opts<Omit<SubscriptionQuery, 'accountId'> & { account?: string }>();
        const query: SubscriptionQuery = { search: o.search, status: o.status, channel: o.channel, product: o.product, accountId: o.account, limit: o.limit, cursor: o.cursor };
        const { body } = await reply((await connect(cmd)).GET('/api/v1/vendor/subscriptions', { params: { query } }));
        show(cmd, body, () => describeSubscriptions(body.items) + pageHint(body.nextCursor));
      }),
    );

  vendor
    .command('subscription')
    .description('one subscription: products and seats, keys, orders, account')
    .argument('<id>', 'subscription id')
    .action(
      run(async (cmd) => {
        const [id] = cmd.processedArgs as [string];
        const { body } = await reply((await connect(cmd)).GET('/api/v1/vendor/subscriptions/{id}', { params: { path: { id } } }));
        show(cmd, body, () => describeDetails(body));
      }),
    );

  vendor
    .command('orders')
    .description('orders of every customer, or of one subscription, newest first')
    .option('--subscription <id>', 'only the orders of this subscription')
    .option('--limit <n>', 'rows per page', positiveInteger)
    .option('--cursor <cursor>', 'continue from a previous page')
    .action(
      run(async (cmd) => {
        const o = cmd.opts<{ subscription?: string; limit?: number; cursor?: string }>();
        const query = { subscriptionId: o.subscription, limit: o.limit, cursor: o.cursor };
        const { body } = await reply((await connect(cmd)).GET('/api/v1/vendor/orders', { params: { query } }));
        show(cmd, body, () => describeOrders(body.items) + pageHint(body.nextCursor));
      }),
    );

  vendor
    .command('accounts')
    .description("search customer accounts by name, support code or a member's email")
    .option('--search <text>', "part of the name, the support code, or part of a member's email")
    .option('--limit <n>', 'rows per page', positiveInteger)
    .option('--cursor <cursor>', 'continue from a previous page')
    .action(
      run(async (cmd) => {
        const o = cmd.opts<{ search?: string; limit?: number; cursor?: string }>();
        const query = { search: o.search, limit: o.limit, cursor: o.cursor };
        const { body } = await reply((await connect(cmd)).GET('/api/v1/vendor/accounts', { params: { query } }));
        show(cmd, body, () => describeAccounts(body.items) + pageHint(body.nextCursor));
      }),
    );

  vendor
    .command('account')
    .description('one customer account with its members and subscriptions')
    .argument('<id>', 'account id')
    .action(
      run(async (cmd) => {
        const [id] = cmd.processedArgs as [string];
        const { body } = await reply((await connect(cmd)).GET('/api/v1/vendor/accounts/{id}', { params: { path: { id } } }));
        show(cmd, body, () =>
          [
            describeAccounts([body.account]),
            '',
            table(['MEMBER', 'ROLE', 'STATUS'], body.members.map((m) => [m.email, m.role, m.status])),
            '',
            describeSubscriptions(body.subscriptions),
          ].join('\n'),
        );
      }),
    );
}

import { Option, type Command } from 'commander';
import type { paths } from '../../../web/src/generated/api.js';
import { reply, type ApiClient, type Schemas } from '../http-client.js';
import { collect, positiveInteger, productLine, type Line } from './arguments.js';
import { run, show, USAGE } from './command.js';
import { connect } from './connection.js';
import { day, products } from './text.js';

type OrderRequest = paths['/api/v1/vendor/orders']['post']['requestBody']['content']['application/json'];

export function describeIssued(issued: Schemas['IssuedSubscription']): string {
  const s = issued.subscription;
  return [
    `Subscription  ${s.id}`,
    `Name          ${s.name}`,
    `Customer      ${s.customerEmail}`,
    `Products      ${products(issued.items)}`,
    `Expires       ${day(s.expiresAt)}`,
    `Order         #${issued.order.number}`,
    `License key   ${issued.primaryKey.key}`,
  ].join('\n');
}

/** What the vendor sells and grants: orders, trials, renewals, more licenses, suspensions, offline activation. */
export function registerSalesCommands(vendor: Command): void {
  vendor
    .command('order')
    .description("place an order for a customer; prints the new subscription's primary license key")
    .requiredOption('--email <email>', 'the customer email the key is sent to')
    .requiredOption('--product <PRODUCT[:TYPE]=QTY>', 'a product and its quantity; repeat for more', collect(productLine(true)))
    .addOption(new Option('--duration <duration>', 'the term').choices(['1m', '1y', '2y', '3y']).makeOptionMandatory())
    .addOption(new Option('--channel <channel>', 'how it is sold').choices(['online', 'reseller']).makeOptionMandatory())
    .addOption(new Option('--plan <plan>', 'the support plan').choices(['standard', 'premium']).makeOptionMandatory())
    .option('--auto-renew', 'renew automatically (online orders only)', false)
    .action(
      run(async (cmd) => {
        const o = cmd.opts<{ email: string; product: Line[]; duration: OrderRequest['duration']; channel: OrderRequest['channel']; plan: OrderRequest['supportPlan']; autoRenew: boolean }>();
        const order: OrderRequest = {
          customerEmail: o.email,
          items: o.product.map(({ productCode, licenseType, quantity }) => ({ productCode, licenseType, quantity: quantity! })),
          duration: o.duration,
          channel: o.channel,
          supportPlan: o.plan,
          autoRenew: o.autoRenew,
        };
        const { body } = await reply((await connect(cmd)).POST('/api/v1/vendor/orders', { body: order }));
        show(cmd, body, () => describeIssued(body));
      }),
    );

  vendor
    .command('trial')
    .description("issue a trial license for one product; prints its key")
    .requiredOption('--email <email>', 'the customer email the key is sent to')
    .requiredOption('--product <PRODUCT[:TYPE]>', 'the product on trial', productLine(false))
    .option('--quantity <n>', "seats (default: the product's trial seats)", positiveInteger)
    .option('--days <n>', "length in days, at most 90 (default: the product's trial days)", positiveInteger)
    .action(
      run(async (cmd) => {
        const o = cmd.opts<{ email: string; product: Line; quantity?: number; days?: number }>();
        if (o.product.quantity !== undefined) return cmd.error('give trial seats with --quantity', { exitCode: USAGE });
        const trial = { customerEmail: o.email, productCode: o.product.productCode, licenseType: o.product.licenseType, quantity: o.quantity, days: o.days };
        const { body } = await reply((await connect(cmd)).POST('/api/v1/vendor/trials', { body: trial }));
        show(cmd, body, () => describeIssued(body));
      }),
    );

  vendor
    .command('renew')
    .description('renew a subscription: from its expiry while running, from today once expired')
    .argument('<subscription>', 'subscription id')
    .addOption(new Option('--duration <duration>', 'the term').choices(['1m', '1y', '2y', '3y']).makeOptionMandatory())
    .action(
      run(async (cmd) => {
        const [id] = cmd.processedArgs as [string];
        const { duration } = cmd.opts<{ duration: OrderRequest['duration'] }>();
        const { body } = await reply((await connect(cmd)).POST('/api/v1/vendor/subscriptions/{id}/renewals', { params: { path: { id } }, body: { duration } }));
        show(cmd, body, () => `Renewed ${body.subscription.id}: expires ${day(body.subscription.expiresAt)} (was ${day(body.order.previousExpiresAt ?? body.order.newExpiresAt)}), order #${body.order.number}`);
      }),
    );

  vendor
    .command('add-licenses')
    .description('sell more licenses on a subscription')
    .argument('<subscription>', 'subscription id')
    .requiredOption('--product <PRODUCT[:TYPE]=QTY>', 'a product and the seats to add; repeat for more', collect(productLine(true)))
    .action(
      run(async (cmd) => {
        const [id] = cmd.processedArgs as [string];
        const items = cmd.opts<{ product: Line[] }>().product.map(({ productCode, licenseType, quantity }) => ({ productCode, licenseType, quantity: quantity! }));
        const { body } = await reply((await connect(cmd)).POST('/api/v1/vendor/subscriptions/{id}/additions', { params: { path: { id } }, body: { items } }));
        show(cmd, body, () => `Order #${body.order.number}; the subscription now holds ${products(body.items)}`);
      }),
    );

  const suspension = (id: string) => ({ params: { path: { id } } });
  for (const [name, change, description] of [
    ['suspend', (api: ApiClient, id: string) => api.POST('/api/v1/vendor/subscriptions/{id}/suspension', suspension(id)), 'suspend a subscription: its keys stop activating until resumed'],
    ['resume', (api: ApiClient, id: string) => api.DELETE('/api/v1/vendor/subscriptions/{id}/suspension', suspension(id)), 'resume a suspended subscription'],
  ] as const) {
    vendor
      .command(name)
      .description(description)
      .argument('<subscription>', 'subscription id')
      .action(
        run(async (cmd) => {
          const [id] = cmd.processedArgs as [string];
          const { body } = await reply(change(await connect(cmd), id));
          show(cmd, body, () => `Subscription ${body.subscription.id} is ${body.subscription.status}`);
        }),
      );
  }

  vendor
    .command('offline')
    .description('enable or disable offline activation for a customer account')
    .argument('<account>', 'account id')
    .option('--enable', 'allow offline activation')
    .option('--disable', 'stop offline activation')
    .action(
      run(async (cmd) => {
        const [id] = cmd.processedArgs as [string];
        const o = cmd.opts<{ enable?: boolean; disable?: boolean }>();
        if (Boolean(o.enable) === Boolean(o.disable)) return cmd.error('give exactly one of --enable and --disable', { exitCode: USAGE });
        const { body } = await reply((await connect(cmd)).PUT('/api/v1/vendor/accounts/{id}/offline-activation', { params: { path: { id } }, body: { enabled: Boolean(o.enable) } }));
        show(cmd, body, () => `Offline activation ${body.account.offlineActivationEnabled ? 'enabled' : 'disabled'} for ${body.account.name} (${body.account.supportCode})`);
      }),
    );
}

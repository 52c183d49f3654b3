import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { paths } from '../../web/src/generated/api.js';
import { apiClient, ApiError, reply, type ApiClient, type Schemas } from './http-client.js';

/**
 * `keyline vendor ...`: the vendor back office from a terminal, over the HTTP API with an
 * operator's API token. Exit codes: 0 done, 1 the API refused (the line printed is "code:
 * message"), 2 the command itself was wrong.
 */

type SubscriptionQuery = NonNullable<paths['/api/v1/vendor/subscriptions']['get']['parameters']['query']>;
type ProductDefinition = paths['/api/v1/vendor/products/{code}']['put']['requestBody']['content']['application/json'];
type OrderRequest = paths['/api/v1/vendor/orders']['post']['requestBody']['content']['application/json'];

interface GlobalOptions {
  server?: string;
  token?: string;
  config: string;
  json?: boolean;
}

interface Stored {
  server?: string;
  token?: string;
}

const USAGE = 2;
const DEFAULT_CONFIG = path.join(os.homedir(), '.config', 'keyline', 'vendor.json');

async function readStored(file: string): Promise<Stored> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as Stored;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ApiError(null, 'config_unreadable', `${file}: ${(err as Error).message}`);
  }
}

/** The token is a credential: the file is written for its owner only. */
async function writeStored(file: string, stored: Required<Stored>): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await fs.writeFile(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  await fs.chmod(file, 0o600);
}

function globals(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals<GlobalOptions>();
}

/** Flags first, then the environment, then what `vendor login` stored. */
async function connect(cmd: Command): Promise<ApiClient> {
  const g = globals(cmd);
  const stored = await readStored(g.config);
  const server = g.server ?? process.env['KEYLINE_URL'] ?? stored.server;
  const token = g.token ?? process.env['KEYLINE_TOKEN'] ?? stored.token;
  if (!server || !token) return cmd.error('not signed in: run `keyline vendor login --server URL --email EMAIL`, or pass --server and --token', { exitCode: USAGE });
  return apiClient(server, token);
}

/** Runs an action; an API refusal prints its "code: message" line and exits 1. */
function run(fn: (cmd: Command) => Promise<void>) {
  return async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    try {
      await fn(cmd);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      console.error(err.message);
      process.exitCode = 1;
    }
  };
}

/** The API's answer as JSON with --json, else the human rendering. */
function show(cmd: Command, body: unknown, human: () => string): void {
  console.log(globals(cmd).json ? JSON.stringify(body, null, 2) : human());
}

function table(header: string[], rows: (string | number | boolean | null)[][]): string {
  const cells = [header, ...rows.map((r) => r.map((c) => (c === null ? '-' : String(c))))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  return cells.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

const day = (iso: string) => iso.slice(0, 10);
const products = (items: { productCode: string; licenseType: string | null; quantity: number }[]) => items.map((i) => `${i.productCode}${i.licenseType ? `:${i.licenseType}` : ''}=${i.quantity}`).join(' ');
const pageHint = (next: string | null) => (next ? `\n(more: --cursor ${next})` : '');

/** `P=QTY`, `P:TYPE=QTY`, or with `needsQuantity` false also `P` and `P:TYPE`. */
function productLine(needsQuantity: boolean) {
  return (text: string) => {
    const m = /^([a-z0-9][a-z0-9-]*)(?::([a-z][a-z0-9_]*))?(?:=(\d+))?$/.exec(text);
    if (!m || (needsQuantity && m[3] === undefined)) throw new InvalidArgumentError(`expected PRODUCT[:TYPE]${needsQuantity ? '=QUANTITY' : ''}, got "${text}"`);
    return { productCode: m[1]!, licenseType: m[2] ?? null, quantity: m[3] === undefined ? undefined : Number(m[3]) };
  };
}
type Line = ReturnType<ReturnType<typeof productLine>>;
const collect = (parse: (text: string) => Line) => (text: string, previous: Line[] = []) => [...previous, parse(text)];

function positiveInteger(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new InvalidArgumentError(`expected a whole number of at least 1, got "${text}"`);
  return Number(text);
}

function describeIssued(issued: Schemas['IssuedSubscription']): string {
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

/** Reads a password without echoing it when typing at a terminal; a piped one is read as the first line. */
async function askPassword(prompt: string): Promise<string> {
  process.stderr.write(prompt);
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    const rl = readline.createInterface({ input: stdin });
    for await (const line of rl) {
      rl.close();
      return line;
    }
    return '';
  }
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let typed = '';
    const onData = (chunk: string) => {
      for (const c of chunk) {
        if (c === '\r' || c === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          resolve(typed);
          return;
        }
        if (c === '\u0003') {
          stdin.setRawMode(false);
          reject(new ApiError(null, 'cancelled', 'no password given'));
          return;
        }
        typed = c === '\u007f' ? typed.slice(0, -1) : typed + c;
      }
    };
    stdin.on('data', onData);
    stdin.resume();
  });
}

/** Signs in with the password, creates an API token for this machine and signs the session out again. */
async function login(cmd: Command): Promise<void> {
  const g = globals(cmd);
  const o = cmd.opts<{ email: string; password?: string }>();
  const server = g.server ?? process.env['KEYLINE_URL'];
  if (!server) return cmd.error('login needs --server URL (or KEYLINE_URL)', { exitCode: USAGE });
  const password = o.password ?? process.env['KEYLINE_PASSWORD'] ?? (await askPassword(`Password for ${o.email}: `));
  const api = apiClient(server);
  const signedIn = await reply(api.POST('/api/v1/sessions', { body: { email: o.email, password } }));
  const session = {
    cookie: signedIn.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; '),
    'x-csrf-token': signedIn.body.csrfToken,
  };
  try {
    if (!signedIn.body.user.isOperator) throw new ApiError(403, 'operator_only', `${o.email} is not a vendor operator`);
    const created = await reply(api.POST('/api/v1/me/api-tokens', { body: { name: `keyline vendor on ${os.hostname()}`.slice(0, 100) }, headers: session }));
    await writeStored(g.config, { server, token: created.body.token });
  } finally {
    await reply(api.DELETE('/api/v1/sessions/current', { headers: session }));
  }
  show(cmd, { server, email: signedIn.body.user.email, config: g.config }, () => `Signed in to ${server} as ${signedIn.body.user.email}; the API token is stored in ${g.config}`);
}

export function registerVendorCommands(program: Command): void {
  const vendor = program
    .command('vendor')
    .description('the vendor back office: catalog, orders, trials, renewals, suspensions, offline activation, search (operators only)')
    .option('--server <url>', 'Keyline server URL (KEYLINE_URL)')
    .option('--token <token>', 'an operator API token (KEYLINE_TOKEN)')
    .option('--config <file>', 'where `vendor login` keeps the server and token', DEFAULT_CONFIG)
    .option('--json', 'print the API answer as JSON')
    // Settings given before the subcommands are added are inherited by them: every usage error exits 2.
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : USAGE));

  vendor
    .command('login')
    .description('sign in as an operator and store an API token, so later commands need no flags')
    .requiredOption('--email <email>', 'the operator login')
    .option('--password <password>', 'the password (KEYLINE_PASSWORD); asked for when not given')
    .action(run(login));

  vendor
    .command('products')
    .description('the product catalog with each licensing model and its parameters')
    .action(
      run(async (cmd) => {
        const { body } = await reply((await connect(cmd)).GET('/api/v1/vendor/products'));
        show(cmd, body, () =>
          table(
            ['CODE', 'NAME', 'MODEL', 'TYPES', 'CHECK-IN (H)', 'OVER QUOTA', 'TRIAL'],
            body.items.map((p) => [p.code, p.name, p.model, p.licenseTypes.join(',') || null, p.params.checkInMaxHours, p.params.overQuota, `${p.params.trialSeats} seats, ${p.params.trialDays} days`]),
          ),
        );
      }),
    );

  vendor
    .command('product')
    .description('manage catalog entries')
    .command('put')
    .description('add a product, or replace its definition, from a JSON file in the catalog format')
    .requiredOption('--file <file>', 'a product: {code, name, model, licenseTypes, params, supportUrl (optional)}')
    .action(
      run(async (cmd) => {
        const file = cmd.opts<{ file: string }>().file;
        // The file goes to the server as it is: the server checks the definition and names what is wrong.
        let definition: { code?: unknown } & ProductDefinition;
        try {
          definition = JSON.parse(await fs.readFile(file, 'utf8')) as typeof definition;
        } catch (err) {
          return cmd.error(`cannot read ${file}: ${(err as Error).message}`, { exitCode: USAGE });
        }
        const { code, ...rest } = definition;
        if (typeof code !== 'string' || code === '') return cmd.error(`${file} names no product code`, { exitCode: USAGE });
        const res = await reply((await connect(cmd)).PUT('/api/v1/vendor/products/{code}', { params: { path: { code } }, body: rest }));
        show(cmd, res.body, () => `Product ${code} ${res.status === 201 ? 'added to' : 'replaced in'} the catalog`);
      }),
    );

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

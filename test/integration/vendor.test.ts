import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { insertLicenseKey } from '../../src/data/repositories/license-keys.js';
import { demoCatalog } from '../../src/domain/catalog.js';
import { extendBy } from '../../src/domain/subscription.js';
import { generateLicenseKey } from '../../src/services/licensing/key-material.js';
import { placeOrder } from '../../src/services/vendor/place-order.js';
import { ACME, createTestApp, signedInUser, uniqueEmail, type ApiClient, type Reply, type TestApp } from '../support/harness.js';
import { signedInOperator } from '../support/vendor.js';

let t: TestApp;
let operator: ApiClient;
let operatorEmail: string;
beforeAll(async () => {
  t = await createTestApp();
  const signedIn = await signedInOperator(t);
  operator = signedIn.client;
  operatorEmail = signedIn.email;
});
afterAll(() => t.close());

const V = '/api/v1/vendor';
const DAY = 86_400_000;

function order(body: Record<string, unknown> = {}) {
  return operator.post(`${V}/orders`, {
    customerEmail: uniqueEmail('customer'),
    items: [{ productCode: 'desktop-business', quantity: 10 }],
    duration: '1y',
    channel: 'reseller',
    supportPlan: 'standard',
    autoRenew: false,
    ...body,
  });
}

async function placed(body: Record<string, unknown> = {}) {
  const res = await order(body);
  if (res.status !== 201) throw new Error(`order failed: ${JSON.stringify(res.body)}`);
  return res.body as { subscription: { id: string; expiresAt: string; customerEmail: string; name: string }; primaryKey: { key: string }; order: { number: number } };
}

/** A customer registers the key into a new business account and gets its id. */
async function registered(key: string, company = { ...ACME, name: `Registered ${uniqueEmail('co')}` }) {
  const customer = await signedInUser(t, 'customer');
  const res = await customer.client.post('/api/v1/subscriptions/registrations', { licenseKey: key, company });
  expect(res.status).toBe(201);
  return { ...customer, accountId: res.body.subscription.accountId as string };
}

const search = async (query: string) => (await operator.get(`${V}/subscriptions?${query}`)).body.items.map((s: { id: string }) => s.id) as string[];

describe('the vendor back office', () => {
  it('answers 403 operator_only to anyone but an operator, on every route, and changes nothing', async () => {
    const customer = await signedInUser(t, 'not-operator');
    const doc = t.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith(`${V}/`))
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path })));
    expect(routes.length).toBeGreaterThanOrEqual(15);
    const count = async () => (await sql<{ n: number }>`SELECT (SELECT count(*) FROM subscriptions) + (SELECT count(*) FROM products) AS n`.execute(t.deps.db)).rows[0]!.n;
    const before = await count();
    for (const { method, path } of routes) {
      const url = path.replace('{id}', '00000000-0000-4000-8000-000000000000').replace('{code}', 'sneaky-product');
      const res = await customer.client.request(method, url, method === 'GET' || method === 'DELETE' ? undefined : { enabled: true });
      expect([method, path, res.status, res.body.error?.code]).toEqual([method, path, 403, 'operator_only']);
    }
    expect(await count()).toBe(before);
  });

  it('holds the rule in the use case too, whoever calls it', async () => {
    const customer = await signedInUser(t, 'direct');
    const actor = { userId: customer.userId, email: customer.email, isOperator: false, sessionId: null, ip: null };
    const attempt = placeOrder(t.deps, actor, { customerEmail: customer.email, items: [{ productCode: 'ras', licenseType: null, quantity: 5 }], duration: '1y', channel: 'reseller', supportPlan: 'standard', autoRenew: false });
    await expect(attempt).rejects.toMatchObject({ code: 'operator_only' });
  });
});

describe('the product catalog', () => {
  it('lists every product with its licensing model and parameters', async () => {
    const res = await operator.get(`${V}/products`);
    expect(res.status).toBe(200);
    for (const product of demoCatalog) expect(res.body.items).toContainEqual(product);
  });

  it('takes a sixth product by configuration, which can be ordered right away', async () => {
    const code = `kiosk-${Date.now()}`;
    const { code: _desktop, ...desktop } = demoCatalog[0]!;
    const definition = { ...desktop, name: 'Kiosk Manager', params: { ...desktop.params, trialDays: 21 } };
    const created = await operator.request('PUT', `${V}/products/${code}`, definition);
    expect(created.status).toBe(201);
    expect((await operator.get(`${V}/products`)).body.items.map((p: { code: string }) => p.code)).toContain(code);

    const bought = await order({ items: [{ productCode: code, quantity: 3 }] });
    expect(bought.status).toBe(201);
    expect(bought.body.items).toEqual([expect.objectContaining({ productCode: code, quantity: 3 })]);
    expect(bought.body.subscription.name).toMatch(/^Kiosk Manager - 3 licenses - valid till \d{4}-\d{2}-\d{2}$/);

    const replaced = await operator.request('PUT', `${V}/products/${code}`, { ...definition, name: 'Kiosk Manager 2' });
    expect([replaced.status, replaced.body.product.name]).toEqual([200, 'Kiosk Manager 2']);
  });

  it('refuses a replacement that would strand the license types subscriptions hold, and a broken definition', async () => {
    await placed({ items: [{ productCode: 'device-management', licenseType: 'mobile', quantity: 5 }] });
    const deviceManagement = demoCatalog.find((p) => p.code === 'device-management')!;
    const { code: _code, ...definition } = deviceManagement;
    const narrowed = await operator.request('PUT', `${V}/products/device-management`, { ...definition, licenseTypes: ['desktop'] });
    expect([narrowed.status, narrowed.body.error.code]).toEqual([409, 'product_in_use']);
    const broken = await operator.request('PUT', `${V}/products/new-product`, { ...definition, params: { ...definition.params, overQuota: 'maybe' } });
    expect([broken.status, broken.body.error.code]).toEqual([400, 'validation_failed']);
    const products = (await operator.get(`${V}/products`)).body.items as { code: string; licenseTypes: string[] }[];
    expect(products.find((p) => p.code === 'device-management')!.licenseTypes).toEqual(['desktop', 'mobile']);
    expect(products.map((p) => p.code)).not.toContain('new-product');
  });

  it("keeps a support address per product, refuses one that is not a web or mail address, and shows it with the customer's subscription", async () => {
    const code = `helpdesk-${Date.now()}`;
    const { code: _desktop, ...definition } = demoCatalog[0]!;
    const put = (supportUrl: unknown) => operator.request('PUT', `${V}/products/${code}`, { ...definition, name: 'Helpdesk', supportUrl });
    const created = await put('https://help.example.com/helpdesk');
    expect([created.status, created.body.product.supportUrl]).toEqual([201, 'https://help.example.com/helpdesk']);

    for (const bad of ['javascript:alert(document.cookie)', 'help.example.com', 'mailto:nobody']) {
      const refused = await put(bad);
      expect([bad, refused.status, refused.body.error.code, refused.body.error.details.issues[0].path]).toEqual([bad, 400, 'validation_failed', 'supportUrl']);
    }
    const listed = (await operator.get(`${V}/products`)).body.items.find((p: { code: string }) => p.code === code);
    expect(listed.supportUrl).toBe('https://help.example.com/helpdesk');

    const { primaryKey, subscription } = await placed({ items: [{ productCode: code, quantity: 2 }] });
    const customer = await registered(primaryKey.key);
    const details = async () => (await customer.client.get(`/api/v1/accounts/${customer.accountId}/subscriptions/${subscription.id}`)).body.products[0];
    expect(await details()).toMatchObject({ productCode: code, supportUrl: 'https://help.example.com/helpdesk' });
    expect((await put('mailto:helpdesk@example.com')).status).toBe(200);
    expect((await details()).supportUrl).toBe('mailto:helpdesk@example.com');
    // A definition without one (an older catalog file) has none.
    const { supportUrl: _url, ...withoutSupport } = definition;
    expect((await operator.request('PUT', `${V}/products/${code}`, withoutSupport)).body.product.supportUrl).toBeNull();
    expect((await details()).supportUrl).toBeNull();
  });
});

describe('an order', () => {
  it('issues a subscription and its primary key, handed to the operator and emailed to the customer', async () => {
    const customerEmail = uniqueEmail('buyer');
    const res = await order({
      customerEmail,
      items: [
        { productCode: 'desktop-business', quantity: 25 },
        { productCode: 'ras', licenseType: null, quantity: 50 },
      ],
      duration: '2y',
      channel: 'online',
      supportPlan: 'premium',
      autoRenew: true,
    });
    expect(res.status).toBe(201);
    const now = t.clock.now();
    expect(res.body.subscription).toMatchObject({ customerEmail, channel: 'online', supportPlan: 'premium', autoRenew: true, status: 'active', accountId: null });
    expect(res.body.subscription.expiresAt).toBe(extendBy(now, '2y').toISOString());
    expect(res.body.items.map((i: { productCode: string; quantity: number }) => [i.productCode, i.quantity])).toEqual([
      ['desktop-business', 25],
      ['ras', 50],
    ]);
    expect(res.body.order).toMatchObject({ kind: 'new', duration: '2y', placedBy: operatorEmail, previousExpiresAt: null });
    const [mail] = await t.emailsTo(customerEmail);
    expect(mail?.text).toContain(res.body.primaryKey.key);
  });

  it.each([
    ['a month sold by a reseller', { duration: '1m' }, 'duration'],
    ['auto-renewal sold by a reseller', { autoRenew: true }, 'autoRenew'],
    ['an unknown product', { items: [{ productCode: 'no-such-product', quantity: 1 }] }, 'items.0.productCode'],
    ['device management without a license type', { items: [{ productCode: 'device-management', quantity: 5 }] }, 'items.0.licenseType'],
    ['device management with an unknown license type', { items: [{ productCode: 'device-management', licenseType: 'tablet', quantity: 5 }] }, 'items.0.licenseType'],
    ['a license type on a product without types', { items: [{ productCode: 'ras', licenseType: 'mobile', quantity: 5 }] }, 'items.0.licenseType'],
    [
      'desktop and mobile in one subscription',
      {
        items: [
          { productCode: 'device-management', licenseType: 'desktop', quantity: 5 },
          { productCode: 'device-management', licenseType: 'mobile', quantity: 5 },
        ],
      },
      'items.1.licenseType',
    ],
  ])('refuses %s, naming the field', async (_label, body, field) => {
    const customerEmail = uniqueEmail('refused');
    const res = await order({ customerEmail, ...body });
    expect([res.status, res.body.error.code, res.body.error.details.field]).toEqual([400, 'validation_failed', field]);
    expect(await search(`search=${encodeURIComponent(customerEmail)}`)).toEqual([]);
    expect(await t.emailsTo(customerEmail)).toEqual([]);
  });

  it('sells a month online', async () => {
    const res = await order({ duration: '1m', channel: 'online', autoRenew: true });
    expect(res.status).toBe(201);
    expect(res.body.subscription.expiresAt).toBe(extendBy(t.clock.now(), '1m').toISOString());
  });
});

describe('a trial', () => {
  it("gets the product's trial seats and days unless chosen, on the trial channel, emailed", async () => {
    const customerEmail = uniqueEmail('trier');
    const res = await operator.post(`${V}/trials`, { customerEmail, productCode: 'ras' });
    expect(res.status).toBe(201);
    expect(res.body.subscription).toMatchObject({ channel: 'trial', autoRenew: false, status: 'expiring_soon' });
    expect(res.body.subscription.expiresAt).toBe(new Date(t.clock.now().getTime() + 30 * DAY).toISOString());
    expect(res.body.items).toEqual([expect.objectContaining({ productCode: 'ras', quantity: 50 })]);
    expect(res.body.order).toMatchObject({ kind: 'trial', channel: 'trial', duration: null });
    const [mail] = await t.emailsTo(customerEmail);
    expect([mail?.template, mail?.text.includes(res.body.primaryKey.key)]).toEqual(['trial_key_issued', true]);

    const chosen = await operator.post(`${V}/trials`, { customerEmail, productCode: 'device-management', licenseType: 'mobile', quantity: 3, days: 7 });
    expect(chosen.body.items).toEqual([expect.objectContaining({ licenseType: 'mobile', quantity: 3 })]);
    expect(chosen.body.subscription.expiresAt).toBe(new Date(t.clock.now().getTime() + 7 * DAY).toISOString());
  });

  it('lasts at most 90 days and needs the license type its product is sold by', async () => {
    const long = await operator.post(`${V}/trials`, { customerEmail: uniqueEmail('t'), productCode: 'ras', days: 91 });
    expect([long.status, long.body.error.details.field]).toEqual([400, 'days']);
    const untyped = await operator.post(`${V}/trials`, { customerEmail: uniqueEmail('t'), productCode: 'device-management' });
    expect([untyped.status, untyped.body.error.details.field]).toEqual([400, 'licenseType']);
    const unknown = await operator.post(`${V}/trials`, { customerEmail: uniqueEmail('t'), productCode: 'nothing' });
    expect([unknown.status, unknown.body.error.details.field]).toEqual([400, 'productCode']);
  });
});

describe('a renewal', () => {
  it('extends a running subscription from its expiry and records both dates', async () => {
    const { subscription } = await placed();
    const res = await operator.post(`${V}/subscriptions/${subscription.id}/renewals`, { duration: '2y' });
    expect(res.status).toBe(201);
    const expected = extendBy(new Date(subscription.expiresAt), '2y').toISOString();
    expect(res.body.subscription.expiresAt).toBe(expected);
    expect(res.body.order).toMatchObject({ kind: 'renewal', duration: '2y', previousExpiresAt: subscription.expiresAt, newExpiresAt: expected });
    expect(res.body.order.items).toEqual([{ productCode: 'desktop-business', licenseType: null, quantity: 10 }]);
  });

  it('starts an expired subscription again from today', async () => {
    const { subscription } = await placed();
    const now = t.clock.now();
    const lapsed = new Date(now.getTime() - 10 * DAY);
    await t.deps.db.updateTable('subscriptions').set({ starts_at: new Date(now.getTime() - 400 * DAY), expires_at: lapsed }).where('id', '=', subscription.id).execute();
    expect(await search(`search=${encodeURIComponent(subscription.customerEmail)}&status=expired`)).toEqual([subscription.id]);
    const res = await operator.post(`${V}/subscriptions/${subscription.id}/renewals`, { duration: '1y' });
    expect(res.body.subscription).toMatchObject({ expiresAt: extendBy(now, '1y').toISOString(), status: 'active' });
    expect(res.body.order.previousExpiresAt).toBe(lapsed.toISOString());
  });

  it('sells a month only to online subscriptions and never renews a trial', async () => {
    const reseller = await placed();
    const monthly = await operator.post(`${V}/subscriptions/${reseller.subscription.id}/renewals`, { duration: '1m' });
    expect([monthly.status, monthly.body.error.details.field]).toEqual([400, 'duration']);
    const online = await placed({ channel: 'online' });
    expect((await operator.post(`${V}/subscriptions/${online.subscription.id}/renewals`, { duration: '1m' })).status).toBe(201);
    const trial = (await operator.post(`${V}/trials`, { customerEmail: uniqueEmail('t'), productCode: 'ras' })).body;
    const renewedTrial = await operator.post(`${V}/subscriptions/${trial.subscription.id}/renewals`, { duration: '1y' });
    expect([renewedTrial.status, renewedTrial.body.error.details.field]).toEqual([400, 'subscription']);
    const unchanged = (await operator.get(`${V}/subscriptions/${reseller.subscription.id}`)).body;
    expect([unchanged.subscription.expiresAt, unchanged.orders.length]).toEqual([reseller.subscription.expiresAt, 1]);
  });

  it("shows in the customer account's audit log", async () => {
    const { subscription, primaryKey } = await placed();
    const customer = await registered(primaryKey.key);
    await operator.post(`${V}/subscriptions/${subscription.id}/renewals`, { duration: '1y' });
    const log = await customer.client.get(`/api/v1/accounts/${customer.accountId}/audit-events?action=subscription.renewed`);
    expect(log.body.items).toEqual([expect.objectContaining({ actorEmail: operatorEmail, targetId: subscription.id })]);
  });

  it('answers 404 for a subscription that does not exist', async () => {
    const res = await operator.post(`${V}/subscriptions/00000000-0000-4000-8000-000000000000/renewals`, { duration: '1y' });
    expect([res.status, res.body.error.code]).toEqual([404, 'not_found']);
  });
});

describe('adding licenses', () => {
  it('grows quantities, brings in new products and records the purchase as one order', async () => {
    const { subscription } = await placed();
    const lines = [
      { productCode: 'desktop-business', licenseType: null, quantity: 5 },
      { productCode: 'ras', licenseType: null, quantity: 20 },
    ];
    const res = await operator.post(`${V}/subscriptions/${subscription.id}/additions`, { items: lines });
    expect(res.status).toBe(201);
    expect(res.body.items.map((i: { productCode: string; quantity: number }) => [i.productCode, i.quantity])).toEqual([
      ['desktop-business', 15],
      ['ras', 20],
    ]);
    expect(res.body.order).toMatchObject({ kind: 'add_licenses', items: lines, duration: null, newExpiresAt: subscription.expiresAt, placedBy: operatorEmail });
    expect(res.body.subscription.expiresAt).toBe(subscription.expiresAt);
    const orders = (await operator.get(`${V}/orders?subscriptionId=${subscription.id}`)).body.items;
    expect(orders.map((o: { kind: string }) => o.kind)).toEqual(['add_licenses', 'new']);
  });

  it('keeps a device-management subscription to its one license type', async () => {
    const { subscription } = await placed({ items: [{ productCode: 'device-management', licenseType: 'desktop', quantity: 10 }] });
    const mobile = await operator.post(`${V}/subscriptions/${subscription.id}/additions`, { items: [{ productCode: 'device-management', licenseType: 'mobile', quantity: 5 }] });
    expect([mobile.status, mobile.body.error.details.field]).toEqual([400, 'items.0.licenseType']);
    const desktop = await operator.post(`${V}/subscriptions/${subscription.id}/additions`, { items: [{ productCode: 'device-management', licenseType: 'desktop', quantity: 5 }] });
    expect(desktop.body.items).toEqual([expect.objectContaining({ licenseType: 'desktop', quantity: 15 })]);
  });
});

describe('suspension', () => {
  it('suspends and resumes, answering the same when asked twice, audited once each', async () => {
    const { subscription } = await placed();
    const url = `${V}/subscriptions/${subscription.id}/suspension`;
    for (let i = 0; i < 2; i++) {
      const res = await operator.post(url);
      expect([res.status, res.body.subscription.status]).toEqual([200, 'suspended']);
    }
    expect(await search(`search=${encodeURIComponent(subscription.customerEmail)}&status=suspended`)).toEqual([subscription.id]);
    expect(await search(`search=${encodeURIComponent(subscription.customerEmail)}&status=active`)).toEqual([]);
    for (let i = 0; i < 2; i++) {
      const res = await operator.delete(url);
      expect([res.status, res.body.subscription.status]).toEqual([200, 'active']);
    }
    const actions = await t.deps.db.selectFrom('audit_events').select('action').where('target_id', '=', subscription.id).orderBy('id').execute();
    expect(actions.map((a) => a.action)).toEqual(['order.placed', 'subscription.suspended', 'subscription.resumed']);
  });
});

describe('offline activation', () => {
  it("is switched per account, visible to the account's members and in its audit log", async () => {
    const { primaryKey } = await placed();
    const customer = await registered(primaryKey.key);
    expect((await customer.client.get(`/api/v1/accounts/${customer.accountId}`)).body.account.offlineActivationEnabled).toBe(false);
    const on = await operator.request('PUT', `${V}/accounts/${customer.accountId}/offline-activation`, { enabled: true });
    expect([on.status, on.body.account.offlineActivationEnabled]).toEqual([200, true]);
    expect((await customer.client.get(`/api/v1/accounts/${customer.accountId}`)).body.account.offlineActivationEnabled).toBe(true);
    const log = await customer.client.get(`/api/v1/accounts/${customer.accountId}/audit-events?action=account.offline_activation_enabled`);
    expect(log.body.items).toEqual([expect.objectContaining({ actorEmail: operatorEmail })]);
    await operator.request('PUT', `${V}/accounts/${customer.accountId}/offline-activation`, { enabled: false });
    expect((await customer.client.get(`/api/v1/accounts/${customer.accountId}`)).body.account.offlineActivationEnabled).toBe(false);
    const missing = await operator.request('PUT', `${V}/accounts/00000000-0000-4000-8000-000000000000/offline-activation`, { enabled: true });
    expect(missing.status).toBe(404);
  });
});

describe('searching subscriptions', () => {
  it('finds a subscription by customer email, name, key suffix or the support code of its account', async () => {
    const code = `findme-${Date.now()}`;
    const { code: _c, ...definition } = demoCatalog[0]!;
    await operator.request('PUT', `${V}/products/${code}`, { ...definition, name: `Findable ${code}` });
    const { subscription, primaryKey } = await placed({ items: [{ productCode: code, quantity: 2 }] });
    const other = await placed();
    const customer = await registered(primaryKey.key);
    const supportCode = (await customer.client.get(`/api/v1/accounts/${customer.accountId}`)).body.account.supportCode;
    const lastGroup = primaryKey.key.slice(-5);

    for (const term of [subscription.customerEmail.toUpperCase(), `Findable ${code}`, lastGroup.toLowerCase(), primaryKey.key, supportCode]) {
      expect([term, await search(`search=${encodeURIComponent(term)}`)]).toEqual([term, [subscription.id]]);
    }
    expect(await search(`search=${encodeURIComponent(subscription.customerEmail)}&product=${code}`)).toEqual([subscription.id]);
    expect(await search(`search=${encodeURIComponent(subscription.customerEmail)}&product=ras`)).toEqual([]);
    expect(await search(`search=${encodeURIComponent(other.subscription.customerEmail)}&channel=online`)).toEqual([]);
    expect(await search(`accountId=${customer.accountId}`)).toEqual([subscription.id]);

    const [row] = (await operator.get(`${V}/subscriptions?search=${lastGroup}`)).body.items;
    expect(row).toMatchObject({ customerEmail: subscription.customerEmail, account: { id: customer.accountId, supportCode }, items: [{ productCode: code, quantity: 2 }] });
  });

  it('tells expiring soon from running, matching what each row shows', async () => {
    const customerEmail = uniqueEmail('soon');
    const trial = (await operator.post(`${V}/trials`, { customerEmail, productCode: 'ras', days: 10 })).body;
    const running = (await placed({ customerEmail })).subscription;
    const q = `search=${encodeURIComponent(customerEmail)}`;
    expect(await search(`${q}&status=expiring_soon`)).toEqual([trial.subscription.id]);
    expect((await search(`${q}&status=active`)).sort()).toEqual([trial.subscription.id, running.id].sort());
    expect(await search(`${q}&status=expired`)).toEqual([]);
  });

  it('pages through every match once, newest first, and exports the same rows as CSV', async () => {
    const tag = `pager${Date.now()}`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await placed({ customerEmail: `${tag}.${i}@example.com` })).subscription.id);
      t.clock.advanceSeconds(1);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Reply = await operator.get(`${V}/subscriptions?search=${tag}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((s: { id: string }) => s.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());

    const csv = await operator.get(`${V}/subscriptions.csv?search=${tag}`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = (csv.body as string).trim().split('\n');
    expect(lines[0]).toBe('id,name,customer_email,account,support_code,channel,support_plan,auto_renew,starts_at,expires_at,products');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual([...ids].reverse());
    expect(lines[1]).toContain(`${tag}.4@example.com`);
    expect(lines[1]).toContain('desktop-business x10');
  });

  it('refuses a cursor it did not hand out', async () => {
    const res = await operator.get(`${V}/subscriptions?cursor=bm90LWEtY3Vyc29y`);
    expect([res.status, res.body.error.code]).toEqual([400, 'validation_failed']);
  });
});

describe('subscription details', () => {
  it('shows products with used seats, the primary key in clear, sublicenses by last group, orders and the account', async () => {
    const { subscription, primaryKey } = await placed({ items: [{ productCode: 'desktop-business', quantity: 10 }] });
    const before = (await operator.get(`${V}/subscriptions/${subscription.id}`)).body;
    expect(before.account).toBeNull();
    expect(before.contract.customerEmail).toBe(subscription.customerEmail);
    expect(before.products).toEqual([expect.objectContaining({ productCode: 'desktop-business', quantity: 10, used: 0, availableInMainPool: 10 })]);
    expect(before.keys).toEqual([expect.objectContaining({ kind: 'primary', key: primaryKey.key })]);
    expect(before.orders).toEqual([expect.objectContaining({ kind: 'new', number: expect.any(Number) })]);

    const customer = await registered(primaryKey.key);
    const sublicense = generateLicenseKey();
    await insertLicenseKey(t.deps.db, {
      subscriptionId: subscription.id,
      itemId: before.products[0].itemId,
      accountId: customer.accountId,
      kind: 'reserved',
      name: 'Lab',
      quota: 4,
      keyHash: sublicense.hash,
      keyText: sublicense.key,
      expiresAt: null,
      createdBy: customer.userId,
    });
    const after = (await operator.get(`${V}/subscriptions/${subscription.id}`)).body;
    expect(after.account).toMatchObject({ id: customer.accountId });
    const lab = after.keys.find((k: { name: string }) => k.name === 'Lab');
    expect(lab).toMatchObject({ kind: 'reserved', quota: 4, used: 0, key: `•••••-•••••-•••••-•••••-${sublicense.key.slice(-5)}` });
    expect(after.products[0]).toMatchObject({ availableInMainPool: 6, availableInReservedKeys: 4 });
  });
});

describe('accounts', () => {
  it('finds an account by part of its name, its support code or a member email, with its members and subscriptions', async () => {
    const name = `Searchable Co ${Date.now()}`;
    const { subscription, primaryKey } = await placed();
    const customer = await registered(primaryKey.key, { ...ACME, name });
    const account = (await customer.client.get(`/api/v1/accounts/${customer.accountId}`)).body.account;
    const found = async (term: string) => (await operator.get(`${V}/accounts?search=${encodeURIComponent(term)}`)).body.items.map((a: { id: string }) => a.id);
    expect(await found(name.slice(0, -3).toLowerCase())).toEqual([customer.accountId]);
    expect(await found(account.supportCode)).toEqual([customer.accountId]);
    const personal = (await customer.client.get('/api/v1/me')).body.accounts.find((a: { kind: string }) => a.kind === 'personal').id;
    expect((await found(customer.email)).sort()).toEqual([customer.accountId, personal].sort());
    const details = (await operator.get(`${V}/accounts/${customer.accountId}`)).body;
    expect(details.account).toMatchObject({ name, supportCode: account.supportCode, offlineActivationEnabled: false });
    expect(details.members).toEqual([expect.objectContaining({ email: customer.email, role: 'admin' })]);
    expect(details.subscriptions.map((s: { id: string }) => s.id)).toEqual([subscription.id]);
    expect([details.moreMembers, details.moreSubscriptions]).toEqual([false, false]);
  });

  it('pages through accounts by name, every one once', async () => {
    const tag = `Paged ${Date.now()}`;
    const ids = [];
    for (const letter of ['C', 'A', 'B']) ids.push((await registered((await placed()).primaryKey.key, { ...ACME, name: `${tag} ${letter}` })).accountId);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Reply = await operator.get(`${V}/accounts?search=${encodeURIComponent(tag)}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...res.body.items.map((a: { id: string }) => a.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([ids[1], ids[2], ids[0]]);
  });
});

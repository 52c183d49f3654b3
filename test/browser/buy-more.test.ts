import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startPortalServer, type PortalServer } from './browser.js';
import { apiSession, issueOrder, registerKey, signIn, signUpCustomer } from './flows.js';

let portal: PortalServer;
let browser: Browser;
let accountId: string;
let subscriptionId: string;
const stamp = Date.now();
const customer = { email: `bo.${stamp}@example.com`, password: 'bo-password-1', firstName: 'Bo', lastName: 'Buyer', company: `Bo Buys ${stamp}` };

beforeAll(async () => {
  portal = await startPortalServer('buy-more');
  const url = portal.server.url;
  ({ businessAccountId: accountId } = await signUpCustomer(url, customer));
  const items = [
    { productCode: 'desktop-business', quantity: 10 },
    { productCode: 'ras', quantity: 4 },
  ];
  const licenseKey = await issueOrder(url, portal.operatorPassword, { customerEmail: customer.email, channel: 'online', duration: '1y', items });
  const api = await apiSession(url, customer.email, customer.password);
  ({ id: subscriptionId } = await registerKey(api, accountId, licenseKey));
  await api.dispose();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

describe('buying more licenses', () => {
  it('adds licenses of several products of a subscription in one purchase', async () => {
    const context = await browser.newContext({ baseURL: portal.server.url, viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const page = await signIn(context, customer.email, customer.password);
    await page.goto(`/accounts/${accountId}/subscriptions/${subscriptionId}`);
    await page.getByRole('button', { name: 'Buy more licenses' }).click();
    const buy = page.getByRole('dialog', { name: 'Buy more licenses' });

    // Nothing chosen yet: the form says so instead of sending an empty purchase.
    await buy.getByRole('button', { name: 'Buy licenses' }).click();
    await buy.getByText('Add at least one license').waitFor();

    await buy.getByLabel('Desktop Virtualization, Business Edition').fill('2');
    await buy.getByText('12 licenses in all after the purchase').waitFor();
    await buy.getByLabel('Remote Application Server').fill('3');
    await buy.getByText('7 licenses in all after the purchase').waitFor();
    await buy.getByRole('button', { name: 'Buy licenses' }).click();
    await page.getByRole('status').getByText('The licenses were added.').waitFor();

    // One order with both lines; each product's seats grew by what was bought.
    const api = await apiSession(portal.server.url, customer.email, customer.password);
    const details = await api.call<{ products: { productCode: string; quantity: number }[]; orders: { kind: string }[] }>('GET', `/accounts/${accountId}/subscriptions/${subscriptionId}`);
    await api.dispose();
    expect(Object.fromEntries(details.products.map((p) => [p.productCode, p.quantity]))).toEqual({ 'desktop-business': 12, ras: 7 });
    expect(details.orders.filter((o) => o.kind === 'add_licenses')).toHaveLength(1);
    await context.close();
  });
});

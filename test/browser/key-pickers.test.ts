import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startPortalServer, type PortalServer } from './browser.js';
import { apiSession, issueOrder, registerKey, signIn, signUpCustomer } from './flows.js';

// Issue 12, points 7 and 8: key pickers a person can read, the seats left to give, and Copy beside a key.

interface Key {
  id: string;
  name: string;
  key: string;
}
interface Registered {
  id: string;
  name: string;
  primary: Key;
}

let portal: PortalServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let accountId: string;
let desktop: Registered;
let second: Registered;
let design: Key;
const stamp = Date.now();
const customer = { email: `pia.${stamp}@example.com`, password: 'pia-password-1', firstName: 'Pia', lastName: 'Picker', company: `Pia Pickers ${stamp}` };

const ending = (key: string) => `…-${key.slice(-5)}`;

beforeAll(async () => {
  portal = await startPortalServer('key-pickers');
  const url = portal.server.url;
  ({ businessAccountId: accountId } = await signUpCustomer(url, customer));
  const api = await apiSession(url, customer.email, customer.password);
  const register = async (quantity: number): Promise<Registered> => {
    const licenseKey = await issueOrder(url, portal.operatorPassword, { customerEmail: customer.email, channel: 'reseller', duration: '1y', items: [{ productCode: 'desktop-business', quantity }] });
    const subscription = await registerKey(api, accountId, licenseKey);
    const details = await api.call<{ keys: (Key & { kind: string })[] }>('GET', `/accounts/${accountId}/subscriptions/${subscription.id}`);
    return { ...subscription, primary: details.keys.find((k) => k.kind === 'primary')! };
  };
  desktop = await register(10);
  second = await register(4);
  const details = await api.call<{ products: { itemId: string }[] }>('GET', `/accounts/${accountId}/subscriptions/${desktop.id}`);
  ({ key: design } = await api.call<{ key: Key }>('POST', `/accounts/${accountId}/subscriptions/${desktop.id}/keys`, { itemId: details.products[0]!.itemId, name: 'Design team', kind: 'reserved', quota: 2, expiresAt: null }));
  await api.dispose();
  browser = await launchChromium();
  context = await browser.newContext({ baseURL: url, viewport: { width: 1280, height: 800 }, locale: 'en-US', permissions: ['clipboard-read', 'clipboard-write'] });
  page = await signIn(context, customer.email, customer.password);
});

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

/** A picker's options as a person reads them, under the subscription each belongs to. */
async function optionsOf(picker: ReturnType<Page['getByRole']>): Promise<string[]> {
  await picker.locator('option', { hasText: 'Design team' }).waitFor({ state: 'attached' });
  return picker.locator('option[value]:not([value=""])').evaluateAll((options) => options.map((o) => `${(o.parentElement as HTMLOptGroupElement).label ?? ''} › ${o.textContent}`));
}

describe('key pickers', () => {
  it('name each key once, by its last group and its free seats, in the invitation form and the installations filter', async () => {
    // The primary key is named after its subscription; reserving 2 seats for Design team left it 8.
    const expected = [
      `${second.name} › ${second.name} · ${ending(second.primary.key)} · 4 of 4 seats free`,
      `${desktop.name} › ${desktop.name} · ${ending(desktop.primary.key)} · 8 of 8 seats free`,
      `${desktop.name} › Design team · ${ending(design.key)} · 2 of 2 seats free`,
    ].sort();
    await page.goto('/invite-to-install');
    expect((await optionsOf(page.getByRole('combobox', { name: 'License key' }))).sort()).toEqual(expected);
    await page.goto('/installations');
    expect((await optionsOf(page.getByRole('combobox', { name: 'License key' }))).sort()).toEqual(expected);
    // A picker tells the keys apart; the full key is not in it.
    expect(await page.getByRole('combobox', { name: 'License key' }).textContent()).not.toContain(design.key);
  });
});

describe('the Create License Key dialog', () => {
  it('says how many seats are left to give, and a quota past them is refused on the Quota field with the number left', async () => {
    await page.goto(`/accounts/${accountId}/subscriptions/${desktop.id}`);
    await page.getByRole('button', { name: 'Create License Key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create License Key' });
    const quota = dialog.getByLabel('Quota');
    expect(await quota.getAttribute('aria-describedby')).toBeTruthy();
    const description = async () => dialog.locator(`[id="${await quota.getAttribute('aria-describedby')}"]`).textContent();
    expect(await description()).toBe('How many installations may use this key. 8 of 10 seats are left to give.');

    await dialog.getByLabel('Name').fill('Studio');
    await dialog.getByLabel('Reserved').check();
    await quota.fill('9');
    await dialog.getByRole('button', { name: 'Create license key' }).click();
    await dialog.locator('[aria-invalid="true"]').waitFor();
    expect(await quota.getAttribute('aria-invalid')).toBe('true');
    expect(await description()).toBe('Only 8 seats are left on this subscription');
    await expect.poll(() => quota.evaluate((input) => input === document.activeElement)).toBe(true);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });
});

describe('Copy beside a license key', () => {
  it("puts the key on the clipboard from the customer's License Keys table and from the back office", async () => {
    const clipboard = () => page.evaluate(() => navigator.clipboard.readText());
    await page.goto(`/accounts/${accountId}/subscriptions/${desktop.id}`);
    await page.getByRole('button', { name: 'Copy the key of Design team' }).click();
    await page.getByRole('status').getByText('Copied', { exact: true }).waitFor();
    expect(await clipboard()).toBe(design.key);

    const operator = await signIn(await browser.newContext({ baseURL: portal.server.url, viewport: { width: 1280, height: 800 }, locale: 'en-US', permissions: ['clipboard-read', 'clipboard-write'] }), 'operator@keyline.local', portal.operatorPassword);
    await operator.goto(`/back-office/subscriptions/${desktop.id}`);
    await operator.getByRole('button', { name: `Copy the key of ${desktop.name}` }).click();
    await operator.getByRole('status').getByText('Copied', { exact: true }).waitFor();
    expect(await operator.evaluate(() => navigator.clipboard.readText())).toBe(desktop.primary.key);
    await operator.context().close();
  });
});

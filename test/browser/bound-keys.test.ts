import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot, startPortalServer, type PortalServer } from './browser.js';
import { agent, apiSession, issueOrder, registerKey, signIn, signUpCustomer } from './flows.js';

// Issue 13, point 6: additional keys of a server farm product, each activating its own farm.

let portal: PortalServer;
let browser: Browser;
let page: Page;
let accountId: string;
let farmSubscription: { id: string; name: string };
const stamp = Date.now();
const customer = { email: `rafa.${stamp}@example.com`, password: 'rafa-password-1', firstName: 'Rafa', lastName: 'Farmer', company: `Rafa Farms ${stamp}` };

beforeAll(async () => {
  portal = await startPortalServer('bound-keys');
  const url = portal.server.url;
  ({ businessAccountId: accountId } = await signUpCustomer(url, customer));
  const licenseKey = await issueOrder(url, portal.operatorPassword, { customerEmail: customer.email, channel: 'reseller', duration: '1y', items: [{ productCode: 'ras', quantity: 50 }] });
  const api = await apiSession(url, customer.email, customer.password);
  farmSubscription = await registerKey(api, accountId, licenseKey);
  await api.dispose();
  browser = await launchChromium();
  page = await signIn(await browser.newContext({ baseURL: url, viewport: { width: 1280, height: 800 }, locale: 'en-US' }), customer.email, customer.password);
});

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

/** A key row's Type, Quota, Used and Available, as the License Keys table shows them. */
const rowCells = async (page: Page, name: string) => (await page.getByRole('table', { name: 'License Keys' }).getByRole('row').filter({ hasText: name }).getByRole('cell').allTextContents()).slice(2, 6);

describe('the License Keys of a server farm product', () => {
  it("creates a reserved key for a second farm, counted in concurrent users, and shows the farm's reported use", async () => {
    await page.goto(`/accounts/${accountId}/subscriptions/${farmSubscription.id}`);
    await page.getByRole('button', { name: 'Create License Key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create License Key' });
    const quota = dialog.getByLabel('Quota');
    const description = async () => dialog.locator(`[id="${await quota.getAttribute('aria-describedby')}"]`).textContent();
    expect(await description()).toBe('How many concurrent users the installation activated with this key may serve. 50 of 50 seats are left to give.');
    await dialog.getByLabel('Name').fill('Branch farm');
    await dialog.getByLabel('Reserved').check();
    await quota.fill('10');
    await dialog.getByRole('button', { name: 'Create license key' }).click();
    await page.getByRole('status').getByText('The license key was created.').waitFor();
    await expect.poll(() => rowCells(page, 'Branch farm')).toEqual(['Reserved', '10', '0', '10']);
    await expect.poll(() => rowCells(page, 'Primary')).toEqual(['Primary', '40', '0', '40']);

    // The branch's farm activates with the new key and reports 7 concurrent users.
    const api = await apiSession(portal.server.url, customer.email, customer.password);
    const details = await api.call<{ keys: { name: string; key: string }[] }>('GET', `/accounts/${accountId}/subscriptions/${farmSubscription.id}`);
    await api.dispose();
    const branchKey = details.keys.find((k) => k.name === 'Branch farm')!.key;
    const state = ['--state', path.join(portal.dataDir, 'branch-farm.json')];
    const activated = await agent('activate', '--server', portal.server.url, '--product', 'ras', '--key', branchKey, '--fingerprint', 'branch-farm-fingerprint-1', ...state);
    expect(activated.code).toBe(0);
    expect((await agent('check-in', '--peak', '7', '--current', '5', ...state)).code).toBe(0);
    const secondFarm = await agent('activate', '--server', portal.server.url, '--product', 'ras', '--key', branchKey, '--fingerprint', 'branch-farm-fingerprint-2', '--state', path.join(portal.dataDir, 'second-farm.json'));
    expect(secondFarm.json?.error?.code).toBe('key_bound_to_other_installation');

    await page.reload();
    await expect.poll(() => rowCells(page, 'Branch farm')).toEqual(['Reserved', '10', '7', '3']);
    const products = page.getByRole('table', { name: 'Products' }).getByRole('row').filter({ hasText: 'Remote Application Server' });
    expect((await products.getByRole('cell').allTextContents()).slice(1)).toEqual(['50', '7', '40', '3']);
    await screenshot(page, 'farm-license-keys');

    // Deleting the key names its farm, not its 7 users as installations.
    await page.getByRole('button', { name: 'Actions for Branch farm' }).click();
    await page.getByRole('menu', { name: 'Actions for Branch farm' }).getByRole('menuitem', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete license key' });
    expect(await confirm.locator('p').textContent()).toBe('Delete Branch farm? The installation activated with it, if any, is deactivated, and its seats return to the subscription.');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
  });
});

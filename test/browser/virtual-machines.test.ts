import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityProblems, launchChromium, screenshot, sidewaysOverflow, startPortalServer, type PortalServer } from './browser.js';
import { agent, apiSession, issueOrder, registerKey, signIn, signUpCustomer } from './flows.js';

// Issue 13, point 4: the Virtual Machines page of the Management heading, at a laptop's and a phone's width.

let portal: PortalServer;
let browser: Browser;
let accountId: string;
let enterpriseKey: string;
let labKey: string;
let labKeyId: string;
let enterpriseKeyName: string;
const stamp = Date.now();
const customer = { email: `vera.${stamp}@example.com`, password: 'vera-password-1', firstName: 'Vera', lastName: 'Virtual', company: `Vera Virtual ${stamp}` };

const uuid = (n: number) => `3f2504e0-4f89-41d3-9a0c-${n.toString(16).padStart(12, '0')}`;
const vm = (n: number, name: string, extra: Record<string, unknown> = {}) => ({ uuid: uuid(n), name, guestOs: 'Windows 11', state: 'running', architecture: 'arm64', lastUsedAt: '2026-01-05T10:00:00Z', ...extra });

/** Activates a machine with `keyline agent` and checks in with these VMs, as the product on a Mac would. */
async function macReports(name: string, key: string, vms: unknown[]) {
  const state = path.join(portal.dataDir, `${name}.json`);
  const file = path.join(portal.dataDir, `${name}-vms.json`);
  writeFileSync(file, JSON.stringify(vms));
  const activated = await agent('activate', '--server', portal.server.url, '--product', 'desktop-enterprise', '--key', key, '--fingerprint', `vm-browser-${name}-fingerprint`, '--name', name, '--state', state);
  expect(activated.code).toBe(0);
  expect((await agent('check-in', '--state', state, '--vms', file)).code).toBe(0);
}

beforeAll(async () => {
  portal = await startPortalServer('virtual-machines');
  const url = portal.server.url;
  ({ businessAccountId: accountId } = await signUpCustomer(url, customer));
  enterpriseKey = await issueOrder(url, portal.operatorPassword, { customerEmail: customer.email, channel: 'reseller', duration: '1y', items: [{ productCode: 'desktop-enterprise', quantity: 10 }] });
  const api = await apiSession(url, customer.email, customer.password);
  const { id: subscriptionId, name } = await registerKey(api, accountId, enterpriseKey);
  // The primary key is named after its subscription.
  enterpriseKeyName = name;
  const details = await api.call<{ products: { itemId: string }[] }>('GET', `/accounts/${accountId}/subscriptions/${subscriptionId}`);
  ({
    key: { key: labKey, id: labKeyId },
  } = await api.call<{ key: { key: string; id: string } }>('POST', `/accounts/${accountId}/subscriptions/${subscriptionId}/keys`, { itemId: details.products[0]!.itemId, kind: 'reserved', name: 'Lab', quota: 3, expiresAt: null }));
  await api.dispose();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

const table = (page: Page) => page.getByRole('table', { name: 'Virtual machines' });
const vmNames = async (page: Page) => {
  await expect.poll(() => page.locator('.spinner').count()).toBe(0);
  return table(page).locator('tbody tr td:first-child').allInnerTexts();
};

/** Opens Management › Virtual Machines from the main menu, as a person does. */
async function openFromMenu(page: Page) {
  const menu = page.getByRole('navigation', { name: 'Main' });
  await menu.getByRole('button', { name: 'Management' }).click();
  await menu.getByRole('link', { name: 'Virtual Machines' }).click();
  await page.getByRole('heading', { name: 'Virtual Machines', level: 1 }).waitFor();
}

describe('the Virtual Machines page', () => {
  it('says how VMs arrive before any has, then lists, searches, filters, pages and exports them', async () => {
    const context = await browser.newContext({ baseURL: portal.server.url, viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const page = await signIn(context, customer.email, customer.password);
    await openFromMenu(page);
    await expect.poll(() => page.getByText(/reports its virtual machines when it checks in/).count()).toBe(1);
    expect(await accessibilityProblems(page)).toEqual([]);

    await macReports('design-mac', enterpriseKey, [
      vm(1, 'Windows 11 dev'),
      vm(2, 'Ubuntu server', { guestOs: 'Ubuntu 24.04', state: 'suspended', architecture: 'x86_64' }),
      ...Array.from({ length: 53 }, (_, n) => vm(100 + n, `Test VM ${String(n).padStart(2, '0')}`, { state: 'stopped' })),
    ]);
    await macReports('lab-mac', labKey, [vm(3, 'Kali', { guestOs: 'Kali Linux' })]);
    await page.reload();
    await expect.poll(() => vmNames(page).then((n) => n.length)).toBe(50);
    expect((await vmNames(page)).slice(0, 2)).toEqual(['Kali', 'Test VM 00']);
    const nameHeader = table(page).getByRole('columnheader', { name: 'Name' });
    await nameHeader.getByRole('button').click();
    await expect.poll(() => vmNames(page).then((n) => n.slice(0, 2))).toEqual(['Windows 11 dev', 'Ubuntu server']);
    expect(await nameHeader.getAttribute('aria-sort')).toBe('descending');
    await nameHeader.getByRole('button').click();
    await expect.poll(() => vmNames(page).then((n) => n[0])).toBe('Kali');
    expect(await nameHeader.getAttribute('aria-sort')).toBe('ascending');
    await page.getByRole('navigation', { name: 'Virtual machines pages' }).getByRole('button', { name: 'Next →' }).click();
    await expect.poll(() => vmNames(page)).toEqual(['Test VM 49', 'Test VM 50', 'Test VM 51', 'Test VM 52', 'Ubuntu server', 'Windows 11 dev']);
    const row = table(page).getByRole('row').filter({ hasText: 'Ubuntu server' });
    expect(await row.getByRole('cell').allInnerTexts()).toEqual(['Ubuntu server', 'Ubuntu 24.04', 'Suspended', 'x86_64', expect.stringMatching(/Jan 5, 2026/), 'design-mac', enterpriseKeyName, uuid(2)]);
    await screenshot(page, 'virtual-machines-1280');

    await page.getByLabel('Search virtual machines').fill('kali');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => vmNames(page)).toEqual(['Kali']);
    await page.getByLabel('Search virtual machines').fill('');
    await page.getByRole('button', { name: 'Search' }).click();

    await page.getByLabel('License key').selectOption(labKeyId);
    await expect.poll(() => vmNames(page)).toEqual(['Kali']);
    expect(new URL(page.url()).searchParams.get('keyId')).toBeTruthy();
    // Back to every key, the list is on the page it was left on.
    await page.getByLabel('License key').selectOption('');
    await expect.poll(() => vmNames(page).then((n) => n.at(-1))).toBe('Windows 11 dev');

    await page.getByRole('navigation', { name: 'Virtual machines pages' }).getByRole('button', { name: '← Previous' }).click();
    await table(page).getByRole('link', { name: 'Show only the virtual machines of lab-mac' }).click();
    await expect.poll(() => vmNames(page)).toEqual(['Kali']);
    await page.getByText('Showing the virtual machines of lab-mac.').waitFor();
    const csv = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
    expect(csv).toMatch(new RegExp(`^/api/v1/accounts/${accountId}/virtual-machines\\.csv\\?.*installationId=`));
    const download = await context.request.get(csv!);
    expect((await download.text()).split(/\r?\n/).slice(0, 2)).toEqual([
      'Name,Guest OS,State,Architecture,Last used,Installation,License key,UUID',
      `Kali,Kali Linux,Running,arm64,2026-01-05T10:00:00.000Z,lab-mac,Lab,${uuid(3)}`,
    ]);
    expect(await accessibilityProblems(page)).toEqual([]);

    // The personal account holds no Enterprise product: no Management heading there.
    await page.getByLabel('Account').selectOption({ label: `${customer.firstName} ${customer.lastName}` });
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Management' }).count()).toBe(0);
    await context.close();
  });

  it('fits a phone, each VM a block of named cells, accessibly', async () => {
    const context = await browser.newContext({ baseURL: portal.server.url, viewport: { width: 390, height: 844 }, locale: 'en-US' });
    const page = await signIn(context, customer.email, customer.password);
    await openFromMenu(page);
    await page.getByLabel('Search virtual machines').fill('ubuntu');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => vmNames(page)).toEqual(['Ubuntu server']);
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'virtual-machines-390');
    // The menu's heading opens and closes with the keyboard too.
    const menu = page.getByRole('navigation', { name: 'Main' });
    await menu.getByRole('button', { name: 'Management' }).click();
    await expect.poll(() => menu.getByRole('link', { name: 'Virtual Machines' }).isVisible()).toBe(true);
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await expect.poll(() => menu.getByRole('link', { name: 'Virtual Machines' }).isVisible()).toBe(false);
    await context.close();
  });
});

import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityProblems, launchChromium, screenshot, sidewaysOverflow, startPortalServer, topBarLines, type PortalServer } from './browser.js';
import { agent, apiSession, confirmEmail, issueOrder, openRowActions, registerKey, signIn, signUpCustomer } from './flows.js';

// Every page at a laptop's and a phone's width: the page itself never scrolls sideways, and axe-core
// finds nothing against WCAG 2.1 AA (names of controls, contrast, structure).
const WIDTHS = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
] as const;

let portal: PortalServer;
let browser: Browser;
let accountId: string;
let subscriptionId: string;
const stamp = Date.now();
const customer = { email: `ines.${stamp}@example.com`, password: 'ines-password-1', firstName: 'Ines', lastName: 'Layout', company: `Ines Layout Studio ${stamp}` };

beforeAll(async () => {
  portal = await startPortalServer('layout');
  const url = portal.server.url;
  ({ businessAccountId: accountId } = await signUpCustomer(url, customer));
  const licenseKey = await issueOrder(url, portal.operatorPassword, { customerEmail: customer.email, channel: 'online', duration: '1y' });

  // The subscription in the business account, with a sublicense beside the primary key, and one installation.
  const api = await apiSession(url, customer.email, customer.password);
  ({ id: subscriptionId } = await registerKey(api, accountId, licenseKey));
  const details = await api.call<{ products: { itemId: string }[] }>('GET', `/accounts/${accountId}/subscriptions/${subscriptionId}`);
  const { key: berlin } = await api.call<{ key: { id: string } }>('POST', `/accounts/${accountId}/subscriptions/${subscriptionId}/keys`, { itemId: details.products[0]!.itemId, kind: 'reserved', name: 'Berlin office', quota: 3, expiresAt: null });
  // A pending invitation to install (sent from a confirmed address), so its row and its actions are laid out too.
  await confirmEmail(api, url, customer.email);
  await api.call('POST', `/accounts/${accountId}/install-invitations`, { keyId: berlin.id, emails: [`invited.${stamp}@example.com`] });
  await api.dispose();
  const activated = await agent('activate', '--server', url, '--product', 'desktop-business', '--key', licenseKey, '--fingerprint', 'layout-fingerprint-1', '--name', 'layout-pc-1', '--state', path.join(portal.dataDir, 'agent.json'));
  expect(activated.code).toBe(0);

  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

/** How far the page scrolls sideways at the current width: 0 when it fits. */

/**
 * Opens each page once, waits for what shows it loaded, then at each width records any sideways
 * overflow and accessibility problem and saves `<name>-<width>.png`. Returns what it found, by page
 * and width.
 */
async function visitAll(page: Page, pages: readonly { name: string; path: string; ready: (page: Page) => Locator }[]): Promise<string[]> {
  const found: string[] = [];
  for (const { name, path: address, ready } of pages) {
    await page.setViewportSize(WIDTHS[0]);
    await page.goto(address);
    await ready(page).first().waitFor({ state: 'attached' });
    await expect.poll(() => page.locator('.spinner').count()).toBe(0);
    for (const size of WIDTHS) {
      await page.setViewportSize(size);
      const overflow = await sidewaysOverflow(page);
      if (overflow > 0) found.push(`${name} at ${size.width} px: ${overflow} px too wide`);
      for (const problem of await accessibilityProblems(page)) found.push(`${name} at ${size.width} px: ${problem}`);
      await screenshot(page, `${name}-${size.width}`);
    }
  }
  return found;
}

describe('the portal at 1280 px and 390 px wide', () => {
  it('fits the customer pages to the screen, accessibly, the License Keys table and its actions menu included', async () => {
    const context = await browser.newContext({ baseURL: portal.server.url, viewport: WIDTHS[0], locale: 'en-US' });
    const page = await signIn(context, customer.email, customer.password);
    const problems = await visitAll(page, [
      { name: 'dashboard', path: '/', ready: (p) => p.getByRole('heading', { name: 'Desktop Virtualization, Business Edition' }) },
      { name: 'subscriptions', path: '/subscriptions', ready: (p) => p.getByRole('list', { name: 'Subscriptions' }).getByRole('link') },
      { name: 'subscription-details', path: `/accounts/${accountId}/subscriptions/${subscriptionId}`, ready: (p) => p.getByRole('table', { name: 'License Keys' }) },
      { name: 'installations', path: '/installations', ready: (p) => p.getByRole('table', { name: 'Installations' }).getByText('layout-pc-1') },
      { name: 'invite-to-install', path: '/invite-to-install', ready: (p) => p.getByRole('button', { name: `Send again to invited.${stamp}@example.com` }) },
      { name: 'users', path: '/users', ready: (p) => p.getByRole('table', { name: 'Members' }).getByText(customer.email) },
      { name: 'business-profile', path: '/business-profile', ready: (p) => p.getByRole('heading', { name: 'Company details' }) },
      { name: 'profile', path: '/profile', ready: (p) => p.getByRole('button', { name: 'Create token' }) },
      { name: 'audit-log', path: '/audit-log', ready: (p) => p.getByRole('table', { name: 'Audit events' }).getByRole('row').nth(1) },
    ]);
    expect(problems).toEqual([]);

    // At 1280 px the License Keys table fits its wrapper; its actions menu shows whole, over the table's edge, until a click elsewhere.
    await page.setViewportSize(WIDTHS[0]);
    await page.goto(`/accounts/${accountId}/subscriptions/${subscriptionId}`);
    const keys = page.getByRole('table', { name: 'License Keys' });
    await keys.getByText('Berlin office').waitFor();
    expect(await keys.evaluate((table) => table.parentElement!.scrollWidth - table.parentElement!.clientWidth)).toBeLessThanOrEqual(0);
    for (const size of WIDTHS) {
      await page.setViewportSize(size);
      const menu = await openRowActions(page, 'Berlin office');
      expect(await shownWhole(menu)).toBe(true);
      await screenshot(page, `keys-menu-${size.width}`);
      await page.getByRole('heading', { name: 'License Keys' }).click();
      await expect.poll(() => menu.count()).toBe(0);
    }

    // A dialog on the phone.
    await page.getByRole('button', { name: 'Create License Key' }).click();
    await page.getByRole('dialog', { name: 'Create License Key' }).getByLabel('Name').waitFor();
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'create-key-dialog-390');
    await context.close();
  });

  it('shows a list loading, failing with a way to try again, and empty, and writes dates as the browser locale does', async () => {
    const context = await browser.newContext({ baseURL: portal.server.url, viewport: WIDTHS[0], locale: 'de-DE' });
    const page = await signIn(context, customer.email, customer.password);

    // While the server is slow the list says it is loading; when it cannot be reached, it says so and offers to try again.
    let unreachable!: () => void;
    const reached = new Promise<void>((resolve) => (unreachable = resolve));
    await page.route('**/api/v1/accounts/*/installations?*', async (route) => {
      await reached;
      await route.abort('connectionrefused');
    });
    await page.goto('/installations');
    await page.getByRole('status').getByText('Loading the installations…').waitFor();
    unreachable();
    const failed = page.getByRole('alert').filter({ hasText: 'Could not load the installations' });
    await failed.getByText('The server cannot be reached').waitFor();
    await page.unroute('**/api/v1/accounts/*/installations?*');
    await failed.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('table', { name: 'Installations' }).getByText('layout-pc-1').waitFor();

    // A search that matches nothing says so, naming the search.
    await page.getByRole('search').getByRole('searchbox').fill('no-such-machine');
    await page.getByRole('search').getByRole('button', { name: 'Search' }).click();
    await page.getByText('No installation matches “no-such-machine”.').waitFor();

    // German dates: day, month, year.
    await page.goto(`/accounts/${accountId}/subscriptions/${subscriptionId}`);
    const expires = await page.locator('.facts div', { hasText: 'Expires' }).locator('dd').textContent();
    expect(expires).toMatch(/^\d{2}\.\d{2}\.\d{4}$/);
    await context.close();
  });

  it('fits the back office pages to the screen, accessibly', async () => {
    const context = await browser.newContext({ baseURL: portal.server.url, viewport: WIDTHS[0], locale: 'en-US' });
    const page = await signIn(context, 'operator@keyline.local', portal.operatorPassword);
    const problems = await visitAll(page, [
      { name: 'back-office-subscriptions', path: '/back-office/subscriptions', ready: (p) => p.getByRole('table', { name: 'Subscriptions' }).getByText(customer.email) },
      { name: 'back-office-subscription', path: `/back-office/subscriptions/${subscriptionId}`, ready: (p) => p.getByRole('table', { name: 'Order history' }) },
      { name: 'back-office-new-order', path: '/back-office/orders/new', ready: (p) => p.getByRole('form', { name: 'Order' }) },
      { name: 'back-office-orders', path: '/back-office/orders', ready: (p) => p.getByRole('table', { name: 'Orders' }).getByRole('row').nth(1) },
      { name: 'back-office-customers', path: '/back-office/accounts', ready: (p) => p.getByRole('table', { name: 'Customers' }).getByText(customer.company) },
      { name: 'back-office-customer', path: `/back-office/accounts/${accountId}`, ready: (p) => p.getByRole('table', { name: 'Members' }).getByText(customer.email) },
      { name: 'back-office-products', path: '/back-office/products', ready: (p) => p.getByRole('table', { name: 'Products' }) },
    ]);
    expect(problems).toEqual([]);

    // The operator's top bar, with the longest menu, keeps to one line at 1280 px, the account switcher's name whole.
    await page.setViewportSize(WIDTHS[0]);
    expect(await topBarLines(page)).toBe(1);
    expect(await switcherShortfall(page)).toBeLessThanOrEqual(0);
    await context.close();
  });
});

/** How much narrower the account switcher is than the name it shows needs: more than 0 cuts the name off. */
function switcherShortfall(page: Page): Promise<number> {
  return page.getByLabel('Account').evaluate((select: HTMLSelectElement) => {
    // The same control holding only the chosen account, at its natural width.
    const alone = document.createElement('select');
    alone.className = select.className;
    alone.append(new Option(select.selectedOptions[0]!.text));
    alone.style.cssText = 'position: absolute; visibility: hidden; width: auto; max-width: none;';
    select.parentElement!.append(alone);
    const needed = alone.getBoundingClientRect().width;
    alone.remove();
    return needed - select.getBoundingClientRect().width;
  });
}

/** Inside the viewport, and each item on top where it is: no scrolling wrapper clips it, nothing covers it. */
function shownWhole(menu: Locator): Promise<boolean> {
  return menu.evaluate((element) => {
    const box = element.getBoundingClientRect();
    const inside = box.left >= 0 && box.top >= 0 && box.right <= window.innerWidth && box.bottom <= window.innerHeight;
    const items = Array.from(element.querySelectorAll('[role="menuitem"]'));
    const onTop = (item: Element) => {
      const { left, top, width, height } = item.getBoundingClientRect();
      return item.contains(document.elementFromPoint(left + width / 2, top + height / 2));
    };
    return inside && items.length > 0 && items.every(onTop);
  });
}

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerProcess } from '../support/server-process.js';
import { launchChromium, screenshot, startPortalServer, type PortalServer } from './browser.js';
import { signIn, signUpCustomer } from './flows.js';

let server: ServerProcess;
let browser: Browser;
let portal: PortalServer;
let operatorPassword: string;
const stamp = Date.now();
const buyer = `buyer.${stamp}@example.com`;
const customer = { email: `kim.${stamp}@example.com`, password: 'kim-password-1', firstName: 'Kim', lastName: 'Lee', company: `Kim Robotics ${stamp}` };

const backOffice = (page: Page) => page.getByRole('navigation', { name: 'Back office' });

beforeAll(async () => {
  portal = await startPortalServer('back-office');
  ({ server, operatorPassword } = portal);
  await signUpCustomer(server.url, customer);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

describe('the back office', () => {
  it('lets the operator sell, find, suspend and resume a subscription and allow offline activation', async () => {
    const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const page = await signIn(context, 'operator@keyline.local', operatorPassword);

    // The operator's menu leads to the back office.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Back office' }).click();
    await page.getByRole('heading', { name: 'Subscriptions', level: 1 }).waitFor();
    await page.getByText('No subscriptions yet').waitFor();

    // A new order: the form checks as you type, 1 month is for online orders only.
    await backOffice(page).getByRole('link', { name: 'New order' }).click();
    const order = page.getByRole('form', { name: 'Order' });
    await order.getByLabel('Customer email').fill('not-an-email');
    await order.getByLabel('Product', { exact: true }).focus();
    await order.getByText('Customer email must be an email address').waitFor();
    await order.getByLabel('Customer email').fill(buyer);
    await order.getByLabel('Product', { exact: true }).selectOption('desktop-business');
    await order.getByLabel('Quantity', { exact: true }).fill('10');
    await order.getByRole('button', { name: '+ Add a product' }).click();
    await order.getByLabel('Product 2', { exact: true }).selectOption('device-management');
    await order.getByRole('button', { name: 'Place order' }).click();
    await order.getByText('License type 2 is required for this product').waitFor();
    await order.getByLabel('License type 2', { exact: true }).selectOption('mobile');
    await order.getByLabel('Quantity 2', { exact: true }).fill('5');
    expect(await order.getByRole('option', { name: '1 month' }).isDisabled()).toBe(true);
    await order.getByLabel('Duration').selectOption('2y');
    await order.getByLabel('Support plan').selectOption('premium');
    await screenshot(page, 'back-office-new-order');
    await order.getByRole('button', { name: 'Place order' }).click();
    const issued = page.getByRole('status').filter({ has: page.getByRole('heading', { name: 'Order placed' }) });
    const key = (await issued.getByLabel('Primary license key').textContent()) ?? '';
    expect(key).toMatch(/^[A-Z0-9]{5}(-[A-Z0-9]{5}){4}$/);
    await screenshot(page, 'back-office-order-placed');

    // Found by the customer's email; the list and its filters.
    await backOffice(page).getByRole('link', { name: 'Subscriptions' }).click();
    await page.getByRole('search', { name: 'Subscriptions' }).getByLabel('Search').fill(buyer);
    await page.getByRole('button', { name: 'Search' }).click();
    const rows = page.getByRole('table', { name: 'Subscriptions' }).getByRole('row').filter({ hasText: buyer });
    await expect.poll(() => rows.count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href')).toContain(`search=${encodeURIComponent(buyer)}`);
    await screenshot(page, 'back-office-subscriptions');
    await rows.getByRole('link').first().click();

    // Its details: products, the primary keys, the order; suspended, then resumed.
    await page.getByRole('heading', { name: 'Order history' }).waitFor();
    await page.getByRole('table', { name: 'Primary keys' }).getByText(key).first().waitFor();
    expect(await page.getByRole('table', { name: 'Products' }).getByRole('row').count()).toBe(3);
    await page.getByRole('button', { name: 'Suspend' }).click();
    await page.getByRole('dialog', { name: 'Suspend subscription' }).getByRole('button', { name: 'Suspend' }).click();
    await page.getByRole('status').getByText('The subscription is suspended.').waitFor();
    await page.getByRole('heading', { level: 1 }).getByText('Suspended').waitFor();
    await screenshot(page, 'back-office-subscription-suspended');
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByRole('status').getByText('The subscription is running again.').waitFor();
    await page.getByRole('heading', { level: 1 }).getByText('Active').waitFor();

    // Renewal adds to the order history.
    await page.getByRole('button', { name: 'Renew' }).click();
    const renew = page.getByRole('dialog', { name: 'Renew subscription' });
    await renew.getByLabel('Duration').selectOption('1y');
    await renew.getByRole('button', { name: 'Renew' }).click();
    await page.getByRole('status').getByText(/Renewed for 1 year/).waitFor();
    await expect.poll(() => page.getByRole('table', { name: 'Order history' }).getByRole('row').count()).toBe(3);

    // More licenses: a product the subscription does not hold yet becomes a new line.
    await page.getByRole('button', { name: 'Add licenses' }).click();
    const add = page.getByRole('dialog', { name: 'Add licenses' });
    await add.getByLabel('Quantity', { exact: true }).fill('0');
    await add.getByRole('button', { name: 'Add licenses' }).click();
    await add.getByText('Quantity must be at least 1').waitFor();
    await add.getByLabel('Product', { exact: true }).selectOption('desktop-enterprise');
    await add.getByLabel('Quantity', { exact: true }).fill('3');
    await screenshot(page, 'back-office-add-licenses');
    await add.getByRole('button', { name: 'Add licenses' }).click();
    await page.getByRole('status').getByText('Added 3 × Desktop Virtualization, Enterprise Edition.').waitFor();
    await expect.poll(() => page.getByRole('table', { name: 'Products' }).getByRole('row').count()).toBe(4);
    await screenshot(page, 'back-office-subscription');

    // Offline activation for a customer account.
    await backOffice(page).getByRole('link', { name: 'Customers' }).click();
    await page.getByRole('search', { name: 'Customers' }).getByLabel('Search').fill(customer.email);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('table', { name: 'Customers' }).getByRole('link', { name: customer.company }).click();
    const toggle = page.getByLabel('Allow offline activation');
    await toggle.waitFor();
    expect(await toggle.isChecked()).toBe(false);
    await page.getByRole('table', { name: 'Members' }).getByText(customer.email).waitFor();
    await toggle.check();
    await expect.poll(() => page.locator('.switch-row .badge').textContent()).toBe('On');
    await page.waitForLoadState('networkidle');
    await page.reload();
    await expect.poll(() => page.getByLabel('Allow offline activation').isChecked()).toBe(true);
    await screenshot(page, 'back-office-customer');
    await backOffice(page).getByRole('link', { name: 'Customers' }).click();
    await page.getByRole('table', { name: 'Customers' }).waitFor();
    await screenshot(page, 'back-office-customers');

    // The orders and the catalog; a product's form checks as you type.
    await backOffice(page).getByRole('link', { name: 'Orders' }).click();
    await expect.poll(() => page.getByRole('table', { name: 'Orders' }).getByRole('row').count()).toBe(4);
    await screenshot(page, 'back-office-orders');
    await backOffice(page).getByRole('link', { name: 'Products' }).click();
    await page.getByRole('button', { name: 'Edit Remote Application Server' }).click();
    const trialDays = page.getByLabel('Trial length (days)');
    await trialDays.fill('abc');
    await trialDays.blur();
    await page.getByText('Trial length (days) must be a whole number').waitFor();
    await trialDays.fill('45');
    const supportUrl = page.getByLabel('Support address');
    await supportUrl.fill('javascript:alert(1)');
    await supportUrl.blur();
    await page.getByText('Support address must start with https://, http:// or mailto:').waitFor();
    await supportUrl.fill('mailto:farm-help@example.com');
    await page.getByRole('button', { name: 'Save product' }).click();
    await page.getByRole('status').getByText('Remote Application Server was saved.').waitFor();
    const ras = page.getByRole('table', { name: 'Products' }).getByRole('row').filter({ hasText: 'Remote Application Server' });
    await ras.getByText('45 d, 50 seats').waitFor();
    await ras.getByText('support: mailto:farm-help@example.com').waitFor();
    await page.getByRole('button', { name: 'Add a product' }).click();
    await page.getByLabel('Code').fill('Bad Code');
    await page.getByLabel('Name').click();
    await page.getByText('Code must be 2 to 50 lowercase letters, digits and dashes').waitFor();
    await screenshot(page, 'back-office-products');

    // On a phone.
    await page.setViewportSize({ width: 390, height: 844 });
    await backOffice(page).getByRole('link', { name: 'Subscriptions' }).click();
    await page.getByRole('table', { name: 'Subscriptions' }).getByRole('link').first().waitFor();
    await screenshot(page, 'back-office-subscriptions-390');
    await page.getByRole('table', { name: 'Subscriptions' }).getByRole('link').first().click();
    await page.getByRole('heading', { name: 'Order history' }).waitFor();
    await screenshot(page, 'back-office-subscription-390');
    await backOffice(page).getByRole('link', { name: 'New order' }).click();
    await page.getByRole('form', { name: 'Order' }).waitFor();
    await screenshot(page, 'back-office-new-order-390');
    await context.close();
  });

  it('shows other users a friendly refusal instead of the back office', async () => {
    const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const page = await signIn(context, customer.email, customer.password);
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Back office' }).count()).toBe(0);
    await page.goto('/back-office/subscriptions');
    await page.getByRole('heading', { name: "This area is for the vendor's staff" }).waitFor();
    expect(await backOffice(page).count()).toBe(0);
    await screenshot(page, 'back-office-forbidden');
    await context.close();
  });
});

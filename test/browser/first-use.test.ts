import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot, startPortalServer, type PortalServer } from './browser.js';
import { apiSession, issueOrder, mailedLink, registerKey, signIn, signUpCustomer } from './flows.js';

// What a first-time customer and operator trip over: an empty sign-in after following an emailed
// link, product codes where names belong, "Inc.." at the end of a sentence, sessions as raw user
// agents.

let portal: PortalServer;
let browser: Browser;
let url: string;
let accountId: string;
let subscriptionId: string;
const stamp = Date.now();
// A company name that ends with its own period.
const customer = { email: `olga.${stamp}@example.com`, password: 'olga-password-1', firstName: 'Olga', lastName: 'First', company: 'Acme Widgets Inc.' };
const DESKTOP_BUSINESS = 'Desktop Virtualization, Business Edition';
const FIREFOX_ON_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0';

const newContext = (options: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> =>
  browser.newContext({ baseURL: url, viewport: { width: 1280, height: 800 }, locale: 'en-US', ...options });

beforeAll(async () => {
  portal = await startPortalServer('first-use');
  url = portal.server.url;
  ({ businessAccountId: accountId } = await signUpCustomer(url, customer));
  const licenseKey = await issueOrder(url, portal.operatorPassword, { customerEmail: customer.email, channel: 'reseller', duration: '1y' });
  const api = await apiSession(url, customer.email, customer.password);
  ({ id: subscriptionId } = await registerKey(api, accountId, licenseKey));
  await api.dispose();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

const emailField = (page: Page) => page.getByLabel('Email');

describe('a first-time user', () => {
  it('finds their address filled in on the sign-in page after confirming it, and after setting a new password', async () => {
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(await mailedLink(url, customer.email, 'verify-email'));
    await page.getByText('your email address is confirmed').waitFor();
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await emailField(page).inputValue()).toBe(customer.email);

    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await emailField(page).fill(customer.email);
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.getByText('an email with a link to set a new password is on its way').waitFor();
    await expect.poll(() => mailedLink(url, customer.email, 'reset-password').catch(() => null)).not.toBeNull();
    await page.goto(await mailedLink(url, customer.email, 'reset-password'));
    await page.getByLabel('New password', { exact: true }).fill(customer.password);
    await page.getByLabel('Repeat new password').fill(customer.password);
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByText('Your new password is set').waitFor();
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await emailField(page).inputValue()).toBe(customer.email);
    await context.close();
  });

  it('reads a company name that ends with a period without a second one', async () => {
    const context = await newContext();
    const page = await signIn(context, customer.email, customer.password);
    await page.goto('/users');
    await page.getByText('The members of Acme Widgets Inc.', { exact: false }).waitFor();
    await page.goto('/installations');
    await page.getByText('the license keys of Acme Widgets Inc.', { exact: false }).waitFor();
    // Checked after both pages loaded: neither doubles the period.
    await page.goto('/users');
    await page.getByRole('table', { name: 'Members' }).getByText(customer.email).waitFor();
    expect(await page.locator('main').textContent()).not.toContain('Inc..');
    await page.goto('/installations');
    await page.getByText('the license keys of Acme Widgets Inc.', { exact: false }).waitFor();
    expect(await page.locator('main').textContent()).not.toContain('Inc..');
    await context.close();
  });

  it("sees the products' names in the order history, not their codes", async () => {
    const context = await newContext();
    const page = await signIn(context, customer.email, customer.password);
    await page.goto(`/accounts/${accountId}/subscriptions/${subscriptionId}`);
    await page.getByRole('table', { name: 'Order history' }).getByText(`10 × ${DESKTOP_BUSINESS}`).waitFor();
    await context.close();
  });

  it('tells their sessions apart by browser, system, address and last use', async () => {
    const elsewhere = await newContext({ userAgent: FIREFOX_ON_WINDOWS });
    await signIn(elsewhere, customer.email, customer.password);
    const context = await newContext();
    const page = await signIn(context, customer.email, customer.password);
    await page.goto('/profile');
    const sessions = page.getByRole('list', { name: 'Sessions' });
    const firefox = sessions.getByRole('listitem').filter({ hasText: 'Firefox 125 on Windows' });
    await firefox.waitFor();
    const here = sessions.getByRole('listitem').filter({ hasText: 'This device' });
    expect(await here.textContent()).toMatch(/Chrome \d+ on Linux/);
    expect(await here.textContent()).toContain('127.0.0.1 · in use now');
    expect(await sessions.textContent()).not.toContain('Mozilla/5.0');
    expect(await firefox.textContent()).toMatch(/127\.0\.0\.1 · last used (now|\d+ minutes? ago)/);
    // The exact time is one hover away.
    expect(await firefox.locator('time').getAttribute('title')).toMatch(/\d{1,2}:\d{2}/);
    await screenshot(page, 'profile-sessions');
    await elsewhere.close();
    await context.close();
  });
});

describe('an operator', () => {
  it('sees the products by name in the back office', async () => {
    const context = await newContext();
    const page = await signIn(context, 'operator@keyline.local', portal.operatorPassword);
    await page.goto('/back-office/orders');
    await page.getByRole('table', { name: 'Orders' }).getByText(`10 × ${DESKTOP_BUSINESS}`).waitFor();
    await page.goto('/back-office/subscriptions');
    await page.getByRole('table', { name: 'Subscriptions' }).getByText(`10 × ${DESKTOP_BUSINESS}`).waitFor();
    await page.goto(`/back-office/subscriptions/${subscriptionId}`);
    await page.getByRole('table', { name: 'Order history' }).getByText(`10 × ${DESKTOP_BUSINESS}`).waitFor();
    await page.goto(`/back-office/accounts/${accountId}`);
    await page.getByRole('main').getByText(`10 × ${DESKTOP_BUSINESS}`).waitFor();
    expect(await page.locator('main').textContent()).not.toContain('desktop-business');
    await context.close();
  });
});

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startPortalServer, type PortalServer } from './browser.js';
import { mailedLink, signIn, signUpCustomer } from './flows.js';

let browser: Browser;
let portal: PortalServer;

beforeAll(async () => {
  portal = await startPortalServer('drafts');
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

/** Everything the portal wrote to this tab's sessionStorage, as one text. */
const stored = (page: Page) => page.evaluate(() => JSON.stringify(Object.entries(sessionStorage)));

describe('what a person typed', () => {
  it('survives a reload until it is sent, never with a password, and is gone after signing out', async () => {
    const context = await browser.newContext({ baseURL: portal.server.url, viewport: { width: 1280, height: 800 } });
    let page = await context.newPage();

    // A half-filled sign-up comes back after a reload, its password left out.
    await page.goto('/signup');
    await page.getByLabel('First name').fill('Robin');
    await page.getByLabel('Email').fill('robin@example.com');
    await page.getByLabel('Password', { exact: true }).fill('robin-secret-1');
    await page.reload();
    await expect.poll(() => page.getByLabel('First name').inputValue()).toBe('Robin');
    expect(await page.getByLabel('Email').inputValue()).toBe('robin@example.com');
    expect(await page.getByLabel('Password', { exact: true }).inputValue()).toBe('');
    expect(await stored(page)).not.toContain('robin-secret-1');

    await page.close();
    page = await signIn(context, 'operator@keyline.local', portal.operatorPassword);

    // An unsaved profile change survives a reload; once saved, the draft is gone.
    await page.goto('/profile');
    await page.getByLabel('First name').fill('Olivia');
    await page.reload();
    await expect.poll(() => page.getByLabel('First name').inputValue()).toBe('Olivia');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByRole('status').getByText('Saved.').waitFor();
    expect(await stored(page)).not.toContain('Olivia');

    // A list's search comes back with its results.
    await page.goto('/back-office/subscriptions');
    await page.getByRole('search', { name: 'Subscriptions' }).getByLabel('Search').fill('nobody-buys-this');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('No subscription matches these filters.').waitFor();
    await page.reload();
    await expect.poll(() => page.getByRole('search', { name: 'Subscriptions' }).getByLabel('Search').inputValue()).toBe('nobody-buys-this');
    await page.getByText('No subscription matches these filters.').waitFor();

    // A half-written order waits too, until the operator signs out.
    await page.goto('/back-office/orders/new');
    await page.getByLabel('Customer email').first().fill('buyer@example.com');
    await page.reload();
    await expect.poll(() => page.getByLabel('Customer email').first().inputValue()).toBe('buyer@example.com');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await stored(page)).not.toContain('buyer@example.com');
    await context.close();
  });

  it('keeps the addresses of a half-written invitation and the open panel they are in', async () => {
    const customer = { email: `rita.${Date.now()}@example.com`, password: 'rita-password-1', firstName: 'Rita', lastName: 'Reload', company: 'Rita Reload Ltd' };
    await signUpCustomer(portal.server.url, customer);
    const context = await browser.newContext({ baseURL: portal.server.url, viewport: { width: 1280, height: 800 } });
    const page = await signIn(context, customer.email, customer.password);
    await page.goto(await mailedLink(portal.server.url, customer.email, 'verify-email'));
    await page.getByText('your email address is confirmed').waitFor();
    await page.goto('/users');
    await page.getByText('Invite members').click();
    await page.getByLabel('Email addresses').fill('ann@example.com\nbob@example.com');
    await page.getByLabel('Role').selectOption('admin');
    await page.reload();
    await expect.poll(() => page.getByLabel('Email addresses').inputValue()).toBe('ann@example.com\nbob@example.com');
    expect(await page.getByLabel('Role').inputValue()).toBe('admin');

    // Sent, the draft ends: the next visit starts with an empty form.
    await page.getByRole('button', { name: 'Send invitations' }).click();
    await page.getByRole('status', { name: 'Invitations sent' }).getByText('2 invited').waitFor();
    expect(await stored(page)).not.toContain('ann@example.com');
    await context.close();
  });
});

import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityProblems, launchChromium, screenshot, sidewaysOverflow, startPortalServer, type PortalServer } from './browser.js';
import { agent, apiSession, issueOrder, registerKey, signIn, signUpCustomer } from './flows.js';

// Issue 13, point 5: an Enterprise trial beside a Business subscription, tried by the customer, and
// the vendor's Convert and Make permanent actions, at a laptop's and a phone's width.

let portal: PortalServer;
let browser: Browser;
let accountId: string;
let subscriptionId: string;
let subscriptionName: string;
let state: string;
const stamp = Date.now();
const customer = { email: `eddie.${stamp}@example.com`, password: 'eddie-password-1', firstName: 'Eddie', lastName: 'Edition', company: `Eddie Editions ${stamp}` };

const subscriptionPage = (id: string) => `/accounts/${accountId}/subscriptions/${id}`;

beforeAll(async () => {
  portal = await startPortalServer('editions');
  const url = portal.server.url;
  ({ businessAccountId: accountId } = await signUpCustomer(url, customer));
  const key = await issueOrder(url, portal.operatorPassword, { customerEmail: customer.email, channel: 'reseller', duration: '1y' });
  const api = await apiSession(url, customer.email, customer.password);
  ({ id: subscriptionId, name: subscriptionName } = await registerKey(api, accountId, key));
  await api.dispose();
  state = path.join(portal.dataDir, 'mac.json');
  const activated = await agent('activate', '--server', url, '--product', 'desktop-business', '--key', key, '--fingerprint', `editions-browser-${stamp}`, '--name', 'Studio Mac', '--state', state);
  expect(activated.code).toBe(0);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

describe('editions in the portal', () => {
  it('lets an administrator try Enterprise beside Business, and shows the trial beside it', async () => {
    const context = await browser.newContext({ baseURL: portal.server.url, viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const page = await signIn(context, customer.email, customer.password);
    await page.goto(subscriptionPage(subscriptionId));
    const section = page.getByRole('region', { name: 'Enterprise Edition' });
    await section.getByRole('button', { name: 'Try Enterprise Edition' }).waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
    await section.getByRole('button', { name: 'Try Enterprise Edition' }).click();
    await section.getByRole('status').getByText('Your trial has started.').waitFor();
    const trialLink = section.getByRole('link', { name: /^Trial: Desktop Virtualization, Enterprise Edition/ });
    await trialLink.waitFor();
    expect(await section.getByRole('button', { name: 'Try Enterprise Edition' }).count()).toBe(0);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'edition-trial-beside-business-1280');

    // The trial's own page says what it stands beside, and has its own key.
    await trialLink.click();
    await page.getByText(/A trial beside/).waitFor();
    await page.getByRole('link', { name: subscriptionName }).waitFor();
    await page.getByRole('table', { name: 'License Keys' }).waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
    await context.close();
  });

  it('lets the vendor convert the Business subscription with a confirmation, and make the trial permanent', async () => {
    const context = await browser.newContext({ baseURL: portal.server.url, viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const page = await signIn(context, 'operator@keyline.local', portal.operatorPassword);
    await page.goto(`/back-office/subscriptions/${subscriptionId}`);
    await page.getByRole('button', { name: 'Convert to Enterprise Edition' }).click();
    const confirm = page.getByRole('dialog', { name: 'Convert to Enterprise Edition' });
    await confirm.getByText(/trial is suspended/).waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
    await confirm.getByRole('button', { name: 'Convert' }).click();
    await page.getByRole('status').getByText(/Converted to Desktop Virtualization, Enterprise Edition: 1 active installation keeps its key/).waitFor();
    await page.getByRole('heading', { level: 1, name: /Enterprise Edition/ }).waitFor();
    expect(await page.getByRole('button', { name: 'Convert to Enterprise Edition' }).count()).toBe(0);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'back-office-converted-1280');

    // The trial beside it is suspended; the other path makes it a subscription of its own.
    await page.getByRole('link', { name: 'Suspended' }).click();
    await page.getByRole('button', { name: 'Make permanent' }).click();
    const dialog = page.getByRole('dialog', { name: 'Make the trial permanent' });
    await dialog.getByLabel('Licenses').fill('0');
    await dialog.getByRole('button', { name: 'Make permanent' }).click();
    await dialog.getByText('Licenses must be a whole number of at least 1').waitFor();
    await dialog.getByLabel('Licenses').fill('5');
    expect(await accessibilityProblems(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Make permanent' }).click();
    await page.getByRole('status').getByText(/The trial is a reseller subscription now/).waitFor();
    await expect.poll(() => page.getByRole('button', { name: 'Make permanent' }).count()).toBe(0);
    await page.getByRole('link', { name: /Enterprise Edition - 10 licenses/ }).waitFor();

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`/back-office/subscriptions/${subscriptionId}`);
    await page.getByRole('heading', { level: 1, name: /Enterprise Edition/ }).waitFor();
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'back-office-converted-390');
    await context.close();
  });

  it('keeps the Mac activated: its next check-in brings Enterprise, and the converted card says so on a phone', async () => {
    expect((await agent('check-in', '--state', state)).code).toBe(0);
    const status = await agent('status', '--state', state);
    expect([status.code, (status.json as { product?: string } | null)?.product]).toEqual([0, 'desktop-enterprise']);

    const context = await browser.newContext({ baseURL: portal.server.url, viewport: { width: 390, height: 844 }, locale: 'en-US' });
    const page = await signIn(context, customer.email, customer.password);
    await page.goto(subscriptionPage(subscriptionId));
    const section = page.getByRole('region', { name: 'Enterprise Edition' });
    await section.getByText(/was converted to Desktop Virtualization, Enterprise Edition/).waitFor();
    await page.getByRole('heading', { level: 1, name: /Enterprise Edition/ }).waitFor();
    expect(await section.getByRole('button').count()).toBe(0);
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'edition-converted-390');
    await context.close();
  });
});

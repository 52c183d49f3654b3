import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../support/webhook-receiver.js';
import { accessibilityProblems, launchChromium, screenshot, sidewaysOverflow, startPortalServer, type PortalServer } from './browser.js';
import { apiSession, openRowActions, signIn, signUpCustomer } from './flows.js';

// Issue 16, points 5 and 6: the account's Webhooks settings, with a real receiver on loopback and the
// server's own delivery worker, at a laptop's and a phone's width.

let portal: PortalServer;
let browser: Browser;
let receiver: Receiver;
let accountId: string;
const stamp = Date.now();
const customer = { email: `wanda.${stamp}@example.com`, password: 'wanda-password-1', firstName: 'Wanda', lastName: 'Webhook', company: `Wanda Hooks ${stamp}` };

beforeAll(async () => {
  // Jobs on, so the server's worker delivers; the receiver is on this machine, over plain http.
  portal = await startPortalServer('webhooks', { KEYLINE_JOBS: 'on', KEYLINE_WEBHOOKS_ALLOW_PRIVATE: 'true', KEYLINE_WEBHOOKS_ALLOW_HTTP: 'true', KEYLINE_WEBHOOKS_TIMEOUT_MS: '2000' });
  ({ businessAccountId: accountId } = await signUpCustomer(portal.server.url, customer));
  receiver = await startReceiver();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await receiver?.close();
  await portal?.stop();
});

const endpoints = (page: Page) => page.getByRole('table', { name: 'Webhook endpoints' });
const log = (page: Page) => page.getByRole('table', { name: 'Deliveries' });

/** Refreshes the delivery log until its first row reads as expected (the worker sends within a second or so). */
async function firstDeliveryShows(page: Page, text: RegExp) {
  await expect
    .poll(
      async () => {
        await page.getByRole('button', { name: 'Refresh' }).click();
        return log(page).locator('tbody tr').first().innerText();
      },
      { timeout: 20_000 },
    )
    .toMatch(text);
}

/** Users › Webhooks, as an administrator finds it. */
async function openWebhooks(page: Page) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
  await page.getByRole('link', { name: 'Webhooks' }).click();
  await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
}

describe('the Webhooks settings page', () => {
  it('adds an endpoint, shows its secret once, sends a test event, logs the attempts, redelivers and pages the log', async () => {
    const context = await browser.newContext({ baseURL: portal.server.url, viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const page = await signIn(context, customer.email, customer.password);
    await openWebhooks(page);
    await page.getByText('No endpoints yet').waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);

    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a webhook endpoint' });
    await dialog.getByRole('button', { name: 'Add endpoint' }).click();
    await dialog.getByText('URL is required').waitFor();
    await dialog.getByText('Events: needs at least one event type').waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
    await dialog.getByLabel('URL').fill(receiver.url);
    await dialog.getByLabel('Description').fill('CRM sync');
    await dialog.getByRole('checkbox', { name: /installation\.activated/ }).check();
    await dialog.getByRole('checkbox', { name: /member\.joined/ }).check();
    await screenshot(page, 'webhooks-add-1280');
    await dialog.getByRole('button', { name: 'Add endpoint' }).click();
    await dialog.waitFor({ state: 'detached' });

    const secret = await page.getByLabel('Signing secret', { exact: true }).innerText();
    expect(secret).toMatch(/^whsec_/);
    const row = endpoints(page).getByRole('row').filter({ hasText: receiver.url });
    expect(await row.getByRole('cell').allInnerTexts()).toEqual([`${receiver.url}\nCRM sync`, 'installation.activated, member.joined', 'Enabled', expect.any(String)]);
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.getByRole('button', { name: 'Done' }).click();
    expect(await page.getByLabel('Signing secret', { exact: true }).count()).toBe(0);

    // A test event goes out through the server's worker to the receiver.
    await (await openRowActions(page, receiver.url)).getByRole('menuitem', { name: 'Send test event' }).click();
    await firstDeliveryShows(page, /webhook\.test\s+Delivered\s+1\s+HTTP 200/);
    expect(receiver.received.at(-1)!.headers['webhook-signature']).toMatch(/^v1,/);

    // A receiver that fails: the attempt is logged, and a redelivery after it recovers goes through.
    receiver.mode = 'fail';
    await (await openRowActions(page, receiver.url)).getByRole('menuitem', { name: 'Send test event' }).click();
    await firstDeliveryShows(page, /webhook\.test\s+Pending\s+1\s+HTTP 500/);
    receiver.mode = 'ok';
    const failed = (await log(page).locator('tbody tr').first().getByRole('button').getAttribute('aria-label'))!.replace(/^Actions for /, '');
    await (await openRowActions(page, failed)).getByRole('menuitem', { name: 'Redeliver' }).click();
    await firstDeliveryShows(page, /webhook\.test\s+Delivered\s+2\s+HTTP 200/);
    await (await openRowActions(page, failed)).getByRole('menuitem', { name: 'Details' }).click();
    const details = page.getByRole('dialog', { name: 'Delivery of webhook.test' });
    expect((await details.getByRole('table', { name: 'Attempts' }).locator('tbody tr').allInnerTexts()).map((r) => r.split('\t')[2])).toEqual(['HTTP 500', 'HTTP 200']);
    await details.getByText('"type": "webhook.test"').waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
    await details.getByRole('button', { name: 'Close' }).click();

    // More than a page of deliveries.
    const api = await apiSession(portal.server.url, customer.email, customer.password);
    const { items } = await api.call<{ items: { id: string }[] }>('GET', `/accounts/${accountId}/webhooks`);
    for (let i = 0; i < 20; i++) await api.call('POST', `/accounts/${accountId}/webhooks/${items[0]!.id}/test`);
    await api.dispose();
    await page.getByRole('button', { name: 'Refresh' }).click();
    const pager = page.getByRole('navigation', { name: 'Delivery log pages' });
    await pager.getByRole('button', { name: 'Next →' }).click();
    await expect.poll(() => log(page).locator('tbody tr').count()).toBe(2);
    await pager.getByRole('button', { name: '← Previous' }).click();
    await expect.poll(() => log(page).locator('tbody tr').count()).toBe(20);
    await screenshot(page, 'webhooks-1280');

    // Edit, rotate, delete.
    await (await openRowActions(page, receiver.url)).getByRole('menuitem', { name: 'Edit' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit webhook endpoint' });
    await edit.getByLabel('Description').fill('CRM sync (EU)');
    await edit.getByRole('checkbox', { name: /member\.joined/ }).uncheck();
    await edit.getByRole('button', { name: 'Save endpoint' }).click();
    await expect.poll(() => row.getByRole('cell').nth(1).innerText()).toBe('installation.activated');
    await (await openRowActions(page, receiver.url)).getByRole('menuitem', { name: 'Rotate secret' }).click();
    await page.getByRole('dialog', { name: 'Rotate the signing secret' }).getByRole('button', { name: 'Rotate secret' }).click();
    expect(await page.getByLabel('Signing secret', { exact: true }).innerText()).not.toBe(secret);
    await (await openRowActions(page, receiver.url)).getByRole('menuitem', { name: 'Delete' }).click();
    await page.getByRole('dialog', { name: 'Delete the webhook endpoint' }).getByRole('button', { name: 'Delete endpoint' }).click();
    await page.getByText('No endpoints yet').waitFor();
    await context.close();
  });

  it('fits a phone, accessibly', async () => {
    const api = await apiSession(portal.server.url, customer.email, customer.password);
    await api.call('POST', `/accounts/${accountId}/webhooks`, { url: `${receiver.url}/a-rather-long-path/that/goes/on/and/on?and=a&query=string`, eventTypes: ['member.joined', 'member.removed', 'subscription.expiring'] });
    await api.dispose();
    const context = await browser.newContext({ baseURL: portal.server.url, viewport: { width: 390, height: 844 }, locale: 'en-US' });
    const page = await signIn(context, customer.email, customer.password);
    await openWebhooks(page);
    await endpoints(page).waitFor();
    await page.getByText('Nothing was sent to this endpoint yet').waitFor();
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'webhooks-390');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByRole('dialog', { name: 'Add a webhook endpoint' }).getByLabel('URL').waitFor();
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    expect(await accessibilityProblems(page)).toEqual([]);
    await context.close();
  });

  it("lets an operator keep the vendor's own endpoints in the back office", async () => {
    const context = await browser.newContext({ baseURL: portal.server.url, viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const page = await signIn(context, 'operator@keyline.local', portal.operatorPassword);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Back office' }).click();
    await page.getByRole('navigation', { name: 'Back office' }).getByRole('link', { name: 'Webhooks' }).click();
    await page.getByText(/hear the events you choose from every customer account/).waitFor();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a webhook endpoint' });
    await dialog.getByLabel('URL').fill(`${receiver.url}/vendor`);
    await dialog.getByRole('checkbox', { name: /subscription\.renewed/ }).check();
    await dialog.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByLabel('Signing secret', { exact: true }).waitFor();
    await (await openRowActions(page, `${receiver.url}/vendor`)).getByRole('menuitem', { name: 'Send test event' }).click();
    await firstDeliveryShows(page, /webhook\.test\s+Delivered\s+1\s+HTTP 200/);
    expect(await accessibilityProblems(page)).toEqual([]);
    await context.close();
  });
});

import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityProblems, launchChromium, startPortalServer, type PortalServer } from './browser.js';
import { agent, apiSession, confirmEmail, issueOrder, joinAsMember, registerKey, signIn, signUpCustomer } from './flows.js';

// The portal follows the member's role (issue 12, point 5), and the installations' actions ask
// first, apply to what they can change and have their own address (point 8).

let portal: PortalServer;
let browser: Browser;
let accountId: string;
let admin: BrowserContext;
const stamp = Date.now();
const customer = { email: `ada.${stamp}@example.com`, password: 'ada-password-1', firstName: 'Ada', lastName: 'Admin', company: `Roles Ltd ${stamp}` };
const member = { email: `rex.${stamp}@example.com`, password: 'rex-password-1', firstName: 'Rex', lastName: 'Regular' };

beforeAll(async () => {
  portal = await startPortalServer('roles');
  const url = portal.server.url;
  ({ businessAccountId: accountId } = await signUpCustomer(url, customer));
  const licenseKey = await issueOrder(url, portal.operatorPassword, { customerEmail: customer.email, channel: 'reseller', duration: '1y' });
  const api = await apiSession(url, customer.email, customer.password);
  await registerKey(api, accountId, licenseKey);
  // A regular member, invited from a confirmed address and joined as a new user.
  await confirmEmail(api, url, customer.email);
  await joinAsMember(api, url, accountId, member);
  await api.dispose();
  for (const n of [1, 2]) {
    const activated = await agent('activate', '--server', url, '--product', 'desktop-business', '--key', licenseKey, '--fingerprint', `roles-fingerprint-${n}`, '--name', `roles-pc-${n}`, '--state', path.join(portal.dataDir, `agent-${n}.json`));
    expect(activated.code).toBe(0);
  }
  browser = await launchChromium();
  admin = await browser.newContext({ baseURL: url, viewport: { width: 1280, height: 800 }, locale: 'en-US' });
});

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

const rowOf = (page: Page, name: string) => page.getByRole('table', { name: 'Installations' }).getByRole('row').filter({ hasText: name });
const bulk = (page: Page) => page.getByRole('group', { name: 'Actions on the selected installations' });

describe('a regular member', () => {
  it('is offered only the pages of their role, and a page opened directly says whom to ask', async () => {
    const context = await browser.newContext({ baseURL: portal.server.url, viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const page = await signIn(context, member.email, member.password);
    await page.getByLabel('Account').selectOption({ label: customer.company });
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Business profile' }).waitFor();
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Dashboard', 'Business profile', 'Profile']);
    // The dashboard names the administrators to ask.
    await page.getByText(`Ask one of its administrators for access: Ada Admin (${customer.email}).`).waitFor();

    for (const [address, heading] of [
      ['/installations', 'Installations'],
      ['/subscriptions', 'Subscriptions'],
    ] as const) {
      await page.goto(address);
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      const alert = page.getByRole('alert');
      await alert.getByText(`Your role in ${customer.company} does not let you use this page.`).waitFor();
      await alert.getByText(`Ask one of its administrators for access: Ada Admin (${customer.email}).`).waitFor();
      expect(await page.getByRole('button', { name: 'Try again' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Deactivate' }).count()).toBe(0);
    }
    expect(await accessibilityProblems(page)).toEqual([]);
    await context.close();
  });
});

describe('any page refused by the role', () => {
  it('says whom to ask instead of offering a Try again that cannot help', async () => {
    // The role changed since the page last asked (/me): the API refuses, and the list says why.
    // (The first test of the administrator signs the shared context in.)
    const page = await signIn(admin, customer.email, customer.password);
    await page.route('**/api/v1/accounts/*/members?*', (route) =>
      route.fulfill({ status: 403, contentType: 'application/json', body: JSON.stringify({ error: { code: 'forbidden', message: 'Your role in this account does not allow this' } }) }),
    );
    await page.goto('/users');
    const alert = page.getByRole('alert');
    await alert.getByText(`Your role in ${customer.company} does not let you see the members.`).waitFor();
    await alert.getByText(`Ask one of its administrators for access: Ada Admin (${customer.email}).`).waitFor();
    expect(await page.getByRole('button', { name: 'Try again' }).count()).toBe(0);
    await page.close();
  });
});

describe('the actions on installations', () => {
  it('offer only what applies to the selection, and blacklisting asks first', async () => {
    const page = await admin.newPage();
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Installations' }).click();
    await rowOf(page, 'roles-pc-1').getByRole('checkbox', { name: 'Select roles-pc-1' }).check();

    // An active machine: nothing to remove from the blacklist.
    await expect.poll(() => bulk(page).getByRole('button', { name: 'Add to blacklist' }).isEnabled()).toBe(true);
    expect(await bulk(page).getByRole('button', { name: 'Remove from blacklist' }).isDisabled()).toBe(true);

    // Asked first, naming the machine; Cancel changes nothing.
    await bulk(page).getByRole('button', { name: 'Add to blacklist' }).click();
    const ask = page.getByRole('dialog', { name: 'Add to the blacklist: roles-pc-1' });
    await ask.getByText('Add to blacklist roles-pc-1?').waitFor();
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await ask.waitFor({ state: 'detached' });
    expect(await rowOf(page, 'roles-pc-1').getByText('Active', { exact: true }).count()).toBe(1);

    await bulk(page).getByRole('button', { name: 'Add to blacklist' }).click();
    await ask.getByRole('button', { name: 'Add to blacklist' }).click();
    await page.getByRole('list', { name: 'Action results' }).getByText('roles-pc-1: Blacklisted').waitFor();
    await rowOf(page, 'roles-pc-1').getByText('Blacklisted', { exact: true }).waitFor();

    // The blacklisted machine: only its removal from the blacklist applies.
    await rowOf(page, 'roles-pc-1').getByRole('checkbox', { name: 'Select roles-pc-1' }).check();
    await expect.poll(() => bulk(page).getByRole('button', { name: 'Remove from blacklist' }).isEnabled()).toBe(true);
    for (const name of ['Add to blacklist', 'Deactivate', 'Move to another key…']) expect(await bulk(page).getByRole('button', { name }).isDisabled()).toBe(true);
    await page.close();
  });

  it('open one installation at its own address, in a new page too, with its actions', async () => {
    const page = await admin.newPage();
    await page.goto('/installations');
    await rowOf(page, 'roles-pc-2').getByRole('link', { name: 'roles-pc-2' }).click();
    const details = page.getByRole('dialog', { name: 'Installation details' });
    await details.getByRole('heading', { name: 'Hardware' }).waitFor();
    const address = new URL(page.url());
    expect(address.pathname).toMatch(new RegExp(`^/accounts/${accountId}/installations/[0-9a-f-]{36}$`));
    await details.getByRole('button', { name: 'Close' }).click();
    await details.waitFor({ state: 'detached' });
    expect(new URL(page.url()).pathname).toBe('/installations');

    // The address opens the details by itself, in another page.
    const shared = await admin.newPage();
    await shared.goto(address.pathname);
    const opened = shared.getByRole('dialog', { name: 'Installation details' });
    await opened.getByText('roles-pc-2', { exact: true }).first().waitFor();
    const actions = opened.getByRole('group', { name: 'Actions on this installation' });
    expect(await actions.getByRole('button', { name: 'Remove from blacklist' }).isDisabled()).toBe(true);

    // Deactivating asks first, like blacklisting, then the details show what waits for the check-in.
    await actions.getByRole('button', { name: 'Deactivate' }).click();
    const ask = shared.getByRole('dialog', { name: 'Deactivate roles-pc-2' });
    await ask.getByRole('button', { name: 'Cancel' }).waitFor();
    expect(await accessibilityProblems(shared)).toEqual([]);
    await ask.getByRole('button', { name: 'Deactivate' }).click();
    await opened.getByRole('list', { name: 'Action results' }).getByText('roles-pc-2: Deactivated').waitFor();
    await opened.getByText('Deactivates', { exact: true }).waitFor();
    await expect.poll(() => actions.getByRole('button', { name: 'Deactivate' }).isDisabled()).toBe(true);

    // Blacklisted from its details, then removed from the blacklist there again.
    await actions.getByRole('button', { name: 'Add to blacklist' }).click();
    await shared.getByRole('dialog', { name: 'Add to the blacklist: roles-pc-2' }).getByRole('button', { name: 'Add to blacklist' }).click();
    await opened.getByRole('list', { name: 'Action results' }).getByText('roles-pc-2: Blacklisted').waitFor();
    await actions.getByRole('button', { name: 'Remove from blacklist' }).click();
    await opened.getByRole('list', { name: 'Action results' }).getByText('roles-pc-2: Removed from the blacklist').waitFor();
    await expect.poll(() => actions.getByRole('button', { name: 'Add to blacklist' }).isEnabled()).toBe(true);
    await shared.close();
    await page.close();
  });
});

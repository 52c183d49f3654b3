import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerProcess } from '../support/server-process.js';
import { formatLicenseKey, KEY_RANDOM_SYMBOLS } from '../../src/domain/license-key.js';
import { launchChromium, screenshot, startPortalServer, type PortalServer } from './browser.js';
import { agent, issueOrder, mailbox, mailedLink, openRowActions, signIn } from './flows.js';

let server: ServerProcess;
let browser: Browser;
let portal: PortalServer;
let dataDir: string;
let licenseKey: string;
let operatorPassword: string;
const customer = { email: `dana.${Date.now()}@example.com`, password: 'dana-password-1' };
const milo = { email: `milo.${Date.now()}@example.com`, password: 'milo-password-1' };

const issueCustomerOrder = (terms: { channel: 'reseller' | 'online'; duration: '1m' | '1y' }) => issueOrder(server.url, operatorPassword, { customerEmail: customer.email, ...terms });
const verificationLink = () => mailedLink(server.url, customer.email, 'verify-email');

beforeAll(async () => {
  portal = await startPortalServer('portal');
  ({ server, operatorPassword, dataDir } = portal);
  licenseKey = await issueCustomerOrder({ channel: 'reseller', duration: '1y' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

describe('the web portal', () => {
  let page: Page;

  it('serves the portal for browser paths and keeps API 404s as JSON', async () => {
    const portal = await fetch(`${server.url}/subscriptions`);
    expect([portal.status, portal.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    const api = await fetch(`${server.url}/api/v1/no-such-route`);
    expect([api.status, ((await api.json()) as { error: { code: string } }).error.code]).toEqual([404, 'not_found']);
  });

  it("hardens the portal's pages and scripts for the browser", async () => {
    const page = await fetch(`${server.url}/dashboard`);
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(await page.text())?.[1];
    expect(script).toBeDefined();
    for (const res of [page, await fetch(`${server.url}/`), await fetch(`${server.url}${script}`)]) {
      expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'self';.*frame-ancestors 'none';.*script-src 'self';/);
      expect([res.headers.get('x-content-type-options'), res.headers.get('x-frame-options')]).toEqual(['nosniff', 'DENY']);
    }
  });

  it('takes a new customer from sign-up to a sublicense of the registered key', async () => {
    const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    page = await context.newPage();

    // Sign up; the form checks as you type.
    await page.goto('/signup');
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByLabel('First name').click();
    await expect.poll(() => page.getByText('Email must be an email address').isVisible()).toBe(true);
    await page.getByLabel('First name').fill('Dana');
    await page.getByLabel('Last name').fill('Developer');
    await page.getByLabel('Email').fill(customer.email);
    await page.getByLabel('Password', { exact: true }).fill(customer.password);
    await page.getByLabel('Repeat password').fill(customer.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();

    // The emailed link confirms the address.
    await page.goto(await verificationLink());
    await page.getByText('your email address is confirmed').waitFor();

    // Sign in: a wrong password is told, the right one opens the empty dashboard.
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByLabel('Email').fill(customer.email);
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('The email address or password is wrong').waitFor();
    await screenshot(page, 'sign-in');
    await page.getByLabel('Password').fill(customer.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'No products yet' }).waitFor();

    // Register the key into a new business account: a typo is caught before any request.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Register Key' }).click();
    const keyField = page.getByLabel('License key');
    await keyField.fill('ABCDE-12345');
    await keyField.blur();
    await page.getByText('License key has 25 letters and digits in five groups of five').waitFor();
    await keyField.fill(licenseKey.toLowerCase());
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Business details' }).waitFor();
    await page.getByLabel('Company name').fill('Dana Design LLC');
    await page.getByLabel('Street').fill('1 Market Street');
    await page.getByLabel('City').fill('San Francisco');
    await page.getByLabel('ZIP / postal code').fill('94105');
    await page.getByLabel('Country').selectOption('US');
    await page.getByLabel('Phone').fill('+1 415 555 0100');
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByText('State or province is required for this country').waitFor();
    await page.getByLabel('State or province').selectOption('CA');
    await screenshot(page, 'register-key');
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByRole('heading', { name: 'Key registered' }).waitFor();
    await page.getByRole('link', { name: 'Open the subscription' }).click();

    // The subscription's page, in the new business account.
    await page.getByRole('heading', { name: 'License Keys' }).waitFor();
    await expect.poll(() => page.getByLabel('Account').locator('option:checked').textContent()).toBe('Dana Design LLC');
    const keys = page.getByRole('table', { name: 'License Keys' });
    await expect.poll(() => rowCells(keys.getByRole('row').filter({ hasText: 'Primary' }))).toEqual(['Primary', '10', '0', '10']);

    // A reserved sublicense of 3 seats takes them from the main pool.
    await page.getByRole('button', { name: 'Create License Key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create License Key' });
    await dialog.getByLabel('Name').fill('Design team');
    await dialog.getByLabel('Reserved').check();
    await dialog.getByLabel('Quota').fill('3');
    await dialog.getByRole('button', { name: 'Create license key' }).click();
    await page.getByRole('status').getByText('The license key was created.').waitFor();
    await expect.poll(() => rowCells(keys.getByRole('row').filter({ hasText: 'Design team' }))).toEqual(['Reserved', '3', '0', '3']);
    await expect.poll(() => rowCells(keys.getByRole('row').filter({ hasText: 'Primary' }))).toEqual(['Primary', '7', '0', '7']);
    await screenshot(page, 'subscription-details');

    // A row's actions menu from the keyboard: it opens on its first item, arrows move, Escape closes it back on its button.
    const actions = keys.getByRole('button', { name: 'Actions for Design team' });
    const focused = () => page.evaluate(() => document.activeElement?.textContent);
    await actions.focus();
    await page.keyboard.press('Enter');
    await expect.poll(focused).toBe('Installations');
    expect(await actions.getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('ArrowDown');
    await expect.poll(focused).toBe('License Administrators');
    await page.keyboard.press('End');
    await expect.poll(focused).toBe('Delete');
    await page.keyboard.press('ArrowDown');
    await expect.poll(focused).toBe('Installations');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('menu').count()).toBe(0);
    expect(await actions.evaluate((button) => button === document.activeElement)).toBe(true);
    // ArrowUp opens it on its last item; Enter chooses it.
    await page.keyboard.press('ArrowUp');
    await expect.poll(focused).toBe('Delete');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Delete license key' }).getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => actions.evaluate((button) => button === document.activeElement)).toBe(true);
    // Tab leaves the menu and closes it.
    await page.keyboard.press('ArrowDown');
    await expect.poll(focused).toBe('Installations');
    await page.keyboard.press('Tab');
    await expect.poll(() => page.getByRole('menu').count()).toBe(0);
    expect(await actions.getAttribute('aria-expanded')).toBe('false');

    // The dashboard card and the subscriptions list.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Desktop Virtualization, Business Edition' }) });
    await card.getByText('1 active subscription').waitFor();
    expect(await card.getByLabel('Seats').locator('dd').allTextContents()).toEqual(['10', '0', '10']);
    await screenshot(page, 'dashboard');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Subscriptions' }).click();
    const list = page.getByRole('list', { name: 'Subscriptions' });
    await list.getByRole('link').first().waitFor();
    expect(await list.getByRole('listitem').count()).toBe(1);
    await screenshot(page, 'subscriptions');
    await page.getByLabel('Display').selectOption('expired');
    await page.getByText('No expired subscriptions.').waitFor();

    // The business account's users: its creator administers it.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
    const me = page.getByRole('table', { name: 'Members' }).getByRole('row').filter({ hasText: customer.email });
    await expect.poll(() => me.getByRole('cell').nth(2).textContent()).toBe('Account Administrator');
    await screenshot(page, 'users');

    // The same session on a phone-sized screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Subscriptions' }).click();
    // The list comes back as it was left.
    await page.getByText('No expired subscriptions.').waitFor();
    await page.getByLabel('Display').selectOption('all');
    await list.getByRole('link').first().click();
    await page.getByRole('heading', { name: 'License Keys' }).waitFor();
    await screenshot(page, 'subscription-details-390');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
    await card.getByText('1 active subscription').waitFor();
    await screenshot(page, 'dashboard-390');
    await context.close();
  });

  it('lists an activated installation, blacklists and exports it, and shares the account with a member whose access follows their role', async () => {
    const machine = ['--server', server.url, '--product', 'desktop-business', '--key', licenseKey, '--fingerprint', 'studio-mac-fingerprint-1'];
    const activated = await agent('activate', ...machine, '--name', 'studio-mac-1', '--state', path.join(dataDir, 'agent-1.json'));
    expect([activated.code, activated.json?.ok]).toEqual([0, true]);

    const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 800 }, locale: 'en-US', acceptDownloads: true });
    const admin = await signIn(context, customer.email, customer.password);
    await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Installations' }).click();

    // The installation is listed; its details take notes.
    const table = admin.getByRole('table', { name: 'Installations' });
    const row = table.getByRole('row').filter({ hasText: 'studio-mac-1' });
    await row.waitFor();
    await row.getByRole('link', { name: 'studio-mac-1' }).click();
    const details = admin.getByRole('dialog', { name: 'Installation details' });
    await details.getByRole('heading', { name: 'Hardware' }).waitFor();
    await details.getByLabel('Notes').fill('Front desk iMac');
    await details.getByRole('button', { name: 'Save alias and notes' }).click();
    await details.getByText('Saved.').waitFor();
    await screenshot(admin, 'installation-details');
    await details.getByRole('button', { name: 'Close' }).click();

    // Blacklisted in the portal, the machine cannot activate with that key again.
    await row.getByRole('checkbox', { name: 'Select studio-mac-1' }).check();
    await admin.getByRole('button', { name: 'Add to blacklist' }).click();
    await admin.getByRole('dialog', { name: 'Add to the blacklist: studio-mac-1' }).getByRole('button', { name: 'Add to blacklist' }).click();
    await admin.getByRole('list', { name: 'Action results' }).getByText('studio-mac-1: Blacklisted').waitFor();
    await row.getByText('Blacklisted').waitFor();
    expect(await row.getByText('Deactivated', { exact: true }).count()).toBe(0);
    await screenshot(admin, 'installations');
    const again = await agent('activate', ...machine, '--state', path.join(dataDir, 'agent-2.json'));
    expect([again.code, again.json?.error?.code]).toEqual([3, 'installation_blacklisted']);

    // The blacklisted list, exported with the columns shown.
    await admin.getByLabel('Computers').selectOption('blacklisted');
    await row.waitFor();
    const [download] = await Promise.all([admin.waitForEvent('download'), admin.getByRole('link', { name: 'Export CSV' }).click()]);
    const csv = readFileSync(await download.path(), 'utf8').trim().split(/\r?\n/);
    // The export reads like the screen: its column names, and a blacklisted machine as Blacklisted.
    expect(csv[0]).toBe('Installation ID,Computer name,State,License key,Last contact,App version,MAC address');
    expect(csv).toHaveLength(2);
    expect(csv[1]).toContain(',studio-mac-1,Blacklisted,');
    await admin.getByText('Columns', { exact: true }).click();
    await admin.getByLabel('Host OS').check();
    await table.getByRole('columnheader', { name: 'Host OS' }).waitFor();

    // Invitations to install, and the offline page (not enabled for this account).
    await admin.getByRole('link', { name: 'Invite users to install' }).first().click();
    const keyPicker = admin.getByLabel('License key');
    await keyPicker.locator('option', { hasText: 'Design team' }).waitFor({ state: 'attached' });
    await keyPicker.selectOption((await keyPicker.locator('option', { hasText: 'Design team' }).getAttribute('value'))!);
    await admin.getByLabel('Email addresses').fill('lee@example.com, not-an-address');
    await admin.getByRole('button', { name: 'Send invitations' }).click();
    await admin.getByRole('heading', { name: '1 invited, 1 rejected' }).waitFor();
    const leeRow = admin.getByRole('table', { name: 'Invitations' }).getByRole('row').filter({ hasText: 'lee@example.com' });
    await leeRow.waitFor();
    // Sent again: the list counts it, and Lee has the same code twice.
    await admin.getByRole('button', { name: 'Send again to lee@example.com' }).click();
    await leeRow.getByText('(2 times)').waitFor();
    const leeCode = (await leeRow.locator('code').textContent())!;
    const leeMails = await mailbox(server.url, 'lee@example.com');
    expect(leeMails.map((m) => m.text.includes(leeCode))).toEqual([true, true]);
    await screenshot(admin, 'invite-to-install');
    await admin.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Installations' }).click();
    await admin.getByRole('link', { name: 'Offline activation' }).click();
    await admin.getByLabel('Paste the request').fill('{"kind":"activation"}');
    await admin.getByRole('button', { name: 'Upload request' }).click();
    await admin.getByText('Offline activation is not enabled for Dana Design LLC').waitFor();
    await screenshot(admin, 'offline-activation');

    // A member joins through the emailed link in a browser of their own.
    await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
    await admin.getByText('Invite members').click();
    await admin.getByLabel('Email addresses').fill(milo.email);
    await admin.getByRole('button', { name: 'Send invitations' }).click();
    await admin.getByRole('status', { name: 'Invitations sent' }).getByText(`${milo.email}: invited`).waitFor();
    await admin.getByRole('table', { name: 'Open invitations' }).getByText(milo.email).waitFor();
    await screenshot(admin, 'users-invite');

    const memberContext = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const member = await memberContext.newPage();
    await member.goto(await mailedLink(server.url, milo.email, 'join'));
    await member.getByText('You are invited to join Dana Design LLC as a Regular Member').waitFor();
    await member.getByLabel('First name').fill('Milo');
    await member.getByLabel('Last name').fill('Member');
    await member.getByLabel('Password', { exact: true }).fill(milo.password);
    await member.getByLabel('Repeat password').fill(milo.password);
    await member.getByRole('button', { name: 'Create user and join' }).click();
    const memberNav = member.getByRole('navigation', { name: 'Main' });
    await memberNav.getByRole('link', { name: 'Dashboard' }).waitFor();
    expect(await memberNav.getByRole('link', { name: 'Users' }).count()).toBe(0);
    await memberNav.getByRole('link', { name: 'Dashboard' }).click();
    await member.getByRole('heading', { name: 'Licenses are managed by the administrators' }).waitFor();
    await member.goto('/users');
    await member.getByRole('alert').getByText('does not let you use this page').waitFor();

    // Promoted, the member sees the administrators' pages at the next navigation; demoted, no more.
    const members = admin.getByRole('table', { name: 'Members' });
    await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
    await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
    const miloRole = members.getByRole('row').filter({ hasText: 'Milo Member' }).getByRole('cell').nth(2);
    await (await openRowActions(admin, 'Milo Member')).getByRole('menuitem', { name: 'Make administrator' }).click();
    await expect.poll(() => miloRole.textContent()).toBe('Account Administrator');
    await memberNav.getByRole('link', { name: 'Dashboard' }).click();
    await memberNav.getByRole('link', { name: 'Users' }).click();
    await member.getByRole('table', { name: 'Members' }).getByText(customer.email).waitFor();

    await (await openRowActions(admin, 'Milo Member')).getByRole('menuitem', { name: 'Make regular member' }).click();
    await expect.poll(() => miloRole.textContent()).toBe('Regular Member');
    await memberNav.getByRole('link', { name: 'Dashboard' }).click();
    await expect.poll(() => memberNav.getByRole('link', { name: 'Users' }).count()).toBe(0);
    await member.goto('/audit-log');
    await member.getByRole('alert').getByText('does not let you use this page').waitFor();
    await memberContext.close();

    // The administrator's audit log shows all of it; the business profile page.
    await admin.getByRole('link', { name: 'Audit log' }).click();
    await admin.getByRole('table', { name: 'Audit events' }).getByText('installation.blacklisted').first().waitFor();
    await screenshot(admin, 'audit-log');
    await admin.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Users' }).click();
    await admin.getByRole('link', { name: 'Business profile' }).click();
    await admin.getByRole('heading', { name: 'Company details' }).waitFor();
    expect(await admin.getByLabel('State or province').inputValue()).toBe('CA');
    await admin.getByLabel('Phone').fill('+1 415 555 0199');
    await admin.getByRole('button', { name: 'Save company details' }).click();
    await admin.getByText('Saved.').waitFor();
    await screenshot(admin, 'business-profile');

    await admin.setViewportSize({ width: 390, height: 844 });
    await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Installations' }).click();
    await row.waitFor();
    await screenshot(admin, 'installations-390');
    await context.close();
  });

  it('counts installations on the dashboard, renames and renews an online subscription, grants a key to a member and hands out an API token', async () => {
    const machine = (n: number) => ['--server', server.url, '--product', 'desktop-business', '--key', licenseKey, '--fingerprint', `studio-pc-fingerprint-${n}`, '--state', path.join(dataDir, `agent-pc-${n}.json`)];
    const [kept, released] = await Promise.all([agent('activate', ...machine(1)), agent('activate', ...machine(2))]);
    expect([kept.code, released.code]).toEqual([0, 0]);
    const deactivated = await agent('deactivate', '--state', path.join(dataDir, 'agent-pc-2.json'));
    expect(deactivated.code).toBe(0);
    const onlineKey = await issueCustomerOrder({ channel: 'online', duration: '1m' });

    const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const page = await signIn(context, customer.email, customer.password);
    const nav = page.getByRole('navigation', { name: 'Main' });

    // The card counts the computer using a seat, the one that gave its seat back and the one blacklisted before, each once.
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Desktop Virtualization, Business Edition' }) });
    const installations = card.getByLabel('Installations', { exact: true });
    await expect.poll(() => installations.locator('dd').allTextContents()).toEqual(['1', '1', '1']);
    expect(await installations.locator('dt').allTextContents()).toEqual(['Computers', 'Deactivated', 'Blacklisted']);
    // The vendor's support address for the product, in a tab of its own.
    const support = card.getByRole('link', { name: 'Support for Desktop Virtualization, Business Edition (opens in a new tab)' });
    expect([await support.getAttribute('href'), await support.getAttribute('target'), await support.getAttribute('rel')]).toEqual([
      'https://support.example.com/desktop-business',
      '_blank',
      'noopener',
    ]);
    await screenshot(page, 'dashboard-installations');
    await card.getByRole('link', { name: 'Installations of Desktop Virtualization, Business Edition' }).click();
    await page.getByRole('heading', { name: 'Installations of Desktop Virtualization, Business Edition' }).waitFor();

    // An online subscription, registered into the business account, renamed and renewed.
    await nav.getByRole('link', { name: 'Register Key' }).click();
    // A well-formed key nobody sold passes the form's own rules; the server's refusal lands next to the field.
    const unsold = formatLicenseKey(Array.from({ length: KEY_RANDOM_SYMBOLS }, (_, i) => (i * 7) % 32));
    await page.getByLabel('License key').fill(unsold);
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByLabel('License key').and(page.locator('[aria-invalid="true"]')).waitFor();
    expect(await page.locator('.field-invalid .field-error').textContent()).toBe('No subscription has this license key');
    await page.getByLabel('License key').fill(onlineKey);
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByRole('link', { name: 'Open the subscription' }).click();
    await page.getByRole('heading', { name: 'License Keys' }).waitFor();
    await page.getByRole('button', { name: 'Rename' }).click();
    const rename = page.getByRole('dialog', { name: 'Rename subscription' });
    await rename.getByLabel('Name').fill(' ');
    await rename.getByRole('button', { name: 'Save name' }).click();
    await rename.getByText('Name is required').waitFor();
    await rename.getByLabel('Name').fill('Studio online');
    await rename.getByRole('button', { name: 'Save name' }).click();
    await page.getByRole('heading', { name: 'Studio online' }).waitFor();

    const expires = await page.locator('.facts div', { hasText: 'Expires' }).locator('dd').textContent();
    await page.getByRole('button', { name: 'Renew', exact: true }).click();
    const renew = page.getByRole('dialog', { name: 'Renew subscription' });
    await renew.getByLabel('Renew for').selectOption('1y');
    const newExpiry = renew.locator('.quote div', { hasText: 'New expiration date' }).locator('dd');
    await newExpiry.waitFor();
    const quoted = await newExpiry.textContent();
    expect(new Date(quoted!).getTime() - new Date(expires!).getTime()).toBeGreaterThan(360 * 86_400_000);
    await screenshot(page, 'subscription-renew');
    await renew.getByRole('button', { name: 'Renew subscription' }).click();
    await page.getByRole('status').getByText('The subscription was renewed.').waitFor();
    await expect.poll(() => page.locator('.facts div', { hasText: 'Expires' }).locator('dd').textContent()).toBe(quoted);
    await page.getByRole('cell', { name: /Renewal/ }).waitFor();

    await page.getByRole('button', { name: 'Buy more licenses' }).click();
    const buy = page.getByRole('dialog', { name: 'Buy more licenses' });
    await buy.getByLabel('Additional licenses').fill('5');
    await buy.getByText('15 licenses in all after the purchase').waitFor();
    await buy.getByRole('button', { name: 'Buy licenses' }).click();
    await page.getByRole('status').getByText('The licenses were added.').waitFor();
    const keys = page.getByRole('table', { name: 'License Keys' });
    await expect.poll(() => rowCells(keys.getByRole('row').filter({ hasText: 'Primary' }))).toEqual(['Primary', '15', '0', '15']);

    // The reseller's subscription is renewed with the reseller; its sublicense gets a License Administrator.
    await nav.getByRole('link', { name: 'Subscriptions' }).click();
    await page.getByRole('list', { name: 'Subscriptions' }).getByRole('link').filter({ hasNotText: 'Studio online' }).click();
    await page.getByRole('heading', { name: 'License Keys' }).waitFor();
    await page.getByRole('button', { name: 'Renew', exact: true }).click();
    const refused = page.getByRole('dialog', { name: 'Renew subscription' });
    await refused.getByText('This subscription was bought through a reseller; renew it with them').waitFor();
    await refused.getByRole('button', { name: 'Cancel' }).click();
    await (await openRowActions(page, 'Design team')).getByRole('menuitem', { name: 'License Administrators' }).click();
    const admins = page.getByRole('dialog', { name: 'License Administrators of Design team' });
    await admins.getByText('No License Administrators yet.').waitFor();
    const regularMembers = admins.getByLabel('Regular Member');
    await regularMembers.locator('option', { hasText: 'Milo Member' }).waitFor({ state: 'attached' });
    await regularMembers.selectOption({ label: (await regularMembers.locator('option', { hasText: 'Milo Member' }).textContent())! });
    await admins.getByRole('button', { name: 'Make License Administrator' }).click();
    await admins.getByRole('list', { name: 'License Administrators' }).getByText('Milo Member').waitFor();
    await screenshot(page, 'key-admins');
    await admins.getByRole('button', { name: 'Close' }).click();

    // An API token, shown once, works as a bearer token until it is revoked.
    await nav.getByRole('link', { name: 'Profile' }).click();
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByText('Token name is required').waitFor();
    await page.getByLabel('Token name').fill('Nightly export');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = (await page.getByLabel('New API token').textContent())!;
    const asToken = () => fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
    expect(await asToken()).toBe(200);
    await page.getByRole('button', { name: 'Revoke Nightly export' }).waitFor();
    await screenshot(page, 'profile-api-tokens');
    await page.getByRole('button', { name: 'Revoke Nightly export' }).click();
    await page.getByRole('dialog', { name: 'Revoke API token' }).getByRole('button', { name: 'Revoke token' }).click();
    await page.getByText('You have no API tokens.').waitFor();
    expect(await asToken()).toBe(401);

    await page.setViewportSize({ width: 390, height: 844 });
    await nav.getByRole('link', { name: 'Dashboard' }).click();
    await card.getByLabel('Installations', { exact: true }).waitFor();
    await screenshot(page, 'dashboard-installations-390');
    await context.close();
  });

  it('lets a member leave the business account after saying so twice', async () => {
    const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const page = await signIn(context, milo.email, milo.password);
    const switcher = page.getByLabel('Account');
    const dana = switcher.locator('option', { hasText: 'Dana Design LLC' });
    await switcher.selectOption({ label: (await dana.textContent())! });
    await page.goto('/business-profile');
    await page.getByRole('heading', { name: 'Leave Dana Design LLC' }).waitFor();
    await page.getByRole('button', { name: 'Leave account' }).click();
    const leave = page.getByRole('dialog', { name: 'Leave Dana Design LLC' });
    // Cancel has the focus: a hasty Enter keeps the membership.
    await page.keyboard.press('Enter');
    await expect.poll(() => leave.count()).toBe(0);
    await page.getByRole('button', { name: 'Leave account' }).click();
    await leave.getByRole('button', { name: 'Leave account' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await expect.poll(() => switcher.locator('option', { hasText: 'Dana Design LLC' }).count()).toBe(0);
    await context.close();
  });
});

/** A License Keys row as type, quota, used, available. */
async function rowCells(row: ReturnType<Page['getByRole']>): Promise<string[]> {
  const cells = await row.getByRole('cell').allTextContents();
  return cells.slice(2, 6);
}

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityProblems, launchChromium, screenshot, sidewaysOverflow, startPortalServer, topBarLines, type PortalServer } from './browser.js';
import { agent, apiSession, confirmEmail, createSublicense, issueOrder, makeKeyAdmin, openRowActions, registerKey, signIn, signUpCustomer, type ApiSession } from './flows.js';

// Issue 13, point 8: Management › Policies and User Groups for an Enterprise subscription, and the
// Virtual Machines list by user group, at a laptop's and a phone's width.

let portal: PortalServer;
let browser: Browser;
let admin: ApiSession;
let accountId: string;
let subscriptionId: string;
let subscriptionName: string;
const stamp = Date.now();
const customer = { email: `gina.${stamp}@example.com`, password: 'gina-password-1', firstName: 'Gina', lastName: 'Groups', company: `Group Works ${stamp}` };
const keyAdmin = { email: `karl.${stamp}@example.com`, password: 'karl-password-1', firstName: 'Karl', lastName: 'Keys' };

beforeAll(async () => {
  portal = await startPortalServer('management');
  const url = portal.server.url;
  ({ businessAccountId: accountId } = await signUpCustomer(url, customer));
  const licenseKey = await issueOrder(url, portal.operatorPassword, { customerEmail: customer.email, channel: 'reseller', duration: '1y', items: [{ productCode: 'desktop-enterprise', quantity: 5 }] });
  admin = await apiSession(url, customer.email, customer.password);
  ({ id: subscriptionId, name: subscriptionName } = await registerKey(admin, accountId, licenseKey));
  // A License Administrator of a key of the subscription: a Regular Member who administers a sublicense.
  const key = await createSublicense(admin, accountId, subscriptionId, 'Help desk', 1);
  await confirmEmail(admin, url, customer.email);
  await makeKeyAdmin(admin, url, { accountId, subscriptionId, keyId: key.id }, keyAdmin);
  browser = await launchChromium();
});

afterAll(async () => {
  await admin?.dispose();
  await browser?.close();
  await portal?.stop();
});

const laptop = () => browser.newContext({ baseURL: portal.server.url, viewport: { width: 1280, height: 800 }, locale: 'en-US' });
const phone = () => browser.newContext({ baseURL: portal.server.url, viewport: { width: 390, height: 844 }, locale: 'en-US' });
const settled = (page: Page) => expect.poll(() => page.locator('.spinner').count()).toBe(0);
const row = (page: Page, table: string, name: string) => page.getByRole('table', { name: table }).getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) });
/** The message that describes a field: its error once it has one. */
const describedBy = async (page: Page, field: ReturnType<Page['getByLabel']>) => page.locator(`[id="${await field.getAttribute('aria-describedby')}"]`).textContent();

/** Opens a page of the Management heading from the main menu, as a person does. */
async function openFromMenu(page: Page, name: string) {
  const menu = page.getByRole('navigation', { name: 'Main' });
  await menu.getByRole('button', { name: 'Management' }).click();
  await menu.getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { name, level: 1 }).waitFor();
  await settled(page);
}

const groups = async () => (await admin.call<{ items: { id: string; name: string; sublicense: { key: string; quota: number }; policy: { name: string } | null }[] }>('GET', `/accounts/${accountId}/user-groups`)).items;

describe('Management › Policies and User Groups', () => {
  it('creates a policy in the payload pane, then a user group with it whose sublicense the subscription lists; too big a quota is said at its field', async () => {
    const context = await laptop();
    const page = await signIn(context, customer.email, customer.password);
    expect(await topBarLines(page)).toBe(1);
    await openFromMenu(page, 'Policies');
    await page.getByRole('heading', { name: 'No policies yet' }).waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);

    await page.getByRole('link', { name: 'Create Policy' }).click();
    await page.getByRole('heading', { name: 'New policy', level: 1 }).waitFor();
    await page.getByLabel('Policy name').fill('Lab lockdown');
    // One product takes policies: its payload types show at once.
    const upgrades = page.getByRole('tab', { name: /^Allow major version upgrades/ });
    await upgrades.click();
    const pane = page.getByRole('tabpanel', { name: /^Allow major version upgrades/ });
    await pane.getByLabel('Enable this payload').check();
    // A reload keeps what was typed.
    await page.reload();
    await expect.poll(() => page.getByLabel('Policy name').inputValue()).toBe('Lab lockdown');
    expect(await pane.getByLabel('Enable this payload').isChecked()).toBe(true);
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.getByRole('button', { name: 'Create policy' }).click();
    await page.getByRole('status').getByText('“Lab lockdown” was created.', { exact: false }).waitFor();
    expect(await row(page, 'Policies', 'Lab lockdown').getByRole('cell').allInnerTexts()).toEqual([
      'Lab lockdown',
      'Desktop Virtualization, Enterprise Edition',
      '1',
      'Allow major version upgrades',
      'None',
      expect.any(String),
      expect.stringMatching(/^Actions/),
    ]);

    await openFromMenu(page, 'User Groups');
    await page.getByRole('heading', { name: 'No user groups yet' }).waitFor();
    await page.getByText('5 of 5 seats are left to give.', { exact: false }).waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.getByRole('button', { name: 'Create User Group' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create user group' });
    // Nothing is red before the form is sent.
    expect(await dialog.locator('[aria-invalid="true"]').count()).toBe(0);
    await dialog.getByLabel('Name').fill('Design');
    await dialog.getByLabel('Quota').fill('50');
    await dialog.getByLabel('Policy').selectOption({ label: 'Lab lockdown' });
    // The open dialog and what was typed in it survive a reload.
    await page.reload();
    await expect.poll(() => dialog.getByLabel('Quota').inputValue()).toBe('50');
    expect(await dialog.getByLabel('Name').inputValue()).toBe('Design');
    await dialog.getByRole('button', { name: 'Create user group' }).click();
    const quota = dialog.getByLabel('Quota');
    await expect.poll(() => quota.getAttribute('aria-invalid')).toBe('true');
    expect(await describedBy(page, quota)).toBe('Only 5 seats are left on this subscription');
    await expect.poll(() => quota.evaluate((input) => input === document.activeElement)).toBe(true);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'user-group-quota-error-1280');
    await quota.fill('2');
    await dialog.getByRole('button', { name: 'Create user group' }).click();
    await expect.poll(async () => (await groups()).length).toBe(1);
    const [design] = await groups();
    await page.getByRole('status').getByText(`“Design” was created with its sublicense …-${design!.sublicense.key.slice(-5)}; give its users that key.`).waitFor();
    await row(page, 'User groups', 'Design').waitFor();
    expect(await row(page, 'User groups', 'Design').getByRole('cell').allInnerTexts()).toEqual([
      'Design',
      expect.stringMatching(new RegExp(`^…-${design!.sublicense.key.slice(-5)}\\s+Copy`)),
      '2',
      '0',
      'Lab lockdown',
      expect.stringMatching(/^Actions/),
    ]);
    await screenshot(page, 'user-groups-1280');

    // The group's sublicense is one of the subscription's License Keys.
    await page.getByRole('link', { name: `License Keys of ${subscriptionName}` }).click();
    const keys = page.getByRole('table', { name: 'License Keys' });
    await keys.getByRole('row').filter({ hasText: 'Design' }).getByText(design!.sublicense.key).waitFor();

    // The policy's list names the group it is assigned to.
    await openFromMenu(page, 'Policies');
    await row(page, 'Policies', 'Lab lockdown').getByRole('link', { name: 'Design' }).waitFor();
    await context.close();
  });

  it('renames a group, changes its quota and clears its policy; deleting a policy says it leaves its groups; deleting a group keeps its sublicense', async () => {
    await admin.call('POST', `/accounts/${accountId}/policies`, { name: 'Short lived', product: 'desktop-enterprise', payloads: [] });
    const context = await laptop();
    const page = await signIn(context, customer.email, customer.password);
    await page.goto('/user-groups');
    await settled(page);
    await (await openRowActions(page, 'Design')).getByRole('menuitem', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit Design' });
    expect(await dialog.getByLabel('Policy').locator('option').allTextContents()).toEqual(['No policy', 'Lab lockdown', 'Short lived']);
    await dialog.getByLabel('Name').fill('Design team');
    await dialog.getByLabel('Quota').fill('3');
    await dialog.getByLabel('Policy').selectOption({ label: 'Short lived' });
    expect(await accessibilityProblems(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').getByText('“Design team” was saved.').waitFor();
    await expect.poll(() => row(page, 'User groups', 'Design team').getByRole('cell').nth(2).textContent()).toBe('3');
    expect(await groups()).toMatchObject([{ name: 'Design team', sublicense: { quota: 3 }, policy: { name: 'Short lived' } }]);

    await openFromMenu(page, 'Policies');
    await (await openRowActions(page, 'Short lived')).getByRole('menuitem', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete policy' });
    await confirm.getByText('It is cleared from its 1 user group (Design team): they keep their sublicenses', { exact: false }).waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
    await confirm.getByRole('button', { name: 'Delete policy' }).click();
    await page.getByRole('status').getByText('“Short lived” was deleted and cleared from its 1 user group.').waitFor();
    expect(await groups()).toMatchObject([{ name: 'Design team', policy: null }]);

    // A second group to delete: its sublicense stays among the License Keys.
    await admin.call('POST', `/accounts/${accountId}/user-groups`, { subscriptionId, name: 'Temporary', quota: 1 });
    await openFromMenu(page, 'User Groups');
    await (await openRowActions(page, 'Temporary')).getByRole('menuitem', { name: 'Delete' }).click();
    const deleting = page.getByRole('dialog', { name: 'Delete user group' });
    await deleting.getByText('Its sublicense Temporary', { exact: false }).waitFor();
    await deleting.getByRole('button', { name: 'Delete user group' }).click();
    await page.getByRole('status').getByText('The user group “Temporary” was deleted; its sublicense stays.').waitFor();
    await expect.poll(() => row(page, 'User groups', 'Temporary').count()).toBe(0);
    const keys = (await admin.call<{ keys: { name: string }[] }>('GET', `/accounts/${accountId}/subscriptions/${subscriptionId}`)).keys.map((k) => k.name);
    expect(keys).toContain('Temporary');
    await context.close();
  });

  it('lists the virtual machines of one user group, on the screen and in the CSV', async () => {
    const [design] = await groups();
    const state = path.join(portal.dataDir, 'design-mac.json');
    const vms = path.join(portal.dataDir, 'design-vms.json');
    writeFileSync(vms, JSON.stringify([{ uuid: '3f2504e0-4f89-41d3-9a0c-000000000001', name: 'Design VM', guestOs: 'Windows 11', state: 'running', architecture: 'arm64' }]));
    const activated = await agent('activate', '--server', portal.server.url, '--product', 'desktop-enterprise', '--key', design!.sublicense.key, '--fingerprint', 'management-design-fingerprint', '--name', 'design-mac', '--state', state);
    expect(activated.code).toBe(0);
    expect((await agent('check-in', '--state', state, '--vms', vms)).code).toBe(0);

    const context = await laptop();
    const page = await signIn(context, customer.email, customer.password);
    await page.goto('/user-groups');
    await settled(page);
    await (await openRowActions(page, 'Design team')).getByRole('menuitem', { name: 'Virtual machines' }).click();
    await page.getByRole('heading', { name: 'Virtual Machines', level: 1 }).waitFor();
    const groupFilter = page.getByLabel('User group');
    await expect.poll(() => groupFilter.locator('option:checked').textContent()).toBe('Design team');
    await page.getByRole('table', { name: 'Virtual machines' }).getByText('Design VM').waitFor();
    const csv = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
    expect(new URL(csv!, portal.server.url).searchParams.get('groupId')).toBe(new URL(page.url()).searchParams.get('groupId'));
    expect((await (await context.request.get(csv!)).text()).split(/\r?\n/)[1]).toMatch(/^Design VM,/);
    expect(await accessibilityProblems(page)).toEqual([]);
    await groupFilter.selectOption({ label: 'All groups' });
    await expect.poll(() => new URL(page.url()).searchParams.get('groupId')).toBeNull();

    // The Installations list narrows to the group the same way, on the screen and in its CSV.
    await page.goto('/installations');
    await settled(page);
    await page.getByLabel('User group').selectOption({ label: 'Design team' });
    await expect.poll(() => new URL(page.url()).searchParams.get('groupId')).toBe(design!.id);
    const installations = page.getByRole('table', { name: 'Installations' });
    await installations.getByText('design-mac').waitFor();
    expect(await installations.getByRole('row').count()).toBe(2);
    const installationsCsv = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
    expect(new URL(installationsCsv!, portal.server.url).searchParams.get('groupId')).toBe(design!.id);
    expect((await (await context.request.get(installationsCsv!)).text()).trim().split(/\r?\n/)).toHaveLength(2);
    await context.close();
  });

  it('is neither in the menu nor open to a License Administrator', async () => {
    const context = await laptop();
    const page = await signIn(context, keyAdmin.email, keyAdmin.password);
    await page.getByLabel('Account').selectOption({ label: customer.company });
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Installations' }).waitFor();
    for (const name of ['Policies', 'User Groups']) expect(await nav.getByRole('link', { name, includeHidden: true }).count()).toBe(0);
    for (const [address, title] of [
      ['/policies', 'Policies'],
      ['/user-groups', 'User Groups'],
    ]) {
      await page.goto(address!);
      await page.getByRole('heading', { name: title, level: 1 }).waitFor();
      await page.getByRole('alert').getByText(`Your role in ${customer.company} does not let you use this page.`).waitFor();
    }
    expect(await accessibilityProblems(page)).toEqual([]);
    await context.close();
  });

  it('fits a phone: the Management menu, the policies, a policy and the user groups, accessibly', async () => {
    const context = await phone();
    const page = await signIn(context, customer.email, customer.password);
    const menu = page.getByRole('navigation', { name: 'Main' });
    await menu.getByRole('button', { name: 'Management' }).click();
    for (const name of ['Configuration Profiles', 'Policies', 'User Groups', 'Virtual Machines']) await expect.poll(() => menu.getByRole('link', { name, exact: true }).isVisible()).toBe(true);
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    expect(await accessibilityProblems(page)).toEqual([]);
    await menu.getByRole('link', { name: 'Policies', exact: true }).click();
    await page.getByRole('heading', { name: 'Policies', level: 1 }).waitFor();
    await settled(page);
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'policies-390');

    await page.getByRole('link', { name: 'Lab lockdown' }).click();
    await page.getByRole('heading', { name: 'Lab lockdown', level: 1 }).waitFor();
    await settled(page);
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'policy-390');

    await openFromMenu(page, 'User Groups');
    await row(page, 'User groups', 'Design team').waitFor();
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'user-groups-390');
    await page.getByRole('button', { name: 'Create User Group' }).click();
    await page.getByRole('dialog', { name: 'Create user group' }).getByLabel('Name').waitFor();
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    expect(await accessibilityProblems(page)).toEqual([]);
    await context.close();
  });
});

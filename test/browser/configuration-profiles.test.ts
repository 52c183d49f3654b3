import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityProblems, launchChromium, screenshot, sidewaysOverflow, startPortalServer, topBarLines, type PortalServer } from './browser.js';
import { agent, apiSession, confirmEmail, createSublicense, issueOrder, makeKeyAdmin, openRowActions, registerKey, signIn, signUpCustomer, type ApiSession } from './flows.js';

// Issue 13, point 8: the Configuration Profiles page, its payload pane, and a key's profile chosen
// from the License Keys table, at a laptop's and a phone's width.

let portal: PortalServer;
let browser: Browser;
let admin: ApiSession;
let accountId: string;
let subscriptionId: string;
let designKey: string;
const stamp = Date.now();
const customer = { email: `petra.${stamp}@example.com`, password: 'petra-password-1', firstName: 'Petra', lastName: 'Profile', company: `Profile Works ${stamp}` };
const keyAdmin = { email: `lars.${stamp}@example.com`, password: 'lars-password-1', firstName: 'Lars', lastName: 'Keys' };
const checksum = 'AB'.repeat(32);

beforeAll(async () => {
  portal = await startPortalServer('configuration-profiles');
  const url = portal.server.url;
  ({ businessAccountId: accountId } = await signUpCustomer(url, customer));
  const licenseKey = await issueOrder(url, portal.operatorPassword, { customerEmail: customer.email, channel: 'reseller', duration: '1y' });
  admin = await apiSession(url, customer.email, customer.password);
  ({ id: subscriptionId } = await registerKey(admin, accountId, licenseKey));
  const key = await createSublicense(admin, accountId, subscriptionId, 'Design team', 3);
  designKey = key.key;
  // An Enterprise subscription beside it: profiles are of one product or the other.
  await registerKey(admin, accountId, await issueOrder(url, portal.operatorPassword, { customerEmail: customer.email, channel: 'reseller', duration: '1y', items: [{ productCode: 'desktop-enterprise', quantity: 5 }] }));

  // A Regular Member who administers the Design team key: a License Administrator.
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
const profilesTable = (page: Page) => page.getByRole('table', { name: 'Configuration profiles' });
const profileRow = (page: Page, name: string) => profilesTable(page).getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) });
const tab = (page: Page, name: RegExp) => page.getByRole('tablist', { name: 'Payloads' }).getByRole('tab', { name });
const VM_IMAGE = /^Provision a corporate VM image/;
const UPGRADES = /^Allow major version upgrades/;
/** The text of a row's cell in the column of that header. */
async function cellUnder(table: Locator, row: string, header: string): Promise<string | null> {
  await table.getByRole('columnheader', { name: header, exact: true }).waitFor();
  const at = await table.getByRole('columnheader').evaluateAll((headers, name) => headers.findIndex((h) => h.textContent === name), header);
  return table.getByRole('row').filter({ hasText: row }).getByRole('cell').nth(at).textContent();
}
const settled = (page: Page) => expect.poll(() => page.locator('.spinner').count()).toBe(0);

/** Opens Management › Configuration Profiles from the main menu, as a person does. */
async function openFromMenu(page: Page) {
  const menu = page.getByRole('navigation', { name: 'Main' });
  await menu.getByRole('button', { name: 'Management' }).click();
  await menu.getByRole('link', { name: 'Configuration Profiles' }).click();
  await page.getByRole('heading', { name: 'Configuration Profiles', level: 1 }).waitFor();
  await settled(page);
}

const profileId = async (name: string) => (await admin.call<{ items: { id: string; name: string }[] }>('GET', `/accounts/${accountId}/configuration-profiles`)).items.find((p) => p.name === name)!.id;

describe('the Configuration Profiles page', () => {
  it('creates a profile of two payloads, keeps the draft across a reload, says a bad checksum at its field, and switches a payload off and on with its settings intact', async () => {
    const context = await laptop();
    const page = await signIn(context, customer.email, customer.password);
    expect(await topBarLines(page)).toBe(1);
    await openFromMenu(page);
    expect(await profileRow(page, 'Default Built-in').getByRole('cell').allInnerTexts()).toEqual([
      'Default Built-in',
      'Every product',
      '1',
      'None: it changes nothing',
      'Every key without a profile of its own',
      'never',
      '',
    ]);
    expect(await accessibilityProblems(page)).toEqual([]);

    await page.getByRole('link', { name: 'Create Profile' }).click();
    await page.getByRole('heading', { name: 'New configuration profile', level: 1 }).waitFor();
    await page.getByLabel('Profile name').fill('Engineering Macs');
    // The account holds two products that take profiles: the payloads show once one is chosen.
    await page.getByText('Choose the product first: its payload types show here.').waitFor();
    await page.getByLabel('Product', { exact: true }).selectOption({ label: 'Desktop Virtualization, Business Edition' });
    expect(await tab(page, VM_IMAGE).getAttribute('aria-selected')).toBe('true');
    const pane = page.getByRole('tabpanel', { name: VM_IMAGE });
    await pane.getByLabel('Enable this payload').check();
    await pane.getByLabel('Image name').fill('Windows 11 corporate');
    await pane.getByLabel('Download URL').fill('https://files.example.com/win11.pvmp');
    await pane.getByLabel('SHA-256 checksum').fill('not-a-checksum');
    await pane.getByLabel('Target architecture').selectOption('apple_silicon');
    // The list of payloads is a set of tabs: the arrow keys move along it.
    await tab(page, VM_IMAGE).focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => tab(page, UPGRADES).evaluate((t) => t === document.activeElement && t.getAttribute('aria-selected') === 'true')).toBe(true);
    const upgrades = page.getByRole('tabpanel', { name: UPGRADES });
    await upgrades.getByLabel('Enable this payload').check();
    await upgrades.getByLabel('Allow upgrading to a new major version').check();
    expect(await tab(page, VM_IMAGE).textContent()).toMatch(/On$/);
    expect(await accessibilityProblems(page)).toEqual([]);

    // A reload keeps what was typed, on the payload it was on.
    await page.reload();
    await expect.poll(() => page.getByLabel('Profile name').inputValue()).toBe('Engineering Macs');
    expect(await upgrades.getByLabel('Allow upgrading to a new major version').isChecked()).toBe(true);
    await tab(page, VM_IMAGE).click();
    expect(await pane.getByLabel('SHA-256 checksum').inputValue()).toBe('not-a-checksum');
    expect(await pane.getByLabel('Target architecture').inputValue()).toBe('apple_silicon');

    // Nothing is red before the first save; the server's refusal lands at the field, in words, and takes the focus there.
    expect(await page.locator('[aria-invalid="true"]').count()).toBe(0);
    await tab(page, UPGRADES).click();
    await page.getByRole('button', { name: 'Create profile' }).click();
    await page.getByRole('alert').getByText('Fix the settings marked in Provision a corporate VM image.').waitFor();
    const field = pane.getByLabel('SHA-256 checksum');
    await expect.poll(() => field.evaluate((input) => input === document.activeElement)).toBe(true);
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    const describedBy = await field.getAttribute('aria-describedby');
    expect(await page.locator(`[id="${describedBy}"]`).textContent()).toBe('SHA-256 checksum must be a SHA-256 checksum: 64 hexadecimal digits');
    expect(await tab(page, VM_IMAGE).textContent()).toMatch(/1 problem$/);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'configuration-profile-error-1280');
    await field.fill(checksum);
    expect(await field.getAttribute('aria-invalid')).toBeNull();

    await page.getByRole('button', { name: 'Create profile' }).click();
    await page.getByRole('status').getByText('“Engineering Macs” was created.', { exact: false }).waitFor();
    expect(await profileRow(page, 'Engineering Macs').getByRole('cell').allInnerTexts()).toEqual([
      'Engineering Macs',
      'Desktop Virtualization, Business Edition',
      '1',
      'Provision a corporate VM image, Allow major version upgrades',
      'None',
      expect.any(String),
      expect.stringMatching(/^Actions/),
    ]);
    await screenshot(page, 'configuration-profiles-1280');
    // Sent, the draft is done with: a new profile starts empty.
    await page.getByRole('link', { name: 'Create Profile' }).click();
    await page.getByRole('heading', { name: 'New configuration profile', level: 1 }).waitFor();
    expect(await page.getByLabel('Profile name').inputValue()).toBe('');
    expect(await page.getByLabel('Product', { exact: true }).inputValue()).toBe('');

    // Switched off and saved, the payload keeps its settings; switched on again, it delivers them as before.
    await page.goBack();
    await profilesTable(page).getByRole('link', { name: 'Engineering Macs' }).click();
    await page.getByRole('heading', { name: 'Engineering Macs', level: 1 }).waitFor();
    await settled(page);
    await tab(page, VM_IMAGE).click();
    await pane.getByLabel('Enable this payload').uncheck();
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByRole('status').getByText('Saved.', { exact: false }).waitFor();
    await page.reload();
    await settled(page);
    await tab(page, VM_IMAGE).click();
    expect(await tab(page, VM_IMAGE).textContent()).toMatch(/Off$/);
    expect(await pane.getByLabel('Enable this payload').isChecked()).toBe(false);
    expect(await pane.getByLabel('Image name').inputValue()).toBe('Windows 11 corporate');
    expect(await pane.getByLabel('SHA-256 checksum').inputValue()).toBe(checksum.toLowerCase());
    await pane.getByLabel('Enable this payload').check();
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByRole('status').getByText('Saved.', { exact: false }).waitFor();
    expect(await page.locator('.facts div', { hasText: 'Version' }).locator('dd').textContent()).toBe('3');
    const saved = (await admin.call<{ profile: { payloads: unknown[] } }>('GET', `/accounts/${accountId}/configuration-profiles/${await profileId('Engineering Macs')}`)).profile;
    expect(saved.payloads).toEqual([
      { type: 'vm_image', enabled: true, settings: { imageName: 'Windows 11 corporate', downloadUrl: 'https://files.example.com/win11.pvmp', checksum: checksum.toLowerCase(), architecture: 'apple_silicon' } },
      { type: 'major_upgrades', enabled: true, settings: { allowed: true } },
    ]);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'configuration-profile-1280');
    await context.close();
  });

  it('gives the profile to a sublicense from the License Keys table; the installation activated with it lists it', async () => {
    const context = await laptop();
    const page = await signIn(context, customer.email, customer.password);
    await page.goto(`/accounts/${accountId}/subscriptions/${subscriptionId}`);
    const keys = page.getByRole('table', { name: 'License Keys' });
    const design = keys.getByRole('row').filter({ hasText: 'Design team' });
    await design.waitFor();
    expect(await cellUnder(keys, 'Design team', 'Configuration profile')).toBe('Default');
    // The table keeps within its box at 1280 px with the column.
    expect(await keys.evaluate((table) => table.parentElement!.scrollWidth - table.parentElement!.clientWidth)).toBeLessThanOrEqual(0);

    await (await openRowActions(page, 'Design team')).getByRole('menuitem', { name: 'Configuration profile' }).click();
    const dialog = page.getByRole('dialog', { name: 'Configuration profile of Design team' });
    await dialog.getByText('Configuration profile is not set: Design team uses Default, which changes nothing.').waitFor();
    await dialog.getByLabel('Configuration profile').selectOption({ label: 'Engineering Macs' });
    expect(await accessibilityProblems(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').getByText('Design team now uses Engineering Macs; its installations receive it at their next check-in.').waitFor();
    await expect.poll(() => cellUnder(keys, 'Design team', 'Configuration profile')).toBe('Engineering Macs');

    const activated = await agent('activate', '--server', portal.server.url, '--product', 'desktop-business', '--key', designKey, '--fingerprint', 'profiles-fingerprint-1', '--name', 'design-mac-1', '--state', path.join(portal.dataDir, 'agent.json'));
    expect(activated.code).toBe(0);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Installations' }).click();
    const installations = page.getByRole('table', { name: 'Installations' });
    await installations.getByText('design-mac-1').waitFor();
    await page.getByText('Columns', { exact: true }).click();
    await page.getByLabel('Configuration profile').check();
    await installations.getByRole('columnheader', { name: 'Configuration profile' }).waitFor();
    // The header shows at once; the rows with the new column follow from the server.
    await expect.poll(() => cellUnder(installations, 'design-mac-1', 'Configuration profile')).toBe('Engineering Macs');

    // The list of profiles names the key it is given to.
    await page.goto('/configuration-profiles');
    await settled(page);
    expect(await cellUnder(profilesTable(page), 'Engineering Macs', 'License keys')).toBe('Design team');
    await context.close();
  });

  it('deletes a profile in use by giving its keys another, and an unused one at once', async () => {
    const product = 'desktop-business';
    await admin.call('POST', `/accounts/${accountId}/configuration-profiles`, { name: 'Fallback', product, payloads: [{ type: 'updates', enabled: true, settings: { branch: 'stable' } }] });
    await admin.call('POST', `/accounts/${accountId}/configuration-profiles`, { name: 'Spare', product, payloads: [] });
    await admin.call('POST', `/accounts/${accountId}/configuration-profiles`, { name: 'Enterprise lab', product: 'desktop-enterprise', payloads: [] });
    const context = await laptop();
    const page = await signIn(context, customer.email, customer.password);
    await page.goto('/configuration-profiles');
    await settled(page);

    await (await openRowActions(page, 'Engineering Macs')).getByRole('menuitem', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete configuration profile' });
    await dialog.getByText('1 license key uses Engineering Macs: Design team.', { exact: false }).waitFor();
    // Its keys may get a profile of the same product only.
    expect(await dialog.getByLabel('Profile for its keys').locator('option').allTextContents()).toEqual(['Default (built-in, no payloads)', 'Fallback', 'Spare']);
    await dialog.getByLabel('Profile for its keys').selectOption({ label: 'Fallback' });
    expect(await accessibilityProblems(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Delete profile' }).click();
    await page.getByRole('status').getByText('“Engineering Macs” was deleted; its 1 license key now uses Fallback.').waitFor();
    await expect.poll(() => cellUnder(profilesTable(page), 'Fallback', 'License keys')).toBe('Design team');
    expect(await profileRow(page, 'Engineering Macs').count()).toBe(0);

    await (await openRowActions(page, 'Spare')).getByRole('menuitem', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete configuration profile' });
    await confirm.getByText('No license key uses it.', { exact: false }).waitFor();
    await confirm.getByRole('button', { name: 'Delete profile' }).click();
    await page.getByRole('status').getByText('“Spare” was deleted.').waitFor();
    await expect.poll(() => profileRow(page, 'Spare').count()).toBe(0);
    await context.close();
  });

  it('is neither in the menu nor open to a License Administrator, whose key shows its profile without the choice', async () => {
    const context = await laptop();
    const page = await signIn(context, keyAdmin.email, keyAdmin.password);
    await page.getByLabel('Account').selectOption({ label: customer.company });
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Installations' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Configuration Profiles', includeHidden: true }).count()).toBe(0);

    await page.goto('/configuration-profiles');
    await page.getByRole('heading', { name: 'Configuration Profiles', level: 1 }).waitFor();
    const alert = page.getByRole('alert');
    await alert.getByText(`Your role in ${customer.company} does not let you use this page.`).waitFor();
    await alert.getByText(`Ask one of its administrators for access: Petra Profile (${customer.email}).`).waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);

    await page.goto(`/accounts/${accountId}/subscriptions/${subscriptionId}`);
    const keys = page.getByRole('table', { name: 'License Keys' });
    await keys.getByRole('row').filter({ hasText: 'Design team' }).waitFor();
    await expect.poll(() => cellUnder(keys, 'Design team', 'Configuration profile')).toBe('Fallback');
    const menu = await openRowActions(page, 'Design team');
    expect(await menu.getByRole('menuitem').allTextContents()).not.toContain('Configuration profile');
    await context.close();
  });

  it('fits a phone: the list, the payload pane one above the other, and the key dialog, accessibly', async () => {
    const context = await phone();
    const page = await signIn(context, customer.email, customer.password);
    await openFromMenu(page);
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'configuration-profiles-390');

    await profilesTable(page).getByRole('link', { name: 'Fallback' }).click();
    await page.getByRole('heading', { name: 'Fallback', level: 1 }).waitFor();
    await settled(page);
    await tab(page, /^Updates/).click();
    const pane = page.getByRole('tabpanel', { name: /^Updates/ });
    expect(await pane.getByLabel('Update branch').inputValue()).toBe('stable');
    // The pane comes under the list of payloads, not beside it.
    const [list, panel] = await Promise.all([page.getByRole('tablist', { name: 'Payloads' }).boundingBox(), pane.boundingBox()]);
    expect(panel!.y).toBeGreaterThanOrEqual(list!.y + list!.height);
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'configuration-profile-390');

    // A list setting is one entry a line; the server's word about one entry names it, counted from 1.
    await tab(page, /^USB device policy/).click();
    const usb = page.getByRole('tabpanel', { name: /^USB device policy/ });
    await usb.getByLabel('Enable this payload').check();
    await usb.getByLabel('USB devices').selectOption('allow_listed');
    await usb.getByLabel(/^Allowed devices/).fill(`05ac:12a8\n\n${'f'.repeat(101)}\n`);
    await page.getByRole('button', { name: 'Save profile' }).click();
    const devices = usb.getByLabel(/^Allowed devices/);
    await expect.poll(() => devices.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator(`[id="${await devices.getAttribute('aria-describedby')}"]`).textContent()).toBe('Entry 2 must be at most 100 characters');
    expect(await accessibilityProblems(page)).toEqual([]);

    await page.goto(`/accounts/${accountId}/subscriptions/${subscriptionId}`);
    await (await openRowActions(page, 'Design team')).getByRole('menuitem', { name: 'Configuration profile' }).click();
    const dialog = page.getByRole('dialog', { name: 'Configuration profile of Design team' });
    await dialog.getByText('Design team uses Fallback.').waitFor();
    expect(await dialog.getByLabel('Configuration profile').locator('option').allTextContents()).toEqual(['Default', 'Fallback']);
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    expect(await accessibilityProblems(page)).toEqual([]);
    await dialog.getByLabel('Configuration profile').selectOption({ label: 'Default' });
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').getByText('Design team now uses Default', { exact: false }).waitFor();
    await context.close();
  });
});

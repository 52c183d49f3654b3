import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startPortalServer, type PortalServer } from './browser.js';
import { apiSession, confirmEmail, issueOrder, registerKey, signIn, signUpCustomer } from './flows.js';

// The invitation forms read the server's answer like the rest of the portal: entries that are no
// address are named by position and value while the others go out, the address box keeps only
// what to fix, and a pending invitation to install is not sent a second code.

let portal: PortalServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const stamp = Date.now();
const customer = { email: `ivy.${stamp}@example.com`, password: 'ivy-password-1', firstName: 'Ivy', lastName: 'Inviter', company: `Ivy Invites ${stamp}` };
const address = (name: string) => `${name}.${stamp}@example.com`;

beforeAll(async () => {
  portal = await startPortalServer('invitation-forms');
  const url = portal.server.url;
  const { businessAccountId } = await signUpCustomer(url, customer);
  const licenseKey = await issueOrder(url, portal.operatorPassword, { customerEmail: customer.email, channel: 'online', duration: '1y' });
  const api = await apiSession(url, customer.email, customer.password);
  await registerKey(api, businessAccountId, licenseKey);
  await confirmEmail(api, url, customer.email);
  await api.dispose();
  browser = await launchChromium();
  context = await browser.newContext({ baseURL: url, viewport: { width: 1280, height: 800 } });
  page = await signIn(context, customer.email, customer.password);
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await portal?.stop();
});

const summary = () => page.getByRole('status', { name: 'Invitations sent' });
const box = () => page.getByLabel('Email addresses');
const send = () => page.getByRole('button', { name: 'Send invitations' }).click();

describe('inviting members', () => {
  it('names the entry that is no address, sends the others, and keeps only that entry in the box', async () => {
    await page.goto('/users');
    await page.getByText('Invite members').click();
    await box().fill(`${address('ann')}\nerin@\n${address('bob')}`);
    await send();
    await summary().getByRole('heading', { name: '2 invited, 1 rejected' }).waitFor();
    await summary().getByText('Entry 2 “erin@”: is not an email address').waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    const open = page.getByRole('table', { name: 'Open invitations' });
    await open.getByText(address('ann')).waitFor();
    await open.getByText(address('bob')).waitFor();
    expect(await box().inputValue()).toBe('erin@');
  });

  it("says the server's limit on the list at the address box, in words", async () => {
    await box().fill(Array.from({ length: 101 }, (_, i) => address(`many${i}`)).join('\n'));
    await send();
    await page.getByText('Email addresses must hold at most 100 entries').waitFor();
    expect(await box().getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('alert').count()).toBe(0);
  });
});

describe('inviting to install', () => {
  const table = () => page.getByRole('table', { name: 'Invitations' });

  it('names the entry that is no address, sends the others, and keeps only that entry in the box', async () => {
    await page.goto('/invite-to-install');
    await page.getByLabel('License key').selectOption({ index: 1 });
    await box().fill(`${address('cy')}, erin@, ${address('dee')}`);
    await send();
    await summary().getByRole('heading', { name: '2 invited, 1 rejected' }).waitFor();
    await summary().getByText('Entry 2 “erin@”: is not an email address').waitFor();
    await table().getByText(address('dee')).waitFor();
    expect(await box().inputValue()).toBe('erin@');
  });

  it('does not send a second code to an address whose invitation is pending, and says to send that one again', async () => {
    await box().fill(address('cy'));
    await send();
    await summary().getByRole('heading', { name: '0 invited, 1 skipped' }).waitFor();
    await summary().getByText(`${address('cy')}: already has a pending invitation; use Send again in the list to email it once more`).waitFor();
    expect(await table().getByRole('row').filter({ hasText: address('cy') }).count()).toBe(1);
    expect(await box().inputValue()).toBe('');
  });
});

describe('a form of one thing', () => {
  it("shows the server's refusal at the field it names, in words", async () => {
    await page.goto('/business-profile');
    const zip = page.getByLabel('ZIP / postal code');
    await zip.fill('D02 XY45 EXTENDED-AREA-CODE');
    await page.getByRole('button', { name: 'Save company details' }).click();
    await page.getByText('ZIP / postal code must be at most 20 characters').waitFor();
    expect(await zip.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('alert').count()).toBe(0);
  });
});

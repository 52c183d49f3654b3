import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startPortalServer, type PortalServer } from './browser.js';
import { issueOrder, mailbox, signIn, signUpCustomer } from './flows.js';

// Forms with lists and steps keep them across a reload; a field shows no error before the user left it or submitted it.

let browser: Browser;
let portal: PortalServer;
const stamp = Date.now();

beforeAll(async () => {
  portal = await startPortalServer('kept-forms');
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

const newContext = () => browser.newContext({ baseURL: portal.server.url, viewport: { width: 1280, height: 800 }, locale: 'en-US' });

/** The fields of a form or page that show an error. */
const redFields = (scope: Page | Locator) => scope.locator('[aria-invalid="true"]').count();

describe('a form with lines or steps', () => {
  it('keeps the New order product lines across a reload, until the order is placed', async () => {
    const context = await newContext();
    const page = await signIn(context, 'operator@keyline.local', portal.operatorPassword);
    await page.goto('/back-office/orders/new');
    const order = page.getByRole('form', { name: 'Order' });
    await order.getByLabel('Customer email').fill(`lines.${stamp}@example.com`);
    await order.getByLabel('Product', { exact: true }).selectOption('desktop-business');
    await order.getByLabel('Quantity', { exact: true }).fill('12');
    await order.getByRole('button', { name: '+ Add a product' }).click();
    await order.getByLabel('Product 2', { exact: true }).selectOption('device-management');
    await order.getByLabel('License type 2', { exact: true }).selectOption('mobile');
    await order.getByLabel('Quantity 2', { exact: true }).fill('5');

    await page.reload();
    await expect.poll(() => order.getByLabel('Customer email').inputValue()).toBe(`lines.${stamp}@example.com`);
    const values = () =>
      Promise.all(['Product 1', 'Quantity 1', 'Product 2', 'License type 2', 'Quantity 2'].map((label) => order.getByLabel(label, { exact: true }).inputValue()));
    await expect.poll(values).toEqual(['desktop-business', '12', 'device-management', 'mobile', '5']);

    // Placed, the lines are done with: the next order starts with one empty line.
    await order.getByRole('button', { name: 'Place order' }).click();
    await page.getByRole('status').filter({ has: page.getByRole('heading', { name: 'Order placed' }) }).getByText('12 × Desktop Virtualization, Business Edition, 5 × Device Management (mobile)').waitFor();
    await page.reload();
    await order.getByLabel('Product', { exact: true }).waitFor();
    expect(await order.getByLabel('Product', { exact: true }).inputValue()).toBe('');
    expect(await order.getByLabel('Product 2', { exact: true }).count()).toBe(0);
    await context.close();
  });

  it('opens Register Key from the emailed link with the key filled in, reopens on its step after a reload, and confirms the registration', async () => {
    const customer = { email: `reg.${stamp}@example.com`, password: 'reg-password-1', firstName: 'Reggie', lastName: 'Stone', company: `Stone Works ${stamp}` };
    await signUpCustomer(portal.server.url, customer);
    const key = await issueOrder(portal.server.url, portal.operatorPassword, { customerEmail: customer.email, channel: 'reseller', duration: '1y' });
    let link = '';
    await expect
      .poll(async () => (link = (await mailbox(portal.server.url, customer.email)).map((m) => m.text.match(/https?:\/\/\S+\/register-key\?\S+/)?.[0]).find(Boolean) ?? ''), { timeout: 15_000 })
      .not.toBe('');
    expect(new URL(link).searchParams.get('key')).toBe(key);

    // Signed out, the link goes through the sign-in and arrives with the key in its field.
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(link);
    await page.getByLabel('Email').fill(customer.email);
    await page.getByLabel('Password').fill(customer.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Register Key' }).waitFor();
    await expect.poll(() => page.getByLabel('License key').inputValue()).toBe(key);

    // The Business details step opens with no field in red.
    await page.getByLabel('Register into').selectOption({ label: 'A new business account…' });
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Business details' }).waitFor();
    expect(await redFields(page)).toBe(0);
    await page.getByLabel('Company name').fill(`Stone Labs ${stamp}`);
    await page.getByLabel('Street').fill('3 Quarry Lane');
    // A field left empty says so once it is left.
    await page.getByLabel('City').focus();
    await page.getByLabel('ZIP / postal code').focus();
    await page.getByText('City is required').waitFor();

    // A reload reopens the step, with what was typed and nothing in red.
    await page.reload();
    await page.getByRole('heading', { name: 'Business details' }).waitFor();
    await expect.poll(() => page.getByLabel('Company name').inputValue()).toBe(`Stone Labs ${stamp}`);
    expect(await page.getByLabel('Street').inputValue()).toBe('3 Quarry Lane');
    expect(await page.getByText(key, { exact: true }).count()).toBe(1);
    expect(await redFields(page)).toBe(0);

    // Register tells what is missing; filled in, the registration is confirmed.
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByText('Phone must be a phone number').waitFor();
    expect(await redFields(page)).toBe(4);
    await page.getByLabel('City').fill('Galway');
    await page.getByLabel('ZIP / postal code').fill('H91 AB12');
    await page.getByLabel('Country').selectOption('IE');
    await page.getByLabel('Phone').fill('+353 91 555 0100');
    await page.getByRole('button', { name: 'Register' }).click();
    const done = page.getByRole('status').filter({ has: page.getByRole('heading', { name: 'Key registered' }) });
    await done.getByText(`is now a subscription of Stone Labs ${stamp}`).waitFor();
    await done.getByText('10 × Desktop Virtualization, Business Edition').waitFor();
    await done.getByText(key).waitFor();
    // The confirmation outlives a reload, and leads on to the subscription.
    await page.reload();
    await done.getByRole('link', { name: 'Open the subscription' }).click();
    await page.getByRole('heading', { name: 'License Keys' }).waitFor();
    await context.close();
  });

  it('shows no error on a field that a choice brings in after a submit, until it is left or submitted', async () => {
    const context = await newContext();
    const page = await signIn(context, 'operator@keyline.local', portal.operatorPassword);
    await page.goto('/back-office/orders/new');
    const trial = page.getByRole('form', { name: 'Trial license' });
    await trial.getByRole('button', { name: 'Issue trial' }).click();
    await trial.getByText('Product is required').waitFor();
    await trial.getByLabel('Product').selectOption('device-management');
    await trial.getByLabel('License type').waitFor();
    expect(await redFields(trial)).toBe(1);
    expect(await trial.getByText('License type is required for this product').count()).toBe(0);
    await trial.getByRole('button', { name: 'Issue trial' }).click();
    await trial.getByText('License type is required for this product').waitFor();
    await context.close();
  });
});

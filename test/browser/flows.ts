import { spawn } from 'node:child_process';
import path from 'node:path';
import { request, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';

// The steps several browser tests take on the way to what they check: a customer, an order, a sign-in.

export interface Customer {
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  company: string;
}

/** A customer with a personal and a business account, signed up through the public API. */
export async function signUpCustomer(serverUrl: string, customer: Customer): Promise<{ businessAccountId: string }> {
  const res = await fetch(`${serverUrl}/api/v1/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: customer.email,
      firstName: customer.firstName,
      lastName: customer.lastName,
      password: customer.password,
      company: { name: customer.company, street: '2 Harbour Road', city: 'Dublin', country: 'IE', state: null, zip: 'D02 XY45', phone: '+353 1 555 0100' },
    }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { businessAccountId: string };
}

export interface ApiSession {
  /** One call of /api/v1; fails the test unless it succeeds. */
  call<T>(method: 'GET' | 'POST' | 'PATCH' | 'PUT', path: string, data?: unknown): Promise<T>;
  dispose(): Promise<void>;
}

/** The public API as a signed-in user: a cookie session that echoes its CSRF token. */
export async function apiSession(serverUrl: string, email: string, password: string): Promise<ApiSession> {
  const api = await request.newContext({ baseURL: serverUrl });
  const session = await api.post('/api/v1/sessions', { data: { email, password } });
  expect(session.status()).toBe(201);
  const { csrfToken } = (await session.json()) as { csrfToken: string };
  return {
    async call<T>(method: string, path: string, data?: unknown) {
      const res = await api.fetch(`/api/v1${path}`, { method, data, headers: { 'x-csrf-token': csrfToken } });
      if (!res.ok()) throw new Error(`${method} ${path}: ${res.status()} ${await res.text()}`);
      return (await res.json()) as T;
    },
    dispose: () => api.dispose(),
  };
}

/** The vendor's side, as the operator the first start printed: an order (10 seats of desktop-business unless told); its primary key. */
export async function issueOrder(
  serverUrl: string,
  operatorPassword: string,
  order: { customerEmail: string; channel: 'reseller' | 'online'; duration: '1m' | '1y'; items?: { productCode: string; quantity: number }[] },
): Promise<string> {
  const operator = await apiSession(serverUrl, 'operator@keyline.local', operatorPassword);
  const placed = await operator.call<{ primaryKey: { key: string } }>('POST', '/vendor/orders', { items: [{ productCode: 'desktop-business', quantity: 10 }], ...order, supportPlan: 'standard' });
  await operator.dispose();
  return placed.primaryKey.key;
}

/** The emails to an address, newest first, as the dev mailbox shows them. */
export async function mailbox(serverUrl: string, to: string): Promise<{ subject: string; text: string }[]> {
  const res = await fetch(`${serverUrl}/api/v1/dev/mailbox?to=${encodeURIComponent(to)}`);
  return ((await res.json()) as { items: { subject: string; text: string }[] }).items;
}

/** The link of a kind ("verify-email", "join") in the newest email to an address. */
export async function mailedLink(serverUrl: string, to: string, page: string): Promise<string> {
  const items = await mailbox(serverUrl, to);
  const link = items.map((m) => m.text.match(new RegExp(`https?://\\S+/${page}\\?token=[\\w-]+`))?.[0]).find(Boolean);
  if (!link) throw new Error(`no ${page} email for ${to}: ${JSON.stringify(items)}`);
  return link;
}

/** `keyline agent` as an installation on a customer's machine runs it. */
export function agent(...args: string[]): Promise<{ code: number | null; json: { ok: boolean; error?: { code: string } } | null }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'agent', ...args, '--json'], { cwd: path.resolve(import.meta.dirname, '../..') });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  return new Promise((resolve) =>
    child.once('close', (code) => {
      let json = null;
      try {
        json = JSON.parse(stdout);
      } catch {
        // no JSON: the assertion on the code tells
      }
      resolve({ code, json });
    }),
  );
}

/** A new page of the context, signed in through the sign-in form. */
export async function signIn(context: BrowserContext, email: string, password: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto('/signin');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  return page;
}

/** Opens the actions menu of a table row by the row's name, as a mouse user does; returns the menu. */
export async function openRowActions(page: Page, rowName: string): Promise<Locator> {
  await page.getByRole('button', { name: `Actions for ${rowName}`, exact: true }).click();
  const menu = page.getByRole('menu', { name: `Actions for ${rowName}`, exact: true });
  await menu.waitFor();
  return menu;
}

/** Registers a key into an account through the API, as Register Key does; the subscription it made. */
export async function registerKey(api: ApiSession, accountId: string, licenseKey: string): Promise<{ id: string; name: string }> {
  const { subscription } = await api.call<{ subscription: { id: string; name: string } }>('POST', `/accounts/${accountId}/subscriptions`, { licenseKey });
  return subscription;
}

/** Confirms the signed-in user's address with the link the sign-up emailed (invitations go out only from a confirmed one). */
export async function confirmEmail(api: ApiSession, serverUrl: string, email: string): Promise<void> {
  const verification = new URL(await mailedLink(serverUrl, email, 'verify-email'));
  await api.call('POST', '/email-verification', { token: verification.searchParams.get('token') });
}

/**
 * A Regular Member of the account, invited by its administrator (whose address must be confirmed)
 * and joined as a new user through the emailed link; their user id.
 */
export async function joinAsMember(admin: ApiSession, serverUrl: string, accountId: string, person: Omit<Customer, 'company'>): Promise<string> {
  await admin.call('POST', `/accounts/${accountId}/invitations`, { emails: [person.email], role: 'member', language: 'en' });
  const token = new URL(await mailedLink(serverUrl, person.email, 'join')).searchParams.get('token');
  const joined = await fetch(`${serverUrl}/api/v1/invitations/${token}/accept`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ firstName: person.firstName, lastName: person.lastName, password: person.password }),
  });
  expect(joined.status).toBe(200);
  return ((await joined.json()) as { user: { id: string } }).user.id;
}

/** A dynamic sublicense of the subscription's first product, created by its administrator through the API. */
export async function createSublicense(admin: ApiSession, accountId: string, subscriptionId: string, name: string, quota: number): Promise<{ id: string; key: string }> {
  const details = await admin.call<{ products: { itemId: string }[] }>('GET', `/accounts/${accountId}/subscriptions/${subscriptionId}`);
  const { key } = await admin.call<{ key: { id: string; key: string } }>('POST', `/accounts/${accountId}/subscriptions/${subscriptionId}/keys`, {
    itemId: details.products[0]!.itemId,
    kind: 'dynamic',
    name,
    quota,
    expiresAt: null,
  });
  return key;
}

/** A License Administrator: a person who joins the account as a Regular Member (see joinAsMember) and is granted the key. */
export async function makeKeyAdmin(admin: ApiSession, serverUrl: string, place: { accountId: string; subscriptionId: string; keyId: string }, person: Omit<Customer, 'company'>): Promise<void> {
  const userId = await joinAsMember(admin, serverUrl, place.accountId, person);
  await admin.call('PUT', `/accounts/${place.accountId}/subscriptions/${place.subscriptionId}/keys/${place.keyId}/admins/${userId}`);
}

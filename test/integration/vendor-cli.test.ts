import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extendBy } from '../../src/domain/subscription.js';
import { createTestApp, PASSWORD, signedInUser, uniqueEmail, type TestApp } from '../support/harness.js';
import { customerWithSubscription } from '../support/licensing.js';
import { signedInOperator } from '../support/vendor.js';
import { runVendorCli } from '../support/vendor-cli.js';

/** The real `keyline vendor` CLI, run as a child process against the API listening on a real port. */

let t: TestApp;
let server: string;
let home: string;
let operatorEmail: string;
beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  server = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  operatorEmail = (await signedInOperator(t)).email;
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'keyline-cli-'));
});
afterAll(async () => {
  await t.close();
  await fs.rm(home, { recursive: true, force: true });
});

const SLOW = 60_000;

/** Runs `keyline vendor ...` with a home folder of its own and none of the caller's KEYLINE_* settings. */
const vendor = (args: string[], env: Record<string, string> = {}) => runVendorCli(args, home, env);

const KEY = /License key\s+([0-9A-Z]{5}(?:-[0-9A-Z]{5}){4})/;

describe('keyline vendor', () => {
  let subscriptionId: string;
  let customerEmail: string;

  it('logs in once and stores the server and an API token for later commands', { timeout: SLOW }, async () => {
    const login = await vendor(['login', '--server', server, '--email', operatorEmail], { KEYLINE_PASSWORD: PASSWORD });
    expect([login.code, login.stderr]).toEqual([0, '']);
    expect(login.stdout).toContain(`Signed in to ${server} as ${operatorEmail}`);
    const file = path.join(home, '.config', 'keyline', 'vendor.json');
    const stored = JSON.parse(await fs.readFile(file, 'utf8'));
    expect(stored).toEqual({ server, token: expect.stringMatching(/^kt_/) });
    expect((await fs.stat(file)).mode & 0o077).toBe(0);

    const products = await vendor(['products']);
    expect(products.code).toBe(0);
    expect(products.stdout.split('\n')[0]).toMatch(/^CODE\s+NAME\s+MODEL/);
    expect(products.stdout).toMatch(/device-management\s+Device Management\s+per_managed_device\s+desktop,mobile/);
  });

  it('places an order and prints the key the customer is emailed', { timeout: SLOW }, async () => {
    customerEmail = uniqueEmail('cli-customer');
    const res = await vendor(['order', '--email', customerEmail, '--product', 'desktop-business=5', '--product', 'device-management:mobile=20', '--duration', '1y', '--channel', 'reseller', '--plan', 'premium']);
    expect([res.code, res.stderr]).toEqual([0, '']);
    const key = KEY.exec(res.stdout)?.[1];
    expect(key).toBeDefined();
    expect(res.stdout).toContain('desktop-business=5 device-management:mobile=20');
    const [mail] = await t.emailsTo(customerEmail);
    expect(mail?.text).toContain(key);
  });

  it('finds the subscription, renews it and suspends it', { timeout: SLOW }, async () => {
    const found = await vendor(['subscriptions', '--search', customerEmail, '--json']);
    expect(found.code).toBe(0);
    const { items } = JSON.parse(found.stdout);
    expect(items).toEqual([expect.objectContaining({ customerEmail, channel: 'reseller', supportPlan: 'premium' })]);
    subscriptionId = items[0].id;
    const oldExpiry = items[0].expiresAt.slice(0, 10);

    const renewed = await vendor(['renew', subscriptionId, '--duration', '2y']);
    expect(renewed.code).toBe(0);
    const newExpiry = extendBy(new Date(items[0].expiresAt), '2y').toISOString().slice(0, 10);
    expect(renewed.stdout).toContain(`expires ${newExpiry} (was ${oldExpiry})`);

    const suspended = await vendor(['suspend', subscriptionId]);
    expect([suspended.code, suspended.stdout.trim()]).toEqual([0, `Subscription ${subscriptionId} is suspended`]);
    const listed = await vendor(['subscriptions', '--search', customerEmail, '--status', 'suspended']);
    expect(listed.stdout.split('\n')[1]).toMatch(new RegExp(`^${subscriptionId}\\s.*${customerEmail.replace(/\./g, '\\.')}\\s.*suspended\\s+reseller\\s+${newExpiry}`));
  });

  it('exits 1 with "code: message" when the API refuses, and 2 when the command is wrong', { timeout: SLOW }, async () => {
    const monthly = await vendor(['renew', subscriptionId, '--duration', '1m']);
    expect([monthly.code, monthly.stdout, monthly.stderr.trim()]).toEqual([1, '', 'validation_failed: Invalid order: duration: 1 month is sold only for online subscriptions']);

    const customer = await signedInUser(t, 'cli-not-operator');
    const config = path.join(home, 'customer.json');
    const refused = await vendor(['login', '--server', server, '--email', customer.email, '--password', PASSWORD, '--config', config]);
    expect([refused.code, refused.stderr.trim()]).toEqual([1, `operator_only: ${customer.email} is not a vendor operator`]);
    await expect(fs.access(config)).rejects.toThrow();

    const usage = await vendor(['offline', '00000000-0000-4000-8000-000000000000']);
    expect([usage.code, usage.stderr.trim()]).toEqual([2, 'give exactly one of --enable and --disable']);
  });

  it('starts an Enterprise trial beside a Business subscription, makes it permanent, and converts the Business subscription', { timeout: SLOW }, async () => {
    const c = await customerWithSubscription(t);
    const trial = await vendor(['edition-trial', c.subscription.id, '--json']);
    expect([trial.code, trial.stderr]).toEqual([0, '']);
    const issued = JSON.parse(trial.stdout);
    expect(issued).toMatchObject({ subscription: { accountId: c.accountId, channel: 'trial' }, items: [{ productCode: 'desktop-enterprise', quantity: 1 }] });

    const usage = await vendor(['make-permanent', issued.subscription.id, '--duration', '1y', '--channel', 'reseller']);
    expect(usage.code).toBe(2);
    const permanent = await vendor(['make-permanent', issued.subscription.id, '--quantity', '3', '--duration', '1y', '--channel', 'reseller']);
    expect([permanent.code, permanent.stderr]).toEqual([0, '']);
    expect(permanent.stdout).toContain(`Subscription ${issued.subscription.id} is a reseller subscription now: desktop-enterprise=3`);

    const converted = await vendor(['convert', c.subscription.id]);
    expect([converted.code, converted.stderr]).toEqual([0, '']);
    expect(converted.stdout).toMatch(/Converted\s+\S+: desktop-business -> desktop-enterprise/);
    expect(converted.stdout).toMatch(/Installations 0 active, on the same keys/);
    const again = await vendor(['convert', c.subscription.id]);
    expect([again.code, again.stderr.trim()]).toEqual([1, 'already_converted: This subscription was already converted to its upgrade edition']);
  });
});

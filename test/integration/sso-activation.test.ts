import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeExpiredGrants } from '../../src/data/repositories/sso-grants.js';
import { DEVICE_GRANT_SECONDS } from '../../src/domain/sso.js';
import { createTestApp, signedInUser, type TestApp } from '../support/harness.js';
import { activate, activationBody, asInstallation, claimsOf, machine } from '../support/installations.js';
import { customerWithSubscription, seatedInstallation } from '../support/licensing.js';
import { startOpenIdProvider, type TestProvider } from '../support/openid-provider.js';

/**
 * Activation with a corporate account, end to end against a real OpenID provider on loopback
 * (oidc-provider, driven through its sign-in and consent screens): the administrator configures
 * and tests the provider, a machine starts a device authorization, the person enters the code and
 * signs in, and the machine's activation takes the person's seat.
 */

type Customer = Awaited<ReturnType<typeof customerWithSubscription>>;

const CALLBACK = 'http://keyline.test/sso/callback';
const ssoOf = (accountId: string) => `/api/v1/accounts/${accountId}/sso`;
const newDomain = () => `corp-${randomUUID().slice(0, 8)}.example`;

let t: TestApp;
let idp: TestProvider;

beforeAll(async () => {
  t = await createTestApp({ sso: { allowPrivate: true, allowHttp: true, timeoutMs: 5000 } });
  idp = await startOpenIdProvider(CALLBACK);
});
afterAll(async () => {
  await idp.close();
  await t.close();
});

/** Follows a provider's redirect back to this server, as the person's browser would. */
async function callback(url: URL) {
  expect(url.href.startsWith(CALLBACK)).toBe(true);
  return t.client().get(`/sso/callback${url.search}`);
}

async function configure(c: Customer, domain: string, extra: Record<string, unknown> = {}) {
  const res = await c.client.put(ssoOf(c.accountId), {
    issuer: idp.issuer,
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
    allowedDomains: [domain],
    groupsClaim: 'groups',
    ...extra,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** The administrator's test sign-in through the provider, then single sign-on switched on. */
async function testAndEnable(c: Customer, domain: string) {
  const login = `admin-${randomUUID()}`;
  idp.person({ login, email: `it@${domain}` });
  const started = await c.client.post(`${ssoOf(c.accountId)}/test`);
  expect(started.status).toBe(201);
  const page = await callback(await idp.signIn(started.body.url, login));
  expect(page.status).toBe(200);
  const enabled = await c.client.put(`${ssoOf(c.accountId)}/enabled`, { enabled: true });
  expect(enabled.status, JSON.stringify(enabled.body)).toBe(200);
  return page;
}

async function ssoCustomer(productCode = 'desktop-business', extraItems: { productCode: string; licenseType: string | null; quantity: number }[] = []) {
  const c = await customerWithSubscription(t, { items: [{ productCode, licenseType: 'sso', quantity: 50 }, ...extraItems] });
  const domain = newDomain();
  await configure(c, domain);
  await testAndEnable(c, domain);
  return { ...c, domain };
}

/** A machine's device authorization, and the person signing in for it in their browser. */
async function startOnMachine(account: string, product = 'desktop-business') {
  const res = await t.client().post('/licensing/v1/sso/device-authorizations', { account, product });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { deviceCode: string; userCode: string; verificationUri: string; verificationUriComplete: string; interval: number };
}

async function personSignsIn(userCode: string, person: { login: string; email: string; groups?: string[] }) {
  idp.person(person);
  const page = await t.client().get(`/sso/device?user_code=${encodeURIComponent(userCode)}`);
  expect(page.body).toContain(userCode);
  const start = await t.client().get(`/sso/device/start?user_code=${encodeURIComponent(userCode)}`);
  expect(start.status).toBe(303);
  return callback(await idp.signIn(start.headers.location as string, person.login));
}

const ssoActivation = (deviceCode: string, m = machine(), product = 'desktop-business') => ({ product, ssoDeviceCode: deviceCode, ...m });

async function signInAndActivate(c: { domain: string }, login: string, m = machine(), product = 'desktop-business') {
  const device = await startOnMachine(c.domain, product);
  const signedIn = await personSignsIn(device.userCode, { login, email: `${login}@${c.domain}` });
  expect(signedIn.status, String(signedIn.body)).toBe(200);
  return activate(t, ssoActivation(device.deviceCode, m, product));
}

async function itemOf(subscriptionId: string, licenseType: string | null) {
  return t.deps.db
    .selectFrom('subscription_items')
    .selectAll()
    .where('subscription_id', '=', subscriptionId)
    .where('license_type', licenseType === null ? 'is' : '=', licenseType)
    .executeTakeFirstOrThrow();
}

describe('configuring the identity provider', () => {
  it('discovers the provider, keeps the client secret to itself, and switches on only after a test sign-in', async () => {
    const c = await customerWithSubscription(t, { items: [{ productCode: 'desktop-business', licenseType: 'sso', quantity: 50 }] });
    const domain = newDomain();
    const saved = await configure(c, domain);
    expect(saved).toMatchObject({ issuer: idp.issuer, clientId: idp.clientId, clientSecretSet: true, allowedDomains: [domain], enabled: false, test: null, redirectUri: CALLBACK });
    expect(JSON.stringify(saved)).not.toContain(idp.clientSecret);
    const stored = await t.deps.db.selectFrom('identity_providers').select('client_secret_sealed').where('account_id', '=', c.accountId).executeTakeFirstOrThrow();
    expect(stored.client_secret_sealed).not.toContain(idp.clientSecret);

    expect((await c.client.put(`${ssoOf(c.accountId)}/enabled`, { enabled: true })).body.error.code).toBe('sso_untested');
    const page = await testAndEnable(c, domain);
    expect(page.body).toContain('Test sign-in succeeded');
    const after = (await c.client.get(ssoOf(c.accountId))).body.provider;
    expect(after).toMatchObject({ enabled: true, test: { current: true, claims: { email: `it@${domain}` } } });

    // A new secret is a new connection: off until tested again.
    const changed = await configure(c, domain, { clientSecret: `${idp.clientSecret}-rotated` });
    expect(changed).toMatchObject({ enabled: false, test: { current: false } });
    // Left out, the stored secret stays and the connection is the same one.
    const renamed = await c.client.put(ssoOf(c.accountId), { issuer: idp.issuer, clientId: idp.clientId, allowedDomains: [domain], groupsClaim: 'roles', inactivityDays: 30 });
    expect(renamed.body).toMatchObject({ groupsClaim: 'roles', inactivityDays: 30, test: { current: false } });
  });

  it('refuses an issuer it cannot reach, one that is not an OpenID provider, and a domain another account holds', async () => {
    const c = await customerWithSubscription(t);
    const put = (issuer: string) => c.client.put(ssoOf(c.accountId), { issuer, clientId: 'x', clientSecret: 'y', allowedDomains: [newDomain()] });
    const away = await put('http://127.0.0.1:1/');
    expect([away.status, away.body.error.code]).toEqual([502, 'sso_provider_unreachable']);
    expect(away.body.error.message).toMatch(/ECONNREFUSED/);
    const notOpenId = await put(`${idp.issuer}/no-such-issuer`);
    expect([notOpenId.status, notOpenId.body.error.code]).toEqual([422, 'sso_provider_invalid']);
    const other = await ssoCustomer();
    const taken = await c.client.put(ssoOf(c.accountId), { issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, allowedDomains: [other.domain] });
    expect([taken.status, taken.body.error.code]).toEqual([409, 'sso_domain_taken']);
    expect((await c.client.get(ssoOf(c.accountId))).body.provider).toBeNull();
  });

  it('refuses a provider on a private address unless the operator allows it', async () => {
    const strict = await createTestApp({ sso: { allowPrivate: false, allowHttp: true, timeoutMs: 5000 } }, t.database);
    try {
      const c = await customerWithSubscription(strict);
      const res = await c.client.put(ssoOf(c.accountId), { issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, allowedDomains: [newDomain()] });
      expect([res.status, res.body.error.code]).toEqual([422, 'sso_provider_invalid']);
      expect(res.body.error.message).toMatch(/KEYLINE_SSO_ALLOW_PRIVATE/);
    } finally {
      await strict.app.close();
    }
  });

  it('is the account administrators’ alone: another account’s member gets 404', async () => {
    const c = await ssoCustomer();
    const stranger = await signedInUser(t, 'stranger');
    for (const path of [ssoOf(c.accountId), `/api/v1/accounts/${c.accountId}/user-seats`]) {
      expect((await stranger.client.get(path)).status).toBe(404);
    }
    expect((await stranger.client.post(`${ssoOf(c.accountId)}/test`)).status).toBe(404);
  });
});

describe('activating by signing in (device authorization)', () => {
  let c: Awaited<ReturnType<typeof ssoCustomer>>;
  beforeAll(async () => {
    c = await ssoCustomer();
  });

  it('waits for the person, asks a hasty machine to slow down, then takes the person’s seat and names them in the certificate', async () => {
    const device = await startOnMachine(c.domain);
    expect(device.userCode).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
    expect(device.verificationUriComplete).toBe(`http://keyline.test/sso/device?user_code=${device.userCode}`);
    const m = machine();
    const early = await activate(t, ssoActivation(device.deviceCode, m));
    expect([early.status, early.body.error.code, early.body.error.details]).toEqual([428, 'sso_authorization_pending', { interval: 5 }]);
    const hasty = await activate(t, ssoActivation(device.deviceCode, m));
    expect([hasty.status, hasty.body.error.code]).toEqual([429, 'sso_slow_down']);
    expect(hasty.body.error.details.interval).toBe(10);

    const login = `ann-${randomUUID().slice(0, 6)}`;
    const page = await personSignsIn(device.userCode, { login, email: `${login}@${c.domain}` });
    expect(page.body).toContain('You are signed in');
    t.clock.advanceSeconds(10);
    const done = await activate(t, ssoActivation(device.deviceCode, m));
    expect(done.status, JSON.stringify(done.body)).toBe(201);
    const claims = claimsOf(done.body.certificate);
    expect(claims.lic).toMatchObject({ user: `${login}@${c.domain}`, licenseType: 'sso', subscriptionId: c.subscription.id });

    // The answer was lost: the same machine asks again with the same device code and gets its installation back.
    const again = await activate(t, ssoActivation(device.deviceCode, m));
    expect([again.status, again.body.installationId]).toEqual([200, done.body.installationId]);
    // Another machine cannot use a grant that was used.
    expect((await activate(t, ssoActivation(device.deviceCode))).body.error.code).toBe('sso_grant_used');

    const item = await itemOf(c.subscription.id, 'sso');
    expect(item.main_used).toBe(1);
  });

  it('holds one seat for a person on several machines, up to the machines the catalog allows', async () => {
    const item = await itemOf(c.subscription.id, 'sso');
    const login = `bob-${randomUUID().slice(0, 6)}`;
    for (let i = 0; i < 3; i++) expect((await signInAndActivate(c, login)).status).toBe(201);
    expect((await itemOf(c.subscription.id, 'sso')).main_used).toBe(item.main_used + 1);
    const fourth = await signInAndActivate(c, login);
    expect([fourth.status, fourth.body.error.code, fourth.body.error.details]).toEqual([422, 'sso_machine_limit', { machines: 3, allowed: 3 }]);
    expect((await itemOf(c.subscription.id, 'sso')).main_used).toBe(item.main_used + 1);
  });

  it('refuses a person outside the allowed domains, on the page and at the machine', async () => {
    const device = await startOnMachine(c.domain);
    const login = `eve-${randomUUID().slice(0, 6)}`;
    const page = await personSignsIn(device.userCode, { login, email: `${login}@elsewhere.example` });
    expect([page.status, page.body]).toEqual([403, expect.stringContaining('Activation refused')]);
    const res = await activate(t, ssoActivation(device.deviceCode));
    expect([res.status, res.body.error.code]).toEqual([403, 'sso_domain_not_allowed']);
  });

  it('tells a machine when the account is unknown or has single sign-on off, and a key that it must sign in', async () => {
    const unknown = await t.client().post('/licensing/v1/sso/device-authorizations', { account: newDomain(), product: 'desktop-business' });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'sso_account_unknown']);
    const bySupportCode = await t.deps.db.selectFrom('accounts').select('support_code').where('id', '=', c.accountId).executeTakeFirstOrThrow();
    expect((await t.client().post('/licensing/v1/sso/device-authorizations', { account: bySupportCode.support_code, product: 'desktop-business' })).status).toBe(201);

    const key = await activate(t, activationBody(c.key));
    expect([key.status, key.body.error.code]).toEqual([422, 'sign_in_required']);

    const off = await ssoCustomer();
    await off.client.put(`${ssoOf(off.accountId)}/enabled`, { enabled: false });
    const res = await t.client().post('/licensing/v1/sso/device-authorizations', { account: off.domain, product: 'desktop-business' });
    expect([res.status, res.body.error.code]).toEqual([422, 'sso_not_enabled']);
  });

  it('offers no sublicenses of Business SSO seats', async () => {
    const item = await itemOf(c.subscription.id, 'sso');
    const res = await c.client.post(`/api/v1/accounts/${c.accountId}/subscriptions/${c.subscription.id}/keys`, { itemId: item.id, name: 'Division', kind: 'dynamic', quota: 5, expiresAt: null });
    expect([res.status, res.body.error.code]).toEqual([409, 'sublicenses_not_offered']);
  });

  it('forgets grants a day after they expired', async () => {
    const device = await startOnMachine(c.domain);
    expect(await purgeExpiredGrants(t.deps.db, t.clock.now())).toBe(0);
    t.clock.advanceSeconds(DEVICE_GRANT_SECONDS + 86_400 + 1);
    expect(await purgeExpiredGrants(t.deps.db, t.clock.now())).toBeGreaterThanOrEqual(1);
    expect((await activate(t, ssoActivation(device.deviceCode))).body.error.code).toBe('sso_grant_expired');
  });

  it('answers a code nobody is waiting for on the page, and a made-up device code at the machine', async () => {
    const page = await t.client().get('/sso/device/start?user_code=BCDF-GHJK');
    expect([page.status, page.body]).toEqual([410, expect.stringContaining('No device is waiting')]);
    const res = await activate(t, ssoActivation('kld_made-up'));
    expect([res.status, res.body.error.code]).toEqual([410, 'sso_grant_expired']);
  });
});

describe('taking a seat back', () => {
  it('frees a revoked seat at once, deactivates the person’s machines at their next check-in, and gives a seat again on a new sign-in', async () => {
    const c = await ssoCustomer();
    const login = `carl-${randomUUID().slice(0, 6)}`;
    const activated = await signInAndActivate(c, login);
    expect(activated.status).toBe(201);
    const seats = await c.client.get(`/api/v1/accounts/${c.accountId}/user-seats`);
    expect(seats.body.items).toEqual([expect.objectContaining({ user: expect.objectContaining({ email: `${login}@${c.domain}` }), product: 'desktop-business', machines: 1 })]);

    const revoked = await c.client.delete(`/api/v1/accounts/${c.accountId}/user-seats/${seats.body.items[0].id}`);
    expect(revoked.body).toEqual({ installations: 1 });
    expect((await itemOf(c.subscription.id, 'sso')).main_used).toBe(0);
    expect((await c.client.get(`/api/v1/accounts/${c.accountId}/user-seats`)).body.items).toEqual([]);

    const installation = asInstallation(t, activated.body.installationToken);
    const checkIn = await installation.post('/licensing/v1/check-ins', {});
    expect(checkIn.body.action).toBe('deactivate');
    expect((await installation.post('/licensing/v1/check-ins', {})).body.error.code).toBe('installation_deactivated');
    const row = await t.deps.db.selectFrom('installations').select(['state', 'deactivation_reason']).where('id', '=', activated.body.installationId).executeTakeFirstOrThrow();
    expect(row).toEqual({ state: 'deactivated', deactivation_reason: 'an administrator took the seat back' });

    expect((await signInAndActivate(c, login)).status).toBe(201);
    expect((await itemOf(c.subscription.id, 'sso')).main_used).toBe(1);
  });
});

describe('Enterprise: key and sign-in seats in one subscription', () => {
  it('counts both in one pool, moves a key-activated machine to the person who signs in on it, and refuses the seat past the last', async () => {
    const c = await ssoCustomer('desktop-enterprise');
    const item = await itemOf(c.subscription.id, 'sso');
    const m = machine();
    const byKey = await activate(t, activationBody(c.key, { product: 'desktop-enterprise', ...m }));
    expect(byKey.status, JSON.stringify(byKey.body)).toBe(201);
    expect((await itemOf(c.subscription.id, 'sso')).main_used).toBe(1);

    // The same machine signs in: it keeps its installation, now under the person's seat.
    const moved = await signInAndActivate(c, `dora-${randomUUID().slice(0, 6)}`, m, 'desktop-enterprise');
    expect([moved.status, moved.body.installationId]).toEqual([200, byKey.body.installationId]);
    expect((await itemOf(c.subscription.id, 'sso')).main_used).toBe(1);
    const row = await t.deps.db.selectFrom('installations').select(['holds_seat', 'user_seat_id']).where('id', '=', byKey.body.installationId).executeTakeFirstOrThrow();
    expect(row.holds_seat).toBe(false);
    expect(row.user_seat_id).not.toBeNull();

    // Fill the pool with key seats up to one left, then two people race for it.
    const primary = await t.deps.db.selectFrom('license_keys').select(['id', 'kind']).where('subscription_id', '=', c.subscription.id).where('kind', '=', 'primary').executeTakeFirstOrThrow();
    for (let i = 0; i < 48; i++) await seatedInstallation(t, primary, item.id, t.clock.now());
    const devices = await Promise.all([startOnMachine(c.domain, 'desktop-enterprise'), startOnMachine(c.domain, 'desktop-enterprise')]);
    for (const [i, d] of devices.entries()) await personSignsIn(d.userCode, { login: `racer${i}-${randomUUID().slice(0, 6)}`, email: `racer${i}-${randomUUID().slice(0, 6)}@${c.domain}` });
    const results = await Promise.all(devices.map((d) => activate(t, ssoActivation(d.deviceCode, machine(), 'desktop-enterprise'))));
    expect(results.map((r) => r.status).sort()).toEqual([201, 422]);
    expect(results.find((r) => r.status === 422)!.body.error.code).toBe('sso_no_seat');
    expect((await itemOf(c.subscription.id, 'sso')).main_used).toBe(50);
  });
});

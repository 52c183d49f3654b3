import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { verifyCertificate, verifyConfiguration } from '../../src/client/index.js';
import { addDays } from '../../src/domain/clock.js';
import { extendBy } from '../../src/domain/subscription.js';
import { createTestApp, signedInUser, uniqueEmail, type ApiClient, type TestApp } from '../support/harness.js';
import { activate, activationBody, asInstallation, claimsOf } from '../support/installations.js';
import { customerWithSubscription } from '../support/licensing.js';
import { testEngine } from '../support/database.js';
import { auditTrail, invitedMember, overlapping } from '../support/members.js';
import type { InTransaction } from '../../src/data/executor.js';
import { signedInOperator } from '../support/vendor.js';

let t: TestApp;
let operator: ApiClient;
beforeAll(async () => {
  t = await createTestApp();
  operator = (await signedInOperator(t)).client;
});
afterAll(() => t.close());

const V = '/api/v1/vendor';
const upgrades = (allowed: boolean) => ({ type: 'major_upgrades', enabled: true, settings: { allowed } });
const jwks = async () => (await t.client().get('/.well-known/keyline/jwks.json')).body;

/** A business account with a Business subscription of 10 seats, as the customer's administrator sees it. */
async function businessCustomer() {
  const c = await customerWithSubscription(t);
  const api = `/api/v1/accounts/${c.accountId}`;
  const base = `${api}/subscriptions/${c.subscription.id}`;
  const details = async (id = c.subscription.id) => (await c.client.get(`${api}/subscriptions/${id}`)).body;
  const tryEnterprise = () => c.client.post(`${base}/edition-trial`, {});
  return { ...c, api, base, details, tryEnterprise };
}

/** What the tables hold that an edition change would touch, to compare before and after a refusal. */
async function snapshot() {
  const { rows } = await sql<Record<string, unknown>>`SELECT
      (SELECT count(*)::int FROM edition_trials) AS trials,
      (SELECT count(*)::int FROM subscriptions) AS subscriptions,
      (SELECT jsonb_agg(jsonb_build_array(id, product_code) ORDER BY id) FROM subscription_items) AS items,
      (SELECT jsonb_agg(jsonb_build_array(id, product_code) ORDER BY id) FROM installations) AS installations,
      (SELECT jsonb_agg(jsonb_build_array(id, status) ORDER BY id) FROM subscriptions) AS statuses`.execute(t.deps.db);
  return rows[0];
}

describe('an Enterprise trial beside a Business subscription', () => {
  it('is started by an account administrator: a trial subscription of the account with its own key, the catalog’s days and seats', async () => {
    const c = await businessCustomer();
    expect((await c.details()).editions).toEqual({ upgrade: { productCode: 'desktop-enterprise', productName: 'Desktop Virtualization, Enterprise Edition', converted: false }, trial: null, trialOf: null });
    const started = await c.tryEnterprise();
    expect(started.status).toBe(201);
    const trial = started.body.subscription;
    expect(trial).toMatchObject({ accountId: c.accountId, channel: 'trial', status: 'expiring_soon', expiresAt: addDays(t.clock.now(), 30).toISOString() });
    expect(trial.name).toMatch(/^Trial: Desktop Virtualization, Enterprise Edition - 1 licenses - valid till /);
    expect(trial.id).not.toBe(c.subscription.id);

    // The Business subscription stays as it was, and shows the trial beside it; the trial says what it is beside.
    const business = await c.details();
    expect(business.products.map((p: { productCode: string; quantity: number }) => [p.productCode, p.quantity])).toEqual([['desktop-business', 10]]);
    expect(business.editions.trial).toMatchObject({ id: trial.id, channel: 'trial' });
    const details = await c.details(trial.id);
    expect(details.editions.trialOf).toEqual({ id: c.subscription.id, name: c.subscription.name });
    expect(details.products).toMatchObject([{ productCode: 'desktop-enterprise', quantity: 1 }]);
    const trialKey = details.keys.find((k: { kind: string }) => k.kind === 'primary');
    expect(trialKey.key).not.toBe(c.key);

    // Its key activates the Enterprise edition at once: the trial belongs to the account, there is nothing to register.
    const activated = await activate(t, activationBody(trialKey.key, { product: 'desktop-enterprise' }));
    expect(activated.status).toBe(201);
    expect(claimsOf(activated.body.certificate)).toMatchObject({ aud: 'desktop-enterprise', lic: { features: expect.arrayContaining(['policies', 'user_groups']) } });

    const mail = (await t.emailsTo(c.subscription.customer_email)).find((m) => m.template === 'edition_trial_started');
    expect(mail?.text).toContain(trialKey.key);
    expect(mail?.text).toContain(`/accounts/${c.accountId}/subscriptions/${trial.id}`);
    expect((await auditTrail(t, c.accountId)).find((e) => e.action === 'edition_trial.started')).toMatchObject({ target_id: trial.id, details: { product: 'desktop-enterprise', besideSubscriptionId: c.subscription.id } });
  });

  it('is given once per account and product: a second attempt, by the customer or the vendor, is 409 edition_trial_used', async () => {
    const c = await businessCustomer();
    expect((await c.tryEnterprise()).status).toBe(201);
    const before = await snapshot();
    const again = await c.tryEnterprise();
    expect([again.status, again.body.error.code]).toEqual([409, 'edition_trial_used']);
    const vendor = await operator.post(`${V}/subscriptions/${c.subscription.id}/edition-trial`, {});
    expect([vendor.status, vendor.body.error.code]).toEqual([409, 'edition_trial_used']);
    expect(await snapshot()).toEqual(before);
  });

  it('is given once when two requests come at the same moment', async () => {
    const c = await businessCustomer();
    const answers = await Promise.all([c.tryEnterprise(), c.tryEnterprise(), operator.post(`${V}/subscriptions/${c.subscription.id}/edition-trial`, {})]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409]);
    expect(answers.filter((a) => a.status === 409).map((a) => a.body.error.code)).toEqual(['edition_trial_used', 'edition_trial_used']);
    const subscriptions = await t.deps.db.selectFrom('subscriptions').select('channel').where('account_id', '=', c.accountId).execute();
    expect(subscriptions.map((s) => s.channel).sort()).toEqual(['reseller', 'trial']);
  });

  it('is started by the vendor for the account the subscription is registered in, and answers the trial’s key', async () => {
    const c = await businessCustomer();
    const res = await operator.post(`${V}/subscriptions/${c.subscription.id}/edition-trial`, {});
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ subscription: { accountId: c.accountId, channel: 'trial', customerEmail: c.subscription.customer_email }, items: [{ productCode: 'desktop-enterprise', quantity: 1 }], order: { kind: 'trial' } });
    expect((await c.details()).editions.trial.id).toBe(res.body.subscription.id);
    expect(res.body.primaryKey.key).toMatch(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){4}$/);
  });

  it('is refused for a product with no other edition, and for a subscription no account registered yet', async () => {
    const ras = await customerWithSubscription(t, { items: [{ productCode: 'ras', licenseType: null, quantity: 50 }] });
    const before = await snapshot();
    const none = await ras.client.post(`/api/v1/accounts/${ras.accountId}/subscriptions/${ras.subscription.id}/edition-trial`, {});
    expect([none.status, none.body.error.code]).toEqual([409, 'edition_not_convertible']);
    const unknown = await ras.client.post(`/api/v1/accounts/${ras.accountId}/subscriptions/${ras.subscription.id}/edition-trial`, { product: 'desktop-enterprise' });
    expect([unknown.status, unknown.body.error.code]).toEqual([409, 'edition_not_convertible']);
    const order = await operator.post(`${V}/orders`, { customerEmail: uniqueEmail('unregistered'), items: [{ productCode: 'desktop-business', quantity: 5 }], duration: '1y', channel: 'reseller', supportPlan: 'standard', autoRenew: false });
    const unregistered = await operator.post(`${V}/subscriptions/${order.body.subscription.id}/edition-trial`, {});
    expect([unregistered.status, unregistered.body.error.code]).toEqual([403, 'key_not_registered']);
    expect((await snapshot())!['trials']).toBe(before!['trials']);
  });

  it('is for account administrators only: a License Administrator, a regular member and another account are refused and nothing changes', async () => {
    const c = await businessCustomer();
    const keyAdmin = await invitedMember(t, c, 'key-admin');
    expect((await c.client.put(`${c.base}/keys/${c.primaryKey.id}/admins/${keyAdmin.userId}`, {})).status).toBeLessThan(300);
    const regular = await invitedMember(t, c, 'regular');
    const outsider = await businessCustomer();
    const before = await snapshot();
    for (const [who, client, status, code] of [
      ['license administrator', keyAdmin.client, 403, 'forbidden'],
      ['regular member', regular.client, 403, 'forbidden'],
      ['another account', outsider.client, 404, 'not_found'],
    ] as const) {
      const res = await client.post(`${c.base}/edition-trial`, {});
      expect([who, res.status, res.body.error.code]).toEqual([who, status, code]);
    }
    // Another account's subscription named under one's own account is not found either.
    const foreign = await outsider.client.post(`${outsider.api}/subscriptions/${c.subscription.id}/edition-trial`, {});
    expect([foreign.status, foreign.body.error.code]).toEqual([404, 'not_found']);
    expect(await snapshot()).toEqual(before);
    // The License Administrator sees the subscription, not the account's other one beside it.
    await c.tryEnterprise();
    const seen = await keyAdmin.client.get(`${c.base}`);
    expect([seen.status, seen.body.editions.trial]).toEqual([200, null]);
  });
});

describe('converting a Business subscription to Enterprise', () => {
  /** A Business subscription with an installation on its primary key and one on a sublicense with the profile "Design", and an Enterprise trial beside it in use. */
  async function convertible() {
    const c = await businessCustomer();
    const sublicense = (await c.client.post(`${c.base}/keys`, { itemId: c.items[0]!.id, name: 'Design', kind: 'dynamic', quota: 3, expiresAt: null })).body.key;
    const profile = (await c.client.post(`${c.api}/configuration-profiles`, { name: `Design ${uniqueEmail('p')}`, product: 'desktop-business', payloads: [upgrades(true)] })).body.profile;
    expect((await c.client.put(`${c.base}/keys/${sublicense.id}/configuration-profile`, { profileId: profile.id })).status).toBe(200);
    const onPrimary = (await activate(t, activationBody(c.key))).body;
    const onSublicense = (await activate(t, activationBody(sublicense.key))).body;
    const trial = (await c.tryEnterprise()).body.subscription;
    const trialKey = (await c.details(trial.id)).keys[0].key;
    const onTrial = (await activate(t, activationBody(trialKey, { product: 'desktop-enterprise' }))).body;
    const convert = () => operator.post(`${V}/subscriptions/${c.subscription.id}/conversion`);
    return { ...c, sublicense, profile, onPrimary, onSublicense, trial, onTrial, convert };
  }

  it('keeps every installation activated on its key; the next check-in answers the Enterprise certificate, and the trial is suspended', async () => {
    const c = await convertible();
    const converted = await c.convert();
    expect(converted.status).toBe(200);
    expect(converted.body).toMatchObject({
      subscription: { id: c.subscription.id, name: c.subscription.name.replace('Business Edition', 'Enterprise Edition') },
      items: [{ id: c.items[0]!.id, productCode: 'desktop-enterprise', quantity: 10 }],
      lines: [{ itemId: c.items[0]!.id, from: 'desktop-business', to: 'desktop-enterprise' }],
      installations: 2,
      profiles: { moved: [c.profile.id], copied: [] },
      trials: [{ subscription: { id: c.trial.id, status: 'suspended' }, carriedOver: { profiles: 1, groups: 0 } }],
    });

    const keys = await jwks();
    for (const installation of [c.onPrimary, c.onSublicense]) {
      const res = await asInstallation(t, installation.installationToken).post('/licensing/v1/check-ins', { profileHash: installation.profile.hash });
      expect(res.status).toBe(200);
      const claims = claimsOf(res.body.certificate);
      expect(claims).toMatchObject({ sub: installation.installationId, aud: 'desktop-enterprise', lic: { state: 'active', features: expect.arrayContaining(['policies', 'vm_inventory']), upgradeOf: ['desktop-business'] } });
      // The app activated as Business runs under it; the profile it applied is still current, so it is not sent again.
      expect(verifyCertificate(res.body.certificate, keys, { product: 'desktop-business', installationId: installation.installationId }).ok).toBe(true);
      expect(res.body.profile).toBeNull();
      expect(claims.lic.profile.hash).toBe(installation.profile.hash);
      expect(verifyConfiguration(installation.profile, keys, claims).ok).toBe(true);
    }
    const sublicenseClaims = claimsOf((await asInstallation(t, c.onSublicense.installationToken).post('/licensing/v1/check-ins', {})).body.certificate);
    expect(sublicenseClaims.lic.profile).toMatchObject({ id: c.profile.id, version: 1 });

    // The trial's installation learns at its next check-in that its subscription is suspended.
    const trialCheckIn = await asInstallation(t, c.onTrial.installationToken).post('/licensing/v1/check-ins', {});
    expect(claimsOf(trialCheckIn.body.certificate).lic.state).toBe('expired');
    expect(trialCheckIn.body.warnings.map((w: { code: string }) => w.code)).toContain('subscription_suspended');

    // The customer's card says Enterprise; the keys, their seats and installations are the same.
    const details = await c.details();
    expect(details.subscription.name).toContain('Enterprise Edition');
    expect(details.products).toMatchObject([{ itemId: c.items[0]!.id, productCode: 'desktop-enterprise', productName: 'Desktop Virtualization, Enterprise Edition', convertedFrom: 'desktop-business', used: 2 }]);
    expect(details.keys.map((k: { id: string; name: string; profile: unknown }) => [k.id, k.name, k.profile])).toEqual([
      [c.primaryKey.id, details.subscription.name, null],
      [c.sublicense.id, 'Design', { id: c.profile.id, name: c.profile.name }],
    ]);
    expect(details.editions).toMatchObject({ upgrade: { productCode: 'desktop-enterprise', converted: true }, trial: { id: c.trial.id, status: 'suspended' } });
    const installations = await t.deps.db.selectFrom('installations').select(['id', 'state', 'product_code']).where('account_id', '=', c.accountId).orderBy('id').execute();
    expect(installations.map((i) => [i.id, i.state, i.product_code])).toEqual(
      [c.onPrimary, c.onSublicense, c.onTrial].map((i) => [i.installationId, 'active', 'desktop-enterprise']).sort((a, b) => a[0]!.localeCompare(b[0]!)),
    );
    const trail = await auditTrail(t, c.accountId);
    expect(trail.find((e) => e.action === 'subscription.converted')).toMatchObject({ target_id: c.subscription.id, details: { installations: 2 } });
    expect(trail.find((e) => e.action === 'subscription.suspended')).toMatchObject({ target_id: c.trial.id, details: { convertedSubscriptionId: c.subscription.id } });
  });

  it('moves the user groups the trial configured onto sublicenses of the converted subscription, each with its policy and profile', async () => {
    const c = await convertible();
    const policy = (await c.client.post(`${c.api}/policies`, { name: `Frozen ${uniqueEmail('p')}`, product: 'desktop-enterprise', payloads: [upgrades(false)] })).body.policy;
    const made = await c.client.post(`${c.api}/user-groups`, { subscriptionId: c.trial.id, name: 'Finance', quota: 1, kind: 'dynamic', policyId: policy.id });
    expect(made.status).toBe(201);
    const converted = await c.convert();
    expect(converted.body.trials).toMatchObject([{ subscription: { id: c.trial.id, status: 'suspended' }, carriedOver: { groups: 1 } }]);

    const groups = (await c.client.get(`${c.api}/user-groups?subscriptionId=${c.subscription.id}`)).body.items;
    expect(groups).toMatchObject([{ id: made.body.group.id, name: 'Finance', subscriptionId: c.subscription.id, policy: { id: policy.id }, sublicense: { name: 'Finance', kind: 'dynamic', quota: 1 } }]);
    expect(groups[0].sublicense.id).not.toBe(made.body.group.sublicense.id);
    expect((await c.client.get(`${c.api}/user-groups?subscriptionId=${c.trial.id}`)).body.items).toEqual([]);

    // A Mac activated on the group's new key runs under the group's policy.
    const activated = await activate(t, activationBody(groups[0].sublicense.key, { product: 'desktop-enterprise' }));
    expect(activated.status).toBe(201);
    expect(claimsOf(activated.body.certificate).lic.profile.policies).toMatchObject([{ kind: 'group_policy', id: policy.id }]);
  });

  it('accepts an activation that names the old product with a converted key, and answers the Enterprise certificate', async () => {
    const c = await convertible();
    await c.convert();
    for (const key of [c.key, c.sublicense.key]) {
      const res = await activate(t, activationBody(key, { product: 'desktop-business' }));
      expect(res.status).toBe(201);
      const claims = claimsOf(res.body.certificate);
      expect(claims).toMatchObject({ aud: 'desktop-enterprise', lic: { upgradeOf: ['desktop-business'], features: expect.arrayContaining(['golden_images']) } });
      expect(verifyCertificate(res.body.certificate, await jwks(), { product: 'desktop-business' }).ok).toBe(true);
      expect(verifyCertificate(res.body.certificate, await jwks(), { product: 'ras' })).toEqual({ ok: false, problem: 'wrong_product' });
      const row = await t.deps.db.selectFrom('installations').select('product_code').where('id', '=', res.body.installationId).executeTakeFirstOrThrow();
      expect(row.product_code).toBe('desktop-enterprise');
      if (key === c.sublicense.key) expect(res.body.profile).toMatchObject({ id: c.profile.id, hash: c.profile.hash });
    }
    expect((await activate(t, activationBody(c.key, { product: 'desktop-enterprise' }))).status).toBe(201);
    // The other way round stays a mismatch: an Enterprise app does not run on a Business key.
    const business = await businessCustomer();
    const refused = await activate(t, activationBody(business.key, { product: 'desktop-enterprise' }));
    expect([refused.status, refused.body.error.code]).toEqual([422, 'product_mismatch']);
  });

  it.runIf(testEngine() === 'postgres')('converts the installation of an activation that comes at the same moment, whichever goes first', async () => {
    const c = await businessCustomer();
    const convert = () => operator.post(`${V}/subscriptions/${c.subscription.id}/conversion`);
    const activation = () => activate(t, activationBody(c.key));
    const holdKey = (trx: InTransaction) => trx.selectFrom('license_keys').select('id').where('id', '=', c.primaryKey.id).forUpdate().execute();
    // Both wait on the primary key's row. The conversion, then an activation; then an activation beside a second, refused, conversion.
    for (const [start, statuses] of [
      [() => [convert(), activation()], [200, 201]],
      [() => [activation(), convert()], [201, 409]],
    ] as const) {
      const answers = await overlapping(t, holdKey, start);
      expect(answers.map((a) => a.status).sort()).toEqual(statuses);
      const rows = await t.deps.db.selectFrom('installations').select(['product_code', 'state']).where('license_key_id', '=', c.primaryKey.id).execute();
      expect(rows.every((r) => r.product_code === 'desktop-enterprise' && r.state === 'active')).toBe(true);
    }
  });

  it('copies a profile that another subscription’s keys use too, so both go on delivering the same configuration', async () => {
    const c = await businessCustomer();
    const other = await operator.post(`${V}/orders`, { customerEmail: uniqueEmail('second'), items: [{ productCode: 'desktop-business', quantity: 5 }], duration: '1y', channel: 'reseller', supportPlan: 'standard', autoRenew: false });
    const registered = await c.client.post(`${c.api}/subscriptions`, { licenseKey: other.body.primaryKey.key });
    expect(registered.status).toBe(201);
    const name = `Shared ${uniqueEmail('p')}`.slice(0, 60);
    const profile = (await c.client.post(`${c.api}/configuration-profiles`, { name, product: 'desktop-business', payloads: [upgrades(false)] })).body.profile;
    await c.client.put(`${c.base}/keys/${c.primaryKey.id}/configuration-profile`, { profileId: profile.id });
    await c.client.put(`${c.api}/subscriptions/${other.body.subscription.id}/keys/${other.body.primaryKey.id}/configuration-profile`, { profileId: profile.id });
    const installation = (await activate(t, activationBody(c.key))).body;

    const converted = await operator.post(`${V}/subscriptions/${c.subscription.id}/conversion`);
    expect(converted.body.profiles).toEqual({ moved: [], copied: [{ from: profile.id, to: expect.any(String) }] });
    const copyId = converted.body.profiles.copied[0].to;
    const profiles = (await c.client.get(`${c.api}/configuration-profiles`)).body.items;
    expect(profiles.find((p: { id: string }) => p.id === copyId)).toMatchObject({ name: `${name} (Desktop Virtualization, Enterprise Edition)`, product: 'desktop-enterprise', version: 1, hash: profile.hash });
    expect(profiles.find((p: { id: string }) => p.id === profile.id)).toMatchObject({ product: 'desktop-business', keys: [{ id: other.body.primaryKey.id }] });

    const res = await asInstallation(t, installation.installationToken).post('/licensing/v1/check-ins', { profileHash: installation.profile.hash });
    expect(claimsOf(res.body.certificate).lic.profile).toMatchObject({ id: copyId, hash: profile.hash });
    expect(res.body.profile).toBeNull();
  });

  it('is refused with a stable code when already converted, or when no product has an upgrade, and changes nothing', async () => {
    const c = await convertible();
    expect((await c.convert()).status).toBe(200);
    const ras = await customerWithSubscription(t, { items: [{ productCode: 'ras', licenseType: null, quantity: 50 }] });
    const before = await snapshot();
    const again = await c.convert();
    expect([again.status, again.body.error.code]).toEqual([409, 'already_converted']);
    const none = await operator.post(`${V}/subscriptions/${ras.subscription.id}/conversion`);
    expect([none.status, none.body.error.code]).toEqual([409, 'edition_not_convertible']);
    expect(await snapshot()).toEqual(before);
  });

  it('converts a subscription with no trial beside it, and one that is suspended stays suspended', async () => {
    const c = await businessCustomer();
    await operator.post(`${V}/subscriptions/${c.subscription.id}/suspension`);
    const res = await operator.post(`${V}/subscriptions/${c.subscription.id}/conversion`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ subscription: { status: 'suspended' }, trials: [], installations: 0 });
  });
});

describe('the vendor routes of editions', () => {
  it('turn a customer away with 403, and hostile or unknown ids with a 4xx, changing nothing', async () => {
    const c = await businessCustomer();
    const trial = (await c.tryEnterprise()).body.subscription;
    const before = await snapshot();
    for (const [path, body] of [
      [`${V}/subscriptions/${c.subscription.id}/conversion`, undefined],
      [`${V}/subscriptions/${c.subscription.id}/edition-trial`, {}],
      [`${V}/subscriptions/${trial.id}/permanent`, { quantity: 5, duration: '1y', channel: 'reseller' }],
    ] as const) {
      const res = await c.client.post(path, body);
      expect([path, res.status, res.body.error.code]).toEqual([path, 403, 'operator_only']);
    }
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', '%00', "1'; DROP TABLE subscriptions; --"]) {
      for (const action of ['conversion', 'edition-trial', 'permanent']) {
        const res = await operator.post(`${V}/subscriptions/${encodeURIComponent(id)}/${action}`, action === 'permanent' ? { quantity: 1, duration: '1y', channel: 'reseller' } : {});
        expect([id, action, res.status]).toEqual([id, action, id.startsWith('0000') ? 404 : 400]);
      }
    }
    const hostile = await operator.post(`${V}/subscriptions/${c.subscription.id}/edition-trial`, { product: 'desktop\u0000enterprise' });
    expect(hostile.status).toBeGreaterThanOrEqual(400);
    expect(hostile.status).toBeLessThan(500);
    const surrogate = await c.client.post(`${c.base}/edition-trial`, { product: '\ud800' });
    expect(surrogate.status).toBeGreaterThanOrEqual(400);
    expect(surrogate.status).toBeLessThan(500);
    expect(await snapshot()).toEqual(before);
  });
});

describe('making an Enterprise trial permanent', () => {
  it('turns the trial into a normal subscription on the vendor’s terms; the Business subscription stays as it is', async () => {
    const c = await businessCustomer();
    const trial = (await c.tryEnterprise()).body.subscription;
    const trialKey = (await c.details(trial.id)).keys[0];
    const installation = (await activate(t, activationBody(trialKey.key, { product: 'desktop-enterprise' }))).body;
    const res = await operator.post(`${V}/subscriptions/${trial.id}/permanent`, { quantity: 25, duration: '1y', channel: 'reseller', supportPlan: 'premium' });
    expect(res.status).toBe(200);
    const expiresAt = extendBy(t.clock.now(), '1y');
    expect(res.body).toMatchObject({
      subscription: { id: trial.id, channel: 'reseller', supportPlan: 'premium', expiresAt: expiresAt.toISOString(), name: `Desktop Virtualization, Enterprise Edition - 25 licenses - valid till ${expiresAt.toISOString().slice(0, 10)}` },
      items: [{ productCode: 'desktop-enterprise', quantity: 25 }],
      order: { kind: 'new', channel: 'reseller', duration: '1y', items: [{ productCode: 'desktop-enterprise', quantity: 25 }], previousExpiresAt: trial.expiresAt },
    });
    // Same key, same installation, now on a year's license; the Business subscription and its trial link are untouched.
    const checkIn = await asInstallation(t, installation.installationToken).post('/licensing/v1/check-ins', {});
    expect(claimsOf(checkIn.body.certificate).lic).toMatchObject({ state: 'active', licenseExpiresAt: expiresAt.toISOString() });
    const details = await c.details(trial.id);
    expect(details.keys[0].id).toBe(trialKey.id);
    expect(details.editions.trialOf).toEqual({ id: c.subscription.id, name: c.subscription.name });
    expect((await c.details()).products).toMatchObject([{ productCode: 'desktop-business', quantity: 10 }]);
    expect((await auditTrail(t, c.accountId)).find((e) => e.action === 'trial.made_permanent')).toMatchObject({ target_id: trial.id, details: { quantity: 25, duration: '1y' } });
    // Once per account: a made-permanent trial still counts.
    expect((await c.tryEnterprise()).body.error.code).toBe('edition_trial_used');
  });

  it('refuses a subscription that is no trial, terms that are not sold, and fewer seats than are in use', async () => {
    const c = await businessCustomer();
    const notTrial = await operator.post(`${V}/subscriptions/${c.subscription.id}/permanent`, { quantity: 5, duration: '1y', channel: 'reseller' });
    expect([notTrial.status, notTrial.body.error.code]).toEqual([409, 'not_a_trial']);
    const trial = await operator.post(`${V}/trials`, { customerEmail: uniqueEmail('trial'), productCode: 'desktop-business', quantity: 3 });
    const registered = await c.client.post(`${c.api}/subscriptions`, { licenseKey: trial.body.primaryKey.key });
    expect(registered.status).toBe(201);
    for (let i = 0; i < 2; i++) expect((await activate(t, activationBody(trial.body.primaryKey.key))).status).toBe(201);
    const afterSetup = await snapshot();
    const monthly = await operator.post(`${V}/subscriptions/${trial.body.subscription.id}/permanent`, { quantity: 5, duration: '1m', channel: 'reseller' });
    expect([monthly.status, monthly.body.error.details.field]).toEqual([400, 'duration']);
    const tooFew = await operator.post(`${V}/subscriptions/${trial.body.subscription.id}/permanent`, { quantity: 1, duration: '1y', channel: 'reseller' });
    expect([tooFew.status, tooFew.body.error.code, tooFew.body.error.details.field]).toEqual([400, 'validation_failed', 'quantity']);
    expect(await snapshot()).toEqual(afterSetup);
    const signedIn = await signedInUser(t, 'nobody');
    expect((await signedIn.client.post(`${V}/subscriptions/${trial.body.subscription.id}/permanent`, { quantity: 5, duration: '1y', channel: 'reseller' })).status).toBe(403);
  });
});

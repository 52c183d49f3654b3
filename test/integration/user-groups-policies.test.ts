import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyConfiguration } from '../../src/client/index.js';
import { checkOfflineAnswer, writeOfflineRequest } from '../../src/client/offline.js';
import { newIdentity } from '../../src/client/state.js';
import { insertMembership } from '../../src/data/repositories/memberships.js';
import { configurationHash, type EffectiveConfiguration } from '../../src/domain/payloads.js';
import { createTestApp, signedInUser, type ApiClient, type TestApp } from '../support/harness.js';
import { activate, activationBody, asInstallation, claimsOf } from '../support/installations.js';
import { customerWithSubscription, issueOrder } from '../support/licensing.js';
import { watchWrites, type WriteLog } from '../support/write-log.js';

/**
 * User groups and policies (capability 10, Enterprise): a group per sublicense, made by the
 * sublicense rules; a policy over the key's profile, delivered at the next check-in.
 */

let t: TestApp;
let writes: WriteLog;
beforeAll(async () => {
  t = await createTestApp();
  writes = await watchWrites(t.deps.db);
});
afterAll(() => t.close());

const ENTERPRISE = 'desktop-enterprise';
const updates = (settings: Record<string, unknown>, enabled = true) => ({ type: 'updates', enabled, settings });
const restrictions = (settings: Record<string, unknown>) => ({ type: 'restrictions', enabled: true, settings });
const jwks = async () => (await t.client().get('/.well-known/keyline/jwks.json')).body;

/** A business account with an Enterprise subscription of 10 seats, and its administrator's calls. */
async function enterpriseAccount(quantity = 10) {
  const c = await customerWithSubscription(t, { items: [{ productCode: ENTERPRISE, licenseType: null, quantity }] });
  const api = `/api/v1/accounts/${c.accountId}`;
  const base = `${api}/subscriptions/${c.subscription.id}`;
  const admin = c.client;
  const createPolicy = (body: Record<string, unknown>) => admin.post(`${api}/policies`, { product: ENTERPRISE, payloads: [], ...body });
  const createGroup = (body: Record<string, unknown>) => admin.post(`${api}/user-groups`, { subscriptionId: c.subscription.id, ...body });
  const saveGroup = (id: string, body: Record<string, unknown>) => admin.put(`${api}/user-groups/${id}`, body);
  const keys = async () => (await admin.get(base)).body.keys as { id: string; name: string; kind: string; quota: number; key: string }[];
  const details = async (installationId: string) => (await admin.get(`${api}/installations/${installationId}`)).body;
  return { ...c, api, base, admin, createPolicy, createGroup, saveGroup, keys, details };
}

/** Adds a Business subscription to the account, as registering a second license key does. */
async function addBusinessSubscription(a: { api: string; admin: ApiClient }) {
  const order = await issueOrder(t, { items: [{ productCode: 'desktop-business', licenseType: null, quantity: 5 }] });
  expect((await a.admin.post(`${a.api}/subscriptions`, { licenseKey: order.key })).status).toBe(201);
  return order;
}

describe('policies', () => {
  it('are created, read, listed, saved (a new version only when what they deliver changes) and deleted, each change audited', async () => {
    const a = await enterpriseAccount();
    const created = await a.createPolicy({ name: 'Locked down', payloads: [restrictions({ createVm: true })] });
    expect(created.status).toBe(201);
    const policy = created.body.policy;
    expect(policy).toMatchObject({ name: 'Locked down', product: ENTERPRISE, version: 1, groups: [], payloads: [restrictions({ createVm: true })] });
    expect((await a.admin.get(`${a.api}/policies/${policy.id}`)).body.policy).toEqual(policy);

    const put = (body: Record<string, unknown>) => a.admin.put(`${a.api}/policies/${policy.id}`, body);
    expect((await put({ name: 'Locked', payloads: policy.payloads })).body.policy).toMatchObject({ name: 'Locked', version: 1, hash: policy.hash });
    expect((await put({ name: 'Locked', payloads: [...policy.payloads, updates({}, false)] })).body.policy).toMatchObject({ version: 1, hash: policy.hash });
    const changed = (await put({ name: 'Locked', payloads: [restrictions({ createVm: false })] })).body.policy;
    expect(changed.version).toBe(2);
    expect(changed.hash).not.toBe(policy.hash);
    expect((await a.admin.get(`${a.api}/policies`)).body.items.map((p: { name: string; version: number }) => [p.name, p.version])).toEqual([['Locked', 2]]);

    expect((await a.admin.delete(`${a.api}/policies/${policy.id}`)).status).toBe(204);
    expect((await a.admin.get(`${a.api}/policies/${policy.id}`)).status).toBe(404);
    const audit = (await a.admin.get(`${a.api}/audit-events?targetType=policy`)).body.items.map((e: { action: string }) => e.action);
    expect(audit.sort()).toEqual(['policy.created', 'policy.deleted', 'policy.updated', 'policy.updated', 'policy.updated']);
  });

  it('put each payload problem on its field, and keep names unique per product whatever their case', async () => {
    const a = await enterpriseAccount();
    const bad = await a.createPolicy({ name: 'Broken', payloads: [updates({ serverUrl: 'ftp://updates.example' }), { type: 'printers', enabled: true, settings: {} }] });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'validation_failed']);
    expect(bad.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual(['payloads.0.settings.serverUrl', 'payloads.1.type']);
    expect((await a.createPolicy({ name: 'Twice', payloads: [updates({}), updates({})] })).body.error.details.issues[0].path).toBe('payloads.1.type');

    expect((await a.createPolicy({ name: 'Sales' })).status).toBe(201);
    const taken = await a.createPolicy({ name: 'SALES' });
    expect([taken.status, taken.body.error.code, taken.body.error.details.field]).toEqual([409, 'policy_name_taken', 'name']);
    const other = (await a.createPolicy({ name: 'Support' })).body.policy;
    expect((await a.admin.put(`${a.api}/policies/${other.id}`, { name: 'sales', payloads: [] })).body.error.code).toBe('policy_name_taken');
    // A configuration profile may have the name of a policy: they are named apart.
    expect((await a.admin.post(`${a.api}/configuration-profiles`, { name: 'Sales', product: ENTERPRISE, payloads: [] })).status).toBe(201);
  });

  it('are only for a product whose license includes them', async () => {
    const a = await enterpriseAccount();
    await addBusinessSubscription(a);
    await writes.take();
    const business = await a.createPolicy({ name: 'Business policy', product: 'desktop-business' });
    expect([business.status, business.body.error.code, business.body.error.details.field]).toEqual([403, 'feature_not_included', 'product']);
    const notHeld = await a.createPolicy({ name: 'Farm policy', product: 'ras' });
    expect([notHeld.status, notHeld.body.error.details.issues[0].path]).toEqual([400, 'product']);
    expect(await writes.take()).toEqual([]);
  });
});

describe('user groups', () => {
  it('are made with their own sublicense from the pool, which takes their name and quota, and keep it when deleted', async () => {
    const a = await enterpriseAccount();
    const created = await a.createGroup({ name: 'Engineering', quota: 4, directoryGroup: 'eng@corp' });
    expect(created.status).toBe(201);
    const group = created.body.group;
    expect(group).toMatchObject({
      name: 'Engineering',
      subscriptionId: a.subscription.id,
      product: ENTERPRISE,
      directoryGroup: 'eng@corp',
      sublicense: { name: 'Engineering', kind: 'reserved', quota: 4, used: 0 },
      policy: null,
    });
    const key = (await a.keys()).find((k) => k.id === group.sublicense.id)!;
    expect(key).toMatchObject({ name: 'Engineering', kind: 'reserved', quota: 4, key: group.sublicense.key });
    expect((await a.admin.get(`${a.api}/user-groups/${group.id}`)).body.group).toEqual(group);

    // Renaming the group renames its sublicense; a new quota is the sublicense's.
    const saved = await a.saveGroup(group.id, { name: 'Engineering Berlin', quota: 6, policyId: null });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ group: { name: 'Engineering Berlin', directoryGroup: 'eng@corp', sublicense: { name: 'Engineering Berlin', quota: 6 } }, deactivatedInstallations: 0 });
    expect((await a.keys()).find((k) => k.id === group.sublicense.id)).toMatchObject({ name: 'Engineering Berlin', quota: 6 });

    const installation = (await activate(t, activationBody(group.sublicense.key, { product: ENTERPRISE }))).body;
    expect((await a.admin.get(`${a.api}/user-groups/${group.id}`)).body.group.sublicense.used).toBe(1);
    expect((await a.details(installation.installationId)).general.group).toEqual({ id: group.id, name: 'Engineering Berlin' });

    expect((await a.admin.delete(`${a.api}/user-groups/${group.id}`)).status).toBe(204);
    expect((await a.admin.get(`${a.api}/user-groups/${group.id}`)).status).toBe(404);
    expect((await a.keys()).find((k) => k.id === group.sublicense.id)).toMatchObject({ name: 'Engineering Berlin', quota: 6 });
    const after = await a.details(installation.installationId);
    expect([after.general.state, after.general.group]).toEqual(['active', null]);
    const audit = (await a.admin.get(`${a.api}/audit-events?targetType=user_group`)).body.items.map((e: { action: string }) => e.action);
    expect(audit.sort()).toEqual(['user_group.created', 'user_group.deleted', 'user_group.updated']);
  });

  it('bind an existing sublicense, once, and share its name both ways', async () => {
    const a = await enterpriseAccount();
    const sublicense = (await a.admin.post(`${a.base}/keys`, { itemId: a.items[0]!.id, name: 'Design', kind: 'dynamic', quota: 3, expiresAt: null })).body.key;
    const bound = await a.createGroup({ keyId: sublicense.id });
    expect(bound.status).toBe(201);
    expect(bound.body.group).toMatchObject({ name: 'Design', sublicense: { id: sublicense.id, kind: 'dynamic', quota: 3 } });
    const again = await a.createGroup({ keyId: sublicense.id, name: 'Design again' });
    expect([again.status, again.body.error.code]).toEqual([409, 'key_in_group']);
    expect((await a.createGroup({ keyId: sublicense.id, quota: 2 })).body.error.details.issues[0].path).toBe('quota');
    expect((await a.createGroup({ keyId: a.primaryKey.id })).body.error.details.issues[0].path).toBe('keyId');

    // A name given when binding renames the key.
    const other = (await a.admin.post(`${a.base}/keys`, { itemId: a.items[0]!.id, name: 'Temp', kind: 'dynamic', quota: 1, expiresAt: null })).body.key;
    expect((await a.createGroup({ keyId: other.id, name: 'Support' })).body.group.name).toBe('Support');
    expect((await a.keys()).find((k) => k.id === other.id)!.name).toBe('Support');

    // Renaming the key in the License Keys table renames its group; a name another group has is refused there too.
    expect((await a.admin.patch(`${a.base}/keys/${sublicense.id}`, { name: 'Design Studio' })).status).toBe(200);
    expect((await a.admin.get(`${a.api}/user-groups/${bound.body.group.id}`)).body.group.name).toBe('Design Studio');
    const clash = await a.admin.patch(`${a.base}/keys/${sublicense.id}`, { name: 'support' });
    expect([clash.status, clash.body.error.code]).toEqual([409, 'group_name_taken']);
    expect((await a.keys()).find((k) => k.id === sublicense.id)!.name).toBe('Design Studio');
    expect((await a.createGroup({ name: 'SUPPORT', quota: 1 })).body.error.code).toBe('group_name_taken');
    expect((await a.saveGroup(bound.body.group.id, { name: 'Support', quota: 3, policyId: null })).body.error.code).toBe('group_name_taken');

    const listed = (await a.admin.get(`${a.api}/user-groups?subscriptionId=${a.subscription.id}`)).body.items.map((g: { name: string }) => g.name);
    expect(listed).toEqual(['Design Studio', 'Support']);
    // Deleting a group's sublicense deletes the group with it.
    expect((await a.admin.delete(`${a.base}/keys/${other.id}`)).status).toBe(200);
    expect((await a.admin.get(`${a.api}/user-groups`)).body.items.map((g: { name: string }) => g.name)).toEqual(['Design Studio']);
  });

  it('refuse a quota the pool cannot give, as a sublicense is refused, and change nothing', async () => {
    const a = await enterpriseAccount(5);
    const group = (await a.createGroup({ name: 'Small', quota: 2 })).body.group;
    await writes.take();
    const tooMany = await a.createGroup({ name: 'Big', quota: 4 });
    expect([tooMany.status, tooMany.body.error.code, tooMany.body.error.details]).toEqual([409, 'quota_exceeds_pool', expect.objectContaining({ field: 'quota', seatsLeft: 3, maxQuota: 3 })]);
    const raised = await a.saveGroup(group.id, { name: 'Small, renamed', quota: 6, policyId: null });
    expect([raised.status, raised.body.error.code]).toEqual([409, 'quota_exceeds_pool']);
    expect(await writes.take()).toEqual([]);
    expect((await a.keys()).map((k) => k.name)).toEqual([expect.any(String), 'Small']);
    expect((await a.createGroup({ name: 'Dynamic', quota: 5, kind: 'dynamic' })).body.group.sublicense).toMatchObject({ kind: 'dynamic', quota: 5 });
  });

  it('are only for a subscription whose product includes them', async () => {
    const a = await enterpriseAccount();
    const business = await addBusinessSubscription(a);
    await writes.take();
    const refused = await a.createGroup({ subscriptionId: business.subscription.id, name: 'Sales', quota: 1 });
    expect([refused.status, refused.body.error.code, refused.body.error.details.field]).toEqual([403, 'feature_not_included', 'subscriptionId']);
    const businessKey = (await a.admin.post(`${a.api}/subscriptions/${business.subscription.id}/keys`, { itemId: business.items[0]!.id, name: 'B', kind: 'dynamic', quota: 1, expiresAt: null })).body.key;
    await writes.take();
    expect((await a.createGroup({ subscriptionId: business.subscription.id, keyId: businessKey.id })).body.error.code).toBe('feature_not_included');
    expect(await writes.take()).toEqual([]);
  });

  it('take a policy of their product, and lose it when the policy is deleted', async () => {
    const a = await enterpriseAccount();
    const policy = (await a.createPolicy({ name: 'Strict' })).body.policy;
    const group = (await a.createGroup({ name: 'Contractors', quota: 1, policyId: policy.id })).body.group;
    expect(group.policy).toEqual({ id: policy.id, name: 'Strict', version: 1 });
    expect((await a.admin.get(`${a.api}/policies/${policy.id}`)).body.policy.groups).toEqual([{ id: group.id, name: 'Contractors', subscriptionId: a.subscription.id }]);
    expect((await a.saveGroup(group.id, { name: 'Contractors', quota: 1, policyId: null })).body.group.policy).toBeNull();
    expect((await a.saveGroup(group.id, { name: 'Contractors', quota: 1, policyId: policy.id })).body.group.policy).toMatchObject({ id: policy.id });

    expect((await a.admin.delete(`${a.api}/policies/${policy.id}`)).status).toBe(204);
    expect((await a.admin.get(`${a.api}/user-groups/${group.id}`)).body.group).toMatchObject({ policy: null, sublicense: { id: group.sublicense.id } });
    const deleted = (await a.admin.get(`${a.api}/audit-events?action=policy.deleted`)).body.items[0];
    expect(deleted.details).toMatchObject({ name: 'Strict', groupsCleared: 1 });
  });
});

describe('who may manage them', () => {
  it('is account administrators only: a License Administrator and a Regular Member get 403, another account 404', async () => {
    const a = await enterpriseAccount();
    const policy = (await a.createPolicy({ name: 'Mine' })).body.policy;
    const group = (await a.createGroup({ name: 'Mine', quota: 1 })).body.group;
    const licenseAdmin = await signedInUser(t, 'license-admin');
    await insertMembership(t.deps.db, { accountId: a.accountId, userId: licenseAdmin.userId, role: 'member' });
    expect((await a.admin.put(`${a.base}/keys/${group.sublicense.id}/admins/${licenseAdmin.userId}`)).status).toBe(200);
    const regular = await signedInUser(t, 'regular');
    await insertMembership(t.deps.db, { accountId: a.accountId, userId: regular.userId, role: 'member' });
    const other = await enterpriseAccount();
    const otherPolicy = (await other.createPolicy({ name: 'Theirs' })).body.policy;
    const otherGroup = (await other.createGroup({ name: 'Theirs', quota: 1 })).body.group;

    const calls = (api: string, p: string, g: string, subscriptionId: string): [string, string, unknown?][] => [
      ['GET', `${api}/policies`],
      ['POST', `${api}/policies`, { name: 'New', product: ENTERPRISE, payloads: [] }],
      ['GET', `${api}/policies/${p}`],
      ['PUT', `${api}/policies/${p}`, { name: 'Renamed', payloads: [] }],
      ['DELETE', `${api}/policies/${p}`],
      ['GET', `${api}/user-groups`],
      ['POST', `${api}/user-groups`, { subscriptionId, name: 'New', quota: 1 }],
      ['GET', `${api}/user-groups/${g}`],
      ['PUT', `${api}/user-groups/${g}`, { name: 'Renamed', quota: 1, policyId: null }],
      ['DELETE', `${api}/user-groups/${g}`],
    ];
    await writes.take();
    for (const [who, client] of [
      ['license admin', licenseAdmin.client],
      ['regular member', regular.client],
    ] as const) {
      for (const [method, url, body] of calls(a.api, policy.id, group.id, a.subscription.id)) {
        const res = await client.request(method, url, body);
        expect([who, method, url, res.status, res.body.error?.code]).toEqual([who, method, url, 403, 'forbidden']);
      }
    }
    // Another account's ids under one's own account are not found; its account is not one's own at all.
    for (const [method, url, body] of calls(a.api, otherPolicy.id, otherGroup.id, other.subscription.id).filter(([, url]) => /\/(policies|user-groups)\/./.test(url))) {
      const res = await a.admin.request(method, url, body);
      expect([method, url, res.status, res.body.error?.code]).toEqual([method, url, 404, 'not_found']);
    }
    for (const [method, url, body] of calls(other.api, otherPolicy.id, otherGroup.id, other.subscription.id)) {
      expect((await a.admin.request(method, url, body)).status).toBe(404);
    }
    expect(await writes.take()).toEqual([]);
    // Another account's subscription or policy named in a body is refused by name.
    expect((await a.createGroup({ subscriptionId: other.subscription.id, name: 'X', quota: 1 })).body.error.details.issues[0].path).toBe('subscriptionId');
    expect((await a.createGroup({ name: 'X', quota: 1, policyId: otherPolicy.id })).body.error.details.issues[0].path).toBe('policyId');
    expect((await a.saveGroup(group.id, { name: 'Mine', quota: 1, policyId: otherPolicy.id })).body.error.details.issues[0].path).toBe('policyId');
    expect(await writes.take()).toEqual([]);
  });

  it('refuses text that cannot be stored in a name, naming the field, and writes nothing', async () => {
    const a = await enterpriseAccount();
    const group = (await a.createGroup({ name: 'Fine', quota: 1 })).body.group;
    const policy = (await a.createPolicy({ name: 'Fine' })).body.policy;
    await writes.take();
    for (const bad of ['bad\u0000name', 'bad\ud800name', 'bad\udc00name']) {
      for (const [send, path] of [
        [() => a.createPolicy({ name: bad }), 'name'],
        [() => a.admin.put(`${a.api}/policies/${policy.id}`, { name: bad, payloads: [] }), 'name'],
        [() => a.createGroup({ name: bad, quota: 1 }), 'name'],
        [() => a.saveGroup(group.id, { name: bad, quota: 1, policyId: null }), 'name'],
        [() => a.saveGroup(group.id, { name: 'Fine', quota: 1, policyId: null, directoryGroup: bad }), 'directoryGroup'],
      ] as const) {
        const res = await send();
        expect([res.status, res.body.error?.code, res.body.error?.details?.issues?.[0]?.path]).toEqual([400, 'validation_failed', path]);
      }
    }
    expect(await writes.take()).toEqual([]);
  });
});

describe('delivery of a group policy', () => {
  /** A group whose sublicense has the profile "Base" (stable updates from a local server) and the policy "Beta testers" over it. */
  async function groupWithPolicy() {
    const a = await enterpriseAccount();
    const profile = (await a.admin.post(`${a.api}/configuration-profiles`, { name: 'Base', product: ENTERPRISE, payloads: [updates({ branch: 'stable', serverUrl: 'https://updates.corp.example' })] })).body.profile;
    const policy = (await a.createPolicy({ name: 'Beta testers', payloads: [updates({ branch: 'beta' }), restrictions({ createVm: true })] })).body.policy;
    const group = (await a.createGroup({ name: 'Testers', quota: 3, policyId: policy.id })).body.group;
    expect((await a.admin.put(`${a.base}/keys/${group.sublicense.id}/configuration-profile`, { profileId: profile.id })).status).toBe(200);
    const savePolicy = (payloads: unknown[], name = 'Beta testers') => a.admin.put(`${a.api}/policies/${policy.id}`, { name, payloads });
    return { ...a, profile, policy, group, savePolicy };
  }
  const merged: EffectiveConfiguration = [
    { type: 'restrictions', settings: { createVm: true } },
    { type: 'updates', settings: { branch: 'beta', serverUrl: 'https://updates.corp.example' } },
  ];

  it('lays the policy over the profile at activation: the certificate and the signed document name both', async () => {
    const g = await groupWithPolicy();
    const res = await activate(t, activationBody(g.group.sublicense.key, { product: ENTERPRISE }));
    expect(res.status).toBe(201);
    const named = { id: g.profile.id, name: 'Base', version: 1, policies: [{ kind: 'group_policy', id: g.policy.id, name: 'Beta testers', version: 1 }], hash: configurationHash(merged) };
    expect(res.body.profile).toMatchObject(named);
    const claims = claimsOf(res.body.certificate);
    expect(claims.lic.profile).toEqual(named);
    const verified = verifyConfiguration(res.body.profile, await jwks(), claims);
    expect(verified).toMatchObject({ ok: true, document: { policies: named.policies, payloads: merged } });
    const details = (await g.details(res.body.installationId)).general;
    expect(details).toMatchObject({ group: { id: g.group.id, name: 'Testers' }, policies: named.policies, profile: { id: g.profile.id, name: 'Base', applied: 'not_reported' } });
  });

  it('sends a policy change at the next check-in, once, and an unchanged configuration never', async () => {
    const g = await groupWithPolicy();
    const activation = (await activate(t, activationBody(g.group.sublicense.key, { product: ENTERPRISE }))).body;
    const installation = asInstallation(t, activation.installationToken);
    const checkIn = (profileHash: string) => installation.post('/licensing/v1/check-ins', { profileHash });

    expect((await checkIn(activation.profile.hash)).body.profile).toBeNull();
    expect((await g.details(activation.installationId)).general.profile.applied).toBe('current');
    // A rename reaches no installation's payloads: nothing is sent, though the certificate names the policy anew.
    const renamed = (await g.savePolicy(g.policy.payloads, 'Beta')).body.policy;
    expect(renamed.version).toBe(1);
    const afterRename = (await checkIn(activation.profile.hash)).body;
    expect(afterRename.profile).toBeNull();
    expect(claimsOf(afterRename.certificate).lic.profile.policies).toEqual([{ kind: 'group_policy', id: g.policy.id, name: 'Beta', version: 1 }]);

    const saved = (await g.savePolicy([updates({ branch: 'early_access' })], 'Beta')).body.policy;
    expect(saved.version).toBe(2);
    expect((await g.details(activation.installationId)).general.profile.applied).toBe('earlier');
    const changed = (await checkIn(activation.profile.hash)).body;
    expect(changed.profile).toMatchObject({ id: g.profile.id, version: 1, policies: [{ id: g.policy.id, version: 2 }] });
    const verified = verifyConfiguration(changed.profile, await jwks(), claimsOf(changed.certificate));
    expect(verified.ok && verified.document.payloads).toEqual([{ type: 'updates', settings: { branch: 'early_access', serverUrl: 'https://updates.corp.example' } }]);
    expect((await checkIn(changed.profile.hash)).body.profile).toBeNull();
    expect((await g.details(activation.installationId)).general.profile.applied).toBe('current');

    // Without the policy the profile alone applies again, from the next check-in.
    expect((await g.saveGroup(g.group.id, { name: 'Testers', quota: 3, policyId: null })).status).toBe(200);
    const alone = (await checkIn(changed.profile.hash)).body;
    expect(alone.profile).toMatchObject({ id: g.profile.id, hash: configurationHash([{ type: 'updates', settings: { branch: 'stable', serverUrl: 'https://updates.corp.example' } }]) });
    expect(alone.profile.policies).toBeUndefined();
    expect(claimsOf(alone.certificate).lic.profile.policies).toBeUndefined();
  });

  it('gives no policy to the installations of a key outside the group', async () => {
    const g = await groupWithPolicy();
    const primary = (await activate(t, activationBody(g.primaryKey.key_text, { product: ENTERPRISE }))).body;
    expect(primary.profile).toMatchObject({ id: null, name: 'Default', hash: configurationHash([]) });
    expect(primary.profile.policies).toBeUndefined();
    expect((await g.details(primary.installationId)).general).toMatchObject({ group: null, policies: [] });
  });

  it('carries the policy in an offline activation file', async () => {
    const g = await groupWithPolicy();
    await t.deps.db.updateTable('accounts').set({ offline_activation_enabled: true }).where('id', '=', g.accountId).execute();
    const identity = await newIdentity(`offline-policy-${Date.now()}`);
    const { text, pending } = writeOfflineRequest(identity, { kind: 'activation-request', product: ENTERPRISE, licenseKey: g.group.sublicense.key, details: { name: 'air-gapped' } }, t.clock.now());
    const uploaded = await g.admin.post(`${g.api}/offline-files`, { file: text });
    expect(uploaded.status).toBe(200);
    const keys = await jwks();
    const checked = checkOfflineAnswer(uploaded.body.file, { ...identity, offlineRequest: pending }, keys, t.clock.now());
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.answer.profile).toMatchObject({ name: 'Base', policies: [{ id: g.policy.id, name: 'Beta testers', version: 1 }] });
    const verified = verifyConfiguration(checked.answer.profile!, keys, checked.claims);
    expect(verified.ok && verified.document.payloads).toEqual(merged);
  });
});

describe('lists filtered by group', () => {
  it('narrow the virtual machines (and their CSV) and the installations to those on the group’s sublicense', async () => {
    const a = await enterpriseAccount();
    const group = (await a.createGroup({ name: 'Lab', quota: 2 })).body.group;
    const vm = (uuid: string, name: string) => ({ uuid, name, state: 'running', architecture: 'arm64' });
    const inGroup = (await activate(t, activationBody(group.sublicense.key, { product: ENTERPRISE }))).body;
    const outside = (await activate(t, activationBody(a.primaryKey.key_text, { product: ENTERPRISE }))).body;
    const report = (token: string, vms: unknown[]) => asInstallation(t, token).post('/licensing/v1/check-ins', { virtualMachines: vms });
    expect((await report(inGroup.installationToken, [vm('0f8fad5b-d9cb-469f-a165-70867728950e', 'Lab Windows')])).status).toBe(200);
    expect((await report(outside.installationToken, [vm('7c9e6679-7425-40de-944b-e07fc1f90ae7', 'Other Linux')])).status).toBe(200);

    const all = (await a.admin.get(`${a.api}/virtual-machines`)).body.items;
    expect(all.map((v: { name: string; group: unknown }) => [v.name, v.group])).toEqual([
      ['Lab Windows', { id: group.id, name: 'Lab' }],
      ['Other Linux', null],
    ]);
    expect((await a.admin.get(`${a.api}/virtual-machines?groupId=${group.id}`)).body.items.map((v: { name: string }) => v.name)).toEqual(['Lab Windows']);
    const csv = (await a.admin.get(`${a.api}/virtual-machines.csv?groupId=${group.id}`)).body as string;
    expect(csv).toContain('Lab Windows');
    expect(csv).not.toContain('Other Linux');
    const installations = (await a.admin.get(`${a.api}/installations?columns=name&groupId=${group.id}`)).body.items.map((i: { id: string }) => i.id);
    expect(installations).toEqual([inGroup.installationId]);
    // Another account's group narrows to nothing.
    const other = await enterpriseAccount();
    const otherGroup = (await other.createGroup({ name: 'Theirs', quota: 1 })).body.group;
    expect((await a.admin.get(`${a.api}/virtual-machines?groupId=${otherGroup.id}`)).body.items).toEqual([]);
    expect((await a.admin.get(`${a.api}/installations?groupId=${otherGroup.id}`)).body.items).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyConfiguration, verifyCertificate } from '../../src/client/index.js';
import { newIdentity } from '../../src/client/state.js';
import { checkOfflineAnswer, writeOfflineRequest } from '../../src/client/offline.js';
import { configurationHash } from '../../src/domain/payloads.js';
import { createTestApp, type TestApp } from '../support/harness.js';
import { activate, activationBody, asInstallation, claimsOf, machine } from '../support/installations.js';
import { customerWithSubscription } from '../support/licensing.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const upgrades = (allowed: boolean) => ({ type: 'major_upgrades', enabled: true, settings: { allowed } });
const jwks = async () => (await t.client().get('/.well-known/keyline/jwks.json')).body;

/** An account whose sublicense has the profile "Engineering" (major upgrades allowed). */
async function assignedSublicense() {
  const c = await customerWithSubscription(t, { items: [{ productCode: 'desktop-business', licenseType: null, quantity: 10 }] });
  const api = `/api/v1/accounts/${c.accountId}`;
  const base = `${api}/subscriptions/${c.subscription.id}`;
  const key = (await c.client.post(`${base}/keys`, { itemId: c.items[0]!.id, name: 'Design', kind: 'dynamic', quota: 3, expiresAt: null })).body.key;
  const profile = (await c.client.post(`${api}/configuration-profiles`, { name: 'Engineering', product: 'desktop-business', payloads: [upgrades(true)] })).body.profile;
  expect((await c.client.put(`${base}/keys/${key.id}/configuration-profile`, { profileId: profile.id })).status).toBe(200);
  const save = (payloads: unknown[]) => c.client.put(`${api}/configuration-profiles/${profile.id}`, { name: 'Engineering', payloads });
  const details = async (installationId: string) => (await c.client.get(`${api}/installations/${installationId}`)).body;
  return { ...c, api, base, key, profile, save, details };
}

describe('configuration delivery', () => {
  it('activates with the key’s profile: the certificate names it and the signed document carries its payloads', async () => {
    const a = await assignedSublicense();
    const res = await activate(t, activationBody(a.key.key));
    expect(res.status).toBe(201);
    const { profile } = res.body;
    expect(profile).toMatchObject({ id: a.profile.id, name: 'Engineering', version: 1, hash: a.profile.hash });
    const claims = claimsOf(res.body.certificate);
    expect(claims.lic.profile).toEqual({ id: a.profile.id, name: 'Engineering', version: 1, hash: a.profile.hash });
    const keys = await jwks();
    const verified = verifyConfiguration(profile, keys, claims);
    expect(verified).toMatchObject({ ok: true, document: { kind: 'configuration', sub: res.body.installationId, aud: 'desktop-business', payloads: [{ type: 'major_upgrades', settings: { allowed: true } }] } });
    // A document is good only beside the certificate that names it.
    expect(verifyConfiguration(profile, keys, { ...claims, lic: { ...claims.lic, profile: { ...claims.lic.profile, hash: 'other' } } })).toEqual({ ok: false, problem: 'not_current' });
    expect(verifyConfiguration({ document: res.body.certificate }, keys, claims)).toEqual({ ok: false, problem: 'malformed' });
  });

  it('gives a key with no profile, and a trial, the built-in Default: no payloads', async () => {
    const a = await assignedSublicense();
    const primary = await activate(t, activationBody(a.primaryKey.key_text));
    expect(primary.body.profile).toMatchObject({ id: null, name: 'Default', version: 1, hash: configurationHash([]) });
    const trial = await t.client().post('/licensing/v1/trials', { product: 'desktop-business', ...machine() });
    expect(trial.status).toBe(201);
    expect(claimsOf(trial.body.certificate).lic.profile).toEqual({ id: null, name: 'Default', version: 1, hash: configurationHash([]) });
  });

  it('sends nothing at a check-in with the current configuration applied, and the new version after a change, once', async () => {
    const a = await assignedSublicense();
    const activation = (await activate(t, activationBody(a.key.key))).body;
    const installation = asInstallation(t, activation.installationToken);
    const checkIn = (profileHash?: string) => installation.post('/licensing/v1/check-ins', profileHash ? { profileHash } : {});
    expect((await a.details(activation.installationId)).general.profile).toEqual({ id: a.profile.id, name: 'Engineering', version: 1, applied: 'not_reported' });

    const unchanged = (await checkIn(activation.profile.hash)).body;
    expect(unchanged.profile).toBeNull();
    expect(claimsOf(unchanged.certificate).lic.profile.hash).toBe(activation.profile.hash);
    expect((await a.details(activation.installationId)).general.profile.applied).toBe('current');

    // A rename reaches no installation; a change to what the profile delivers does.
    await a.client.put(`${a.api}/configuration-profiles/${a.profile.id}`, { name: 'Engineering', payloads: [upgrades(true), { type: 'updates', enabled: false, settings: {} }] });
    expect((await checkIn(activation.profile.hash)).body.profile).toBeNull();
    const saved = (await a.save([upgrades(false)])).body.profile;
    expect(saved.version).toBe(2);
    expect((await a.details(activation.installationId)).general.profile).toMatchObject({ version: 2, applied: 'earlier' });

    const changed = (await checkIn(activation.profile.hash)).body;
    expect(changed.profile).toMatchObject({ id: a.profile.id, version: 2, hash: saved.hash });
    const claims = claimsOf(changed.certificate);
    expect(claims.lic.profile).toMatchObject({ version: 2, hash: saved.hash });
    const verified = verifyConfiguration(changed.profile, await jwks(), claims);
    expect(verified.ok && verified.document.payloads).toEqual([{ type: 'major_upgrades', settings: { allowed: false } }]);
    // Until the installation reports the new hash it is an earlier version; then it is current, and nothing is sent again.
    expect((await a.details(activation.installationId)).general.profile.applied).toBe('earlier');
    expect((await checkIn(saved.hash)).body.profile).toBeNull();
    expect((await a.details(activation.installationId)).general.profile.applied).toBe('current');
    // A check-in that reports nothing keeps what was reported before.
    expect((await checkIn()).body.profile).toMatchObject({ version: 2 });
    expect((await a.details(activation.installationId)).general.profile.applied).toBe('current');
  });

  it('moves an installation to Default when its key’s profile is deleted with reassignment, at the next check-in', async () => {
    const a = await assignedSublicense();
    const activation = (await activate(t, activationBody(a.key.key))).body;
    const installation = asInstallation(t, activation.installationToken);
    expect((await a.client.delete(`${a.api}/configuration-profiles/${a.profile.id}?reassignTo=default`)).status).toBe(204);
    const res = (await installation.post('/licensing/v1/check-ins', { profileHash: activation.profile.hash })).body;
    expect(res.profile).toMatchObject({ id: null, name: 'Default', hash: configurationHash([]) });
    expect((await a.details(activation.installationId)).general.profile).toMatchObject({ id: null, name: 'Default', applied: 'earlier' });
  });

  it('lists installations with their key’s profile and filters by it, Default included', async () => {
    const a = await assignedSublicense();
    const onProfile = (await activate(t, activationBody(a.key.key))).body;
    const onDefault = (await activate(t, activationBody(a.primaryKey.key_text))).body;
    const list = async (query: string) => (await a.client.get(`${a.api}/installations?columns=name,profile${query}`)).body;
    const all = await list('');
    const byId = Object.fromEntries(all.items.map((r: { id: string; profile: unknown }) => [r.id, r.profile]));
    expect(byId).toEqual({ [onProfile.installationId]: { id: a.profile.id, name: 'Engineering' }, [onDefault.installationId]: null });
    expect((await list(`&profile=${a.profile.id}`)).items.map((r: { id: string }) => r.id)).toEqual([onProfile.installationId]);
    expect((await list('&profile=default')).items.map((r: { id: string }) => r.id)).toEqual([onDefault.installationId]);
    const csv = (await a.client.get(`${a.api}/installations.csv?columns=name,profile`)).body as string;
    expect(csv.split('\n')[0]).toContain('Configuration profile');
    expect(csv).toContain(',Engineering');
    expect(csv).toContain(',Default');
  });

  it('carries the profile in an offline activation file', async () => {
    const a = await assignedSublicense();
    await t.deps.db.updateTable('accounts').set({ offline_activation_enabled: true }).where('id', '=', a.accountId).execute();
    const identity = await newIdentity(`offline-profile-${Date.now()}`);
    const { text, pending } = writeOfflineRequest(identity, { kind: 'activation-request', product: 'desktop-business', licenseKey: a.key.key, details: { name: 'air-gapped' } }, t.clock.now());
    const uploaded = await a.client.post(`${a.api}/offline-files`, { file: text });
    expect(uploaded.status).toBe(200);
    const keys = await jwks();
    const checked = checkOfflineAnswer(uploaded.body.file, { ...identity, offlineRequest: pending }, keys, t.clock.now());
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.answer.profile).toMatchObject({ id: a.profile.id, name: 'Engineering', version: 1 });
    expect(verifyCertificate(checked.answer.certificate, keys, { now: t.clock.now() }).ok).toBe(true);
    expect(verifyConfiguration(checked.answer.profile!, keys, checked.claims).ok).toBe(true);
  });
});

import {
  deleteIdentityProvider,
  domainsHeldElsewhere,
  findIdentityProvider,
  isDomainTaken,
  replaceProviderDomains,
  saveIdentityProvider,
  setProviderEnabled,
  type IdentityProviderRecord,
} from '../../data/repositories/identity-providers.js';
import type { Executor } from '../../data/executor.js';
import { runTransaction } from '../../data/transactions.js';
import type { Actor } from '../../domain/actor.js';
import { AppError, notFound } from '../../domain/errors.js';
import { authorizeAccount } from '../../policies/account-policy.js';
import { recordChange } from '../changes.js';
import { link, type Deps } from '../context.js';
import { openSecret, sealSecret, secretKeyOf } from '../security/secrets.js';
import { discoverProvider } from './openid-provider.js';

export interface ProviderInput {
  issuer: string;
  clientId: string;
  /** Left out on a change: the stored secret stays. */
  clientSecret?: string | undefined;
  allowedDomains: string[];
  groupsClaim: string | null;
  inactivityDays: number | null;
}

/** The provider as an administrator sees it: the client secret never leaves the server. */
export interface ProviderView {
  issuer: string;
  clientId: string;
  clientSecretSet: true;
  allowedDomains: string[];
  groupsClaim: string | null;
  inactivityDays: number | null;
  enabled: boolean;
  version: number;
  /** The last successful test sign-in, and whether it was made with the settings as they are now. */
  test: { at: string; current: boolean; claims: Record<string, unknown> } | null;
  /** What to register at the provider as the redirect URI, and where people enter a device's code. */
  redirectUri: string;
  deviceVerificationUri: string;
}

export const callbackUri = (deps: Deps) => link(deps, '/sso/callback');
export const deviceVerificationUri = (deps: Deps) => link(deps, '/sso/device');

export function providerView(deps: Deps, p: IdentityProviderRecord): ProviderView {
  return {
    issuer: p.issuer,
    clientId: p.client_id,
    clientSecretSet: true,
    allowedDomains: p.allowed_domains,
    groupsClaim: p.groups_claim,
    inactivityDays: p.inactivity_days,
    enabled: p.enabled,
    version: p.version,
    test: p.tested_at ? { at: p.tested_at.toISOString(), current: p.tested_version === p.version, claims: p.tested_claims ?? {} } : null,
    redirectUri: callbackUri(deps),
    deviceVerificationUri: deviceVerificationUri(deps),
  };
}

/** A business account's administrators configure single sign-on; a personal account has no directory. */
export async function authorizeSso(db: Executor, actor: Actor, accountId: string) {
  const access = await authorizeAccount(db, actor, accountId, 'sso.manage');
  if (access.account.kind !== 'business') throw new AppError('personal_account', 'Single sign-on is set up for a business account');
  return access;
}

const notConfigured = () => notFound('Single sign-on configuration');

export async function getProviderSettings(deps: Deps, actor: Actor, accountId: string): Promise<ProviderView | null> {
  await authorizeSso(deps.db, actor, accountId);
  const provider = await findIdentityProvider(deps.db, accountId);
  return provider ? providerView(deps, provider) : null;
}

/** The provider's client secret, for the server's own calls to it. */
export async function providerSecret(deps: Deps, provider: Pick<IdentityProviderRecord, 'client_secret_sealed'>): Promise<string> {
  return openSecret(await secretKeyOf(deps.config), provider.client_secret_sealed);
}

const sameDomains = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((d) => b.includes(d));

/**
 * Saves the provider after discovering it, so a typo in the issuer is answered now and not at the
 * first person's sign-in. A change to how it connects is a new version: single sign-on goes off
 * until a test sign-in with the new settings succeeds. A domain may belong to one account only.
 */
export async function saveProviderSettings(deps: Deps, actor: Actor, accountId: string, input: ProviderInput): Promise<ProviderView> {
  await authorizeSso(deps.db, actor, accountId);
  const existing = await findIdentityProvider(deps.db, accountId);
  if (!existing && input.clientSecret === undefined) {
    throw new AppError('validation_failed', 'The client secret is required the first time', { field: 'clientSecret' });
  }
  const taken = await domainsHeldElsewhere(deps.db, accountId, input.allowedDomains);
  if (taken.length > 0) throw domainTaken(taken);
  const clientSecret = input.clientSecret ?? (await providerSecret(deps, existing!));
  await discoverProvider(deps.config, { issuer: input.issuer, clientId: input.clientId, clientSecret });
  const connectionChanged =
    !existing ||
    existing.issuer !== input.issuer ||
    existing.client_id !== input.clientId ||
    input.clientSecret !== undefined ||
    !sameDomains(existing.allowed_domains, input.allowedDomains);
  const sealed = sealSecret(await secretKeyOf(deps.config), clientSecret);
  const now = deps.clock.now();
  try {
    return await runTransaction(deps.db, async (trx) => {
      await authorizeSso(trx, actor, accountId);
      const settings = { issuer: input.issuer, clientId: input.clientId, clientSecretSealed: sealed, groupsClaim: input.groupsClaim, inactivityDays: input.inactivityDays };
      await saveIdentityProvider(trx, accountId, settings, connectionChanged, actor.userId, now);
      await replaceProviderDomains(trx, accountId, input.allowedDomains);
      const details = { issuer: input.issuer, clientId: input.clientId, allowedDomains: input.allowedDomains, secretChanged: input.clientSecret !== undefined, connectionChanged };
      await recordChange(trx, actor, { accountId, action: existing ? 'sso.updated' : 'sso.configured', targetType: 'account', targetId: accountId, details }, now);
      return providerView(deps, (await findIdentityProvider(trx, accountId))!);
    });
  } catch (err) {
    // Another account claimed one of the domains between the check and the save.
    if (isDomainTaken(err)) throw domainTaken(input.allowedDomains);
    throw err;
  }
}

const domainTaken = (domains: readonly string[]) =>
  new AppError('sso_domain_taken', `Another account's single sign-on already uses ${domains.join(', ')}`, { field: 'allowedDomains', domains });

/** Switches single sign-on on (only once a test sign-in passed with the current settings) or off. */
export async function setSingleSignOn(deps: Deps, actor: Actor, accountId: string, enabled: boolean): Promise<ProviderView> {
  return runTransaction(deps.db, async (trx) => {
    await authorizeSso(trx, actor, accountId);
    const provider = await findIdentityProvider(trx, accountId);
    if (!provider) throw notConfigured();
    const now = deps.clock.now();
    if (!(await setProviderEnabled(trx, accountId, enabled, now))) {
      throw new AppError('sso_untested', 'Test the sign-in with these settings first: single sign-on is switched on only once a test sign-in has succeeded');
    }
    if (provider.enabled !== enabled) {
      await recordChange(trx, actor, { accountId, action: enabled ? 'sso.enabled' : 'sso.disabled', targetType: 'account', targetId: accountId }, now);
    }
    return providerView(deps, (await findIdentityProvider(trx, accountId))!);
  });
}

/** Removes the provider: nobody signs in with it any more; seats already taken stay until revoked. */
export async function removeProviderSettings(deps: Deps, actor: Actor, accountId: string): Promise<void> {
  await runTransaction(deps.db, async (trx) => {
    await authorizeSso(trx, actor, accountId);
    if (!(await deleteIdentityProvider(trx, accountId))) throw notConfigured();
    await recordChange(trx, actor, { accountId, action: 'sso.removed', targetType: 'account', targetId: accountId }, deps.clock.now());
  });
}


import { randomBytes } from 'node:crypto';
import { lockDirectoryUserForSignIn, saveSignedInUser } from '../../data/repositories/directory-users.js';
import { findIdentityProvider, findIdentityProviderByDomain, recordTestSignIn, type IdentityProviderRecord } from '../../data/repositories/identity-providers.js';
import {
  findGrantByState,
  findPendingGrantByUserCode,
  insertGrant,
  isUserCodeTaken,
  lockGrantByState,
  settleGrant,
  startGrantSignIn,
} from '../../data/repositories/sso-grants.js';
import type { SsoGrant } from '../../data/schema.js';
import { runTransaction } from '../../data/transactions.js';
import type { Actor, Origin } from '../../domain/actor.js';
import { AppError, type ErrorCode } from '../../domain/errors.js';
import {
  DEVICE_GRANT_SECONDS,
  domainAllowed,
  formatUserCode,
  identityFromClaims,
  parseAccountReference,
  parseUserCode,
  POLL_INTERVAL_SECONDS,
  type SignedInIdentity,
} from '../../domain/sso.js';
import { recordChange } from '../changes.js';
import type { Deps } from '../context.js';
import { ACTIVATION_GUESSES_PER_ADDRESS, enforceRateLimit, refuseWhenLimited } from '../rate-limit.js';
import { hashSecret, newSecret, openSecret, sealSecret, secretKeyOf } from '../security/secrets.js';
import { authorizeSso, callbackUri, deviceVerificationUri, providerSecret } from './identity-provider-settings.js';
import { authorizationRequest, completeSignIn, discoverProvider } from './openid-provider.js';
import { findAccountBySupportCode } from '../../data/repositories/accounts.js';

/**
 * The sign-ins of single sign-on. A machine asks for a device authorization (RFC 8628): it shows
 * the person a short code and a page of this server, where the person enters it and is sent to
 * the account's identity provider (authorization code with PKCE, as a confidential client). The
 * provider sends them back to /sso/callback; the grant is then approved for the directory user
 * they are, and the machine's activation, which polls with its device code, takes their seat. An
 * administrator's test sign-in goes the same way and records what the provider said.
 */

export interface DeviceAuthorization {
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  verificationUriComplete: string;
  expiresIn: number;
  interval: number;
}

const unknownAccount = (text: string) =>
  new AppError('sso_account_unknown', `No business account with single sign-on is known by "${text}": use the account's support code or its email domain`, { field: 'account' });

async function providerForReference(deps: Deps, text: string): Promise<IdentityProviderRecord | undefined> {
  const reference = parseAccountReference(text);
  if (!reference) return undefined;
  if (reference.kind === 'domain') return findIdentityProviderByDomain(deps.db, reference.domain);
  const account = await findAccountBySupportCode(deps.db, reference.code);
  return account ? findIdentityProvider(deps.db, account.id) : undefined;
}

const notEnabled = () => new AppError('sso_not_enabled', 'Single sign-on is switched off for this account: ask its administrators');

/** Starts a machine's sign-in: the codes it shows the person, and the device code it polls with. */
export async function startDeviceAuthorization(deps: Deps, input: { account: string; product: string }, origin: Origin): Promise<DeviceAuthorization> {
  const address = origin.ip ?? 'unknown';
  await refuseWhenLimited(deps, ACTIVATION_GUESSES_PER_ADDRESS, address);
  const provider = await providerForReference(deps, input.account);
  if (!provider) {
    await enforceRateLimit(deps, ACTIVATION_GUESSES_PER_ADDRESS, address);
    throw unknownAccount(input.account);
  }
  if (!provider.enabled) throw notEnabled();
  const deviceCode = newSecret('kld');
  const now = deps.clock.now();
  for (let attempt = 0; ; attempt++) {
    const userCode = formatUserCode(randomBytes(8));
    try {
      await insertGrant(deps.db, {
        accountId: provider.account_id,
        purpose: 'activation',
        productCode: input.product,
        deviceCodeHash: hashSecret(deviceCode),
        userCode,
        requestedBy: null,
        providerVersion: provider.version,
        intervalSeconds: POLL_INTERVAL_SECONDS,
        expiresAt: new Date(now.getTime() + DEVICE_GRANT_SECONDS * 1000),
        now,
      });
      const verificationUri = deviceVerificationUri(deps);
      return {
        deviceCode,
        userCode,
        verificationUri,
        verificationUriComplete: `${verificationUri}?user_code=${encodeURIComponent(userCode)}`,
        expiresIn: DEVICE_GRANT_SECONDS,
        interval: POLL_INTERVAL_SECONDS,
      };
    } catch (err) {
      // 20^8 codes: a collision among the open ones is rare, and another draw settles it.
      if (!isUserCodeTaken(err) || attempt >= 3) throw err;
    }
  }
}

/** Sends the person to the provider for this grant; the grant remembers the checks for their return. */
async function sendToProvider(deps: Deps, provider: IdentityProviderRecord, grant: Pick<SsoGrant, 'id'>): Promise<string> {
  const configuration = await discoverProvider(deps.config, { issuer: provider.issuer, clientId: provider.client_id, clientSecret: await providerSecret(deps, provider) });
  const { url, checks } = await authorizationRequest(configuration, callbackUri(deps));
  const codeVerifierSealed = sealSecret(await secretKeyOf(deps.config), checks.codeVerifier);
  await startGrantSignIn(deps.db, grant.id, { state: checks.state, nonce: checks.nonce, codeVerifierSealed });
  return url;
}

/** The person entered the code their machine shows: where to send them to sign in. */
export async function beginDeviceSignIn(deps: Deps, typedCode: string, origin: Origin): Promise<string> {
  const address = origin.ip ?? 'unknown';
  await refuseWhenLimited(deps, ACTIVATION_GUESSES_PER_ADDRESS, address);
  const userCode = parseUserCode(typedCode);
  const grant = userCode ? await findPendingGrantByUserCode(deps.db, userCode, deps.clock.now()) : undefined;
  if (!grant) {
    await enforceRateLimit(deps, ACTIVATION_GUESSES_PER_ADDRESS, address);
    throw new AppError('sso_grant_expired', 'No device is waiting for this code: check it, or start the activation again to get a new one', { field: 'userCode' });
  }
  const provider = await findIdentityProvider(deps.db, grant.account_id);
  if (!provider?.enabled) throw notEnabled();
  return sendToProvider(deps, provider, grant);
}

/** An administrator's test sign-in with the provider as configured: where to open it. */
export async function startTestSignIn(deps: Deps, actor: Actor, accountId: string): Promise<{ url: string }> {
  await authorizeSso(deps.db, actor, accountId);
  const provider = await findIdentityProvider(deps.db, accountId);
  if (!provider) throw new AppError('not_found', 'Configure the identity provider first');
  const now = deps.clock.now();
  const grant = await insertGrant(deps.db, {
    accountId,
    purpose: 'test',
    productCode: null,
    deviceCodeHash: null,
    userCode: null,
    requestedBy: actor.userId,
    providerVersion: provider.version,
    intervalSeconds: POLL_INTERVAL_SECONDS,
    expiresAt: new Date(now.getTime() + DEVICE_GRANT_SECONDS * 1000),
    now,
  });
  return { url: await sendToProvider(deps, provider, grant) };
}

/** What the person's return from the provider came to, for the page that tells them. */
export type SignInOutcome =
  | { purpose: 'activation'; approved: true; email: string | null }
  | { purpose: 'activation'; approved: false; code: ErrorCode; message: string }
  | { purpose: 'test'; accountId: string; identity: SignedInIdentity; domainAllowed: boolean };

const finished = () => new AppError('sso_sign_in_failed', 'This sign-in is unknown or already finished: start again from your device or the settings page');

/** The claims worth showing an administrator after a test: who the provider said it was, and their groups. */
const testedClaims = (identity: SignedInIdentity, claims: Record<string, unknown>) => ({
  sub: identity.subject,
  email: identity.email,
  name: identity.name,
  groups: identity.groups,
  groupsOverage: identity.groupsOverage,
  claimNames: Object.keys(claims).sort(),
});

/**
 * The provider sent the person back. The code is exchanged and the ID token checked; a test
 * records its result; a device's sign-in is approved for the directory user the person is, or
 * refused when their address is outside the allowed domains or the directory deactivated them.
 */
export async function finishSignIn(deps: Deps, callbackUrl: URL): Promise<SignInOutcome> {
  const state = callbackUrl.searchParams.get('state');
  if (!state) throw finished();
  const now = deps.clock.now();
  // Read without a lock first: the exchange with the provider is a network call, not held in a transaction.
  const pending = await findGrantByState(deps.db, state);
  if (!pending || pending.status !== 'pending' || pending.expires_at <= now || !pending.code_verifier_sealed || !pending.nonce) throw finished();
  const provider = await findIdentityProvider(deps.db, pending.account_id);
  if (!provider) throw finished();
  const configuration = await discoverProvider(deps.config, { issuer: provider.issuer, clientId: provider.client_id, clientSecret: await providerSecret(deps, provider) });
  const codeVerifier = openSecret(await secretKeyOf(deps.config), pending.code_verifier_sealed);
  let claims: Record<string, unknown>;
  try {
    claims = await completeSignIn(configuration, callbackUrl, { state, nonce: pending.nonce, codeVerifier });
  } catch (err) {
    if (err instanceof AppError) await settleGrant(deps.db, pending.id, { status: 'denied', directoryUserId: null, denial: `${err.code}: ${err.message}` });
    throw err;
  }
  const identity = identityFromClaims(claims, provider.groups_claim);
  if (!identity) throw new AppError('sso_sign_in_failed', 'The identity provider sent an ID token without a subject');
  return runTransaction(deps.db, async (trx): Promise<SignInOutcome> => {
    const grant = await lockGrantByState(trx, state);
    if (!grant || grant.status !== 'pending') throw finished();
    const allowed = identity.email !== null && domainAllowed(identity.email, provider.allowed_domains);
    if (grant.purpose === 'test') {
      await recordTestSignIn(trx, grant.account_id, grant.provider_version ?? provider.version, testedClaims(identity, claims), now);
      await settleGrant(trx, grant.id, { status: 'approved', directoryUserId: null, denial: null });
      const by = grant.requested_by ? { userId: grant.requested_by, email: null, ip: null } : null;
      await recordChange(trx, by, { accountId: grant.account_id, action: 'sso.tested', targetType: 'account', targetId: grant.account_id, details: { subject: identity.subject, email: identity.email, domainAllowed: allowed } }, now);
      return { purpose: 'test', accountId: grant.account_id, identity, domainAllowed: allowed };
    }
    const deny = async (code: ErrorCode, message: string): Promise<SignInOutcome> => {
      await settleGrant(trx, grant.id, { status: 'denied', directoryUserId: null, denial: `${code}: ${message}` });
      return { purpose: 'activation', approved: false, code, message };
    };
    if (!allowed) {
      return deny('sso_domain_not_allowed', `${identity.email ?? 'This account'} is not an address of the domains allowed to activate (${provider.allowed_domains.join(', ')})`);
    }
    const existing = await lockDirectoryUserForSignIn(trx, grant.account_id, identity.subject, identity.email);
    if (existing && !existing.active) return deny('sso_access_denied', 'Your directory account is deactivated: ask your IT department');
    const user = await saveSignedInUser(
      trx,
      grant.account_id,
      existing,
      { subject: identity.subject, email: identity.email, displayName: identity.name, givenName: identity.givenName, familyName: identity.familyName },
      now,
    );
    await settleGrant(trx, grant.id, { status: 'approved', directoryUserId: user.id, denial: null });
    return { purpose: 'activation', approved: true, email: user.email };
  });
}

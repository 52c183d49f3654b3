import type { z } from 'zod';
import {
  findActivationContext,
  findActiveInstallation,
  insertInstallation,
  isDuplicateActivation,
  reissueActivation,
} from '../../data/repositories/installations.js';
import { findInstallInvitationByCodeHash, lockInvitationForActivation, markCodeUsed } from '../../data/repositories/install-invitations.js';
import { findKey, findKeyByHash, lockKeysForSeats } from '../../data/repositories/license-keys.js';
import { licensedProductFromRow } from '../../data/repositories/products.js';
import type { Installation, LicenseKey } from '../../data/schema.js';
import { parseActivationCode } from '../../domain/activation-code.js';
import { checkActivation, licensedEdition, refusal } from '../../domain/activation-rules.js';
import { nextCheckInAt } from '../../domain/certificate.js';
import { NO_KEY_CONFIGURATION } from '../../domain/configuration-profile.js';
import { AppError, type ErrorCode } from '../../domain/errors.js';
import { checkCodeUse } from '../../domain/install-invitation.js';
import { offlineExpiresAt } from '../../domain/license-basis.js';
import { parseLicenseKey } from '../../domain/license-key.js';
import type { activationRequestSchema, ActivationResponse } from '../../domain/licensing-protocol.js';
import { recordChange, type ChangedBy } from '../changes.js';
import type { Deps } from '../context.js';
import type { Origin } from '../../domain/actor.js';
import { ACTIVATION_GUESSES_PER_ADDRESS, ACTIVATIONS_PER_KEY, enforceRateLimit, refuseWhenLimited } from '../rate-limit.js';
import { hashSecret, newSecret } from '../security/secrets.js';
import { activationCodeHash, licenseKeyHash } from './key-material.js';
import { certificateOf, factsFrom, installationDetails, seatsOf, type LicenseBasis } from './installation-facts.js';
import { deliverConfiguration } from './installation-configuration.js';
import { occupyKey } from './occupy-key.js';
import { activeSigner, signCertificate, type Signer } from './signing.js';
import { activateWithGrant, approvedGrant } from './activate-by-sign-in.js';
import { isDuplicateUserSeat } from '../../data/repositories/user-seats.js';
import type { CertificateClaims } from '../../domain/certificate.js';
import type { InstallationConfiguration } from '../../domain/configuration-profile.js';
import { runTransaction } from '../../data/transactions.js';
import type { InTransaction } from '../../data/executor.js';

export type ActivationInput = z.output<typeof activationRequestSchema>;

/** Answers that mean the caller does not hold a real key or code: the ones a guesser gets. */
const GUESS_CODES: ReadonlySet<ErrorCode> = new Set(['key_malformed', 'key_checksum_mismatch', 'key_not_found', 'code_not_found']);

/** The key an activation is for, and the invitation when it comes with a temporary activation code. */
interface Credential {
  key: LicenseKey;
  invitationId: string | null;
  /** Whom the installation is recorded as activated by: the invited person, when there is one. */
  invitedEmail: string | null;
}

const codeNotFound = (message: string) => new AppError('code_not_found', message, { field: 'activationCode' });
const keyNotFound = () => new AppError('key_not_found', 'No license key like this exists', { field: 'licenseKey' });

/** The key a license key's text names; the codes tell a malformed key, a typo and an unknown key apart. */
export async function findLicenseKey(text: string, deps: Deps): Promise<LicenseKey> {
  const parsed = parseLicenseKey(text);
  if (!parsed.ok) {
    const message = parsed.code === 'key_malformed' ? 'This is not a license key: it has 25 letters and digits in five groups' : 'This license key has a typo';
    throw new AppError(parsed.code, message, { field: 'licenseKey' });
  }
  const key = await findKeyByHash(deps.db, licenseKeyHash(parsed.canonical));
  if (!key) throw keyNotFound();
  return key;
}

async function findActivationKey(input: ActivationInput, deps: Deps): Promise<Credential> {
  if (input.activationCode !== undefined) return findCodeKey(input.activationCode, deps);
  return { key: await findLicenseKey(input.licenseKey!, deps), invitationId: null, invitedEmail: null };
}

/** A code that is malformed, mistyped or unknown is not found alike: all three are what a guesser sends. */
async function findCodeKey(text: string, deps: Deps): Promise<Credential> {
  const parsed = parseActivationCode(text);
  if (!parsed.ok) {
    throw codeNotFound(parsed.problem === 'malformed' ? 'This is not an activation code: it is AC and 20 letters and digits in four groups' : 'This activation code has a typo');
  }
  const invitation = await findInstallInvitationByCodeHash(deps.db, activationCodeHash(parsed.canonical));
  const key = invitation && (await findKey(deps.db, invitation.license_key_id));
  if (!invitation || !key) throw codeNotFound('No activation code like this exists');
  return { key, invitationId: invitation.id, invitedEmail: invitation.email };
}

const codeRefusals = {
  used: 'This activation code was already used on another computer; ask for a new invitation',
  revoked: 'This activation code was withdrawn; ask for a new invitation',
  expired: 'This activation code has expired; ask for a new invitation',
} as const;

/**
 * Locks the invitation for this activation and checks its code may be used by this machine now;
 * the lock makes two machines with one code take turns, so only the first gets a seat.
 */
async function claimCode(trx: InTransaction, invitationId: string, fingerprint: string, now: Date): Promise<void> {
  const invitation = await lockInvitationForActivation(trx, invitationId);
  const usedBy = invitation.used_by_fingerprint === null ? null : { fingerprint: invitation.used_by_fingerprint, active: invitation.used_by_active === true };
  const verdict = checkCodeUse(invitation, usedBy, fingerprint, now);
  if (!verdict.ok) throw new AppError(verdict.code, codeRefusals[verdict.reason], { field: 'activationCode' });
}

/**
 * An online activation (PROTOCOL.md), with a license key or a temporary activation code standing
 * for one: the key's rules in order, then one seat (or the binding of the key) taken atomically,
 * then a signed certificate. The same machine activating again gets its installation back with a
 * new token and no second seat, also when its two requests race.
 */
export async function activateInstallation(deps: Deps, input: ActivationInput, origin: Origin): Promise<{ created: boolean; activation: ActivationResponse }> {
  if (input.ssoDeviceCode !== undefined) return activateBySignIn(deps, input, input.ssoDeviceCode, origin);
  const address = origin.ip ?? 'unknown';
  await refuseWhenLimited(deps, ACTIVATION_GUESSES_PER_ADDRESS, address);
  let credential: Credential;
  try {
    credential = await findActivationKey(input, deps);
  } catch (err) {
    if (err instanceof AppError && GUESS_CODES.has(err.code)) await enforceRateLimit(deps, ACTIVATION_GUESSES_PER_ADDRESS, address);
    throw err;
  }
  const { key, invitationId, invitedEmail } = credential;
  if (deps.config.activationsPerKey > 0) {
    await enforceRateLimit(deps, { ...ACTIVATIONS_PER_KEY, limit: deps.config.activationsPerKey }, key.id);
  }
  const signer = await activeSigner(deps);
  const token = newSecret('kli');
  // Activated by the invited person, or by whoever the product says is using it.
  // The audit log knows the machine by its address, and the person by the invitation when it came with one.
  const by: ChangedBy = { userId: null, email: invitedEmail, ip: origin.ip };
  const mode: ActivationMode = { offline: false, activatedBy: invitedEmail ?? input.userName ?? null, invitationId, by };
  // Idempotent by the machine's fingerprint: a run after a lost connection finds the installation
  // an earlier run may have committed and gives it this same token.
  const result = await onceMore(() => runTransaction(deps.db, (trx) => activateWithKey(deps, trx, key, input, token, mode), { idempotent: true }));
  return answer(signer, token, result);
}

/**
 * Runs an activation's transaction, and once more when the same machine's (or person's) other
 * request committed first: the retry finds the installation or seat it made.
 */
async function onceMore<T>(attempt: () => Promise<T>): Promise<T> {
  try {
    return await attempt();
  } catch (err) {
    if (!isDuplicateActivation(err) && !isDuplicateUserSeat(err)) throw err;
    return attempt();
  }
}

type Activated = { created: boolean; installation: Installation; nextCheckIn: Date; claims: CertificateClaims; configuration: InstallationConfiguration };

function answer(signer: Signer, token: string, result: Activated): { created: boolean; activation: ActivationResponse } {
  return {
    created: result.created,
    activation: {
      installationId: result.installation.id,
      installationToken: token,
      certificate: signCertificate(signer, result.claims),
      nextCheckInAt: result.nextCheckIn.toISOString(),
      profile: deliverConfiguration(signer, result.claims, result.configuration),
    },
  };
}

/** An activation by signing in with the company account (activate-by-sign-in.ts): no key, the person's seat. */
async function activateBySignIn(deps: Deps, input: ActivationInput, deviceCode: string, origin: Origin) {
  const grant = await approvedGrant(deps, deviceCode, input.fingerprint, origin);
  const signer = await activeSigner(deps);
  const token = newSecret('kli');
  const result = await onceMore(() => runTransaction(deps.db, (trx) => activateWithGrant(deps, trx, grant.id, input, token, origin), { idempotent: true }));
  return answer(signer, token, result);
}

/** How an activation came: online or with offline files, and whom it is recorded as activated by. */
export interface ActivationMode {
  offline: boolean;
  activatedBy: string | null;
  /** Whom the audit log records the activation by. */
  by: ChangedBy;
  /** The invitation whose temporary activation code stands for the key, if any. */
  invitationId?: string | null;
}

/**
 * The rules and the seat of an activation, inside the caller's transaction: shared by the online
 * activation and the offline one, whose installation never checks in and so gets a certificate
 * that lasts to the end of its license (offlineExpiresAt).
 *
 * The key's row is locked before anything else (the invitation, the counters, the installation),
 * the order every seat change keeps (lockKeysForSeats): a deletion of the key and this activation
 * take turns instead of deadlocking. When the deletion came first, the key and its codes are gone
 * and the answer is the one for a key or code that does not exist.
 */
export async function activateWithKey(deps: Deps, trx: InTransaction, found: LicenseKey, input: ActivationInput, token: string, mode: ActivationMode) {
  const [key] = await lockKeysForSeats(trx, [found.id]);
  if (!key) throw mode.invitationId ? codeNotFound('No activation code like this exists') : keyNotFound();
  if (mode.invitationId) await claimCode(trx, mode.invitationId, input.fingerprint, deps.clock.now());
  const activated = await seatInstallation(deps, trx, key, input, token, mode);
  // The code is spent with the seat it took, in one transaction; a machine already active keeps it unspent.
  if (mode.invitationId && activated.created) await markCodeUsed(trx, mode.invitationId, activated.installation.id, deps.clock.now());
  const { installation, created } = activated;
  await recordChange(
    trx,
    mode.by,
    {
      accountId: installation.account_id,
      action: mode.offline ? 'installation.offline_activated' : 'installation.activated',
      targetType: 'installation',
      targetId: installation.id,
      details: { keyId: key.id, fingerprint: input.fingerprint, created },
    },
    deps.clock.now(),
  );
  return activated;
}

/** The activation rules, then a seat and a new installation, or the machine's active installation again. */
async function seatInstallation(deps: Deps, trx: InTransaction, key: LicenseKey, input: ActivationInput, token: string, mode: ActivationMode) {
  const now = deps.clock.now();
  const context = await findActivationContext(trx, { keyId: key.id, subscriptionId: key.subscription_id, productCode: input.product, fingerprint: input.fingerprint });
  const { subscription, items, blacklisted } = context;
  if (!subscription) throw keyNotFound();
  const keyFacts = { kind: key.kind, itemId: key.item_id, expiresAt: key.expires_at };
  const itemFacts = items.map((i) => ({ id: i.id, productCode: i.product_code, licenseType: i.license_type }));
  const request = { product: input.product, licenseType: input.licenseType ?? null };
  // An app naming Business with a key whose subscription holds Enterprise is licensed as Enterprise.
  const { upgrade } = context;
  const edition = upgrade && licensedEdition({ request, key: keyFacts, items: itemFacts }, upgrade.product.code) === upgrade.product.code ? upgrade : context.requested;
  const product = edition ? licensedProductFromRow(edition.product) : undefined;
  const verdict = checkActivation({
    now,
    request: { ...request, product: product?.code ?? input.product },
    key: keyFacts,
    subscription: { accountId: subscription.account_id, status: subscription.status, expiresAt: subscription.expires_at },
    items: itemFacts,
    params: product?.params,
    typeRules: product,
    blacklisted,
  });
  if (!verdict.ok) throw refusal(verdict.code);
  const item = items.find((i) => i.id === verdict.item.id)!;
  const basis: LicenseBasis = { trial: false, product: product!, key, subscription, item };
  // An offline installation is next due when its certificate ends: it never checks in.
  const expiresAt = mode.offline ? offlineExpiresAt(basis) : undefined;
  const nextCheckIn = expiresAt ?? nextCheckInAt(now, basis.product.params, Math.random);
  const details = installationDetails(input);
  const renewal = { tokenHash: hashSecret(token), publicKey: input.publicKey, details, now, nextCheckInAt: nextCheckIn, offline: mode.offline };

  // The seats come from the key, not the installation: worked out before there is one.
  const seats = await seatsOf(trx, basis);
  const certified = (installation: Installation) => {
    const facts = factsFrom(installation, basis, seats, edition ?? NO_KEY_CONFIGURATION);
    return { configuration: facts.configuration, ...certificateOf(deps, facts, { now, nextCheckInAt: nextCheckIn, expiresAt }) };
  };
  let existing = context.activeInstallation ?? undefined;
  if (!existing) {
    const occupied = await occupyKey(trx, { key, item, product: basis.product, fingerprint: input.fingerprint }, now);
    if (!occupied.ok) {
      // A racing request of the same machine may have taken the last seat while this one waited for it.
      existing = await findActiveInstallation(trx, key.id, input.fingerprint);
      if (!existing) throw refusal(occupied.code, occupied.details);
    } else {
      const installation = await insertInstallation(trx, {
        accountId: subscription.account_id,
        subscriptionId: subscription.id,
        itemId: item.id,
        licenseKeyId: key.id,
        productCode: basis.product.code,
        licenseType: item.license_type,
        fingerprint: input.fingerprint,
        publicKey: input.publicKey,
        tokenHash: renewal.tokenHash,
        trial: false,
        holdsSeat: occupied.holdsSeat,
        details,
        now,
        nextCheckInAt: nextCheckIn,
        offline: mode.offline,
        activatedBy: mode.activatedBy,
      });
      return { created: true, installation, nextCheckIn, ...certified(installation) };
    }
  }
  const installation = await reissueActivation(trx, existing.id, renewal);
  return { created: false, installation, nextCheckIn, ...certified(installation) };
}


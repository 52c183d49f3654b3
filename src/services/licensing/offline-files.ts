import { findInstallationById, recordOfflineRefresh, type AuthenticatedInstallation } from '../../data/repositories/installations.js';
import { lockKeysForSeats } from '../../data/repositories/license-keys.js';
import { acceptNonce, attachNonceInstallation } from '../../data/repositories/offline-nonces.js';
import { findProduct } from '../../data/repositories/products.js';
import type { Executor, InTransaction } from '../../data/executor.js';
import { refusal } from '../../domain/activation-rules.js';
import type { CertificateClaims } from '../../domain/certificate.js';
import type { InstallationConfiguration } from '../../domain/configuration-profile.js';
import { AppError, notFound } from '../../domain/errors.js';
import { offlineExpiresAt } from '../../domain/license-basis.js';
import type { OfflineAnswerKind, OfflineRequest, OfflineUploadAnswer } from '../../domain/licensing-protocol.js';
import { ARMOR_KIND_OF, armor, isOfflineFileExpired, OFFLINE_FILE_DAYS, okpThumbprint, readOfflineRequest } from '../../domain/offline-file.js';
import { authorizeLicensing, inScope, type LicensingAccess } from '../../policies/license-policy.js';
import { recordChange } from '../changes.js';
import type { Deps } from '../context.js';
import type { Actor } from '../../domain/actor.js';
import { newSecret } from '../security/secrets.js';
import { activateWithKey, findLicenseKey } from './activate-installation.js';
import { releaseInstallation } from './deactivate-installation.js';
import { certificateOf, factsOfStored, installationDetails } from './installation-facts.js';
import { activeSigner, signCertificate, signOfflineAnswer, type Signer } from './signing.js';
import { deliverConfiguration } from './installation-configuration.js';
import { runTransaction } from '../../data/transactions.js';

type Request<K extends OfflineRequest['kind']> = Extract<OfflineRequest, { kind: K }>;

const wrongAccount = () => new AppError('file_wrong_account', 'This file is for a license key or installation of another account: upload it in that account');

/**
 * A request nonce is good once; inside the use case's transaction, so a refused request leaves it
 * unused. A nonce row that names an installation share-locks it (its foreign key), so one is
 * written only once the installation's key is locked, first of every seat change (lockKeysForSeats).
 */
async function takeNonce(trx: Executor, accountId: string, request: OfflineRequest, installationId: string | null, now: Date): Promise<void> {
  if (!(await acceptNonce(trx, { nonce: request.nonce, accountId, installationId, kind: request.kind, now }))) {
    throw new AppError('file_replayed', 'This request file was uploaded before; make a new one on the installation');
  }
}

/** A certificate's claims and the configuration they name. */
interface Certified {
  claims: CertificateClaims;
  configuration: InstallationConfiguration;
}

/** The signed file the installation applies: its certificate and configuration, bound to its identity and to the request. */
function answerFile(signer: Signer, kind: OfflineAnswerKind, request: OfflineRequest, installationId: string, certified: Certified, now: Date): OfflineUploadAnswer {
  const content = signOfflineAnswer(signer, {
    kind,
    certificate: signCertificate(signer, certified.claims),
    installationId,
    fingerprint: request.fingerprint,
    nonce: request.nonce,
    publicKeyThumbprint: okpThumbprint(request.publicKey),
    issuedAt: now.toISOString(),
    profile: deliverConfiguration(signer, certified.claims, certified.configuration),
  });
  return { kind, installationId, file: armor(ARMOR_KIND_OF[kind], content), fileName: `keyline-${kind}-${installationId}.txt` };
}

/** The same rules and seat as an online activation, with a certificate that lasts without check-ins. */
async function activateOffline(deps: Deps, actor: Actor, access: LicensingAccess, request: Request<'activation-request'>, now: Date): Promise<OfflineUploadAnswer> {
  const key = await findLicenseKey(request.licenseKey, deps);
  // A key not registered anywhere yet goes on to the rules, which say so (key_not_registered).
  if (key.account_id !== null && key.account_id !== access.account.id) throw wrongAccount();
  if (!inScope(access.scope, key.id)) throw notFound('License key');
  const signer = await activeSigner(deps);
  const { kind: _kind, nonce: _nonce, createdAt: _createdAt, ...input } = request;
  const activated = await runTransaction(deps.db, async (trx) => {
    // A replayed file is refused as one before the seat rules run; the nonce names its installation once the key is locked.
    await takeNonce(trx, access.account.id, request, null, now);
    // The token of an offline installation is never handed out: it has no network to use it on.
    const result = await activateWithKey(deps, trx, key, input, newSecret('kli'), { offline: true, activatedBy: actor.email, by: actor });
    await attachNonceInstallation(trx, request.nonce, result.installation.id);
    return result;
  });
  return answerFile(signer, 'activation', request, activated.installation.id, activated, now);
}

type BoundInstallation = AuthenticatedInstallation & { license_key_id: string };

/** The installation a refresh or deactivation names, made by the machine and key bound to it at activation. */
async function boundInstallation(db: Executor, access: LicensingAccess, request: Request<'refresh-request' | 'deactivation-request'>): Promise<BoundInstallation> {
  const installation = await findInstallationById(db, request.installationId);
  if (!installation) throw notFound('Installation');
  if (installation.account_id !== access.account.id) throw wrongAccount();
  const keyId = installation.license_key_id;
  if (!keyId || !inScope(access.scope, keyId)) throw notFound('Installation');
  if (installation.public_key !== request.publicKey || installation.fingerprint !== request.fingerprint) {
    throw new AppError('file_wrong_installation', 'This file was not made by the machine activated as this installation');
  }
  // An installation converted to the upgrade edition while offline still names its old edition.
  if (installation.product_code !== request.product && (await findProduct(db, request.product))?.upgradeTo !== installation.product_code) throw refusal('product_mismatch');
  return { ...installation, license_key_id: keyId };
}

/**
 * The bound installation with its key locked, the first lock of the transaction (lockKeysForSeats),
 * and read again under it: an activation, deactivation or move of it that got there first has
 * committed, so what the caller decides on is current.
 */
async function lockBoundInstallation(trx: InTransaction, access: LicensingAccess, request: Request<'refresh-request' | 'deactivation-request'>): Promise<BoundInstallation> {
  const named = await boundInstallation(trx, access, request);
  await lockKeysForSeats(trx, [named.license_key_id]);
  return boundInstallation(trx, access, request);
}

/** A fresh certificate with the subscription as it is now (renewed, more seats, or expired). */
async function refreshOffline(deps: Deps, actor: Actor, access: LicensingAccess, request: Request<'refresh-request'>, now: Date): Promise<OfflineUploadAnswer> {
  const signer = await activeSigner(deps);
  const certified = await runTransaction(deps.db, async (trx): Promise<Certified> => {
    const installation = await lockBoundInstallation(trx, access, request);
    if (installation.state === 'deactivated') throw new AppError('installation_deactivated', 'This installation has been deactivated; activate it again');
    if (installation.blacklisted) throw refusal('installation_blacklisted');
    await takeNonce(trx, access.account.id, request, installation.id, now);
    const facts = await factsOfStored(trx, installation);
    const expiresAt = offlineExpiresAt(facts.basis);
    const recorded = await recordOfflineRefresh(trx, installation.id, { details: installationDetails(request, installation.site), now, certificateEndsAt: expiresAt });
    await recordChange(trx, actor, { accountId: access.account.id, action: 'installation.offline_refreshed', targetType: 'installation', targetId: installation.id }, now);
    const { claims } = certificateOf(deps, { ...facts, installation: recorded }, { now, nextCheckInAt: expiresAt, expiresAt });
    return { claims, configuration: facts.configuration };
  });
  return answerFile(signer, 'refresh', request, request.installationId, certified, now);
}

/** The seat comes back only now, when the file is uploaded; the installation dropped its license when it wrote it. */
async function deactivateOffline(deps: Deps, actor: Actor, access: LicensingAccess, request: Request<'deactivation-request'>, now: Date): Promise<OfflineUploadAnswer> {
  await runTransaction(deps.db, async (trx) => {
    const installation = await lockBoundInstallation(trx, access, request);
    await takeNonce(trx, access.account.id, request, installation.id, now);
    await releaseInstallation(trx, installation, 'deactivated offline by the installation', now);
    await recordChange(trx, actor, { accountId: access.account.id, action: 'installation.offline_deactivated', targetType: 'installation', targetId: installation.id }, now);
  });
  return { kind: 'deactivation', installationId: request.installationId };
}

/**
 * A member uploads a request file an installation with no network wrote (PROTOCOL.md, "Offline
 * files"), and gets back the signed file to carry to it. Account administrators may upload for any
 * key of the account, License Administrators for their keys; the vendor must have enabled offline
 * activation for the account. Every refusal has its own code and changes nothing.
 */
export async function acceptOfflineFile(deps: Deps, actor: Actor, accountId: string, text: string): Promise<OfflineUploadAnswer> {
  const access = await authorizeLicensing(deps.db, actor, accountId, 'installations.manage');
  if (!access.account.offline_activation_enabled) {
    throw new AppError('offline_not_enabled', 'Offline activation is not enabled for this account; your vendor can enable it');
  }
  const request = readOfflineRequest(text);
  const now = deps.clock.now();
  if (isOfflineFileExpired(new Date(request.createdAt), now)) {
    throw new AppError('file_expired', `This request file was made on ${request.createdAt}; request files are good for ${OFFLINE_FILE_DAYS} days, so make a new one`);
  }
  switch (request.kind) {
    case 'activation-request':
      return activateOffline(deps, actor, access, request, now);
    case 'refresh-request':
      return refreshOffline(deps, actor, access, request, now);
    case 'deactivation-request':
      return deactivateOffline(deps, actor, access, request, now);
  }
}

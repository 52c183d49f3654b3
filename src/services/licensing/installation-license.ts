import { findInstallationContext, keyBinding, type AuthenticatedInstallation, type InstallationDetails } from '../../data/repositories/installations.js';
import { countKeyMove, findKey, listKeysOfSubscription, lockKey } from '../../data/repositories/license-keys.js';
import { findProduct, productFromRow } from '../../data/repositories/products.js';
import { takeSeat } from '../../data/repositories/seats.js';
import { findItem, findSubscription } from '../../data/repositories/subscriptions.js';
import { findTrialEnd } from '../../data/repositories/trials.js';
import type { Installation, LicenseKey, Subscription, SubscriptionItem } from '../../data/schema.js';
import { checkBinding, type ActivationRefusal } from '../../domain/activation-rules.js';
import type { Product } from '../../domain/catalog.js';
import {
  certificateClaims,
  certificateExpiresAt,
  keySeats,
  offlineCertificateExpiresAt,
  licenseStanding,
  usageSeats,
  type CertificateClaims,
  type SeatFigures,
  type Standing,
} from '../../domain/certificate.js';
import { AppError } from '../../domain/errors.js';
import type { DescriptiveFields } from '../../domain/licensing-protocol.js';
import type { PoolState } from '../../domain/seat-pool.js';
import type { Deps } from '../context.js';
import type { Executor } from '../../data/repositories/users.js';
import { poolOfItem } from '../subscriptions/subscription-view.js';
import { hashSecret } from '../security/secrets.js';

/** The pieces shared by the installation-facing use cases: identity, the license behind an installation, its certificate. */

export type Refusal = ActivationRefusal | 'key_bound_to_other_installation' | 'move_limit_reached' | 'quota_exhausted';

const refusalMessages: Record<Refusal, string> = {
  key_not_registered: 'This license key is not registered yet: register it in the customer portal first',
  product_mismatch: 'This license key is not for this product',
  license_type_mismatch: 'This license key is not for this license type',
  subscription_suspended: 'The subscription of this license key is suspended',
  subscription_expired: 'The subscription of this license key has expired',
  key_expired: 'This license key has expired',
  installation_blacklisted: 'This machine is blacklisted for this license key',
  key_bound_to_other_installation: 'This license key is in use by another installation; deactivate it there first',
  move_limit_reached: 'This license key has moved to other installations as often as allowed',
  quota_exhausted: 'All seats of this license key are in use',
};

export const refusal = (code: Refusal, details: Record<string, unknown> = {}) => new AppError(code, refusalMessages[code], details);

/** The descriptive fields as stored; site fields sent alone are merged into what the installation said before. */
export function installationDetails(d: DescriptiveFields, currentSite: Record<string, unknown> = {}): InstallationDetails {
  const site = Object.fromEntries(
    (['siteCode', 'siteDescription', 'serverId'] as const).filter((k) => d[k] !== undefined).map((k) => [k, d[k]]),
  );
  return {
    ...(d.name !== undefined ? { name: d.name } : {}),
    ...(d.appVersion !== undefined ? { app_version: d.appVersion } : {}),
    ...(d.hostOs !== undefined ? { host_os: d.hostOs } : {}),
    ...(d.userName !== undefined ? { user_name: d.userName } : {}),
    ...(d.hardware !== undefined ? { hardware: d.hardware } : {}),
    ...(Object.keys(site).length ? { site: { ...currentSite, ...site } } : {}),
  };
}

/** What an installation's license rests on: a key of a subscription item, or a trial. */
export type LicenseBasis =
  | { trial: false; product: Product; key: LicenseKey; subscription: Subscription; item: SubscriptionItem }
  | { trial: true; product: Product; trialEnd: Date };

export const isBound = (product: Product) => product.params.installationsPerKey === 1;

export async function loadLicenseBasis(trx: Executor, installation: Installation): Promise<LicenseBasis> {
  const product = await findProduct(trx, installation.product_code);
  if (!product) throw new Error(`installation ${installation.id} names unknown product ${installation.product_code}`);
  if (installation.trial) {
    const trialEnd = await findTrialEnd(trx, installation.product_code, installation.fingerprint);
    if (!trialEnd) throw new Error(`trial installation ${installation.id} has no trial`);
    return { trial: true, product, trialEnd };
  }
  const key = installation.license_key_id ? await findKey(trx, installation.license_key_id) : undefined;
  const subscription = installation.subscription_id ? await findSubscription(trx, installation.subscription_id) : undefined;
  const item = installation.item_id ? await findItem(trx, installation.item_id) : undefined;
  // The key or subscription was deleted under a running installation: it has nothing to run on.
  if (!key || !subscription || !item) throw new AppError('installation_deactivated', 'The license of this installation no longer exists');
  return { trial: false, product, key, subscription, item };
}

/**
 * The installation a bearer token belongs to, with the license it rests on, read in one query. A
 * deactivated or blacklisted installation's token no longer works.
 */
export async function loadInstallation(db: Executor, token: string): Promise<{ installation: AuthenticatedInstallation; basis: LicenseBasis }> {
  const context = await findInstallationContext(db, hashSecret(token));
  if (!context) throw new AppError('token_invalid', 'The installation token is not valid');
  const { installation, key, subscription, item, trialEnd } = context;
  if (installation.state === 'deactivated') throw new AppError('installation_deactivated', 'This installation has been deactivated; activate it again');
  if (installation.blacklisted) throw refusal('installation_blacklisted');
  const product = productFromRow(context.product);
  if (installation.trial) {
    if (!trialEnd) throw new Error(`trial installation ${installation.id} has no trial`);
    return { installation, basis: { trial: true, product, trialEnd } };
  }
  // The key or subscription was deleted under a running installation: it has nothing to run on.
  if (!key || !subscription || !item) throw new AppError('installation_deactivated', 'The license of this installation no longer exists');
  return { installation, basis: { trial: false, product, key, subscription, item } };
}

async function poolOf(trx: Executor, basis: Extract<LicenseBasis, { trial: false }>): Promise<PoolState> {
  return poolOfItem(basis.item, await listKeysOfSubscription(trx, basis.subscription.id));
}

/** Seats the certificate licenses: one per installation, or the whole key for a bound installation. */
export async function licensedSeats(trx: Executor, basis: LicenseBasis): Promise<number> {
  if (basis.trial) return basis.product.params.trialSeats;
  if (!isBound(basis.product)) return 1;
  return keySeats(basis.key.id, await poolOf(trx, basis)).total;
}

/** The key's seats as the installation's console shows them. */
export async function seatFigures(trx: Executor, basis: LicenseBasis, installation: Installation, seats: number): Promise<SeatFigures> {
  if (!isBound(basis.product) && !basis.trial) return keySeats(basis.key.id, await poolOf(trx, basis));
  return usageSeats(seats, isBound(basis.product) ? installation.usage_current : 1);
}

export function standingOf(basis: LicenseBasis, installation: Installation, seats: number, now: Date): Standing {
  return licenseStanding({
    now,
    suspended: !basis.trial && basis.subscription.status === 'suspended',
    subscriptionExpiresAt: basis.trial ? basis.trialEnd : basis.subscription.expires_at,
    keyExpiresAt: basis.trial ? null : basis.key.expires_at,
    params: basis.product.params,
    seats,
    usagePeak: isBound(basis.product) ? installation.usage_peak : null,
    overLimitSince: installation.over_limit_since,
  });
}

export function claimsFor(
  deps: Deps,
  installation: Installation,
  basis: LicenseBasis,
  seats: number,
  standing: Pick<Standing, 'state' | 'licenseExpiresAt' | 'graceUntil'>,
  times: { now: Date; nextCheckInAt: Date; expiresAt?: Date },
): CertificateClaims {
  return certificateClaims({
    issuer: deps.config.publicUrl,
    installationId: installation.id,
    product: basis.product,
    keyId: basis.trial ? null : basis.key.id,
    subscriptionId: basis.trial ? null : basis.subscription.id,
    licenseType: installation.license_type,
    seats,
    standing,
    issuedAt: times.now,
    expiresAt: times.expiresAt ?? certificateExpiresAt(times.nextCheckInAt, basis.product.params),
  });
}

/** How the installation's license stands now, and the claims of its next certificate. */
export function certify(
  deps: Deps,
  installation: Installation,
  basis: LicenseBasis,
  seats: number,
  now: Date,
  nextCheckInAt: Date,
  expiresAt?: Date,
): { standing: Standing; claims: CertificateClaims } {
  const standing = standingOf(basis, installation, seats, now);
  return { standing, claims: claimsFor(deps, installation, basis, seats, standing, { now, nextCheckInAt, ...(expiresAt ? { expiresAt } : {}) }) };
}

/** When a certificate carried to an installation by hand ends: it cannot be renewed by check-ins. */
export function offlineExpiresAt(basis: LicenseBasis): Date {
  if (basis.trial) return basis.trialEnd;
  return offlineCertificateExpiresAt({ subscriptionExpiresAt: basis.subscription.expires_at, keyExpiresAt: basis.key.expires_at, params: basis.product.params });
}

/**
 * Makes the key hold one more installation: a seat from the key and item counters for a
 * per-installation product, or the binding of a key that serves one installation (a farm, a
 * proxy), where a new machine after a deactivated one is a counted move.
 */
export async function occupyKey(
  trx: Executor,
  target: { key: LicenseKey; itemId: string; product: Product; fingerprint: string },
): Promise<{ ok: true; holdsSeat: boolean } | { ok: false; code: Refusal; details?: Record<string, unknown> }> {
  if (!isBound(target.product)) {
    const refused = await takeSeat(trx, target.key, target.itemId);
    return refused ? { ok: false, code: 'quota_exhausted', details: { limit: refused } } : { ok: true, holdsSeat: true };
  }
  // Two machines racing for one bound key take turns here, so only one of them gets it.
  const locked = await lockKey(trx, target.key.id);
  if (!locked) return { ok: false, code: 'key_bound_to_other_installation' };
  const binding = checkBinding({ ...(await keyBinding(trx, locked.id, target.itemId, target.fingerprint)), movesUsed: locked.moves_used, maxMoves: target.product.params.maxMoves });
  if (!binding.ok) return binding;
  if (binding.move) await countKeyMove(trx, locked.id);
  return { ok: true, holdsSeat: false };
}
